#include "ConnectionProbe.h"

#include "DbConnection.h"
#include "Migrator.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

// libpq's own messages follow the client's locale and the server's follow lc_messages, so each pattern is
// listed in English and in Russian (as Debian's libpq5 and postgres .mo files word them).
bool containsAny(const QString& text, std::initializer_list<QLatin1StringView> english,
                 std::initializer_list<const char16_t*> russian = {})
{
    for (const QLatin1StringView pattern : english) {
        if (text.contains(pattern, Qt::CaseInsensitive))
            return true;
    }
    for (const char16_t* pattern : russian) {
        if (text.contains(QStringView(pattern), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool serverLacksSsl(const QString& text)
{
    return containsAny(text, {"server does not support SSL"_L1}, {u"сервер не поддерживает SSL"});
}

bool noHbaEntry(const QString& text)
{
    return containsAny(text, {"no pg_hba.conf entry"_L1}, {u"в pg_hba.conf нет записи"});
}

bool noPasswordSupplied(const QString& text)
{
    return containsAny(text, {"no password supplied"_L1});
}

// A database name, as the server quotes it, for messages.
QString quotedName(const QString& name)
{
    return u'"' + name + u'"';
}

void fail(ConnectionReport& report, ConnectionFailure failure, const QString& detail = {})
{
    report.failure = failure;
    if (!detail.isEmpty())
        report.detail = detail;
}

void readSchema(ConnectionReport& report, DbConnection& connection)
{
    auto version = Migrator(connection).currentVersion();
    if (!version) {
        fail(report, ConnectionFailure::Other, version.error().driverText());
        return;
    }
    report.schemaVersion = version.value();
    if (report.schemaVersion < report.expectedSchemaVersion) {
        report.schema = SchemaComparison::Older;
        fail(report, ConnectionFailure::SchemaOlder);
    } else if (report.schemaVersion > report.expectedSchemaVersion) {
        report.schema = SchemaComparison::Newer;
        fail(report, ConnectionFailure::SchemaNewer);
    } else {
        report.schema = SchemaComparison::Same;
    }
}

void readCounts(ConnectionReport& report, DbConnection& connection)
{
    // One round trip for all four; COUNT(*) is exact, which is what an operator comparing numbers wants.
    QSqlQuery& q =
        connection.exec(u"SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM applications), "
                        "(SELECT COUNT(*) FROM bot_metrics), "
                        "(SELECT COUNT(*) FROM outbox WHERE status = 'pending')"_s,
                        {}, u"counting rows"_s);
    if (q.next()) {
        report.users = q.value(0).toLongLong();
        report.applications = q.value(1).toLongLong();
        report.botMetrics = q.value(2).toLongLong();
        report.outboxPending = q.value(3).toLongLong();
    }
    q.finish();
}

void measureRoundTrip(ConnectionReport& report, DbConnection& connection)
{
    std::vector<double> samples;
    for (int i = 0; i < ConnectionProbe::RoundTrips; ++i) {
        QElapsedTimer timer;
        timer.start();
        QSqlQuery& q = connection.exec(u"SELECT 1"_s, {}, u"measuring the round trip"_s);
        q.next();
        q.finish();
        samples.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(samples.begin(), samples.end());
    report.roundTripMs = samples[samples.size() / 2];
}

void readServer(ConnectionReport& report, DbConnection& connection)
{
    if (connection.dialect() == Dialect::PostgreSql) {
        QSqlQuery& q = connection.exec(u"SELECT current_setting('server_version'), "
                                       "(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())"_s,
                                       {}, u"reading the server version"_s);
        if (q.next()) {
            report.serverVersion = u"PostgreSQL "_s + q.value(0).toString();
            const QVariant ssl = q.value(1);
            // QPSQL hands booleans over as bool; be lenient with text ("t") all the same.
            report.sslInUse = !ssl.isNull() && (ssl.toBool() || ssl.toString() == "t"_L1);
        }
        q.finish();
    } else {
        QSqlQuery& q = connection.exec(u"SELECT sqlite_version()"_s, {}, u"reading the SQLite version"_s);
        if (q.next())
            report.serverVersion = u"SQLite "_s + q.value(0).toString();
        q.finish();
    }
}

void readEngine(ConnectionReport& report, DbConnection& connection)
{
    auto latest = EngineInstanceRepository(connection).latest();
    if (latest && latest.value()) {
        report.engine = *latest.value();
        report.engineAlive = report.engine->ageSeconds < ConnectionProbe::EngineAliveSeconds;
    }
}

} // namespace

ConnectionReport ConnectionProbe::run(const ConnectionSettings& settings, int timeoutSeconds)
{
    QElapsedTimer clock;
    clock.start();
    ConnectionReport report;
    report.settings = settings;
    report.settings.password.clear();
    report.expectedSchemaVersion = Migrator::expectedVersion();

    auto finish = [&]() -> ConnectionReport {
        report.elapsedMs = clock.elapsed();
        report.message = message(report);
        report.advice = advice(report);
        return report;
    };

    if (!QSqlDatabase::isDriverAvailable(settings.driverName())) {
        fail(report, ConnectionFailure::DriverMissing);
        return finish();
    }
    if (settings.dialect == Dialect::Sqlite) {
        // Opening would create the file (and DbConnection its directory): look first.
        const QFileInfo file(settings.sqlitePath);
        if (settings.sqlitePath.isEmpty() || !file.exists()) {
            fail(report, ConnectionFailure::DatabaseMissing);
            return finish();
        }
        if (!file.isFile()) {
            fail(report, ConnectionFailure::Other, u"%1 is not a file"_s.arg(settings.sqlitePath));
            return finish();
        }
    }

    ConnectionSettings probeSettings = settings;
    if (timeoutSeconds > 0)
        probeSettings.connectTimeoutSeconds = timeoutSeconds;
    {
        DbConnection connection(probeSettings, u"probe"_s);
        if (auto opened = connection.open(); !opened) {
            const QString text = opened.error().driverText();
            const ConnectionFailure failure = classify(text, settings.sslMode);
            report.reachable = failure == ConnectionFailure::WrongPassword ||
                               failure == ConnectionFailure::SslRequired ||
                               failure == ConnectionFailure::DatabaseMissing ||
                               (failure == ConnectionFailure::Other && noHbaEntry(text));
            // PostgreSQL looks the database up only after authentication succeeded.
            report.authenticated = failure == ConnectionFailure::DatabaseMissing;
            fail(report, failure, text);
            return finish();
        }
        report.reachable = true;
        report.authenticated = true;
        try {
            if (connection.dialect() == Dialect::PostgreSql && timeoutSeconds > 0) {
                // A server that lets us in but then hangs must not hang the probe.
                connection.execDirect(u"SET statement_timeout = %1"_s.arg(qint64(timeoutSeconds) * 1000),
                                      u"limiting the probe's statements"_s);
            }
            readServer(report, connection);
            measureRoundTrip(report, connection);
            readSchema(report, connection);
            if (report.schemaVersion > 0) {
                // Older schemas may lack a table: counts and heartbeat are a bonus, not a verdict.
                try {
                    readCounts(report, connection);
                } catch (const DbException& e) {
                    if (report.ok())
                        fail(report, ConnectionFailure::Other, e.error().driverText());
                }
                readEngine(report, connection);
            }
        } catch (const DbException& e) {
            const ConnectionFailure failure = classify(e.error().driverText(), settings.sslMode);
            fail(report, failure == ConnectionFailure::None ? ConnectionFailure::Other : failure,
                 e.error().driverText());
        }
    }
    return finish();
}

ConnectionFailure ConnectionProbe::classify(const QString& text, const QString& sslMode)
{
    if (text.isEmpty())
        return ConnectionFailure::Other;
    if (containsAny(text, {"Driver not loaded"_L1, "driver QPSQL is not available"_L1,
                           "driver QSQLITE is not available"_L1}))
        return ConnectionFailure::DriverMissing;
    if (containsAny(text, {"could not translate host name"_L1, "Name or service not known"_L1},
                    {u"преобразовать имя", u"Неизвестное имя или служба"}))
        return ConnectionFailure::HostNotFound;
    if (serverLacksSsl(text) || containsAny(text, {"SSL connection is required"_L1}))
        return ConnectionFailure::SslRequired;
    // Since PostgreSQL 14 the rejection says "no encryption" (before: "SSL off"). Without SSL asked for, the
    // likely reason is a hostssl-only server (Heroku and most hosted databases); with SSL merely preferred,
    // libpq already tried SSL, so the rule is simply missing.
    if (noHbaEntry(text)) {
        const bool sslAvoided = sslMode == "disable"_L1 || sslMode == "allow"_L1;
        if (sslAvoided && containsAny(text, {"no encryption"_L1, "SSL off"_L1}, {u"без шифрования"}))
            return ConnectionFailure::SslRequired;
        return ConnectionFailure::Other;
    }
    // Server-side messages come before libpq's: with several addresses tried, the text holds both.
    static const QRegularExpression databaseMissing(
        u"database \"[^\"]*\" does not exist|база данных \"[^\"]*\" не существует"_s,
        QRegularExpression::CaseInsensitiveOption);
    if (databaseMissing.match(text).hasMatch())
        return ConnectionFailure::DatabaseMissing;
    static const QRegularExpression roleMissing(
        u"role \"[^\"]*\" does not exist|роль \"[^\"]*\" не существует"_s,
        QRegularExpression::CaseInsensitiveOption);
    if (noPasswordSupplied(text) || roleMissing.match(text).hasMatch() ||
        containsAny(text, {"authentication failed"_L1}, {u"не прошёл проверку подлинности"}))
        return ConnectionFailure::WrongPassword;
    if (containsAny(text, {"Connection refused"_L1}, {u"В соединении отказано"}))
        return ConnectionFailure::ConnectionRefused;
    if (containsAny(text, {"timeout expired"_L1, "Connection timed out"_L1},
                    {u"тайм-аут", u"Время ожидания соединения истекло"}))
        return ConnectionFailure::Timeout;
    return ConnectionFailure::Other;
}

QString ConnectionProbe::message(const ConnectionReport& report)
{
    const ConnectionSettings& s = report.settings;
    const bool sqlite = s.dialect == Dialect::Sqlite;
    switch (report.failure) {
    case ConnectionFailure::None:
        return {};
    case ConnectionFailure::HostNotFound:
        return tr("The server name \"%1\" could not be found.").arg(s.host);
    case ConnectionFailure::ConnectionRefused:
        return tr("%1 refused the connection on port %2: no database server is listening there.")
            .arg(s.host)
            .arg(s.port);
    case ConnectionFailure::Timeout:
        return tr("%1 did not answer on port %2 in time.").arg(s.host).arg(s.port);
    case ConnectionFailure::WrongPassword:
        if (noPasswordSupplied(report.detail))
            return tr("The server asks for a password, but none was given.");
        return tr("The server did not accept the user name \"%1\" or its password.").arg(s.user);
    case ConnectionFailure::SslRequired:
        if (serverLacksSsl(report.detail))
            return tr("This profile requires an encrypted (SSL) connection, but the server does not support "
                      "SSL.");
        return tr("The server refused a connection without encryption (SSL).");
    case ConnectionFailure::DatabaseMissing:
        if (sqlite)
            return tr("The database file %1 does not exist.").arg(s.sqlitePath);
        return tr("The database %1 does not exist on this server.").arg(quotedName(s.databaseName));
    case ConnectionFailure::SchemaOlder:
        if (report.schemaVersion <= 0)
            return tr("The database has no salesbot tables yet (this console needs schema version %1).")
                .arg(report.expectedSchemaVersion);
        return tr("The database is at schema version %1; this console needs version %2.")
            .arg(report.schemaVersion)
            .arg(report.expectedSchemaVersion);
    case ConnectionFailure::SchemaNewer:
        return tr("The database is at schema version %1, newer than this console knows (%2).")
            .arg(report.schemaVersion)
            .arg(report.expectedSchemaVersion);
    case ConnectionFailure::DriverMissing:
        return tr("The Qt database driver %1 is not installed.").arg(s.driverName());
    case ConnectionFailure::Other:
        if (noHbaEntry(report.detail))
            return tr(
                "The server's access rules (pg_hba.conf) do not allow this computer, user or database.");
        return tr("The connection failed.");
    }
    return {};
}

QString ConnectionProbe::advice(const ConnectionReport& report)
{
    switch (report.failure) {
    case ConnectionFailure::None:
        return {};
    case ConnectionFailure::HostNotFound:
        return tr("Check the host name for typos (copy it from DATABASE_URL or the provider's dashboard) and "
                  "that this computer is online.");
    case ConnectionFailure::ConnectionRefused:
        return tr("Check the port, and that PostgreSQL runs on that host and accepts TCP connections "
                  "(listen_addresses); a firewall may be rejecting the connection.");
    case ConnectionFailure::Timeout:
        return tr("The host may be down, a firewall may drop the traffic, or the address is wrong. Check the "
                  "host and port, your network or VPN, and try again.");
    case ConnectionFailure::WrongPassword:
        if (noPasswordSupplied(report.detail))
            return tr("Enter the password for this user.");
        return tr("Check the user name and password (passwords are case-sensitive); when the database is on "
                  "Heroku, copy them again from DATABASE_URL: Heroku rotates credentials.");
    case ConnectionFailure::SslRequired:
        if (serverLacksSsl(report.detail))
            return tr(
                "On a local or otherwise trusted network set the SSL mode to \"prefer\" or \"disable\"; "
                "otherwise ask the administrator to enable SSL on the server.");
        return tr("Set the SSL mode to \"require\": hosted databases such as Heroku Postgres accept only "
                  "encrypted connections. If that does not help, ask the administrator to allow your "
                  "address in pg_hba.conf.");
    case ConnectionFailure::DatabaseMissing:
        if (report.settings.dialect == Dialect::Sqlite)
            return tr("Check the path. The engine creates the file when it first starts "
                      "(salesbot-engine migrate).");
        return tr("Check the database name (the part after the last \"/\" in DATABASE_URL), or create the "
                  "database and run salesbot-engine migrate.");
    case ConnectionFailure::SchemaOlder:
        return tr("Run \"salesbot-engine migrate\" against this database (the engine also migrates when it "
                  "starts), then test again.");
    case ConnectionFailure::SchemaNewer:
        return tr("Install the salesbot console of the same version as the engine that upgraded this "
                  "database.");
    case ConnectionFailure::DriverMissing:
        return tr("Install the package libqt6sql6-psql (PostgreSQL) or libqt6sql6-sqlite (SQLite) and "
                  "restart the console.");
    case ConnectionFailure::Other:
        if (noHbaEntry(report.detail))
            return tr("Ask the database administrator to allow your address, user and database in "
                      "pg_hba.conf.");
        return tr("Read the details below, check the connection settings and ask the administrator if the "
                  "problem stays.");
    }
    return {};
}

QString ConnectionProbe::failureName(ConnectionFailure failure)
{
    switch (failure) {
    case ConnectionFailure::None:
        return u"None"_s;
    case ConnectionFailure::HostNotFound:
        return u"HostNotFound"_s;
    case ConnectionFailure::ConnectionRefused:
        return u"ConnectionRefused"_s;
    case ConnectionFailure::Timeout:
        return u"Timeout"_s;
    case ConnectionFailure::WrongPassword:
        return u"WrongPassword"_s;
    case ConnectionFailure::SslRequired:
        return u"SslRequired"_s;
    case ConnectionFailure::DatabaseMissing:
        return u"DatabaseMissing"_s;
    case ConnectionFailure::SchemaOlder:
        return u"SchemaOlder"_s;
    case ConnectionFailure::SchemaNewer:
        return u"SchemaNewer"_s;
    case ConnectionFailure::DriverMissing:
        return u"DriverMissing"_s;
    case ConnectionFailure::Other:
        return u"Other"_s;
    }
    return {};
}

} // namespace salesbot
