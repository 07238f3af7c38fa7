// Users & activity against a real database: ActivityRepository equals plain-SQL aggregates, keyset paging
// walks every row once in each order, active users per day in near and far time zones, the models under
// QAbstractItemModelTester, the tab itself, and the tab following the bot without losing the operator's
// place.

#include "ActivityRepository.h"
#include "ActivityView.h"
#include "ApplicationRepository.h"
#include "ConsoleSession.h"
#include "Fixtures.h"
#include "MetricsRepository.h"
#include "TestDatabase.h"
#include "TimeSeriesChart.h"
#include "TimelineModel.h"
#include "UserRepository.h"
#include "UsersModel.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QtTest>

#include <set>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

Q_DECLARE_METATYPE(salesbot::UserActivitySort)

class TestActivity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void usersEqualSqlAggregates();
    void keysetWalksEveryUserOnce_data();
    void keysetWalksEveryUserOnce();
    void textFilterMatchesNamesUsernamesAndIds();
    void timelineIsNewestFirstAndPaged();
    void summaryIsOneShortLine();
    void activeUsersPerDayEqualsSql_data();
    void activeUsersPerDayEqualsSql();
    void usersModelPassesTesterAndFetchesMore();
    void timelineModelPassesTester();
    void viewShowsUsersTimelineAndChart();
    void changeNoticeRefreshesInPlace();
    void timerShowsNewUsersAndKeepsTheSearch();
    void hiddenTabWaitsUntilShown();

private:
    static constexpr int UserCount = 23;
    static constexpr qint64 FirstTelegramId = 5000;
    // 23 users with tied first/last seen times and action counts, events over 6 days, some applications.
    void seed();
    static void setUserTimes(DbConnection& db, qint64 telegramId, const QDateTime& created,
                             const QDateTime& lastSeen);
    QList<qint64> allUserIdsBySql(UserActivitySort sort, bool descending);
    QList<UserActivity> walk(const UserActivityQuery& query, int pageSize, int* pages = nullptr);
    void saveShot(QWidget& widget, const QString& name);
    // A user the bot met after the seed: seen last of all, so first in the default order.
    void addLateUser(qint64 telegramId, const QString& name);
    // Puts the tab on screen and waits for its first page, timeline and chart, with nothing left on its way.
    void showSettled(ActivityView& view, QSignalSpy& loaded, int height = 800);

    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
    std::unique_ptr<ConsoleSession> m_session;
    const QDateTime m_base{QDate(2026, 5, 4), QTime(0, 0), Qt::UTC};
};

void TestActivity::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
    m_session = std::make_unique<ConsoleSession>(m_database->settings());
}

void TestActivity::cleanup()
{
    m_session.reset();
    m_db.reset();
    m_database.reset();
}

void TestActivity::setUserTimes(DbConnection& db, qint64 telegramId, const QDateTime& created,
                                const QDateTime& lastSeen)
{
    db.exec(u"UPDATE users SET created_at = {ts}, last_seen_at = {ts} WHERE telegram_id = ?"_s,
            {DbConnection::toSqlTimestamp(created), DbConnection::toSqlTimestamp(lastSeen), telegramId},
            u"fixture: user times"_s);
}

void TestActivity::seed()
{
    static const QStringList names{u"Анна"_s, u"Борис"_s, u"Вера"_s, u"Глеб"_s, u"Zoe"_s};
    static const QStringList actions{u"start"_s, u"package_view"_s, u"apply_start"_s, u"free_text"_s};
    MetricsRepository metrics(*m_db);
    ApplicationRepository applications(*m_db);
    for (int i = 0; i < UserCount; ++i) {
        const qint64 tg = FirstTelegramId + i;
        const User user =
            makeUser(*m_db, tg, names.at(i % names.size()), i % 3 == 0 ? u"user_%1"_s.arg(i) : QString());
        // Ties: every fifth user shares a first-seen time, every seventh a last-seen time.
        setUserTimes(*m_db, tg, m_base.addSecs(qint64(i / 5) * 3600),
                     m_base.addDays(6).addSecs(-qint64(i % 7) * 600));
        const int events = (i * 3) % 8; // 0..7, with ties and users without events
        for (int k = 0; k < events; ++k) {
            const QDateTime at = m_base.addDays((i + k) % 6).addSecs(qint64((k * 5) % 24) * 3600 + i * 60);
            QVERIFY(metrics.recordAt(tg, actions.at(k % actions.size()), k % 2 ? u"basic"_s : QString(),
                                     {{u"step"_s, k}}, at));
        }
        if (i % 4 == 1) {
            auto first = applications.create(
                {user.id, u"Заявка %1"_s.arg(i), u"+7916%1"_s.arg(1000000 + i), u"basic"_s});
            QVERIFY2(first, WHY(first));
            setCreatedAt(*m_db, first->application.id, m_base.addDays(1));
            if (i % 8 == 1) {
                // A closed application and a newer open one: the newer one is "their application".
                QVERIFY(applications.changeStatus(first->application.id, first->application.version,
                                                  ApplicationStatus::Done, u"seed"_s));
                auto second = applications.create(
                    {user.id, u"Вторая %1"_s.arg(i), u"+7916%1"_s.arg(2000000 + i), u"premium"_s});
                QVERIFY2(second, WHY(second));
                setCreatedAt(*m_db, second->application.id, m_base.addDays(2));
            }
        }
    }
}

QList<qint64> TestActivity::allUserIdsBySql(UserActivitySort sort, bool descending)
{
    const QString key = sort == UserActivitySort::LastSeen    ? u"u.last_seen_at"_s
                        : sort == UserActivitySort::FirstSeen ? u"u.created_at"_s
                                                              : u"(SELECT COUNT(*) FROM bot_metrics m "
                                                                "WHERE m.telegram_id = u.telegram_id)"_s;
    const QString direction = descending ? u"DESC"_s : u"ASC"_s;
    QSqlQuery& q = m_db->exec(u"SELECT u.id FROM users u ORDER BY %1 %2, u.id %2"_s.arg(key, direction), {},
                              u"test: all users"_s);
    QList<qint64> ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    q.finish();
    return ids;
}

QList<UserActivity> TestActivity::walk(const UserActivityQuery& query, int pageSize, int* pages)
{
    ActivityRepository activity(*m_db);
    QList<UserActivity> rows;
    PageCursor after;
    int count = 0;
    do {
        auto page = activity.users(query, after, pageSize);
        if (!page) {
            qWarning() << page.error().message();
            return {};
        }
        ++count;
        rows += page->rows;
        after = page->next;
        if (count > 1000)
            break;
    } while (after.isValid());
    if (pages)
        *pages = count;
    return rows;
}

void TestActivity::saveShot(QWidget& widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("SALESBOT_SHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QVERIFY(widget.grab().save(QDir(dir).filePath(name + u"-"_s + TestDatabase::backendName() + u".png"_s)));
}

void TestActivity::usersEqualSqlAggregates()
{
    seed();
    const QList<UserActivity> rows = walk({}, 7);
    QCOMPARE(rows.size(), UserCount);
    int withApplication = 0;
    int withClosedAndOpen = 0;
    for (const UserActivity& u : rows) {
        QSqlQuery& q =
            m_db->exec(u"SELECT u.telegram_id, u.username, u.first_name, u.created_at, u.last_seen_at, "
                       "(SELECT COUNT(*) FROM bot_metrics m WHERE m.telegram_id = u.telegram_id), "
                       "(SELECT a.number FROM applications a WHERE a.user_id = u.id ORDER BY a.created_at "
                       "DESC LIMIT 1), "
                       "(SELECT a.status FROM applications a WHERE a.user_id = u.id ORDER BY a.created_at "
                       "DESC LIMIT 1), "
                       "(SELECT COUNT(*) FROM applications a WHERE a.user_id = u.id) "
                       "FROM users u WHERE u.id = ?"_s,
                       {u.userId}, u"test: one user"_s);
        QVERIFY(q.next());
        QCOMPARE(u.telegramId, q.value(0).toLongLong());
        QCOMPARE(u.username, q.value(1).toString());
        QCOMPARE(u.firstName, q.value(2).toString());
        QCOMPARE(u.firstSeen, DbConnection::fromSqlTimestamp(q.value(3)));
        QCOMPARE(u.lastSeen, DbConnection::fromSqlTimestamp(q.value(4)));
        QCOMPARE(u.actions, q.value(5).toLongLong());
        QCOMPARE(u.applicationNumber, q.value(6).isNull() ? 0 : q.value(6).toLongLong());
        if (q.value(7).isNull())
            QVERIFY(!u.applicationStatus);
        else
            QCOMPARE(ApplicationStatuses::code(u.applicationStatus.value()), q.value(7).toString());
        if (u.applicationNumber)
            ++withApplication;
        if (q.value(8).toLongLong() == 2) {
            ++withClosedAndOpen;
            QCOMPARE(u.applicationStatus.value(), ApplicationStatus::New);
        }
        q.finish();
        // The fixture's own arithmetic agrees as well.
        const int i = int(u.telegramId - FirstTelegramId);
        QCOMPARE(u.actions, qint64((i * 3) % 8));
    }
    QCOMPARE(withApplication, 6);   // i = 1, 5, 9, 13, 17, 21
    QCOMPARE(withClosedAndOpen, 3); // i = 1, 9, 17
}

void TestActivity::keysetWalksEveryUserOnce_data()
{
    QTest::addColumn<UserActivitySort>("sort");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<int>("pageSize");
    QTest::newRow("last seen, newest first") << UserActivitySort::LastSeen << true << 5;
    QTest::newRow("last seen, oldest first") << UserActivitySort::LastSeen << false << 4;
    QTest::newRow("first seen, newest first") << UserActivitySort::FirstSeen << true << 5;
    QTest::newRow("first seen, oldest first") << UserActivitySort::FirstSeen << false << 3;
    QTest::newRow("actions, most first") << UserActivitySort::Actions << true << 5;
    QTest::newRow("actions, fewest first") << UserActivitySort::Actions << false << 2;
    QTest::newRow("one page holds all") << UserActivitySort::LastSeen << true << 200;
}

void TestActivity::keysetWalksEveryUserOnce()
{
    QFETCH(UserActivitySort, sort);
    QFETCH(bool, descending);
    QFETCH(int, pageSize);
    seed();
    int pages = 0;
    const QList<UserActivity> rows = walk({{}, sort, descending}, pageSize, &pages);
    QList<qint64> ids;
    std::set<qint64> seen;
    for (const UserActivity& u : rows) {
        ids << u.userId;
        QVERIFY2(seen.insert(u.userId).second, "a user appeared twice");
    }
    QCOMPARE(ids, allUserIdsBySql(sort, descending));
    QCOMPARE(pages, (UserCount + pageSize - 1) / pageSize);
}

void TestActivity::textFilterMatchesNamesUsernamesAndIds()
{
    seed();
    makeUser(*m_db, 99, u"Ёлка"_s, u"Percent%Man"_s);
    m_db->exec(u"UPDATE users SET last_name = 'Иванова' WHERE telegram_id = 99"_s, {}, u"fixture"_s);
    auto telegramIds = [&](const QString& text) {
        QList<qint64> ids;
        for (const UserActivity& u : walk({text}, 4))
            ids << u.telegramId;
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    QCOMPARE(telegramIds(u"user_12"_s), (QList<qint64>{FirstTelegramId + 12}));
    QCOMPARE(telegramIds(u"@USER_12"_s), (QList<qint64>{FirstTelegramId + 12}));
    QCOMPARE(telegramIds(u"ёлка иванова"_s), (QList<qint64>{99}));
    QCOMPARE(telegramIds(u"ИВАНОВА"_s), (QList<qint64>{99}));
    QCOMPARE(telegramIds(u"t%m"_s), (QList<qint64>{99}));
    QCOMPARE(telegramIds(u"%"_s), (QList<qint64>{99})); // a literal percent sign, not a wildcard
    QCOMPARE(telegramIds(u"5021"_s), (QList<qint64>{FirstTelegramId + 21}));
    QCOMPARE(telegramIds(u"борис"_s).size(), 5); // i = 1, 6, 11, 16, 21
    QCOMPARE(telegramIds(u"'; DROP TABLE users; --"_s), QList<qint64>());
    QCOMPARE(telegramIds(u"   "_s).size(), UserCount + 1);
}

void TestActivity::timelineIsNewestFirstAndPaged()
{
    makeUser(*m_db, 42);
    makeUser(*m_db, 43);
    MetricsRepository metrics(*m_db);
    // 13 events, several sharing one timestamp (ids break the tie), and another user's events around them.
    for (int k = 0; k < 13; ++k) {
        QVERIFY(metrics.recordAt(42, k % 2 ? u"package_view"_s : u"start"_s, k % 2 ? u"premium"_s : QString(),
                                 {{u"k"_s, k}}, m_base.addSecs(qint64(k / 3) * 60)));
        QVERIFY(metrics.recordAt(43, u"menu"_s, {}, {}, m_base.addSecs(qint64(k) * 30)));
    }
    QList<qint64> expected;
    QSqlQuery& q =
        m_db->exec(u"SELECT id FROM bot_metrics WHERE telegram_id = 42 ORDER BY created_at DESC, id DESC"_s,
                   {}, u"test: timeline"_s);
    while (q.next())
        expected << q.value(0).toLongLong();
    q.finish();
    QCOMPARE(expected.size(), 13);

    ActivityRepository activity(*m_db);
    QList<qint64> ids;
    PageCursor after;
    int pages = 0;
    do {
        auto page = activity.timeline(42, after, 4);
        QVERIFY2(page, WHY(page));
        for (const TimelineEvent& e : page->rows) {
            ids << e.id;
            QCOMPARE(e.packageCode, e.action == "package_view"_L1 ? u"premium"_s : QString());
            QVERIFY(e.data.contains(u"k"_s));
            QVERIFY(e.at.isValid());
            QCOMPARE(e.at.timeSpec(), Qt::UTC);
        }
        after = page->next;
        ++pages;
    } while (after.isValid() && pages < 100);
    QCOMPARE(ids, expected);
    QCOMPARE(pages, 4);
    auto none = activity.timeline(777, {}, 10);
    QVERIFY2(none, WHY(none));
    QVERIFY(none->rows.isEmpty());
    QVERIFY(!none->next.isValid());
}

void TestActivity::summaryIsOneShortLine()
{
    QCOMPARE(ActivityRepository::summarize({}), QString());
    QCOMPARE(ActivityRepository::summarize({{u"number"_s, 1001}, {u"package"_s, u"basic"_s}}),
             u"number: 1001, package: basic"_s);
    const QString summary =
        ActivityRepository::summarize({{u"text"_s, u"строка 1\nстрока 2\t<b>'; DROP</b>\u0007"_s}}, 30);
    QVERIFY(!summary.contains(u'\n'));
    QVERIFY(!summary.contains(u'\u0007'));
    QVERIFY(summary.size() <= 30);
    QVERIFY(summary.endsWith(u'…'));
    QCOMPARE(ActivityRepository::summarize({{u"ok"_s, true}, {u"price"_s, 1.5}}), u"ok: true, price: 1.5"_s);
}

void TestActivity::activeUsersPerDayEqualsSql_data()
{
    QTest::addColumn<int>("offset");
    QTest::newRow("UTC") << 0;
    QTest::newRow("Moscow +3") << 3 * 3600;
    QTest::newRow("Kiritimati +14") << 14 * 3600;
    QTest::newRow("Pago Pago -11") << -11 * 3600;
}

void TestActivity::activeUsersPerDayEqualsSql()
{
    QFETCH(int, offset);
    seed();
    MetricsRepository metrics(*m_db);
    // Events at the edges of days: 23:30 and 00:30 UTC, and a quiet stretch of days after the seed's six.
    QVERIFY(metrics.recordAt(FirstTelegramId, u"menu"_s, {}, {}, m_base.addDays(8).addSecs(-1800)));
    QVERIFY(metrics.recordAt(FirstTelegramId + 1, u"menu"_s, {}, {}, m_base.addDays(8).addSecs(1800)));
    QVERIFY(metrics.recordAt(FirstTelegramId + 1, u"menu"_s, {}, {}, m_base.addDays(8).addSecs(1900)));

    // Twelve local days starting at local midnight of the base date, so the period has zero days too.
    const QDateTime from = m_base.addSecs(-offset);
    const ReportPeriod period{from, from.addDays(12), offset};
    auto days = ActivityRepository(*m_db).activeUsersPerDay(period);
    QVERIFY2(days, WHY(days));
    QCOMPARE(days->size(), 12);

    // The same from plain rows: each event's local day, distinct users per day.
    QHash<QDate, QSet<qint64>> expected;
    QSqlQuery& q =
        m_db->exec(u"SELECT telegram_id, created_at FROM bot_metrics WHERE created_at >= {ts} "
                   "AND created_at < {ts}"_s,
                   {DbConnection::toSqlTimestamp(period.from), DbConnection::toSqlTimestamp(period.to)},
                   u"test: events"_s);
    while (q.next())
        expected[DbConnection::fromSqlTimestamp(q.value(1)).addSecs(offset).date()].insert(
            q.value(0).toLongLong());
    q.finish();
    int zeroDays = 0;
    qint64 total = 0;
    for (int i = 0; i < 12; ++i) {
        const DailyActiveUsers& d = days->at(i);
        QCOMPARE(d.day, m_base.date().addDays(i));
        QCOMPARE(d.users, qint64(expected.value(d.day).size()));
        zeroDays += d.users == 0 ? 1 : 0;
        total += d.users;
    }
    QVERIFY(zeroDays >= 3);
    QVERIFY(total > 0);
    // 23:30 and 00:30 UTC fall on different days in UTC but on the same local day elsewhere.
    const QDate lateUtc = m_base.addDays(8).addSecs(-1800).addSecs(offset).date();
    const QDate earlyUtc = m_base.addDays(8).addSecs(1800).addSecs(offset).date();
    QCOMPARE(lateUtc == earlyUtc, qAbs(offset) > 1800);
}

void TestActivity::usersModelPassesTesterAndFetchesMore()
{
    seed();
    UsersModel model(*m_session);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(10);
    QSignalSpy pages(&model, &UsersModel::pageLoaded);
    model.refresh();
    QVERIFY(pages.wait(10000));
    QCOMPARE(pages.takeFirst().at(0).toBool(), true);
    QCOMPARE(model.rowCount(), 10);
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QVERIFY(!model.canFetchMore({})); // one fetch at a time
    QVERIFY(pages.wait(10000));
    QCOMPARE(pages.takeFirst().at(0).toBool(), false);
    QCOMPARE(model.rowCount(), 20);
    model.fetchMore({});
    QVERIFY(pages.wait(10000));
    QCOMPARE(model.rowCount(), UserCount);
    QVERIFY(!model.canFetchMore({}));
    // The rows are the repository's, in its order.
    const QList<qint64> expected = allUserIdsBySql(UserActivitySort::LastSeen, true);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.user(row).userId, expected.at(row));
    QCOMPARE(model.index(0, UsersModel::Actions).data().toString(),
             QLocale().toString(model.user(0).actions));

    // Sorting re-queries the server.
    pages.clear();
    model.sort(UsersModel::Actions, Qt::DescendingOrder);
    QVERIFY(pages.wait(10000));
    QCOMPARE(model.sortColumn(), int(UsersModel::Actions));
    QCOMPARE(model.rowCount(), 10);
    const QList<qint64> byActions = allUserIdsBySql(UserActivitySort::Actions, true);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.user(row).userId, byActions.at(row));
    // A column the server cannot sort changes nothing.
    model.sort(UsersModel::Name, Qt::AscendingOrder);
    QCOMPARE(model.sortColumn(), int(UsersModel::Actions));
    QVERIFY(!model.isLoading());

    // Filtering too; a stale page of the previous query is dropped.
    pages.clear();
    model.setFilterText(u"user_"_s);
    model.setFilterText(u"user_1"_s);
    QVERIFY(pages.wait(10000));
    QTest::qWait(50);
    QCOMPARE(pages.size(), 1);
    QCOMPARE(model.rowCount(), 3); // user_12, user_15, user_18
    QVERIFY(!model.canFetchMore({}));
}

void TestActivity::timelineModelPassesTester()
{
    makeUser(*m_db, 42);
    MetricsRepository metrics(*m_db);
    for (int k = 0; k < 25; ++k)
        QVERIFY(metrics.recordAt(42, k % 3 ? u"package_view"_s : u"application_created"_s, u"basic"_s,
                                 {{u"number"_s, 1000 + k}}, m_base.addSecs(qint64(k) * 90)));
    TimelineModel model(*m_session);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(10);
    QSignalSpy pages(&model, &TimelineModel::pageLoaded);
    model.setTelegramId(42);
    QVERIFY(pages.wait(10000));
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.event(0).data.value(u"number"_s).toInt(), 1024); // newest first
    QCOMPARE(model.index(0, TimelineModel::Action).data().toString(),
             TimelineModel::actionName(u"application_created"_s));
    QVERIFY(model.index(0, TimelineModel::Action).data().toString() != "application_created"_L1);
    QCOMPARE(model.index(0, TimelineModel::Details).data().toString(), u"number: 1024"_s);
    QCOMPARE(model.index(0, TimelineModel::Package).data().toString(), u"basic"_s);
    while (model.canFetchMore({})) {
        model.fetchMore({});
        QVERIFY(pages.wait(10000));
    }
    QCOMPARE(model.rowCount(), 25);
    QCOMPARE(model.event(24).data.value(u"number"_s).toInt(), 1000);
    // Titles from the catalog replace the codes in place (after the last page: the tester fetches on
    // changes).
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setPackageTitles({{u"basic"_s, u"Базовый"_s}});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(0, TimelineModel::Package).data().toString(), u"Базовый"_s);
    QCOMPARE(model.index(24, TimelineModel::Package).data().toString(), u"Базовый"_s);
    QCOMPARE(TimelineModel::actionName(u"something_new"_s), u"something_new"_s);
    model.setTelegramId(0);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
}

void TestActivity::viewShowsUsersTimelineAndChart()
{
    seed();
    // Recent activity, so the chart of the last 30 days has something to show.
    MetricsRepository metrics(*m_db);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int d = 0; d < 30; ++d) {
        for (int u = 0; u < (d * 7) % 11; ++u)
            QVERIFY(metrics.recordAt(FirstTelegramId + u, u"menu"_s, {}, {}, now.addDays(-d).addSecs(-60)));
    }
    QVERIFY(metrics.recordAt(FirstTelegramId + 12, u"free_text"_s, {},
                             {{u"text"_s, u"Сколько стоит бот для салона? <b>срочно</b>"_s}},
                             now.addSecs(-5)));
    m_db->exec(u"UPDATE users SET last_seen_at = {now}, last_name = 'Смирнова' WHERE telegram_id = ?"_s,
               {FirstTelegramId + 12}, u"fixture"_s);

    ActivityView view(*m_session);
    QSignalSpy loaded(&view, &ActivityView::loaded);
    view.resize(1200, 800);
    view.show();
    QVERIFY(loaded.wait(10000));
    QCOMPARE(view.usersModel()->rowCount(), UserCount);
    QCOMPARE(view.usersModel()->user(0).telegramId, FirstTelegramId + 12); // seen last
    QCOMPARE(view.usersTable()->currentIndex().row(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(view.timelineModel()->telegramId(), FirstTelegramId + 12, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(view.timelineModel()->rowCount() > 0, 5000);
    QCOMPARE(view.timelineModel()->event(0).action, u"free_text"_s);
    QTRY_COMPARE_WITH_TIMEOUT(view.activeUsersChart()->days().size(), ActivityView::ActivityDays, 5000);
    QCOMPARE(view.activeUsersChart()->days().constLast(), QDate::currentDate());
    QVERIFY(view.activeUsersChart()->hasData());
    saveShot(view, u"activity"_s);

    // Selecting another user shows their timeline.
    view.usersTable()->selectRow(3);
    QTRY_COMPARE_WITH_TIMEOUT(view.timelineModel()->telegramId(), view.usersModel()->user(3).telegramId,
                              5000);

    // Searching narrows the list and reloads the first page.
    loaded.clear();
    view.searchField()->setText(u"Смирнова"_s);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(view.usersModel()->rowCount(), 1);

    // Sorting from the header; a column the server cannot sort keeps the previous order.
    loaded.clear();
    view.usersTable()->horizontalHeader()->setSortIndicator(UsersModel::Actions, Qt::DescendingOrder);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(view.usersModel()->sortColumn(), int(UsersModel::Actions));
    view.usersTable()->horizontalHeader()->setSortIndicator(UsersModel::Name, Qt::AscendingOrder);
    QCOMPARE(view.usersTable()->horizontalHeader()->sortIndicatorSection(), int(UsersModel::Actions));
}

void TestActivity::addLateUser(qint64 telegramId, const QString& name)
{
    makeUser(*m_db, telegramId, name);
    setUserTimes(*m_db, telegramId, m_base.addDays(7), m_base.addDays(7));
}

void TestActivity::showSettled(ActivityView& view, QSignalSpy& loaded, int height)
{
    view.resize(1200, height);
    view.show();
    QVERIFY(loaded.count() > 0 || loaded.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(view.activeUsersChart()->days().size(), ActivityView::ActivityDays, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(view.timelineModel()->telegramId() != 0, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_session->isBusy(), 5000);
}

void TestActivity::changeNoticeRefreshesInPlace()
{
    seed();
    ActivityView view(*m_session);
    QSignalSpy loaded(&view, &ActivityView::loaded);
    showSettled(view, loaded, 360); // a few rows on screen, so the table scrolls
    UsersModel& users = *view.usersModel();
    QAbstractItemModelTester usersTester(&users, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester timelineTester(view.timelineModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Pages of 10; the operator scrolls in a second page and picks a user from it.
    users.setPageSize(10);
    loaded.clear();
    view.refresh();
    QVERIFY(loaded.wait(10000));
    QCOMPARE(users.rowCount(), 10);
    while (users.rowCount() < 20) { // the view may fetch a page itself while it has room
        if (users.canFetchMore({}))
            users.fetchMore({});
        QTRY_VERIFY(!users.isFetching());
    }
    QCOMPARE(users.rowCount(), 20);
    view.usersTable()->selectRow(15);
    const qint64 selected = users.user(15).telegramId;
    const qint64 actions = users.user(15).actions;
    QTRY_COMPARE(view.timelineModel()->telegramId(), selected);
    QTRY_VERIFY(!m_session->isBusy());
    const int scroll = view.usersTable()->verticalScrollBar()->value();
    QVERIFY(scroll > 0);

    // The bot meets a new user, and the selected user does something.
    addLateUser(6000, u"Новый"_s);
    QVERIFY(MetricsRepository(*m_db).recordAt(selected, u"free_text"_s, {}, {{u"text"_s, u"живой"_s}},
                                              m_base.addDays(8)));
    QSignalSpy refreshed(&users, &PagedTableModel::shownRefreshed);
    QSignalSpy pages(&users, &PagedTableModel::pageLoaded);
    // A burst of notices (as a busy poll brings) becomes one refresh; no F5.
    Q_EMIT m_session->applicationCreated(0, 0);
    Q_EMIT m_session->applicationChanged(0, 0, 0);
    Q_EMIT m_session->applicationChanged(0, 0, 0);
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 1, 10000);
    QCOMPARE(users.user(0).telegramId, 6000);
    // The rows scrolled in are still there (one more user pushed the twentieth past them), more can come.
    QCOMPARE(users.rowCount(), 20);
    QVERIFY(users.canFetchMore({}));
    QVERIFY(pages.isEmpty()); // no first page: nothing was dropped and loaded again
    // The same user is selected and shown, with the new action, at the same place on screen.
    const QModelIndex current = view.usersTable()->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(users.user(current.row()).telegramId, selected);
    QCOMPARE(users.user(current.row()).actions, actions + 1);
    QCOMPARE(view.usersTable()->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(view.usersTable()->verticalScrollBar()->value(), scroll);
    QCOMPARE(view.timelineModel()->telegramId(), selected);
    QTRY_VERIFY(view.timelineModel()->rowCount() > 0 &&
                view.timelineModel()->event(0).action == "free_text"_L1);
    QCOMPARE(view.timelineModel()->rowCount(), int(actions + 1));
    QCOMPARE(users.sortColumn(), int(UsersModel::LastSeen));
    QTest::qWait(ActivityView::ChangeDebounceMs + 200);
    QCOMPARE(refreshed.count(), 1);

    // Nothing moved: the rows are updated in place, the selection untouched.
    QVERIFY(MetricsRepository(*m_db).recordAt(selected, u"menu"_s, {}, {}, m_base.addDays(8).addSecs(1)));
    QSignalSpy resets(&users, &QAbstractItemModel::modelReset);
    view.refreshShown();
    QTRY_COMPARE_WITH_TIMEOUT(refreshed.count(), 2, 10000);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(users.user(view.usersTable()->currentIndex().row()).actions, actions + 2);
    QCOMPARE(view.usersTable()->verticalScrollBar()->value(), scroll);
    QTRY_COMPARE(view.timelineModel()->event(0).action, u"menu"_s);
}

void TestActivity::timerShowsNewUsersAndKeepsTheSearch()
{
    seed();
    ActivityView view(*m_session);
    QSignalSpy loaded(&view, &ActivityView::loaded);
    showSettled(view, loaded);
    const int today = ActivityView::ActivityDays - 1;
    const double activeToday = view.activeUsersChart()->value(today, 0);
    loaded.clear();
    view.searchField()->setText(u"борис"_s);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(view.usersModel()->rowCount(), 5);
    view.usersTable()->selectRow(2);
    const qint64 selected = view.usersModel()->user(2).telegramId;
    QTRY_COMPARE(view.timelineModel()->telegramId(), selected);

    // New users and events announce nothing: the tab looks by itself.
    loaded.clear();
    addLateUser(6001, u"Борис"_s);
    addLateUser(6002, u"Вера"_s);
    QVERIFY(MetricsRepository(*m_db).recordAt(6001, u"start"_s, {}, {}, QDateTime::currentDateTimeUtc()));
    view.setLiveRefreshInterval(200);
    QCOMPARE(view.liveRefreshInterval(), 200);
    QTRY_COMPARE_WITH_TIMEOUT(view.usersModel()->rowCount(), 6, 10000);
    QCOMPARE(view.usersModel()->user(0).telegramId, 6001);
    QCOMPARE(view.usersModel()->rowOf(6002), -1); // the search stayed
    QCOMPARE(view.searchField()->text(), u"борис"_s);
    QVERIFY(view.usersTable()->currentIndex().isValid());
    QCOMPARE(view.usersModel()->user(view.usersTable()->currentIndex().row()).telegramId, selected);
    QCOMPARE(view.timelineModel()->telegramId(), selected);
    QTRY_COMPARE_WITH_TIMEOUT(view.activeUsersChart()->value(today, 0), activeToday + 1, 10000);
    QCOMPARE(loaded.count(), 0); // never a reload from scratch
}

void TestActivity::hiddenTabWaitsUntilShown()
{
    seed();
    ActivityView view(*m_session);
    QSignalSpy loaded(&view, &ActivityView::loaded);
    showSettled(view, loaded);
    const qint64 selected = view.timelineModel()->telegramId();
    view.setLiveRefreshInterval(200);
    view.hide();

    addLateUser(6003, u"Глеб"_s);
    QSignalSpy busy(m_session.get(), &ConsoleSession::busyChanged);
    Q_EMIT m_session->applicationCreated(0, 0);
    Q_EMIT m_session->applicationChanged(0, 0, 0);
    QTest::qWait(ActivityView::ChangeDebounceMs + 600); // the notice's refresh and several timer periods
    QCOMPARE(busy.count(), 0);                          // not one query
    QVERIFY(view.isStale());
    QCOMPARE(view.usersModel()->rowOf(6003), -1);

    view.show();
    QVERIFY(!view.isStale());
    QTRY_COMPARE_WITH_TIMEOUT(view.usersModel()->rowOf(6003), 0, 10000);
    QVERIFY(view.usersTable()->currentIndex().isValid());
    QCOMPARE(view.usersModel()->user(view.usersTable()->currentIndex().row()).telegramId, selected);
    QCOMPARE(loaded.count(), 1); // only the first load
}

QTEST_MAIN(TestActivity)
#include "tst_activity.moc"
