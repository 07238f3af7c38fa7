// salesbot-engine's command line: help, version, usage errors, configuration errors and the database
// commands against the real backend, with exit codes as documented.

#include "ApplicationRepository.h"
#include "EngineCli.h"
#include "FakeBotApi.h"
#include "Fixtures.h"
#include "MetricsRepository.h"
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
    void applicationsList();
    void applicationsExport();
    void activityReport();

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
    QTest::newRow("bad status") << QStringList{u"applications"_s, u"--status"_s, u"new,open"_s};
    QTest::newRow("bad format") << QStringList{u"applications"_s, u"--format"_s, u"xml"_s};
    QTest::newRow("bad limit") << QStringList{u"applications"_s, u"--limit"_s, u"-5"_s};
    QTest::newRow("activity days") << QStringList{u"activity"_s, u"--days"_s, u"x"_s};
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

namespace {

// Text a chat could send: SQL, an escape sequence that would recolour the terminal, a right-to-left override.
const QString Hostile = u"Robert'); DROP TABLE applications;-- \x1b[31m\u202Eevil"_s;

QJsonArray numbersOf(const QJsonArray& rows)
{
    QJsonArray numbers;
    for (const QJsonValue& row : rows)
        numbers.append(row[u"number"_s]);
    return numbers;
}

} // namespace

void TestEngineCli::applicationsList()
{
    QCOMPARE(run({u"migrate"_s}, databaseEnv()), 0);
    auto db = m_database->connectMigrated();
    const Application old = makeApplication(*db, 101, u"basic"_s, u"Анна"_s, u"+79161234567"_s);
    setCreatedAt(*db, old.id, QDateTime::currentDateTimeUtc().addDays(-10));
    const Application hostile = makeApplication(*db, 102, u"premium"_s, Hostile, u"+79161234568"_s);
    Application done = makeApplication(*db, 103, u"advanced"_s, u"Борис"_s, u"+79161234569"_s);
    auto changed =
        ApplicationRepository(*db).changeStatus(done.id, done.version, ApplicationStatus::Done, u"t"_s);
    QVERIFY(changed);

    QCOMPARE(run({u"applications"_s, u"--format"_s, u"json"_s}, databaseEnv()), 0);
    QJsonParseError error;
    const QJsonArray all = QJsonDocument::fromJson(m_out.toUtf8(), &error).array();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(m_out));
    QCOMPARE(numbersOf(all), (QJsonArray{done.number, hostile.number, old.number}));
    QCOMPARE(all[0][u"status"_s].toString(), u"done"_s);
    QCOMPARE(all[1][u"name"_s].toString(), Hostile); // JSON carries the text exactly
    QCOMPARE(all[1][u"package"_s].toString(), u"premium"_s);
    QCOMPARE(all[2][u"phone"_s].toString(), u"+79161234567"_s);

    const auto numbers = [this](const QStringList& args) {
        if (run(QStringList{u"applications"_s, u"--format"_s, u"json"_s} + args, databaseEnv()) != 0)
            return QJsonArray{u"failed: "_s + m_err};
        return numbersOf(QJsonDocument::fromJson(m_out.toUtf8()).array());
    };
    QCOMPARE(numbers({u"--status"_s, u"new,in_progress"_s}), (QJsonArray{hostile.number, old.number}));
    QCOMPARE(numbers({u"--status"_s, u"done"_s}), (QJsonArray{done.number}));
    QCOMPARE(numbers({u"--days"_s, u"3"_s}), (QJsonArray{done.number, hostile.number}));
    QCOMPARE(numbers({u"--package"_s, u"basic,premium"_s}), (QJsonArray{hostile.number, old.number}));
    QCOMPARE(numbers({u"--search"_s, u"борис"_s}), (QJsonArray{done.number}));
    QCOMPARE(numbers({u"--search"_s, u"'); DROP"_s}), (QJsonArray{hostile.number}));
    QCOMPARE(numbers({u"--limit"_s, u"1"_s}), (QJsonArray{done.number}));
    QCOMPARE(numbers({u"--search"_s, u"nobody"_s}), QJsonArray());

    // The table: control and format characters never reach the terminal.
    QCOMPARE(run({u"applications"_s}, databaseEnv()), 0);
    QVERIFY2(m_out.contains(u"Robert'); DROP"_s), qPrintable(m_out));
    QVERIFY(!m_out.contains(QChar(0x1b)));
    QVERIFY(!m_out.contains(QChar(0x202e)));
    QCOMPARE(m_out.count(u'\n'), 5); // header, three rows, the count
    QCOMPARE(run({u"applications"_s, u"--limit"_s, u"2"_s}, databaseEnv()), 0);
    QVERIFY2(m_out.contains(u"2 of 3 shown"_s), qPrintable(m_out));
}

void TestEngineCli::applicationsExport()
{
    QCOMPARE(run({u"migrate"_s}, databaseEnv()), 0);
    auto db = m_database->connectMigrated();
    // More than one page of the repository's walk, so the paging is exercised.
    for (int i = 0; i < 1205; ++i)
        makeApplication(*db, 5000 + i, u"basic"_s, i == 7 ? Hostile + u"\n=2+2"_s : u"Клиент %1"_s.arg(i));
    QCOMPARE(run({u"applications"_s, u"--format"_s, u"csv"_s}, databaseEnv()), 0);
    QVERIFY(!m_out.startsWith(QChar(0xfeff))); // no BOM on a stream for other tools
    QCOMPARE(m_out.count(u"\r\n"_s), 1206);    // header + every row (the hostile name's \n is quoted)
    QVERIFY(m_out.startsWith(u"number,created_at,status,package,name,phone,"_s));
    QVERIFY2(m_out.contains(u",\"Robert'); DROP TABLE applications;-- \x1b[31m\u202Eevil\n=2+2\","_s),
             qPrintable(m_out.left(400)));
    QCOMPARE(run({u"applications"_s, u"--format"_s, u"json"_s, u"--status"_s, u"new"_s}, databaseEnv()), 0);
    QCOMPARE(QJsonDocument::fromJson(m_out.toUtf8()).array().size(), 1205);
}

void TestEngineCli::activityReport()
{
    QCOMPARE(run({u"migrate"_s}, databaseEnv()), 0);
    auto db = m_database->connectMigrated();
    for (qint64 id : {301, 302, 303})
        makeUser(*db, id);
    MetricsRepository metrics(*db);
    QVERIFY(metrics.record(301, u"package_view"_s, u"basic"_s));
    QVERIFY(metrics.record(301, u"apply_start"_s, u"basic"_s));
    QVERIFY(metrics.record(301, u"application_created"_s, u"basic"_s));
    QVERIFY(metrics.record(302, u"package_view"_s, u"premium"_s));
    QCOMPARE(run({u"activity"_s, u"--days"_s, u"2"_s}, databaseEnv()), 0);
    const QString today = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
    const QString yesterday = QDateTime::currentDateTimeUtc().date().addDays(-1).toString(Qt::ISODate);
    static const QRegularExpression spaces(u"\\s+"_s);
    QString flat = m_out;
    flat.replace(spaces, u" "_s);
    QVERIFY2(flat.contains(u"%1 2 "_s.arg(today)), qPrintable(m_out)); // 301 and 302 acted today
    QVERIFY2(flat.contains(u"%1 0 "_s.arg(yesterday)), qPrintable(m_out));
    QVERIFY2(flat.contains(u"came to the bot 3 "_s), qPrintable(m_out));
    QVERIFY2(flat.contains(u"viewed a package 2 66.7%"_s), qPrintable(m_out));
    QVERIFY2(flat.contains(u"started the form 1 33.3%"_s), qPrintable(m_out));
    QVERIFY2(flat.contains(u"filed an application 1 33.3%"_s), qPrintable(m_out));
}

QTEST_GUILESS_MAIN(TestEngineCli)
#include "tst_enginecli.moc"
