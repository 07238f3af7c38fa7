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
    void sigtermStopsCleanly();
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
    auto restarted = startEngine();
    QVERIFY(restarted->waitForStarted());
    // The update comes again and is a no-op; the committed replies go out once.
    QVERIFY(m_api->waitForSent(u, 4, 10'000));
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
