// The connection layer: transaction guard, savepoints, typed errors without secrets, a server that goes
// away and comes back, and one that is not there at all.

#include "ConnectionSettings.h"
#include "DbConnection.h"
#include "Fixtures.h"
#include "SqlScript.h"
#include "TestDatabase.h"
#include "Transaction.h"
#include "UserRepository.h"

#include <QSqlError>
#include <QTcpServer>
#include <QThread>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

class TestDbConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void transactionRollsBackUnlessCommitted();
    void committedTransactionStays();
    void savepointsNest();
    void errorsAreTypedAndNameTheOperation();
    void timestampsAreUtcWhateverTheTimeZone();
    void lostConnectionIsReopened();
    void unreachableServerIsAConnectionError();
    void wrongPasswordIsNotEchoed();
    void aConnectionStaysOnItsThread();
    void keyLookupsPlanNoSequentialScan();

private:
    qint64 userCount();

    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
};

void TestDbConnection::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
}

void TestDbConnection::cleanup()
{
    m_db.reset();
    m_database.reset();
}

qint64 TestDbConnection::userCount()
{
    auto n = UserRepository(*m_db).count();
    return n ? *n : -1;
}

void TestDbConnection::transactionRollsBackUnlessCommitted()
{
    {
        Transaction tx(*m_db);
        makeUser(*m_db, 1);
        QCOMPARE(userCount(), 1);
    }
    QCOMPARE(m_db->transactionDepth(), 0);
    QCOMPARE(userCount(), 0);
    // An exception unwinding through the guard rolls back too.
    try {
        Transaction tx(*m_db);
        makeUser(*m_db, 2);
        m_db->exec(u"INSERT INTO no_such_table VALUES (1)"_s, {}, u"failing on purpose"_s);
        tx.commit();
    } catch (const DbException& e) {
        QCOMPARE(e.error().operation(), u"failing on purpose"_s);
    }
    QCOMPARE(m_db->transactionDepth(), 0);
    QCOMPARE(userCount(), 0);
}

void TestDbConnection::committedTransactionStays()
{
    Transaction tx(*m_db);
    makeUser(*m_db, 1);
    tx.commit();
    QVERIFY(!tx.isActive());
    auto other = m_database->connect(u"other"_s);
    QVERIFY(other);
    auto n = UserRepository(*other).count();
    QCOMPARE(*n, 1);
}

void TestDbConnection::savepointsNest()
{
    Transaction outer(*m_db);
    makeUser(*m_db, 1);
    {
        Transaction inner(*m_db);
        QCOMPARE(m_db->transactionDepth(), 2);
        makeUser(*m_db, 2);
        // A failed statement inside the savepoint does not doom the outer transaction (PostgreSQL would).
        try {
            makeUser(*m_db, 3);
            m_db->exec(u"INSERT INTO users (telegram_id) VALUES (3)"_s, {}, u"duplicate"_s);
        } catch (const DbException& e) {
            QCOMPARE(e.error().kind(), DbError::Kind::UniqueViolation);
        }
    } // rolled back: users 2 and 3 are gone
    makeUser(*m_db, 4);
    outer.commit();
    QCOMPARE(userCount(), 2);
    QVERIFY(*UserRepository(*m_db).findByTelegramId(1));
    QVERIFY(!*UserRepository(*m_db).findByTelegramId(2));
    QVERIFY(*UserRepository(*m_db).findByTelegramId(4));
}

void TestDbConnection::errorsAreTypedAndNameTheOperation()
{
    try {
        m_db->exec(u"SELEC broken"_s, {}, u"reading nonsense"_s);
        QFAIL("accepted a syntax error");
    } catch (const DbException& e) {
        QCOMPARE(e.error().kind(), DbError::Kind::Query);
        QCOMPARE(e.error().operation(), u"reading nonsense"_s);
        QVERIFY(!e.error().driverText().isEmpty());
        if (m_db->dialect() == Dialect::PostgreSql)
            QCOMPARE(e.error().sqlState(), u"42601"_s);
        QVERIFY(e.error().message().startsWith(u"reading nonsense: "_s));
        QVERIFY(!e.error().message().contains(u'\n'));
    }
    makeUser(*m_db, 1);
    try {
        m_db->exec(u"INSERT INTO users (telegram_id) VALUES (1)"_s, {}, u"adding a user"_s);
        QFAIL("accepted a duplicate");
    } catch (const DbException& e) {
        QCOMPARE(e.error().kind(), DbError::Kind::UniqueViolation);
        QVERIFY(!e.error().isTransient());
        if (m_db->dialect() == Dialect::PostgreSql) {
            QCOMPARE(e.error().sqlState(), u"23505"_s);
            QCOMPARE(e.error().constraintName(), u"users_telegram_id_key"_s);
        } else {
            QCOMPARE(e.error().constraintName(), u"users.telegram_id"_s);
        }
    }
}

void TestDbConnection::timestampsAreUtcWhateverTheTimeZone()
{
    const QDateTime utc(QDate(2026, 1, 31), QTime(23, 30, 15, 250), Qt::UTC);
    QCOMPARE(DbConnection::toSqlTimestamp(utc), u"2026-01-31T23:30:15.250Z"_s);
    QCOMPARE(DbConnection::toSqlTimestamp(utc.toOffsetFromUtc(14 * 3600)), u"2026-01-31T23:30:15.250Z"_s);
    QCOMPARE(DbConnection::fromSqlTimestamp(u"2026-01-31T23:30:15.250Z"_s), utc);
    QCOMPARE(DbConnection::fromSqlTimestamp(u"2026-02-01 09:30:15.25+10"_s), utc);
    QCOMPARE(DbConnection::fromSqlTimestamp(u"2026-01-31 23:30:15.25+00"_s), utc);
    QVERIFY(!DbConnection::fromSqlTimestamp(QVariant()).isValid());
    // Round trip through the database.
    const User u = makeUser(*m_db, 1);
    m_db->exec(u"UPDATE users SET created_at = {ts} WHERE id = ?"_s,
               {DbConnection::toSqlTimestamp(utc), u.id}, u"set"_s);
    auto loaded = UserRepository(*m_db).findByTelegramId(1);
    QCOMPARE((*loaded)->createdAt, utc);
    QCOMPARE((*loaded)->createdAt.timeSpec(), Qt::UTC);
}

void TestDbConnection::lostConnectionIsReopened()
{
    if (m_db->dialect() != Dialect::PostgreSql)
        QSKIP("an embedded SQLite database cannot go away; this case is for PostgreSQL");
    makeUser(*m_db, 1);
    QVERIFY(m_database->terminateSessions());
    // Outside a transaction the next statement reconnects by itself.
    QCOMPARE(userCount(), 1);
    QCOMPARE(m_db->reconnectCount(), 1);
    // Inside a transaction the failure is reported (the work is lost and must be redone), typed as transient.
    {
        Transaction tx(*m_db);
        makeUser(*m_db, 2);
        QVERIFY(m_database->terminateSessions());
        try {
            makeUser(*m_db, 3);
            QFAIL("a dead connection accepted a statement");
        } catch (const DbException& e) {
            QCOMPARE(e.error().kind(), DbError::Kind::Connection);
            QVERIFY(e.error().isTransient());
        }
    }
    QVERIFY(m_db->isBroken());
    // The next transaction starts on a new connection; nothing of the lost one was committed.
    {
        Transaction tx(*m_db);
        makeUser(*m_db, 4);
        tx.commit();
    }
    QCOMPARE(userCount(), 2);
    QVERIFY(!*UserRepository(*m_db).findByTelegramId(2));
}

void TestDbConnection::unreachableServerIsAConnectionError()
{
    // A port where nothing listens: reserve one, then close it.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    ConnectionSettings s;
    s.dialect = Dialect::PostgreSql;
    s.host = u"127.0.0.1"_s;
    s.port = port;
    s.databaseName = u"salesbot"_s;
    s.user = u"salesbot"_s;
    s.password = u"s3cret-Pa55"_s;
    s.connectTimeoutSeconds = 3;
    DbConnection db(s, u"unreachable"_s);
    QElapsedTimer timer;
    timer.start();
    auto opened = db.open();
    QVERIFY(!opened);
    QVERIFY(timer.elapsed() < 10'000);
    QCOMPARE(opened.error().kind(), DbError::Kind::Connection);
    QVERIFY(opened.error().isTransient());
    QVERIFY2(!opened.error().message().contains(u"s3cret-Pa55"_s), qPrintable(opened.error().message()));
    QVERIFY2(opened.error().message().contains(QString::number(port)), qPrintable(opened.error().message()));
    // A statement on it fails cleanly too.
    try {
        db.exec(u"SELECT 1"_s, {}, u"probing"_s);
        QFAIL("a closed connection ran a statement");
    } catch (const DbException& e) {
        QCOMPARE(e.error().kind(), DbError::Kind::Connection);
    }
}

void TestDbConnection::wrongPasswordIsNotEchoed()
{
    if (m_db->dialect() != Dialect::PostgreSql)
        QSKIP("SQLite has no passwords");
    ConnectionSettings s = m_database->settings();
    s.password = u"definitely-wrong-%1"_s.arg(QCoreApplication::applicationPid());
    DbConnection db(s, u"wrong-password"_s);
    auto opened = db.open();
    QVERIFY(!opened);
    QCOMPARE(opened.error().kind(), DbError::Kind::Connection);
    QVERIFY2(!opened.error().message().contains(s.password), qPrintable(opened.error().message()));
    QVERIFY2(opened.error().message().contains(u"password authentication failed"_s),
             qPrintable(opened.error().message()));
}

void TestDbConnection::keyLookupsPlanNoSequentialScan()
{
    if (m_db->dialect() != Dialect::PostgreSql)
        QSKIP("a PostgreSQL planner setting");
    // A table of one page, as every table of a new database is when the engine's statements are first
    // planned.
    m_db->execDirect(u"CREATE TABLE lookups (id bigint PRIMARY KEY, v text); "
                     "INSERT INTO lookups SELECT g, 'v' FROM generate_series(1, 50) g; ANALYZE lookups"_s,
                     u"test"_s);
    const auto plan = [](DbConnection& db) {
        // A lookup by key planned generically, as after a statement's fifth run.
        QSqlQuery q(db.database());
        q.exec(u"DEALLOCATE ALL"_s);
        q.exec(u"SET plan_cache_mode TO force_generic_plan"_s);
        if (!q.exec(u"PREPARE lookup(bigint) AS SELECT v FROM lookups WHERE id = $1"_s) ||
            !q.exec(u"EXPLAIN EXECUTE lookup(42)"_s))
            return u"failed: "_s + q.lastError().text();
        QString text;
        while (q.next())
            text += q.value(0).toString() + u'\n';
        return text;
    };
    QVERIFY2(plan(*m_db).contains(u"Seq Scan"_s), "the case this setting is for no longer arises");
    ConnectionSettings settings = m_database->settings();
    settings.keyLookupsOnly = true;
    DbConnection engine(settings, u"engine-like"_s);
    QVERIFY(engine.open());
    QVERIFY2(!plan(engine).contains(u"Seq Scan"_s), qPrintable(plan(engine)));
    // A new session after a lost one is set up the same way.
    QVERIFY(m_database->terminateSessions());
    engine.exec(u"SELECT 1"_s, {}, u"reconnecting"_s);
    QCOMPARE(engine.reconnectCount(), 1);
    const QString again = plan(engine);
    QVERIFY2(!again.contains(u"Seq Scan"_s), qPrintable(again));
}

void TestDbConnection::aConnectionStaysOnItsThread()
{
    QString message;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        try {
            m_db->exec(u"SELECT 1"_s, {}, u"probing from elsewhere"_s);
        } catch (const DbException& e) {
            message = e.error().message();
        }
    }));
    thread->start();
    QVERIFY(thread->wait(10'000));
    QVERIFY2(message.contains(u"does not own it"_s), qPrintable(message));
    QCOMPARE(userCount(), 0); // still fine on its own thread
}

QTEST_GUILESS_MAIN(TestDbConnection)
#include "tst_dbconnection.moc"
