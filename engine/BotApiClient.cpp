#include "BotApiClient.h"

#include "Config.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <QNetworkProxyFactory>
#include <QNetworkProxyQuery>
#include <QPointer>
#include <QSslSocket>
#include <QStringList>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

using Kind = BotApiResult::Kind;

// Limits against a server (or whatever answers at TELEGRAM_API_URL) that would grow memory without end: Bot
// API answers are at most a few megabytes (100 updates of 4,096-character messages).
constexpr qsizetype MaxHeaderBytes = 64 * 1024;
constexpr qint64 MaxBodyBytes = 64 * 1024 * 1024;
constexpr qsizetype MaxChunkLineBytes = 1024;
// A connection idle this long is closed rather than reused: a server or a NAT on the way may have forgotten
// it silently, and a request sent on it would wait for its whole timeout.
constexpr qint64 MaxIdleMs = 30 * 1000;
// However slowly an answer trickles in, a request ends after this many of its timeouts.
constexpr int DeadlineTimeouts = 4;
constexpr int MaxDescriptionLength = 500;
constexpr int MinRetryAfterSeconds = 1;
constexpr int MaxRetryAfterSeconds = 3600;

bool isValidMethod(const QString& method)
{
    if (method.isEmpty() || method.size() > 64)
        return false;
    for (const QChar c : method) {
        if (!(c.isDigit() || c == u'_' || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')))
            return false;
    }
    return true;
}

// An integer from a JSON number or a numeric string; nullopt for anything else.
std::optional<qint64> integerOf(const QJsonValue& value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (!std::isfinite(d) || d < -9.0e15 || d > 9.0e15)
            return std::nullopt;
        return static_cast<qint64>(std::ceil(d));
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 n = value.toString().trimmed().toLongLong(&ok);
        if (ok)
            return n;
    }
    return std::nullopt;
}

int retryAfterOf(const QJsonObject& body, const QByteArray& header)
{
    std::optional<qint64> seconds = integerOf(body.value(u"parameters").toObject().value(u"retry_after"));
    if (!seconds && !body.value(u"parameters").toObject().contains(u"retry_after")) {
        // A proxy's own 429 may say it only in the HTTP header (seconds; the date form is not used here).
        bool ok = false;
        const qint64 n = header.trimmed().toLongLong(&ok);
        if (ok)
            seconds = n;
    }
    if (!seconds || *seconds < MinRetryAfterSeconds)
        return MinRetryAfterSeconds;
    return static_cast<int>(std::min<qint64>(*seconds, MaxRetryAfterSeconds));
}

bool isBlockedDescription(const QString& description)
{
    static const QStringList phrases{
        u"blocked by the user"_s,          u"user is deactivated"_s,
        u"can't initiate conversation"_s,  u"can not initiate conversation"_s,
        u"cannot initiate conversation"_s, u"bot was kicked"_s,
    };
    for (const QString& phrase : phrases) {
        if (description.contains(phrase, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// The table: the body's error_code decides when the body is Bot API JSON ({"ok": ...}), else the HTTP status.
//   2xx + {"ok":true}                                  Ok (result: "result", Null when absent)
//   429 (code or HTTP status)                          RetryAfter (parameters.retry_after, else the
//                                                      Retry-After header, else 1; clamped to [1, 3600])
//   5xx; 408; not Bot API JSON and not 4xx              Transient (garbage 200, HTML 502, 3xx ...)
//   400 + "message is not modified"                    NotModified
//   403 + blocked / deactivated / can't initiate / kicked   Blocked
//   401, 404                                           Unauthorized
//   409                                                Conflict
//   other 4xx (also an HTML 4xx from a proxy)          BadRequest
//   anything else ({"ok":false} without a 4xx/5xx code) Transient
BotApiResult classify(int status, const QByteArray& body, const QByteArray& retryAfterHeader,
                      const QString& reasonPhrase)
{
    BotApiResult result;
    result.httpStatus = status;

    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject object = document.object();
    const bool botApiJson =
        parseError.error == QJsonParseError::NoError && document.isObject() && object.contains(u"ok");
    if (botApiJson) {
        const std::optional<qint64> code = integerOf(object.value(u"error_code"));
        result.errorCode = code && *code > 0 && *code < 1000 ? static_cast<int>(*code) : 0;
        result.description = object.value(u"description").toString();
        if (object.value(u"ok").toBool() && status >= 200 && status < 300) {
            result.kind = Kind::Ok;
            const QJsonValue value = object.value(u"result");
            result.result = value.isUndefined() ? QJsonValue(QJsonValue::Null) : value;
            return result;
        }
    }

    const int code = result.errorCode != 0 ? result.errorCode : status;
    const bool clientError = code >= 400 && code < 500;
    if (code == 429 || status == 429) {
        result.kind = Kind::RetryAfter;
        result.retryAfterSeconds = retryAfterOf(object, retryAfterHeader);
    } else if (!botApiJson && !(status >= 400 && status < 500)) {
        result.kind = Kind::Transient;
    } else if (!clientError || code == 408) {
        result.kind = Kind::Transient;
    } else if (code == 400 && result.description.contains(u"message is not modified", Qt::CaseInsensitive)) {
        result.kind = Kind::NotModified;
    } else if (code == 403 && isBlockedDescription(result.description)) {
        result.kind = Kind::Blocked;
    } else if (code == 401 || code == 404) {
        result.kind = Kind::Unauthorized;
    } else if (code == 409) {
        result.kind = Kind::Conflict;
    } else {
        result.kind = Kind::BadRequest;
    }

    if (result.description.isEmpty()) {
        result.description = u"HTTP "_s + QString::number(status);
        if (!reasonPhrase.isEmpty())
            result.description += u' ' + reasonPhrase;
        if (!botApiJson)
            result.description +=
                u" (the body is not Bot API JSON, "_s + QString::number(body.size()) + u" bytes)"_s;
        if (status >= 300 && status < 400)
            result.description += u"; redirects are not followed, check TELEGRAM_API_URL"_s;
    }
    return result;
}

} // namespace

// One keep-alive connection and the answer being read on it.
struct BotApiClient::Connection
{
    QTcpSocket* socket = nullptr;
    QTimer* timer = nullptr;
    std::optional<Request> request;
    int served = 0; // answers read on it: a reused connection may have been closed by the server meanwhile
    QElapsedTimer idleSince; // valid while it waits for a request after serving one
    QDeadlineTimer deadline; // of the current request
    bool atDeadline = false; // the timer runs until the deadline, not for a whole timeout
    bool dead = false;
    bool written = false; // the current request went to the socket
    // The answer being read.
    QByteArray buffer;
    qint64 received = 0; // bytes of the answer so far
    int status = 0;
    QByteArray reason;
    QByteArray retryAfter;
    bool headersDone = false;
    bool chunked = false;
    bool untilClose = false; // neither a length nor chunks: the body ends with the connection
    bool closeAfter = false;
    qint64 remaining = 0;   // body bytes (or bytes of the current chunk) still to come
    bool chunkData = false; // inside a chunk's data (chunked)
    bool trailers = false;  // after the last chunk
    QByteArray body;
    QString problem; // why the answer was refused, when it was

    void reset()
    {
        buffer.clear();
        received = 0;
        status = 0;
        reason.clear();
        retryAfter.clear();
        headersDone = chunked = untilClose = closeAfter = chunkData = trailers = atDeadline = false;
        remaining = 0;
        body.clear();
        problem.clear();
    }
    // The answer cannot be read: `why` is what the caller is told.
    void refuse(const QString& why)
    {
        status = -1;
        problem = why;
    }
};

BotApiClient::BotApiClient(QUrl baseUrl, QString token, QObject* parent)
    : QObject(parent)
    , m_baseUrl(std::move(baseUrl))
    , m_token(std::move(token))
{
    QString path = m_baseUrl.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    m_pathPrefix = path + u"/bot"_s + m_token + u'/';
    QUrl target = m_baseUrl;
    target.setPath(m_pathPrefix);
    m_target = target.path(QUrl::FullyEncoded).toUtf8();
    m_tls = m_baseUrl.scheme().compare(u"https"_s, Qt::CaseInsensitive) == 0;
    m_host = m_baseUrl.host();
    m_port = quint16(m_baseUrl.port(m_tls ? 443 : 80));
    m_hostField = m_baseUrl.adjusted(QUrl::RemoveUserInfo).authority(QUrl::FullyEncoded).toUtf8();
    // The proxy QNetworkAccessManager would use for this URL (https_proxy for https, http_proxy for http,
    // no_proxy honoured; whatever the system configuration says), as a tunnel. A socket left to choose on its
    // own would ask for a plain TCP connection, which picks a different variable.
    m_proxy = QNetworkProxy(QNetworkProxy::NoProxy);
    for (const QNetworkProxy& proxy : QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(m_baseUrl))) {
        if (proxy.type() == QNetworkProxy::NoProxy ||
            proxy.capabilities().testFlag(QNetworkProxy::TunnelingCapability)) {
            m_proxy = proxy;
            break;
        }
    }
}

BotApiClient::~BotApiClient()
{
    // Requests in flight are dropped without their callbacks. The sockets go later: this may run inside one
    // of their signals (a callback that destroys the client).
    for (auto& connection : m_connections) {
        disconnect(connection->socket, nullptr, this, nullptr);
        connection->socket->abort();
        connection->socket->deleteLater();
        connection->timer->stop();
        connection->timer->deleteLater();
    }
}

QString BotApiClient::redact(QString text) const
{
    return Config::redactToken(std::move(text), m_token);
}

void BotApiClient::call(const QString& method, const QJsonObject& params, QObject* context, Callback done,
                        int timeoutMs, ResultUse use)
{
    callJson(method, QJsonDocument(params).toJson(QJsonDocument::Compact), context, std::move(done),
             timeoutMs, use);
}

void BotApiClient::callJson(const QString& method, const QByteArray& body, QObject* context, Callback done,
                            int timeoutMs, ResultUse use)
{
    Q_ASSERT_X(QThread::currentThread() == thread(), "BotApiClient::call", "call from the client's thread");
    Q_ASSERT_X(!context || context->thread() == thread(), "BotApiClient::call",
               "the context must live in the client's thread");
    // Without a context the callback always runs; with one, only while it lives.
    const bool guarded = context != nullptr;
    QPointer<QObject> guard(context);
    ++m_inFlight;

    auto deliver = [this, method, guarded, guard,
                    done = std::move(done)](const BotApiResult& result) mutable {
        --m_inFlight;
        // `done` is moved out first: a second call could not call it again, and `done` may destroy this
        // client (nothing here touches it afterwards).
        Callback callback = std::move(done);
        Q_EMIT requestFinished(method, result.kind);
        if (callback && (!guarded || guard))
            callback(result);
    };

    if (!isValidMethod(method)) {
        BotApiResult result;
        result.kind = Kind::BadRequest;
        result.description = u"not a Bot API method name (letters, digits and '_' only)"_s;
        QMetaObject::invokeMethod(
            this, [deliver = std::move(deliver), result]() mutable { deliver(result); },
            Qt::QueuedConnection);
        return;
    }

    Request request;
    request.bytes.reserve(m_target.size() + m_hostField.size() + body.size() + 160);
    request.bytes.append("POST ").append(m_target).append(method.toLatin1()).append(" HTTP/1.1\r\nHost: ");
    request.bytes.append(m_hostField).append("\r\nContent-Type: application/json\r\nContent-Length: ");
    request.bytes.append(QByteArray::number(body.size()))
        .append("\r\nConnection: keep-alive\r\n\r\n")
        .append(body);
    request.timeoutMs = timeoutMs;
    request.use = use;
    request.deliver = std::move(deliver);
    m_queue.push_back(std::move(request));
    dispatch();
}

void BotApiClient::dispatch()
{
    while (!m_queue.empty()) {
        Connection* free = nullptr;
        // A resent request goes on a new connection: another reused one may be just as stale.
        const bool fresh = m_queue.front().resent;
        for (std::size_t i = 0; i < m_connections.size();) {
            Connection* connection = m_connections[i].get();
            if (connection->request || connection->dead) {
                ++i;
                continue;
            }
            if (connection->idleSince.isValid() && connection->idleSince.hasExpired(MaxIdleMs)) {
                drop(connection); // erases it: i now points at the next one
                continue;
            }
            if (!fresh || connection->served == 0) {
                free = connection;
                break;
            }
            ++i;
        }
        if (!free) {
            if (int(m_connections.size()) >= MaxConnections) {
                // A resent request waits for no one: an idle reused connection makes room for a new one.
                const auto idle = std::find_if(m_connections.begin(), m_connections.end(),
                                               [](const auto& c) { return !c->request && !c->dead; });
                if (!fresh || idle == m_connections.end())
                    return;
                drop(idle->get());
            }
            free = newConnection();
        }
        free->request = std::move(m_queue.front());
        m_queue.pop_front();
        start(free);
    }
}

BotApiClient::Connection* BotApiClient::newConnection()
{
    auto connection = std::make_unique<Connection>();
    Connection* c = connection.get();
    // Not children of the client: they may outlive it by a turn of the event loop (see the destructor).
    c->socket = m_tls ? new QSslSocket : new QTcpSocket;
    c->socket->setProxy(m_proxy);
    c->timer = new QTimer;
    c->timer->setSingleShot(true);
    connect(c->timer, &QTimer::timeout, this, [this, c] {
        const int timeoutMs = c->request ? c->request->timeoutMs : 0;
        fail(c,
             c->atDeadline ? u"the answer took longer than "_s +
                                 QString::number(timeoutMs * DeadlineTimeouts) + u" ms"_s
                           : u"no response within "_s + QString::number(timeoutMs) + u" ms"_s,
             true);
    });
    connect(c->socket, &QTcpSocket::connected, this, [c] {
        c->socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (c->request && !c->written) {
            c->written = true;
            c->socket->write(c->request->bytes); // buffered by a TLS socket until it is encrypted
        }
    });
    connect(c->socket, &QTcpSocket::readyRead, this, [this, c] { onReadable(c); });
    connect(c->socket, &QTcpSocket::disconnected, this, [this, c] {
        // A body that ends with the connection ends here; anything else is cut short.
        if (c->request && c->headersDone && c->untilClose) {
            c->buffer += c->socket->readAll(); // the last bytes may come with the close
            c->body += c->buffer;
            c->buffer.clear();
            c->closeAfter = true;
            complete(c);
            return;
        }
        fail(c, u"the server closed the connection"_s, false);
    });
    connect(c->socket, &QTcpSocket::errorOccurred, this, [this, c](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::RemoteHostClosedError)
            return; // disconnected() follows and decides
        fail(c, c->socket->errorString(), false);
    });
    m_connections.push_back(std::move(connection));
    // Connected from the event loop: a socket may report an error from inside connectToHost(), and a failure
    // must neither reach a caller inside call() nor a connection not set up yet.
    QMetaObject::invokeMethod(
        c->socket,
        [socket = c->socket, tls = m_tls, host = m_host, port = m_port] {
            if (tls)
                static_cast<QSslSocket*>(socket)->connectToHostEncrypted(host, port);
            else
                socket->connectToHost(host, port);
        },
        Qt::QueuedConnection);
    return c;
}

void BotApiClient::start(Connection* c)
{
    c->reset();
    c->idleSince.invalidate();
    c->deadline.setRemainingTime(qint64(c->request->timeoutMs) * DeadlineTimeouts);
    c->timer->start(c->request->timeoutMs);
    // A new connection writes the request once it is connected.
    c->written = c->socket->state() == QAbstractSocket::ConnectedState;
    if (c->written)
        c->socket->write(c->request->bytes);
}

void BotApiClient::onReadable(Connection* c)
{
    const QByteArray data = c->socket->readAll();
    if (c->dead)
        return;
    if (!c->request) {
        drop(c); // a server talking out of turn: its next answer could not be trusted
        dispatch();
        return;
    }
    c->received += data.size();
    c->buffer += data;
    if (parse(c)) {
        complete(c);
    } else if (c->status < 0) {
        fail(c, c->problem.isEmpty() ? u"the server's answer is not HTTP"_s : c->problem, false);
    } else if (c->deadline.hasExpired()) {
        fail(c,
             u"the answer took longer than "_s + QString::number(c->request->timeoutMs * DeadlineTimeouts) +
                 u" ms"_s,
             true);
    } else {
        // The timeout counts from the last progress, but never past the request's deadline.
        const qint64 left = c->deadline.remainingTime();
        c->atDeadline = left < c->request->timeoutMs;
        c->timer->start(int(std::min<qint64>(c->request->timeoutMs, left)));
    }
}

bool BotApiClient::parse(Connection* c)
{
    QByteArray& b = c->buffer;
    while (!c->headersDone) {
        const qsizetype end = b.indexOf("\r\n\r\n");
        if (end < 0) {
            if (b.size() >= 5 && !b.startsWith("HTTP/"))
                c->status = -1;
            if (b.size() > MaxHeaderBytes)
                c->refuse(u"the server's answer headers are larger than 64 KiB"_s);
            return false;
        }
        const QByteArrayView head(b.constData(), end);
        qsizetype lineEnd = head.indexOf("\r\n");
        const QByteArrayView statusLine = lineEnd < 0 ? head : head.first(lineEnd);
        if (!statusLine.startsWith("HTTP/1.")) {
            c->status = -1;
            return false;
        }
        const qsizetype sp = statusLine.indexOf(' ');
        bool ok = false;
        const int status = sp < 0 ? 0
                                  : statusLine.sliced(sp + 1)
                                        .first(std::min<qsizetype>(3, statusLine.size() - sp - 1))
                                        .toInt(&ok);
        if (!ok || status < 100) {
            c->status = -1;
            return false;
        }
        c->status = status;
        c->reason =
            sp + 5 < statusLine.size() ? statusLine.sliced(sp + 5).toByteArray().trimmed() : QByteArray();
        qint64 length = -1;
        bool close = statusLine.startsWith("HTTP/1.0");
        c->chunked = false; // a 1xx answer's headers say nothing about the real one
        c->retryAfter.clear();
        while (lineEnd >= 0) {
            const qsizetype from = lineEnd + 2;
            lineEnd = head.indexOf("\r\n", from);
            const QByteArrayView line = head.sliced(from, (lineEnd < 0 ? head.size() : lineEnd) - from);
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArrayView name = line.first(colon).trimmed();
            const QByteArrayView value = line.sliced(colon + 1).trimmed();
            if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
                const qint64 n = value.toLongLong(&ok);
                // Two different lengths cannot both be right.
                length = !ok || n < 0 || length == -2 || (length >= 0 && n != length) ? -2 : n;
            } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
                c->chunked = QByteArray(value.data(), value.size()).toLower().contains("chunked");
            } else if (name.compare("connection", Qt::CaseInsensitive) == 0) {
                close = close || QByteArray(value.data(), value.size()).toLower().contains("close");
            } else if (name.compare("retry-after", Qt::CaseInsensitive) == 0)
                c->retryAfter = value.toByteArray();
        }
        b.remove(0, end + 4);
        if (status < 200) { // 100 Continue and the like: the real answer follows
            c->reason.clear();
            continue;
        }
        if (length == -2) {
            c->status = -1;
            return false;
        }
        c->headersDone = true;
        c->closeAfter = close;
        if (status == 204 || status == 304) {
            c->chunked = false;
            c->remaining = 0;
        } else if (c->chunked) {
            c->remaining = 0;
        } else if (length > MaxBodyBytes) {
            c->refuse(u"the server's answer is larger than 64 MiB"_s);
            return false;
        } else if (length >= 0) {
            c->remaining = length;
        } else {
            c->untilClose = true;
            c->closeAfter = true;
        }
    }
    if (c->untilClose) {
        c->body += b;
        b.clear();
        if (c->body.size() > MaxBodyBytes)
            c->refuse(u"the server's answer is larger than 64 MiB"_s);
        return false; // complete when the server closes
    }
    if (!c->chunked) {
        const qint64 take = std::min<qint64>(c->remaining, b.size());
        c->body.append(b.constData(), take);
        b.remove(0, take);
        c->remaining -= take;
        return c->remaining == 0;
    }
    for (;;) {
        if (c->trailers) {
            // Trailer lines until an empty one.
            const qsizetype end = b.indexOf("\r\n");
            if (end < 0) {
                if (b.size() > MaxHeaderBytes)
                    c->refuse(u"the server's answer trailers are larger than 64 KiB"_s);
                return false;
            }
            b.remove(0, end + 2);
            if (end == 0)
                return true;
            continue;
        }
        if (c->chunkData) {
            const qint64 take = std::min<qint64>(c->remaining, b.size());
            c->body.append(b.constData(), take);
            b.remove(0, take);
            c->remaining -= take;
            if (c->remaining > 0 || b.size() < 2)
                return false;
            if (!b.startsWith("\r\n")) { // the CRLF after the chunk
                c->status = -1;
                return false;
            }
            b.remove(0, 2);
            c->chunkData = false;
            continue;
        }
        const qsizetype end = b.indexOf("\r\n");
        if (end < 0) {
            if (b.size() > MaxChunkLineBytes)
                c->status = -1;
            return false;
        }
        QByteArrayView size(b.constData(), end);
        if (const qsizetype semicolon = size.indexOf(';'); semicolon >= 0)
            size = size.first(semicolon);
        bool ok = false;
        const qint64 n = size.trimmed().toLongLong(&ok, 16);
        if (!ok || n < 0) {
            c->status = -1;
            return false;
        }
        if (n > MaxBodyBytes - c->body.size()) {
            c->refuse(u"the server's answer is larger than 64 MiB"_s);
            return false;
        }
        b.remove(0, end + 2);
        if (n == 0)
            c->trailers = true;
        else
            c->remaining = n, c->chunkData = true;
    }
}

void BotApiClient::complete(Connection* c)
{
    c->timer->stop();
    Request request = std::move(*c->request);
    c->request.reset();
    ++c->served;
    const BotApiResult result = resultOf(c->status, c->reason, c->retryAfter, c->body, request.use);
    if (c->closeAfter || !c->buffer.isEmpty()) { // told to close, or sent more than was asked for
        drop(c);
    } else {
        c->reset();
        c->idleSince.start();
    }
    dispatch();
    request.deliver(result); // last: it may destroy this client
}

void BotApiClient::fail(Connection* c, const QString& description, bool timedOut)
{
    if (c->dead)
        return;
    c->timer->stop();
    std::optional<Request> request = std::move(c->request);
    c->request.reset();
    const bool resend = request && !timedOut && c->served > 0 && c->received == 0 && !request->resent;
    drop(c);
    if (resend) {
        request->resent = true;
        m_queue.push_front(std::move(*request));
    }
    dispatch();
    if (request && !resend)
        request->deliver(failure(description)); // last: it may destroy this client
}

void BotApiClient::drop(Connection* c)
{
    c->dead = true;
    disconnect(c->socket, nullptr, this, nullptr);
    disconnect(c->timer, nullptr, this, nullptr);
    c->timer->stop();
    c->socket->abort();
    // Later: this may run inside one of the socket's or the timer's own signals.
    c->socket->deleteLater();
    c->timer->deleteLater();
    const auto it = std::find_if(m_connections.begin(), m_connections.end(),
                                 [c](const std::unique_ptr<Connection>& p) { return p.get() == c; });
    if (it != m_connections.end())
        m_connections.erase(it);
}

BotApiResult BotApiClient::failure(QString description) const
{
    BotApiResult result;
    result.kind = Kind::Transient;
    result.httpStatus = 0;
    result.description = redact(std::move(description));
    if (result.description.isEmpty())
        result.description = u"the connection failed"_s;
    if (result.description.size() > MaxDescriptionLength)
        result.description = result.description.left(MaxDescriptionLength) + u"..."_s;
    return result;
}

BotApiResult BotApiClient::resultOf(int status, const QByteArray& reason, const QByteArray& retryAfter,
                                    const QByteArray& body, ResultUse use) const
{
    BotApiResult result;
    if (use != ResultUse::Needed && status >= 200 && status < 300 && body.startsWith("{\"ok\":true")) {
        result.kind = Kind::Ok;
        result.httpStatus = status;
        result.result = QJsonValue(QJsonValue::Null);
        if (use == ResultUse::Raw)
            result.body = body;
        return result;
    }
    result = classify(status, body, retryAfter, QString::fromLatin1(reason));
    if (!result.description.isEmpty()) {
        result.description = redact(std::move(result.description));
        if (result.description.size() > MaxDescriptionLength)
            result.description = result.description.left(MaxDescriptionLength) + u"..."_s;
    }
    return result;
}

} // namespace salesbot
