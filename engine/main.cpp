// salesbot-engine: the headless bot and its admin command line.

#include "EngineCli.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

using namespace Qt::StringLiterals;

int main(int argc, char** argv)
{
    // Qt's own event dispatcher is lighter than GLib's, and the engine is all event loop.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    // Without TZ glibc stats /etc/localtime on every local-time conversion (each timestamp the PostgreSQL
    // driver reads is one): the same zone named explicitly is read once. (An empty TZ means UTC: kept.)
    if (!qEnvironmentVariableIsSet("TZ"))
        qputenv("TZ", ":/etc/localtime");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"salesbot-engine"_s);
    QCoreApplication::setOrganizationName(u"salesbot"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SALESBOT_VERSION));

    // Operators get their messages in Russian when their locale is Russian, in English otherwise.
    QTranslator core;
    QTranslator engine;
    if (QLocale::system().language() == QLocale::Russian) {
        if (core.load(QLocale::system(), u"salesbot_core"_s, u"_"_s, u":/i18n"_s))
            QCoreApplication::installTranslator(&core);
        if (engine.load(QLocale::system(), u"salesbot_engine"_s, u"_"_s, u":/i18n"_s))
            QCoreApplication::installTranslator(&engine);
    }

    QTextStream out(stdout);
    QTextStream err(stderr);
    salesbot::EngineCli cli(QProcessEnvironment::systemEnvironment(), out, err);
    return cli.run(QCoreApplication::arguments());
}
