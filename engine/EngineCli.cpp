#include "EngineCli.h"

#include "ActivityRepository.h"
#include "ApplicationRepository.h"
#include "BotApiClient.h"
#include "CatalogCache.h"
#include "Config.h"
#include "CsvWriter.h"
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
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <iterator>
#include <utility>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

// The last `days` whole UTC days, today's included to its end (an event of this very millisecond counts).
ReportPeriod lastUtcDays(int days)
{
    const QDate today = QDateTime::currentDateTimeUtc().date();
    return {QDateTime(today.addDays(1 - days), QTime(0, 0), Qt::UTC),
            QDateTime(today.addDays(1), QTime(0, 0), Qt::UTC)};
}

} // namespace

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
        "  applications  list applications, newest first: --status new,in_progress,done,rejected\n"
        "             --package CODE, --days N, --search TEXT (number, name, phone, username),\n"
        "             --limit N (default 100 in a table, all in CSV and JSON), --format table|csv|json\n"
        "  activity   active users per day and the funnel of the new users (--days N, default 7)\n"
        "  shell      talk to the bot in this terminal, no Telegram needed\n"
        "             (SHELL_USER_ID, SHELL_LANGUAGE=en)\n"
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
        "Exit codes: 0 ok, 1 failure, 2 usage, 3 configuration, 4 database unreachable,\n"
        "5 Telegram unreachable.\n");
}

int EngineCli::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"salesbot-engine"_s);
    const QCommandLineOption help(QStringList{u"h"_s, u"help"_s});
    const QCommandLineOption version(QStringList{u"v"_s, u"version"_s});
    const QCommandLineOption days(u"days"_s, QString(), u"N"_s, u"7"_s);
    const QCommandLineOption status(u"status"_s, QString(), u"S"_s);
    const QCommandLineOption package(u"package"_s, QString(), u"CODE"_s);
    const QCommandLineOption search(u"search"_s, QString(), u"TEXT"_s);
    const QCommandLineOption limit(u"limit"_s, QString(), u"N"_s);
    const QCommandLineOption format(u"format"_s, QString(), u"F"_s, u"table"_s);
    parser.addOptions({help, version, days, status, package, search, limit, format});
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
    static const QStringList commands{u"run"_s,   u"migrate"_s,      u"check"_s,   u"stats"_s,
                                      u"shell"_s, u"applications"_s, u"activity"_s};
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

    ListOptions list;
    if (command == "applications"_L1) {
        if (const QString error = parseListOptions(parser, list); !error.isEmpty()) {
            m_err << u"salesbot-engine: "_s << error << Qt::endl;
            return Usage;
        }
        if (parser.isSet(days))
            list.filter.createdFrom = lastUtcDays(dayCount).from;
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
    if (command == "applications"_L1)
        return applications(*config, list);
    if (command == "activity"_L1)
        return activity(*config, dayCount);
    return runBot(*config);
}

QString EngineCli::parseListOptions(const QCommandLineParser& parser, ListOptions& options) const
{
    const QStringList statuses = parser.value(u"status"_s).split(u',', Qt::SkipEmptyParts);
    for (const QString& code : statuses) {
        const auto status = ApplicationStatuses::fromCode(code.trimmed());
        if (!status)
            return tr("--status takes new, in_progress, done or rejected, separated by commas");
        options.filter.statuses.append(*status);
    }
    if (parser.isSet(u"package"_s))
        options.filter.packageCodes = parser.value(u"package"_s).split(u',');
    options.filter.text = parser.value(u"search"_s).trimmed();
    options.format = parser.value(u"format"_s);
    if (options.format != "table"_L1 && options.format != "csv"_L1 && options.format != "json"_L1)
        return tr("--format takes table, csv or json");
    options.limit = options.format == "table"_L1 ? 100 : 0;
    if (parser.isSet(u"limit"_s)) {
        bool ok = false;
        options.limit = parser.value(u"limit"_s).toLongLong(&ok);
        if (!ok || options.limit < 1)
            return tr("--limit needs a positive number");
    }
    return {};
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
    const ReportPeriod period = lastUtcDays(days);
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

namespace {

// A cell for the terminal: control and format characters (escape sequences, bidi overrides from a chat)
// become
// '?', and a long value is cut with an ellipsis.
QString terminalCell(const QString& text, int width)
{
    QString cell = text.left(width + 1);
    for (QChar& c : cell) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            c = u'?';
    }
    if (cell.size() > width)
        cell = cell.left(width - 1) + u'…';
    return cell;
}

QString utcText(const QDateTime& at)
{
    return at.toUTC().toString(u"yyyy-MM-dd HH:mm"_s);
}

QJsonObject toJson(const Application& a)
{
    const auto orNull = [](const QString& value) {
        return value.isEmpty() ? QJsonValue() : QJsonValue(value);
    };
    return QJsonObject{
        {u"number"_s, a.number},
        {u"status"_s, ApplicationStatuses::code(a.status)},
        {u"package"_s, orNull(a.packageCode)},
        {u"name"_s, a.name},
        {u"phone"_s, a.phone},
        {u"telegram_id"_s, a.telegramId},
        {u"username"_s, orNull(a.username)},
        {u"assignee"_s, orNull(a.assignee)},
        {u"note"_s, orNull(a.managerNote)},
        {u"created_at"_s, a.createdAt.toUTC().toString(Qt::ISODate)},
        {u"updated_at"_s, a.updatedAt.toUTC().toString(Qt::ISODate)},
        {u"version"_s, a.version},
    };
}

} // namespace

int EngineCli::applications(const Config& config, const ListOptions& options)
{
    DbConnection db(config.database(), u"cli"_s);
    if (const int rc = openDatabase(config, db, false); rc != Ok)
        return rc;
    const bool table = options.format == "table"_L1;
    const bool json = options.format == "json"_L1;
    CsvWriter csv;
    if (table) {
        m_out << u"%1 %2 %3 %4 %5 %6 %7"_s.arg(tr("number"), 8)
                     .arg(tr("created (UTC)"), -16)
                     .arg(tr("status"), -11)
                     .arg(tr("package"), -10)
                     .arg(tr("name"), -24)
                     .arg(tr("phone"), -16)
                     .arg(tr("telegram"))
              << Qt::endl;
    } else if (json) {
        m_out << u"["_s;
    } else {
        csv.addRow({u"number"_s, u"created_at"_s, u"status"_s, u"package"_s, u"name"_s, u"phone"_s,
                    u"telegram_id"_s, u"username"_s, u"assignee"_s, u"note"_s, u"updated_at"_s});
    }
    qint64 shown = 0;
    // Pages no larger than the limit, and no page after it.
    const int pageSize = options.limit > 0 ? int(std::min<qint64>(options.limit, 1000)) : 1000;
    auto visited = ApplicationRepository(db).forEach(
        options.filter, ApplicationSort{},
        [&](const Application& a) {
            ++shown;
            if (table) {
                const QString telegram =
                    a.username.isEmpty() ? QString::number(a.telegramId) : u"@"_s + a.username;
                m_out << u"%1 %2 %3 %4 %5 %6 %7"_s.arg(a.number, 8)
                             .arg(utcText(a.createdAt), -16)
                             .arg(ApplicationStatuses::code(a.status), -11)
                             .arg(terminalCell(a.packageCode, 10), -10)
                             .arg(terminalCell(a.name, 24), -24)
                             .arg(terminalCell(a.phone, 16), -16)
                             .arg(terminalCell(telegram, 33))
                      << u'\n';
            } else if (json) {
                m_out << (shown == 1 ? u"\n"_s : u",\n"_s)
                      << QString::fromUtf8(QJsonDocument(toJson(a)).toJson(QJsonDocument::Compact));
            } else {
                csv.addRow({QString::number(a.number), a.createdAt.toUTC().toString(Qt::ISODate),
                            ApplicationStatuses::code(a.status), a.packageCode, a.name, a.phone,
                            QString::number(a.telegramId), a.username, a.assignee, a.managerNote,
                            a.updatedAt.toUTC().toString(Qt::ISODate)});
                m_out << csv.takeRows();
            }
            return options.limit == 0 || shown < options.limit;
        },
        pageSize);
    if (json)
        m_out << (shown > 0 ? u"\n]"_s : u"]"_s) << Qt::endl;
    m_out.flush();
    if (!visited) {
        m_err << tr("salesbot-engine: %1").arg(visited.error().message()) << Qt::endl;
        return DatabaseUnreachable;
    }
    if (table) {
        auto total = ApplicationRepository(db).count(options.filter);
        if (total && *total > shown)
            m_out << tr("%1 of %2 shown; --limit N shows more.").arg(shown).arg(*total) << Qt::endl;
        else
            m_out << tr("%n application(s).", nullptr, int(shown)) << Qt::endl;
    }
    return Ok;
}

int EngineCli::activity(const Config& config, int days)
{
    DbConnection db(config.database(), u"cli"_s);
    if (const int rc = openDatabase(config, db, false); rc != Ok)
        return rc;
    const ReportPeriod period = lastUtcDays(days);
    auto active = ActivityRepository(db).activeUsersPerDay(period);
    auto funnel = MetricsRepository(db).funnel(period);
    if (!active || !funnel) {
        m_err << tr("salesbot-engine: %1").arg((!active ? active.error() : funnel.error()).message())
              << Qt::endl;
        return DatabaseUnreachable;
    }
    m_out << tr("Active users per day, last %n day(s) (UTC):", nullptr, days) << Qt::endl;
    for (const DailyActiveUsers& d : std::as_const(*active))
        m_out << u"  %1 %2"_s.arg(d.day.toString(Qt::ISODate), -12).arg(d.users, 8) << Qt::endl;
    const auto share = [&](qint64 n) {
        return funnel->started > 0 ? u"%1%"_s.arg(100.0 * double(n) / double(funnel->started), 0, 'f', 1)
                                   : QString();
    };
    m_out << tr("Funnel of the users who first came in this period:") << Qt::endl;
    const std::pair<QString, qint64> steps[] = {{tr("came to the bot"), funnel->started},
                                                {tr("viewed a package"), funnel->viewedPackage},
                                                {tr("started the form"), funnel->startedForm},
                                                {tr("filed an application"), funnel->filed}};
    for (std::size_t i = 0; i < std::size(steps); ++i) {
        // The first step is the whole: no share of itself.
        const QString percent = i == 0 ? QString() : share(steps[i].second);
        m_out << u"  %1 %2 %3"_s.arg(steps[i].first, -24).arg(steps[i].second, 8).arg(percent, 7) << Qt::endl;
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
