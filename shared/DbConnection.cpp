#include "DbConnection.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QSqlRecord>
#include <QThread>

#include <libpq-fe.h>
#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {
QAtomicInteger<quint64> s_connectionCounter;

// salesbot_fold(text): Unicode case folding, so searches on SQLite ignore case in Cyrillic too
// (SQLite's own LIKE and lower() only know ASCII).
void sqliteFold(sqlite3_context* context, int argc, sqlite3_value** argv)
{
    if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    const int bytes = sqlite3_value_bytes(argv[0]);
    const QByteArray folded = QString::fromUtf8(text, bytes).toCaseFolded().toUtf8();
    sqlite3_result_text(context, folded.constData(), int(folded.size()), SQLITE_TRANSIENT);
}

bool registerSqliteFunctions(const QSqlDatabase& db)
{
    const QVariant handle = db.driver()->handle();
    if (qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return false;
    auto* sqlite = *static_cast<sqlite3* const*>(handle.constData());
    return sqlite != nullptr &&
           sqlite3_create_function_v2(sqlite, "salesbot_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                      &sqliteFold, nullptr, nullptr, nullptr) == SQLITE_OK;
}
} // namespace

DbConnection::DbConnection(ConnectionSettings settings, const QString& purpose)
    : m_settings(std::move(settings))
    , m_name(u"salesbot-%1-%2"_s.arg(purpose).arg(s_connectionCounter.fetchAndAddRelaxed(1)))
    , m_thread(QThread::currentThread())
{
    m_db = QSqlDatabase::addDatabase(m_settings.driverName(), m_name);
}

DbConnection::~DbConnection()
{
    m_statements.clear();
    m_combined.reset();
    if (m_db.isOpen()) {
        if (m_depth > 0)
            rollback();
        m_db.close();
    }
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

Expected<void, DbError> DbConnection::open()
{
    if (m_db.isOpen() && !connectionLost())
        return {};
    return openNow();
}

Expected<void, DbError> DbConnection::openNow()
{
    // Close first: closing invalidates the cached statements, so dropping them then sends nothing to a dead
    // server.
    if (m_db.isOpen())
        m_db.close();
    m_statements.clear();
    m_named.clear();
    m_combined.reset();
    m_depth = 0;
    m_beginPending = false;
    m_committed = false;
    if (!m_db.isValid())
        return unexpected(DbError(DbError::Kind::Connection, u"opening the database"_s,
                                  u"the Qt driver %1 is not available (install libqt6sql6-%2)"_s.arg(
                                      m_settings.driverName(),
                                      m_settings.dialect == Dialect::PostgreSql ? u"psql"_s : u"sqlite"_s)));
    if (m_settings.dialect == Dialect::PostgreSql) {
        m_db.setHostName(m_settings.host);
        m_db.setPort(m_settings.port);
        m_db.setDatabaseName(m_settings.databaseName);
        m_db.setUserName(m_settings.user);
        m_db.setPassword(m_settings.password);
    } else {
        const QFileInfo file(m_settings.sqlitePath);
        if (!QDir().mkpath(file.absolutePath()))
            return unexpected(DbError(DbError::Kind::Connection, u"opening the database"_s,
                                      u"cannot create the directory %1"_s.arg(file.absolutePath())));
        m_db.setDatabaseName(m_settings.sqlitePath);
    }
    m_db.setConnectOptions(m_settings.connectOptions());
    if (!m_db.open()) {
        DbError error =
            DbError::fromSqlError(m_db.lastError(), u"connecting to %1"_s.arg(m_settings.redacted()),
                                  dialect(), m_settings.password);
        return unexpected(
            DbError(DbError::Kind::Connection, error.operation(), error.driverText(), error.sqlState()));
    }
    try {
        if (dialect() == Dialect::PostgreSql) {
            // UTC timestamps; and no NOTICE chatter (e.g. "already exists, skipping") in an operator's
            // terminal.
            execDirect(u"SET TIME ZONE 'UTC'; SET client_min_messages TO warning"_s +
                           (m_settings.keyLookupsOnly ? u"; SET enable_seqscan TO off"_s : QString()),
                       u"setting up the session"_s);
        } else {
            execDirect(u"PRAGMA foreign_keys = ON"_s, u"setting up the session"_s);
            execDirect(u"PRAGMA journal_mode = WAL"_s, u"setting up the session"_s);
            execDirect(u"PRAGMA synchronous = NORMAL"_s, u"setting up the session"_s);
            if (!registerSqliteFunctions(m_db))
                throw DbException(DbError(DbError::Kind::Connection, u"setting up the session"_s,
                                          u"cannot register SQL functions with SQLite"_s));
        }
    } catch (const DbException& e) {
        m_db.close();
        return unexpected(e.error());
    }
    m_broken = false;
    return {};
}

void DbConnection::close()
{
    m_combined.reset();
    m_db.close();
    m_statements.clear();
    m_named.clear();
    m_depth = 0;
    m_beginPending = false;
    m_committed = false;
}

bool DbConnection::isOpen() const
{
    return m_db.isOpen();
}

bool DbConnection::connectionLost() const
{
    if (!m_db.isOpen())
        return true;
    if (dialect() != Dialect::PostgreSql)
        return false;
    const QVariant handle = m_db.driver()->handle();
    if (qstrcmp(handle.typeName(), "PGconn*") != 0)
        return false;
    auto* connection = *static_cast<PGconn* const*>(handle.constData());
    return connection == nullptr || PQstatus(connection) == CONNECTION_BAD;
}

bool DbConnection::reconnect()
{
    if (!openNow())
        return false;
    ++m_reconnects;
    return true;
}

QString DbConnection::expand(const QString& sql) const
{
    if (!sql.contains(u'{'))
        return sql;
    QString result = sql;
    if (dialect() == Dialect::PostgreSql) {
        result.replace("{now_plus_ms}"_L1, "(now() + CAST(? AS bigint) * interval '1 millisecond')"_L1);
        result.replace("{now}"_L1, "now()"_L1);
        result.replace("{json}"_L1, "CAST(? AS jsonb)"_L1);
        result.replace("{ts}"_L1, "CAST(? AS timestamptz)"_L1);
        result.replace("{in_ids}"_L1, "= ANY (CAST(? AS bigint[]))"_L1);
    } else {
        result.replace("{now_plus_ms}"_L1,
                       "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', (CAST(? AS REAL) / 1000.0) || ' seconds')"_L1);
        result.replace("{now}"_L1, "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"_L1);
        result.replace("{json}"_L1, "json(?)"_L1);
        result.replace("{ts}"_L1, "?"_L1);
        result.replace("{in_ids}"_L1, "IN (SELECT value FROM json_each(?))"_L1);
    }
    return result;
}

void DbConnection::fail(const QSqlError& error, const QString& operation)
{
    DbError e = DbError::fromSqlError(error, operation, dialect(), m_settings.password);
    if (e.kind() == DbError::Kind::Connection || connectionLost()) {
        m_broken = true;
        e = DbError(DbError::Kind::Connection, e.operation(), e.driverText(), e.sqlState());
    }
    throw DbException(std::move(e));
}

QSqlQuery& DbConnection::prepared(const QString& sql, const QString& operation)
{
    if (auto it = m_statements.constFind(sql); it != m_statements.constEnd())
        return **it;
    auto query = std::make_shared<QSqlQuery>(m_db);
    query->setForwardOnly(true);
    if (!query->prepare(expand(sql)))
        fail(query->lastError(), operation);
    m_statements.insert(sql, query);
    return *query;
}

QSqlQuery& DbConnection::exec(const QString& sql, std::initializer_list<QVariant> values,
                              const QString& operation)
{
    return exec(sql, QVariantList(values), operation);
}

QSqlQuery& DbConnection::exec(const QString& sql, const QVariantList& values, const QString& operation)
{
    if (QThread::currentThread() != m_thread) {
        throw DbException(DbError(DbError::Kind::Query, operation,
                                  u"connection %1 used from a thread that does not own it"_s.arg(m_name)));
    }
    if ((m_broken || !m_db.isOpen()) && m_depth == 0) {
        if (auto opened = openNow(); !opened)
            throw DbException(opened.error());
        ++m_reconnects;
    }
    if (m_beginPending)
        return execCombined(sql, values, operation, false);
    for (int attempt = 0;; ++attempt) {
        QSqlQuery* query = nullptr;
        try {
            query = &prepared(sql, operation);
        } catch (const DbException& e) {
            // A statement cannot be prepared on a dead connection: reconnect once outside a transaction.
            if (attempt == 0 && m_depth == 0 &&
                (connectionLost() || e.error().kind() == DbError::Kind::Connection) && reconnect())
                continue;
            throw;
        }
        query->finish();
        for (qsizetype i = 0; i < values.size(); ++i)
            query->bindValue(int(i), values.at(i));
        if (query->exec())
            return *query;
        // libpq reports a session the server ended (57P01 admin shutdown, 57P02 crash; e.g. a restart) only
        // when the next statement reads the goodbye: PQstatus still says OK then. Such a statement never ran,
        // so one retry on a fresh connection outside a transaction is safe.
        // The error is copied first: reconnecting drops the cached statements, `query` among them, also when
        // the new connection cannot be opened and the original error is what the caller must hear.
        const QSqlError error = query->lastError();
        const bool lost =
            connectionLost() || DbError::fromSqlError(error, operation, dialect(), m_settings.password)
                                    .sqlState()
                                    .startsWith("57P"_L1);
        if (attempt == 0 && m_depth == 0 && lost && reconnect())
            continue;
        fail(error, operation);
    }
}

void DbConnection::execDirect(const QString& sql, const QString& operation)
{
    sendPendingBegin(operation);
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        fail(query.lastError(), operation);
}

void DbConnection::begin()
{
    if (m_depth == 0) {
        if (m_broken || connectionLost()) {
            if (auto opened = openNow(); !opened)
                throw DbException(opened.error());
            ++m_reconnects;
        }
        m_committed = false;
        if (dialect() == Dialect::PostgreSql)
            m_beginPending = true; // sent with the first statement (execCombined)
        else
            execDirect(u"BEGIN IMMEDIATE"_s, u"starting a transaction"_s);
    } else {
        execDirect(u"SAVEPOINT sp_%1"_s.arg(m_depth), u"starting a savepoint"_s);
    }
    ++m_depth;
}

void DbConnection::commit()
{
    Q_ASSERT(m_depth > 0);
    --m_depth;
    if (m_depth == 0) {
        if (m_beginPending || m_committed) {
            // Nothing was sent (an empty transaction), or the COMMIT went with the last statement.
            m_beginPending = false;
            m_committed = false;
            return;
        }
        execDirect(u"COMMIT"_s, u"committing a transaction"_s);
    } else {
        execDirect(u"RELEASE SAVEPOINT sp_%1"_s.arg(m_depth), u"releasing a savepoint"_s);
    }
}

void DbConnection::rollback()
{
    Q_ASSERT(m_depth > 0);
    --m_depth;
    if (m_depth == 0 && (m_beginPending || m_committed)) {
        // The server never heard of this transaction, or it is committed already (a failure after
        // execThenCommit(): nothing is left to undo).
        m_beginPending = false;
        m_committed = false;
        return;
    }
    if (m_broken)
        return; // the server has already rolled back what died with the connection
    QSqlQuery query(m_db);
    if (m_depth == 0) {
        if (!serverInTransaction())
            return; // a combined statement failed before or at its BEGIN, or its COMMIT ran: nothing to undo
        if (!query.exec(u"ROLLBACK"_s) && connectionLost())
            m_broken = true;
    } else {
        if (query.exec(u"ROLLBACK TO SAVEPOINT sp_%1"_s.arg(m_depth)))
            query.exec(u"RELEASE SAVEPOINT sp_%1"_s.arg(m_depth));
        else if (connectionLost())
            m_broken = true;
    }
}

bool DbConnection::serverInTransaction() const
{
    if (dialect() != Dialect::PostgreSql)
        return true;
    const QVariant handle = m_db.driver()->handle();
    if (qstrcmp(handle.typeName(), "PGconn*") != 0)
        return true;
    auto* connection = *static_cast<PGconn* const*>(handle.constData());
    if (connection == nullptr)
        return true;
    const PGTransactionStatusType status = PQtransactionStatus(connection);
    return status != PQTRANS_IDLE;
}

void DbConnection::sendPendingBegin(const QString& operation)
{
    if (!m_beginPending)
        return;
    m_beginPending = false;
    QSqlQuery query(m_db);
    if (!query.exec(u"BEGIN"_s))
        fail(query.lastError(), operation);
}

namespace {

// "?" placeholders to PostgreSQL's $1, $2 ... outside quoted text and identifiers.
QString numberedPlaceholders(const QString& sql)
{
    QString result;
    result.reserve(sql.size() + 16);
    int n = 0;
    QChar quote;
    for (const QChar c : sql) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            result += c;
        } else if (c == u'\'' || c == u'"') {
            quote = c;
            result += c;
        } else if (c == u'?') {
            result += u'$' + QString::number(++n);
        } else {
            result += c;
        }
    }
    return result;
}

} // namespace

QSqlQuery& DbConnection::execCombined(const QString& sql, const QVariantList& values,
                                      const QString& operation, bool commit)
{
    // PostgreSQL only. Qt's prepared statements are EXECUTE texts built inside the driver, which cannot carry
    // a BEGIN or COMMIT along: these statements are PREPAREd here by name, and their EXECUTE goes out in one
    // simple query with the transaction's BEGIN before it and/or its COMMIT after it. The values are
    // formatted by the driver exactly as its own EXECUTE does.
    auto named = m_named.constFind(sql);
    if (named == m_named.constEnd()) {
        const QString name = u"salesbot_%1"_s.arg(m_named.size() + 1);
        QSqlQuery prepare(m_db);
        if (!prepare.exec(u"PREPARE %1 AS %2"_s.arg(name, numberedPlaceholders(expand(sql)))))
            fail(prepare.lastError(), operation);
        named = m_named.insert(sql, name);
    }
    QString text;
    if (m_beginPending)
        text += "BEGIN; "_L1;
    text += "EXECUTE "_L1 + *named;
    if (!values.isEmpty()) {
        text += u'(';
        QSqlField field;
        for (qsizetype i = 0; i < values.size(); ++i) {
            const QVariant& value = values.at(i);
            field.setMetaType(value.metaType());
            // NULL as Qt's own binding sends it: a null variant, or a null string, bytes or date-time in one.
            const int type = value.metaType().id();
            const bool null = value.isNull() || (type == QMetaType::QString && value.toString().isNull()) ||
                              (type == QMetaType::QByteArray && value.toByteArray().isNull()) ||
                              (type == QMetaType::QDateTime && !value.toDateTime().isValid());
            if (null)
                field.clear();
            else
                field.setValue(value);
            if (i > 0)
                text += ", "_L1;
            text += m_db.driver()->formatValue(field);
        }
        text += u')';
    }
    if (commit)
        text += "; COMMIT"_L1;
    const bool withBegin = m_beginPending;
    m_beginPending = false; // sent: from here on rollback() asks the server whether a transaction is open
    if (!m_combined) {
        m_combined = std::make_shared<QSqlQuery>(m_db);
        m_combined->setForwardOnly(true);
    }
    QSqlQuery& query = *m_combined;
    query.finish();
    if (!query.exec(text))
        fail(query.lastError(), operation);
    // The BEGIN's result comes first; the statement's own (or its error) is the next one.
    if (withBegin && !query.nextResult())
        fail(query.lastError(), operation);
    return query;
}

QList<QVariantList> DbConnection::execThenCommit(const QString& sql, const QVariantList& values,
                                                 const QString& operation)
{
    const bool combine = dialect() == Dialect::PostgreSql && m_depth == 1;
    QSqlQuery& query = combine ? execCombined(sql, values, operation, true) : exec(sql, values, operation);
    QList<QVariantList> rows;
    while (query.next()) {
        const int columns = query.record().count();
        QVariantList row;
        row.reserve(columns);
        for (int i = 0; i < columns; ++i)
            row << query.value(i);
        rows << std::move(row);
    }
    if (combine) {
        // The COMMIT's result follows the rows: a failed commit is this statement's failure.
        if (!query.nextResult() && query.lastError().isValid())
            fail(query.lastError(), u"committing a transaction"_s);
        m_committed = true;
    }
    query.finish();
    return rows;
}

QString DbConnection::idList(const QList<qint64>& ids) const
{
    QString list;
    list.reserve(ids.size() * 12 + 2);
    list += dialect() == Dialect::PostgreSql ? u'{' : u'[';
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i > 0)
            list += u',';
        list += QString::number(ids.at(i));
    }
    list += dialect() == Dialect::PostgreSql ? u'}' : u']';
    return list;
}

QString DbConnection::toSqlTimestamp(const QDateTime& value)
{
    if (!value.isValid())
        return {};
    return value.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss.zzzZ"_s);
}

QDateTime DbConnection::fromSqlTimestamp(const QVariant& value)
{
    if (value.isNull())
        return {};
    if (value.metaType().id() == QMetaType::QDateTime)
        return value.toDateTime().toUTC();
    QString text = value.toString().trimmed();
    if (text.isEmpty())
        return {};
    text.replace(u' ', u'T');
    // PostgreSQL writes "+00" where ISO 8601 parsers want "+00:00".
    static const QRegularExpression shortOffset(u"T.*[+-]\\d\\d$"_s);
    if (shortOffset.match(text).hasMatch())
        text += ":00"_L1;
    QDateTime result = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!result.isValid())
        result = QDateTime::fromString(text, Qt::ISODate);
    if (result.isValid() && result.timeSpec() == Qt::LocalTime)
        result.setTimeSpec(Qt::UTC); // stored values without an offset are UTC by convention
    return result.toUTC();
}

} // namespace salesbot
