// The whole console window on a real database: the four views, the status bar (connection, schema, engine
// heartbeat), the busy indicator, layout remembered across runs, and `--screenshot` rendering each view
// to a PNG as a separate process, as ops and the README use it.

#include "ApplicationsModel.h"
#include "ApplicationsView.h"
#include "ConsoleSession.h"
#include "EngineInstanceRepository.h"
#include "Fixtures.h"
#include "MainWindow.h"
#include "Migrator.h"
#include "TestDatabase.h"

#include <QAction>
#include <QImage>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void statusBarShowsSchemaAndEngine();
    void layoutIsRememberedAcrossRuns();
    void passwordOnTheCommandLineIsRefused();
    void withoutAUrlTheConnectionDialogOpens();
    void fileMenuOffersAnotherDatabase();
    void screenshotRendersEveryView_data();
    void screenshotRendersEveryView();

private:
    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
    QTemporaryDir m_settingsDir;
};

void TestMainWindow::initTestCase()
{
    // Settings of this run only: never the developer's own.
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(u"salesbot-test"_s);
    QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
}

void TestMainWindow::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
}

void TestMainWindow::cleanup()
{
    m_db.reset();
    m_database.reset();
}

void TestMainWindow::statusBarShowsSchemaAndEngine()
{
    ConsoleSession session(m_database->settings());
    MainWindow window(session);
    QSignalSpy status(&session, &ConsoleSession::statusChanged);
    session.refreshStatus();
    QVERIFY(status.wait(10000));
    const QString version = QString::number(Migrator::expectedVersion());
    QVERIFY2(window.statusText().contains(version), qPrintable(window.statusText()));
    QVERIFY2(window.statusText().contains(u"offline"_s) || window.statusText().contains(u"не работает"_s),
             qPrintable(window.statusText()));
    // An engine heartbeat turns it online.
    EngineInstance engine{u"e1"_s, u"vps"_s, 42, u"polling"_s, u"1"_s, {}, {}, 0};
    QVERIFY(EngineInstanceRepository(*m_db).heartbeat(engine));
    status.clear();
    session.refreshStatus();
    QVERIFY(status.wait(10000));
    QVERIFY2(window.statusText().contains(u"online"_s) || window.statusText().contains(u"работает"_s),
             qPrintable(window.statusText()));
    QVERIFY(!window.statusText().contains(
        m_database->settings().password.isEmpty() ? u"\x01"_s : m_database->settings().password));
}

void TestMainWindow::layoutIsRememberedAcrossRuns()
{
    makeApplication(*m_db, 9101);
    {
        ConsoleSession session(m_database->settings());
        MainWindow window(session);
        window.show();
        window.resize(1000, 700);
        window.showView(MainWindow::View::Catalog);
        window.applications()->table()->setColumnWidth(ApplicationsModel::Name, 333);
        QVERIFY(window.close()); // no unsaved note: closes and saves
    }
    ConsoleSession session(m_database->settings());
    MainWindow window(session);
    QCOMPARE(window.currentView(), MainWindow::View::Catalog);
    QCOMPARE(window.applications()->table()->columnWidth(ApplicationsModel::Name), 333);
    QCOMPARE(window.size(), QSize(1000, 700));
}

void TestMainWindow::passwordOnTheCommandLineIsRefused()
{
    const QString console = qEnvironmentVariable("SALESBOT_CONSOLE_BIN");
    if (console.isEmpty())
        QSKIP("SALESBOT_CONSOLE_BIN is not set (ctest sets it)");
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    process.setProcessEnvironment(env);
    process.start(console, {u"--database-url"_s, u"postgres://manager:s3cr3t-pw@127.0.0.1:1/salesbot"_s,
                            u"--screenshot"_s, u"/nonexistent/x.png"_s});
    QVERIFY(process.waitForFinished(30000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitCode(), 2);
    QVERIFY2(err.contains(u"PGPASSWORD"_s), qPrintable(err));
    QVERIFY(!err.contains(u"s3cr3t-pw"_s));
}

void TestMainWindow::withoutAUrlTheConnectionDialogOpens()
{
    // Started from the desktop menu, with nothing on the command line: the console waits in its connection
    // dialog (it used to exit with a usage error).
    const QString console = qEnvironmentVariable("SALESBOT_CONSOLE_BIN");
    if (console.isEmpty())
        QSKIP("SALESBOT_CONSOLE_BIN is not set (ctest sets it)");
    QTemporaryDir home;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.insert(u"HOME"_s, home.path());
    env.insert(u"XDG_CONFIG_HOME"_s, home.path());
    env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s); // no keychain here: the dialog says so and carries on
    process.setProcessEnvironment(env);
    process.start(console, {});
    QVERIFY(process.waitForStarted(10000));
    QVERIFY2(!process.waitForFinished(3000), qPrintable(QString::fromUtf8(process.readAllStandardError())));
    QCOMPARE(process.state(), QProcess::Running);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(!err.contains(u"--database-url"_s), qPrintable(err));
    process.kill();
    QVERIFY(process.waitForFinished(10000));
}

void TestMainWindow::fileMenuOffersAnotherDatabase()
{
    ConsoleSession session(m_database->settings());
    MainWindow window(session);
    QSignalSpy reconnect(&window, &MainWindow::reconnectRequested);
    QAction* action = nullptr;
    for (QAction* a : window.findChildren<QAction*>()) {
        if (a->text() == u"Connect to another database…"_s || a->text() == u"Подключиться к другой базе…"_s)
            action = a;
    }
    QVERIFY(action);
    action->trigger();
    QCOMPARE(reconnect.size(), 1);
}

void TestMainWindow::screenshotRendersEveryView_data()
{
    QTest::addColumn<QString>("view");
    for (const char* view : {"applications", "dashboard", "activity", "catalog"})
        QTest::newRow(view) << QString::fromLatin1(view);
}

void TestMainWindow::screenshotRendersEveryView()
{
    QFETCH(QString, view);
    const QString console = qEnvironmentVariable("SALESBOT_CONSOLE_BIN");
    if (console.isEmpty())
        QSKIP("SALESBOT_CONSOLE_BIN is not set (ctest sets it)");
    makeApplication(*m_db, 9201, u"premium"_s);
    QTemporaryDir dir;
    const QString file = dir.filePath(view + u".png"_s);
    const ConnectionSettings& s = m_database->settings();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    // The password travels in PGPASSWORD, as documented, never in the URL on the command line.
    env.insert(u"PGPASSWORD"_s, s.password);
    const QString url =
        s.dialect == Dialect::PostgreSql
            ? u"postgres://%1@%2:%3/%4?sslmode=disable"_s.arg(s.user, s.host).arg(s.port).arg(s.databaseName)
            : u"sqlite://"_s + s.sqlitePath;
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(console, {u"--database-url"_s, url, u"--screenshot"_s, file, u"--view"_s, view, u"--size"_s,
                            u"1200x800"_s});
    QVERIFY(process.waitForFinished(60000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(process.exitCode() == 0, qPrintable(err));
    if (!s.password.isEmpty())
        QVERIFY(!err.contains(s.password));
    QImage image(file);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(1200, 800));
    // Not a blank window: many distinct colours (text, charts, table lines).
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
