// Migrations from an empty database, re-runs, targets, failures and a database newer than the build.

#include "DbConnection.h"
#include "Migrator.h"
#include "PackageRepository.h"
#include "TestDatabase.h"

#include <QSqlQuery>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

class TestMigrations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void emptyDatabaseGetsTheWholeSchema();
    void secondRunIsANoOp();
    void catalogIsSeededFromTheSpec();
    void stepsApplyInOrderFromEachPreviousVersion();
    void failedMigrationLeavesNothingBehind();
    void databaseNewerThanTheBuildIsRefused();
    void funnelMilestonesAreBackfilledAndKept();
    void eventAndMethodNamesAreChecked();
    void unsearchedJsonHasNoStatistics();

private:
    bool accepted(const QString& sql, const QVariantList& values);
    void checkNames();
    QString milestones(qint64 telegramId);
    QStringList analyzedColumns();
    QStringList tables();

    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
};

void TestMigrations::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connect();
    QVERIFY(m_db);
}

void TestMigrations::cleanup()
{
    m_db.reset();
    m_database.reset();
}

QStringList TestMigrations::tables()
{
    QStringList result = m_db->database().tables();
    for (QString& t : result)
        t = t.section(u'.', -1);
    result.sort();
    return result;
}

void TestMigrations::emptyDatabaseGetsTheWholeSchema()
{
    Migrator migrator(*m_db);
    QVERIFY(migrator.latestVersion() >= 1);
    QCOMPARE(migrator.latestVersion(), Migrator::expectedVersion());
    auto before = migrator.currentVersion();
    QVERIFY2(before, WHY(before));
    QCOMPARE(*before, 0);

    auto report = migrator.migrate();
    QVERIFY2(report, WHY(report));
    QCOMPARE(report->fromVersion, 0);
    QCOMPARE(report->toVersion, migrator.latestVersion());
    QCOMPARE(report->applied.constFirst(), 1);

    const QStringList expected{
        u"application_events"_s, u"applications"_s, u"bot_metrics"_s, u"dialog_states"_s,
        u"engine_instances"_s,   u"outbox"_s,       u"packages"_s,    u"processed_updates"_s,
        u"schema_migrations"_s,  u"users"_s};
    const QStringList actual = tables();
    for (const QString& table : expected)
        QVERIFY2(actual.contains(table), qPrintable(u"missing table "_s + table));

    auto after = migrator.currentVersion();
    QVERIFY2(after, WHY(after));
    QCOMPARE(*after, migrator.latestVersion());
}

void TestMigrations::secondRunIsANoOp()
{
    Migrator migrator(*m_db);
    auto first = migrator.migrate();
    QVERIFY2(first, WHY(first));
    auto second = migrator.migrate();
    QVERIFY2(second, WHY(second));
    QVERIFY(second->applied.isEmpty());
    QCOMPARE(second->fromVersion, first->toVersion);
    // A fresh connection (another process, say) sees the same version and does nothing either.
    auto other = m_database->connect(u"other"_s);
    QVERIFY(other);
    Migrator again(*other);
    auto third = again.migrate();
    QVERIFY2(third, WHY(third));
    QVERIFY(third->applied.isEmpty());

    QSqlQuery& q = m_db->exec(u"SELECT COUNT(*) FROM schema_migrations"_s, {}, u"count"_s);
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), migrator.latestVersion());
    q.finish();
}

void TestMigrations::catalogIsSeededFromTheSpec()
{
    QVERIFY(Migrator(*m_db).migrate());
    PackageRepository packages(*m_db);
    auto list = packages.list();
    QVERIFY2(list, WHY(list));
    QCOMPARE(list->size(), 3);
    QCOMPARE(list->at(0).code, u"basic"_s);
    QCOMPARE(list->at(0).title, u"Базовый"_s);
    QCOMPARE(list->at(0).priceFrom, 15000);
    QCOMPARE(list->at(0).timeline, u"5 рабочих дней"_s);
    QCOMPARE(list->at(1).code, u"advanced"_s);
    QCOMPARE(list->at(1).priceFrom, 45000);
    QCOMPARE(list->at(1).timeline, u"2–3 недели"_s);
    QCOMPARE(list->at(2).code, u"premium"_s);
    QCOMPARE(list->at(2).title, u"Премиум"_s);
    QCOMPARE(list->at(2).priceFrom, 120000);
    QCOMPARE(list->at(2).timeline, u"4–6 недель"_s); // an en dash, as stored
    QVERIFY(list->at(2).features.contains(u"Персональный менеджер"_s));
    QVERIFY(list->at(1).features.contains(u"Интеграция с CRM (amoCRM, Bitrix24)"_s));
    for (const Package& p : std::as_const(*list))
        QVERIFY(p.active);
}

void TestMigrations::stepsApplyInOrderFromEachPreviousVersion()
{
    const QList<Migration> steps{
        {1, u"first"_s, u"CREATE TABLE t1 (id integer PRIMARY KEY); -- a comment; with a semicolon\n"_s},
        {2, u"second"_s,
         u"ALTER TABLE t1 ADD COLUMN name text DEFAULT 'a;b';\nINSERT INTO t1 (id) VALUES (1);"_s},
        {3, u"third"_s, u"CREATE TABLE t3 (id integer PRIMARY KEY REFERENCES t1 (id));"_s},
    };
    Migrator migrator(*m_db, steps);
    QCOMPARE(migrator.latestVersion(), 3);
    for (int target = 1; target <= 3; ++target) {
        auto report = migrator.migrate(target);
        QVERIFY2(report, WHY(report));
        QCOMPARE(report->toVersion, target);
        QCOMPARE(report->applied, QList<int>{target});
    }
    QSqlQuery& q = m_db->exec(u"SELECT name FROM t1 WHERE id = 1"_s, {}, u"read"_s);
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), u"a;b"_s);
    q.finish();
}

void TestMigrations::failedMigrationLeavesNothingBehind()
{
    const QList<Migration> steps{
        {1, u"good"_s, u"CREATE TABLE t1 (id integer PRIMARY KEY);"_s},
        {2, u"bad"_s, u"CREATE TABLE t2 (id integer PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);"_s},
    };
    Migrator migrator(*m_db, steps);
    auto report = migrator.migrate();
    QVERIFY(!report);
    QCOMPARE(report.error().kind(), DbError::Kind::Schema);
    QVERIFY2(report.error().operation().contains(u"migration 2"_s), qPrintable(report.error().message()));
    auto version = migrator.currentVersion();
    QVERIFY2(version, WHY(version));
    QCOMPARE(*version, 1);
    QVERIFY(tables().contains(u"t1"_s));
    QVERIFY2(!tables().contains(u"t2"_s), "the failed migration's first statement must be rolled back");
    // The connection stays usable.
    QVERIFY(Migrator(*m_db, {steps.at(0)}).migrate());
}

void TestMigrations::databaseNewerThanTheBuildIsRefused()
{
    Migrator migrator(*m_db);
    QVERIFY(migrator.migrate());
    m_db->exec(u"INSERT INTO schema_migrations (version, name) VALUES (?, 'from the future')"_s,
               {migrator.latestVersion() + 7}, u"pretend"_s);
    auto report = migrator.migrate();
    QVERIFY(!report);
    QCOMPARE(report.error().kind(), DbError::Kind::Schema);
    const QString message = report.error().message();
    QVERIFY2(message.contains(u"newer than this build"_s), qPrintable(message));
    QVERIFY2(message.contains(QString::number(migrator.latestVersion() + 7)), qPrintable(message));
}

QString TestMigrations::milestones(qint64 telegramId)
{
    QSqlQuery& q =
        m_db->exec(u"SELECT first_package_view_at, first_apply_start_at, first_application_created_at "
                   "FROM users WHERE telegram_id = ?"_s,
                   {telegramId}, u"milestones"_s);
    QStringList times;
    if (q.next()) {
        for (int c = 0; c < 3; ++c)
            times << (q.value(c).isNull() ? u"-"_s : q.value(c).toDateTime().toUTC().toString(Qt::ISODate));
    }
    q.finish();
    return times.join(u' ');
}

void TestMigrations::funnelMilestonesAreBackfilledAndKept()
{
    // Events recorded under schema version 2 give each user the time of its first package view, form start
    // and application when version 3 arrives; from then on a trigger keeps them, whoever records the event.
    Migrator migrator(*m_db);
    QVERIFY(migrator.migrate(2));
    const auto at = [](int hour) {
        return DbConnection::toSqlTimestamp(QDateTime(QDate(2026, 4, 10), QTime(hour, 0), Qt::UTC));
    };
    auto event = [&](qint64 user, const QString& action, int hour) {
        m_db->exec(u"INSERT INTO bot_metrics (telegram_id, action, created_at) VALUES (?, ?, {ts})"_s,
                   {user, action, at(hour)}, u"event"_s);
    };
    for (qint64 user : {1, 2, 3})
        m_db->exec(u"INSERT INTO users (telegram_id, first_name) VALUES (?, 'U')"_s, {user}, u"user"_s);
    event(1, u"start"_s, 1);
    event(1, u"package_view"_s, 5);
    event(1, u"package_view"_s, 3); // the earlier one counts, though recorded later
    event(1, u"apply_start"_s, 6);
    event(1, u"application_created"_s, 7);
    event(2, u"package_view"_s, 9);
    event(3, u"start"_s, 2);

    auto report = migrator.migrate();
    QVERIFY2(report, WHY(report));
    QCOMPARE(report->toVersion, migrator.latestVersion());
    QCOMPARE(milestones(1), u"2026-04-10T03:00:00Z 2026-04-10T06:00:00Z 2026-04-10T07:00:00Z"_s);
    QCOMPARE(milestones(2), u"2026-04-10T09:00:00Z - -"_s);
    QCOMPARE(milestones(3), u"- - -"_s);

    event(2, u"package_view"_s, 8);  // earlier: moves the first view back
    event(2, u"package_view"_s, 10); // later: changes nothing
    event(2, u"apply_start"_s, 11);
    event(3, u"application_created"_s, 12);
    event(3, u"help"_s, 1); // not a funnel step
    QCOMPARE(milestones(2), u"2026-04-10T08:00:00Z 2026-04-10T11:00:00Z -"_s);
    QCOMPARE(milestones(3), u"- - 2026-04-10T12:00:00Z"_s);
}

bool TestMigrations::accepted(const QString& sql, const QVariantList& values)
{
    try {
        m_db->exec(sql, values, u"checking a name"_s);
        return true;
    } catch (const DbException&) {
        return false;
    }
}

void TestMigrations::eventAndMethodNamesAreChecked()
{
    // The database keeps the rule for event actions and outbox methods itself, whatever writes the row.
    // Version 5 checks them without regular expressions on PostgreSQL: the same answers before and after it.
    Migrator migrator(*m_db);
    QVERIFY(migrator.migrate(4));
    m_db->exec(u"INSERT INTO users (telegram_id, first_name) VALUES (1, 'U')"_s, {}, u"user"_s);
    checkNames();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(migrator.migrate());
    QCOMPARE(*migrator.currentVersion(), migrator.latestVersion());
    checkNames();
}

void TestMigrations::checkNames()
{
    const QString event = u"INSERT INTO bot_metrics (telegram_id, action) VALUES (1, ?)"_s;
    const QString outbox = u"INSERT INTO outbox (chat_id, method, payload) VALUES (1, ?, {json})"_s;
    const QString fortyLetters = QString(40, u'a');
    for (const QString& good : {u"start"_s, u"package_view"_s, u"a"_s, u"a_"_s, fortyLetters})
        QVERIFY2(accepted(event, {good}), qPrintable(good));
    for (const QString& bad :
         {QString(), u""_s, u"Start"_s, u"package-view"_s, u"package view"_s, u"view1"_s, u"start\n"_s,
          u"\u0436"_s, fortyLetters + u'a', u"start'; DROP TABLE users; --"_s})
        QVERIFY2(!accepted(event, {bad}), qPrintable(bad));
    if (m_db->dialect() == Dialect::PostgreSql) // SQLite's GLOB rule does not ask for a letter first
        QVERIFY(!accepted(event, {u"_start"_s}));

    const QString sixtyFour = QString(64, u'M');
    for (const QString& good : {u"sendMessage"_s, u"answerCallbackQuery"_s, u"x"_s, sixtyFour})
        QVERIFY2(accepted(outbox, {good, u"{}"_s}), qPrintable(good));
    for (const QString& bad : {QString(), u""_s, u"send_message"_s, u"sendMessage2"_s, u"send Message"_s,
                               u"\u043c\u0435\u0442\u043e\u0434"_s, sixtyFour + u'M'})
        QVERIFY2(!accepted(outbox, {bad, u"{}"_s}), qPrintable(bad));
}

QStringList TestMigrations::analyzedColumns()
{
    m_db->execDirect(u"ANALYZE outbox"_s, u"analyze"_s);
    m_db->execDirect(u"ANALYZE bot_metrics"_s, u"analyze"_s);
    QSqlQuery& q = m_db->exec(u"SELECT tablename || '.' || attname FROM pg_stats WHERE schemaname = 'public' "
                              "AND tablename IN ('outbox', 'bot_metrics') ORDER BY 1"_s,
                              {}, u"statistics"_s);
    QStringList columns;
    while (q.next())
        columns << q.value(0).toString();
    q.finish();
    return columns;
}

void TestMigrations::unsearchedJsonHasNoStatistics()
{
    // Version 6 spares ANALYZE (run by autovacuum beside the bot) the JSON no query searches, and samples
    // the outbox with a smaller target; the columns the queries filter on keep their statistics.
    if (m_db->dialect() != Dialect::PostgreSql)
        QSKIP("per-column statistics targets are PostgreSQL's");
    Migrator migrator(*m_db);
    QVERIFY(migrator.migrate());
    m_db->exec(u"INSERT INTO users (telegram_id, first_name) VALUES (1, 'U')"_s, {}, u"user"_s);
    for (int i = 0; i < 50; ++i) {
        m_db->exec(u"INSERT INTO outbox (chat_id, method, payload, status, error) VALUES (1, 'sendMessage', "
                   "{json}, ?, 'Bad Request')"_s,
                   {u"{\"chat_id\":1,\"text\":\"reply %1\"}"_s.arg(i), i % 2 ? u"sent"_s : u"pending"_s},
                   u"outbox"_s);
        m_db->exec(u"INSERT INTO bot_metrics (telegram_id, action, data) VALUES (1, 'start', {json})"_s,
                   {u"{\"n\":%1}"_s.arg(i)}, u"event"_s);
    }
    const QStringList analyzed = analyzedColumns();
    for (const QString& column : {u"outbox.payload"_s, u"outbox.error"_s, u"bot_metrics.data"_s})
        QVERIFY2(!analyzed.contains(column), qPrintable(column));
    for (const QString& column : {u"outbox.status"_s, u"outbox.next_attempt_at"_s, u"outbox.id"_s,
                                  u"bot_metrics.action"_s, u"bot_metrics.created_at"_s})
        QVERIFY2(analyzed.contains(column), qPrintable(column));
    QSqlQuery& q =
        m_db->exec(u"SELECT attname, attstattarget FROM pg_attribute WHERE attrelid IN "
                   "('outbox'::regclass, 'bot_metrics'::regclass) AND attname IN ('status', 'action')"_s,
                   {}, u"targets"_s);
    QMap<QString, int> targets;
    while (q.next())
        targets.insert(q.value(0).toString(), q.value(1).toInt());
    q.finish();
    QCOMPARE(targets.value(u"status"_s), 10);
    QCOMPARE(targets.value(u"action"_s), -1); // the server's default
}

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
