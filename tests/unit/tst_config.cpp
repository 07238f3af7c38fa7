// Tests Config::fromEnvironment (defaults, every variable valid and invalid, secrets kept out of errors),
// redactToken, and the engine's tuning variables (EngineOptions::fromEnvironment).

#include "Config.h"
#include "DatabaseUrl.h"
#include "Engine.h"

#include <QTest>

using namespace Qt::StringLiterals;
using salesbot::Config;
using salesbot::DatabaseUrl;
using salesbot::Dialect;
using salesbot::EngineOptions;

namespace {

const QString Token = u"123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"_s;
const QString Secret = u"s3cr3t_Webhook-Value"_s;
const QString Password = u"db-Pa55word"_s;

QProcessEnvironment environment(const QStringList& pairs)
{
    QProcessEnvironment env;
    for (const QString& pair : pairs) {
        const qsizetype equals = pair.indexOf(u'=');
        env.insert(pair.left(equals), pair.mid(equals + 1));
    }
    return env;
}

} // namespace

class TestConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void emptyValuesMeanUnset();
    void fullEnvironment();
    void botToken_data();
    void botToken();
    void databaseUrl();
    void telegramApiUrl_data();
    void telegramApiUrl();
    void managerChatId_data();
    void managerChatId();
    void webhookUrl_data();
    void webhookUrl();
    void port_data();
    void port();
    void webhookSecret_data();
    void webhookSecret();
    void logLevel_data();
    void logLevel();
    void logFormat_data();
    void logFormat();
    void invalid_data();
    void invalid();
    void firstBadVariableWins();
    void redactToken_data();
    void redactToken();
    void engineTuning_data();
    void engineTuning();
};

void TestConfig::defaults()
{
    const auto config = Config::fromEnvironment(QProcessEnvironment());
    QVERIFY2(config, config ? "" : qPrintable(config.error()));
    QCOMPARE(config->database().dialect, Dialect::Sqlite);
    QCOMPARE(config->database().sqlitePath, DatabaseUrl::defaultSqlite().sqlitePath);
    QVERIFY(config->botToken().isEmpty());
    QCOMPARE(config->telegramApiUrl(), QUrl(u"https://api.telegram.org"_s));
    QCOMPARE(config->telegramApiUrl().toString(), u"https://api.telegram.org"_s);
    QVERIFY(!config->managerChatId());
    QVERIFY(!config->webhookUrl());
    QVERIFY(!config->isWebhookMode());
    QCOMPARE(config->port(), 8080);
    QVERIFY(!config->webhookSecret());
    QCOMPARE(config->logLevel(), Config::LogLevel::Info);
    QCOMPARE(config->logFormat(), Config::LogFormat::Text);
}

void TestConfig::emptyValuesMeanUnset()
{
    const auto config = Config::fromEnvironment(environment(
        {u"BOT_TOKEN="_s, u"DATABASE_URL= "_s, u"TELEGRAM_API_URL="_s, u"MANAGER_CHAT_ID="_s,
         u"WEBHOOK_URL="_s, u"PORT="_s, u"WEBHOOK_SECRET="_s, u"LOG_LEVEL="_s, u"LOG_FORMAT="_s}));
    QVERIFY2(config, config ? "" : qPrintable(config.error()));
    QCOMPARE(config->database().sqlitePath, DatabaseUrl::defaultSqlite().sqlitePath);
    QCOMPARE(config->telegramApiUrl().toString(), u"https://api.telegram.org"_s);
    QCOMPARE(config->port(), 8080);
    QVERIFY(!config->webhookSecret());
    QVERIFY(!config->managerChatId());
}

void TestConfig::fullEnvironment()
{
    const auto config = Config::fromEnvironment(environment({
        u"BOT_TOKEN="_s + Token,
        u"DATABASE_URL=postgres://bot:"_s + Password + u"@db.example.com:5432/sales?sslmode=require"_s,
        u"TELEGRAM_API_URL=http://127.0.0.1:8081/"_s,
        u"MANAGER_CHAT_ID=-1001234567890"_s,
        u"WEBHOOK_URL=https://bot.example.com/telegram/hook"_s,
        u"PORT=443"_s,
        u"WEBHOOK_SECRET="_s + Secret,
        u"LOG_LEVEL=Debug"_s,
        u"LOG_FORMAT=JSON"_s,
    }));
    QVERIFY2(config, config ? "" : qPrintable(config.error()));
    QCOMPARE(config->botToken(), Token);
    QCOMPARE(config->database().dialect, Dialect::PostgreSql);
    QCOMPARE(config->database().host, u"db.example.com"_s);
    QCOMPARE(config->database().password, Password);
    QCOMPARE(config->database().sslMode, u"require"_s);
    QCOMPARE(config->telegramApiUrl().toString(), u"http://127.0.0.1:8081"_s);
    QCOMPARE(config->managerChatId(), std::optional<qint64>(-1001234567890LL));
    QVERIFY(config->isWebhookMode());
    QCOMPARE(config->webhookUrl()->toString(), u"https://bot.example.com/telegram/hook"_s);
    QCOMPARE(config->port(), 443);
    QCOMPARE(config->webhookSecret(), std::optional<QString>(Secret));
    QCOMPARE(config->logLevel(), Config::LogLevel::Debug);
    QCOMPARE(config->logFormat(), Config::LogFormat::Json);
}

void TestConfig::botToken_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");

    QTest::newRow("real shape") << Token << true;
    QTest::newRow("with dash and underscore") << u"1:a-b_C"_s << true;
    QTest::newRow("surrounding whitespace") << (u"  "_s + Token + u"\n"_s) << true;
    QTest::newRow("no colon") << u"123456789AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"_s << false;
    QTest::newRow("letters before colon") << u"abc:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"_s << false;
    QTest::newRow("nothing before colon") << u":AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"_s << false;
    QTest::newRow("nothing after colon") << u"123456789:"_s << false;
    QTest::newRow("space inside") << u"123456789:AAHdq TcvCH1vGWJ"_s << false;
    QTest::newRow("bot prefix") << (u"bot"_s + Token) << false;
    QTest::newRow("two colons") << u"123:abc:def"_s << false;
    QTest::newRow("line break inside") << u"123456789:AAHdq\nTcvCH1vGWJ"_s << false;
    QTest::newRow("cyrillic letter") << u"123456789:AAHdqЖTcvCH1vGWJ"_s << false;
}

void TestConfig::botToken()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    const auto config = Config::fromEnvironment(environment({u"BOT_TOKEN="_s + value}));
    QCOMPARE(bool(config), valid);
    if (valid) {
        QCOMPARE(config->botToken(), value.trimmed());
        return;
    }
    QCOMPARE(config.error(),
             u"BOT_TOKEN: does not look like a token from @BotFather (expected <digits>:<letters>)"_s);
}

void TestConfig::databaseUrl()
{
    const auto sqlite = Config::fromEnvironment(environment({u"DATABASE_URL=sqlite:///tmp/sb.db"_s}));
    QVERIFY(sqlite);
    QCOMPARE(sqlite->database().sqlitePath, u"/tmp/sb.db"_s);

    const auto bad = Config::fromEnvironment(
        environment({u"DATABASE_URL=postgres://bot:"_s + Password + u"@db.example.com:70000/sales"_s}));
    QVERIFY(!bad);
    QVERIFY2(bad.error().startsWith(u"DATABASE_URL: "_s), qPrintable(bad.error()));
    QVERIFY2(!bad.error().contains(Password), qPrintable(bad.error()));

    const auto scheme = Config::fromEnvironment(environment({u"DATABASE_URL=mysql://u:p@h/db"_s}));
    QVERIFY(!scheme);
    QCOMPARE(scheme.error(),
             u"DATABASE_URL: unsupported scheme \"mysql\"; use postgres://, postgresql:// or sqlite:"_s);
}

void TestConfig::telegramApiUrl_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected"); // empty: invalid

    QTest::newRow("default spelled out") << u"https://api.telegram.org"_s << u"https://api.telegram.org"_s;
    QTest::newRow("trailing slash") << u"https://api.telegram.org/"_s << u"https://api.telegram.org"_s;
    QTest::newRow("several trailing slashes")
        << u"https://api.telegram.org///"_s << u"https://api.telegram.org"_s;
    QTest::newRow("local server with port") << u"http://localhost:8081"_s << u"http://localhost:8081"_s;
    QTest::newRow("emulator with path") << u"http://127.0.0.1:9000/tg/"_s << u"http://127.0.0.1:9000/tg"_s;
    QTest::newRow("IPv6") << u"http://[::1]:8081"_s << u"http://[::1]:8081"_s;
    QTest::newRow("ftp") << u"ftp://api.telegram.org"_s << QString();
    QTest::newRow("no scheme") << u"api.telegram.org"_s << QString();
    QTest::newRow("no host") << u"https://"_s << QString();
    QTest::newRow("file") << u"file:///tmp/x"_s << QString();
    QTest::newRow("query") << u"https://api.telegram.org/?x=1"_s << QString();
    QTest::newRow("fragment") << u"https://api.telegram.org/#x"_s << QString();
    QTest::newRow("spaces") << u"https://api telegram org"_s << QString();
}

void TestConfig::telegramApiUrl()
{
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const auto config = Config::fromEnvironment(environment({u"TELEGRAM_API_URL="_s + value}));
    if (expected.isEmpty()) {
        QVERIFY(!config);
        QVERIFY2(config.error().startsWith(u"TELEGRAM_API_URL: "_s), qPrintable(config.error()));
        return;
    }
    QVERIFY2(config, config ? "" : qPrintable(config.error()));
    QCOMPARE(config->telegramApiUrl().toString(), expected);
}

void TestConfig::managerChatId_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("user") << u"123456789"_s << true << qint64(123456789);
    QTest::newRow("supergroup") << u"-1001234567890"_s << true << qint64(-1001234567890LL);
    QTest::newRow("group") << u"-4567"_s << true << qint64(-4567);
    QTest::newRow("whitespace") << u" 42 "_s << true << qint64(42);
    QTest::newRow("max qint64") << u"9223372036854775807"_s << true << std::numeric_limits<qint64>::max();
    QTest::newRow("zero") << u"0"_s << false << qint64(0);
    QTest::newRow("minus zero") << u"-0"_s << false << qint64(0);
    QTest::newRow("letters") << u"abc"_s << false << qint64(0);
    QTest::newRow("username") << u"@manager"_s << false << qint64(0);
    QTest::newRow("decimal") << u"12.5"_s << false << qint64(0);
    QTest::newRow("plus sign") << u"+123"_s << false << qint64(0);
    QTest::newRow("lone minus") << u"-"_s << false << qint64(0);
    QTest::newRow("overflow") << u"99999999999999999999"_s << false << qint64(0);
    QTest::newRow("hex") << u"0x1F"_s << false << qint64(0);
    QTest::newRow("inner space") << u"123 456"_s << false << qint64(0);
}

void TestConfig::managerChatId()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    QFETCH(qint64, expected);
    const auto config = Config::fromEnvironment(environment({u"MANAGER_CHAT_ID="_s + value}));
    QCOMPARE(bool(config), valid);
    if (valid) {
        QCOMPARE(config->managerChatId(), std::optional<qint64>(expected));
        return;
    }
    QVERIFY2(config.error().startsWith(u"MANAGER_CHAT_ID: "_s), qPrintable(config.error()));
    QVERIFY2(config.error().contains(u'"' + value.trimmed() + u'"'), qPrintable(config.error()));
}

void TestConfig::webhookUrl_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");

    QTest::newRow("https") << u"https://bot.example.com/telegram"_s << true;
    QTest::newRow("https with port") << u"https://bot.example.com:8443/hook"_s << true;
    QTest::newRow("http for local tests") << u"http://localhost:8080/hook"_s << true;
    QTest::newRow("heroku app") << u"https://salesbot-123.herokuapp.com/"_s << true;
    QTest::newRow("no scheme") << u"bot.example.com/hook"_s << false;
    QTest::newRow("ws") << u"ws://bot.example.com/hook"_s << false;
    QTest::newRow("no host") << u"https:///hook"_s << false;
    QTest::newRow("query") << u"https://bot.example.com/hook?token=x"_s << false;
    QTest::newRow("garbage") << u"not a url"_s << false;
}

void TestConfig::webhookUrl()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    const auto config = Config::fromEnvironment(environment({u"WEBHOOK_URL="_s + value}));
    QCOMPARE(bool(config), valid);
    if (valid) {
        QVERIFY(config->isWebhookMode());
        QCOMPARE(config->webhookUrl()->toString(), value);
        return;
    }
    QVERIFY2(config.error().startsWith(u"WEBHOOK_URL: "_s), qPrintable(config.error()));
    QVERIFY2(!config.error().contains(value), qPrintable(config.error()));
}

void TestConfig::port_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("expected"); // 0: invalid

    QTest::newRow("1") << u"1"_s << 1;
    QTest::newRow("80") << u"80"_s << 80;
    QTest::newRow("heroku") << u"54321"_s << 54321;
    QTest::newRow("65535") << u"65535"_s << 65535;
    QTest::newRow("leading zeros") << u"0080"_s << 80;
    QTest::newRow("0") << u"0"_s << 0;
    QTest::newRow("65536") << u"65536"_s << 0;
    QTest::newRow("70000") << u"70000"_s << 0;
    QTest::newRow("negative") << u"-1"_s << 0;
    QTest::newRow("plus") << u"+80"_s << 0;
    QTest::newRow("letters") << u"http"_s << 0;
    QTest::newRow("decimal") << u"80.5"_s << 0;
    QTest::newRow("huge") << u"99999999999999999999"_s << 0;
}

void TestConfig::port()
{
    QFETCH(QString, value);
    QFETCH(int, expected);
    const auto config = Config::fromEnvironment(environment({u"PORT="_s + value}));
    QCOMPARE(bool(config), expected != 0);
    if (expected != 0) {
        QCOMPARE(config->port(), expected);
        return;
    }
    QVERIFY2(config.error().startsWith(u"PORT: "_s), qPrintable(config.error()));
    QVERIFY2(config.error().contains(u"65535"_s), qPrintable(config.error()));
}

void TestConfig::webhookSecret_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");

    QTest::newRow("typical") << Secret << true;
    QTest::newRow("one character") << u"x"_s << true;
    QTest::newRow("256 characters") << QString(256, u'A') << true;
    QTest::newRow("257 characters") << QString(257, u'A') << false;
    QTest::newRow("space inside") << u"abc def1234"_s << false;
    QTest::newRow("punctuation") << u"abc!def1234"_s << false;
    QTest::newRow("colon") << u"123:abcdef12"_s << false;
    QTest::newRow("non-ASCII letter") << u"секретsecret"_s << false;
}

void TestConfig::webhookSecret()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    const auto config = Config::fromEnvironment(environment({u"WEBHOOK_SECRET="_s + value}));
    QCOMPARE(bool(config), valid);
    if (valid) {
        QCOMPARE(config->webhookSecret(), std::optional<QString>(value));
        return;
    }
    QVERIFY2(config.error().startsWith(u"WEBHOOK_SECRET: "_s), qPrintable(config.error()));
    QVERIFY2(!config.error().contains(value), qPrintable(config.error()));
}

void TestConfig::logLevel_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<Config::LogLevel>("expected");

    using L = Config::LogLevel;
    QTest::newRow("debug") << u"debug"_s << true << L::Debug;
    QTest::newRow("DEBUG") << u"DEBUG"_s << true << L::Debug;
    QTest::newRow("info") << u"info"_s << true << L::Info;
    QTest::newRow("Info padded") << u" Info "_s << true << L::Info;
    QTest::newRow("warning") << u"warning"_s << true << L::Warning;
    QTest::newRow("warn") << u"WARN"_s << true << L::Warning;
    QTest::newRow("error") << u"error"_s << true << L::Error;
    QTest::newRow("verbose") << u"verbose"_s << false << L::Info;
    QTest::newRow("number") << u"3"_s << false << L::Info;
    QTest::newRow("trace") << u"trace"_s << false << L::Info;
}

void TestConfig::logLevel()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    QFETCH(Config::LogLevel, expected);
    const auto config = Config::fromEnvironment(environment({u"LOG_LEVEL="_s + value}));
    QCOMPARE(bool(config), valid);
    if (valid) {
        QCOMPARE(config->logLevel(), expected);
        return;
    }
    QCOMPARE(config.error(),
             u"LOG_LEVEL: \"%1\" is not a log level (expected debug, info, warning or error)"_s.arg(value));
}

void TestConfig::logFormat_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<Config::LogFormat>("expected");

    using F = Config::LogFormat;
    QTest::newRow("text") << u"text"_s << true << F::Text;
    QTest::newRow("TEXT") << u"TEXT"_s << true << F::Text;
    QTest::newRow("json") << u"json"_s << true << F::Json;
    QTest::newRow("Json") << u"Json"_s << true << F::Json;
    QTest::newRow("xml") << u"xml"_s << false << F::Text;
    QTest::newRow("logfmt") << u"logfmt"_s << false << F::Text;
}

void TestConfig::logFormat()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    QFETCH(Config::LogFormat, expected);
    const auto config = Config::fromEnvironment(environment({u"LOG_FORMAT="_s + value}));
    QCOMPARE(bool(config), valid);
    if (valid) {
        QCOMPARE(config->logFormat(), expected);
        return;
    }
    QVERIFY2(config.error().startsWith(u"LOG_FORMAT: "_s), qPrintable(config.error()));
}

// Every error: one line, names its variable, never carries a secret present in the environment.
void TestConfig::invalid_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");

    QTest::newRow("BOT_TOKEN") << u"BOT_TOKEN"_s << u"123456789:AAHdq/TcvCH1vGWJxfSeofSAs0K5PALDsaw"_s;
    QTest::newRow("DATABASE_URL") << u"DATABASE_URL"_s
                                  << (u"postgresql://bot:"_s + Password + u"@h/db?sslmode=on"_s);
    QTest::newRow("DATABASE_URL bad key")
        << u"DATABASE_URL"_s << (u"postgresql://bot:"_s + Password + u"@h/db?pass=1"_s);
    QTest::newRow("TELEGRAM_API_URL") << u"TELEGRAM_API_URL"_s << (u"https://x/bot"_s + Token + u"?q"_s);
    QTest::newRow("MANAGER_CHAT_ID") << u"MANAGER_CHAT_ID"_s << u"chat\n\x1b[31mred"_s;
    QTest::newRow("MANAGER_CHAT_ID holding the token") << u"MANAGER_CHAT_ID"_s << Token;
    QTest::newRow("WEBHOOK_URL") << u"WEBHOOK_URL"_s << (u"ftp://bot.example.com/"_s + Secret);
    QTest::newRow("PORT") << u"PORT"_s << u"eighty"_s;
    QTest::newRow("PORT holding the secret") << u"PORT"_s << Secret;
    QTest::newRow("LOG_FORMAT holding the password") << u"LOG_FORMAT"_s << Password;
    QTest::newRow("WEBHOOK_SECRET") << u"WEBHOOK_SECRET"_s << u"has spaces and secret words"_s;
    QTest::newRow("LOG_LEVEL") << u"LOG_LEVEL"_s << u"loud"_s;
    QTest::newRow("LOG_LEVEL long") << u"LOG_LEVEL"_s << QString(1000, u'z');
    QTest::newRow("LOG_FORMAT") << u"LOG_FORMAT"_s << u"yaml"_s;
}

void TestConfig::invalid()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QProcessEnvironment env;
    env.insert(u"BOT_TOKEN"_s, Token);
    env.insert(u"WEBHOOK_SECRET"_s, Secret);
    env.insert(u"DATABASE_URL"_s, u"postgres://bot:"_s + Password + u"@h/db"_s);
    env.insert(variable, value);
    const auto config = Config::fromEnvironment(env);
    QVERIFY(!config);
    const QString& error = config.error();
    QVERIFY2(error.startsWith(variable + u": "_s), qPrintable(error));
    QVERIFY2(!error.contains(u'\n') && !error.contains(u'\r') && !error.contains(QChar(0x1b)),
             qPrintable(error));
    QVERIFY2(error.size() < 300, qPrintable(error));
    QVERIFY2(!error.contains(Token), qPrintable(error));
    QVERIFY2(!error.contains(Token.mid(Token.indexOf(u':') + 1)), qPrintable(error));
    QVERIFY2(!error.contains(Secret), qPrintable(error));
    QVERIFY2(!error.contains(Password), qPrintable(error));
    // Not even a part of a secret.
    const QString tokenSecret = Token.mid(Token.indexOf(u':') + 1);
    for (const QString& secret : {tokenSecret, Secret}) {
        for (qsizetype i = 0; i + 8 <= secret.size(); ++i)
            QVERIFY2(!error.contains(secret.mid(i, 8)), qPrintable(error));
    }
    if (variable != u"BOT_TOKEN"_s && variable != u"WEBHOOK_SECRET"_s && value.size() > 8 &&
        !value.contains(u'\n'))
        QVERIFY2(!error.contains(value) || variable.startsWith(u"LOG"_s), qPrintable(error));
}

void TestConfig::firstBadVariableWins()
{
    const auto config = Config::fromEnvironment(
        environment({u"PORT=0"_s, u"LOG_LEVEL=loud"_s, u"MANAGER_CHAT_ID=x"_s, u"LOG_FORMAT=yaml"_s}));
    QVERIFY(!config);
    QVERIFY2(config.error().startsWith(u"MANAGER_CHAT_ID: "_s), qPrintable(config.error()));
}

void TestConfig::redactToken_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("expected");

    const QString secretPart = Token.mid(Token.indexOf(u':') + 1);
    QTest::newRow("url") << (u"GET https://api.telegram.org/bot"_s + Token + u"/getMe failed"_s) << Token
                         << u"GET https://api.telegram.org/bot<redacted>/getMe failed"_s;
    QTest::newRow("twice") << (Token + u" and "_s + Token) << Token << u"<redacted> and <redacted>"_s;
    QTest::newRow("encoded colon") << (u"/bot123456789%3A"_s + secretPart + u"/x"_s) << Token
                                   << u"/bot<redacted>/x"_s;
    QTest::newRow("lower-case encoded colon")
        << (u"/bot123456789%3a"_s + secretPart) << Token << u"/bot<redacted>"_s;
    QTest::newRow("secret part alone") << (u"key="_s + secretPart) << Token << u"key=<redacted>"_s;
    QTest::newRow("bot id alone stays") << u"bot 123456789 started"_s << Token << u"bot 123456789 started"_s;
    QTest::newRow("no token") << u"nothing here"_s << Token << u"nothing here"_s;
    QTest::newRow("empty token") << u"text"_s << QString() << u"text"_s;
    QTest::newRow("empty text") << QString() << Token << QString();
}

void TestConfig::redactToken()
{
    QFETCH(QString, text);
    QFETCH(QString, token);
    QFETCH(QString, expected);
    QCOMPARE(Config::redactToken(text, token), expected);
}

QTEST_GUILESS_MAIN(TestConfig)
void TestConfig::engineTuning_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<int>("keepDays");
    QTest::addColumn<int>("workers");
    // Unset, empty or not a number: the default; out of range: clamped.
    QTest::newRow("unset") << QString() << 30 << EngineOptions{}.workers;
    QTest::newRow("keep 7 days") << u"OUTBOX_KEEP_DAYS=7"_s << 7 << EngineOptions{}.workers;
    QTest::newRow("keep forever") << u"OUTBOX_KEEP_DAYS=0"_s << 0 << EngineOptions{}.workers;
    QTest::newRow("keep negative") << u"OUTBOX_KEEP_DAYS=-3"_s << 0 << EngineOptions{}.workers;
    QTest::newRow("keep junk") << u"OUTBOX_KEEP_DAYS=month"_s << 30 << EngineOptions{}.workers;
    QTest::newRow("keep empty") << u"OUTBOX_KEEP_DAYS="_s << 30 << EngineOptions{}.workers;
    QTest::newRow("keep huge") << u"OUTBOX_KEEP_DAYS=99999999"_s << 36'500 << EngineOptions{}.workers;
    QTest::newRow("workers 4") << u"ENGINE_WORKERS=4"_s << 30 << 4;
    QTest::newRow("workers 0") << u"ENGINE_WORKERS=0"_s << 30 << 1;
}

void TestConfig::engineTuning()
{
    QFETCH(QString, variable);
    QFETCH(int, keepDays);
    QFETCH(int, workers);
    const EngineOptions options =
        EngineOptions::fromEnvironment(variable.isEmpty() ? QProcessEnvironment() : environment({variable}));
    QCOMPARE(options.outboxKeepDays, keepDays);
    QCOMPARE(options.workers, workers);
    QCOMPARE(options.maintenanceMs, 3'600'000);
}

#include "tst_config.moc"
