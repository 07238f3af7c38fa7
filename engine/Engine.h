#pragma once

// The running bot: migrates, checks the token, then polls updates, hands them to database workers
// (one per shard of chats, so a chat's updates stay in order), sends the replies, and keeps a heartbeat.
// stop() finishes what is in flight and says stopped(); failed() carries an exit code and a reason.

#include "BotApiClient.h"
#include "BotTexts.h"
#include "CatalogCache.h"
#include "Config.h"
#include "Dialog.h"
#include "OutboxRepository.h"
#include "OutboxSender.h"
#include "UpdatePoller.h"
#include "UpdateProcessor.h"

#include <QJsonArray>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

namespace salesbot {

class DbWorker;
class InstanceLockFile;
class NotificationListener;

struct EngineOptions
{
    // Database connections for updates: one per core (2 to 8). Latency needs no more of them: the updates
    // that queue up while a worker waits for the database are committed together (groupSize).
    int workers = defaultWorkers();
    // Updates of different chats that queue up on a worker are committed in one transaction, up to this
    // many (1: each alone): the database's cost per transaction is shared by the group.
    int groupSize = 32;
    int longPollTimeoutSeconds = 25;
    int pollWaitMs = 500; // with updates in flight and none committed since, the next poll waits this long
    RateLimits limits;    // proactive messages
    qint64 leaseMs = 120'000; // how long a claimed message is ours before another sender may take it
    int maxInFlight = 64;     // concurrent Bot API calls for messages
    int heartbeatMs = 10'000;
    int outboxPollMs = 1000;    // due outbox rows (status messages from the console, retries)
    int catalogPollMs = 30'000; // SQLite only; PostgreSQL uses NOTIFY
    // Forgetting what is done: processed update ids after two days, sent messages after outboxKeepDays (0:
    // kept). First a minute after the start (or maintenanceMs, when shorter), then every maintenanceMs.
    int outboxKeepDays = 30;
    int maintenanceMs = 3'600'000;
    // PostgreSQL: how often a hot standby tries the active engine's lock, and the active one checks it
    // still holds it (a lost lock connection means another engine may take over).
    int lockCheckMs = 2000;
    CompanyInfo company;

    static int defaultWorkers();
    // EngineOptions with the environment's overrides (ENGINE_WORKERS, RATE_LIMIT_GLOBAL, ...).
    static EngineOptions fromEnvironment(const QProcessEnvironment& env);
};

struct EngineStats
{
    qint64 updates = 0;
    qint64 duplicates = 0;
    qint64 skipped = 0;
    qint64 failed = 0;
    qint64 applications = 0;
};

class Engine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Engine)

public:
    Engine(const Config& config, EngineOptions options, QObject* parent = nullptr);
    ~Engine() override;

    void start();
    // Stops taking updates, finishes and commits what is in flight, flushes the outbox; then stopped().
    void stop();

    const EngineStats& stats() const { return m_stats; }
    OutboxSender* sender() const { return m_sender.get(); }
    const QString& instanceId() const { return m_instanceId; }

Q_SIGNALS:
    // Polling and sending now (at once, or after waiting as a hot standby).
    void started(const QString& botUsername);
    // Another engine holds the database's engine lock: this one waits, polling and sending nothing.
    void standby();
    void stopped();
    void failed(int exitCode, const QString& reason);

private:
    void prepareDatabase();
    void checkToken();
    // PostgreSQL: takes (or, once active, confirms) the advisory lock only the active engine holds.
    void acquire();
    void onLock(bool ok, bool held, const QString& error);
    // SQLite: the engines' lock file beside the database; empty for PostgreSQL and in-memory databases.
    QString sqliteLockPath() const;
    // The database settings of the update workers and the sender: every statement a key lookup.
    ConnectionSettings keyLookupSettings() const;
    // Holding the lock (or on SQLite): what a dead predecessor had claimed is due again, then run().
    void becomeActive();
    void run();
    // Takes a batch from the poller; returns how many updates were new.
    int dispatch(const QList<RawUpdate>& batch);
    // One past the last update committed in sequence: what the next poll may confirm.
    qint64 safeOffset() const;
    struct Job
    {
        IncomingEvent event;
        qint64 updateId = 0;
        bool parsed = true;
    };
    // The updates waiting for one worker. Filled on the engine's thread, emptied on the worker's.
    struct Shard
    {
        DbWorker* worker = nullptr;
        std::mutex mutex;
        std::deque<Job> jobs;
        bool draining = false; // a drain task is posted or running on the worker
    };
    void post(const IncomingEvent& event, qint64 updateId, bool parsed);
    // Worker thread: handles the shard's queued updates, in groups of different chats, until none is left.
    void drain(Shard& shard, DbConnection& db);
    // Worker thread: the next group from the front of the queue; empty when the queue is (and then the
    // shard is no longer draining).
    QList<Job> takeGroup(Shard& shard);
    void onProcessed(const ProcessOutcome& outcome, const IncomingEvent& event, bool parsed);
    void finishStop();
    void heartbeat();
    void maintain();
    // Deletes the sent messages queued before `run.before`, a batch per job on the main connection, so that
    // the sender's own statements go between them; `deleted`: the messages the run's earlier batches deleted.
    void pruneOutbox(OutboxPruning run, qint64 deleted);
    void reloadCatalog();
    void listen();
    void fail(int exitCode, const QString& reason);
    Shard& shardFor(qint64 key);

    Config m_config;
    EngineOptions m_options;
    QString m_instanceId;
    BotTexts m_texts;
    std::unique_ptr<Dialog> m_dialog;
    CatalogCache m_catalog;
    std::unique_ptr<BotApiClient> m_api;
    std::unique_ptr<DbWorker> m_main;             // migrations, heartbeat, catalog, outbox marks
    std::unique_ptr<DbWorker> m_lock;             // PostgreSQL: the session holding the active engine's lock
    std::unique_ptr<InstanceLockFile> m_fileLock; // SQLite: a lock file beside the database, the same role
    std::unique_ptr<NotificationListener> m_listen; // LISTEN on PostgreSQL
    std::vector<std::unique_ptr<Shard>> m_shards;   // one per worker; outlives the workers' tasks
    std::vector<std::unique_ptr<DbWorker>> m_workers;
    std::unique_ptr<OutboxSender> m_sender;
    std::unique_ptr<UpdatePoller> m_poller;
    QTimer m_heartbeat;
    QTimer m_outboxPoll;
    QTimer m_catalogPoll;
    QTimer m_maintenance;
    bool m_pruningOutbox = false; // a pruneOutbox() run is under way
    QTimer m_lockCheck;
    QString m_username;
    QString m_mode;                          // as the heartbeat reports it: polling or standby
    bool m_standby = false;                  // waited for the lock at least once
    bool m_lockWarned = false;               // a failing lock check is said once per streak
    std::atomic_bool m_giveUpRetries{false}; // read by the workers: stop retrying transient failures
    std::set<qint64> m_inFlight;             // update ids being processed
    std::set<qint64> m_completed; // done, above the lowest one in flight (Telegram may send them again)
    qint64 m_nextOffset = 0;      // one past the highest update id seen
    int m_maxInFlight = 512;
    bool m_running = false;
    bool m_stopping = false;
    bool m_failed = false; // fail() said why: nothing starts again
    int m_startupAttempts = 0;
    EngineStats m_stats;
};

} // namespace salesbot
