#include "Config.h"

#include "DatabaseUrl.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

const QString Redacted = u"<redacted>"_s;

bool isAsciiDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}

// A-Z a-z 0-9 _ -: Telegram's alphabet for the token's secret part and for secret_token.
bool isTokenChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || isAsciiDigit(c) || u == u'_' || u == u'-';
}

bool looksLikeBotToken(QStringView token)
{
    const qsizetype colon = token.indexOf(u':');
    if (colon <= 0 || colon + 1 >= token.size())
        return false;
    for (const QChar c : token.left(colon)) {
        if (!isAsciiDigit(c))
            return false;
    }
    for (const QChar c : token.mid(colon + 1)) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// A value of a non-secret variable, quoted for an error message: at most 32 characters, unprintable
// ones (line breaks, escapes, bidi controls) shown as '?', so the message stays one honest line. A value
// that overlaps a secret (say the token pasted into the wrong variable) is not shown at all.
QString quoted(const QString& value, const QStringList& secrets)
{
    for (const QString& secret : secrets) {
        if (!secret.isEmpty() && (value.contains(secret) || (value.size() >= 4 && secret.contains(value))))
            return Config::tr("the value given");
    }
    constexpr qsizetype MaxShown = 32;
    QString shown;
    for (const QChar c : QStringView(value).left(MaxShown))
        shown.append(c.isPrint() ? c : QChar(u'?'));
    if (value.size() > MaxShown)
        shown.append(u'\u2026');
    return u'"' + shown + u'"';
}

// An absolute http(s) URL with a host and no query or fragment; nothing otherwise.
std::optional<QUrl> webUrl(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.isRelative() || url.host().isEmpty() || url.hasQuery() || url.hasFragment())
        return std::nullopt;
    if (url.scheme() != u"http" && url.scheme() != u"https")
        return std::nullopt;
    return url;
}

} // namespace

Expected<Config, QString> Config::fromEnvironment(const QProcessEnvironment& env)
{
    Config config;
    const Expected<void, QString> result = read(config, env);
    if (result)
        return config;

    QString message = redactToken(result.error(), env.value(u"BOT_TOKEN"_s).trimmed());
    const QString secret = env.value(u"WEBHOOK_SECRET"_s).trimmed();
    if (secret.size() >= 6) // shorter ones would cut ordinary words out of the message
        message.replace(secret, Redacted);
    return unexpected(message);
}

Expected<void, QString> Config::read(Config& config, const QProcessEnvironment& env)
{
    const auto value = [&env](const char16_t* name) {
        return env.value(QString::fromUtf16(name)).trimmed();
    };
    // What a quoted value must not overlap: the token, its secret part, the webhook secret (and below the
    // database password).
    QStringList secrets{value(u"BOT_TOKEN"), value(u"WEBHOOK_SECRET")};
    if (const qsizetype colon = secrets.front().indexOf(u':'); colon >= 0)
        secrets.append(secrets.front().mid(colon + 1));
    secrets.removeAll(QString());

    config.m_botToken = value(u"BOT_TOKEN");
    if (!config.m_botToken.isEmpty() && !looksLikeBotToken(config.m_botToken))
        return unexpected(
            tr("BOT_TOKEN: does not look like a token from @BotFather (expected <digits>:<letters>)"));

    const QString databaseUrl = value(u"DATABASE_URL");
    if (databaseUrl.isEmpty()) {
        config.m_database = DatabaseUrl::defaultSqlite();
    } else {
        Expected<ConnectionSettings, QString> database = DatabaseUrl::parse(databaseUrl);
        if (!database)
            return unexpected(database.error());
        config.m_database = std::move(database).value();
        if (config.m_database.password.size() >= 4)
            secrets.append(config.m_database.password);
    }

    const QString apiUrl = value(u"TELEGRAM_API_URL");
    const std::optional<QUrl> api = webUrl(apiUrl.isEmpty() ? u"https://api.telegram.org"_s : apiUrl);
    if (!api)
        return unexpected(tr("TELEGRAM_API_URL: must be an http:// or https:// URL with a host and without "
                             "a query, e.g. https://api.telegram.org"));
    config.m_telegramApiUrl = *api;
    QString apiPath = config.m_telegramApiUrl.path();
    while (apiPath.endsWith(u'/'))
        apiPath.chop(1);
    config.m_telegramApiUrl.setPath(apiPath);

    const QString managerChat = value(u"MANAGER_CHAT_ID");
    if (!managerChat.isEmpty()) {
        const QStringView digits =
            managerChat.startsWith(u'-') ? QStringView(managerChat).mid(1) : QStringView(managerChat);
        bool ok = !digits.isEmpty() && std::all_of(digits.begin(), digits.end(), isAsciiDigit);
        const qint64 id = ok ? managerChat.toLongLong(&ok) : 0;
        if (!ok || id == 0)
            return unexpected(
                tr("MANAGER_CHAT_ID: %1 is not a Telegram chat id (expected a whole number such "
                   "as 123456789, or -1001234567890 for a group)")
                    .arg(quoted(managerChat, secrets)));
        config.m_managerChatId = id;
    }

    const QString webhook = value(u"WEBHOOK_URL");
    if (!webhook.isEmpty()) {
        config.m_webhookUrl = webUrl(webhook);
        if (!config.m_webhookUrl)
            return unexpected(
                tr("WEBHOOK_URL: must be an https:// (or http://) URL with a host and without a "
                   "query, e.g. https://bot.example.com/telegram"));
    }

    const QString port = value(u"PORT");
    if (!port.isEmpty()) {
        bool ok = std::all_of(port.begin(), port.end(), isAsciiDigit) && port.size() <= 5;
        const int number = ok ? port.toInt(&ok) : 0;
        if (!ok || number < 1 || number > 65535)
            return unexpected(
                tr("PORT: %1 is not a port number (expected 1 to 65535)").arg(quoted(port, secrets)));
        config.m_port = number;
    }

    const QString secret = value(u"WEBHOOK_SECRET");
    if (!secret.isEmpty()) {
        if (secret.size() > MaxWebhookSecretLength || !std::all_of(secret.begin(), secret.end(), isTokenChar))
            return unexpected(tr("WEBHOOK_SECRET: must be 1 to %1 characters, each A-Z, a-z, 0-9, _ or - "
                                 "(Telegram's rule for secret_token)")
                                  .arg(MaxWebhookSecretLength));
        config.m_webhookSecret = secret;
    }

    const QString level = value(u"LOG_LEVEL").toLower();
    if (level == u"debug")
        config.m_logLevel = LogLevel::Debug;
    else if (level.isEmpty() || level == u"info")
        config.m_logLevel = LogLevel::Info;
    else if (level == u"warning" || level == u"warn")
        config.m_logLevel = LogLevel::Warning;
    else if (level == u"error")
        config.m_logLevel = LogLevel::Error;
    else
        return unexpected(tr("LOG_LEVEL: %1 is not a log level (expected debug, info, warning or error)")
                              .arg(quoted(value(u"LOG_LEVEL"), secrets)));

    const QString format = value(u"LOG_FORMAT").toLower();
    if (format.isEmpty() || format == u"text")
        config.m_logFormat = LogFormat::Text;
    else if (format == u"json")
        config.m_logFormat = LogFormat::Json;
    else
        return unexpected(tr("LOG_FORMAT: %1 is not a log format (expected text or json)")
                              .arg(quoted(value(u"LOG_FORMAT"), secrets)));

    return {};
}

QString Config::redactToken(QString text, const QString& token)
{
    if (token.isEmpty())
        return text;
    text.replace(token, Redacted);
    const qsizetype colon = token.indexOf(u':');
    if (colon < 0)
        return text;
    // The token as it appears in an encoded URL ("123%3AABC"), then its secret part alone.
    const QString left = token.left(colon);
    const QString right = token.mid(colon + 1);
    text.replace(left + u"%3A"_s + right, Redacted, Qt::CaseInsensitive);
    if (!right.isEmpty())
        text.replace(right, Redacted);
    return text;
}

} // namespace salesbot
