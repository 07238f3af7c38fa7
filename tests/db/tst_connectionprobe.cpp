// ConnectionProbe: a full report on a good database, and every failure class that loopback can produce, on
// the backend of this run (PostgreSQL-only failures are skipped on SQLite with the reason).

#include "ConnectionProbe.h"
#include "DbConnection.h"
#include "EngineInstanceRepository.h"
#include "Fixtures.h"
#include "Migrator.h"
#include "TestDatabase.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using salesbot::test::TestDatabase;

namespace {

std::unique_ptr<TestDatabase> freshDatabase()
{
    auto created = TestDatabase::create();
    if (!created) {
        qWarning("%s", qPrintable(created.error()));
        return nullptr;
    }
    return std::move(created).value();
}

// Runs the probe on a thread of its own, as the console does.
ConnectionReport probeOnThread(const ConnectionSettings& settings, int timeoutSeconds)
{
    ConnectionReport report;
    std::unique_ptr<QThread> thread(QThread::create(
        [&report, settings, timeoutSeconds] { report = ConnectionProbe::run(settings, timeoutSeconds); }));
    thread->start();
    thread->wait();
    return report;
}

QByteArray describe(const ConnectionReport& report)
{
    return (ConnectionProbe::failureName(report.failure) + u": "_s + report.message + u" | "_s +
            report.detail)
        .toUtf8();
}

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

class TestConnectionProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void classifiesDriverTexts_data();
    void classifiesDriverTexts();
    void goodReport();
    void engineHeartbeat();
    void schemaOlder_data();
    void schemaOlder();
    void schemaNewer();
    void sqliteFileMissingIsNotCreated();
    void hostNotFound();
    void connectionRefused();
    void timeout();
    void wrongPassword();
    void noPasswordSupplied();
    void databaseMissing();
    void sslRequiredButUnsupported();
    void messagesNeverCarryThePassword();

private:
    bool requirePostgres();
    std::unique_ptr<TestDatabase> m_db; // migrated, shared by the failure tests that need a server
};

void TestConnectionProbe::initTestCase()
{
    // The probe must judge the settings it is given, not a password or SSL mode from the environment.
    qunsetenv("PGPASSWORD");
    qunsetenv("PGSSLMODE");
    qputenv("PGPASSFILE", "/nonexistent/salesbot-test-pgpass");
    m_db = freshDatabase();
    QVERIFY(m_db);
    QVERIFY(m_db->connectMigrated());
}

bool TestConnectionProbe::requirePostgres()
{
    return TestDatabase::backend() == Dialect::PostgreSql;
}

void TestConnectionProbe::classifiesDriverTexts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("sslMode");
    QTest::addColumn<ConnectionFailure>("expected");
    QTest::newRow("host")
        << u"could not translate host name \"db.invalid\" to address: Name or service not known"_s
        << QString() << ConnectionFailure::HostNotFound;
    QTest::newRow("host ru")
        << u"преобразовать имя \"db.invalid\" в адрес не удалось: Неизвестное имя или служба"_s << QString()
        << ConnectionFailure::HostNotFound;
    QTest::newRow("refused")
        << u"connection to server at \"127.0.0.1\", port 1 failed: Connection refused Is the server running?"_s
        << QString() << ConnectionFailure::ConnectionRefused;
    QTest::newRow("refused ru")
        << u"подключиться к серверу \"127.0.0.1\", порту 1 не удалось: В соединении отказано"_s << QString()
        << ConnectionFailure::ConnectionRefused;
    QTest::newRow("timeout") << u"connection to server at \"10.0.0.1\", port 5432 failed: timeout expired"_s
                             << QString() << ConnectionFailure::Timeout;
    QTest::newRow("timeout ru") << u"подключиться к серверу \"10.0.0.1\", порту 5432 не удалось: тайм-аут"_s
                                << QString() << ConnectionFailure::Timeout;
    QTest::newRow("password") << u"FATAL:  password authentication failed for user \"bob\""_s << QString()
                              << ConnectionFailure::WrongPassword;
    QTest::newRow("password ru")
        << u"ВАЖНО:  пользователь \"bob\" не прошёл проверку подлинности (по паролю)"_s << QString()
        << ConnectionFailure::WrongPassword;
    QTest::newRow("no password") << u"fe_sendauth: no password supplied"_s << QString()
                                 << ConnectionFailure::WrongPassword;
    QTest::newRow("ipv6 refused, then password")
        << u"connection to server at \"localhost\" (::1), port 5432 failed: Connection refused "
           "connection to server at \"localhost\" (127.0.0.1), port 5432 failed: FATAL:  password "
           "authentication failed for user \"bob\""_s
        << QString() << ConnectionFailure::WrongPassword;
    QTest::newRow("database") << u"FATAL:  database \"shop\" does not exist"_s << QString()
                              << ConnectionFailure::DatabaseMissing;
    QTest::newRow("database ru") << u"ВАЖНО:  база данных \"shop\" не существует"_s << QString()
                                 << ConnectionFailure::DatabaseMissing;
    QTest::newRow("ssl unsupported") << u"server does not support SSL, but SSL was required"_s << u"require"_s
                                     << ConnectionFailure::SslRequired;
    QTest::newRow("ssl unsupported ru")
        << u"затребовано подключение через SSL, но сервер не поддерживает SSL"_s << u"require"_s
        << ConnectionFailure::SslRequired;
    QTest::newRow("hostssl only, ssl disabled")
        << u"FATAL:  no pg_hba.conf entry for host \"1.2.3.4\", user \"u\", database \"d\", no encryption"_s
        << u"disable"_s << ConnectionFailure::SslRequired;
    QTest::newRow("hostssl only, old server")
        << u"FATAL:  no pg_hba.conf entry for host \"1.2.3.4\", user \"u\", database \"d\", SSL off"_s
        << u"disable"_s << ConnectionFailure::SslRequired;
    // With SSL preferred libpq tried SSL first: the rule is missing, SSL would not help.
    QTest::newRow("no rule, ssl preferred")
        << u"FATAL:  no pg_hba.conf entry for host \"1.2.3.4\", user \"u\", database \"d\", no encryption"_s
        << u"prefer"_s << ConnectionFailure::Other;
    QTest::newRow("driver") << u"Driver not loaded"_s << QString() << ConnectionFailure::DriverMissing;
    QTest::newRow("other") << u"FATAL:  sorry, too many clients already"_s << QString()
                           << ConnectionFailure::Other;
    QTest::newRow("empty") << QString() << QString() << ConnectionFailure::Other;
}

void TestConnectionProbe::classifiesDriverTexts()
{
    QFETCH(QString, text);
    QFETCH(QString, sslMode);
    QFETCH(ConnectionFailure, expected);
    QCOMPARE(ConnectionProbe::failureName(ConnectionProbe::classify(text, sslMode)),
             ConnectionProbe::failureName(expected));
}

void TestConnectionProbe::goodReport()
{
    auto db = freshDatabase();
    QVERIFY(db);
    {
        auto connection = db->connectMigrated();
        QVERIFY(connection);
        try {
            test::makeApplication(*connection, 100);
            test::makeUser(*connection, 101);
            for (const char* action : {"start", "view_package", "start"}) {
                connection->exec(u"INSERT INTO bot_metrics (telegram_id, action) VALUES (?, ?)"_s,
                                 {101, QString::fromLatin1(action)}, u"seeding metrics"_s);
            }
            connection->exec(u"INSERT INTO outbox (chat_id, method, payload) VALUES (?, ?, {json})"_s,
                             {100, u"sendMessage"_s, u"{}"_s}, u"seeding the outbox"_s);
            connection->exec(
                u"INSERT INTO outbox (chat_id, method, payload, status) VALUES (?, ?, {json}, ?)"_s,
                {100, u"sendMessage"_s, u"{}"_s, u"sent"_s}, u"seeding the outbox"_s);
        } catch (const DbException& e) {
            QFAIL(e.what());
        }
    }

    ConnectionSettings settings = db->settings();
    const ConnectionReport report = probeOnThread(settings, 5);
    QVERIFY2(report.ok(), describe(report).constData());
    QVERIFY(report.message.isEmpty());
    QVERIFY(report.reachable);
    QVERIFY(report.authenticated);
    QVERIFY(report.settings.password.isEmpty());
    if (TestDatabase::backend() == Dialect::PostgreSql) {
        QVERIFY2(report.serverVersion.startsWith("PostgreSQL 1"_L1), qPrintable(report.serverVersion));
        QVERIFY(report.sslInUse.has_value());
        QCOMPARE(*report.sslInUse, false); // the sandbox server runs with ssl=off
    } else {
        QVERIFY2(report.serverVersion.startsWith("SQLite 3."_L1), qPrintable(report.serverVersion));
        QVERIFY(!report.sslInUse.has_value());
    }
    QVERIFY(report.roundTripMs >= 0);
    QVERIFY2(report.roundTripMs < 1000, qPrintable(QString::number(report.roundTripMs)));
    QCOMPARE(report.expectedSchemaVersion, Migrator::expectedVersion());
    QCOMPARE(report.schemaVersion, Migrator::expectedVersion());
    QCOMPARE(report.schema, SchemaComparison::Same);
    QCOMPARE(report.users, 2);
    QCOMPARE(report.applications, 1);
    QCOMPARE(report.botMetrics, 3);
    QCOMPARE(report.outboxPending, 1);
    QVERIFY(!report.engine.has_value());
    QVERIFY(!report.engineAlive);
}

void TestConnectionProbe::engineHeartbeat()
{
    auto connection = m_db->connect();
    QVERIFY(connection);
    EngineInstanceRepository engines(*connection);
    EngineInstance instance;
    instance.id = u"probe-test"_s;
    instance.host = u"box"_s;
    instance.pid = 42;
    instance.mode = u"polling"_s;
    instance.version = u"0.1.0"_s;
    auto beat = engines.heartbeat(instance);
    QVERIFY2(beat, WHY(beat));

    ConnectionReport report = ConnectionProbe::run(m_db->settings(), 5);
    QVERIFY2(report.ok(), describe(report).constData());
    QVERIFY(report.engine.has_value());
    QCOMPARE(report.engine->id, u"probe-test"_s);
    QCOMPARE(report.engine->mode, u"polling"_s);
    QVERIFY2(report.engine->ageSeconds < 30, qPrintable(QString::number(report.engine->ageSeconds)));
    QVERIFY(report.engineAlive);

    // An engine last heard of an hour ago is not alive.
    try {
        connection->exec(
            u"UPDATE engine_instances SET seen_at = ? WHERE id = ?"_s,
            {DbConnection::toSqlTimestamp(QDateTime::currentDateTimeUtc().addSecs(-3600)), instance.id},
            u"ageing the heartbeat"_s);
    } catch (const DbException& e) {
        QFAIL(e.what());
    }
    report = ConnectionProbe::run(m_db->settings(), 5);
    QVERIFY2(report.ok(), describe(report).constData());
    QVERIFY(report.engine.has_value());
    QVERIFY2(report.engine->ageSeconds > 3500, qPrintable(QString::number(report.engine->ageSeconds)));
    QVERIFY(!report.engineAlive);
    QVERIFY(engines.remove(instance.id));
}

void TestConnectionProbe::schemaOlder_data()
{
    QTest::addColumn<bool>("withVersionTable");
    QTest::newRow("empty database") << false;
    QTest::newRow("version table, one version behind") << true;
}

void TestConnectionProbe::schemaOlder()
{
    QFETCH(bool, withVersionTable);
    auto db = freshDatabase();
    QVERIFY(db);
    {
        auto connection = db->connect();
        QVERIFY(connection);
        if (withVersionTable) {
            // Migrate only up to the version before the one this build expects.
            Migrator migrator(*connection);
            auto migrated = migrator.migrate(Migrator::expectedVersion() - 1);
            QVERIFY2(migrated, WHY(migrated));
            QVERIFY(connection->database().tables().contains(u"schema_migrations"_s));
        }
    }
    const ConnectionReport report = ConnectionProbe::run(db->settings(), 5);
    QCOMPARE(ConnectionProbe::failureName(report.failure), u"SchemaOlder"_s);
    QVERIFY(report.reachable);
    QVERIFY(report.authenticated);
    QCOMPARE(report.schemaVersion, withVersionTable ? Migrator::expectedVersion() - 1 : 0);
    QCOMPARE(report.schema, SchemaComparison::Older);
    QVERIFY(!report.message.isEmpty());
    QVERIFY2(report.advice.contains("salesbot-engine migrate"_L1), qPrintable(report.advice));
}

void TestConnectionProbe::schemaNewer()
{
    auto db = freshDatabase();
    QVERIFY(db);
    {
        auto connection = db->connectMigrated();
        QVERIFY(connection);
        try {
            connection->exec(u"INSERT INTO schema_migrations (version, name) VALUES (?, ?)"_s,
                             {Migrator::expectedVersion() + 1, u"from_the_future"_s},
                             u"faking a newer schema"_s);
        } catch (const DbException& e) {
            QFAIL(e.what());
        }
    }
    const ConnectionReport report = ConnectionProbe::run(db->settings(), 5);
    QCOMPARE(ConnectionProbe::failureName(report.failure), u"SchemaNewer"_s);
    QCOMPARE(report.schemaVersion, Migrator::expectedVersion() + 1);
    QCOMPARE(report.schema, SchemaComparison::Newer);
    QVERIFY2(report.message.contains(QString::number(Migrator::expectedVersion() + 1)),
             qPrintable(report.message));
    // The tables are still there: the counts are worth showing.
    QCOMPARE(report.users, 0);
}

void TestConnectionProbe::sqliteFileMissingIsNotCreated()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const QString& path :
         {dir.filePath(u"missing.sqlite3"_s), dir.filePath(u"no/such/dir/db.sqlite3"_s)}) {
        ConnectionSettings settings;
        settings.dialect = Dialect::Sqlite;
        settings.sqlitePath = path;
        const ConnectionReport report = ConnectionProbe::run(settings, 2);
        QCOMPARE(ConnectionProbe::failureName(report.failure), u"DatabaseMissing"_s);
        QVERIFY(!report.reachable);
        QVERIFY2(report.message.contains(path), qPrintable(report.message));
        QVERIFY(!QFile::exists(path));
    }
    QVERIFY(!QFile::exists(dir.filePath(u"no"_s)));
}

void TestConnectionProbe::hostNotFound()
{
    if (!requirePostgres())
        QSKIP("host names are a PostgreSQL matter; SQLite has only files");
    ConnectionSettings settings = m_db->settings();
    settings.host = u"nonexistent.invalid"_s;
    const ConnectionReport report = ConnectionProbe::run(settings, 5);
    QCOMPARE(ConnectionProbe::failureName(report.failure), u"HostNotFound"_s);
    QVERIFY(!report.reachable);
    QVERIFY(!report.authenticated);
    QVERIFY2(report.message.contains("nonexistent.invalid"_L1), qPrintable(report.message));
    QVERIFY(!report.advice.isEmpty());
}

void TestConnectionProbe::connectionRefused()
{
    if (!requirePostgres())
        QSKIP("a refused TCP connection is a PostgreSQL matter; SQLite has only files");
    ConnectionSettings settings = m_db->settings();
    settings.host = u"127.0.0.1"_s;
    settings.port = freePort();
    QVERIFY(settings.port > 0);
    const ConnectionReport report = ConnectionProbe::run(settings, 5);
    QCOMPARE(ConnectionProbe::failureName(report.failure), u"ConnectionRefused"_s);
    QVERIFY(!report.reachable);
    QVERIFY2(report.message.contains(QString::number(settings.port)), qPrintable(report.message));
}

void TestConnectionProbe::timeout()
{
    if (!requirePostgres())
        QSKIP("a server that never answers is a PostgreSQL matter; SQLite has only files");
    // The kernel completes the TCP handshake for a listening socket even when nobody accepts, so libpq
    // connects and then waits for an answer that never comes. No event loop runs while the probe waits.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    ConnectionSettings settings = m_db->settings();
    settings.host = u"127.0.0.1"_s;
    settings.port = silent.serverPort();
    QElapsedTimer timer;
    timer.start();
    const ConnectionReport report = probeOnThread(settings, 2);
    const qint64 elapsed = timer.elapsed();
    QCOMPARE(ConnectionProbe::failureName(report.failure), u"Timeout"_s);
    QVERIFY2(elapsed >= 1500 && elapsed < 6000, qPrintable(QString::number(elapsed)));
    QVERIFY(!report.reachable);
}

void TestConnectionProbe::wrongPassword()
{
    if (!requirePostgres())
        QSKIP("SQLite has no passwords");
    ConnectionSettings settings = m_db->settings();
    QVERIFY2(!settings.password.isEmpty(), "SALESBOT_TEST_PG_URL must carry a password for this test");
    settings.password = u"definitely-not-the-password"_s;
    const ConnectionReport report = ConnectionProbe::run(settings, 5);
    QCOMPARE(ConnectionProbe::failureName(report.failure), u"WrongPassword"_s);
    QVERIFY(report.reachable);
    QVERIFY(!report.authenticated);
    QVERIFY2(report.message.contains(settings.user), qPrintable(report.message));
}

void TestConnectionProbe::noPasswordSupplied()
{
    if (!requirePostgres())
        QSKIP("SQLite has no passwords");
    ConnectionSettings settings = m_db->settings();
    settings.password.clear();
    const ConnectionReport report = ConnectionProbe::run(settings, 5);
    QCOMPARE(ConnectionProbe::failureName(report.failure), u"WrongPassword"_s);
    QVERIFY2(report.detail.contains("no password supplied"_L1), qPrintable(report.detail));
    QCOMPARE(report.message, ConnectionProbe::tr("The server asks for a password, but none was given."));
}

void TestConnectionProbe::databaseMissing()
{
    if (!requirePostgres())
        QSKIP("covered for SQLite by sqliteFileMissingIsNotCreated");
    ConnectionSettings settings = m_db->settings();
    settings.databaseName = u"salesbot_no_such_database"_s;
    const ConnectionReport report = ConnectionProbe::run(settings, 5);
    QCOMPARE(ConnectionProbe::failureName(report.failure), u"DatabaseMissing"_s);
    QVERIFY(report.reachable);
    QVERIFY2(report.message.contains("salesbot_no_such_database"_L1), qPrintable(report.message));
}

void TestConnectionProbe::sslRequiredButUnsupported()
{
    if (!requirePostgres())
        QSKIP("SQLite has no SSL");
    // The sandbox server runs with ssl=off: asking for SSL is refused by libpq before any password is sent.
    ConnectionSettings settings = m_db->settings();
    settings.sslMode = u"require"_s;
    const ConnectionReport report = ConnectionProbe::run(settings, 5);
    QCOMPARE(ConnectionProbe::failureName(report.failure), u"SslRequired"_s);
    QVERIFY2(report.detail.contains("does not support SSL"_L1), qPrintable(report.detail));
    QVERIFY2(report.message.contains("does not support SSL"_L1), qPrintable(report.message));
    QVERIFY2(report.advice.contains("prefer"_L1), qPrintable(report.advice));
}

void TestConnectionProbe::messagesNeverCarryThePassword()
{
    if (!requirePostgres())
        QSKIP("SQLite has no passwords");
    ConnectionSettings settings = m_db->settings();
    settings.password = u"Sup3r-secret-pass"_s;
    for (const QString& database : {m_db->settings().databaseName, u"no_such_db"_s}) {
        settings.databaseName = database;
        const ConnectionReport report = ConnectionProbe::run(settings, 5);
        QVERIFY(!report.ok());
        for (const QString& text :
             {report.message, report.advice, report.detail, report.settings.toUrl(true)})
            QVERIFY2(!text.contains("Sup3r-secret-pass"_L1), qPrintable(text));
    }
}

QTEST_GUILESS_MAIN(TestConnectionProbe)
#include "tst_connectionprobe.moc"
