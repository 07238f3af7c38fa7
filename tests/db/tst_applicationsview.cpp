// The Applications tab against a real database: the model (QAbstractItemModelTester), server-side filters
// and sorting equal to plain SQL, keyset paging, the optimistic-version conflict, drafts that survive,
// the customer's notice, CSV for Excel, live updates, and a GUI that keeps painting during a slow query.

#include "ApplicationDetails.h"
#include "ApplicationRepository.h"
#include "ApplicationsModel.h"
#include "ApplicationsView.h"
#include "ConsoleSession.h"
#include "CsvWriter.h"
#include "Fixtures.h"
#include "OutboxRepository.h"
#include "TestDatabase.h"
#include "UserRepository.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateEdit>
#include <QLineEdit>
#include <QTableView>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

class TestApplicationsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void modelPassesTheTesterAndPagesThroughEverything();
    void filtersEqualSql_data();
    void filtersEqualSql();
    void sortingEqualsSql_data();
    void sortingEqualsSql();
    void viewFilterBarBuildsTheFilter();
    void conflictingStatusChangeIsRefusedAndReloaded();
    void noteDraftSurvivesSwitchingAndConflict();
    void statusChangeQueuesTheCustomersNotice();
    void csvExportHasEveryFilteredRowForExcel();
    void newApplicationAppearsLive();
    void guiKeepsPaintingDuringASlowQuery();
    void databaseGoingAwayIsSurvived();

private:
    // 120 applications: numbers, names, packages, statuses and days that the filters can tell apart.
    void seed();
    QList<qint64> sqlIds(const QString& where, const QString& order = u"a.created_at DESC, a.id DESC"_s);
    void waitLoaded(ApplicationsModel& model, QSignalSpy& spy);

    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
    std::unique_ptr<ConsoleSession> m_session;
    const QDateTime m_base{QDate(2026, 3, 1), QTime(9, 0), Qt::UTC};
};

void TestApplicationsView::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
    m_session = std::make_unique<ConsoleSession>(m_database->settings());
    m_session->setActor(u"console:test"_s);
}

void TestApplicationsView::cleanup()
{
    m_session.reset();
    m_db.reset();
    m_database.reset();
}

void TestApplicationsView::seed()
{
    static const QStringList names{u"Анна"_s, u"Борис"_s, u"Вера"_s, u"Глеб"_s, u"Дарья"_s, u"Zoe"_s};
    static const QStringList packages{u"basic"_s, u"advanced"_s, u"premium"_s, QString()};
    ApplicationRepository applications(*m_db);
    for (int i = 0; i < 120; ++i) {
        const qint64 tg = 7000 + i;
        makeUser(*m_db, tg, names.at(i % names.size()), i % 3 == 0 ? u"user_%1"_s.arg(i) : QString());
        const User user = *UserRepository(*m_db).findByTelegramId(tg).value();
        auto a = applications.create({user.id, u"%1 %2"_s.arg(names.at(i % names.size())).arg(i),
                                      u"+7916%1"_s.arg(1000000 + i), packages.at(i % packages.size())});
        QVERIFY2(a, WHY(a));
        setCreatedAt(*m_db, a->application.id, m_base.addSecs(qint64(i) * 5 * 3600)); // every 5 hours
        if (i % 4 == 1)
            QVERIFY(applications.changeStatus(a->application.id, a->application.version,
                                              ApplicationStatus::InProgress, u"seed"_s));
        if (i % 4 == 2)
            QVERIFY(applications.changeStatus(a->application.id, a->application.version,
                                              ApplicationStatus::Done, u"seed"_s));
    }
}

QList<qint64> TestApplicationsView::sqlIds(const QString& where, const QString& order)
{
    QList<qint64> ids;
    QSqlQuery& q =
        m_db->exec(u"SELECT a.id FROM applications a JOIN users u ON u.id = a.user_id "_s +
                       (where.isEmpty() ? QString() : u"WHERE "_s + where) + u" ORDER BY "_s + order,
                   QVariantList{}, u"test: expected ids"_s);
    while (q.next())
        ids << q.value(0).toLongLong();
    q.finish();
    return ids;
}

void TestApplicationsView::waitLoaded(ApplicationsModel& model, QSignalSpy& spy)
{
    QVERIFY(spy.wait(10000) || spy.count() > 0);
    QVERIFY2(model.lastError().isEmpty(), qPrintable(model.lastError()));
}

// Fetches every page and returns the ids in the model's order.
static QList<qint64> fetchAll(ApplicationsModel& model)
{
    // The model tester may have started a fetch of its own: wait for it rather than stop early.
    while (model.canFetchMore({}) || model.isFetching()) {
        if (!model.isFetching())
            model.fetchMore({});
        if (!QTest::qWaitFor([&] { return !model.isFetching(); }, 10000))
            break;
    }
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.applicationAt(row)->id;
    return ids;
}

void TestApplicationsView::modelPassesTheTesterAndPagesThroughEverything()
{
    seed();
    ApplicationsModel model(*m_session);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(25);
    QSignalSpy loaded(&model, &ApplicationsModel::loaded);
    QSignalSpy total(&model, &ApplicationsModel::totalCountChanged);
    model.reload();
    waitLoaded(model, loaded);
    QVERIFY(model.rowCount() >= 25); // the tester may already have fetched the next page
    QVERIFY(model.rowCount() < 120);
    QTRY_COMPARE(model.totalCount(), 120);
    const QList<qint64> ids = fetchAll(model);
    QCOMPARE(ids, sqlIds(QString()));
    QVERIFY(!model.canFetchMore({}));
    // Display text: the number, a status name, a package title or a dash.
    QCOMPARE(model.data(model.index(0, ApplicationsModel::Number)).toLongLong(),
             model.applicationAt(0)->number);
    QVERIFY(!model.data(model.index(0, ApplicationsModel::Status)).toString().isEmpty());
    QVERIFY(model.headerData(ApplicationsModel::Phone, Qt::Horizontal).isValid());
}

void TestApplicationsView::filtersEqualSql_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("package");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("fromDay");
    QTest::addColumn<int>("toDay");
    QTest::addColumn<QString>("where");
    QTest::newRow("status new") << u"new"_s << QString() << QString() << -1 << -1 << u"a.status = 'new'"_s;
    QTest::newRow("package premium") << QString() << u"premium"_s << QString() << -1 << -1
                                     << u"a.package_code = 'premium'"_s;
    QTest::newRow("no package") << QString() << u""_s << QString() << -1 << -1 << u"a.package_code IS NULL"_s;
    QTest::newRow("text name, any case")
        << QString() << QString() << u"вЕРа"_s << -1 << -1 << u"a.name LIKE 'Вера%'"_s;
    QTest::newRow("text phone") << QString() << QString() << u"1000011"_s << -1 << -1
                                << u"a.phone LIKE '%1000011%'"_s;
    QTest::newRow("text username") << QString() << QString() << u"user_3"_s << -1 << -1
                                   << u"u.username LIKE '%user\\_3%' ESCAPE '\\'"_s;
    QTest::newRow("days 2..4, in progress")
        << u"in_progress"_s << QString() << QString() << 2 << 4
        << u"a.status = 'in_progress' AND a.created_at >= '2026-03-03T00:00:00Z' "
           "AND a.created_at < '2026-03-06T00:00:00Z'"_s;
    QTest::newRow("hostile text") << QString() << QString() << u"'; DROP TABLE applications; --"_s << -1 << -1
                                  << u"1 = 0"_s;
}

void TestApplicationsView::filtersEqualSql()
{
    QFETCH(QString, status);
    QFETCH(QString, package);
    QFETCH(QString, text);
    QFETCH(int, fromDay);
    QFETCH(int, toDay);
    QFETCH(QString, where);
    seed();
    ApplicationFilter filter;
    if (!status.isEmpty())
        filter.statuses = {*ApplicationStatuses::fromCode(status)};
    if (!package.isNull())
        filter.packageCodes = {package};
    filter.text = text;
    // Days in UTC here: the view's local-day conversion is tested separately.
    if (fromDay >= 0)
        filter.createdFrom = QDateTime(QDate(2026, 3, 1 + fromDay), QTime(0, 0), Qt::UTC);
    if (toDay >= 0)
        filter.createdTo = QDateTime(QDate(2026, 3, 2 + toDay), QTime(0, 0), Qt::UTC);
    QString sqlWhere = where;
    if (m_db->dialect() == Dialect::Sqlite)
        sqlWhere.replace(u"'Вера%'"_s,
                         u"'Вера%'"_s); // SQLite LIKE is ASCII-only case-insensitive: exact case here

    ApplicationsModel model(*m_session);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(10);
    QSignalSpy loaded(&model, &ApplicationsModel::loaded);
    model.setFilter(filter);
    waitLoaded(model, loaded);
    const QList<qint64> expected = sqlIds(sqlWhere);
    QTRY_COMPARE(model.totalCount(), qint64(expected.size()));
    QCOMPARE(fetchAll(model), expected);
    if (!where.startsWith("1 = 0"_L1))
        QVERIFY(!expected.isEmpty());        // the fixture must exercise the filter
    QCOMPARE(sqlIds(QString()).size(), 120); // the hostile text did nothing
}

void TestApplicationsView::sortingEqualsSql_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QString>("order");
    QTest::newRow("number asc") << int(ApplicationsModel::Number) << false << u"a.number ASC, a.id ASC"_s;
    QTest::newRow("name asc") << int(ApplicationsModel::Name) << false << u"a.name ASC, a.id ASC"_s;
    QTest::newRow("name desc") << int(ApplicationsModel::Name) << true << u"a.name DESC, a.id DESC"_s;
    QTest::newRow("package asc, empty first")
        << int(ApplicationsModel::Package) << false << u"COALESCE(a.package_code, '') ASC, a.id ASC"_s;
    QTest::newRow("status workflow order")
        << int(ApplicationsModel::Status) << false
        << u"CASE a.status WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'done' THEN 2 ELSE 3 END ASC, a.id ASC"_s;
    QTest::newRow("telegram desc") << int(ApplicationsModel::Username) << true
                                   << u"COALESCE(u.username, '') DESC, a.id DESC"_s;
    QTest::newRow("created asc") << int(ApplicationsModel::Created) << false
                                 << u"a.created_at ASC, a.id ASC"_s;
}

void TestApplicationsView::sortingEqualsSql()
{
    QFETCH(int, column);
    QFETCH(bool, descending);
    QFETCH(QString, order);
    seed();
    ApplicationsModel model(*m_session);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(17);
    QSignalSpy loaded(&model, &ApplicationsModel::loaded);
    model.reload();
    waitLoaded(model, loaded);
    loaded.clear();
    model.sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    waitLoaded(model, loaded);
    const QList<qint64> expected = sqlIds(QString(), order); // the database's own collation
    QCOMPARE(fetchAll(model), expected);
}

void TestApplicationsView::viewFilterBarBuildsTheFilter()
{
    seed();
    ApplicationsView view(*m_session);
    QSignalSpy loaded(&view, &ApplicationsView::loaded);
    view.refresh();
    QVERIFY(loaded.wait(10000));
    QTRY_VERIFY(view.packageFilter()->count() >= 5); // all, three packages, none
    view.statusFilter()->setCurrentIndex(view.statusFilter()->findData(u"open"_s));
    view.packageFilter()->setCurrentIndex(view.packageFilter()->findData(u"advanced"_s));
    view.fromFilter()->setDate(QDate(2026, 3, 2));
    view.toFilter()->setDate(QDate(2026, 3, 10));
    QTest::keyClicks(view.searchField(), u"+7916"_s);
    const ApplicationFilter filter = view.currentFilter();
    QCOMPARE(filter.statuses,
             (QList<ApplicationStatus>{ApplicationStatus::New, ApplicationStatus::InProgress}));
    QCOMPARE(filter.packageCodes, QStringList{u"advanced"_s});
    QCOMPARE(filter.text, u"+7916"_s);
    // The operator's local days, whatever TZ the suite runs in.
    QCOMPARE(filter.createdFrom, QDateTime(QDate(2026, 3, 2), QTime(0, 0)).toUTC());
    QCOMPARE(filter.createdTo, QDateTime(QDate(2026, 3, 11), QTime(0, 0)).toUTC());
    // The debounced search applies the whole filter; the model shows exactly what SQL says.
    QTRY_COMPARE(view.model()->filter().text, u"+7916"_s);
    QTRY_VERIFY(!view.model()->isLoading());
    qint64 expected = 0;
    QSqlQuery& q = m_db->exec(
        u"SELECT COUNT(*) FROM applications WHERE status IN ('new', 'in_progress') AND "
        "package_code = 'advanced' AND created_at >= {ts} AND created_at < {ts}"_s,
        {DbConnection::toSqlTimestamp(filter.createdFrom), DbConnection::toSqlTimestamp(filter.createdTo)},
        u"test: count"_s);
    QVERIFY(q.next());
    expected = q.value(0).toLongLong();
    q.finish();
    QVERIFY(expected > 0);
    QTRY_COMPARE(view.model()->totalCount(), expected);
}

void TestApplicationsView::conflictingStatusChangeIsRefusedAndReloaded()
{
    const Application a = makeApplication(*m_db, 8101, u"premium"_s);
    ApplicationDetails details(*m_session);
    QSignalSpy loaded(&details, &ApplicationDetails::detailsLoaded);
    details.showApplication(a);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(details.historyCount(), 1); // created

    // Another manager takes it first.
    auto other = ApplicationRepository(*m_db).changeStatus(a.id, a.version, ApplicationStatus::InProgress,
                                                           u"console:olga"_s);
    QVERIFY2(other, WHY(other));

    QSignalSpy changed(&details, &ApplicationDetails::applicationChanged);
    details.changeStatus(ApplicationStatus::Rejected, true);
    QTRY_VERIFY(!details.bannerText().isEmpty());
    QVERIFY2(details.bannerText().contains(u"another manager"_s) ||
                 details.bannerText().contains(u"другой"_s),
             qPrintable(details.bannerText()));
    // Nothing was overwritten and nothing was queued for the customer.
    const Application now = *ApplicationRepository(*m_db).findById(a.id).value();
    QCOMPARE(now.status, ApplicationStatus::InProgress);
    QCOMPARE(OutboxRepository(*m_db).counts()->pending, 0);
    // The pane reloads the current state; a second try from there works.
    QTRY_COMPARE(details.current()->version, now.version);
    QCOMPARE(details.current()->status, ApplicationStatus::InProgress);
    details.changeStatus(ApplicationStatus::Rejected, false);
    QTRY_COMPARE(ApplicationRepository(*m_db).findById(a.id).value()->status, ApplicationStatus::Rejected);
}

void TestApplicationsView::noteDraftSurvivesSwitchingAndConflict()
{
    const Application a = makeApplication(*m_db, 8201);
    const Application b = makeApplication(*m_db, 8202);
    ApplicationDetails details(*m_session);
    details.showApplication(a);
    const QString hostile = u"Перезвонить в 10:00 <b>'); DROP TABLE users; --\u0007"_s;
    details.setNoteDraft(hostile, u"Ольга"_s);
    QVERIFY(details.hasUnsavedNote());
    details.showApplication(b);
    QVERIFY(!details.hasUnsavedNote());
    details.showApplication(a);
    QVERIFY(details.hasUnsavedNote());
    QCOMPARE(details.noteDraft(), hostile);

    // Someone edits the application meanwhile: saving is refused and the draft stays.
    QVERIFY(
        ApplicationRepository(*m_db).updateNote(a.id, a.version, u"чужая заметка"_s, {}, u"console:olga"_s));
    details.saveNote();
    QTRY_VERIFY(!details.bannerText().isEmpty());
    QCOMPARE(ApplicationRepository(*m_db).findById(a.id).value()->managerNote, u"чужая заметка"_s);
    QTRY_VERIFY(details.current()->version > a.version);
    QVERIFY(details.hasUnsavedNote());
    QCOMPARE(details.noteDraft(), hostile);
    // Saved on top of the current version, verbatim.
    details.saveNote();
    QTRY_COMPARE(ApplicationRepository(*m_db).findById(a.id).value()->managerNote, hostile);
    QTRY_VERIFY(!details.hasUnsavedNote());
    QCOMPARE(ApplicationRepository(*m_db).findById(a.id).value()->assignee, u"Ольга"_s);
}

void TestApplicationsView::statusChangeQueuesTheCustomersNotice()
{
    const Application ru = makeApplication(*m_db, 8301);
    QVERIFY(UserRepository(*m_db).upsert(profile(8302, u"John"_s, u"john"_s, u"en"_s)));
    const User en = *UserRepository(*m_db).findByTelegramId(8302).value();
    const Application english =
        ApplicationRepository(*m_db).create({en.id, u"John"_s, u"+447700900123"_s, {}})->application;
    const Application blocked = makeApplication(*m_db, 8303);
    QVERIFY(UserRepository(*m_db).markBlocked(8303));

    ApplicationDetails details(*m_session);
    details.showApplication(ru);
    details.changeStatus(ApplicationStatus::InProgress, true);
    QTRY_COMPARE(OutboxRepository(*m_db).counts()->pending, 1);
    details.showApplication(english);
    details.changeStatus(ApplicationStatus::Done, true);
    QTRY_COMPARE(OutboxRepository(*m_db).counts()->pending, 2);
    details.showApplication(blocked);
    details.changeStatus(ApplicationStatus::Rejected, true);
    QTRY_COMPARE(ApplicationRepository(*m_db).findById(blocked.id).value()->status,
                 ApplicationStatus::Rejected);
    QTRY_VERIFY2(details.bannerText().contains(u"blocked"_s) ||
                     details.bannerText().contains(u"заблокировал"_s),
                 qPrintable(details.bannerText()));
    QCOMPARE(OutboxRepository(*m_db).counts()->pending, 2); // a blocked customer gets nothing

    QSqlQuery& q =
        m_db->exec(u"SELECT chat_id, method, CAST(payload AS TEXT), dedupe_key FROM outbox ORDER BY id"_s,
                   QVariantList{}, u"test: outbox"_s);
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toLongLong(), 8301);
    QCOMPARE(q.value(1).toString(), u"sendMessage"_s);
    QCOMPARE(QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object().value(u"text"_s).toString(),
             u"Статус вашей заявки №%1: В работе."_s.arg(ru.number));
    QCOMPARE(q.value(3).toString(), u"status:%1:%2"_s.arg(ru.id).arg(ru.version + 1));
    QVERIFY(q.next());
    QCOMPARE(QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object().value(u"text"_s).toString(),
             u"The status of your application №%1: done."_s.arg(english.number));
    q.finish();
    // History says who did it.
    const auto events = ApplicationRepository(*m_db).events(ru.id).value();
    QCOMPARE(events.constLast().actor, u"console:test"_s);
    QCOMPARE(events.constLast().kind, u"status_changed"_s);
}

void TestApplicationsView::csvExportHasEveryFilteredRowForExcel()
{
    seed();
    // Hostile and Cyrillic text must survive as text, not as a formula or broken quoting.
    const Application evil =
        makeApplication(*m_db, 8401, u"basic"_s, u"=HYPERLINK(\"x\";\"Иван; \"\"Грозный\"\"\")"_s);
    QVERIFY(
        ApplicationRepository(*m_db).updateNote(evil.id, evil.version, u"строка 1\nстрока 2"_s, {}, u"t"_s));
    ApplicationsView view(*m_session);
    QSignalSpy loaded(&view, &ApplicationsView::loaded);
    view.refresh();
    QVERIFY(loaded.wait(10000));
    view.packageFilter()->setCurrentIndex(view.packageFilter()->findData(u"basic"_s));
    QTemporaryDir dir;
    const QString path = dir.filePath(u"export.csv"_s);
    QSignalSpy exported(&view, &ApplicationsView::exported);
    view.exportCsv(path);
    QVERIFY(exported.wait(20000));
    QVERIFY2(exported.at(0).at(1).toString().isEmpty(), qPrintable(exported.at(0).at(1).toString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
    const QString text = QString::fromUtf8(bytes.mid(3));
    const QChar sep = CsvWriter::separatorFor(QLocale());
    qint64 basic = 0;
    QSqlQuery& q = m_db->exec(u"SELECT COUNT(*) FROM applications WHERE package_code = 'basic'"_s,
                              QVariantList{}, u"test: count"_s);
    QVERIFY(q.next());
    basic = q.value(0).toLongLong();
    q.finish();
    QCOMPARE(exported.at(0).at(0).toLongLong(), basic);
    QVERIFY(basic > 30);
    // Header + one record per application; the note's line break stays inside its quoted cell.
    QCOMPARE(text.count(u"\r\n"_s), basic + 1);
    QVERIFY(text.contains(u"\"'=HYPERLINK(\"\"x\"\""_s)); // a formula defused and quoted
    QVERIFY(text.contains(u"\"строка 1\nстрока 2\""_s));
    QVERIFY(text.contains(u"'+79161234567"_s)); // a phone stays text with its plus
    QVERIFY(text.section(u"\r\n"_s, 0, 0).contains(sep));
}

void TestApplicationsView::newApplicationAppearsLive()
{
    makeApplication(*m_db, 8501);
    ApplicationsView view(*m_session);
    QSignalSpy loaded(&view, &ApplicationsView::loaded);
    QSignalSpy announced(&view, &ApplicationsView::newApplicationAnnounced);
    view.refresh();
    QVERIFY(loaded.wait(10000));
    QCOMPARE(view.model()->rowCount(), 1);
    view.table()->selectRow(0);
    const qint64 selected = view.details()->current()->id;
    m_session->start(200, 60000); // PostgreSQL: LISTEN; SQLite: polling every 200 ms
    if (m_db->dialect() == Dialect::PostgreSql)
        QTest::qWait(300); // the listener subscribes on its own thread
    else
        QTest::qWait(400);                                  // the first poll sets the marks
    const Application fresh = makeApplication(*m_db, 8502); // the bot, in another process
    QTRY_VERIFY_WITH_TIMEOUT(announced.count() >= 1, 10000);
    QCOMPARE(announced.at(0).at(0).toLongLong(), fresh.number);
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 2, 10000);
    QCOMPARE(view.model()->applicationAt(0)->id, fresh.id); // newest first
    // The operator's selection stayed on their application.
    QCOMPARE(view.details()->current()->id, selected);
    QCOMPARE(view.model()->applicationAt(view.table()->currentIndex().row())->id, selected);
    // An edit by someone else refreshes the row in place.
    QVERIFY(
        ApplicationRepository(*m_db).changeStatus(fresh.id, fresh.version, ApplicationStatus::Done, u"x"_s));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->applicationAt(0)->status, ApplicationStatus::Done, 10000);
}

void TestApplicationsView::guiKeepsPaintingDuringASlowQuery()
{
    if (m_db->dialect() != Dialect::PostgreSql)
        QSKIP("pg_sleep is PostgreSQL's; the SQLite worker is the same code path");
    QSignalSpy busy(m_session.get(), &ConsoleSession::busyChanged);
    bool finished = false;
    m_session->call(
        this,
        [](DbConnection& db) {
            db.exec(u"SELECT pg_sleep(1.5)"_s, QVariantList{}, u"test: slow query"_s).finish();
            return true;
        },
        [&finished](bool) { finished = true; });
    // The GUI thread keeps running its event loop: a widget repaints many times while the query sleeps.
    QWidget widget;
    int paints = 0;
    struct Counter : QObject
    {
        int* count;
        bool eventFilter(QObject*, QEvent* e) override
        {
            if (e->type() == QEvent::Paint)
                ++*count;
            return false;
        }
    } counter;
    counter.count = &paints;
    widget.installEventFilter(&counter);
    widget.resize(200, 100);
    widget.show();
    QElapsedTimer clock;
    clock.start();
    while (!finished && clock.elapsed() < 10000) {
        widget.update();
        QTest::qWait(20);
    }
    QVERIFY(finished);
    QVERIFY2(clock.elapsed() >= 1000, "the query must really have been slow");
    QVERIFY2(paints >= 20, qPrintable(u"only %1 paints during the query"_s.arg(paints)));
    QVERIFY(busy.count() >= 1);
    QCOMPARE(busy.at(0).at(0).toBool(), true);
    QTRY_VERIFY(!m_session->isBusy());
}

void TestApplicationsView::databaseGoingAwayIsSurvived()
{
    if (m_db->dialect() != Dialect::PostgreSql)
        QSKIP("a server that drops its connections is PostgreSQL's case");
    seed();
    ApplicationsView view(*m_session);
    QSignalSpy loaded(&view, &ApplicationsView::loaded);
    view.refresh();
    QVERIFY(loaded.wait(10000));
    view.table()->selectRow(0);
    const Application shown = *view.details()->current();

    // A server restart or a network cut: every console connection dies.
    QVERIFY(m_database->terminateSessions());
    loaded.clear();
    view.refresh(); // reads reconnect by themselves
    QVERIFY(loaded.wait(10000));
    QTest::qWait(200); // the count comes after the page, on the other connection
    if (!view.model()->lastError().isEmpty()) {
        // A statement that was running when the sessions were killed may report it once; the next
        // refresh (F5) must work.
        loaded.clear();
        view.refresh();
        QVERIFY(loaded.wait(10000));
        QTest::qWait(200);
    }
    QVERIFY2(view.model()->lastError().isEmpty(), qPrintable(view.model()->lastError()));
    QCOMPARE(view.model()->rowCount(), 100);

    QVERIFY(m_database->terminateSessions());
    // An edit on a dead connection is refused with a message, never half-applied; the next try goes through.
    view.details()->changeStatus(ApplicationStatus::Rejected, false);
    QTRY_VERIFY(!view.details()->bannerText().isEmpty());
    if (ApplicationRepository(*m_db).findById(shown.id).value()->status != ApplicationStatus::Rejected) {
        QVERIFY(view.details()->bannerText().contains(u"Connection"_s, Qt::CaseInsensitive) ||
                view.details()->bannerText().contains(u"connect"_s, Qt::CaseInsensitive));
        view.details()->changeStatus(ApplicationStatus::Rejected, false);
    }
    QTRY_COMPARE(ApplicationRepository(*m_db).findById(shown.id).value()->status,
                 ApplicationStatus::Rejected);
    const auto events = ApplicationRepository(*m_db).events(shown.id).value();
    QCOMPARE(std::count_if(events.cbegin(), events.cend(),
                           [](const ApplicationEvent& e) { return e.newValue == "rejected"_L1; }),
             1);
}

QTEST_MAIN(TestApplicationsView)
#include "tst_applicationsview.moc"
