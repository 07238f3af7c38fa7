#include "EngineCli.h"

#include "BotApiClient.h"
#include "CatalogCache.h"
#include "Config.h"
#include "DbConnection.h"
#include "Engine.h"
#include "Logging.h"
#include "MetricsRepository.h"
#include "Migrator.h"
#include "PackageRepository.h"
#include "ShellSession.h"
#include "SignalWatcher.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace salesbot {

EngineCli::EngineCli(QProcessEnvironment environment, QTextStream& out, QTextStream& err)
    : m_env(std::move(environment))
    , m_out(out)
    , m_err(err)
{}

QString EngineCli::helpText() const
{
    return tr(
        "Usage: salesbot-engine [command] [options]\n"
        "\n"
        "The Telegram sales bot of AI-Solutions and its admin commands.\n"
        "\n"
        "Commands:\n"
        "  run        run the bot (the default)\n"
        "  migrate    bring the database schema up to date and exit\n"
        "  check      check the database and the schema version\n"
        "  stats      applications and package interest for the last days (--days N, default 7)\n"
        "\n"
        "Options:\n"
        "  -h, --help     show this help\n"
        "  -v, --version  show the version\n"
        "\n"
        "Environment:\n"
        "  BOT_TOKEN         the bot's token from @BotFather\n"
        "  DATABASE_URL      postgres://user:password@host:port/db?sslmode=require or sqlite:///path;\n"
        "                    unset: a SQLite file in the user's data directory\n"
        "  TELEGRAM_API_URL  the Bot API server (default https://api.telegram.org)\n"
        "  MANAGER_CHAT_ID   the chat that receives new applications\n"
        "  LOG_LEVEL         debug, info, warning or error (default info)\n"
        "\n"
        "Exit codes: 0 ok, 2 usage, 3 configuration, 4 database unreachable, 5 Telegram unreachable.\n");
}

int EngineCli::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"salesbot-engine"_s);
    const QCommandLineOption help(QStringList{u"h"_s, u"help"_s});
    const QCommandLineOption version(QStringList{u"v"_s, u"version"_s});
    const QCommandLineOption days(u"days"_s, QString(), u"N"_s, u"7"_s);
    parser.addOption(help);
    parser.addOption(version);
    parser.addOption(days);
    parser.addPositionalArgument(u"command"_s, QString());
    if (!parser.parse(arguments)) {
        m_err << tr("salesbot-engine: %1 (see salesbot-engine --help)").arg(parser.errorText()) << Qt::endl;
        return Usage;
    }
    if (parser.isSet(help)) {
        m_out << helpText() << Qt::flush;
        return Ok;
    }
    if (parser.isSet(version)) {
        m_out << u"salesbot-engine %1 (schema %2, Qt %3)"_s.arg(QStringLiteral(SALESBOT_VERSION))
                     .arg(Migrator::expectedVersion())
                     .arg(QString::fromLatin1(qVersion()))
              << Qt::endl;
        return Ok;
    }
    const QStringList positional = parser.positionalArguments();
    const QString command = positional.isEmpty() ? u"run"_s : positional.constFirst();
    static const QStringList commands{u"run"_s, u"migrate"_s, u"check"_s, u"stats"_s, u"shell"_s};
    if (!commands.contains(command) || positional.size() > 1) {
        m_err << tr("salesbot-engine: unknown command \"%1\" (see salesbot-engine --help)")
                     .arg(positional.join(u' ').left(64))
              << Qt::endl;
        return Usage;
    }
    bool daysOk = false;
    const int dayCount = parser.value(days).toInt(&daysOk);
    if (!daysOk || dayCount < 1 || dayCount > 3660) {
        m_err << tr("salesbot-engine: --days needs a number of days from 1 to 3660") << Qt::endl;
        return Usage;
    }

    auto config = Config::fromEnvironment(m_env);
    if (!config) {
        m_err << tr("salesbot-engine: configuration error: %1").arg(config.error()) << Qt::endl;
        return Configuration;
    }
    if (command == "migrate"_L1)
        return migrate(*config);
    if (command == "check"_L1)
        return check(*config);
    if (command == "stats"_L1)
        return stats(*config, dayCount);
    if (command == "shell"_L1)
        return shell(*config);
    return runBot(*config);
}

int EngineCli::openDatabase(const Config& config, DbConnection& db, bool migrateSchema)
{
    if (auto opened = db.open(); !opened) {
        m_err << tr("salesbot-engine: cannot open the database: %1").arg(opened.error().message())
              << Qt::endl;
        return DatabaseUnreachable;
    }
    if (!migrateSchema)
        return Ok;
    Migrator migrator(db);
    auto report = migrator.migrate();
    if (!report) {
        m_err << tr("salesbot-engine: %1").arg(report.error().message()) << Qt::endl;
        return report.error().kind() == DbError::Kind::Connection ? DatabaseUnreachable : Failure;
    }
    if (!report->applied.isEmpty()) {
        m_out << tr("Database %1: schema brought from version %2 to %3.")
                     .arg(config.database().redacted())
                     .arg(report->fromVersion)
                     .arg(report->toVersion)
              << Qt::endl;
    } else {
        m_out << tr("Database %1: schema is up to date (version %2).")
                     .arg(config.database().redacted())
                     .arg(report->toVersion)
              << Qt::endl;
    }
    return Ok;
}

int EngineCli::migrate(const Config& config)
{
    DbConnection db(config.database(), u"cli"_s);
    return openDatabase(config, db, true);
}

int EngineCli::check(const Config& config)
{
    DbConnection db(config.database(), u"cli"_s);
    if (const int rc = openDatabase(config, db, false); rc != Ok)
        return rc;
    m_out << tr("Database: reachable (%1).").arg(config.database().redacted()) << Qt::endl;
    Migrator migrator(db);
    auto current = migrator.currentVersion();
    if (!current) {
        m_err << tr("salesbot-engine: %1").arg(current.error().message()) << Qt::endl;
        return DatabaseUnreachable;
    }
    const int expected = Migrator::expectedVersion();
    if (*current == expected) {
        m_out << tr("Schema: version %1, as this build expects.").arg(*current) << Qt::endl;
    } else if (*current < expected) {
        m_out << tr("Schema: version %1, older than this build's %2; run salesbot-engine migrate.")
                     .arg(*current)
                     .arg(expected)
              << Qt::endl;
        return Failure;
    } else {
        m_out << tr("Schema: version %1, newer than this build's %2; upgrade salesbot.")
                     .arg(*current)
                     .arg(expected)
              << Qt::endl;
        return Failure;
    }
    if (config.botToken().isEmpty()) {
        m_out << tr("Telegram: BOT_TOKEN is not set.") << Qt::endl;
        return Ok;
    }
    BotApiClient api(config.telegramApiUrl(), config.botToken());
    QEventLoop loop;
    BotApiResult answer;
    api.call(u"getMe"_s, {}, &loop, [&](const BotApiResult& result) {
        answer = result;
        loop.quit();
    });
    loop.exec();
    if (!answer.isSuccess()) {
        m_out << tr("Telegram: %1").arg(answer.summary()) << Qt::endl;
        return TelegramUnreachable;
    }
    m_out << tr("Telegram: reachable, the bot is @%1.")
                 .arg(answer.result.toObject().value(u"username"_s).toString())
          << Qt::endl;
    return Ok;
}

int EngineCli::stats(const Config& config, int days)
{
    DbConnection db(config.database(), u"cli"_s);
    if (const int rc = openDatabase(config, db, false); rc != Ok)
        return rc;
    MetricsRepository metrics(db);
    const QDateTime to = QDateTime::currentDateTimeUtc();
    const ReportPeriod period{QDateTime(to.date().addDays(1 - days), QTime(0, 0), Qt::UTC), to};
    auto interest = metrics.packageInterest(period);
    auto volume = metrics.dailyVolume(period);
    if (!interest || !volume) {
        m_err << tr("salesbot-engine: %1").arg((!interest ? interest.error() : volume.error()).message())
              << Qt::endl;
        return DatabaseUnreachable;
    }
    m_out << tr("Package interest, last %n day(s) (UTC):", nullptr, days) << Qt::endl;
    m_out << u"  %1 %2 %3 %4"_s.arg(tr("package"), -24)
                 .arg(tr("views"), 8)
                 .arg(tr("applications"), 13)
                 .arg(tr("conversion"), 11)
          << Qt::endl;
    for (const PackageInterest& p : std::as_const(*interest)) {
        m_out << u"  %1 %2 %3 %4%"_s.arg(p.title, -24)
                     .arg(p.views, 8)
                     .arg(p.applications, 13)
                     .arg(p.conversion() * 100.0, 10, 'f', 1)
              << Qt::endl;
    }
    m_out << tr("By day:") << Qt::endl;
    m_out << u"  %1 %2 %3"_s.arg(tr("day"), -12).arg(tr("applications"), 13).arg(tr("new users"), 10)
          << Qt::endl;
    for (const DailyVolume& d : std::as_const(*volume)) {
        m_out << u"  %1 %2 %3"_s.arg(d.day.toString(Qt::ISODate), -12)
                     .arg(d.applications, 13)
                     .arg(d.newUsers, 10)
              << Qt::endl;
    }
    return Ok;
}

int EngineCli::runBot(const Config& config)
{
    {
        DbConnection db(config.database(), u"main"_s);
        if (const int rc = openDatabase(config, db, true); rc != Ok)
            return rc;
    }
    if (config.botToken().isEmpty()) {
        m_err
            << tr("salesbot-engine: BOT_TOKEN is not set: create a bot with @BotFather in Telegram (/newbot) "
                  "and run again with BOT_TOKEN=<token>; or try the bot in this terminal: salesbot-engine "
                  "shell")
            << Qt::endl;
        return Configuration;
    }
    m_out.flush();
    Logging::install(config.logLevel(), config.logFormat(), config.botToken());
    Engine engine(config, EngineOptions::fromEnvironment(m_env));
    SignalWatcher signalWatcher;
    QEventLoop loop;
    int exitCode = Ok;
    QObject::connect(&signalWatcher, &SignalWatcher::terminate, &engine, [&engine](int) { engine.stop(); });
    QObject::connect(&engine, &Engine::stopped, &loop, &QEventLoop::quit);
    QObject::connect(&engine, &Engine::failed, &loop, [&](int code, const QString&) {
        exitCode = code;
        loop.quit();
    });
    engine.start();
    loop.exec();
    return exitCode;
}

int EngineCli::shell(const Config& config)
{
    DbConnection db(config.database(), u"shell"_s);
    if (const int rc = openDatabase(config, db, true); rc != Ok)
        return rc;
    auto packages = PackageRepository(db).list();
    if (!packages) {
        m_err << tr("salesbot-engine: %1").arg(packages.error().message()) << Qt::endl;
        return DatabaseUnreachable;
    }
    CatalogCache catalog;
    catalog.replace(*packages);
    BotTexts texts;
    const EngineOptions options = EngineOptions::fromEnvironment(m_env);
    Dialog dialog(texts, DialogSettings{config.managerChatId(), options.company});
    TelegramProfile user;
    user.telegramId = m_env.value(u"SHELL_USER_ID"_s, u"1"_s).toLongLong();
    user.firstName = m_env.value(u"USER"_s, tr("guest"));
    user.languageCode = m_env.value(u"SHELL_LANGUAGE"_s, u"ru"_s);
    ShellSession session(db, dialog, catalog, user, m_out);
    QTextStream in(stdin);
    return session.run(in);
}

} // namespace salesbot
