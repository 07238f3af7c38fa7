#pragma once

// Secrets in the operating system's keychain (Secret Service, KWallet, macOS Keychain, Windows Credential
// Manager) through QtKeychain, under the service name "salesbot-console"; never QtKeychain's plain-text
// QSettings fallback.

#include "CredentialStore.h"

namespace QKeychain {
class Job;
}

namespace salesbot {

class KeychainCredentialStore final : public CredentialStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainCredentialStore)

public:
    static constexpr const char16_t* ServiceName = u"salesbot-console";

    explicit KeychainCredentialStore(QObject* parent = nullptr);
    ~KeychainCredentialStore() override;

    void read(const QString& key) override;
    void write(const QString& key, const QString& secret) override;
    void remove(const QString& key) override;

    // A job's error as an outcome: a missing entry is not a failure of the keychain.
    static Outcome outcomeOf(const QKeychain::Job& job);
};

} // namespace salesbot
