#pragma once

// Calls Telegram Bot API methods over HTTP and classifies every outcome into a BotApiResult.

#include "BotApiResult.h"

#include <QHash>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace salesbot {

// Decisions:
// - One QNetworkAccessManager, in the thread that creates the client; call() must be made on that thread
//   and `context` must live there too (its destruction is watched without locking).
// - HTTP/1.1 with keep-alive, HTTP/2 off (predictable connection reuse against local servers and
//   emulators), redirects never followed (a redirect would carry the token to another URL).
// - `done` is called exactly once, always later from the event loop (never from inside call()), unless
//   `context` was destroyed first or the client itself is destroyed with the request in flight. The
//   request is not aborted when `context` goes away: a sent message stays sent.
// - Classification is by the body's error_code when the body is Bot API JSON, else by the HTTP status;
//   see classify() in the source for the table. Every description passes through Config::redactToken.
// - Nothing is logged per call; requestFinished() is the hook for metrics.
class BotApiClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BotApiClient)

public:
    using Callback = std::function<void(const BotApiResult&)>;
    static constexpr int DefaultTimeoutMs = 15000;

    // `baseUrl`: TELEGRAM_API_URL (e.g. https://api.telegram.org, or a path prefix on a local server).
    BotApiClient(QUrl baseUrl, QString token, QObject* parent = nullptr);
    ~BotApiClient() override;

    // POSTs `params` as JSON to <base>/bot<token>/<method>. `timeoutMs`: the transfer is aborted after this
    // long without progress. A method name that is not [A-Za-z0-9_] gives BadRequest without a request.
    // With `result` ResultUse::Ignored a success whose body begins {"ok":true is not parsed further and its
    // `result` is Null: Telegram echoes a whole message (text, keyboard) for every send and edit, and parsing
    // that was a fifth of the engine's CPU. Errors are always parsed in full.
    enum class ResultUse
    {
        Needed,
        Ignored
    };
    void call(const QString& method, const QJsonObject& params, QObject* context, Callback done,
              int timeoutMs = DefaultTimeoutMs, ResultUse result = ResultUse::Needed);

    // `text` with the token (plain, percent-encoded or its secret part) replaced by "<redacted>".
    QString redact(QString text) const;
    // Requests sent and not finished yet.
    int inFlight() const { return m_inFlight; }
    const QUrl& baseUrl() const { return m_baseUrl; }

Q_SIGNALS:
    // After every call (also when its context is gone), before `done` runs.
    void requestFinished(const QString& method, salesbot::BotApiResult::Kind kind);

private:
    QNetworkRequest requestFor(const QString& method, int timeoutMs);
    void finish(QNetworkReply* reply, const QString& method, int timeoutMs);
    BotApiResult resultOf(QNetworkReply* reply, int timeoutMs, ResultUse use) const;

    QUrl m_baseUrl;
    QString m_token;
    QString m_pathPrefix; // "<base path>/bot<token>/"
    QNetworkAccessManager* m_network = nullptr;
    QHash<QString, QNetworkRequest> m_requests; // per method, built once
    int m_inFlight = 0;
};

} // namespace salesbot
