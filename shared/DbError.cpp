#include "DbError.h"

#include <QRegularExpression>
#include <QSqlError>

using namespace Qt::StringLiterals;

namespace salesbot {

DbError::DbError(Kind kind, QString operation, QString driverText, QString sqlState)
    : m_kind(kind)
    , m_operation(std::move(operation))
    , m_driverText(std::move(driverText))
    , m_sqlState(std::move(sqlState))
{}

namespace {

DbError::Kind classifyPostgres(const QString& state, const QString& text, QSqlError::ErrorType type)
{
    if (state == "23505"_L1)
        return DbError::Kind::UniqueViolation;
    if (state == "23503"_L1)
        return DbError::Kind::ForeignKeyViolation;
    if (state == "23514"_L1 || state == "23502"_L1)
        return DbError::Kind::CheckViolation;
    if (state == "40001"_L1 || state == "40P01"_L1 || state == "55P03"_L1)
        return DbError::Kind::Busy;
    if (state.startsWith("08"_L1) || state.startsWith("28"_L1) || state == "3D000"_L1 ||
        state.startsWith("57P"_L1) || state == "53300"_L1)
        return DbError::Kind::Connection;
    if (type == QSqlError::ConnectionError)
        return DbError::Kind::Connection;
    // libpq reports a dropped connection without a SQLSTATE.
    if (state.isEmpty() &&
        (text.contains("server closed the connection"_L1) ||
         text.contains("no connection to the server"_L1) || text.contains("terminating connection"_L1) ||
         text.contains("could not receive data"_L1) || text.contains("could not send data"_L1) ||
         text.contains("connection to server"_L1)))
        return DbError::Kind::Connection;
    return DbError::Kind::Query;
}

DbError::Kind classifySqlite(const QString& code, const QString& text, QSqlError::ErrorType type)
{
    // Qt reports sqlite3_extended_errcode() or the primary code, depending on the version: accept both.
    bool ok = false;
    const int value = code.toInt(&ok);
    const int primary = ok ? (value & 0xff) : -1;
    if (value == 2067 || value == 1555 || text.contains("UNIQUE constraint failed"_L1))
        return DbError::Kind::UniqueViolation;
    if (value == 787 || text.contains("FOREIGN KEY constraint failed"_L1))
        return DbError::Kind::ForeignKeyViolation;
    // 19 is any other constraint, e.g. a trigger's RAISE(ABORT): a broken row, never worth retrying.
    if (value == 275 || value == 1299 || primary == 19 || text.contains("CHECK constraint failed"_L1) ||
        text.contains("NOT NULL constraint failed"_L1))
        return DbError::Kind::CheckViolation;
    if (primary == 5 || primary == 6 || text.contains("database is locked"_L1))
        return DbError::Kind::Busy;
    // Qt's SQLite driver reports every failing step as a ConnectionError ("Unable to fetch row"): with a
    // code at hand only the codes of an unusable file count (I/O error, cannot open, not a database), or
    // an error taken for a lost connection would be retried for ever.
    if ((type == QSqlError::ConnectionError && !ok) || primary == 10 || primary == 14 || primary == 26)
        return DbError::Kind::Connection;
    return DbError::Kind::Query;
}

} // namespace

DbError DbError::fromSqlError(const QSqlError& error, const QString& operation, Dialect dialect,
                              const QString& secret)
{
    QString text = error.databaseText().trimmed();
    const QString driver = error.driverText().trimmed();
    if (text.isEmpty())
        text = driver;
    else if (!driver.isEmpty() && !text.contains(driver))
        text = driver + ": "_L1 + text;
    if (!secret.isEmpty())
        text.replace(secret, "***"_L1);
    text.replace(QRegularExpression(u"\\s*\\n\\s*"_s), u" "_s);
    const QString code = error.nativeErrorCode();
    const Kind kind = dialect == Dialect::PostgreSql ? classifyPostgres(code, text, error.type())
                                                     : classifySqlite(code, text, error.type());
    return DbError(kind, operation, text, code);
}

QString DbError::constraintName() const
{
    static const QRegularExpression postgres(u"constraint \"([^\"]+)\""_s);
    if (const auto m = postgres.match(m_driverText); m.hasMatch())
        return m.captured(1);
    static const QRegularExpression sqlite(u"constraint failed: ([A-Za-z0-9_.]+(?:, [A-Za-z0-9_.]+)*)"_s);
    if (const auto m = sqlite.match(m_driverText); m.hasMatch())
        return m.captured(1);
    return {};
}

bool DbError::isTransient() const
{
    return m_kind == Kind::Connection || m_kind == Kind::Busy;
}

QString DbError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return u"no error"_s;
    case Kind::Connection:
        return u"connection failed"_s;
    case Kind::Query:
        return u"query failed"_s;
    case Kind::UniqueViolation:
        return u"duplicate value"_s;
    case Kind::ForeignKeyViolation:
        return u"reference to a missing row"_s;
    case Kind::CheckViolation:
        return u"invalid value"_s;
    case Kind::Busy:
        return u"database busy"_s;
    case Kind::Conflict:
        return u"changed by someone else"_s;
    case Kind::NotFound:
        return u"not found"_s;
    case Kind::InvalidArgument:
        return u"not allowed"_s;
    case Kind::Schema:
        return u"schema error"_s;
    }
    return {};
}

QString DbError::message() const
{
    QString result = m_operation.isEmpty() ? kindName(m_kind) : m_operation + ": "_L1 + kindName(m_kind);
    if (!m_sqlState.isEmpty())
        result += " [SQLSTATE "_L1 + m_sqlState + u']';
    if (!m_driverText.isEmpty())
        result += ": "_L1 + m_driverText;
    return result;
}

DbException::DbException(DbError error)
    : m_error(std::move(error))
    , m_what(m_error.message().toUtf8())
{}

const char* DbException::what() const noexcept
{
    return m_what.constData();
}

} // namespace salesbot
