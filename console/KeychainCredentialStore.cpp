#include "KeychainCredentialStore.h"

#include <qt6keychain/keychain.h>

namespace salesbot {

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
    auto* job = new QKeychain::ReadPasswordJob(QString::fromUtf16(ServiceName), this);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* finished) {
        const auto* readJob = static_cast<QKeychain::ReadPasswordJob*>(finished);
        const Outcome outcome = outcomeOf(*finished);
        Q_EMIT readFinished(key, outcome, outcome == Outcome::Ok ? readJob->textData() : QString(),
                            outcome == Outcome::Failed ? finished->errorString() : QString());
    });
    job->start(); // the job deletes itself after finished()
}

void KeychainCredentialStore::write(const QString& key, const QString& secret)
{
    auto* job = new QKeychain::WritePasswordJob(QString::fromUtf16(ServiceName), this);
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
    auto* job = new QKeychain::DeletePasswordJob(QString::fromUtf16(ServiceName), this);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* finished) {
        const Outcome outcome = outcomeOf(*finished);
        Q_EMIT removeFinished(key, outcome, outcome == Outcome::Failed ? finished->errorString() : QString());
    });
    job->start();
}

} // namespace salesbot
