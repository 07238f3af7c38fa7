#pragma once

// The engine's settings read from the environment (BOT_TOKEN, DATABASE_URL, ...), each checked once at
// start-up.

#include "ConnectionSettings.h"
#include "Expected.h"

#include <QCoreApplication>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <optional>

namespace salesbot {

// Decisions:
// - Every value is trimmed; a variable that is empty after trimming counts as unset (a platform's
//   config UI often cannot unset a variable).
// - Variables are checked in the order BOT_TOKEN, DATABASE_URL, TELEGRAM_API_URL, MANAGER_CHAT_ID,
//   WEBHOOK_URL, PORT, WEBHOOK_SECRET, LOG_LEVEL, LOG_FORMAT; the first bad one gives the error.
// - Error messages are one line "<VARIABLE>: <what is wrong>". They never quote BOT_TOKEN,
//   WEBHOOK_SECRET or any URL (a URL may carry credentials or a secret path); short values of the
//   other variables are quoted with unprintable characters replaced. As a last guard the token and
//   the webhook secret are cut out of any message.
// - BOT_TOKEN may be unset (the engine decides whether it needs one); when set it must be
//   <digits>:<A-Z a-z 0-9 _ ->.
// - TELEGRAM_API_URL and WEBHOOK_URL: http or https with a host, no query or fragment; trailing slashes
//   of TELEGRAM_API_URL are removed. WEBHOOK_URL keeps its path (and is not required to be https,
//   so a local emulator works; Telegram itself insists on https).
// - MANAGER_CHAT_ID: a whole number other than 0 in the qint64 range (negative for groups).
// - WEBHOOK_SECRET is checked even without WEBHOOK_URL; PORT too (Heroku sets it for web dynos).
class Config
{
    Q_GADGET
    Q_DECLARE_TR_FUNCTIONS(Config)
public:
    enum class LogLevel
    {
        Debug,
        Info,
        Warning,
        Error,
    };
    Q_ENUM(LogLevel)

    enum class LogFormat
    {
        Text,
        Json,
    };
    Q_ENUM(LogFormat)

    static constexpr int DefaultPort = 8080;
    static constexpr qsizetype MaxWebhookSecretLength = 256;

    // The configuration, or one line naming the first bad variable and what is wrong with it.
    static Expected<Config, QString> fromEnvironment(const QProcessEnvironment& env);
    // text with every occurrence of token (also percent-encoded, and its secret part after ':') replaced
    // by "<redacted>"; for loggers and error messages.
    static QString redactToken(QString text, const QString& token);

    const ConnectionSettings& database() const { return m_database; }
    const QString& botToken() const { return m_botToken; }
    const QUrl& telegramApiUrl() const { return m_telegramApiUrl; }
    std::optional<qint64> managerChatId() const { return m_managerChatId; }
    const std::optional<QUrl>& webhookUrl() const { return m_webhookUrl; }
    bool isWebhookMode() const { return m_webhookUrl.has_value(); }
    int port() const { return m_port; }
    const std::optional<QString>& webhookSecret() const { return m_webhookSecret; }
    LogLevel logLevel() const { return m_logLevel; }
    LogFormat logFormat() const { return m_logFormat; }

private:
    Config() = default;

    static Expected<void, QString> read(Config& config, const QProcessEnvironment& env);

    ConnectionSettings m_database;
    QString m_botToken;
    QUrl m_telegramApiUrl;
    std::optional<qint64> m_managerChatId;
    std::optional<QUrl> m_webhookUrl;
    int m_port = DefaultPort;
    std::optional<QString> m_webhookSecret;
    LogLevel m_logLevel = LogLevel::Info;
    LogFormat m_logFormat = LogFormat::Text;
};

} // namespace salesbot
