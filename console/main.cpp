// salesbot-console: the operator console for sales managers.

#include "ConnectionSettings.h"
#include "DatabaseUrl.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QTextStream>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace {

const char* const Usage =
    "Usage: salesbot-console [options]\n"
    "\n"
    "The operator console of the salesbot Telegram sales bot.\n"
    "\n"
    "Options:\n"
    "  --database-url URL  connect to this database (postgres://user@host/db or sqlite:///path);\n"
    "                      the password comes from PGPASSWORD, never from the command line\n"
    "  -h, --help          show this help\n"
    "  -v, --version       show the version\n";

bool hasFlag(int argc, char** argv, const char* shortName, const char* longName)
{
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], shortName) == 0 || qstrcmp(argv[i], longName) == 0)
            return true;
    }
    return false;
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
    QTranslator core;
    QTranslator console;
    if (QLocale::system().language() != QLocale::English) {
        const QLocale russian(QLocale::Russian, QLocale::Russia);
        if (core.load(russian, u"salesbot_core"_s, u"_"_s, u":/i18n"_s))
            QApplication::installTranslator(&core);
        if (console.load(russian, u"salesbot_console"_s, u"_"_s, u":/i18n"_s))
            QApplication::installTranslator(&console);
    }

    QCommandLineParser parser;
    const QCommandLineOption databaseUrl(u"database-url"_s, QString(), u"URL"_s);
    parser.addOption(databaseUrl);
    if (!parser.parse(QApplication::arguments())) {
        QTextStream(stderr) << u"salesbot-console: %1\n"_s.arg(parser.errorText());
        return 2;
    }
    QString description;
    if (parser.isSet(databaseUrl)) {
        auto settings = salesbot::DatabaseUrl::parse(parser.value(databaseUrl));
        if (!settings) {
            QTextStream(stderr) << u"salesbot-console: %1\n"_s.arg(settings.error());
            return 3;
        }
        description = settings->redacted();
    }
    salesbot::MainWindow window(description);
    window.show();
    return QApplication::exec();
}
