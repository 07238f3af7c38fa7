#include "KeychainCredentialStore.h"

#include <qt6keychain/keychain.h>

namespace salesbot {

// Jobs have no parent: QtKeychain deletes each one after its finished(), and one deleted earlier (with this
// store, say when a dialog closes) while libsecret is still working crashes in libsecret's callback, which
// holds a plain pointer to it. A job that outlives the store still does its work; its answer goes nowhere,
// since the connections below end with the store.

KeychainCredentialStore::KeychainCredentialStore(QObject* parent)
    : CredentialStore(parent)
{}

KeychainCredentialStore::~KeychainCredentialStore() = default;

CredentialStore::Outcome KeychainCredentialStore::outcomeOf(const QKeychain::Job& job)
{
    switch (job.error()) {
    case QKeychain::NoError:
        return Outcome::Ok;
    case QKeychain::EntryNotFound:
        return Outcome::NotFound;
    default:
        return Outcome::Failed;
    }
}

void KeychainCredentialStore::read(const QString& key)
{
    auto* job = new QKeychain::ReadPasswordJob(QString::fromUtf16(ServiceName));
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* finished) {
        const auto* readJob = static_cast<QKeychain::ReadPasswordJob*>(finished);
        const Outcome outcome = outcomeOf(*finished);
        Q_EMIT readFinished(key, outcome, outcome == Outcome::Ok ? readJob->textData() : QString(),
                            outcome == Outcome::Failed ? finished->errorString() : QString());
    });
    job->start(); // queued: the job starts in the event loop and deletes itself after finished()
}

void KeychainCredentialStore::write(const QString& key, const QString& secret)
{
    auto* job = new QKeychain::WritePasswordJob(QString::fromUtf16(ServiceName));
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* finished) {
        const Outcome outcome = outcomeOf(*finished);
        Q_EMIT writeFinished(key, outcome, outcome == Outcome::Failed ? finished->errorString() : QString());
    });
    job->start();
}

void KeychainCredentialStore::remove(const QString& key)
{
    auto* job = new QKeychain::DeletePasswordJob(QString::fromUtf16(ServiceName));
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* finished) {
        const Outcome outcome = outcomeOf(*finished);
        Q_EMIT removeFinished(key, outcome, outcome == Outcome::Failed ? finished->errorString() : QString());
    });
    job->start();
}

} // namespace salesbot
