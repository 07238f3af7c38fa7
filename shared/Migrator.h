#pragma once

// Brings a database to the schema this build expects: numbered SQL files, one transaction each.

#include "DbError.h"
#include "Expected.h"

#include <QList>
#include <QString>

namespace salesbot {

class DbConnection;

struct Migration
{
    int version = 0;
    QString name;
    QString script;
};

struct MigrationReport
{
    int fromVersion = 0;
    int toVersion = 0;
    QList<int> applied;
};

class Migrator final
{
public:
    // Uses the migrations embedded in the binary (resources/migrations/NNNN_name.<dialect>.sql).
    explicit Migrator(DbConnection& connection);
    // Uses the given migrations instead, for tests.
    Migrator(DbConnection& connection, QList<Migration> migrations);

    // The newest version this build knows.
    int latestVersion() const;
    // The version the database is at: 0 when it has no schema_migrations table.
    Expected<int, DbError> currentVersion();
    // Applies what is missing, up to `target` (default: all). A database newer than this build is refused.
    Expected<MigrationReport, DbError> migrate(int target = -1);

    static QList<Migration> embeddedMigrations(Dialect dialect);
    // The schema version a binary of this build expects.
    static int expectedVersion();

private:
    int readVersion();
    void ensureVersionTable();
    void lock();

    DbConnection& m_connection;
    QList<Migration> m_migrations;
};

} // namespace salesbot
