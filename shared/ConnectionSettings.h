#pragma once

// Where the database is and how to reach it: what DATABASE_URL, a console profile or a test describes.

#include <QString>

namespace salesbot {

enum class Dialect
{
    PostgreSql,
    Sqlite,
};

struct ConnectionSettings
{
    Dialect dialect = Dialect::Sqlite;
    // PostgreSQL
    QString host;
    int port = 5432;
    QString databaseName;
    QString user;
    QString password;
    QString sslMode; // empty: libpq's default ("prefer")
    int connectTimeoutSeconds = 10;
    QString applicationName = QStringLiteral("salesbot");
    // PostgreSQL: the session never plans a sequential scan where an index serves (enable_seqscan off). For
    // connections whose statements are all key lookups, prepared once and run for days: PostgreSQL's generic
    // plan, made after a statement's fifth run, costs the tables as they were then, and on a new database
    // (a page or two) a key lookup becomes a sequential scan that stays one while the table grows.
    bool keyLookupsOnly = false;
    // SQLite
    QString sqlitePath;

    // The Qt driver name: QPSQL or QSQLITE.
    QString driverName() const;
    // The QSqlDatabase connect options string for this setting.
    QString connectOptions() const;
    // A human-readable description with the password left out, for logs and messages.
    QString redacted() const;
    // A DATABASE_URL that describes these settings (password percent-encoded when withPassword).
    QString toUrl(bool withPassword) const;
};

} // namespace salesbot
