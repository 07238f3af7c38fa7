#include "SessionCredentialStore.h"

namespace salesbot {

SessionCredentialStore::SessionCredentialStore(QObject* parent)
    : CredentialStore(parent)
{}

SessionCredentialStore::~SessionCredentialStore()
{
    // Overwrite before the memory goes back to the allocator: a core dump should not carry passwords.
    for (QString& secret : m_secrets)
        secret.fill(u'\0');
}

void SessionCredentialStore::read(const QString& key)
{
    const bool found = m_secrets.contains(key);
    const QString secret = m_secrets.value(key);
    QMetaObject::invokeMethod(
        this,
        [this, key, found, secret] {
            Q_EMIT readFinished(key, found ? Outcome::Ok : Outcome::NotFound, secret, QString());
        },
        Qt::QueuedConnection);
}

void SessionCredentialStore::write(const QString& key, const QString& secret)
{
    m_secrets.insert(key, secret);
    QMetaObject::invokeMethod(
        this, [this, key] { Q_EMIT writeFinished(key, Outcome::Ok, QString()); }, Qt::QueuedConnection);
}

void SessionCredentialStore::remove(const QString& key)
{
    const bool found = m_secrets.remove(key) > 0;
    QMetaObject::invokeMethod(
        this,
        [this, key, found] {
            Q_EMIT removeFinished(key, found ? Outcome::Ok : Outcome::NotFound, QString());
        },
        Qt::QueuedConnection);
}

bool SessionCredentialStore::isSessionOnly() const
{
    return true;
}

QString SessionCredentialStore::sessionOnlyReason() const
{
    return tr("Passwords are kept only until the console is closed.");
}

} // namespace salesbot
