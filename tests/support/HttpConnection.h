#pragma once

// One server-side HTTP/1.1 connection of FakeBotApi: parses requests from a socket and writes their answers
// in order.

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>

#include <functional>

class QTcpSocket;

namespace salesbot::test {

// Decisions:
// - Requests on one connection are handled strictly one at a time: the next buffered request (pipelining,
//   several requests in one read) is parsed only after the current one has been answered, so an answer
//   may be given later (long polling, delays) without breaking the order of answers.
// - Bodies need Content-Length (no chunked uploads: 501 and close). Keep-alive is the HTTP/1.1 default;
//   "Connection: close" (or HTTP/1.0 without keep-alive) closes after the answer.
// - The views in Request point into the read buffer and are valid only during the handler call.
// - The connection deletes itself (deleteLater) when the socket disconnects, after emitting closed().
class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    struct Request
    {
        QByteArrayView method; // GET, POST ...
        QByteArrayView path;   // still percent-encoded
        QByteArrayView query;  // after '?', without it
        QByteArrayView contentType;
        QByteArrayView body;
    };
    using Handler = std::function<void(HttpConnection* connection, const Request& request)>;

    // Takes ownership of `socket`.
    HttpConnection(QTcpSocket* socket, Handler handler, QObject* parent = nullptr);
    ~HttpConnection() override;

    // Answers the current request. Ignored when no request is waiting for an answer.
    void respond(int status, QByteArrayView body, QByteArrayView contentType = "application/json");
    // The answer to the current request is written this many milliseconds after respond().
    void setResponseDelay(int ms) { m_delayMs = ms; }
    // Closes the connection at once without answering the current request.
    void drop();

    // True between the handler call for a request and its answer.
    bool isAwaitingResponse() const { return m_busy; }
    // Increases with every request handed to the handler; identifies the request an answer is for.
    quint64 requestSerial() const { return m_serial; }

Q_SIGNALS:
    void closed(salesbot::test::HttpConnection* connection);

private:
    enum class Parse
    {
        Incomplete,
        Complete,
        Invalid
    };

    void onReadyRead();
    void processBuffer();
    Parse parseRequest(Request& request, qsizetype& consumed, int& errorStatus);
    void writeResponse(int status, QByteArrayView body, QByteArrayView contentType, bool keepAlive);
    void finishResponse();
    void sendDelayed();

    QTcpSocket* m_socket = nullptr;
    Handler m_handler;
    QByteArray m_buffer; // received bytes; requests start at m_pos
    qsizetype m_pos = 0;
    QByteArray m_out;     // the answer being built (capacity reused)
    QByteArray m_delayed; // an answer waiting for its delay
    quint64 m_serial = 0;
    int m_delayMs = 0;
    bool m_busy = false;
    bool m_keepAlive = true; // of the current request
    bool m_inProcess = false;
    bool m_closing = false;
    bool m_continueSent = false;
};

} // namespace salesbot::test
