#include "HttpConnection.h"

#include <QTcpSocket>
#include <QTimer>

namespace salesbot::test {

namespace {

constexpr qsizetype MaxHeaderBytes = 64 * 1024;
constexpr qsizetype MaxBodyBytes = 32 * 1024 * 1024;

bool equalsNoCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

// True when the comma-separated header value holds `token` (case-insensitive).
bool hasToken(QByteArrayView value, QByteArrayView token)
{
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype end = value.indexOf(',', start);
        if (end < 0)
            end = value.size();
        if (equalsNoCase(value.sliced(start, end - start).trimmed(), token))
            return true;
        start = end + 1;
    }
    return false;
}

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket* socket, Handler handler, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(std::move(handler))
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_out.reserve(1024);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_closing = true;
        m_busy = false;
        Q_EMIT closed(this);
        deleteLater();
    });
    if (m_socket->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &HttpConnection::onReadyRead);
}

HttpConnection::~HttpConnection()
{
    m_socket->disconnect(this);
}

void HttpConnection::onReadyRead()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    const qsizetype oldSize = m_buffer.size();
    m_buffer.resize(oldSize + available);
    const qint64 read = m_socket->read(m_buffer.data() + oldSize, available);
    m_buffer.resize(oldSize + qMax<qint64>(read, 0));
    processBuffer();
}

void HttpConnection::processBuffer()
{
    if (m_inProcess)
        return;
    m_inProcess = true;
    while (!m_busy && !m_closing && m_pos < m_buffer.size()) {
        Request request;
        qsizetype consumed = 0;
        int errorStatus = 0;
        const Parse parsed = parseRequest(request, consumed, errorStatus);
        if (parsed == Parse::Incomplete)
            break;
        if (parsed == Parse::Invalid) {
            m_busy = true;
            m_keepAlive = false;
            writeResponse(errorStatus, {}, "text/plain", false);
            m_socket->write(m_out);
            finishResponse();
            break;
        }
        m_busy = true;
        m_continueSent = false;
        ++m_serial;
        m_handler(this, request); // may answer at once, later, or drop the connection
        m_pos += consumed;
    }
    // No view into the buffer outlives a handler call, so it may be compacted now.
    if (m_pos >= m_buffer.size()) {
        m_buffer.resize(0);
        m_pos = 0;
    } else if (m_pos > 0) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    m_inProcess = false;
}

HttpConnection::Parse HttpConnection::parseRequest(Request& request, qsizetype& consumed, int& errorStatus)
{
    // Tolerate empty lines before a request line (RFC 9112 2.2).
    while (m_pos + 1 < m_buffer.size() && m_buffer.at(m_pos) == '\r' && m_buffer.at(m_pos + 1) == '\n')
        m_pos += 2;
    const QByteArrayView data = QByteArrayView(m_buffer).sliced(m_pos);
    const qsizetype headerEnd = data.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (data.size() > MaxHeaderBytes) {
            errorStatus = 431;
            return Parse::Invalid;
        }
        return Parse::Incomplete;
    }
    const QByteArrayView head = data.first(headerEnd);
    qsizetype lineEnd = head.indexOf("\r\n");
    if (lineEnd < 0)
        lineEnd = head.size();
    const QByteArrayView requestLine = head.first(lineEnd);
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 <= sp1 + 1) {
        errorStatus = 400;
        return Parse::Invalid;
    }
    request.method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (const qsizetype q = target.indexOf('?'); q >= 0) {
        request.path = target.first(q);
        request.query = target.sliced(q + 1);
    } else {
        request.path = target;
    }

    bool http10 = version == QByteArrayView("HTTP/1.0");
    bool keepAlive = !http10;
    bool expectContinue = false;
    qsizetype contentLength = 0;
    qsizetype pos = lineEnd + 2;
    while (pos < head.size()) {
        qsizetype end = head.indexOf("\r\n", pos);
        if (end < 0)
            end = head.size();
        const QByteArrayView line = head.sliced(pos, end - pos);
        pos = end + 2;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArrayView name = line.first(colon);
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (equalsNoCase(name, "content-length")) {
            bool ok = false;
            const qlonglong length = value.toLongLong(&ok);
            if (!ok || length < 0) {
                errorStatus = 400;
                return Parse::Invalid;
            }
            if (length > MaxBodyBytes) {
                errorStatus = 413;
                return Parse::Invalid;
            }
            contentLength = static_cast<qsizetype>(length);
        } else if (equalsNoCase(name, "content-type")) {
            request.contentType = value;
        } else if (equalsNoCase(name, "connection")) {
            if (hasToken(value, "close"))
                keepAlive = false;
            else if (hasToken(value, "keep-alive"))
                keepAlive = true;
        } else if (equalsNoCase(name, "transfer-encoding")) {
            if (!hasToken(value, "identity")) {
                errorStatus = 501;
                return Parse::Invalid;
            }
        } else if (equalsNoCase(name, "expect")) {
            expectContinue = hasToken(value, "100-continue");
        }
    }

    const qsizetype bodyStart = headerEnd + 4;
    if (data.size() - bodyStart < contentLength) {
        if (expectContinue && !m_continueSent) {
            m_continueSent = true;
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
        return Parse::Incomplete;
    }
    request.body = data.sliced(bodyStart, contentLength);
    consumed = bodyStart + contentLength;
    m_keepAlive = keepAlive;
    return Parse::Complete;
}

void HttpConnection::respond(int status, QByteArrayView body, QByteArrayView contentType)
{
    if (!m_busy || m_closing || !m_delayed.isEmpty())
        return;
    writeResponse(status, body, contentType, m_keepAlive);
    if (m_delayMs > 0) {
        m_delayed = m_out;
        const int delay = m_delayMs;
        m_delayMs = 0;
        QTimer::singleShot(delay, Qt::PreciseTimer, this, &HttpConnection::sendDelayed);
        return;
    }
    m_socket->write(m_out);
    finishResponse();
}

void HttpConnection::sendDelayed()
{
    if (m_closing)
        return;
    m_socket->write(m_delayed);
    m_delayed.clear();
    finishResponse();
}

void HttpConnection::drop()
{
    if (m_closing)
        return;
    m_closing = true;
    m_busy = false;
    m_socket->abort(); // emits disconnected(): closed() and deleteLater() follow
}

void HttpConnection::writeResponse(int status, QByteArrayView body, QByteArrayView contentType,
                                   bool keepAlive)
{
    m_out.resize(0);
    m_out.append("HTTP/1.1 ");
    m_out.append(QByteArray::number(status));
    m_out.append(' ');
    m_out.append(reasonPhrase(status));
    m_out.append("\r\nContent-Type: ");
    m_out.append(contentType);
    m_out.append("\r\nContent-Length: ");
    m_out.append(QByteArray::number(body.size()));
    m_out.append(keepAlive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
    m_out.append(body);
}

void HttpConnection::finishResponse()
{
    m_busy = false;
    m_delayMs = 0;
    if (!m_keepAlive) {
        m_closing = true;
        m_socket->disconnectFromHost(); // after the pending answer is written
        return;
    }
    if (!m_inProcess && m_pos < m_buffer.size())
        processBuffer();
}

} // namespace salesbot::test
