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
