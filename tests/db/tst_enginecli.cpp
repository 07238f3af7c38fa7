// salesbot-engine's command line: help, version, usage errors, configuration errors and the database
// commands against the real backend, with exit codes as documented.

#include "EngineCli.h"
#include "FakeBotApi.h"
#include "Migrator.h"
#include "TestDatabase.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;
using salesbot::test::FakeBotApi;

class TestEngineCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void helpAndVersion();
    void usageErrors_data();
    void usageErrors();
    void badConfigurationStopsWithOneLine();
    void migrateTwice();
    void runWithoutTokenSaysHowToGetOne();
    void checkAndStats();
    void unreachableDatabase();
    void checkAsksTelegram();

private:
    int run(const QStringList& args, const QProcessEnvironment& env);
    QProcessEnvironment databaseEnv() const;

    std::unique_ptr<TestDatabase> m_database;
    QString m_out;
    QString m_err;
};

void TestEngineCli::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
}

void TestEngineCli::cleanup()
{
    m_database.reset();
}

int TestEngineCli::run(const QStringList& args, const QProcessEnvironment& env)
{
    m_out.clear();
    m_err.clear();
    QTextStream out(&m_out);
    QTextStream err(&m_err);
    EngineCli cli(env, out, err);
    const int rc = cli.run(QStringList{u"salesbot-engine"_s} + args);
    out.flush();
    err.flush();
    return rc;
}

QProcessEnvironment TestEngineCli::databaseEnv() const
{
    QProcessEnvironment env;
    env.insert(u"DATABASE_URL"_s, m_database->settings().toUrl(true));
    return env;
}

void TestEngineCli::helpAndVersion()
{
    QCOMPARE(run({u"--help"_s}, {}), 0);
    QVERIFY(m_out.contains(u"migrate"_s));
    QVERIFY(m_out.contains(u"DATABASE_URL"_s));
    QCOMPARE(run({u"--version"_s}, {}), 0);
    QVERIFY(m_out.startsWith(u"salesbot-engine "_s));
    QVERIFY(m_out.contains(QStringLiteral(SALESBOT_VERSION)));
}

void TestEngineCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("unknown command") << QStringList{u"frobnicate"_s};
    QTest::newRow("two commands") << QStringList{u"migrate"_s, u"check"_s};
    QTest::newRow("unknown option") << QStringList{u"--frob"_s};
    QTest::newRow("bad days") << QStringList{u"stats"_s, u"--days"_s, u"many"_s};
    QTest::newRow("zero days") << QStringList{u"stats"_s, u"--days"_s, u"0"_s};
}

void TestEngineCli::usageErrors()
{
    QFETCH(QStringList, args);
    QCOMPARE(run(args, databaseEnv()), int(EngineCli::Usage));
    QVERIFY(m_err.startsWith(u"salesbot-engine: "_s));
    QCOMPARE(m_err.count(u'\n'), 1);
}

void TestEngineCli::badConfigurationStopsWithOneLine()
{
    QProcessEnvironment env;
    env.insert(u"DATABASE_URL"_s, u"postgres://user:Secr3t-pw@db.example.com:notaport/app"_s);
    QCOMPARE(run({u"migrate"_s}, env), int(EngineCli::Configuration));
    QVERIFY2(m_err.contains(u"DATABASE_URL"_s), qPrintable(m_err));
    QVERIFY2(!m_err.contains(u"Secr3t-pw"_s), qPrintable(m_err));
    QCOMPARE(m_err.count(u'\n'), 1);
    env = databaseEnv();
    env.insert(u"LOG_LEVEL"_s, u"loud"_s);
    QCOMPARE(run({}, env), int(EngineCli::Configuration));
    QVERIFY2(m_err.contains(u"LOG_LEVEL"_s), qPrintable(m_err));
}

void TestEngineCli::migrateTwice()
{
    QCOMPARE(run({u"migrate"_s}, databaseEnv()), 0);
    QVERIFY2(m_out.contains(u"from version 0 to %1"_s.arg(Migrator::expectedVersion())), qPrintable(m_out));
    QCOMPARE(run({u"migrate"_s}, databaseEnv()), 0);
    QVERIFY2(m_out.contains(u"up to date"_s), qPrintable(m_out));
    const QString password = m_database->settings().password;
    if (!password.isEmpty())
        QVERIFY(!m_out.contains(password));
}

void TestEngineCli::runWithoutTokenSaysHowToGetOne()
{
    QCOMPARE(run({}, databaseEnv()), int(EngineCli::Configuration));
    QVERIFY2(m_err.contains(u"BOT_TOKEN is not set"_s), qPrintable(m_err));
    QVERIFY(m_err.contains(u"@BotFather"_s));
    QCOMPARE(m_err.count(u'\n'), 1);
    // It migrated first, so the database is ready for the bot.
    QCOMPARE(run({u"check"_s}, databaseEnv()), 0);
}

void TestEngineCli::checkAndStats()
{
    QCOMPARE(run({u"check"_s}, databaseEnv()), int(EngineCli::Failure)); // schema missing
    QVERIFY2(m_out.contains(u"run salesbot-engine migrate"_s), qPrintable(m_out));
    QCOMPARE(run({u"migrate"_s}, databaseEnv()), 0);
    QCOMPARE(run({u"check"_s}, databaseEnv()), 0);
    QVERIFY(m_out.contains(u"as this build expects"_s));
    QCOMPARE(run({u"stats"_s, u"--days"_s, u"3"_s}, databaseEnv()), 0);
    QVERIFY(m_out.contains(u"Базовый"_s));
    QVERIFY(m_out.contains(QDate::currentDate().toString(Qt::ISODate)) ||
            m_out.contains(QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate)));
}

void TestEngineCli::unreachableDatabase()
{
    QProcessEnvironment env;
    env.insert(u"DATABASE_URL"_s, u"postgres://salesbot:Hidden-pw1@127.0.0.1:1/salesbot?connect_timeout=3"_s);
    QCOMPARE(run({u"check"_s}, env), int(EngineCli::DatabaseUnreachable));
    QVERIFY(!m_err.contains(u"Hidden-pw1"_s));
    QVERIFY(m_err.contains(u"cannot open the database"_s));
}

void TestEngineCli::checkAsksTelegram()
{
    FakeBotApi api;
    QVERIFY(api.listen());
    api.setToken(u"123456:TEST-token"_s);
    QCOMPARE(run({u"migrate"_s}, databaseEnv()), 0);
    QProcessEnvironment env = databaseEnv();
    env.insert(u"TELEGRAM_API_URL"_s, api.baseUrl().toString());
    env.insert(u"BOT_TOKEN"_s, u"123456:TEST-token"_s);
    QCOMPARE(run({u"check"_s}, env), 0);
    QVERIFY2(m_out.contains(u"@salesbot_test_bot"_s), qPrintable(m_out));
    env.insert(u"BOT_TOKEN"_s, u"123456:WRONG-token"_s);
    QCOMPARE(run({u"check"_s}, env), int(EngineCli::TelegramUnreachable));
    QVERIFY(!m_out.contains(u"WRONG-token"_s));
    QVERIFY(m_out.contains(u"unauthorized"_s, Qt::CaseInsensitive));
}

QTEST_GUILESS_MAIN(TestEngineCli)
#include "tst_enginecli.moc"
