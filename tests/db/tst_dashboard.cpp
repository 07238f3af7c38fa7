// The Dashboard tab on a real session over fixture data: every number a chart holds equals its SQL aggregate
// computed here with plain COUNT queries over the operator's local days; periods, exports, hover, nice
// scales.

#include "BarChart.h"
#include "ConsoleSession.h"
#include "DashboardData.h"
#include "DashboardView.h"
#include "Fixtures.h"
#include "FunnelChart.h"
#include "MetricsRepository.h"
#include "NiceScale.h"
#include "TestDatabase.h"
#include "TimeSeriesChart.h"

#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

class TestDashboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void niceScale_data();
    void niceScale();
    void periodIsTheOperatorsLocalDays();
    void everyNumberEqualsItsSqlAggregate();
    void switchingThePeriodReloads();
    void customPeriod();
    void csvExport();
    void pngExport();
    void hoverShowsTheBarsValue();
    void dateLabelsDoNotOverlap_data();
    void dateLabelsDoNotOverlap();
    void emptyPeriodShowsZerosAndEmptyTexts();
    void databaseErrorIsShownInline();
    void applicationChangesRefreshOnceAfterAPause();

private:
    // Local midnight (the system time zone of this run) of `day`, in UTC: computed here without the code
    // under test.
    static QDateTime localMidnight(const QDate& day) { return QDateTime(day, QTime(0, 0)).toUTC(); }
    qint64 count(const QString& sql, const QVariantList& values);
    qint64 countBetween(const QString& table, const QString& condition, const QDateTime& from,
                        const QDateTime& to, const QVariantList& extra = {});
    void insertFixture();
    void compareWithSql(const DashboardView& view, int days);
    bool waitLoaded(DashboardView& view, const std::function<void()>& action);
    void saveShot(QWidget& widget, const QString& name);

    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
    std::unique_ptr<ConsoleSession> m_session;
    QDate m_today;
};

void TestDashboard::initTestCase()
{
    // The operators' language: Russian texts and numbers, as the console starts on a Russian system.
    const QLocale russian(QLocale::Russian, QLocale::Russia);
    QLocale::setDefault(russian);
    for (const QString& name : {u"salesbot_core"_s, u"salesbot_console"_s}) {
        auto* translator = new QTranslator(this);
        if (translator->load(russian, name, u"_"_s, u":/i18n"_s))
            QCoreApplication::installTranslator(translator);
        else
            qWarning() << "no Russian translation" << name;
    }
}

void TestDashboard::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
    m_session = std::make_unique<ConsoleSession>(m_database->settings());
    m_today = QDate::currentDate();
}

void TestDashboard::cleanup()
{
    m_session.reset();
    m_db.reset();
    m_database.reset();
}

qint64 TestDashboard::count(const QString& sql, const QVariantList& values)
{
    QSqlQuery& q = m_db->exec(sql, values, u"test aggregate"_s);
    const qint64 result = q.next() ? q.value(0).toLongLong() : -1;
    q.finish();
    return result;
}

qint64 TestDashboard::countBetween(const QString& table, const QString& condition, const QDateTime& from,
                                   const QDateTime& to, const QVariantList& extra)
{
    QVariantList values = extra;
    values << DbConnection::toSqlTimestamp(from) << DbConnection::toSqlTimestamp(to);
    return count(u"SELECT COUNT(*) FROM %1 WHERE %2 AND created_at >= {ts} AND created_at < {ts}"_s.arg(
                     table, condition),
                 values);
}

void TestDashboard::insertFixture()
{
    // Times near the local midnights that bound the 7- and 30-day periods, and in between.
    MetricsRepository metrics(*m_db);
    const QDateTime from7 = localMidnight(m_today.addDays(-6));
    const QDateTime from30 = localMidnight(m_today.addDays(-29));
    const QDateTime to = localMidnight(m_today.addDays(1));
    const QDateTime todayStart = localMidnight(m_today);
    for (int u = 1; u <= 6; ++u)
        makeUser(*m_db, u);
    auto event = [&](qint64 user, const QString& action, const QString& package, const QDateTime& at) {
        QVERIFY2(metrics.recordAt(user, action, package, {}, at), "recording a fixture event");
    };
    auto setUserCreated = [&](qint64 telegramId, const QDateTime& at) {
        m_db->exec(u"UPDATE users SET created_at = {ts} WHERE telegram_id = ?"_s,
                   {DbConnection::toSqlTimestamp(at), telegramId}, u"fixture"_s);
    };
    setUserCreated(1, from7.addSecs(-1)); // the day before the 7 days
    setUserCreated(2, from7);             // the first second of the 7 days
    setUserCreated(3, to.addSecs(-1));    // the last second of today
    setUserCreated(4, from30.addDays(3).addSecs(7200));
    setUserCreated(5, from30.addSecs(-1)); // outside both
    setUserCreated(6, todayStart.addSecs(30));

    // Funnel and views: everybody starts, most view packages, some start the form, two file.
    for (int u = 1; u <= 6; ++u)
        event(u, u"start"_s, {}, u <= 3 ? from7.addSecs(u * 60) : from30.addDays(u));
    event(1, u"package_view"_s, u"basic"_s, from7);                    // in
    event(1, u"package_view"_s, u"basic"_s, from7.addSecs(-1));        // out of the 7 days, in the 30
    event(2, u"package_view"_s, u"basic"_s, to.addSecs(-1));           // in
    event(2, u"package_view"_s, u"basic"_s, to);                       // out: the end is open
    event(2, u"package_view"_s, u"advanced"_s, todayStart.addSecs(1)); // in
    event(3, u"package_view"_s, u"premium"_s, from7.addDays(2));
    event(3, u"package_view"_s, u"premium"_s, from7.addDays(2).addSecs(5));
    event(4, u"package_view"_s, u"advanced"_s, from30.addDays(4));
    event(5, u"package_view"_s, u"basic"_s, from30);
    event(1, u"apply_start"_s, {}, from7.addDays(1));
    event(3, u"apply_start"_s, {}, from7.addDays(3));
    event(4, u"apply_start"_s, {}, from30.addDays(5));
    event(1, u"application_created"_s, u"basic"_s, from7.addDays(1).addSecs(60));
    event(4, u"application_created"_s, u"advanced"_s, from30.addDays(5).addSecs(60));
    event(2, u"application_created"_s, u"advanced"_s, to.addSecs(-2)); // in: before the end
    event(6, u"application_created"_s, u"basic"_s, to);                // out: at the end

    // Applications (each for a new user, 101…): at the edges and inside.
    const QList<std::pair<QString, QDateTime>> applications{
        {u"basic"_s, from7},
        {u"basic"_s, from7.addSecs(-1)},
        {u"advanced"_s, to.addSecs(-1)},
        {u"advanced"_s, to},
        {u"premium"_s, from7.addDays(3).addSecs(3600)},
        {u"basic"_s, from7.addDays(3).addSecs(7200)},
        {u"advanced"_s, from30.addDays(10)},
        {u"premium"_s, from30},
    };
    qint64 telegramId = 101;
    for (const auto& [package, at] : applications) {
        const Application a = makeApplication(*m_db, telegramId++, package);
        setCreatedAt(*m_db, a.id, at);
    }
}

bool TestDashboard::waitLoaded(DashboardView& view, const std::function<void()>& action)
{
    QSignalSpy loaded(&view, &DashboardView::loaded);
    QSignalSpy failed(&view, &DashboardView::failed);
    action();
    for (int i = 0; i < 200 && loaded.isEmpty() && failed.isEmpty(); ++i)
        QTest::qWait(50);
    if (!failed.isEmpty())
        qWarning() << "load failed:" << failed.first().first().toString();
    return loaded.size() == 1 && failed.isEmpty() && !view.isLoading();
}

void TestDashboard::compareWithSql(const DashboardView& view, int days)
{
    const QDateTime from = localMidnight(m_today.addDays(1 - days));
    const QDateTime to = localMidnight(m_today.addDays(1));
    QCOMPARE(view.data().period.from, from);
    QCOMPARE(view.data().period.to, to);

    // Package interest: one category per package in catalog order, views and applications.
    const BarChart* interest = view.interestChart();
    QSqlQuery& q =
        m_db->exec(u"SELECT code, title FROM packages ORDER BY sort_order, code"_s, {}, u"packages"_s);
    QStringList codes;
    QStringList titles;
    while (q.next()) {
        codes << q.value(0).toString();
        titles << q.value(1).toString();
    }
    q.finish();
    QCOMPARE(interest->categories(), titles);
    QCOMPARE(interest->series().size(), 2);
    qint64 totalViews = 0;
    for (int c = 0; c < codes.size(); ++c) {
        const qint64 views = countBetween(u"bot_metrics"_s, u"action = 'package_view' AND package_code = ?"_s,
                                          from, to, {codes.at(c)});
        const qint64 applications =
            countBetween(u"applications"_s, u"package_code = ?"_s, from, to, {codes.at(c)});
        QCOMPARE(interest->value(c, 0), double(views));
        QCOMPARE(interest->value(c, 1), double(applications));
        totalViews += views;
    }

    // Daily volume: every local day of the period, zeros included.
    const TimeSeriesChart* volume = view.volumeChart();
    QCOMPARE(volume->days().size(), days);
    qint64 totalApplications = 0;
    qint64 totalUsers = 0;
    int zeroDays = 0;
    for (int d = 0; d < days; ++d) {
        const QDate day = m_today.addDays(1 - days + d);
        QCOMPARE(volume->days().at(d), day);
        const qint64 applications =
            countBetween(u"applications"_s, u"1 = 1"_s, localMidnight(day), localMidnight(day.addDays(1)));
        const qint64 users =
            countBetween(u"users"_s, u"1 = 1"_s, localMidnight(day), localMidnight(day.addDays(1)));
        QCOMPARE(volume->value(d, 0), double(applications));
        QCOMPARE(volume->value(d, 1), double(users));
        totalApplications += applications;
        totalUsers += users;
        if (applications == 0 && users == 0)
            ++zeroDays;
    }
    QVERIFY2(zeroDays > 0, "the fixture leaves days without activity");
    QCOMPARE(totalApplications, countBetween(u"applications"_s, u"1 = 1"_s, from, to));
    QCOMPARE(totalUsers, countBetween(u"users"_s, u"1 = 1"_s, from, to));

    // Funnel: the users who first came in the period, and those of them with each step before its end.
    const QString cohort =
        u"SELECT COUNT(*) FROM users u WHERE u.created_at >= {ts} AND u.created_at < {ts} AND %1"_s;
    const QString reached = u"EXISTS (SELECT 1 FROM bot_metrics m WHERE m.telegram_id = u.telegram_id "
                            "AND m.action = '%1' AND m.created_at < {ts})"_s;
    const QVariantList range{DbConnection::toSqlTimestamp(from), DbConnection::toSqlTimestamp(to)};
    const QVariantList rangeAndEnd = range + QVariantList{DbConnection::toSqlTimestamp(to)};
    const QList<qint64> funnel{count(cohort.arg(u"1 = 1"_s), range),
                               count(cohort.arg(reached.arg(u"package_view"_s)), rangeAndEnd),
                               count(cohort.arg(reached.arg(u"apply_start"_s)), rangeAndEnd),
                               count(cohort.arg(reached.arg(u"application_created"_s)), rangeAndEnd)};
    QCOMPARE(view.funnelChart()->counts(), funnel);

    // Summary numbers as printed.
    const QLocale locale = view.locale();
    const QStringList summary = view.summaryTexts();
    QCOMPARE(summary.at(0), locale.toString(totalViews));
    QCOMPARE(summary.at(1), locale.toString(totalApplications));
    QCOMPARE(summary.at(3), locale.toString(totalUsers));
    const double conversion = totalViews > 0 ? double(totalApplications) / double(totalViews) : 0.0;
    QCOMPARE(view.data().conversion(), conversion);
}

void TestDashboard::saveShot(QWidget& widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("SALESBOT_SHOT_DIR");
    if (dir.isEmpty())
        return;
    QVERIFY(widget.grab().save(QDir(dir).filePath(name + u"-"_s + TestDatabase::backendName() + u".png"_s)));
}

void TestDashboard::niceScale_data()
{
    QTest::addColumn<double>("maximum");
    QTest::addColumn<QList<double>>("ticks");
    QTest::newRow("0") << 0.0 << QList<double>{0, 1};
    QTest::newRow("1") << 1.0 << QList<double>{0, 1};
    QTest::newRow("7") << 7.0 << QList<double>{0, 2, 4, 6, 8};
    QTest::newRow("10") << 10.0 << QList<double>{0, 2, 4, 6, 8, 10};
    QTest::newRow("99") << 99.0 << QList<double>{0, 20, 40, 60, 80, 100};
    QTest::newRow("1234") << 1234.0 << QList<double>{0, 250, 500, 750, 1000, 1250};
    QTest::newRow("negative") << -5.0 << QList<double>{0, 1};
}

void TestDashboard::niceScale()
{
    QFETCH(double, maximum);
    QFETCH(QList<double>, ticks);
    const NiceScale scale(maximum, 5);
    QCOMPARE(scale.ticks(), ticks);
    QCOMPARE(scale.top(), ticks.last());
    QVERIFY(scale.top() >= maximum);
    // Whole steps for counts, however few.
    const NiceScale small(3, 6);
    QCOMPARE(small.step(), 1.0);
    QCOMPARE(small.ticks(), (QList<double>{0, 1, 2, 3}));
}

void TestDashboard::periodIsTheOperatorsLocalDays()
{
    const int offset = ConsoleSession::localUtcOffsetSeconds();
    // The code's notion of today and of local midnights agrees with the system's time zone of this run.
    QCOMPARE(DashboardData::today(offset), QDate::currentDate());
    const ReportPeriod seven = DashboardData::lastDays(7, m_today, offset);
    QCOMPARE(seven.from, localMidnight(m_today.addDays(-6)));
    QCOMPARE(seven.to, localMidnight(m_today.addDays(1)));
    QCOMPARE(seven.utcOffsetSeconds, offset);
    QCOMPARE(DashboardData::firstDay(seven), m_today.addDays(-6));
    QCOMPARE(DashboardData::lastDay(seven), m_today);
    // A fixed zone far east: 14 h ahead, so local midnight of 10 April is 10:00 UTC on 9 April.
    const ReportPeriod kiribati = DashboardData::days(QDate(2026, 4, 10), QDate(2026, 4, 10), 14 * 3600);
    QCOMPARE(kiribati.from, QDateTime(QDate(2026, 4, 9), QTime(10, 0), Qt::UTC));
    QCOMPARE(kiribati.to, QDateTime(QDate(2026, 4, 10), QTime(10, 0), Qt::UTC));
    // Reversed custom dates are taken the right way round.
    const ReportPeriod reversed = DashboardData::days(QDate(2026, 4, 12), QDate(2026, 4, 10), 0);
    QCOMPARE(reversed.from, QDateTime(QDate(2026, 4, 10), QTime(0, 0), Qt::UTC));
    QCOMPARE(reversed.to, QDateTime(QDate(2026, 4, 13), QTime(0, 0), Qt::UTC));
}

void TestDashboard::everyNumberEqualsItsSqlAggregate()
{
    insertFixture();
    DashboardView view(*m_session);
    view.resize(1200, 800);
    QVERIFY(waitLoaded(view, [&] { view.setPeriodDays(7); }));
    compareWithSql(view, 7);
    // The fixture is not vacuous: known numbers of the 7 days.
    QCOMPARE(view.interestChart()->value(0, 0), 2.0); // basic: from7 and the last second of today
    QCOMPARE(view.data().totalApplications(), 4);     // from7, today's last second, two on day 3
    // Came in the 7 days: users 2, 3 and 6 and the 8 who filed the applications; 2 and 3 viewed, 3 started
    // the form, 2 filed before the end.
    QCOMPARE(view.funnelChart()->counts(), (QList<qint64>{11, 2, 1, 1}));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    saveShot(view, u"dashboard-7"_s);
}

void TestDashboard::switchingThePeriodReloads()
{
    insertFixture();
    DashboardView view(*m_session);
    view.resize(1200, 800);
    QVERIFY(waitLoaded(view, [&] { view.setPeriodDays(7); }));
    QCOMPARE(view.volumeChart()->days().size(), 7);
    QVERIFY(waitLoaded(view, [&] { view.setPeriodDays(30); }));
    compareWithSql(view, 30);
    QCOMPARE(view.funnelChart()->counts(), (QList<qint64>{13, 4, 3, 3})); // users 1-4, 6 and the 8
    QVERIFY(waitLoaded(view, [&] { view.setPeriodDays(90); }));
    compareWithSql(view, 90);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    saveShot(view, u"dashboard-90"_s);
    QVERIFY(waitLoaded(view, [&] { view.setPeriodDays(30); }));
    saveShot(view, u"dashboard-30"_s);
}

void TestDashboard::customPeriod()
{
    insertFixture();
    DashboardView view(*m_session);
    const QDate first = m_today.addDays(-3);
    QVERIFY(waitLoaded(view, [&] { view.setCustomPeriod(m_today, first); }));
    QCOMPARE(view.volumeChart()->days().size(), 4);
    QCOMPARE(view.volumeChart()->days().first(), first);
    QCOMPARE(view.data().period.from, localMidnight(first));
    QCOMPARE(view.data().period.to, localMidnight(m_today.addDays(1)));
}

void TestDashboard::csvExport()
{
    insertFixture();
    DashboardView view(*m_session);
    view.setLocale(QLocale(QLocale::Russian, QLocale::Russia));
    QVERIFY(waitLoaded(view, [&] { view.setPeriodDays(7); }));
    QTemporaryDir dir;
    const QString path = dir.filePath(u"dashboard.csv"_s);
    QString error;
    QVERIFY2(view.exportCsv(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
    QCOMPARE(bytes, view.data().toCsv(QLocale(QLocale::Russian, QLocale::Russia)));
    const QStringList lines = QString::fromUtf8(bytes.mid(3)).split(u"\r\n"_s);
    // Russian Excel: ';' between cells, a decimal comma.
    QCOMPARE(CsvWriter::separatorFor(QLocale(QLocale::Russian, QLocale::Russia)), QChar(u';'));
    const QString iso = u"yyyy-MM-dd"_s;
    QCOMPARE(lines.at(0).section(u';', 1),
             m_today.addDays(-6).toString(iso) + u";"_s + m_today.toString(iso));
    // Package rows in catalog order with the chart's numbers.
    const int packagesHeader = int(lines.indexOf(lines.at(3)));
    QCOMPARE(lines.at(packagesHeader).count(u';'), 4);
    for (int c = 0; c < view.interestChart()->categories().size(); ++c) {
        const QStringList cells = lines.at(packagesHeader + 1 + c).split(u';');
        QCOMPARE(cells.at(0), view.interestChart()->categories().at(c));
        QCOMPARE(cells.at(2).toDouble(), view.interestChart()->value(c, 0));
        QCOMPARE(cells.at(3).toDouble(), view.interestChart()->value(c, 1));
        const PackageInterest& p = view.data().interest.at(c);
        QCOMPARE(cells.at(4), QLocale(QLocale::Russian).toString(p.conversion() * 100.0, 'f', 1));
    }
    QVERIFY(lines.contains(u"0,0"_s) || QString::fromUtf8(bytes).contains(u";50,0"_s) ||
            QString::fromUtf8(bytes).contains(u",0\r\n"_s)); // decimal comma somewhere
    // Daily rows: one per day, ISO dates, the chart's numbers.
    for (int d = 0; d < 7; ++d) {
        const QString day = view.volumeChart()->days().at(d).toString(iso);
        const QString expected = u"%1;%2;%3"_s.arg(day)
                                     .arg(qint64(view.volumeChart()->value(d, 0)))
                                     .arg(qint64(view.volumeChart()->value(d, 1)));
        QVERIFY2(lines.contains(expected), qPrintable(expected));
    }
    // Funnel rows.
    const QStringList steps = DashboardData::funnelStepNames();
    for (int s = 0; s < steps.size(); ++s) {
        const QString prefix = u"%1;%2;"_s.arg(steps.at(s)).arg(view.funnelChart()->counts().at(s));
        bool found = false;
        for (const QString& line : lines)
            found = found || line.startsWith(prefix);
        QVERIFY2(found, qPrintable(prefix));
    }
    // English: ',' and a decimal point.
    const QByteArray english = view.data().toCsv(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(english.contains(u"%1,%2,%3"_s.arg(m_today.toString(iso))
                                 .arg(qint64(view.volumeChart()->value(6, 0)))
                                 .arg(qint64(view.volumeChart()->value(6, 1)))
                                 .toUtf8()));
}

void TestDashboard::pngExport()
{
    insertFixture();
    DashboardView view(*m_session);
    view.resize(1200, 800);
    QVERIFY(waitLoaded(view, [&] { view.setPeriodDays(30); }));
    const QImage chart = view.volumeChart()->renderImage(QSize(640, 360));
    QCOMPARE(chart.size(), QSize(640, 360));
    // Something is drawn: more than the background colour.
    QSet<QRgb> colours;
    for (int y = 0; y < chart.height(); y += 4) {
        for (int x = 0; x < chart.width(); x += 4)
            colours.insert(chart.pixel(x, y));
    }
    QVERIFY(colours.size() > 10);
    const QImage hiDpi = view.funnelChart()->renderImage(QSize(400, 300), 2.0);
    QCOMPARE(hiDpi.size(), QSize(800, 600));
    QCOMPARE(hiDpi.deviceIndependentSize(), QSizeF(400, 300));

    QTemporaryDir dir;
    QString error;
    const QString chartPath = dir.filePath(u"interest.png"_s);
    QVERIFY2(view.interestChart()->savePng(chartPath, QSize(800, 450), &error), qPrintable(error));
    QCOMPARE(QImage(chartPath).size(), QSize(800, 450));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QString whole = dir.filePath(u"dashboard.png"_s);
    QVERIFY2(view.exportPng(whole, &error), qPrintable(error));
    const QImage wholeImage(whole);
    QVERIFY(!wholeImage.isNull());
    QVERIFY(wholeImage.width() > 1000 && wholeImage.height() > 600);
    QVERIFY(!view.exportPng(u"/nonexistent-dir/x.png"_s, &error));
    QVERIFY(!error.isEmpty());
}

void TestDashboard::hoverShowsTheBarsValue()
{
    insertFixture();
    DashboardView view(*m_session);
    view.resize(1200, 800);
    QVERIFY(waitLoaded(view, [&] { view.setPeriodDays(30); }));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    BarChart* chart = view.interestChart();
    const int seriesCount = int(chart->series().size());
    QCOMPARE(chart->itemCount(), int(chart->categories().size()) * seriesCount);
    for (int i = 0; i < chart->itemCount(); ++i) {
        const QPoint centre = chart->hitRect(i).center().toPoint();
        QTest::mouseMove(chart, centre);
        QTRY_COMPARE(chart->hoveredIndex(), i);
        const double value = chart->value(i / seriesCount, i % seriesCount);
        QCOMPARE(chart->valueTextAt(centre), chart->locale().toString(qint64(value)));
        QVERIFY(chart->hoverLines(i).first() == chart->categories().at(i / seriesCount));
    }
    saveShot(view, u"dashboard-hover"_s);
    // The days chart and the funnel answer too.
    TimeSeriesChart* volume = view.volumeChart();
    QTest::mouseMove(volume, volume->hitRect(29).center().toPoint());
    QTRY_COMPARE(volume->hoveredIndex(), 29);
    QCOMPARE(volume->valueText(29),
             u"%1 / %2"_s.arg(qint64(volume->value(29, 0))).arg(qint64(volume->value(29, 1))));
    FunnelChart* funnel = view.funnelChart();
    QTest::mouseMove(funnel, funnel->hitRect(1).center().toPoint());
    QTRY_COMPARE(funnel->hoveredIndex(), 1);
    QCOMPARE(funnel->valueText(1), QString::number(funnel->counts().at(1)));
    // Outside any item: nothing hovered.
    QTest::mouseMove(chart, QPoint(2, 2));
    QTRY_COMPARE(chart->hoveredIndex(), -1);
    QVERIFY(chart->valueTextAt(QPoint(2, 2)).isEmpty());
}

void TestDashboard::dateLabelsDoNotOverlap_data()
{
    QTest::addColumn<int>("days");
    QTest::addColumn<int>("width");
    for (const int days : {7, 30, 90, 365}) {
        for (const int width : {360, 700, 1200})
            QTest::addRow("%d days, %d px", days, width) << days << width;
    }
}

void TestDashboard::dateLabelsDoNotOverlap()
{
    QFETCH(int, days);
    QFETCH(int, width);
    TimeSeriesChart chart;
    chart.setLocale(QLocale(QLocale::Russian, QLocale::Russia));
    QList<QDate> dates;
    ChartSeries series{u"x"_s, {}};
    for (int d = 0; d < days; ++d) {
        dates.append(QDate(2025, 12, 1).addDays(d));
        series.values.append(d % 5);
    }
    chart.setData(dates, {series});
    chart.resize(width, 300);
    const QList<QRectF> rects = chart.dateLabelRects();
    QVERIFY(rects.size() >= 2);
    for (qsizetype i = 1; i < rects.size(); ++i)
        QVERIFY2(rects.at(i - 1).right() < rects.at(i).left(),
                 qPrintable(u"labels %1 and %2"_s.arg(i - 1).arg(i)));
    for (const QRectF& r : rects)
        QVERIFY(r.left() >= 0 && r.right() <= width);
    // The most recent day is labelled while there are days to label one by one.
    if (days <= 92)
        QCOMPARE(chart.labelledDays().last(), days - 1);
}

void TestDashboard::emptyPeriodShowsZerosAndEmptyTexts()
{
    DashboardView view(*m_session);
    view.resize(1000, 700);
    QVERIFY(waitLoaded(view, [&] { view.setPeriodDays(7); }));
    QVERIFY(!view.interestChart()->hasData());
    QVERIFY(!view.funnelChart()->hasData());
    QVERIFY(view.volumeChart()->hasData()); // seven zero days
    for (int d = 0; d < 7; ++d)
        QCOMPARE(view.volumeChart()->value(d, 0), 0.0);
    QCOMPARE(view.summaryTexts().at(2), view.locale().toString(0.0, 'f', 0) + view.locale().percent());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    saveShot(view, u"dashboard-empty"_s);
}

void TestDashboard::databaseErrorIsShownInline()
{
    ConnectionSettings broken;
    broken.dialect = Dialect::Sqlite;
    broken.sqlitePath = u"/etc/passwd/not-a-directory/salesbot.db"_s; // a file cannot hold a folder
    ConsoleSession session(broken);
    DashboardView view(session);
    QSignalSpy failed(&view, &DashboardView::failed);
    QSignalSpy loaded(&view, &DashboardView::loaded);
    view.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
    QVERIFY(loaded.isEmpty());
    QVERIFY(!view.errorText().isEmpty());
    QVERIFY(!view.isLoading());
}

void TestDashboard::applicationChangesRefreshOnceAfterAPause()
{
    DashboardView view(*m_session);
    view.resize(1000, 700);
    view.show(); // the first show loads
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(!view.isLoading() && view.data().period.from.isValid());
    QCOMPARE(view.data().totalApplications(), 0);

    const Application a = makeApplication(*m_db, 77);
    Q_UNUSED(a);
    QSignalSpy loaded(&view, &DashboardView::loaded);
    // A burst of change notices: one load, not one per notice, and not at once.
    for (int i = 0; i < 20; ++i)
        Q_EMIT m_session->applicationChanged(0, 0, 0);
    QTest::qWait(500);
    QCOMPARE(loaded.size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 5000);
    QTest::qWait(300);
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(view.data().totalApplications(), 1);
}

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
