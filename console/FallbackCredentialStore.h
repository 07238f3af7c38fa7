#pragma once

// The console's credential store: the OS keychain when there is one, and when it fails (no D-Bus session, no
// secret service, a locked-out wallet) the password stays in memory for this session and the UI can say why.

#include "CredentialStore.h"

#include <memory>

namespace salesbot {

class SessionCredentialStore;

class FallbackCredentialStore final : public CredentialStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FallbackCredentialStore)

public:
    // Takes ownership of `primary` (usually a KeychainCredentialStore).
    explicit FallbackCredentialStore(std::unique_ptr<CredentialStore> primary, QObject* parent = nullptr);
    ~FallbackCredentialStore() override;

    // Reads answer from this session's memory first, then from the keychain. Writes always keep the secret
    // for the session and also go to the keychain until it has failed once; after that it is not asked again
    // (a D-Bus timeout costs seconds each time).
    void read(const QString& key) override;
    void write(const QString& key, const QString& secret) override;
    void remove(const QString& key) override;
    bool isSessionOnly() const override;
    QString sessionOnlyReason() const override;

private:
    void fallBack(const QString& keychainError);

    CredentialStore* m_primary = nullptr; // a child of this object
    SessionCredentialStore* m_session = nullptr;
    bool m_sessionOnly = false;
    QString m_reason;
};

} // namespace salesbot
