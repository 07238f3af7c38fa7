#pragma once

// Secrets for this process's lifetime only: the fallback when there is no keychain, and the store tests use.

#include "CredentialStore.h"

#include <QHash>

namespace salesbot {

class SessionCredentialStore final : public CredentialStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionCredentialStore)

public:
    explicit SessionCredentialStore(QObject* parent = nullptr);
    ~SessionCredentialStore() override;

    void read(const QString& key) override;
    void write(const QString& key, const QString& secret) override;
    void remove(const QString& key) override;
    bool isSessionOnly() const override;
    QString sessionOnlyReason() const override;

    // Synchronous access for the fallback store that wraps this one.
    bool contains(const QString& key) const { return m_secrets.contains(key); }
    QString value(const QString& key) const { return m_secrets.value(key); }
    void insert(const QString& key, const QString& secret) { m_secrets.insert(key, secret); }
    bool take(const QString& key) { return m_secrets.remove(key) > 0; }

private:
    QHash<QString, QString> m_secrets;
};

} // namespace salesbot
