// Events and the dashboard's aggregates: every number equals what the fixture data says it must be.

#include "Fixtures.h"
#include "MetricsRepository.h"
#include "TestDatabase.h"
#include "UserRepository.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

class TestMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void recordKeepsDataAndPackage();
    void packageInterestCountsViewsAndApplications();
    void dailyVolumeHasEveryDayWithZeros();
    void dailyVolumeCountsDaysInTheViewersTimeZone();
    void funnelFollowsTheUsersWhoCameInThePeriod();
    void unknownUserEventIsRefused();

private:
    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
    const QDateTime m_base{QDate(2026, 4, 10), QTime(0, 0), Qt::UTC};
};

void TestMetrics::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
}

void TestMetrics::cleanup()
{
    m_db.reset();
    m_database.reset();
}

void TestMetrics::recordKeepsDataAndPackage()
{
    makeUser(*m_db, 1);
    MetricsRepository metrics(*m_db);
    const QString hostile = u"'); DELETE FROM bot_metrics; -- <i>\u0007</i> 🤖"_s;
    QVERIFY(metrics.record(1, u"free_text"_s, {}, {{u"text"_s, hostile}}));
    QVERIFY(metrics.record(1, u"package_view"_s, u"premium"_s, {{u"package"_s, u"premium"_s}}));
    QSqlQuery& q = m_db->exec(
        u"SELECT action, package_code, CAST(data AS TEXT) FROM bot_metrics ORDER BY id"_s, {}, u"read"_s);
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), u"free_text"_s);
    QVERIFY(q.value(1).isNull());
    QCOMPARE(QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object().value(u"text"_s).toString(),
             hostile);
    QVERIFY(q.next());
    QCOMPARE(q.value(1).toString(), u"premium"_s);
    q.finish();
    auto bad = metrics.record(1, u"Robert'); DROP"_s);
    QVERIFY(!bad);
    QCOMPARE(bad.error().kind(), DbError::Kind::CheckViolation);
}

void TestMetrics::packageInterestCountsViewsAndApplications()
{
    MetricsRepository metrics(*m_db);
    // Views: basic 4 (one outside the period), advanced 2, premium 0 in the period.
    for (int u = 1; u <= 3; ++u)
        makeUser(*m_db, u);
    const ReportPeriod period{m_base, m_base.addDays(7)};
    QVERIFY(metrics.recordAt(1, u"package_view"_s, u"basic"_s, {}, m_base.addSecs(60)));
    QVERIFY(metrics.recordAt(1, u"package_view"_s, u"basic"_s, {}, m_base.addDays(1)));
    QVERIFY(metrics.recordAt(2, u"package_view"_s, u"basic"_s, {}, m_base.addDays(6).addSecs(86399)));
    QVERIFY(metrics.recordAt(3, u"package_view"_s, u"basic"_s, {}, m_base.addDays(2)));
    QVERIFY(
        metrics.recordAt(3, u"package_view"_s, u"basic"_s, {}, m_base.addDays(7))); // excluded: end is open
    QVERIFY(metrics.recordAt(2, u"package_view"_s, u"advanced"_s, {}, m_base.addDays(3)));
    QVERIFY(metrics.recordAt(2, u"package_view"_s, u"advanced"_s, {}, m_base.addDays(3)));
    QVERIFY(metrics.recordAt(2, u"package_view"_s, u"premium"_s, {}, m_base.addSecs(-1))); // before
    // Applications: basic 1 in period, advanced 1 in period + 1 before.
    const Application a1 = makeApplication(*m_db, 11, u"basic"_s);
    setCreatedAt(*m_db, a1.id, m_base.addDays(1));
    const Application a2 = makeApplication(*m_db, 12, u"advanced"_s);
    setCreatedAt(*m_db, a2.id, m_base.addDays(2));
    const Application a3 = makeApplication(*m_db, 13, u"advanced"_s);
    setCreatedAt(*m_db, a3.id, m_base.addDays(-2));

    auto interest = metrics.packageInterest(period);
    QVERIFY2(interest, WHY(interest));
    QCOMPARE(interest->size(), 3);
    QCOMPARE(interest->at(0).code, u"basic"_s);
    QCOMPARE(interest->at(0).title, u"Базовый"_s);
    QCOMPARE(interest->at(0).views, 4);
    QCOMPARE(interest->at(0).applications, 1);
    QCOMPARE(interest->at(0).conversion(), 0.25);
    QCOMPARE(interest->at(1).code, u"advanced"_s);
    QCOMPARE(interest->at(1).views, 2);
    QCOMPARE(interest->at(1).applications, 1);
    QCOMPARE(interest->at(2).views, 0);
    QCOMPARE(interest->at(2).applications, 0);
    QCOMPARE(interest->at(2).conversion(), 0.0);
}

void TestMetrics::dailyVolumeHasEveryDayWithZeros()
{
    // Day 0: 2 applications, day 3: 1; users created on days 0 and 3 (+1 before the period).
    const Application a = makeApplication(*m_db, 1);
    const Application b = makeApplication(*m_db, 2);
    const Application c = makeApplication(*m_db, 3);
    setCreatedAt(*m_db, a.id, m_base.addSecs(10));
    setCreatedAt(*m_db, b.id, m_base.addSecs(86399));
    setCreatedAt(*m_db, c.id, m_base.addDays(3).addSecs(3600));
    auto setUserCreated = [&](qint64 telegramId, const QDateTime& at) {
        m_db->exec(u"UPDATE users SET created_at = {ts} WHERE telegram_id = ?"_s,
                   {DbConnection::toSqlTimestamp(at), telegramId}, u"fixture"_s);
    };
    setUserCreated(1, m_base.addSecs(5));
    setUserCreated(2, m_base.addDays(-1));
    setUserCreated(3, m_base.addDays(3));
    MetricsRepository metrics(*m_db);
    auto days = metrics.dailyVolume({m_base, m_base.addDays(5)});
    QVERIFY2(days, WHY(days));
    QCOMPARE(days->size(), 5);
    const QList<qint64> applications{2, 0, 0, 1, 0};
    const QList<qint64> users{1, 0, 0, 1, 0};
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(days->at(i).day, m_base.date().addDays(i));
        QCOMPARE(days->at(i).applications, applications.at(i));
        QCOMPARE(days->at(i).newUsers, users.at(i));
    }
    auto empty = metrics.dailyVolume({m_base.addDays(100), m_base.addDays(130)});
    QVERIFY2(empty, WHY(empty));
    QCOMPARE(empty->size(), 30);
    for (const DailyVolume& d : *empty)
        QVERIFY(d.applications == 0 && d.newUsers == 0);
}

void TestMetrics::dailyVolumeCountsDaysInTheViewersTimeZone()
{
    // 23:30 UTC on day 0 is already day 1 in Moscow (UTC+3).
    const Application a = makeApplication(*m_db, 1);
    setCreatedAt(*m_db, a.id, m_base.addSecs(23 * 3600 + 1800));
    MetricsRepository metrics(*m_db);
    const int moscow = 3 * 3600;
    // The period is two Moscow days: from Moscow midnight of day 0.
    const QDateTime from = m_base.addSecs(-moscow);
    auto days = metrics.dailyVolume({from, from.addDays(2), moscow});
    QVERIFY2(days, WHY(days));
    QCOMPARE(days->size(), 2);
    QCOMPARE(days->at(0).day, m_base.date());
    QCOMPARE(days->at(0).applications, 0);
    QCOMPARE(days->at(1).applications, 1);
    // In UTC it is day 0.
    auto utc = metrics.dailyVolume({m_base, m_base.addDays(2)});
    QCOMPARE(utc->at(0).applications, 1);
}

void TestMetrics::funnelFollowsTheUsersWhoCameInThePeriod()
{
    MetricsRepository metrics(*m_db);
    const QDateTime t = m_base.addDays(1);
    for (int u = 1; u <= 6; ++u) {
        makeUser(*m_db, u);
        // Users 1-4 came in the period; 5 the second before it, 6 after it: neither counts, whatever they do.
        const QDateTime created = u <= 4 ? t : u == 5 ? m_base.addSecs(-1) : m_base.addDays(7);
        m_db->exec(u"UPDATE users SET created_at = {ts} WHERE telegram_id = ?"_s,
                   {DbConnection::toSqlTimestamp(created), u}, u"fixture"_s);
    }
    // 3 of the 4 viewed a package (one of them twice); 2 started the form; 1 filed in the period and 1 after.
    for (int u = 1; u <= 6; ++u)
        QVERIFY(metrics.recordAt(u, u"start"_s, {}, {}, t));
    for (int u = 1; u <= 3; ++u)
        QVERIFY(metrics.recordAt(u, u"package_view"_s, u"basic"_s, {}, t.addSecs(u)));
    QVERIFY(metrics.recordAt(1, u"package_view"_s, u"premium"_s, {}, t.addSecs(9)));
    QVERIFY(metrics.recordAt(1, u"apply_start"_s, {}, {}, t.addSecs(10)));
    QVERIFY(metrics.recordAt(2, u"apply_start"_s, {}, {}, t.addSecs(10)));
    QVERIFY(metrics.recordAt(1, u"application_created"_s, u"basic"_s, {}, t.addSecs(20)));
    QVERIFY(
        metrics.recordAt(4, u"application_created"_s, u"basic"_s, {}, m_base.addDays(7))); // at the end: out
    for (int u = 5; u <= 6; ++u) {
        QVERIFY(metrics.recordAt(u, u"package_view"_s, u"basic"_s, {}, t));
        QVERIFY(metrics.recordAt(u, u"apply_start"_s, {}, {}, t));
        QVERIFY(metrics.recordAt(u, u"application_created"_s, u"basic"_s, {}, t));
    }
    const ReportPeriod week{m_base, m_base.addDays(7)};
    auto funnel = metrics.funnel(week);
    QVERIFY2(funnel, WHY(funnel));
    QCOMPARE(funnel->started, 4);
    QCOMPARE(funnel->viewedPackage, 3);
    QCOMPARE(funnel->startedForm, 2);
    QCOMPARE(funnel->filed, 1);

    // User 4 turns out to have filed inside the period after all (an event recorded late): the first time
    // wins.
    QVERIFY(metrics.recordAt(4, u"application_created"_s, u"basic"_s, {}, t.addSecs(30)));
    funnel = metrics.funnel(week);
    QVERIFY2(funnel, WHY(funnel));
    QCOMPARE(funnel->filed, 2);
    // A period that ends before anyone viewed a package: the same people came, nobody got further yet.
    funnel = metrics.funnel({m_base, t.addSecs(1)});
    QVERIFY2(funnel, WHY(funnel));
    QCOMPARE(funnel->started, 4);
    QCOMPARE(funnel->viewedPackage, 0);
}

void TestMetrics::unknownUserEventIsRefused()
{
    auto result = MetricsRepository(*m_db).record(999, u"start"_s);
    QVERIFY(!result);
    QCOMPARE(result.error().kind(), DbError::Kind::ForeignKeyViolation);
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
