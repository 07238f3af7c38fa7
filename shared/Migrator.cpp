#include "Migrator.h"

#include "DbConnection.h"
#include "SqlScript.h"
#include "Transaction.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {
// Serialises migrations between engines and consoles that start at the same moment (PostgreSQL).
constexpr qint64 MigrationLockKey = 0x5a1e5b07;
} // namespace

Migrator::Migrator(DbConnection& connection)
    : Migrator(connection, embeddedMigrations(connection.dialect()))
{}

Migrator::Migrator(DbConnection& connection, QList<Migration> migrations)
    : m_connection(connection)
    , m_migrations(std::move(migrations))
{
    std::sort(m_migrations.begin(), m_migrations.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
}

QList<Migration> Migrator::embeddedMigrations(Dialect dialect)
{
    const QString suffix = dialect == Dialect::PostgreSql ? u".postgres.sql"_s : u".sqlite.sql"_s;
    static const QRegularExpression pattern(u"^(\\d{4})_([a-z0-9_]+)\\.(postgres|sqlite)\\.sql$"_s);
    QList<Migration> result;
    const QDir dir(u":/migrations"_s);
    const QStringList files = dir.entryList(QDir::Files, QDir::Name);
    for (const QString& file : files) {
        const auto m = pattern.match(file);
        if (!m.hasMatch() || !file.endsWith(suffix))
            continue;
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        result.append({m.captured(1).toInt(), m.captured(2), QString::fromUtf8(f.readAll())});
    }
    return result;
}

int Migrator::expectedVersion()
{
    const QList<Migration> migrations = embeddedMigrations(Dialect::PostgreSql);
    return migrations.isEmpty() ? 0 : migrations.constLast().version;
}

int Migrator::latestVersion() const
{
    return m_migrations.isEmpty() ? 0 : m_migrations.constLast().version;
}

void Migrator::lock()
{
    if (m_connection.dialect() == Dialect::PostgreSql)
        m_connection.exec(u"SELECT pg_advisory_xact_lock(?)"_s, {MigrationLockKey}, u"locking migrations"_s);
    // SQLite: BEGIN IMMEDIATE already holds the write lock.
}

void Migrator::ensureVersionTable()
{
    const QString timestamp = m_connection.dialect() == Dialect::PostgreSql
                                  ? u"timestamptz NOT NULL DEFAULT now()"_s
                                  : u"TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"_s;
    m_connection.execDirect(u"CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
                            "name text NOT NULL, applied_at %1)"_s.arg(timestamp),
                            u"creating schema_migrations"_s);
}

int Migrator::readVersion()
{
    QSqlQuery& q = m_connection.exec(u"SELECT COALESCE(MAX(version), 0) FROM schema_migrations"_s, {},
                                     u"reading the schema version"_s);
    const int version = q.next() ? q.value(0).toInt() : 0;
    q.finish();
    return version;
}

Expected<int, DbError> Migrator::currentVersion()
{
    try {
        const QStringList tables = m_connection.database().tables();
        if (!tables.contains(u"schema_migrations"_s))
            return 0;
        return readVersion();
    } catch (const DbException& e) {
        return unexpected(e.error());
    }
}

Expected<MigrationReport, DbError> Migrator::migrate(int target)
{
    if (target < 0)
        target = latestVersion();
    MigrationReport report;
    try {
        {
            Transaction tx(m_connection);
            lock();
            ensureVersionTable();
            report.fromVersion = readVersion();
            tx.commit();
        }
        if (report.fromVersion > latestVersion()) {
            return unexpected(DbError(
                DbError::Kind::Schema, u"checking the schema version"_s,
                u"the database is at schema version %1, newer than this build of salesbot knows (%2); "
                "upgrade salesbot before using this database"_s.arg(report.fromVersion)
                    .arg(latestVersion())));
        }
        report.toVersion = report.fromVersion;
        for (const Migration& migration : std::as_const(m_migrations)) {
            if (migration.version <= report.toVersion || migration.version > target)
                continue;
            Transaction tx(m_connection);
            lock();
            // Another process may have applied it while we waited for the lock.
            if (readVersion() >= migration.version) {
                tx.commit();
                report.toVersion = migration.version;
                continue;
            }
            const QString operation =
                u"applying migration %1 (%2)"_s.arg(migration.version).arg(migration.name);
            const QStringList statements = SqlScript::split(migration.script);
            for (const QString& statement : statements)
                m_connection.execDirect(statement, operation);
            m_connection.exec(u"INSERT INTO schema_migrations (version, name) VALUES (?, ?)"_s,
                              {migration.version, migration.name}, operation);
            tx.commit();
            report.applied.append(migration.version);
            report.toVersion = migration.version;
        }
    } catch (const DbException& e) {
        const DbError& error = e.error();
        return unexpected(
            DbError(error.kind() == DbError::Kind::Connection ? error.kind() : DbError::Kind::Schema,
                    error.operation(), error.driverText(), error.sqlState()));
    }
    return report;
}

} // namespace salesbot
