#pragma once

// One named database connection owned by one thread, with a per-connection statement cache and reconnect.

#include "ConnectionSettings.h"
#include "DbError.h"
#include "Expected.h"

#include <QDateTime>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

class QThread;

#include <initializer_list>
#include <memory>

namespace salesbot {

class DbConnection final
{
public:
    // Registers a uniquely named QSqlDatabase; it must be used only on the thread that creates this object.
    explicit DbConnection(ConnectionSettings settings, const QString& purpose = QStringLiteral("main"));
    ~DbConnection();
    Q_DISABLE_COPY_MOVE(DbConnection)

    Expected<void, DbError> open();
    void close();
    bool isOpen() const;

    const ConnectionSettings& settings() const { return m_settings; }
    Dialect dialect() const { return m_settings.dialect; }
    const QString& name() const { return m_name; }
    QSqlDatabase& database() { return m_db; }

    // Runs a statement and returns the positioned-before-first query; throws DbException on failure.
    // `sql` may use the dialect tokens {now}, {json} and {ts} (see expand()); statements are prepared
    // once per connection and cached, so the text should be a constant.
    QSqlQuery& exec(const QString& sql, std::initializer_list<QVariant> values, const QString& operation);
    QSqlQuery& exec(const QString& sql, const QVariantList& values, const QString& operation);
    // Runs a statement that is not cached (DDL, migrations, one-off administration).
    void execDirect(const QString& sql, const QString& operation);
    // The last statement of the outermost transaction: runs it, commits, and returns its rows. On PostgreSQL
    // the COMMIT travels with the statement (one round trip, not two) and the caller's commit() then sends
    // nothing; elsewhere, and inside a savepoint, it is exec() and commit() stays with the caller.
    QList<QVariantList> execThenCommit(const QString& sql, const QVariantList& values,
                                       const QString& operation);

    // Replaces dialect tokens: {now} the current UTC time, {now_plus_ms} the database's now plus a parameter
    // in milliseconds, {json} a JSON parameter, {ts} a timestamp parameter (text from toSqlTimestamp()),
    // {in_ids} "is one of" a list of ids given as one parameter (text from idList()): one statement text for
    // any number of ids.
    QString expand(const QString& sql) const;

    // Transaction nesting, used by Transaction: the outermost level is BEGIN, inner levels are savepoints.
    // On PostgreSQL the BEGIN is not sent by itself: it goes with the transaction's first statement, which
    // saves a round trip per transaction (what counts when the database is a network hop away).
    int transactionDepth() const { return m_depth; }
    void begin();
    void commit();
    void rollback();

    // After a lost connection the next begin() or statement outside a transaction reopens it.
    bool isBroken() const { return m_broken; }
    int reconnectCount() const { return m_reconnects; }

    // Timestamps are text in UTC ("2026-11-25T10:00:00.000Z") on the way in and QDateTime UTC on the way out.
    static QString toSqlTimestamp(const QDateTime& value);
    // The parameter of {in_ids}: an array literal on PostgreSQL, a JSON list on SQLite.
    QString idList(const QList<qint64>& ids) const;
    static QDateTime fromSqlTimestamp(const QVariant& value);

private:
    Expected<void, DbError> openNow();
    bool connectionLost() const;
    bool reconnect();
    QSqlQuery& prepared(const QString& sql, const QString& operation);
    QSqlQuery& execCombined(const QString& sql, const QVariantList& values, const QString& operation,
                            bool commit);
    void sendPendingBegin(const QString& operation);
    bool serverInTransaction() const;
    [[noreturn]] void fail(const QSqlError& error, const QString& operation);

    ConnectionSettings m_settings;
    QString m_name;
    QThread* m_thread = nullptr; // the owner: Qt's SQL connections must not cross threads
    QSqlDatabase m_db;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
    // Statements run as text "BEGIN; EXECUTE name(...)[; COMMIT]": PREPAREd by name once per session.
    QHash<QString, QString> m_named;
    std::shared_ptr<QSqlQuery> m_combined;
    int m_depth = 0;
    bool m_beginPending = false; // BEGIN owed to the server: goes with the next statement
    bool m_committed = false;    // execThenCommit() already committed the outermost transaction
    bool m_broken = false;
    int m_reconnects = 0;
};

} // namespace salesbot
