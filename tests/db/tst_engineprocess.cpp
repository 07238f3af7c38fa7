// The salesbot-engine binary as ops run it: killed with SIGKILL between commit and confirmation it loses
// nothing and duplicates nothing; SIGTERM stops it cleanly within 10 s; no BOT_TOKEN is one clear line.

#include "ApplicationRepository.h"
#include "FakeBotApi.h"
#include "OutboxRepository.h"
#include "TestDatabase.h"

#include <QProcess>
#include <QtTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

namespace {
const QString Token = u"123456:TEST-token"_s;
}

class TestEngineProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void killBetweenCommitAndConfirmationDuplicatesNothing();
    void secondEngineIsAHotStandby();
    void sigtermStopsCleanly();
    void sqliteLockLeftBehindIsNoObstacle();
    void missingTokenIsOneLine();

private:
    QProcessEnvironment environment(bool withToken = true) const;
    std::unique_ptr<QProcess> startEngine();
    int count(const QString& sql);

    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
    std::unique_ptr<FakeBotApi> m_api;
    QList<QProcess*> m_processes;
};

void TestEngineProcess::init()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("SALESBOT_ENGINE_BIN")), "SALESBOT_ENGINE_BIN is not set");
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
    m_api = std::make_unique<FakeBotApi>();
    m_api->setToken(Token);
    QVERIFY(m_api->listen());
}

void TestEngineProcess::cleanup()
{
    for (QProcess* p : std::as_const(m_processes)) {
        if (p->state() != QProcess::NotRunning) {
            p->kill();
            p->waitForFinished(5000);
        }
        delete p;
    }
    m_processes.clear();
    m_api.reset();
    m_db.reset();
    m_database.reset();
}

QProcessEnvironment TestEngineProcess::environment(bool withToken) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"DATABASE_URL"_s, m_database->settings().toUrl(true));
    if (withToken)
        env.insert(u"BOT_TOKEN"_s, Token);
    else
        env.remove(u"BOT_TOKEN"_s);
    env.insert(u"TELEGRAM_API_URL"_s, m_api->baseUrl().toString());
    env.insert(u"POLL_TIMEOUT"_s, u"2"_s);
    env.insert(u"OUTBOX_POLL_MS"_s, u"200"_s);
    env.insert(u"LOG_LEVEL"_s, u"debug"_s);
    return env;
}

std::unique_ptr<QProcess> TestEngineProcess::startEngine()
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(environment());
    process->setProcessChannelMode(QProcess::SeparateChannels);
    process->start(qEnvironmentVariable("SALESBOT_ENGINE_BIN"), {u"run"_s});
    return process;
}

int TestEngineProcess::count(const QString& sql)
{
    QSqlQuery& q = m_db->exec(sql, {}, u"count"_s);
    const int n = q.next() ? q.value(0).toInt() : -1;
    q.finish();
    return n;
}

void TestEngineProcess::killBetweenCommitAndConfirmationDuplicatesNothing()
{
    auto engine = startEngine();
    QVERIFY(engine->waitForStarted());
    const qint64 u = 7001;
    m_api->pushCallback(u, 0, u"a:basic"_s);
    QVERIFY(m_api->waitForSent(u, 1, 10'000));
    m_api->pushText(u, u"Дмитрий"_s);
    QVERIFY(m_api->waitForSent(u, 2, 5000));
    QTRY_VERIFY_WITH_TIMEOUT(m_api->isPollHeld(), 5000);

    // From now on Telegram takes nothing: replies and the next getUpdates (which would confirm the
    // offset) are dropped unanswered, as when the process dies mid-flight.
    m_api->dropNext(u"sendMessage"_s, 1000);
    m_api->dropNext(u"getUpdates"_s, 1000);
    const int sendsBefore = m_api->requestCount(u"sendMessage"_s);
    const qint64 phoneUpdate = m_api->pushText(u, u"+79161230000"_s);
    QVERIFY(m_api->waitForRequests(u"sendMessage"_s, sendsBefore + 1, 10'000));
    ::kill(pid_t(engine->processId()), SIGKILL);
    QVERIFY(engine->waitForFinished(5000));
    QCOMPARE(engine->exitStatus(), QProcess::CrashExit);

    // Committed: the application exists and the replies wait in the outbox; the update is not confirmed.
    QCOMPARE(count(u"SELECT COUNT(*) FROM applications"_s), 1);
    QVERIFY(count(u"SELECT COUNT(*) FROM outbox WHERE status = 'sending'"_s) >= 2);
    QVERIFY(m_api->pendingUpdateCount() >= 1);
    QCOMPARE(m_api->sentCount(u), 2);

    m_api->clearFaults();
    QElapsedTimer resend;
    resend.start();
    auto restarted = startEngine();
    QVERIFY(restarted->waitForStarted());
    // The update comes again and is a no-op; the committed replies go out once, as soon as the new process
    // is up (their 120 s lease is released at start-up, the dead engine holding no lock any more).
    QVERIFY(m_api->waitForSent(u, 4, 5000));
    qInfo("replies of the killed engine resent %lld ms after the restart", qint64(resend.elapsed()));
    QTRY_VERIFY_WITH_TIMEOUT(m_api->confirmedOffset() > phoneUpdate, 10'000);
    QTest::qWait(1000);
    QCOMPARE(count(u"SELECT COUNT(*) FROM applications"_s), 1);
    QCOMPARE(m_api->sentCount(u), 4); // name prompt, phone prompt, thanks, main menu: no repeats
    QVERIFY(m_api->sent(u).at(2).text.startsWith(u"Спасибо, Дмитрий! Ваша заявка №"_s));
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"_s), 0);
    restarted->terminate();
    QVERIFY(restarted->waitForFinished(10'000));
    m_processes << restarted.release() << engine.release();
}

void TestEngineProcess::secondEngineIsAHotStandby()
{
    // PostgreSQL: an advisory lock held by a session of the active engine; SQLite: a lock file beside the
    // database, stale once its process is gone.
    auto a = startEngine();
    QVERIFY(a->waitForStarted());
    m_api->pushCommand(7201, u"/start"_s);
    QVERIFY(m_api->waitForSent(7201, 1, 10'000));

    // A reply the active engine has claimed and is about to send: the standby must leave it alone.
    QList<OutboxMessage> inFlight{OutboxMessage{}};
    inFlight[0].chatId = 7299;
    inFlight[0].method = u"sendMessage"_s;
    inFlight[0].payload = {{u"chat_id"_s, 7299}, {u"text"_s, u"in flight at A"_s}};
    QVERIFY(OutboxRepository(*m_db).enqueueClaimed(inFlight, 120'000));

    auto b = startEngine();
    QVERIFY(b->waitForStarted());
    QString bLog;
    QTRY_VERIFY_WITH_TIMEOUT(
        (bLog += QString::fromUtf8(b->readAllStandardError()))
            .contains(u"another engine is active on this database; waiting as a hot standby"_s),
        10'000);
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM engine_instances WHERE mode = 'standby'"_s), 1,
                              5000);
    QCOMPARE(count(u"SELECT COUNT(*) FROM engine_instances WHERE mode = 'polling'"_s), 1);

    // A serves; B neither polls nor sends (a second poller would draw 409s), nor releases A's lease.
    m_api->pushCommand(7202, u"/start"_s);
    QVERIFY(m_api->waitForSent(7202, 1, 5000));
    QTest::qWait(2500); // more than one lock retry of B
    bLog += QString::fromUtf8(b->readAllStandardError());
    QVERIFY2(!bLog.contains(u"409"_s) && !bLog.contains(u"done in"_s), qPrintable(bLog.right(2000)));
    QVERIFY2(!bLog.contains(u"due again"_s), qPrintable(bLog.right(2000)));
    QCOMPARE(m_api->sentCount(7299), 0);
    QCOMPARE(count(u"SELECT COUNT(*) FROM outbox WHERE chat_id = 7299 AND status = 'sending'"_s), 1);

    // A dies; its session closes and frees the lock; B takes over and serves the next user.
    ::kill(pid_t(a->processId()), SIGKILL);
    QVERIFY(a->waitForFinished(5000));
    QElapsedTimer takeover;
    takeover.start();
    m_api->pushCommand(7203, u"/start"_s);
    QVERIFY(m_api->waitForSent(7203, 1, 10'000));
    qInfo("the standby answered %lld ms after the active engine was killed", qint64(takeover.elapsed()));
    QVERIFY(m_api->waitForSent(7299, 1, 5000)); // A's unsent reply, once
    QTRY_COMPARE_WITH_TIMEOUT(count(u"SELECT COUNT(*) FROM engine_instances WHERE id LIKE '%-"_s +
                                    QString::number(b->processId()) + u"-%' AND mode = 'polling'"_s),
                              1, 12'000);
    QTest::qWait(1000);
    QCOMPARE(m_api->sentCount(7201), 1);
    QCOMPARE(m_api->sentCount(7202), 1);
    QCOMPARE(m_api->sentCount(7203), 1);
    QCOMPARE(m_api->sentCount(7299), 1);
    bLog += QString::fromUtf8(b->readAllStandardError());
    QVERIFY2(bLog.contains(u"the active engine is gone: taking over"_s), qPrintable(bLog.right(2000)));
    b->terminate();
    QVERIFY(b->waitForFinished(10'000));
    QCOMPARE(b->exitCode(), 0);
    m_processes << a.release() << b.release();
}

void TestEngineProcess::sigtermStopsCleanly()
{
    auto engine = startEngine();
    QVERIFY(engine->waitForStarted());
    m_api->pushCommand(7002, u"/start"_s);
    QVERIFY(m_api->waitForSent(7002, 1, 10'000));
    for (int i = 0; i < 10; ++i)
        m_api->pushCommand(7100 + i, u"/start"_s);
    QElapsedTimer timer;
    timer.start();
    engine->terminate(); // SIGTERM
    QVERIFY(engine->waitForFinished(12'000));
    QVERIFY2(timer.elapsed() < 10'000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(engine->exitStatus(), QProcess::NormalExit);
    QCOMPARE(engine->exitCode(), 0);
    const QString log = QString::fromUtf8(engine->readAllStandardError());
    QVERIFY2(log.contains(u"stopped after"_s), qPrintable(log.right(2000)));
    QVERIFY(!log.contains(Token));
    QVERIFY(!log.contains(Token.section(u':', 1)));
    QCOMPARE(count(u"SELECT COUNT(*) FROM engine_instances"_s), 0);
    m_processes << engine.release();
}

void TestEngineProcess::sqliteLockLeftBehindIsNoObstacle()
{
    if (TestDatabase::backend() != Dialect::Sqlite)
        QSKIP("the lock file is SQLite's; PostgreSQL engines hold an advisory lock "
              "(secondEngineIsAHotStandby)");
    const QString lockPath =
        QFileInfo(m_database->settings().sqlitePath).canonicalFilePath() + u".engine-lock"_s;
    // What a crashed engine in a container leaves: a lock file naming PID 1, which is alive (and, restarted
    // in the same container, would be the new engine itself). Only a held kernel lock keeps an engine out.
    {
        QFile stale(lockPath);
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write("1\n");
    }
    auto engine = startEngine();
    QVERIFY(engine->waitForStarted());
    m_api->pushCommand(7401, u"/start"_s);
    QVERIFY(m_api->waitForSent(7401, 1, 10'000));
    engine->terminate();
    QVERIFY(engine->waitForFinished(10'000));
    QCOMPARE(engine->exitCode(), 0);
    const QString log = QString::fromUtf8(engine->readAllStandardError());
    QVERIFY2(!log.contains(u"standby"_s), qPrintable(log.right(2000)));
    m_processes << engine.release();

    // A lock that cannot be created is no other engine: it stops with the reason instead of waiting forever.
    QVERIFY(QFile::remove(lockPath));
    QVERIFY(QDir().mkdir(lockPath));
    QProcess blocked;
    blocked.setProcessEnvironment(environment());
    blocked.start(qEnvironmentVariable("SALESBOT_ENGINE_BIN"), {u"run"_s});
    // Not waitForFinished(): the emulator answering its getMe runs in this event loop.
    QTRY_VERIFY_WITH_TIMEOUT(blocked.state() == QProcess::NotRunning, 15'000);
    QCOMPARE(blocked.exitCode(), 4);
    const QString err = QString::fromUtf8(blocked.readAllStandardError());
    QVERIFY2(err.contains(u"cannot open the lock file "_s + lockPath), qPrintable(err.right(2000)));
    QVERIFY(QDir().rmdir(lockPath));
}

void TestEngineProcess::missingTokenIsOneLine()
{
    QProcess engine;
    engine.setProcessEnvironment(environment(false));
    engine.start(qEnvironmentVariable("SALESBOT_ENGINE_BIN"), {});
    QVERIFY(engine.waitForFinished(15'000));
    QCOMPARE(engine.exitCode(), 3);
    const QString err = QString::fromUtf8(engine.readAllStandardError()).trimmed();
    QVERIFY2(err.contains(u"BOT_TOKEN"_s), qPrintable(err));
    QVERIFY2(!err.contains(u'\n'), qPrintable(err));
    QVERIFY(err.contains(u"shell"_s));
}

QTEST_GUILESS_MAIN(TestEngineProcess)
#include "tst_engineprocess.moc"
