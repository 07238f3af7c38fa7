// salesbot-console: the operator console for sales managers.

#include "ActivityView.h"
#include "ApplicationDetails.h"
#include "ApplicationsModel.h"
#include "ApplicationsView.h"
#include "CatalogView.h"
#include "ConnectionDialog.h"
#include "ConnectionProfiles.h"
#include "ConnectionSettings.h"
#include "ConsoleSession.h"
#include "DashboardView.h"
#include "DatabaseUrl.h"
#include "FallbackCredentialStore.h"
#include "KeychainCredentialStore.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTableView>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>

using namespace Qt::StringLiterals;
using namespace salesbot;

namespace {

const char* const Usage =
    "Usage: salesbot-console [options]\n"
    "\n"
    "The operator console of the salesbot Telegram sales bot.\n"
    "\n"
    "Options:\n"
    "  --database-url URL   connect to this database (postgres://user@host/db or sqlite:///path)\n"
    "                       instead of choosing a profile in the connection dialog; the password\n"
    "                       comes from PGPASSWORD, never from the command line\n"
    "  --screenshot FILE    render a view with real data to a PNG and exit (needs --database-url)\n"
    "  --view NAME          the view for --screenshot: applications, dashboard, activity or catalog\n"
    "  --size WxH           the window size for --screenshot (default 1400x860)\n"
    "  -h, --help           show this help\n"
    "  -v, --version        show the version\n";

bool hasFlag(int argc, char** argv, const char* shortName, const char* longName)
{
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], shortName) == 0 || qstrcmp(argv[i], longName) == 0)
            return true;
    }
    return false;
}

int fail(const QString& message, int code)
{
    QTextStream(stderr) << u"salesbot-console: %1\n"_s.arg(message);
    return code;
}

// Waits (running the event loop) until `done` or the deadline; false on timeout.
bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    return true;
}

int screenshot(MainWindow& window, ConsoleSession& session, MainWindow::View view, const QString& file,
               const QSize& size)
{
    bool loaded = false;
    bool status = false;
    QObject::connect(&session, &ConsoleSession::statusChanged, &window, [&status] { status = true; });
    auto markLoaded = [&loaded] {
        loaded = true;
    };
    switch (view) {
    case MainWindow::View::Applications:
        QObject::connect(window.applications(), &ApplicationsView::loaded, &window, markLoaded);
        window.applications()->refresh();
        break;
    case MainWindow::View::Dashboard:
        QObject::connect(window.dashboard(), &DashboardView::loaded, &window, markLoaded);
        QObject::connect(window.dashboard(), &DashboardView::failed, &window, markLoaded); // shows the reason
        window.dashboard()->refresh();
        break;
    case MainWindow::View::Activity:
        QObject::connect(window.activity(), &ActivityView::loaded, &window, markLoaded);
        window.activity()->refresh();
        break;
    case MainWindow::View::Catalog:
        QObject::connect(window.catalog(), &CatalogView::loaded, &window, markLoaded);
        window.catalog()->refresh();
        break;
    }
    session.refreshStatus();
    window.showView(view);
    window.resize(size);
    window.show();
    if (!waitFor([&] { return loaded && status; }, 30000))
        return fail(u"the %1 view did not load within 30 s (is the database reachable?)"_s.arg(int(view)), 4);
    if (view == MainWindow::View::Applications && window.applications()->model()->rowCount() > 0) {
        // Show a filled details pane, as an operator would see it.
        bool details = false;
        QObject::connect(window.applications()->details(), &ApplicationDetails::detailsLoaded, &window,
                         [&details] { details = true; });
        window.applications()->table()->selectRow(0);
        waitFor([&] { return details; }, 10000);
    }
    waitFor([] { return false; }, 300); // let layouts and charts settle
    if (!window.grab().save(file))
        return fail(u"cannot write %1"_s.arg(file), 1);
    QTextStream(stdout) << u"salesbot-console: wrote %1\n"_s.arg(file);
    return 0;
}

// The main window on `settings` until it closes; with `reconnect`, File → Connect to another database closes
// it and sets *reconnect.
int runConsole(const ConnectionSettings& settings, bool* reconnect)
{
    ConsoleSession session(settings);
    MainWindow window(session);
    if (reconnect) {
        QObject::connect(&window, &MainWindow::reconnectRequested, &window, [&window, reconnect] {
            // Only when the window did close: the operator may keep it open for an unsaved note.
            *reconnect = window.close();
        });
    }
    session.start();
    window.refreshAll();
    window.show();
    return QApplication::exec();
}

} // namespace

int main(int argc, char** argv)
{
    // Help and version must work without a display.
    if (hasFlag(argc, argv, "-h", "--help")) {
        QTextStream(stdout) << QString::fromLatin1(Usage);
        return 0;
    }
    if (hasFlag(argc, argv, "-v", "--version")) {
        QTextStream(stdout) << u"salesbot-console %1 (Qt %2)\n"_s.arg(QStringLiteral(SALESBOT_VERSION),
                                                                      QString::fromLatin1(qVersion()));
        return 0;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(u"salesbot-console"_s);
    QApplication::setOrganizationName(u"salesbot"_s);
    QApplication::setApplicationVersion(QStringLiteral(SALESBOT_VERSION));

    // Russian first: English only when the system locale is English.
    QTranslator qt;
    QTranslator core;
    QTranslator console;
    if (QLocale::system().language() != QLocale::English) {
        const QLocale russian(QLocale::Russian, QLocale::Russia);
        QLocale::setDefault(russian);
        // Qt's own words (OK, Cancel, Save…) from the system's qt6-translations, when installed.
        if (qt.load(russian, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QApplication::installTranslator(&qt);
        if (core.load(russian, u"salesbot_core"_s, u"_"_s, u":/i18n"_s))
            QApplication::installTranslator(&core);
        if (console.load(russian, u"salesbot_console"_s, u"_"_s, u":/i18n"_s))
            QApplication::installTranslator(&console);
    }

    QCommandLineParser parser;
    const QCommandLineOption databaseUrl(u"database-url"_s, QString(), u"URL"_s);
    const QCommandLineOption screenshotFile(u"screenshot"_s, QString(), u"FILE"_s);
    const QCommandLineOption viewName(u"view"_s, QString(), u"NAME"_s, u"applications"_s);
    const QCommandLineOption windowSize(u"size"_s, QString(), u"WxH"_s, u"1400x860"_s);
    parser.addOptions({databaseUrl, screenshotFile, viewName, windowSize});
    if (!parser.parse(QApplication::arguments()))
        return fail(parser.errorText(), 2);

    std::optional<ConnectionSettings> settings;
    if (parser.isSet(databaseUrl)) {
        auto parsed = DatabaseUrl::parse(parser.value(databaseUrl));
        if (!parsed)
            return fail(parsed.error(), 3);
        settings = parsed.value();
        // Ops pass the password in the environment, never on the command line: every user of the machine can
        // read a process's arguments.
        if (!settings->password.isEmpty())
            return fail(
                u"the URL given to --database-url contains a password; anyone on this machine can read "
                "the command line. Put the password in PGPASSWORD instead."_s,
                2);
        settings->password = qEnvironmentVariable("PGPASSWORD");
    }

    if (parser.isSet(screenshotFile)) {
        const auto view = MainWindow::viewFromName(parser.value(viewName));
        if (!view)
            return fail(u"--view must be applications, dashboard, activity or catalog"_s, 2);
        if (!settings)
            return fail(u"--screenshot needs --database-url"_s, 2);
        const QStringList wh = parser.value(windowSize).split(u'x');
        const QSize size(wh.value(0).toInt(), wh.value(1).toInt());
        if (size.width() < 200 || size.height() < 200)
            return fail(u"--size must look like 1400x860"_s, 2);
        ConsoleSession session(*settings);
        MainWindow window(session);
        return screenshot(window, session, *view, parser.value(screenshotFile), size);
    }

    if (settings)
        return runConsole(*settings, nullptr);

    // The operator's way in: saved profiles or a pasted DATABASE_URL, the password in the OS keychain (for
    // this session only, and said so, where there is none).
    ConnectionProfiles profiles;
    FallbackCredentialStore store(std::make_unique<KeychainCredentialStore>());
    QString profile;
    for (;;) {
        ConnectionDialog dialog(profiles, store);
        if (!profile.isEmpty())
            dialog.selectProfile(profile);
        if (dialog.exec() != QDialog::Accepted)
            return 0;
        profile = dialog.profileName();
        bool reconnect = false;
        const int code = runConsole(dialog.settings(), &reconnect);
        if (!reconnect)
            return code;
    }
}
