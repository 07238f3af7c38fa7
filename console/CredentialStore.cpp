#include "CredentialStore.h"

namespace salesbot {

CredentialStore::CredentialStore(QObject* parent)
    : QObject(parent)
{}

CredentialStore::~CredentialStore() = default;

bool CredentialStore::isSessionOnly() const
{
    return false;
}

QString CredentialStore::sessionOnlyReason() const
{
    return {};
}

} // namespace salesbot
