#pragma once

// The outcome of one Bot API call, classified so that callers decide between done, wait, retry and give up.

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace salesbot {

struct BotApiResult
{
    enum class Kind
    {
        Ok,           // {"ok":true}; `result` holds Telegram's "result" (object, array, true or null)
        NotModified,  // 400 "message is not modified": the message already looks like that; a success
        RetryAfter,   // 429: wait retryAfterSeconds (chat or global flood control), then try again
        Transient,    // 5xx, network error, timeout, TLS error, a reply that is not Bot API JSON: back off
        Blocked,      // 403: the user blocked the bot, is deactivated, never started it; the bot was kicked
        Unauthorized, // 401, or 404 on a bot path: the token is wrong or revoked (configuration error)
        Conflict,     // 409: another instance is polling, or a webhook is set while polling
        BadRequest,   // any other 4xx: this request will never succeed as it is; do not retry it
    };

    Kind kind = Kind::Transient;
    QJsonValue result;         // Ok: Telegram's "result" (Null when absent)
    int retryAfterSeconds = 0; // RetryAfter: in [1, 3600]
    int httpStatus = 0;        // 0: no HTTP response (network error, timeout)
    int errorCode = 0;         // the body's "error_code" (0: none)
    QString description;       // Telegram's description or the network error; never contains the token
    QByteArray body;           // Ok with ResultUse::Raw: the whole body, not parsed (`result` is Null)

    bool isSuccess() const { return kind == Kind::Ok || kind == Kind::NotModified; }
    // One line for logs: kind, HTTP status, error code and description.
    QString summary() const;
    // "ok", "not_modified", "retry_after", ...: stable names for logs and metrics.
    static QString kindName(Kind kind);
};

} // namespace salesbot
