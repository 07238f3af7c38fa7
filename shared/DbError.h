#pragma once

// The one typed database error that crosses the repository boundary: what failed, SQL state, driver text.

#include "ConnectionSettings.h"

#include <QString>

#include <exception>

class QSqlError;

namespace salesbot {

class DbError
{
public:
    enum class Kind
    {
        None,
        Connection,          // unreachable, authentication failed, connection lost
        Query,               // any other statement failure
        UniqueViolation,     // a unique index said no
        ForeignKeyViolation, // a reference points nowhere
        CheckViolation,      // a CHECK or NOT NULL constraint said no
        Busy,                // SQLite busy/locked, PostgreSQL serialization failure or deadlock
        Conflict,            // optimistic locking: someone else changed the row first
        NotFound,            // the row the caller named does not exist
        InvalidArgument,     // the caller asked for something the domain forbids
        Schema,              // migrations: missing, failed, or the database is newer than this build
    };

    DbError() = default;
    DbError(Kind kind, QString operation, QString driverText, QString sqlState = {});

    // Classifies a driver error. `secret` (a password) is scrubbed from the driver text.
    static DbError fromSqlError(const QSqlError& error, const QString& operation, Dialect dialect,
                                const QString& secret = {});

    Kind kind() const { return m_kind; }
    const QString& operation() const { return m_operation; }
    const QString& sqlState() const { return m_sqlState; }
    const QString& driverText() const { return m_driverText; }
    // The constraint or index named by the driver text, when there is one (e.g.
    // applications_one_open_per_user).
    QString constraintName() const;
    // Whether retrying the whole transaction may succeed (connection lost, busy, serialization failure).
    bool isTransient() const;
    // "<operation>: <kind> [SQLSTATE x]: <driver text>" on one line.
    QString message() const;
    static QString kindName(Kind kind);

private:
    Kind m_kind = Kind::None;
    QString m_operation;
    QString m_driverText;
    QString m_sqlState;
};

// Thrown inside core between the SQL helpers and the repository boundary, where it becomes an Expected.
class DbException : public std::exception
{
public:
    explicit DbException(DbError error);
    const DbError& error() const { return m_error; }
    const char* what() const noexcept override;

private:
    DbError m_error;
    QByteArray m_what;
};

} // namespace salesbot
