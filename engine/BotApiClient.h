#pragma once

// Calls Telegram Bot API methods over HTTP and classifies every outcome into a BotApiResult.

#include "BotApiResult.h"

#include <QJsonObject>
#include <QNetworkProxy>
#include <QObject>
#include <QString>
#include <QUrl>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

class QTcpSocket;
class QTimer;

namespace salesbot {

// Decisions:
// - Its own small HTTP/1.1 client on QTcpSocket/QSslSocket (https), in the thread that creates the client;
//   call() must be made on that thread and `context` must live there too (its destruction is watched without
//   locking). QNetworkAccessManager cost more CPU than the rest of the engine together: a second thread every
//   request and answer hops to and from, a reply object with some twenty signal connections per request.
// - Keep-alive connections to the one host, at most MaxConnections at a time, one request per connection at a
//   time (no pipelining), requests beyond that wait in call order. TCP_NODELAY. Redirects are never followed
//   (a redirect would carry the token to another URL). A request whose reused keep-alive connection closes
//   before any byte of the answer is sent again once on a new connection (the server closed an idle
//   connection as the request went out), as QNetworkAccessManager does, on a connection never used before;
//   any other failure is the caller's. A connection idle for 30 s is closed instead of reused.
// - Bounded: headers and trailers at most 64 KiB, a body at most 64 MiB, and a request ends after four of its
//   timeouts however slowly its answer trickles in.
// - Proxies as QNetworkAccessManager finds them for the base URL (https_proxy, http_proxy, no_proxy, system
//   settings), used as a tunnel (CONNECT or SOCKS5), so TLS still runs end to end with Telegram.
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
    static constexpr int MaxConnections = 16;

    // `baseUrl`: TELEGRAM_API_URL (e.g. https://api.telegram.org, or a path prefix on a local server).
    BotApiClient(QUrl baseUrl, QString token, QObject* parent = nullptr);
    ~BotApiClient() override;

    // POSTs `params` as JSON to <base>/bot<token>/<method>. `timeoutMs`: the transfer is aborted after this
    // long without progress. A method name that is not [A-Za-z0-9_] gives BadRequest without a request.
    // With `result` ResultUse::Ignored a success whose body begins {"ok":true is not parsed further and its
    // `result` is Null: Telegram echoes a whole message (text, keyboard) for every send and edit, and parsing
    // that was a fifth of the engine's CPU. Errors are always parsed in full.
    // With ResultUse::Raw such a success is not parsed either: `body` holds it for the caller to read (the
    // poller: a batch of updates is mostly updates still in flight, sent again, which need only their ids).
    enum class ResultUse
    {
        Needed,
        Ignored,
        Raw
    };
    void call(const QString& method, const QJsonObject& params, QObject* context, Callback done,
              int timeoutMs = DefaultTimeoutMs, ResultUse result = ResultUse::Needed);
    // The same with the parameters as a JSON object's text already (compact, UTF-8).
    void callJson(const QString& method, const QByteArray& paramsJson, QObject* context, Callback done,
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
    struct Request
    {
        QByteArray bytes; // the whole HTTP request
        int timeoutMs = DefaultTimeoutMs;
        ResultUse use = ResultUse::Needed;
        std::function<void(const BotApiResult&)> deliver;
        bool resent = false;
    };
    struct Connection;

    void dispatch();
    Connection* newConnection();
    void start(Connection* connection);
    void onReadable(Connection* connection);
    // Parses what the buffer holds; true once the answer is complete.
    bool parse(Connection* connection);
    void complete(Connection* connection);
    void fail(Connection* connection, const QString& description, bool timedOut);
    void drop(Connection* connection);
    BotApiResult resultOf(int status, const QByteArray& reason, const QByteArray& retryAfter,
                          const QByteArray& body, ResultUse use) const;
    BotApiResult failure(QString description) const;

    QUrl m_baseUrl;
    QString m_token;
    QString m_pathPrefix;   // "<base path>/bot<token>/"
    QByteArray m_target;    // the same, percent-encoded as it goes in the request line
    QByteArray m_hostField; // "Host:" header value
    QString m_host;
    quint16 m_port = 80;
    bool m_tls = false;
    QNetworkProxy m_proxy; // for every connection: NoProxy, or a tunnel (HTTP CONNECT, SOCKS5)
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::deque<Request> m_queue; // waiting for a free connection
    int m_inFlight = 0;
};

} // namespace salesbot
