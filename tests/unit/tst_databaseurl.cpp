// Tests DatabaseUrl::parse and ConnectionSettings' options, redaction and URL round trip.

#include "ConnectionSettings.h"
#include "DatabaseUrl.h"

#include <QDir>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using salesbot::ConnectionSettings;
using salesbot::DatabaseUrl;
using salesbot::Dialect;

namespace {

const QString Secret = u"Pa55-w0rd!x"_s;

void compareSettings(const ConnectionSettings& actual, const ConnectionSettings& expected)
{
    QCOMPARE(actual.dialect, expected.dialect);
    QCOMPARE(actual.host, expected.host);
    QCOMPARE(actual.port, expected.port);
    QCOMPARE(actual.databaseName, expected.databaseName);
    QCOMPARE(actual.user, expected.user);
    QCOMPARE(actual.password, expected.password);
    QCOMPARE(actual.sslMode, expected.sslMode);
    QCOMPARE(actual.connectTimeoutSeconds, expected.connectTimeoutSeconds);
    QCOMPARE(actual.applicationName, expected.applicationName);
    QCOMPARE(actual.sqlitePath, expected.sqlitePath);
}

} // namespace

class TestDatabaseUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void postgres_data();
    void postgres();
    void sqlite_data();
    void sqlite();
    void errors_data();
    void errors();
    void errorsNeverShowThePassword_data();
    void errorsNeverShowThePassword();
    void defaultSqlite();
    void connectOptions_data();
    void connectOptions();
    void redacted();
    void roundTrip_data();
    void roundTrip();
    void toUrlWithoutPassword();
};

void TestDatabaseUrl::postgres_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("sslMode");

    QTest::newRow("postgres scheme") << u"postgres://bot:secret@db.example.com:5433/sales"_s << u"bot"_s
                                     << u"secret"_s << u"db.example.com"_s << 5433 << u"sales"_s << QString();
    QTest::newRow("postgresql scheme")
        << u"postgresql://bot:secret@db.example.com:5433/sales"_s << u"bot"_s << u"secret"_s
        << u"db.example.com"_s << 5433 << u"sales"_s << QString();
    QTest::newRow("scheme in capitals")
        << u"POSTGRES://bot@h/db"_s << u"bot"_s << QString() << u"h"_s << 5432 << u"db"_s << QString();
    QTest::newRow("heroku")
        << u"postgres://ukd8s7f6g5h4:p3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c@"
           "ec2-52-1-2-3.compute-1.amazonaws.com:5432/d9k8j7h6g5f4e3"_s
        << u"ukd8s7f6g5h4"_s << u"p3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c"_s
        << u"ec2-52-1-2-3.compute-1.amazonaws.com"_s << 5432 << u"d9k8j7h6g5f4e3"_s << QString();
    QTest::newRow("heroku with sslmode")
        << u"postgres://u:p@ec2-52-1-2-3.compute-1.amazonaws.com:5432/d1?sslmode=require"_s << u"u"_s
        << u"p"_s << u"ec2-52-1-2-3.compute-1.amazonaws.com"_s << 5432 << u"d1"_s << u"require"_s;
    QTest::newRow("percent-encoded password")
        << u"postgres://bot:p%40ss%3Aw%2Fd@localhost/sales"_s << u"bot"_s << u"p@ss:w/d"_s << u"localhost"_s
        << 5432 << u"sales"_s << QString();
    QTest::newRow("percent-encoded user")
        << u"postgres://sales%20bot%40corp:x@localhost/sales"_s << u"sales bot@corp"_s << u"x"_s
        << u"localhost"_s << 5432 << u"sales"_s << QString();
    QTest::newRow("utf-8 password") << u"postgres://bot:%D0%BF%D0%B0%D1%80%D0%BE%D0%BB%D1%8C@h/db"_s
                                    << u"bot"_s << u"пароль"_s << u"h"_s << 5432 << u"db"_s << QString();
    QTest::newRow("raw @ and : in password") << u"postgres://bot:p@ss:word@h/db"_s << u"bot"_s
                                             << u"p@ss:word"_s << u"h"_s << 5432 << u"db"_s << QString();
    QTest::newRow("empty password") << u"postgres://bot:@h/db"_s << u"bot"_s << QString() << u"h"_s << 5432
                                    << u"db"_s << QString();
    QTest::newRow("no user") << u"postgres://localhost/sales"_s << QString() << QString() << u"localhost"_s
                             << 5432 << u"sales"_s << QString();
    QTest::newRow("no port") << u"postgres://bot:secret@localhost/sales"_s << u"bot"_s << u"secret"_s
                             << u"localhost"_s << 5432 << u"sales"_s << QString();
    QTest::newRow("IPv6") << u"postgres://bot:secret@[::1]:6543/sales"_s << u"bot"_s << u"secret"_s
                          << u"::1"_s << 6543 << u"sales"_s << QString();
    QTest::newRow("IPv6 no port") << u"postgres://bot@[2001:db8::5]/sales"_s << u"bot"_s << QString()
                                  << u"2001:db8::5"_s << 5432 << u"sales"_s << QString();
    QTest::newRow("IPv4") << u"postgres://bot@127.0.0.1:5432/sales"_s << u"bot"_s << QString()
                          << u"127.0.0.1"_s << 5432 << u"sales"_s << QString();
    QTest::newRow("socket directory host")
        << u"postgres://bot@%2Fvar%2Frun%2Fpostgresql/sales"_s << u"bot"_s << QString()
        << u"/var/run/postgresql"_s << 5432 << u"sales"_s << QString();
    QTest::newRow("encoded database name")
        << u"postgres://h/my%20db"_s << QString() << QString() << u"h"_s << 5432 << u"my db"_s << QString();
    QTest::newRow("surrounding whitespace")
        << u"  postgres://h/db\n"_s << QString() << QString() << u"h"_s << 5432 << u"db"_s << QString();
    QTest::newRow("empty query") << u"postgres://h/db?"_s << QString() << QString() << u"h"_s << 5432
                                 << u"db"_s << QString();
    for (const QString& mode :
         {u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s, u"verify-full"_s}) {
        QTest::addRow("sslmode=%s", qPrintable(mode)) << (u"postgres://u:p@h/db?sslmode="_s + mode) << u"u"_s
                                                      << u"p"_s << u"h"_s << 5432 << u"db"_s << mode;
    }
    QTest::newRow("sslmode upper case") << u"postgres://h/db?sslmode=REQUIRE"_s << QString() << QString()
                                        << u"h"_s << 5432 << u"db"_s << u"require"_s;
}

void TestDatabaseUrl::postgres()
{
    QFETCH(QString, url);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, database);
    QFETCH(QString, sslMode);

    const auto result = DatabaseUrl::parse(url);
    QVERIFY2(result, result ? "" : qPrintable(result.error()));
    QCOMPARE(result->dialect, Dialect::PostgreSql);
    QCOMPARE(result->user, user);
    QCOMPARE(result->password, password);
    QCOMPARE(result->host, host);
    QCOMPARE(result->port, port);
    QCOMPARE(result->databaseName, database);
    QCOMPARE(result->sslMode, sslMode);
    QCOMPARE(result->connectTimeoutSeconds, ConnectionSettings().connectTimeoutSeconds);
    QCOMPARE(result->applicationName, ConnectionSettings().applicationName);
    QCOMPARE(result->driverName(), u"QPSQL"_s);
}

void TestDatabaseUrl::sqlite_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("path");

    QTest::newRow("absolute") << u"sqlite:///var/lib/salesbot/bot.db"_s << u"/var/lib/salesbot/bot.db"_s;
    QTest::newRow("absolute single slash")
        << u"sqlite:/var/lib/salesbot/bot.db"_s << u"/var/lib/salesbot/bot.db"_s;
    QTest::newRow("absolute four slashes") << u"sqlite:////tmp/bot.db"_s << u"/tmp/bot.db"_s;
    QTest::newRow("absolute cleaned") << u"sqlite:///tmp/./x/../bot.db"_s << u"/tmp/bot.db"_s;
    QTest::newRow("upper-case scheme") << u"SQLite:///tmp/bot.db"_s << u"/tmp/bot.db"_s;
    QTest::newRow("percent-encoded") << u"sqlite:///tmp/my%20bot%3F.db"_s << u"/tmp/my bot?.db"_s;
    QTest::newRow("relative") << u"sqlite:data/bot.db"_s
                              << QDir::current().absoluteFilePath(u"data/bot.db"_s);
    QTest::newRow("relative file") << u"sqlite:bot.db"_s << QDir::current().absoluteFilePath(u"bot.db"_s);
    QTest::newRow("relative dot") << u"sqlite:./bot.db"_s << QDir::current().absoluteFilePath(u"bot.db"_s);
}

void TestDatabaseUrl::sqlite()
{
    QFETCH(QString, url);
    QFETCH(QString, path);
    const auto result = DatabaseUrl::parse(url);
    QVERIFY2(result, result ? "" : qPrintable(result.error()));
    QCOMPARE(result->dialect, Dialect::Sqlite);
    QCOMPARE(result->sqlitePath, QDir::cleanPath(path));
    QVERIFY(QDir::isAbsolutePath(result->sqlitePath));
    QCOMPARE(result->driverName(), u"QSQLITE"_s);
}

void TestDatabaseUrl::errors_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("empty") << QString() << u"empty"_s;
    QTest::newRow("blank") << u"   "_s << u"empty"_s;
    QTest::newRow("mysql") << u"mysql://u:p@h/db"_s << u"unsupported scheme \"mysql\""_s;
    QTest::newRow("http") << u"http://h/db"_s << u"unsupported scheme \"http\""_s;
    QTest::newRow("no scheme") << u"//h/db"_s << u"scheme"_s;
    QTest::newRow("just a path") << u"/var/lib/bot.db"_s << u"scheme"_s;
    QTest::newRow("user info without scheme") << u"bot:pw@h/db"_s << u"does not start with a scheme"_s;
    QTest::newRow("no slashes") << u"postgres:h/db"_s << u"//"_s;
    QTest::newRow("missing db name") << u"postgres://u:p@h:5432"_s << u"database name"_s;
    QTest::newRow("missing db name slash") << u"postgres://u:p@h:5432/"_s << u"database name"_s;
    QTest::newRow("missing db name query") << u"postgres://u:p@h/?sslmode=require"_s << u"database name"_s;
    QTest::newRow("db name with slash") << u"postgres://h/a/b"_s << u"database name"_s;
    QTest::newRow("missing host") << u"postgres://u:p@/db"_s << u"host"_s;
    QTest::newRow("missing host no user") << u"postgres:///db"_s << u"host"_s;
    QTest::newRow("port 0") << u"postgres://h:0/db"_s << u"port"_s;
    QTest::newRow("port 70000") << u"postgres://h:70000/db"_s << u"port"_s;
    QTest::newRow("port letters") << u"postgres://h:abc/db"_s << u"port"_s;
    QTest::newRow("port empty") << u"postgres://h:/db"_s << u"port"_s;
    QTest::newRow("port negative") << u"postgres://h:-1/db"_s << u"port"_s;
    QTest::newRow("port huge") << u"postgres://h:99999999999999999999/db"_s << u"port"_s;
    QTest::newRow("IPv6 unclosed") << u"postgres://[::1/db"_s << u"]"_s;
    QTest::newRow("IPv6 without brackets") << u"postgres://::1:5432/db"_s << u"brackets"_s;
    QTest::newRow("two hosts") << u"postgres://h1:5432,h2:5432/db"_s << u"several hosts"_s;
    QTest::newRow("bad sslmode") << u"postgres://h/db?sslmode=maybe"_s << u"sslmode \"maybe\""_s;
    QTest::newRow("empty sslmode") << u"postgres://h/db?sslmode="_s << u"sslmode"_s;
    QTest::newRow("unknown key") << u"postgres://h/db?options=-c%20x"_s << u"unknown parameter \"options\""_s;
    QTest::newRow("unknown key odd name") << u"postgres://h/db?a%20b=1"_s << u"unknown parameter"_s;
    QTest::newRow("repeated key") << u"postgres://h/db?sslmode=require&sslmode=disable"_s << u"twice"_s;
    QTest::newRow("bad connect_timeout") << u"postgres://h/db?connect_timeout=soon"_s << u"connect_timeout"_s;
    QTest::newRow("negative connect_timeout")
        << u"postgres://h/db?connect_timeout=-5"_s << u"connect_timeout"_s;
    QTest::newRow("fragment") << u"postgres://h/db#x"_s << u"fragment"_s;
    QTest::newRow("bad percent in password") << u"postgres://u:%zz@h/db"_s << u"percent-encoding"_s;
    QTest::newRow("truncated percent") << u"postgres://u@h/db%4"_s << u"percent-encoding"_s;
    QTest::newRow("invalid utf-8") << u"postgres://u:%FF%FE@h/db"_s << u"percent-encoding"_s;
    QTest::newRow("raw slash in password") << u"postgres://u:pa/ss@h/db"_s << u"percent-encoded"_s;
    QTest::newRow("sqlite memory") << u"sqlite::memory:"_s << u"in-memory"_s;
    QTest::newRow("sqlite memory slashes") << u"sqlite:///:memory:"_s << u"in-memory"_s;
    QTest::newRow("sqlite empty") << u"sqlite:"_s << u"file name"_s;
    QTest::newRow("sqlite directory") << u"sqlite:///tmp/"_s << u"file name"_s;
    QTest::newRow("sqlite host") << u"sqlite://host/bot.db"_s << u"sqlite://host"_s;
    QTest::newRow("sqlite params") << u"sqlite:///tmp/bot.db?mode=ro"_s << u"parameters"_s;
    QTest::newRow("sqlite tilde") << u"sqlite:~/bot.db"_s << u"~"_s;
    QTest::newRow("sqlite NUL") << u"sqlite:///tmp/a%00b.db"_s << u"NUL"_s;
    QTest::newRow("too long") << (u"postgres://h/"_s + QString(5000, u'd')) << u"longer"_s;
}

void TestDatabaseUrl::errors()
{
    QFETCH(QString, url);
    QFETCH(QString, mentions);
    const auto result = DatabaseUrl::parse(url);
    QVERIFY2(!result, qPrintable(u"accepted: "_s + (result ? result->redacted() : QString())));
    const QString& error = result.error();
    QVERIFY2(error.startsWith(u"DATABASE_URL: "_s), qPrintable(error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY2(!error.contains(u'\n') && !error.contains(u'\r'), qPrintable(error));
    // Never the whole URL.
    if (url.trimmed().size() > 12)
        QVERIFY2(!error.contains(url.trimmed()), qPrintable(error));
}

void TestDatabaseUrl::errorsNeverShowThePassword_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("password");

    const QString s = Secret;
    QTest::newRow("bad port") << (u"postgres://bot:"_s + s + u"@h:99999/db"_s) << s;
    QTest::newRow("letters port") << (u"postgres://bot:"_s + s + u"@h:abc/db"_s) << s;
    QTest::newRow("missing db") << (u"postgres://bot:"_s + s + u"@h"_s) << s;
    QTest::newRow("missing host") << (u"postgres://bot:"_s + s + u"@/db"_s) << s;
    QTest::newRow("bad sslmode") << (u"postgres://bot:"_s + s + u"@h/db?sslmode=bogus"_s) << s;
    QTest::newRow("unknown key") << (u"postgres://bot:"_s + s + u"@h/db?foo=bar"_s) << s;
    QTest::newRow("bad scheme") << (u"mysql://bot:"_s + s + u"@h/db"_s) << s;
    QTest::newRow("scheme missing") << (u"bot:"_s + s + u"@h/db"_s) << s;
    QTest::newRow("fragment") << (u"postgres://bot:"_s + s + u"@h/db#frag"_s) << s;
    QTest::newRow("encoded password") << u"postgres://bot:sup%3Ar%40secret@h:0/db"_s << u"sup:r@secret"_s;
    QTest::newRow("raw slash in password") << u"postgres://bot:abc/def@h/db"_s << u"abc/def"_s;
    QTest::newRow("raw question mark in password") << u"postgres://bot:123/db?evil&x@h/db"_s << u"evil&x"_s;
    QTest::newRow("raw question mark numeric")
        << u"postgres://bot:5432?sslmode=Secretive@h/db"_s << u"Secretive"_s;
    QTest::newRow("raw hash in password") << u"postgres://bot:ab#cd@h/db"_s << u"ab#cd"_s;
    QTest::newRow("password looks like a key")
        << u"postgres://bot:x@h/db?sslmode=require&hunter2hunter2"_s << u"x"_s;
    QTest::newRow("password is the sslmode value")
        << u"postgres://bot:bogusmode@h/db?sslmode=bogusmode"_s << u"bogusmode"_s;
}

void TestDatabaseUrl::errorsNeverShowThePassword()
{
    QFETCH(QString, url);
    QFETCH(QString, password);
    const auto result = DatabaseUrl::parse(url);
    QVERIFY(!result);
    const QString& error = result.error();
    QVERIFY2(error.startsWith(u"DATABASE_URL: "_s), qPrintable(error));
    if (password.size() > 1) // a one-letter password is in every sentence
        QVERIFY2(!error.contains(password), qPrintable(error));
    QVERIFY2(!error.contains(url), qPrintable(error));
}

void TestDatabaseUrl::defaultSqlite()
{
    const ConnectionSettings settings = DatabaseUrl::defaultSqlite();
    QCOMPARE(settings.dialect, Dialect::Sqlite);
    QCOMPARE(settings.driverName(), u"QSQLITE"_s);
    QVERIFY(QDir::isAbsolutePath(settings.sqlitePath));
    QVERIFY2(settings.sqlitePath.endsWith(u"/salesbot/salesbot.sqlite3"_s), qPrintable(settings.sqlitePath));
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (!dataDir.isEmpty())
        QCOMPARE(settings.sqlitePath, QDir::cleanPath(dataDir + u"/salesbot/salesbot.sqlite3"_s));
}

void TestDatabaseUrl::connectOptions_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("options");

    QTest::newRow("defaults") << u"postgres://h/db"_s << u"connect_timeout=10;application_name=salesbot"_s;
    QTest::newRow("sslmode") << u"postgres://h/db?sslmode=verify-full"_s
                             << u"connect_timeout=10;sslmode=verify-full;application_name=salesbot"_s;
    QTest::newRow("all parameters")
        << u"postgres://h/db?connect_timeout=3&sslmode=require&application_name=sb-1"_s
        << u"connect_timeout=3;sslmode=require;application_name=sb-1"_s;
    QTest::newRow("timeout 0 left out")
        << u"postgres://h/db?connect_timeout=0"_s << u"application_name=salesbot"_s;
    QTest::newRow("hostile application_name")
        << u"postgres://h/db?application_name=x%3B%20password%3Downed%20%27q"_s
        << u"connect_timeout=10;application_name=xpasswordownedq"_s;
    QTest::newRow("application_name of spaces only")
        << u"postgres://h/db?application_name=%20%3B"_s << u"connect_timeout=10"_s;
    QTest::newRow("sqlite") << u"sqlite:///tmp/x.db"_s << u"QSQLITE_BUSY_TIMEOUT=10000"_s;
}

void TestDatabaseUrl::connectOptions()
{
    QFETCH(QString, url);
    QFETCH(QString, options);
    const auto result = DatabaseUrl::parse(url);
    QVERIFY2(result, result ? "" : qPrintable(result.error()));
    QCOMPARE(result->connectOptions(), options);
}

void TestDatabaseUrl::redacted()
{
    auto pg = DatabaseUrl::parse(u"postgres://salesbot:"_s + Secret +
                                 u"@db.example.com:5432/salesbot?sslmode=require"_s);
    QVERIFY(pg);
    QCOMPARE(pg->redacted(), u"PostgreSQL salesbot@db.example.com:5432/salesbot (sslmode=require)"_s);
    QVERIFY(!pg->redacted().contains(Secret));

    auto v6 = DatabaseUrl::parse(u"postgres://[::1]/db"_s);
    QVERIFY(v6);
    QCOMPARE(v6->redacted(), u"PostgreSQL [::1]:5432/db"_s);

    auto lite = DatabaseUrl::parse(u"sqlite:///var/lib/salesbot/bot.db"_s);
    QVERIFY(lite);
    QCOMPARE(lite->redacted(), u"SQLite /var/lib/salesbot/bot.db"_s);

    // Options never carry the password either (QPSQL passes it separately).
    QVERIFY(!pg->connectOptions().contains(Secret));
}

void TestDatabaseUrl::roundTrip_data()
{
    QTest::addColumn<QString>("url");

    QTest::newRow("plain") << u"postgresql://bot:secret@db.example.com:5432/sales"_s;
    QTest::newRow("encoded")
        << u"postgres://sales%20bot:p%40ss%3Aw%2Fd%20%25%26@h:6543/my%2Fdb?sslmode=require"_s;
    QTest::newRow("utf-8")
        << u"postgres://%D0%B1%D0%BE%D1%82:%D0%BF%D0%B0%D1%80%D0%BE%D0%BB%D1%8C@h/%D0%B1%D0%B4"_s;
    QTest::newRow("no user") << u"postgres://h/db"_s;
    QTest::newRow("IPv6 and params")
        << u"postgres://u:p@[2001:db8::5]:5555/db?sslmode=verify-ca&connect_timeout=0&application_name=a%20b"_s;
    QTest::newRow("socket host") << u"postgres://bot@%2Fvar%2Frun%2Fpostgresql/sales"_s;
    QTest::newRow("sqlite absolute") << u"sqlite:///var/lib/salesbot/bot.db"_s;
    QTest::newRow("sqlite odd name") << u"sqlite:///tmp/a%20b%3F%23%25c/д.db"_s;
    QTest::newRow("sqlite relative") << u"sqlite:bot.db"_s;
}

void TestDatabaseUrl::roundTrip()
{
    QFETCH(QString, url);
    const auto original = DatabaseUrl::parse(url);
    QVERIFY2(original, original ? "" : qPrintable(original.error()));
    const QString rebuilt = original->toUrl(true);
    const auto again = DatabaseUrl::parse(rebuilt);
    QVERIFY2(again, qPrintable(rebuilt + u" -> "_s + (again ? QString() : again.error())));
    compareSettings(*again, *original);
    QCOMPARE(again->toUrl(true), rebuilt);
}

void TestDatabaseUrl::toUrlWithoutPassword()
{
    const auto settings = DatabaseUrl::parse(u"postgres://bot:"_s + Secret + u"@h:5432/db?sslmode=require"_s);
    QVERIFY(settings);
    QCOMPARE(settings->toUrl(false), u"postgresql://bot@h:5432/db?sslmode=require"_s);
    QCOMPARE(settings->toUrl(true), u"postgresql://bot:Pa55-w0rd%21x@h:5432/db?sslmode=require"_s);
    QVERIFY(!settings->toUrl(false).contains(Secret));

    ConnectionSettings noUser;
    noUser.dialect = Dialect::PostgreSql;
    noUser.host = u"h"_s;
    noUser.databaseName = u"db"_s;
    noUser.password = Secret;
    QCOMPARE(noUser.toUrl(false), u"postgresql://h:5432/db"_s);

    ConnectionSettings lite;
    lite.sqlitePath = u"/tmp/bot.db"_s;
    QCOMPARE(lite.toUrl(true), u"sqlite:///tmp/bot.db"_s);
}

QTEST_GUILESS_MAIN(TestDatabaseUrl)
#include "tst_databaseurl.moc"
