#pragma once

// Where the console keeps database passwords: behind an interface so the OS keychain, a memory-only store and
// test fakes are interchangeable, and so no caller is ever tempted to put a secret into QSettings.

#include <QObject>
#include <QString>

namespace salesbot {

class CredentialStore : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialStore)

public:
    enum class Outcome
    {
        Ok,
        NotFound, // read: nothing stored under that key (remove: nothing to remove)
        Failed,   // the store could not do it; the error text says why
    };
    Q_ENUM(Outcome)

    explicit CredentialStore(QObject* parent = nullptr);
    ~CredentialStore() override;

    // Each request is answered once, asynchronously, by the matching signal (never from inside the call).
    virtual void read(const QString& key) = 0;
    virtual void write(const QString& key, const QString& secret) = 0;
    virtual void remove(const QString& key) = 0;

    // True when secrets live only as long as this process (no keychain): the UI must say so.
    virtual bool isSessionOnly() const;
    // Why secrets are session-only, in the user's language; empty when they are not.
    virtual QString sessionOnlyReason() const;

Q_SIGNALS:
    void readFinished(const QString& key, salesbot::CredentialStore::Outcome outcome, const QString& secret,
                      const QString& error);
    void writeFinished(const QString& key, salesbot::CredentialStore::Outcome outcome, const QString& error);
    void removeFinished(const QString& key, salesbot::CredentialStore::Outcome outcome, const QString& error);
    void sessionOnlyChanged(bool sessionOnly);
};

} // namespace salesbot
