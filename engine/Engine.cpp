#include "Engine.h"

#include "DbWorker.h"
#include "EngineInstanceRepository.h"
#include "InstanceLockFile.h"
#include "Migrator.h"
#include "NotificationListener.h"
#include "OutboxRepository.h"
#include "PackageRepository.h"
#include "ProcessedUpdateRepository.h"
#include "UpdateParser.h"
#include "UpdateRepository.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QHostInfo>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QThread>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcEngine, "salesbot.engine")
Q_LOGGING_CATEGORY(lcUpdates, "salesbot.updates")

namespace salesbot {

namespace {

int intFrom(const QProcessEnvironment& env, const QString& name, int fallback, int min, int max)
{
    bool ok = false;
    const int value = env.value(name).trimmed().toInt(&ok);
    return ok ? std::clamp(value, min, max) : fallback;
}

double doubleFrom(const QProcessEnvironment& env, const QString& name, double fallback)
{
    bool ok = false;
    const double value = env.value(name).trimmed().toDouble(&ok);
    return ok && value > 0 ? value : fallback;
}

} // namespace

int EngineOptions::defaultWorkers()
{
    // More connections than cores only make the database's processes take turns (measured on 2 cores: 8
    // workers gave 1,718 updates/s where 2 gave 2,571).
    return std::clamp(QThread::idealThreadCount(), 2, 8);
}

EngineOptions EngineOptions::fromEnvironment(const QProcessEnvironment& env)
{
    EngineOptions o;
    o.workers = intFrom(env, u"ENGINE_WORKERS"_s, o.workers, 1, 64);
    o.groupSize = intFrom(env, u"ENGINE_GROUP_SIZE"_s, o.groupSize, 1, 256);
    o.longPollTimeoutSeconds = intFrom(env, u"POLL_TIMEOUT"_s, o.longPollTimeoutSeconds, 1, 50);
    o.limits.globalPerSecond = doubleFrom(env, u"RATE_LIMIT_GLOBAL"_s, o.limits.globalPerSecond);
    o.limits.perChatPerSecond = doubleFrom(env, u"RATE_LIMIT_PER_CHAT"_s, o.limits.perChatPerSecond);
    o.limits.enabled = env.value(u"RATE_LIMIT"_s).trimmed().toLower() != "off"_L1;
    o.leaseMs = qint64(intFrom(env, u"OUTBOX_LEASE_SECONDS"_s, int(o.leaseMs / 1000), 1, 3600)) * 1000;
    o.outboxPollMs = intFrom(env, u"OUTBOX_POLL_MS"_s, o.outboxPollMs, 50, 60'000);
    o.outboxKeepDays = intFrom(env, u"OUTBOX_KEEP_DAYS"_s, o.outboxKeepDays, 0, 36'500);
    if (const QString v = env.value(u"COMPANY_PHONE"_s).trimmed(); !v.isEmpty())
        o.company.phone = v;
    if (const QString v = env.value(u"COMPANY_EMAIL"_s).trimmed(); !v.isEmpty())
        o.company.email = v;
    if (const QString v = env.value(u"COMPANY_SITE"_s).trimmed(); !v.isEmpty())
        o.company.site = v;
    if (const QString v = env.value(u"COMPANY_HOURS"_s).trimmed(); !v.isEmpty())
        o.company.hours = v;
    return o;
}

Engine::Engine(const Config& config, EngineOptions options, QObject* parent)
    : QObject(parent)
    , m_config(config)
    , m_options(std::move(options))
    , m_instanceId(u"%1-%2-%3"_s.arg(QHostInfo::localHostName())
                       .arg(QCoreApplication::applicationPid())
                       .arg(QRandomGenerator::global()->bounded(1'000'000)))
{
    m_dialog = std::make_unique<Dialog>(m_texts, DialogSettings{m_config.managerChatId(), m_options.company});
    m_api = std::make_unique<BotApiClient>(m_config.telegramApiUrl(), m_config.botToken());
    m_main = std::make_unique<DbWorker>(keyLookupSettings(), u"engine-main"_s);
    // Engines start as standbys and say polling once they hold the lock (an in-memory SQLite database has
    // nobody to share it with).
    m_mode = m_config.database().dialect == Dialect::PostgreSql || !sqliteLockPath().isEmpty() ? u"standby"_s
                                                                                               : u"polling"_s;
    m_lockCheck.setSingleShot(true);
    connect(&m_lockCheck, &QTimer::timeout, this, &Engine::acquire);
}

Engine::~Engine()
{
    // Database threads first: their tasks call back into the sender and the engine.
    m_heartbeat.stop();
    m_outboxPoll.stop();
    m_catalogPoll.stop();
    m_maintenance.stop();
    m_lockCheck.stop();
    m_giveUpRetries = true;
    if (m_poller)
        m_poller->stop();
    for (auto& worker : m_workers)
        worker->stop(5000);
    if (m_listen)
        m_listen->stop();
    m_main->stop(5000);
    // Last: a standby takes over only when everything this engine had is written.
    if (m_lock)
        m_lock->stop(5000);
    m_fileLock.reset();
    m_poller.reset();
    m_sender.reset();
}

void Engine::fail(int exitCode, const QString& reason)
{
    qCCritical(lcEngine).noquote() << m_api->redact(reason);
    m_failed = true;
    if (m_poller)
        m_poller->stop();
    m_outboxPoll.stop();
    m_heartbeat.stop();
    m_maintenance.stop();
    m_lockCheck.stop();
    Q_EMIT failed(exitCode, m_api->redact(reason));
}

void Engine::start()
{
    if (!m_texts.hasRussian())
        qCWarning(lcEngine) << "the Russian translation is missing from this build: the bot speaks English";
    prepareDatabase();
}

void Engine::prepareDatabase()
{
    const EngineInstance me{m_instanceId,
                            QHostInfo::localHostName(),
                            QCoreApplication::applicationPid(),
                            m_mode,
                            QStringLiteral(SALESBOT_VERSION),
                            {},
                            {},
                            0};
    m_main->post([this, me](DbConnection& db) {
        QString error;
        int code = 0;
        QList<Package> packages;
        if (auto opened = db.open(); !opened) {
            error = opened.error().message();
            code = 4;
        } else if (auto migrated = Migrator(db).migrate(); !migrated) {
            error = migrated.error().message();
            code = migrated.error().kind() == DbError::Kind::Connection ? 4 : 1;
        } else {
            // Leases are released only once this engine holds the lock (becomeActive): a standby must not
            // hand the active engine's messages to itself.
            auto catalog = PackageRepository(db).list();
            auto beat = EngineInstanceRepository(db).heartbeat(me);
            if (!catalog || !beat) {
                error = (!catalog ? catalog.error() : beat.error()).message();
                code = 4;
            } else {
                packages = *catalog;
            }
        }
        QMetaObject::invokeMethod(
            this,
            [this, error, code, packages] {
                if (code != 0) {
                    fail(code, u"database: "_s + error);
                    return;
                }
                m_catalog.replace(packages);
                checkToken();
            },
            Qt::QueuedConnection);
    });
}

void Engine::checkToken()
{
    m_api->call(u"getMe"_s, {}, this, [this](const BotApiResult& result) {
        if (result.kind == BotApiResult::Kind::Unauthorized) {
            fail(5,
                 u"Telegram refused BOT_TOKEN (%1): check the token from @BotFather"_s.arg(result.summary()));
            return;
        }
        if (!result.isSuccess()) {
            const int wait = std::min(30'000, 1000 << std::min(m_startupAttempts++, 5));
            qCWarning(lcEngine).noquote()
                << "getMe failed:" << result.summary() << "- retrying in" << wait << "ms";
            QTimer::singleShot(wait, this, &Engine::checkToken);
            return;
        }
        const QString username = result.result.toObject().value(u"username"_s).toString();
        qCInfo(lcEngine).noquote() << u"connected to Telegram as @"_s + username;
        // Optional: a server that does not know setMyCommands must not stop the bot.
        const QJsonArray commands{
            QJsonObject{{u"command"_s, u"start"_s}, {u"description"_s, u"Главное меню"_s}},
            QJsonObject{{u"command"_s, u"status"_s}, {u"description"_s, u"Моя заявка"_s}},
            QJsonObject{{u"command"_s, u"cancel"_s}, {u"description"_s, u"Отменить заявку"_s}}};
        m_api->call(u"setMyCommands"_s, {{u"commands"_s, commands}}, this, [](const BotApiResult& r) {
            if (!r.isSuccess())
                qCInfo(lcEngine).noquote() << "setMyCommands failed (ignored):" << r.summary();
        });
        m_username = username;
        // The heartbeat runs from here on, also while waiting as a standby.
        m_heartbeat.setInterval(m_options.heartbeatMs);
        connect(&m_heartbeat, &QTimer::timeout, this, &Engine::heartbeat);
        m_heartbeat.start();
        acquire();
    });
}

void Engine::acquire()
{
    if (m_stopping)
        return;
    if (m_config.database().dialect != Dialect::PostgreSql) {
        // SQLite: engines on one host share the file; a lock on a file beside it decides which one polls. The
        // kernel releases it when its holder ends, however it ends.
        const QString path = sqliteLockPath();
        if (path.isEmpty()) {
            becomeActive();
            return;
        }
        if (!m_fileLock)
            m_fileLock = std::make_unique<InstanceLockFile>(path);
        QString error;
        const InstanceLockFile::Result result = m_fileLock->tryLock(&error);
        if (result == InstanceLockFile::Result::Failed) {
            // Not another engine: nothing would ever take over, so say so and stop.
            fail(4, error);
            return;
        }
        onLock(true, result == InstanceLockFile::Result::Held, {});
        return;
    }
    if (!m_lock)
        m_lock = std::make_unique<DbWorker>(m_config.database(), u"engine-lock"_s);
    m_lock->call(
        this, [](DbConnection& db) { return EngineInstanceRepository(db).holdActiveLock(); },
        [this](const Expected<bool, DbError>& held) {
            onLock(bool(held), held && *held, held ? QString() : held.error().message());
        });
}

ConnectionSettings Engine::keyLookupSettings() const
{
    // Measured in the funnel benchmark from an empty database: the outbox or dialog_states scanned whole on
    // every update (441 scans of up to 30,000 rows in 12 s), a quarter of the throughput at 10,000 users.
    ConnectionSettings settings = m_config.database();
    settings.keyLookupsOnly = true;
    return settings;
}

QString Engine::sqliteLockPath() const
{
    const QString database = m_config.database().sqlitePath;
    if (m_config.database().dialect == Dialect::PostgreSql || database.isEmpty() || database == u":memory:"_s)
        return {};
    // The same database by another path (a symlink) must meet the same lock.
    const QString canonical = QFileInfo(database).canonicalFilePath();
    return (canonical.isEmpty() ? database : canonical) + u".engine-lock"_s;
}

void Engine::onLock(bool ok, bool held, const QString& error)
{
    if (m_stopping)
        return;
    m_lockCheck.start(m_options.lockCheckMs);
    if (!ok) {
        // The database is away: whoever held the lock still does, or will find out when it is back.
        if (!m_lockWarned)
            qCWarning(lcEngine).noquote() << "cannot check the engine lock:" << error;
        m_lockWarned = true;
        return;
    }
    m_lockWarned = false;
    if (m_running) {
        if (!held) {
            // The lock's session was cut and another engine took the lock meanwhile: two engines must not
            // poll and send at once. Exit; a supervisor's restart makes this one the standby.
            fail(4, u"lost the engine lock to another engine on this database (the lock's connection was "
                    "cut): stopping"_s);
        }
        return;
    }
    if (!held) {
        if (!m_standby) {
            qCInfo(lcEngine) << "another engine is active on this database; waiting as a hot standby";
            m_standby = true;
            heartbeat();
            Q_EMIT standby();
        }
        return;
    }
    m_lockCheck.stop();
    if (m_standby) {
        // If the previous engine lost only its lock's connection and lives, it notices within one check and
        // stops: wait that long before taking over its messages.
        qCInfo(lcEngine) << "the active engine is gone: taking over in" << m_options.lockCheckMs + 500
                         << "ms";
        QTimer::singleShot(m_options.lockCheckMs + 500, this, &Engine::becomeActive);
        return;
    }
    becomeActive();
}

void Engine::becomeActive()
{
    if (m_stopping || m_running)
        return;
    // The only sender starts: whatever a dead predecessor had claimed is due again.
    m_main->call(
        this, [](DbConnection& db) { return OutboxRepository(db).releaseLeases(); },
        [this](const Expected<qint64, DbError>& released) {
            if (m_stopping || m_running)
                return;
            if (!released)
                qCWarning(lcEngine).noquote()
                    << "leased messages stay leased until their lease ends:" << released.error().message();
            else if (*released > 0)
                qCInfo(lcEngine) << *released << "messages from before the restart are due again";
            m_mode = u"polling"_s;
            heartbeat();
            run(); // started() once the workers are ready and polling begins
            if (m_lock)
                m_lockCheck.start(m_options.lockCheckMs);
        });
}

void Engine::run()
{
    m_running = true;
    for (int i = 0; i < m_options.workers; ++i) {
        m_workers.push_back(std::make_unique<DbWorker>(keyLookupSettings(), u"engine-worker-%1"_s.arg(i)));
        m_shards.push_back(std::make_unique<Shard>());
        m_shards.back()->worker = m_workers.back().get();
    }
    m_sender = std::make_unique<OutboxSender>(*m_api, *m_main, m_options.limits);
    m_sender->setLeaseMs(m_options.leaseMs);
    m_sender->setMaxInFlight(m_options.maxInFlight);
    connect(m_sender.get(), &OutboxSender::unauthorized, this,
            [this](const QString& d) { fail(5, u"Telegram refused BOT_TOKEN: "_s + d); });
    m_poller = std::make_unique<UpdatePoller>(*m_api);
    m_poller->setTimeoutSeconds(m_options.longPollTimeoutSeconds);
    m_poller->setWaitMs(m_options.pollWaitMs);
    m_poller->setConsumer([this](const QList<RawUpdate>& batch) { return dispatch(batch); });
    m_poller->setOffsetSource([this] { return safeOffset(); });
    connect(m_poller.get(), &UpdatePoller::unauthorized, this,
            [this](const QString& d) { fail(5, u"Telegram refused BOT_TOKEN: "_s + d); });

    m_outboxPoll.setInterval(m_options.outboxPollMs);
    connect(&m_outboxPoll, &QTimer::timeout, m_sender.get(), &OutboxSender::pollDue);
    m_outboxPoll.start();
    m_maintenance.setInterval(m_options.maintenanceMs);
    connect(&m_maintenance, &QTimer::timeout, this, &Engine::maintain);
    m_maintenance.start();
    // Not only hourly: an engine restarted more often than that (deploys) would never get to it.
    QTimer::singleShot(std::min(60'000, m_options.maintenanceMs), this, &Engine::maintain);
    if (m_config.database().dialect == Dialect::PostgreSql) {
        listen();
    } else {
        m_catalogPoll.setInterval(m_options.catalogPollMs);
        connect(&m_catalogPoll, &QTimer::timeout, this, &Engine::reloadCatalog);
        m_catalogPoll.start();
    }
    m_sender->pollDue();
    // Each worker opens its connection and prepares its statements first: the first users after a start
    // waited 80-110 ms for that in the benchmark. Polling starts when all are ready, or failed (the
    // database away: the updates then wait for it as they would anyway).
    auto warming = std::make_shared<qsizetype>(qsizetype(m_workers.size()));
    const auto startPolling = [this] {
        m_poller->start();
        Q_EMIT started(m_username);
    };
    if (m_workers.empty())
        startPolling();
    for (auto& worker : m_workers) {
        worker->call(
            this,
            [leaseMs = m_options.leaseMs](DbConnection& db) { return UpdateRepository(db).warmUp(leaseMs); },
            [this, warming, startPolling](const Expected<void, DbError>& warmed) {
                if (!warmed)
                    qCWarning(lcEngine).noquote()
                        << "a database worker could not prepare its connection:" << warmed.error().message();
                if (--*warming == 0 && !m_stopping && !m_failed && m_poller)
                    startPolling();
            });
    }
}

void Engine::listen()
{
    m_listen = std::make_unique<NotificationListener>(
        m_config.database(), QStringList{u"salesbot_outbox"_s, u"salesbot_catalog"_s}, u"engine-listen"_s);
    connect(m_listen.get(), &NotificationListener::notified, this, [this](const QString& channel) {
        if (channel == "salesbot_outbox"_L1 && m_sender)
            m_sender->pollDue();
        else if (channel == "salesbot_catalog"_L1)
            reloadCatalog();
    });
    // Notifications sent while the connection was down are lost: catch up on both.
    connect(m_listen.get(), &NotificationListener::resubscribed, this, [this] {
        reloadCatalog();
        if (m_sender)
            m_sender->pollDue();
    });
    m_listen->start(m_options.catalogPollMs);
}

void Engine::reloadCatalog()
{
    m_main->post([this](DbConnection& db) {
        auto packages = PackageRepository(db).list();
        if (!packages) {
            qCWarning(lcEngine).noquote() << packages.error().message();
            return;
        }
        m_catalog.replace(*packages);
    });
}

void Engine::heartbeat()
{
    const EngineInstance me{m_instanceId,
                            QHostInfo::localHostName(),
                            QCoreApplication::applicationPid(),
                            m_mode,
                            QStringLiteral(SALESBOT_VERSION),
                            {},
                            {},
                            0};
    m_main->post([me](DbConnection& db) {
        if (auto beat = EngineInstanceRepository(db).heartbeat(me); !beat)
            qCWarning(lcEngine).noquote() << beat.error().message();
    });
}

void Engine::maintain()
{
    if (!m_running || m_stopping)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_main->post([before = now.addSecs(-48 * 3600)](DbConnection& db) {
        if (auto pruned = ProcessedUpdateRepository(db).prune(before); !pruned)
            qCWarning(lcEngine).noquote() << pruned.error().message();
    });
    if (m_options.outboxKeepDays > 0 && !m_pruningOutbox) { // one run at a time, however long it takes
        m_pruningOutbox = true;
        OutboxPruning run;
        run.before = now.addDays(-m_options.outboxKeepDays);
        pruneOutbox(run, 0);
    }
}

void Engine::pruneOutbox(OutboxPruning run, qint64 deleted)
{
    // 2,000 rows took about 6 ms of the main connection on the 2-core test machine (PostgreSQL, 55,000 rows,
    // cached), and a run's first statement 0.15 s to walk 36,000 old rows once: the sender's claims and
    // marks, on the same connection, go between the batches.
    constexpr int Batch = 5000;
    m_main->post([this, run, deleted](DbConnection& db) mutable {
        auto pruned = OutboxRepository(db).pruneSent(run, Batch);
        QMetaObject::invokeMethod(
            this,
            [this, run, deleted, pruned = std::move(pruned)] {
                if (!pruned) {
                    m_pruningOutbox = false;
                    qCWarning(lcEngine).noquote() << pruned.error().message();
                    return;
                }
                const qint64 total = deleted + *pruned;
                if (*pruned == Batch && m_running && !m_stopping) {
                    pruneOutbox(run, total);
                    return;
                }
                m_pruningOutbox = false;
                if (total > 0)
                    qCInfo(lcEngine).noquote()
                        << u"deleted %1 sent messages queued before %2 (OUTBOX_KEEP_DAYS=%3)"_s.arg(total)
                               .arg(run.before.toString(Qt::ISODate))
                               .arg(m_options.outboxKeepDays);
            },
            Qt::QueuedConnection);
    });
}

Engine::Shard& Engine::shardFor(qint64 key)
{
    return *m_shards[std::size_t(quint64(key) % quint64(m_shards.size()))];
}

qint64 Engine::safeOffset() const
{
    return m_inFlight.empty() ? m_nextOffset : *m_inFlight.begin();
}

int Engine::dispatch(const QList<RawUpdate>& batch)
{
    // Forget what Telegram can no longer send: everything below the offset we are about to confirm.
    const qint64 confirmed = m_poller ? m_poller->offset() : 0;
    m_completed.erase(m_completed.begin(), m_completed.lower_bound(confirmed));
    int fresh = 0;
    for (const RawUpdate& update : batch) {
        const qint64 id = update.id;
        if (id < 0 || m_inFlight.count(id) || m_completed.count(id) || id < confirmed)
            continue; // still being processed, or done: Telegram sent it again because we had not confirmed
                      // yet
        ++fresh;
        m_nextOffset = std::max(m_nextOffset, id + 1);
        m_inFlight.insert(id);
        auto parsed = UpdateParser::parse(update.json);
        if (!parsed) {
            qCWarning(lcUpdates).noquote() << "skipping update" << id << ":" << parsed.error();
            IncomingEvent placeholder;
            placeholder.updateId = id;
            post(placeholder, id, false);
            continue;
        }
        post(*parsed, id, true);
    }
    if (m_poller)
        m_poller->setHeld(int(m_inFlight.size()) >= m_maxInFlight);
    return fresh;
}

void Engine::post(const IncomingEvent& event, qint64 updateId, bool parsed)
{
    // By chat, so a chat's updates keep their order; an update that could not be parsed has no chat.
    Shard& shard = shardFor(parsed ? event.chatId : updateId);
    bool schedule = false;
    {
        const std::lock_guard lock(shard.mutex);
        shard.jobs.push_back({event, updateId, parsed});
        schedule = !std::exchange(shard.draining, true);
    }
    if (schedule)
        shard.worker->post([this, &shard](DbConnection& db) { drain(shard, db); });
}

QList<Engine::Job> Engine::takeGroup(Shard& shard)
{
    QList<Job> group;
    const std::lock_guard lock(shard.mutex);
    if (shard.jobs.empty()) {
        shard.draining = false;
        return group;
    }
    group << std::move(shard.jobs.front());
    shard.jobs.pop_front();
    if (!group.constFirst().parsed)
        return group;
    // From the front only, stopping at the first update that cannot join: a chat's (or a sender's) next
    // update needs what the previous one leaves, so it waits for the next group and nothing is reordered.
    while (!shard.jobs.empty() && group.size() < m_options.groupSize) {
        const Job& next = shard.jobs.front();
        const bool joins = next.parsed && std::none_of(group.cbegin(), group.cend(), [&next](const Job& j) {
                               return j.event.chatId == next.event.chatId ||
                                      j.event.from.telegramId == next.event.from.telegramId;
                           });
        if (!joins)
            break;
        group << std::move(shard.jobs.front());
        shard.jobs.pop_front();
    }
    return group;
}

void Engine::drain(Shard& shard, DbConnection& db)
{
    UpdateProcessor processor(db, *m_dialog, m_catalog, m_options.leaseMs);
    // A transient failure is retried right here, so the chat's later updates (queued behind it) wait; only
    // stopping ends the retries.
    const auto giveUp = [this] {
        return m_giveUpRetries.load(std::memory_order_relaxed);
    };
    for (QList<Job> group = takeGroup(shard); !group.isEmpty(); group = takeGroup(shard)) {
        QElapsedTimer timer;
        timer.start();
        // One queued call per batch of outcomes (a whole group at once, when it commits): the engine's thread
        // is woken once, not once per update.
        const auto report = [&](QList<std::pair<qsizetype, ProcessOutcome>> outcomes) {
            QList<std::pair<ProcessOutcome, Job>> done;
            done.reserve(outcomes.size());
            for (auto& [i, outcome] : outcomes) {
                const Job& job = group.at(i);
                if (job.parsed && outcome.kind == ProcessOutcome::Kind::Failed && !outcome.transient)
                    outcome = processor.apologize(job.event, std::move(outcome));
                if (lcUpdates().isDebugEnabled())
                    qCDebug(lcUpdates) << "update" << job.updateId << "chat" << job.event.chatId << "done in"
                                       << timer.nsecsElapsed() / 1000 << "us, in a group of" << group.size();
                done.append({std::move(outcome), job});
            }
            QMetaObject::invokeMethod(
                this,
                [this, done = std::move(done)] {
                    for (const auto& [outcome, job] : done)
                        onProcessed(outcome, job.event, job.parsed);
                },
                Qt::QueuedConnection);
        };
        if (!group.constFirst().parsed) {
            report({{0, processor.skip(group.constFirst().updateId, giveUp)}});
            continue;
        }
        // The users' rows are locked in one order by every group: two groups cannot wait for each other.
        std::sort(group.begin(), group.end(), [](const Job& a, const Job& b) {
            return a.event.from.telegramId < b.event.from.telegramId;
        });
        QList<IncomingEvent> events;
        events.reserve(group.size());
        for (const Job& job : std::as_const(group))
            events << job.event;
        processor.processTogether(events, giveUp, report);
    }
}

void Engine::onProcessed(const ProcessOutcome& outcome, const IncomingEvent& event, bool parsed)
{
    switch (outcome.kind) {
    case ProcessOutcome::Kind::Processed:
        ++m_stats.updates;
        if (!parsed)
            ++m_stats.skipped;
        if (outcome.applicationCreated) {
            ++m_stats.applications;
            qCInfo(lcEngine) << "application" << outcome.applicationNumber << "created by user"
                             << event.from.telegramId;
        }
        if (m_sender && !outcome.messages.isEmpty())
            m_sender->submit(outcome.messages);
        break;
    case ProcessOutcome::Kind::Duplicate:
        ++m_stats.duplicates;
        break;
    case ProcessOutcome::Kind::Failed:
        ++m_stats.failed;
        if (!outcome.transient) {
            // A bug or a broken row: retrying cannot help and must not hold the chat up. Skipped; the user
            // got an apology (and the button its answer) unless even recording that failed.
            qCCritical(lcEngine).noquote()
                << "update" << outcome.updateId << "failed and is skipped:" << outcome.error
                << (outcome.messages.isEmpty() ? "(the user could not be told)" : "(the user was told)");
            if (m_sender && !outcome.messages.isEmpty())
                m_sender->submit(outcome.messages);
            break;
        }
        // Transient failures come back only when stopping: no poll confirms past this update any more, so
        // Telegram delivers it again after the restart.
        qCWarning(lcEngine).noquote()
            << "update" << outcome.updateId << "left for after the restart:" << outcome.error;
        m_inFlight.erase(outcome.updateId);
        if (m_stopping && m_inFlight.empty())
            finishStop();
        return;
    }
    m_inFlight.erase(outcome.updateId);
    m_completed.insert(outcome.updateId);
    if (m_stopping) {
        if (m_inFlight.empty())
            finishStop();
        return;
    }
    if (m_poller) {
        m_poller->setHeld(int(m_inFlight.size()) >= m_maxInFlight);
        m_poller->resume();
    }
}

void Engine::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_giveUpRetries = true;
    m_lockCheck.stop();
    qCInfo(lcEngine) << "stopping: finishing" << m_inFlight.size() << "updates in flight";
    if (m_poller)
        m_poller->stop();
    m_outboxPoll.stop();
    m_catalogPoll.stop();
    m_heartbeat.stop();
    m_maintenance.stop();
    if (!m_running || m_inFlight.empty())
        finishStop();
}

void Engine::finishStop()
{
    if (!m_running) {
        // A standby (or an engine that never got going): nothing to flush; its heartbeat row goes.
        if (!m_username.isEmpty()) {
            const QString id = m_instanceId;
            m_main->post([id](DbConnection& db) { (void)EngineInstanceRepository(db).remove(id); });
            m_main->stop(3000);
        }
        Q_EMIT stopped();
        return;
    }
    m_running = false;
    auto complete = [this] {
        if (m_sender)
            m_sender->flushMarks();
        const QString id = m_instanceId;
        m_main->post([id](DbConnection& db) { (void)EngineInstanceRepository(db).remove(id); });
        for (auto& worker : m_workers)
            worker->stop(3000);
        m_main->stop(3000);
        if (m_lock)
            m_lock->stop(3000); // frees the lock: a standby may take over now
        qCInfo(lcEngine) << "stopped after" << m_stats.updates << "updates";
        Q_EMIT stopped();
    };
    auto confirmThenComplete = [this, complete] {
        // Tell Telegram what is committed, so the next start does not get it again.
        if (!m_poller || m_poller->offset() <= 0) {
            complete();
            return;
        }
        m_api->call(
            u"getUpdates"_s, {{u"offset"_s, m_poller->offset()}, {u"timeout"_s, 0}, {u"limit"_s, 1}}, this,
            [complete](const BotApiResult&) { complete(); }, 2000);
    };
    if (!m_sender || m_sender->isIdle()) {
        confirmThenComplete();
        return;
    }
    m_sender->stopClaiming();
    auto done = std::make_shared<bool>(false);
    auto once = [done, confirmThenComplete] {
        if (!*done) {
            *done = true;
            confirmThenComplete();
        }
    };
    connect(m_sender.get(), &OutboxSender::idle, this, once);
    QTimer::singleShot(5000, this, once); // what is still unsent stays in the outbox for the next start
}

} // namespace salesbot
