// Console benchmark: seeds PostgreSQL with 1,000,000 applications (and as many users) and 5,000,000 bot
// events, then times what a manager waits for, through the console's own views and models (offscreen):
// the first page shown, a filter change, a sort change, a search, the dashboard refresh; and the console's
// peak memory. Each figure is the median (and max) of several runs.
//   bench_console [--applications N] [--events N] [--runs N]     (SALESBOT_TEST_PG_URL: a superuser URL)

#include "ApplicationsModel.h"
#include "ApplicationsView.h"
#include "ConsoleSession.h"
#include "DashboardView.h"
#include "Migrator.h"
#include "ProcessStats.h"
#include "TestDatabase.h"

#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSignalSpy>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

namespace {

void say(const QString& line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

void seed(DbConnection& db, qint64 applications, qint64 events)
{
    QElapsedTimer clock;
    clock.start();
    // Bulk load: no per-row triggers (NOTIFY, foreign keys) for the fixture; the console's queries are what
    // is measured, not the seeding.
    db.execDirect(u"SET session_replication_role = replica"_s, u"bench: bulk mode"_s);
    db.execDirect(
        u"INSERT INTO users (telegram_id, username, first_name, language_code, created_at, last_seen_at) "
        "SELECT 100000000 + g, CASE WHEN g % 3 = 0 THEN 'user' || g END, "
        "(ARRAY['Анна','Борис','Вера','Глеб','Дарья','Егор','Жанна','Зоя'])[1 + g % 8], 'ru', "
        "now() - (g % 365) * interval '1 day' - (g % 86400) * interval '1 second', "
        "now() - (g % 30) * interval '1 day' FROM generate_series(1, %1) g"_s.arg(applications),
        u"bench: users"_s);
    db.execDirect(
        u"INSERT INTO applications (user_id, name, phone, package_code, status, created_at, updated_at) "
        "SELECT u.id, u.first_name || ' ' || (u.id % 1000), '+7916' || lpad((u.id % 10000000)::text, 7, "
        "'0'), "
        "(ARRAY['basic','advanced','premium',NULL])[1 + u.id % 4], "
        "CASE WHEN u.id % 10 = 0 THEN 'new' WHEN u.id % 10 = 1 THEN 'in_progress' "
        "WHEN u.id % 10 < 8 THEN 'done' ELSE 'rejected' END, "
        "u.created_at + interval '10 minutes', u.created_at + interval '1 hour' FROM users u"_s,
        u"bench: applications"_s);
    say(u"  seeded %1 users and applications in %2 s"_s.arg(applications)
            .arg(clock.elapsed() / 1000.0, 0, 'f', 1));
    clock.restart();
    db.execDirect(
        u"INSERT INTO bot_metrics (telegram_id, action, package_code, created_at) "
        "SELECT 100000001 + (g::bigint * 7919) % %1, "
        "(ARRAY['start','package_view','package_view','apply_start','application_created'])[1 + g % 5], "
        "CASE WHEN g % 5 IN (1, 2) THEN (ARRAY['basic','advanced','premium'])[1 + g % 3] END, "
        "now() - (g % (365 * 24 * 60)) * interval '1 minute' FROM generate_series(1, %2) g"_s
            .arg(applications)
            .arg(events),
        u"bench: events"_s);
    db.execDirect(u"SET session_replication_role = origin"_s, u"bench: normal mode"_s);
    say(u"  seeded %1 events in %2 s"_s.arg(events).arg(clock.elapsed() / 1000.0, 0, 'f', 1));
}

// The fixture is loaded under schema version 2 and then upgraded, as a live database would be: version 3
// fills the users' funnel milestones from the events (bulk loading skipped the triggers that keep them).
bool seedAndUpgrade(DbConnection& db, qint64 applications, qint64 events)
{
    Migrator migrator(db);
    if (auto v2 = migrator.migrate(2); !v2) {
        say(u"bench_console: %1"_s.arg(v2.error().message()));
        return false;
    }
    try {
        seed(db, applications, events);
    } catch (const DbException& e) {
        say(u"bench_console: seeding failed: %1"_s.arg(e.error().message()));
        return false;
    }
    QElapsedTimer clock;
    clock.start();
    auto upgraded = migrator.migrate();
    if (!upgraded) {
        say(u"bench_console: %1"_s.arg(upgraded.error().message()));
        return false;
    }
    say(u"  upgraded the schema from version 2 to %1 in %2 s"_s.arg(upgraded->toVersion)
            .arg(clock.elapsed() / 1000.0, 0, 'f', 1));
    clock.restart();
    db.execDirect(u"VACUUM ANALYZE"_s, u"bench: analyze"_s);
    say(u"  vacuumed and analyzed in %1 s"_s.arg(clock.elapsed() / 1000.0, 0, 'f', 1));
    return true;
}

struct Series
{
    QString name;
    QList<double> ms;
    QString report() const
    {
        QList<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        const double median = sorted.isEmpty() ? 0 : sorted.at(sorted.size() / 2);
        const double max = sorted.isEmpty() ? 0 : sorted.constLast();
        return u"  %1 median %2 ms, max %3 ms (%4 runs)"_s.arg(name.leftJustified(44))
            .arg(median, 0, 'f', 1)
            .arg(max, 0, 'f', 1)
            .arg(ms.size());
    }
};

// Runs `action`, then waits for `signalSpy` to grow; returns the milliseconds in between.
template <typename Action>
double timed(QSignalSpy& spy, Action action)
{
    spy.clear();
    QElapsedTimer clock;
    clock.start();
    action();
    if (!spy.wait(60000))
        return -1;
    return double(clock.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("SALESBOT_TEST_BACKEND", "postgres");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption applicationsOption(u"applications"_s, u"applications (and users) to seed"_s,
                                                u"N"_s, u"1000000"_s);
    const QCommandLineOption eventsOption(u"events"_s, u"bot events to seed"_s, u"N"_s, u"5000000"_s);
    const QCommandLineOption runsOption(u"runs"_s, u"repetitions of each measurement"_s, u"N"_s, u"7"_s);
    parser.addOptions({applicationsOption, eventsOption, runsOption});
    parser.addHelpOption();
    parser.process(app);
    const qint64 applications = parser.value(applicationsOption).toLongLong();
    const qint64 events = parser.value(eventsOption).toLongLong();
    const int runs = qMax(1, parser.value(runsOption).toInt());

    auto database = TestDatabase::create();
    if (!database) {
        say(u"bench_console: %1"_s.arg(database.error()));
        return 1;
    }
    say(u"console benchmark: %1 applications, %2 events, PostgreSQL on loopback"_s.arg(applications)
            .arg(events));
    {
        auto db = database.value()->connect(u"bench-seed"_s);
        if (!db || !seedAndUpgrade(*db, applications, events))
            return 1;
    }
    const qint64 rssBeforeConsole = peakRssKb();

    ConsoleSession session(database.value()->settings());
    ApplicationsView view(session);
    view.resize(1400, 860);
    view.show();
    ApplicationsModel& model = *view.model();
    QSignalSpy loaded(&model, &ApplicationsModel::loaded);
    QSignalSpy counted(&model, &ApplicationsModel::totalCountChanged);

    Series firstPage{u"first page shown (newest first)"_s, {}};
    Series firstCount{u"total count shown (all applications)"_s, {}};
    Series statusFilter{u"filter change: status = new"_s, {}};
    Series packageFilter{u"filter change: package = premium, open"_s, {}};
    Series searchName{u"search: name \"Вера 12\""_s, {}};
    Series searchPhone{u"search: phone fragment \"1234567\""_s, {}};
    Series sortName{u"sort change: by name"_s, {}};
    Series sortStatus{u"sort change: by status, descending"_s, {}};
    Series nextPage{u"next page (scrolling)"_s, {}};
    Series dashboard30{u"dashboard refresh, 30 days"_s, {}};
    Series dashboard90{u"dashboard refresh, 90 days"_s, {}};

    for (int run = 0; run < runs; ++run) {
        // From nothing to rows on screen, as at start-up; the count follows the page and does not delay it.
        model.sort(ApplicationsModel::Created, Qt::DescendingOrder);
        if (model.isLoading())
            loaded.wait(60000); // the sort's own reload is not what is measured here
        counted.clear();
        QElapsedTimer clock;
        clock.start();
        firstPage.ms << timed(loaded, [&] { model.setFilter({}); });
        if (counted.isEmpty() && !counted.wait(60000))
            firstCount.ms << -1;
        else
            firstCount.ms << double(clock.nsecsElapsed()) / 1e6;

        ApplicationFilter f;
        f.statuses = {ApplicationStatus::New};
        statusFilter.ms << timed(loaded, [&] { model.setFilter(f); });
        f.statuses = {ApplicationStatus::New, ApplicationStatus::InProgress};
        f.packageCodes = {u"premium"_s};
        packageFilter.ms << timed(loaded, [&] { model.setFilter(f); });
        ApplicationFilter search;
        search.text = u"Вера 12"_s;
        searchName.ms << timed(loaded, [&] { model.setFilter(search); });
        search.text = u"1234567"_s;
        searchPhone.ms << timed(loaded, [&] { model.setFilter(search); });
        model.setFilter({});
        loaded.wait(60000);
        sortName.ms << timed(loaded, [&] { model.sort(ApplicationsModel::Name, Qt::AscendingOrder); });
        sortStatus.ms << timed(loaded, [&] { model.sort(ApplicationsModel::Status, Qt::DescendingOrder); });
        {
            QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
            nextPage.ms << timed(inserted, [&] { model.fetchMore({}); });
        }
    }
    const qint64 rssApplications = peakRssKb();

    DashboardView dashboard(session);
    dashboard.resize(1400, 860);
    dashboard.show();
    QSignalSpy dashboardLoaded(&dashboard, &DashboardView::loaded);
    for (int run = 0; run < runs; ++run) {
        dashboard30.ms << timed(dashboardLoaded, [&] { dashboard.setPeriodDays(30); });
        dashboard90.ms << timed(dashboardLoaded, [&] { dashboard.setPeriodDays(90); });
    }
    const qint64 rssAll = peakRssKb();

    say(u"results (time from the action to the rows or charts being in the view):"_s);
    for (const Series* s : {&firstPage, &firstCount, &statusFilter, &packageFilter, &searchName, &searchPhone,
                            &sortName, &sortStatus, &nextPage, &dashboard30, &dashboard90})
        say(s->report());
    say(u"  peak RSS: %1 MB before the console opened (seeding), %2 MB with the applications view, %3 MB "
        u"with "
        "the dashboard"_s.arg(rssBeforeConsole / 1024.0, 0, 'f', 1)
            .arg(rssApplications / 1024.0, 0, 'f', 1)
            .arg(rssAll / 1024.0, 0, 'f', 1));
    return 0;
}
