#include "FallbackCredentialStore.h"

#include "SessionCredentialStore.h"

namespace salesbot {

FallbackCredentialStore::FallbackCredentialStore(std::unique_ptr<CredentialStore> primary, QObject* parent)
    : CredentialStore(parent)
    , m_primary(primary.release())
    , m_session(new SessionCredentialStore(this))
{
    m_primary->setParent(this);
    connect(m_primary, &CredentialStore::readFinished, this,
            [this](const QString& key, Outcome outcome, const QString& secret, const QString& error) {
                if (outcome == Outcome::Failed) {
                    fallBack(error);
                    // Nothing to give: the caller asks the user, whose answer then lives in memory.
                    Q_EMIT readFinished(key, Outcome::NotFound, QString(), m_reason);
                    return;
                }
                if (outcome == Outcome::Ok)
                    m_session->insert(key, secret);
                Q_EMIT readFinished(key, outcome, secret, QString());
            });
    connect(m_primary, &CredentialStore::writeFinished, this,
            [this](const QString& key, Outcome outcome, const QString& error) {
                if (outcome == Outcome::Failed)
                    fallBack(error);
                // Either way the secret is kept: in the keychain, or (as the notice says) for this session.
                Q_EMIT writeFinished(key, Outcome::Ok, QString());
            });
    connect(m_primary, &CredentialStore::removeFinished, this,
            [this](const QString& key, Outcome outcome, const QString& error) {
                if (outcome == Outcome::Failed)
                    fallBack(error);
                Q_EMIT removeFinished(key, Outcome::Ok, QString());
            });
}

FallbackCredentialStore::~FallbackCredentialStore() = default;

void FallbackCredentialStore::read(const QString& key)
{
    if (m_session->contains(key) || m_sessionOnly) {
        const bool found = m_session->contains(key);
        const QString secret = m_session->value(key);
        QMetaObject::invokeMethod(
            this,
            [this, key, found, secret] {
                Q_EMIT readFinished(key, found ? Outcome::Ok : Outcome::NotFound, secret, QString());
            },
            Qt::QueuedConnection);
        return;
    }
    m_primary->read(key);
}

void FallbackCredentialStore::write(const QString& key, const QString& secret)
{
    m_session->insert(key, secret);
    if (m_sessionOnly) {
        QMetaObject::invokeMethod(
            this, [this, key] { Q_EMIT writeFinished(key, Outcome::Ok, QString()); }, Qt::QueuedConnection);
        return;
    }
    m_primary->write(key, secret);
}

void FallbackCredentialStore::remove(const QString& key)
{
    m_session->take(key);
    if (m_sessionOnly) {
        QMetaObject::invokeMethod(
            this, [this, key] { Q_EMIT removeFinished(key, Outcome::Ok, QString()); }, Qt::QueuedConnection);
        return;
    }
    m_primary->remove(key);
}

bool FallbackCredentialStore::isSessionOnly() const
{
    return m_sessionOnly;
}

QString FallbackCredentialStore::sessionOnlyReason() const
{
    return m_reason;
}

void FallbackCredentialStore::fallBack(const QString& keychainError)
{
    if (m_sessionOnly)
        return;
    m_sessionOnly = true;
    const QString why =
        keychainError.trimmed().isEmpty() ? tr("no secret service answered") : keychainError.trimmed();
    m_reason = tr("The system keychain is not available (%1). Passwords are kept only until the console is "
                  "closed and will have to be entered again next time.")
                   .arg(why);
    Q_EMIT sessionOnlyChanged(true);
}

} // namespace salesbot
