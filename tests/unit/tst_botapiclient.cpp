// Tests BotApiClient against a tiny canned HTTP server: the request it sends, the classification of every
// kind of answer (and of no answer), exactly-once callbacks, context lifetime, and that the token never
// shows in results or logs.

#include "BotApiClient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using salesbot::BotApiClient;
using salesbot::BotApiResult;
using Kind = BotApiResult::Kind;

Q_DECLARE_METATYPE(salesbot::BotApiResult::Kind)

namespace {

const QString Token = u"123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"_s;
const QString TokenSecret = u"AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"_s;

struct Request
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

struct Response
{
    enum class Action
    {
        Respond,
        Drop,   // close the connection without answering
        Hang,   // never answer
        Raw,    // write `body` as is (not HTTP)
        Pieces, // write `pieces` as they are, `delayMs` apart, then close when `close`
    };
    Action action = Action::Respond;
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QByteArray extraHeaders; // "Name: value\r\n" lines
    int delayMs = 0;
    QList<QByteArray> pieces;
    bool close = false;
};

Response json(int status, const char* body)
{
    Response r;
    r.status = status;
    r.body = body;
    return r;
}

Response html(int status)
{
    Response r;
    r.status = status;
    r.contentType = "text/html";
    r.body = "<html><head><title>" + QByteArray::number(status) +
             " Bad Gateway</title></head><body>nginx</body></html>";
    return r;
}

// A minimal HTTP/1.1 server with keep-alive: records each request and answers it with handler(request).
class CannedServer final
{
public:
    CannedServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const { return QUrl(u"http://127.0.0.1:"_s + QString::number(m_server.serverPort())); }

    std::function<Response(const Request&)> handler = [](const Request&) {
        return json(200, R"({"ok":true,"result":true})");
    };
    QList<Request> requests;
    int connections = 0;

private:
    void accept()
    {
        while (QTcpSocket* socket = m_server.nextPendingConnection()) {
            ++connections;
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { read(socket); });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void read(QTcpSocket* socket)
    {
        QByteArray& buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            Request request;
            const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                           lines[i].mid(colon + 1).trimmed());
            }
            const qsizetype length = request.headers.value("content-length").toLongLong();
            if (buffer.size() < headerEnd + 4 + length)
                return;
            request.body = buffer.mid(headerEnd + 4, length);
            buffer.remove(0, headerEnd + 4 + length);
            requests.append(request);

            const Response response = handler(request);
            switch (response.action) {
            case Response::Action::Drop:
                m_buffers.remove(socket);
                socket->abort();
                return;
            case Response::Action::Hang:
                break;
            case Response::Action::Raw:
                socket->write(response.body);
                socket->disconnectFromHost();
                m_buffers.remove(socket);
                return;
            case Response::Action::Pieces:
                writePieces(socket, response.pieces, response.delayMs, response.close);
                break;
            case Response::Action::Respond:
                if (response.delayMs > 0)
                    QTimer::singleShot(response.delayMs, socket,
                                       [socket, response] { write(socket, response); });
                else
                    write(socket, response);
                break;
            }
        }
    }

    static void writePieces(QTcpSocket* socket, QList<QByteArray> pieces, int delayMs, bool close)
    {
        if (pieces.isEmpty()) {
            if (close)
                socket->disconnectFromHost();
            return;
        }
        socket->write(pieces.takeFirst());
        socket->flush();
        QTimer::singleShot(delayMs, socket,
                           [socket, pieces, delayMs, close] { writePieces(socket, pieces, delayMs, close); });
    }

    static void write(QTcpSocket* socket, const Response& response)
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + " Status\r\n";
        out += "Content-Type: " + response.contentType + "\r\n";
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
        out += "Connection: keep-alive\r\n";
        out += response.extraHeaders;
        out += "\r\n";
        out += response.body;
        socket->write(out);
    }

    QTcpServer m_server;
    QHash<QTcpSocket*, QByteArray> m_buffers;
};

// The outcome of one call as the test sees it.
struct Outcome
{
    int calls = 0;
    BotApiResult result;
};

std::shared_ptr<Outcome> start(BotApiClient& client, const QString& method, const QJsonObject& params,
                               QObject* context, int timeoutMs = 5000)
{
    auto outcome = std::make_shared<Outcome>();
    client.call(
        method, params, context,
        [outcome](const BotApiResult& result) {
            ++outcome->calls;
            outcome->result = result;
        },
        timeoutMs);
    return outcome;
}

// Every log line written while a test runs (the token must never be among them).
QMutex logMutex;
QStringList logLines;
QtMessageHandler previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    {
        QMutexLocker lock(&logMutex);
        logLines.append(message);
    }
    if (previousHandler)
        previousHandler(type, context, message);
}

bool containsToken(const QString& text)
{
    return text.contains(Token) || text.contains(TokenSecret) ||
           text.contains(u"123456789%3A"_s + TokenSecret, Qt::CaseInsensitive);
}

} // namespace

class TestBotApiClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void requestShape();
    void basePathPrefix();
    void classification_data();
    void classification();
    void droppedConnection();
    void notHttp();
    void connectionRefused();
    void timeout();
    void tokenEchoedByServerIsRedacted();
    void invalidMethodName();
    void doneExactlyOnce_data();
    void doneExactlyOnce();
    void keepAlive();
    void contextDestroyedBeforeReply();
    void noContextAlwaysCalled();
    void clientDestroyedWithRequestsInFlight();
    void summaryIsOneLine();
    void framing_data();
    void framing();
    void slowAnswerHasADeadline();
    void throughAProxy();

private:
    std::unique_ptr<CannedServer> m_server;
    std::unique_ptr<BotApiClient> m_client;
    std::unique_ptr<QObject> m_context;
};

void TestBotApiClient::initTestCase()
{
    previousHandler = qInstallMessageHandler(captureMessage);
}

void TestBotApiClient::init()
{
    m_server = std::make_unique<CannedServer>();
    QVERIFY(m_server->listen());
    m_client = std::make_unique<BotApiClient>(m_server->url(), Token);
    m_context = std::make_unique<QObject>();
    QMutexLocker lock(&logMutex);
    logLines.clear();
}

void TestBotApiClient::cleanup()
{
    m_client.reset();
    m_context.reset();
    m_server.reset();
    QMutexLocker lock(&logMutex);
    for (const QString& line : std::as_const(logLines))
        QVERIFY2(!containsToken(line), "a log line contains the token");
}

void TestBotApiClient::cleanupTestCase()
{
    qInstallMessageHandler(previousHandler);
}

void TestBotApiClient::requestShape()
{
    const QJsonObject params{
        {u"chat_id"_s, 42},
        {u"text"_s, u"Привет, \"мир\"\n"_s},
        {u"reply_markup"_s,
         QJsonObject{{u"inline_keyboard"_s, QJsonArray{QJsonArray{QJsonObject{
                                                {u"text"_s, u"A"_s}, {u"callback_data"_s, u"a"_s}}}}}}}};
    const auto outcome = start(*m_client, u"sendMessage"_s, params, m_context.get());
    QTRY_COMPARE(outcome->calls, 1);
    QCOMPARE(outcome->result.kind, Kind::Ok);
    QCOMPARE(m_server->requests.size(), 1);
    const Request& request = m_server->requests.front();
    QCOMPARE(request.method, "POST");
    QCOMPARE(request.path, "/bot" + Token.toUtf8() + "/sendMessage");
    QCOMPARE(request.headers.value("content-type"), "application/json");
    QVERIFY(request.headers.value("connection").compare("keep-alive", Qt::CaseInsensitive) == 0);
    const QJsonDocument body = QJsonDocument::fromJson(request.body);
    QVERIFY(body.isObject());
    QCOMPARE(body.object(), params);
}

void TestBotApiClient::basePathPrefix()
{
    BotApiClient client(QUrl(m_server->url().toString() + u"/tg/api//"_s), Token);
    const auto outcome = start(client, u"getMe"_s, {}, m_context.get());
    QTRY_COMPARE(outcome->calls, 1);
    QCOMPARE(m_server->requests.size(), 1);
    QCOMPARE(m_server->requests.front().path, "/tg/api/bot" + Token.toUtf8() + "/getMe");
    QCOMPARE(m_server->requests.front().body, "{}");
}

void TestBotApiClient::classification_data()
{
    QTest::addColumn<Response>("response");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<int>("errorCode");
    QTest::addColumn<int>("retryAfter");
    QTest::addColumn<QString>("description"); // a part of it
    QTest::addColumn<QByteArray>("result");   // Ok: the result as compact JSON ("null" for null)

    const auto row = [](const char* name, const Response& response, Kind kind, int status, int code,
                        int retryAfter, const QString& description, const QByteArray& result = {}) {
        QTest::newRow(name) << response << kind << status << code << retryAfter << description << result;
    };

    row("ok object", json(200, R"({"ok":true,"result":{"message_id":5,"chat":{"id":42}}})"), Kind::Ok, 200, 0,
        0, {}, R"({"chat":{"id":42},"message_id":5})");
    row("ok true", json(200, R"({"ok":true,"result":true})"), Kind::Ok, 200, 0, 0, {}, "true");
    row("ok null", json(200, R"({"ok":true,"result":null})"), Kind::Ok, 200, 0, 0, {}, "null");
    row("ok without result", json(200, R"({"ok":true})"), Kind::Ok, 200, 0, 0, {}, "null");
    row("ok array", json(200, R"({"ok":true,"result":[]})"), Kind::Ok, 200, 0, 0, {}, "[]");
    row("429 with retry_after",
        json(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7",
                      "parameters":{"retry_after":7}})"),
        Kind::RetryAfter, 429, 429, 7, u"Too Many Requests"_s);
    row("429 without retry_after",
        json(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests"})"), Kind::RetryAfter,
        429, 429, 1, u"Too Many Requests"_s);
    row("429 retry_after huge",
        json(429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":99999}})"), Kind::RetryAfter,
        429, 429, 3600, u"HTTP 429"_s);
    row("429 retry_after zero", json(429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":0}})"),
        Kind::RetryAfter, 429, 429, 1, {});
    row("429 retry_after negative",
        json(429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":-5}})"), Kind::RetryAfter, 429,
        429, 1, {});
    row("429 retry_after bad",
        json(429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":"soon"}})"), Kind::RetryAfter,
        429, 429, 1, {});
    row("429 retry_after string number",
        json(429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":"12"}})"), Kind::RetryAfter,
        429, 429, 12, {});
    row("429 in body with HTTP 200",
        json(200, R"({"ok":false,"error_code":429,"parameters":{"retry_after":3}})"), Kind::RetryAfter, 200,
        429, 3, {});
    {
        Response r = html(429);
        r.extraHeaders = "Retry-After: 5\r\n";
        row("HTTP 429 from a proxy with Retry-After", r, Kind::RetryAfter, 429, 0, 5, u"HTTP 429"_s);
    }
    row("HTTP 429 from a proxy without anything", html(429), Kind::RetryAfter, 429, 0, 1, u"HTTP 429"_s);
    row("400 not modified",
        json(
            400,
            R"({"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new
             message content and reply markup are exactly the same as a current content and reply markup of the message"})"),
        Kind::NotModified, 400, 400, 0, u"message is not modified"_s);
    row("400 chat not found",
        json(400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})"),
        Kind::BadRequest, 400, 400, 0, u"Bad Request: chat not found"_s);
    row("403 blocked",
        json(403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})"),
        Kind::Blocked, 403, 403, 0, u"blocked by the user"_s);
    row("403 deactivated",
        json(403, R"({"ok":false,"error_code":403,"description":"Forbidden: user is deactivated"})"),
        Kind::Blocked, 403, 403, 0, u"deactivated"_s);
    row("403 cannot initiate",
        json(
            403,
            R"({"ok":false,"error_code":403,"description":"Forbidden: bot can't initiate conversation with a user"})"),
        Kind::Blocked, 403, 403, 0, u"initiate"_s);
    row("403 kicked",
        json(
            403,
            R"({"ok":false,"error_code":403,"description":"Forbidden: bot was kicked from the group chat"})"),
        Kind::Blocked, 403, 403, 0, u"kicked"_s);
    row("403 other",
        json(
            403,
            R"({"ok":false,"error_code":403,"description":"Forbidden: not enough rights to send text messages"})"),
        Kind::BadRequest, 403, 403, 0, u"not enough rights"_s);
    row("401", json(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})"), Kind::Unauthorized,
        401, 401, 0, u"Unauthorized"_s);
    row("404", json(404, R"({"ok":false,"error_code":404,"description":"Not Found"})"), Kind::Unauthorized,
        404, 404, 0, u"Not Found"_s);
    row("404 html", html(404), Kind::Unauthorized, 404, 0, 0, u"HTTP 404"_s);
    row("409",
        json(
            409,
            R"({"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"})"),
        Kind::Conflict, 409, 409, 0, u"only one bot instance"_s);
    row("500 html", html(500), Kind::Transient, 500, 0, 0, u"not Bot API JSON"_s);
    row("502 html", html(502), Kind::Transient, 502, 0, 0, u"HTTP 502"_s);
    row("500 json", json(500, R"({"ok":false,"error_code":500,"description":"Internal Server Error"})"),
        Kind::Transient, 500, 500, 0, u"Internal Server Error"_s);
    row("408", json(408, R"({"ok":false,"error_code":408,"description":"Request Timeout"})"), Kind::Transient,
        408, 408, 0, u"Request Timeout"_s);
    row("200 garbage", json(200, "<html>captive portal</html>"), Kind::Transient, 200, 0, 0,
        u"not Bot API JSON"_s);
    row("200 empty", json(200, ""), Kind::Transient, 200, 0, 0, u"HTTP 200"_s);
    row("200 json without ok", json(200, R"({"result":true})"), Kind::Transient, 200, 0, 0,
        u"not Bot API JSON"_s);
    row("200 json array", json(200, "[1,2]"), Kind::Transient, 200, 0, 0, u"not Bot API JSON"_s);
    row("200 ok false without code", json(200, R"({"ok":false})"), Kind::Transient, 200, 0, 0, u"HTTP 200"_s);
    row("200 ok false with code 400",
        json(200, R"({"ok":false,"error_code":400,"description":"Bad Request: x"})"), Kind::BadRequest, 200,
        400, 0, u"Bad Request: x"_s);
    row("ok true with HTTP 500", json(500, R"({"ok":true,"result":true})"), Kind::Transient, 500, 0, 0,
        u"HTTP 500"_s);
    row("418 other 4xx", json(418, R"({"ok":false,"error_code":418})"), Kind::BadRequest, 418, 418, 0,
        u"HTTP 418"_s);
    {
        Response r = html(301);
        r.extraHeaders = "Location: http://127.0.0.1:1/elsewhere\r\n";
        row("redirect not followed", r, Kind::Transient, 301, 0, 0, u"redirects are not followed"_s);
    }
}

void TestBotApiClient::classification()
{
    QFETCH(Response, response);
    QFETCH(Kind, kind);
    QFETCH(int, httpStatus);
    QFETCH(int, errorCode);
    QFETCH(int, retryAfter);
    QFETCH(QString, description);
    QFETCH(QByteArray, result);

    m_server->handler = [response](const Request&) {
        return response;
    };
    QSignalSpy finished(m_client.get(), &BotApiClient::requestFinished);
    const auto outcome = start(*m_client, u"sendMessage"_s, {{u"chat_id"_s, 42}}, m_context.get());
    QCOMPARE(m_client->inFlight(), 1);
    QTRY_COMPARE(outcome->calls, 1);
    QCOMPARE(m_client->inFlight(), 0);

    const BotApiResult& r = outcome->result;
    QCOMPARE(r.kind, kind);
    QCOMPARE(r.httpStatus, httpStatus);
    QCOMPARE(r.errorCode, errorCode);
    QCOMPARE(r.retryAfterSeconds, retryAfter);
    QCOMPARE(r.isSuccess(), kind == Kind::Ok || kind == Kind::NotModified);
    QVERIFY2(r.description.contains(description), qPrintable(r.description));
    if (kind == Kind::Ok) {
        QVERIFY(r.description.isEmpty());
        QByteArray actual;
        if (r.result.isNull())
            actual = "null";
        else if (r.result.isBool())
            actual = r.result.toBool() ? "true" : "false";
        else if (r.result.isObject())
            actual = QJsonDocument(r.result.toObject()).toJson(QJsonDocument::Compact);
        else if (r.result.isArray())
            actual = QJsonDocument(r.result.toArray()).toJson(QJsonDocument::Compact);
        QCOMPARE(actual, result);
    }
    QVERIFY(!containsToken(r.description));
    QVERIFY(!containsToken(r.summary()));
    QCOMPARE(m_server->requests.size(), 1); // no retries, no redirects followed

    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.front().at(0).toString(), u"sendMessage"_s);
    QCOMPARE(finished.front().at(1).value<Kind>(), kind);
    QTest::qWait(20);
    QCOMPARE(outcome->calls, 1);
}

void TestBotApiClient::droppedConnection()
{
    m_server->handler = [](const Request&) {
        Response r;
        r.action = Response::Action::Drop;
        return r;
    };
    const auto outcome = start(*m_client, u"sendMessage"_s, {{u"chat_id"_s, 42}}, m_context.get());
    QTRY_COMPARE(outcome->calls, 1);
    QCOMPARE(outcome->result.kind, Kind::Transient);
    QCOMPARE(outcome->result.httpStatus, 0);
    QVERIFY(!outcome->result.description.isEmpty());
    QVERIFY2(!containsToken(outcome->result.summary()), qPrintable(outcome->result.summary()));
    QCOMPARE(m_client->inFlight(), 0);
}

void TestBotApiClient::notHttp()
{
    m_server->handler = [](const Request&) {
        Response r;
        r.action = Response::Action::Raw;
        r.body = "SSH-2.0-OpenSSH_9.2\r\n\r\n";
        return r;
    };
    const auto outcome = start(*m_client, u"getMe"_s, {}, m_context.get());
    QTRY_COMPARE(outcome->calls, 1);
    QCOMPARE(outcome->result.kind, Kind::Transient);
    QVERIFY2(!containsToken(outcome->result.summary()), qPrintable(outcome->result.summary()));
}

void TestBotApiClient::connectionRefused()
{
    // A port that was just free: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    BotApiClient client(QUrl(u"http://127.0.0.1:"_s + QString::number(port)), Token);
    const auto outcome = start(client, u"getMe"_s, {}, m_context.get());
    QTRY_COMPARE(outcome->calls, 1);
    QCOMPARE(outcome->result.kind, Kind::Transient);
    QCOMPARE(outcome->result.httpStatus, 0);
    QVERIFY(!outcome->result.description.isEmpty());
    QVERIFY2(!containsToken(outcome->result.summary()), qPrintable(outcome->result.summary()));
}

void TestBotApiClient::timeout()
{
    m_server->handler = [](const Request&) {
        Response r;
        r.action = Response::Action::Hang;
        return r;
    };
    QElapsedTimer timer;
    timer.start();
    const auto outcome = start(*m_client, u"getUpdates"_s, {{u"timeout"_s, 0}}, m_context.get(), 300);
    QTRY_COMPARE_WITH_TIMEOUT(outcome->calls, 1, 5000);
    QVERIFY2(timer.elapsed() >= 250 && timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(outcome->result.kind, Kind::Transient);
    QCOMPARE(outcome->result.httpStatus, 0);
    QVERIFY2(outcome->result.description.contains(u"300 ms"_s), qPrintable(outcome->result.description));
    QCOMPARE(m_client->inFlight(), 0);
    QTest::qWait(50);
    QCOMPARE(outcome->calls, 1);
}

void TestBotApiClient::tokenEchoedByServerIsRedacted()
{
    m_server->handler = [](const Request& request) {
        // Echo the path (with the token, also percent-encoded) back in the description, as a bad proxy might.
        const QByteArray encoded = QByteArray(request.path).replace(':', "%3A");
        return json(400, QByteArray(R"({"ok":false,"error_code":400,"description":"bad )" + request.path +
                                    " " + encoded + R"("})")
                             .constData());
    };
    const auto outcome = start(*m_client, u"sendMessage"_s, {}, m_context.get());
    QTRY_COMPARE(outcome->calls, 1);
    QCOMPARE(outcome->result.kind, Kind::BadRequest);
    QVERIFY2(!containsToken(outcome->result.description), qPrintable(outcome->result.description));
    QVERIFY(outcome->result.description.contains(u"<redacted>"_s));
    QVERIFY(!containsToken(outcome->result.summary()));

    QCOMPARE(m_client->redact(u"url /bot"_s + Token + u"/getMe"_s), u"url /bot<redacted>/getMe"_s);
}

void TestBotApiClient::invalidMethodName()
{
    bool inside = true;
    const auto outcome = std::make_shared<Outcome>();
    m_client->call(u"send/../Message"_s, {}, m_context.get(), [outcome, &inside](const BotApiResult& result) {
        QVERIFY(!inside); // never from inside call()
        ++outcome->calls;
        outcome->result = result;
    });
    inside = false;
    QTRY_COMPARE(outcome->calls, 1);
    QCOMPARE(outcome->result.kind, Kind::BadRequest);
    QCOMPARE(m_server->requests.size(), 0);
    QCOMPARE(m_client->inFlight(), 0);
}

void TestBotApiClient::doneExactlyOnce_data()
{
    QTest::addColumn<bool>("withDrops");
    QTest::newRow("answers only") << false;
    QTest::newRow("with dropped connections") << true;
}

void TestBotApiClient::doneExactlyOnce()
{
    QFETCH(bool, withDrops);
    const int kinds = withDrops ? 5 : 4;
    int served = 0;
    m_server->handler = [&served, kinds](const Request& request) {
        const int i = QJsonDocument::fromJson(request.body).object().value(u"i").toInt();
        ++served;
        switch (i % kinds) {
        case 0:
            return json(200, R"({"ok":true,"result":true})");
        case 1:
            return json(429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":2}})");
        case 2:
            return html(502);
        case 3: {
            Response r = json(
                403,
                R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})");
            r.delayMs = 30;
            return r;
        }
        default: {
            Response r;
            r.action = Response::Action::Drop;
            return r;
        }
        }
    };
    QSignalSpy finished(m_client.get(), &BotApiClient::requestFinished);
    constexpr int Calls = 60;
    QList<std::shared_ptr<Outcome>> outcomes;
    for (int i = 0; i < Calls; ++i)
        outcomes.append(start(*m_client, u"sendMessage"_s, {{u"i"_s, i}}, m_context.get()));
    QCOMPARE(m_client->inFlight(), Calls);
    QTRY_COMPARE_WITH_TIMEOUT(m_client->inFlight(), 0, 10000);
    QTest::qWait(100);
    for (int i = 0; i < Calls; ++i) {
        QCOMPARE(outcomes[i]->calls, 1);
        const Kind expected = std::array{Kind::Ok, Kind::RetryAfter, Kind::Transient, Kind::Blocked,
                                         Kind::Transient}[static_cast<size_t>(i % kinds)];
        // Qt's HTTP/1 channel fails every request still queued for the host when a connection dies for good
        // ("Connection closed"): such requests were never sent and come back Transient.
        if (withDrops && outcomes[i]->result.kind == Kind::Transient)
            continue;
        QCOMPARE(outcomes[i]->result.kind, expected);
    }
    QCOMPARE(finished.size(), Calls);
    if (!withDrops)
        QCOMPARE(served, Calls);
}

void TestBotApiClient::keepAlive()
{
    for (int i = 0; i < 5; ++i) {
        const auto outcome = start(*m_client, u"getMe"_s, {}, m_context.get());
        QTRY_COMPARE(outcome->calls, 1);
        QCOMPARE(outcome->result.kind, Kind::Ok);
    }
    QCOMPARE(m_server->requests.size(), 5);
    QCOMPARE(m_server->connections, 1);
}

void TestBotApiClient::contextDestroyedBeforeReply()
{
    m_server->handler = [](const Request&) {
        Response r = json(200, R"({"ok":true,"result":true})");
        r.delayMs = 150;
        return r;
    };
    QSignalSpy finished(m_client.get(), &BotApiClient::requestFinished);
    auto context = std::make_unique<QObject>();
    const auto outcome = start(*m_client, u"sendMessage"_s, {}, context.get());
    const auto kept = start(*m_client, u"sendMessage"_s, {}, m_context.get());
    QTRY_COMPARE(m_server->requests.size(), 2);
    context.reset();
    QTRY_COMPARE(m_client->inFlight(), 0);
    QTRY_COMPARE(kept->calls, 1);
    QTest::qWait(50);
    QCOMPARE(outcome->calls, 0);
    QCOMPARE(finished.size(), 2); // metrics still see both
}

void TestBotApiClient::noContextAlwaysCalled()
{
    const auto outcome = start(*m_client, u"getMe"_s, {}, nullptr);
    QTRY_COMPARE(outcome->calls, 1);
    QCOMPARE(outcome->result.kind, Kind::Ok);
}

void TestBotApiClient::clientDestroyedWithRequestsInFlight()
{
    m_server->handler = [](const Request&) {
        Response r;
        r.action = Response::Action::Hang;
        return r;
    };
    auto client = std::make_unique<BotApiClient>(m_server->url(), Token);
    QList<std::shared_ptr<Outcome>> outcomes;
    for (int i = 0; i < 3; ++i)
        outcomes.append(start(*client, u"sendMessage"_s, {}, m_context.get()));
    QTRY_COMPARE(m_server->requests.size(), 3);
    client.reset();
    QTest::qWait(100);
    for (const auto& outcome : std::as_const(outcomes))
        QCOMPARE(outcome->calls, 0);
}

void TestBotApiClient::summaryIsOneLine()
{
    BotApiResult result;
    result.kind = Kind::RetryAfter;
    result.retryAfterSeconds = 7;
    result.httpStatus = 429;
    result.errorCode = 429;
    result.description = u"Too Many Requests:\nretry\r\nafter 7"_s;
    QCOMPARE(result.summary(), u"retry_after 7s http=429 code=429: Too Many Requests: retry  after 7"_s);
    QVERIFY(!result.isSuccess());

    BotApiResult ok;
    ok.kind = Kind::Ok;
    ok.httpStatus = 200;
    QCOMPARE(ok.summary(), u"ok http=200"_s);
    QVERIFY(ok.isSuccess());
    BotApiResult notModified;
    notModified.kind = Kind::NotModified;
    QVERIFY(notModified.isSuccess());
}

Response pieces(QList<QByteArray> parts, bool close = false, int delayMs = 5)
{
    Response r;
    r.action = Response::Action::Pieces;
    r.pieces = std::move(parts);
    r.close = close;
    r.delayMs = delayMs;
    return r;
}

// Every byte on its own write.
QList<QByteArray> bytewise(const QByteArray& text)
{
    QList<QByteArray> parts;
    for (char c : text)
        parts.append(QByteArray(1, c));
    return parts;
}

void TestBotApiClient::framing_data()
{
    QTest::addColumn<Response>("response");
    QTest::addColumn<QString>("problem"); // empty: {"ok":true,"result":[1,2]} must be read

    const QByteArray ok = R"({"ok":true,"result":[1,2]})";
    QTest::newRow("chunked, extension, trailer")
        << pieces({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                   "5;name=x\r\n" + ok.left(5) + "\r\n",
                   QByteArray::number(ok.size() - 5, 16) + "\r\n" + ok.mid(5) + "\r\n",
                   "0\r\nX-Trailer: 1\r\n\r\n"})
        << QString();
    QTest::newRow("CHUNKED in capitals")
        << pieces({"HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: CHUNKED\r\n\r\n" +
                   QByteArray::number(ok.size(), 16) + "\r\n" + ok + "\r\n0\r\n\r\n"})
        << QString();
    QTest::newRow("headers one byte at a time")
        << pieces(bytewise("HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(ok.size()) +
                           "\r\n\r\n" + ok),
                  false, 1)
        << QString();
    QTest::newRow("100 Continue first")
        << pieces({"HTTP/1.1 100 Continue\r\nTransfer-Encoding: chunked\r\n\r\n",
                   "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(ok.size()) + "\r\n\r\n" + ok})
        << QString();
    QTest::newRow("body until close")
        << pieces({"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", ok.left(9), ok.mid(9)}, true) << QString();
    QTest::newRow("HTTP/1.0 without length") << pieces({"HTTP/1.0 200 OK\r\n\r\n" + ok}, true) << QString();
    QTest::newRow("two different lengths")
        << pieces({"HTTP/1.1 200 OK\r\nContent-Length: 26\r\nContent-Length: 2\r\n\r\n" + ok})
        << u"not HTTP"_s;
    QTest::newRow("three lengths, the last one right")
        << pieces(
               {"HTTP/1.1 200 OK\r\nContent-Length: 26\r\nContent-Length: 2\r\nContent-Length: 26\r\n\r\n" +
                ok})
        << u"not HTTP"_s;
    QTest::newRow("ten gigabytes announced")
        << pieces({"HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n" + ok}) << u"64 MiB"_s;
    QTest::newRow("a huge chunk announced")
        << pieces({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\n" + ok})
        << u"64 MiB"_s;
    QTest::newRow("endless chunk-size line")
        << pieces({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + QByteArray(4000, '1')})
        << u"not HTTP"_s;
    QTest::newRow("chunk without its CRLF")
        << pieces({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY0\r\n\r\n"})
        << u"not HTTP"_s;
    QTest::newRow("endless headers") << pieces({"HTTP/1.1 200 OK\r\nX-Filler: " + QByteArray(70 * 1024, 'a')})
                                     << u"64 KiB"_s;
}

void TestBotApiClient::framing()
{
    QFETCH(Response, response);
    QFETCH(QString, problem);
    m_server->handler = [response](const Request&) {
        return response;
    };
    const auto outcome = start(*m_client, u"getUpdates"_s, {}, m_context.get());
    QTRY_COMPARE_WITH_TIMEOUT(outcome->calls, 1, 10000);
    if (problem.isEmpty()) {
        QCOMPARE(outcome->result.kind, Kind::Ok);
        QCOMPARE(outcome->result.result.toArray(), (QJsonArray{1, 2}));
    } else {
        QCOMPARE(outcome->result.kind, Kind::Transient);
        QVERIFY2(outcome->result.description.contains(problem), qPrintable(outcome->result.description));
    }
    // The client is still usable afterwards.
    m_server->handler = [](const Request&) {
        return json(200, R"({"ok":true,"result":true})");
    };
    const auto next = start(*m_client, u"getMe"_s, {}, m_context.get());
    QTRY_COMPARE(next->calls, 1);
    QCOMPARE(next->result.kind, Kind::Ok);
    QCOMPARE(m_client->inFlight(), 0);
}

void TestBotApiClient::slowAnswerHasADeadline()
{
    // One byte every 50 ms is progress enough for a 300 ms timeout, but the whole answer may take only four.
    m_server->handler = [](const Request&) {
        return pieces(bytewise("HTTP/1.1 200 OK\r\nContent-Length: 26\r\nX-Padding: " + QByteArray(200, 'p')),
                      false, 50);
    };
    QElapsedTimer timer;
    timer.start();
    const auto outcome = start(*m_client, u"getMe"_s, {}, m_context.get(), 300);
    QTRY_COMPARE_WITH_TIMEOUT(outcome->calls, 1, 8000);
    QCOMPARE(outcome->result.kind, Kind::Transient);
    QVERIFY2(outcome->result.description.contains(u"longer than 1200 ms"_s),
             qPrintable(outcome->result.description));
    QVERIFY2(timer.elapsed() < 4000, QByteArray::number(timer.elapsed()).constData());
}

// A proxy that understands CONNECT only, as corporate proxies are used for https.
class ConnectProxy final
{
public:
    ConnectProxy()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket* client = m_server.nextPendingConnection())
                serve(client);
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }
    QList<QByteArray> connects;

private:
    void serve(QTcpSocket* client)
    {
        auto* upstream = new QTcpSocket(client);
        auto head = std::make_shared<QByteArray>();
        QObject::connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        QObject::connect(client, &QTcpSocket::readyRead, client, [this, client, upstream, head] {
            if (upstream->state() == QAbstractSocket::ConnectedState) {
                upstream->write(client->readAll());
                return;
            }
            *head += client->readAll();
            const qsizetype end = head->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> request = head->left(head->indexOf("\r\n")).split(' ');
            connects.append(request.value(0) + ' ' + request.value(1));
            const QByteArray rest = head->mid(end + 4);
            const QList<QByteArray> hostPort = request.value(1).split(':');
            QObject::connect(upstream, &QTcpSocket::connected, client, [client, upstream, rest] {
                client->write("HTTP/1.1 200 Connection established\r\n\r\n");
                if (!rest.isEmpty())
                    upstream->write(rest);
            });
            QObject::connect(upstream, &QTcpSocket::readyRead, client,
                             [client, upstream] { client->write(upstream->readAll()); });
            QObject::connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
            // Every name is this machine: the test's made-up host included.
            upstream->connectToHost(QHostAddress(QHostAddress::LocalHost),
                                    quint16(hostPort.value(1).toUInt()));
        });
    }
    QTcpServer m_server;
};

void TestBotApiClient::throughAProxy()
{
    // The proxy resolves the name, so a made-up host reaches the canned server (Qt never proxies loopback).
    ConnectProxy proxy;
    QVERIFY(proxy.listen());
    const QUrl url(u"http://api.telegram.test:"_s + QString::number(m_server->url().port()));
    // The proxy a QNetworkAccessManager would take for this URL is taken, as a tunnel.
    QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, proxy.port()));
    BotApiClient client(url, Token);
    BotApiClient local(m_server->url(), Token);
    QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::DefaultProxy));
    const auto outcome = start(client, u"getMe"_s, {}, m_context.get());
    QTRY_COMPARE(outcome->calls, 1);
    QCOMPARE(outcome->result.kind, Kind::Ok);
    QCOMPARE(proxy.connects,
             QList<QByteArray>{"CONNECT api.telegram.test:" + QByteArray::number(url.port())});
    QCOMPARE(m_server->requests.size(), 1);
    QCOMPARE(m_server->requests.front().path, "/bot" + Token.toUtf8() + "/getMe");
    QCOMPARE(m_server->requests.front().headers.value("host"),
             "api.telegram.test:" + QByteArray::number(url.port()));
    // A loopback server is reached directly even with a proxy configured.
    const auto second = start(local, u"getMe"_s, {}, m_context.get());
    QTRY_COMPARE(second->calls, 1);
    QCOMPARE(second->result.kind, Kind::Ok);
    QCOMPARE(proxy.connects.size(), 1);
}

QTEST_GUILESS_MAIN(TestBotApiClient)
#include "tst_botapiclient.moc"
