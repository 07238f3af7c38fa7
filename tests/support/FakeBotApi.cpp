#include "FakeBotApi.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace salesbot::test {

namespace {

constexpr qint64 NsPerSecond = 1'000'000'000;
constexpr qsizetype MaxTextLength = 4096;
constexpr qsizetype MaxCallbackDataBytes = 64;
constexpr QByteArrayView JsonType = "application/json";

// Method names as Telegram documents them, in the order of FakeBotApi::Method.
constexpr QLatin1StringView MethodNames[] = {
    "getMe"_L1,           "getUpdates"_L1,          "sendMessage"_L1,
    "editMessageText"_L1, "answerCallbackQuery"_L1, "setMyCommands"_L1,
    "deleteMessage"_L1,   "sendChatAction"_L1,      "deleteWebhook"_L1,
};

const QString NotModified =
    u"Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message"_s;
const QString Conflict = u"Conflict: terminated by other getUpdates request; make sure that only one bot "
                         "instance is running"_s;
const QString BadMarkup = u"Bad Request: can't parse reply keyboard markup JSON object"_s;

// Appends the text as a JSON string, quotes included, the way Telegram writes it: UTF-8 as it is, with the
// quote, the backslash and control characters escaped. The emulator writes its answers and updates as bytes:
// building QJsonObjects and serializing them was about a third of its CPU in the engine's benchmark, CPU
// that the real Telegram does not take from the bot's machine.
void appendJsonString(QByteArray& out, QStringView text)
{
    static constexpr char Hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    const char* begin = utf8.constData();
    const char* const end = begin + utf8.size();
    out.append('"');
    for (const char* p = begin; p != end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(begin, p - begin);
        begin = p + 1;
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        case '\b':
            out.append("\\b");
            break;
        case '\f':
            out.append("\\f");
            break;
        default:
            out.append("\\u00");
            out.append(Hex[c >> 4]);
            out.append(Hex[c & 0xf]);
        }
    }
    out.append(begin, end - begin);
    out.append('"');
}

QByteArray jsonString(const QString& text)
{
    QByteArray out;
    appendJsonString(out, text);
    return out;
}

// "text":"..." as a member of a message.
QByteArray textMember(QStringView text)
{
    QByteArray member = "\"text\":";
    appendJsonString(member, text);
    return member;
}

// The members of a JSON object without its braces, to be written into a larger object.
QByteArray objectMembers(const QJsonObject& object)
{
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return json.sliced(1, json.size() - 2);
}

QByteArray errorBody(int code, const QString& description)
{
    return "{\"ok\":false,\"error_code\":" + QByteArray::number(code) +
           ",\"description\":" + jsonString(description) + '}';
}

QByteArray retryAfterBody(int seconds)
{
    const QByteArray n = QByteArray::number(seconds);
    return "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after " + n +
           "\",\"parameters\":{\"retry_after\":" + n + "}}";
}

QByteArrayView contentTypeOf(QByteArrayView body)
{
    const QByteArrayView trimmed = body.trimmed();
    if (trimmed.startsWith('{') || trimmed.startsWith('['))
        return JsonType;
    if (trimmed.startsWith('<'))
        return "text/html";
    return "text/plain";
}

bool startsWithNoCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() &&
           text.first(prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0;
}

QString decodeFormPart(QByteArrayView part)
{
    if (!part.contains('%') && !part.contains('+'))
        return QString::fromUtf8(part);
    QByteArray bytes = part.toByteArray();
    bytes.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(bytes));
}

void parseForm(QByteArrayView form, QJsonObject& out)
{
    qsizetype start = 0;
    while (start < form.size()) {
        qsizetype end = form.indexOf('&', start);
        if (end < 0)
            end = form.size();
        const QByteArrayView pair = form.sliced(start, end - start);
        start = end + 1;
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        if (eq < 0)
            out.insert(decodeFormPart(pair), QString());
        else
            out.insert(decodeFormPart(pair.first(eq)), decodeFormPart(pair.sliced(eq + 1)));
    }
}

// Parameters as Telegram reads them: the query string, then the body.
bool parseParams(const HttpConnection::Request& request, QJsonObject& out, QString& error)
{
    if (!request.query.isEmpty())
        parseForm(request.query, out);
    const QByteArrayView body = request.body;
    if (body.isEmpty())
        return true;
    const QByteArrayView type = request.contentType;
    if (startsWithNoCase(type, "application/json") || (type.isEmpty() && body.trimmed().startsWith('{'))) {
        QJsonParseError parseError;
        const QJsonDocument document =
            QJsonDocument::fromJson(QByteArray::fromRawData(body.data(), body.size()), &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            error = u"Bad Request: can't parse JSON object"_s;
            return false;
        }
        if (out.isEmpty()) {
            out = document.object();
        } else {
            const QJsonObject object = document.object();
            for (auto it = object.begin(); it != object.end(); ++it)
                out.insert(it.key(), it.value());
        }
    } else if (startsWithNoCase(type, "application/x-www-form-urlencoded")) {
        parseForm(body, out);
    } else if (startsWithNoCase(type, "multipart/")) {
        error = u"Bad Request: multipart/form-data is not supported by FakeBotApi"_s;
        return false;
    }
    return true;
}

bool toInt64(const QJsonValue& value, qint64& out)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (d != std::floor(d))
            return false;
        out = value.toInteger();
        return true;
    }
    if (value.isString()) {
        bool ok = false;
        out = value.toString().trimmed().toLongLong(&ok);
        return ok;
    }
    return false;
}

double toDouble(const QJsonValue& value, double fallback)
{
    if (value.isDouble())
        return value.toDouble();
    if (value.isString()) {
        bool ok = false;
        const double d = value.toString().toDouble(&ok);
        return ok ? d : fallback;
    }
    return fallback;
}

QString toText(const QJsonValue& value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    return {};
}

// reply_markup: a JSON object, or a string holding one (form and query parameters).
bool toObject(const QJsonValue& value, QJsonObject& out)
{
    if (value.isUndefined() || value.isNull())
        return true;
    if (value.isObject()) {
        out = value.toObject();
        return true;
    }
    if (!value.isString())
        return false;
    const QString text = value.toString();
    if (text.trimmed().isEmpty())
        return true;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return false;
    out = document.object();
    return true;
}

QString buttonText(const QJsonValue& button)
{
    return button.isString() ? button.toString() : button.toObject().value("text"_L1).toString();
}

// Empty when Telegram would accept the markup, else its error description.
QString checkMarkup(const QJsonObject& markup, bool inlineOnly)
{
    if (markup.isEmpty())
        return {};
    if (const QJsonValue keyboard = markup.value("inline_keyboard"_L1); !keyboard.isUndefined()) {
        if (!keyboard.isArray())
            return BadMarkup;
        for (const QJsonValue& row : keyboard.toArray()) {
            if (!row.isArray())
                return BadMarkup;
            for (const QJsonValue& value : row.toArray()) {
                const QJsonObject button = value.toObject();
                if (!value.isObject() || !button.value("text"_L1).isString())
                    return u"Bad Request: can't parse inline keyboard button: Field \"text\" must be of type String"_s;
                const bool hasAction = button.contains("callback_data"_L1) || button.contains("url"_L1) ||
                                       button.contains("switch_inline_query"_L1) ||
                                       button.contains("switch_inline_query_current_chat"_L1) ||
                                       button.contains("web_app"_L1) || button.contains("login_url"_L1) ||
                                       button.contains("pay"_L1) || button.contains("callback_game"_L1);
                if (!hasAction)
                    return u"Bad Request: can't parse inline keyboard button: Text buttons are unallowed in "
                           u"the "
                           "inline keyboard"_s;
                const QJsonValue data = button.value("callback_data"_L1);
                if (!data.isUndefined() && (!data.isString() || data.toString().isEmpty() ||
                                            data.toString().toUtf8().size() > MaxCallbackDataBytes))
                    return u"Bad Request: BUTTON_DATA_INVALID"_s;
            }
        }
        return {};
    }
    if (const QJsonValue keyboard = markup.value("keyboard"_L1); !keyboard.isUndefined()) {
        if (inlineOnly)
            return u"Bad Request: inline keyboard expected"_s;
        if (!keyboard.isArray())
            return BadMarkup;
        for (const QJsonValue& row : keyboard.toArray()) {
            if (!row.isArray())
                return BadMarkup;
            for (const QJsonValue& button : row.toArray()) {
                if (!button.isString() && !button.toObject().value("text"_L1).isString())
                    return u"Bad Request: can't parse keyboard button: Field \"text\" must be of type String"_s;
            }
        }
        return {};
    }
    if (inlineOnly)
        return u"Bad Request: inline keyboard expected"_s;
    return {};
}

qsizetype utf8Offset(const QString& text, qsizetype index)
{
    return QStringView(text).first(index).toUtf8().size();
}

// Checks text in parse_mode HTML as Telegram does; empty when accepted, else the error description.
// `visibleLength` receives the length without tags, entities counting as one character.
QString checkHtml(const QString& text, qsizetype& visibleLength)
{
    static const QStringList supported = {
        u"b"_s,   u"strong"_s, u"i"_s,          u"em"_s, u"u"_s,    u"ins"_s, u"s"_s,          u"strike"_s,
        u"del"_s, u"span"_s,   u"tg-spoiler"_s, u"a"_s,  u"code"_s, u"pre"_s, u"blockquote"_s, u"tg-emoji"_s};
    const QString prefix = u"Bad Request: can't parse entities: "_s;
    QStringList open;
    visibleLength = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (c == u'&') {
            const qsizetype semicolon = text.indexOf(u';', i);
            if (semicolon > i + 1 && semicolon - i <= 10) {
                const QStringView name = QStringView(text).sliced(i + 1, semicolon - i - 1);
                if (name == u"lt" || name == u"gt" || name == u"amp" || name == u"quot" ||
                    (name.startsWith(u'#') && name.size() > 1)) {
                    ++visibleLength;
                    i = semicolon + 1;
                    continue;
                }
            }
            ++visibleLength;
            ++i;
            continue;
        }
        if (c != u'<') {
            ++visibleLength;
            ++i;
            continue;
        }
        const qsizetype close = text.indexOf(u'>', i);
        if (close < 0)
            return prefix + u"Unclosed start tag at byte offset %1"_s.arg(utf8Offset(text, i));
        QStringView inner = QStringView(text).sliced(i + 1, close - i - 1);
        const bool endTag = inner.startsWith(u'/');
        if (endTag)
            inner = inner.sliced(1);
        qsizetype nameEnd = 0;
        while (nameEnd < inner.size() && !inner.at(nameEnd).isSpace() && inner.at(nameEnd) != u'/')
            ++nameEnd;
        const QString name = inner.first(nameEnd).toString().toLower();
        if (endTag) {
            if (open.isEmpty())
                return prefix + u"Unexpected end tag at byte offset %1"_s.arg(utf8Offset(text, i));
            if (open.last() != name)
                return prefix +
                       u"Unmatched end tag at byte offset %1, expected \"</%2>\", found \"</%3>\""_s.arg(
                           QString::number(utf8Offset(text, i)), open.last(), name);
            open.removeLast();
        } else {
            if (!supported.contains(name))
                return prefix +
                       u"Unsupported start tag \"%1\" at byte offset %2"_s.arg(name).arg(utf8Offset(text, i));
            open.append(name);
        }
        i = close + 1;
    }
    if (!open.isEmpty())
        return prefix + u"Can't find end tag corresponding to start tag \"%1\""_s.arg(open.last());
    return {};
}

QJsonArray keyboardRows(const QJsonObject& markup)
{
    if (const QJsonValue rows = markup.value("inline_keyboard"_L1); rows.isArray())
        return rows.toArray();
    return markup.value("keyboard"_L1).toArray();
}

} // namespace

FakeBotApi::FakeBotApi(QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_pollTimer(new QTimer(this))
{
    m_clock.start();
    for (int i = 0; i < KnownMethods; ++i)
        m_methodNames[static_cast<size_t>(i)] = QString(MethodNames[i]);
    m_bot = QJsonObject{{u"id"_s, BotId},
                        {u"is_bot"_s, true},
                        {u"first_name"_s, u"Salesbot"_s},
                        {u"username"_s, u"salesbot_test_bot"_s}};
    m_botJson = QJsonDocument(m_bot).toJson(QJsonDocument::Compact);
    setToken(u"123456:TEST-token"_s);
    m_pollTimer->setSingleShot(true);
    m_pollTimer->setTimerType(Qt::PreciseTimer);
    connect(m_pollTimer, &QTimer::timeout, this, [this] { answerHeldPoll(); });
    connect(m_server, &QTcpServer::newConnection, this, &FakeBotApi::onNewConnection);
    m_body.reserve(64 * 1024);
}

FakeBotApi::~FakeBotApi()
{
    m_pollTimer->stop();
    m_server->close();
    const auto connections = findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly);
    for (HttpConnection* connection : connections) {
        connection->disconnect(this);
        delete connection;
    }
}

bool FakeBotApi::listen()
{
    if (m_server->isListening())
        return true;
    return m_server->listen(QHostAddress::LocalHost, 0);
}

QUrl FakeBotApi::baseUrl() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_server->serverPort());
    return url;
}

QUrl FakeBotApi::methodUrl(const QString& method) const
{
    QUrl url = baseUrl();
    url.setPath(u"/bot"_s + m_token + u'/' + method);
    return url;
}

void FakeBotApi::setToken(const QString& token)
{
    m_token = token;
    m_tokenUtf8 = token.toUtf8();
}

void FakeBotApi::setRateLimits(int globalPerSecond, int perChatPerSecond)
{
    m_globalPerSecond = qMax(0, globalPerSecond);
    m_chatPerSecond = qMax(0, perChatPerSecond);
}

void FakeBotApi::blockChat(qint64 chatId)
{
    chatState(chatId).blocked = true;
}

void FakeBotApi::unblockChat(qint64 chatId)
{
    chatState(chatId).blocked = false;
}

void FakeBotApi::failNext(const QString& method, int httpStatus, const QByteArray& body, int count)
{
    if (count > 0)
        m_faults.push_back({method, httpStatus, body, count});
}

void FakeBotApi::failNextWithRetryAfter(const QString& method, int seconds, int count)
{
    failNext(method, 429, retryAfterBody(seconds), count);
}

void FakeBotApi::failNextWithServerError(const QString& method, int count)
{
    failNext(method, 502,
             "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
             "Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n",
             count);
}

void FakeBotApi::delayNext(const QString& method, int ms, int count)
{
    if (count > 0 && ms > 0)
        m_delays.push_back({method, ms, count});
}

void FakeBotApi::dropNext(const QString& method, int count)
{
    if (count > 0)
        m_faults.push_back({method, 0, {}, count});
}

// --- Server side

void FakeBotApi::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        ++m_connectionsAccepted;
        auto* connection = new HttpConnection(
            socket,
            [this](HttpConnection* from, const HttpConnection::Request& request) { handle(from, request); },
            this);
        connect(connection, &HttpConnection::closed, this, &FakeBotApi::onConnectionClosed);
    }
}

void FakeBotApi::onConnectionClosed(HttpConnection* connection)
{
    if (m_held && m_held->connection == connection) {
        m_held.reset();
        m_pollTimer->stop();
    }
}

FakeBotApi::Method FakeBotApi::methodOf(QByteArrayView name) const
{
    const QLatin1StringView latin1(name.data(), name.size());
    for (int i = 0; i < KnownMethods; ++i) {
        if (latin1.compare(MethodNames[i], Qt::CaseInsensitive) == 0)
            return static_cast<Method>(i);
    }
    return Method::Unknown;
}

void FakeBotApi::handle(HttpConnection* connection, const HttpConnection::Request& request)
{
    const qint64 receivedAt = nowNs();
    static const QByteArray notFound = errorBody(404, u"Not Found"_s);
    static const QByteArray unauthorized = errorBody(401, u"Unauthorized"_s);

    // /bot<token>/<method>
    QByteArrayView path = request.path;
    if (!path.startsWith("/bot")) {
        connection->respond(404, notFound, JsonType);
        return;
    }
    path = path.sliced(4);
    const qsizetype slash = path.indexOf('/');
    if (slash < 0) {
        connection->respond(404, notFound, JsonType);
        return;
    }
    QByteArrayView tokenPart = path.first(slash);
    QByteArray decodedToken;
    if (tokenPart.contains('%')) {
        decodedToken = QByteArray::fromPercentEncoding(tokenPart.toByteArray());
        tokenPart = decodedToken;
    }
    if (tokenPart != QByteArrayView(m_tokenUtf8)) {
        connection->respond(401, unauthorized, JsonType);
        return;
    }
    QByteArrayView name = path.sliced(slash + 1);
    while (name.endsWith('/'))
        name.chop(1);

    Call call;
    call.connection = connection;
    call.method = methodOf(name);
    call.name = call.method == Method::Unknown ? QString::fromUtf8(name) : methodName(call.method);
    call.receivedAtNs = receivedAt;
    ++m_totalRequests;
    if (call.method == Method::Unknown)
        ++m_unknownCounts[call.name];
    else
        ++m_counts[static_cast<size_t>(call.method)];

    QString paramError;
    const bool paramsOk = parseParams(request, call.params, paramError);
    toInt64(call.params.value("chat_id"_L1), call.chatId); // for requestHandled, also on injected faults
    if (m_logRequests) {
        call.logIndex = m_requests.size();
        m_requests.append(Request{call.name, call.params, 0, receivedAt});
    }

    const auto matches = [&call](const QString& method) {
        return method == "*"_L1 || method.compare(call.name, Qt::CaseInsensitive) == 0;
    };
    if (!m_delays.empty()) {
        const auto it =
            std::find_if(m_delays.begin(), m_delays.end(), [&](const Delay& d) { return matches(d.method); });
        if (it != m_delays.end()) {
            connection->setResponseDelay(it->ms);
            if (--it->remaining <= 0)
                m_delays.erase(it);
        }
    }
    if (!m_faults.empty()) {
        const auto it =
            std::find_if(m_faults.begin(), m_faults.end(), [&](const Fault& f) { return matches(f.method); });
        if (it != m_faults.end()) {
            const Fault fault = *it;
            if (--it->remaining <= 0)
                m_faults.erase(it);
            if (fault.status == 0) {
                connection->drop();
                return;
            }
            answer(call, fault.status, fault.body);
            return;
        }
    }
    if (call.method == Method::Unknown) {
        answer(call, 404, notFound);
        return;
    }
    if (!paramsOk) {
        answerError(call, 400, paramError);
        return;
    }
    dispatch(call);
}

void FakeBotApi::dispatch(Call& call)
{
    switch (call.method) {
    case Method::GetMe:
        answerOk(call, m_bot);
        return;
    case Method::GetUpdates:
        getUpdates(call);
        return;
    case Method::SendMessage:
        sendMessage(call);
        return;
    case Method::EditMessageText:
        editMessageText(call);
        return;
    case Method::AnswerCallbackQuery:
        answerCallbackQuery(call);
        return;
    case Method::DeleteMessage:
        deleteMessage(call);
        return;
    case Method::SendChatAction:
    case Method::SetMyCommands:
    case Method::DeleteWebhook:
        answerOk(call, true);
        return;
    case Method::Unknown:
        break;
    }
    answerError(call, 404, u"Not Found"_s);
}

void FakeBotApi::answer(Call& call, int status, QByteArrayView body)
{
    finish(call.connection, call.logIndex, call.name, call.chatId, status, body, contentTypeOf(body));
}

void FakeBotApi::answerOk(Call& call, const QJsonValue& result)
{
    m_body.resize(0);
    m_body.append("{\"ok\":true,\"result\":");
    if (result.isObject())
        m_body.append(QJsonDocument(result.toObject()).toJson(QJsonDocument::Compact));
    else if (result.isArray())
        m_body.append(QJsonDocument(result.toArray()).toJson(QJsonDocument::Compact));
    else if (result.isBool())
        m_body.append(result.toBool() ? "true" : "false");
    else
        m_body.append(jsonString(toText(result)));
    m_body.append('}');
    finish(call.connection, call.logIndex, call.name, call.chatId, 200, m_body, JsonType);
}

void FakeBotApi::answerOk(Call& call, QByteArrayView resultJson)
{
    m_body.resize(0);
    m_body.append("{\"ok\":true,\"result\":");
    m_body.append(resultJson);
    m_body.append('}');
    finish(call.connection, call.logIndex, call.name, call.chatId, 200, m_body, JsonType);
}

void FakeBotApi::answerError(Call& call, int code, const QString& description)
{
    finish(call.connection, call.logIndex, call.name, call.chatId, code, errorBody(code, description),
           JsonType);
}

void FakeBotApi::finish(HttpConnection* connection, qsizetype logIndex, const QString& method, qint64 chatId,
                        int status, QByteArrayView body, QByteArrayView contentType)
{
    connection->respond(status, body, contentType);
    if (logIndex >= 0 && logIndex < m_requests.size())
        m_requests[logIndex].httpStatus = status;
    Q_EMIT requestHandled(method, chatId);
}

// --- getUpdates

void FakeBotApi::forgetBefore(qint64 offset)
{
    while (!m_updates.empty() && m_updates.front().id < offset)
        m_updates.pop_front();
}

void FakeBotApi::writeUpdatesBody(int limit)
{
    m_body.resize(0);
    m_body.append("{\"ok\":true,\"result\":[");
    int n = 0;
    for (const PendingUpdate& update : m_updates) {
        if (n == limit)
            break;
        if (n > 0)
            m_body.append(',');
        m_body.append(update.json);
        ++n;
    }
    m_updatesDelivered += n;
    m_body.append("]}");
}

void FakeBotApi::getUpdates(Call& call)
{
    qint64 offset = 0;
    toInt64(call.params.value("offset"_L1), offset);
    qint64 limit = 100;
    if (!toInt64(call.params.value("limit"_L1), limit) || limit <= 0 || limit > 100)
        limit = 100;
    const double timeout = toDouble(call.params.value("timeout"_L1), 0);

    if (offset > 0) {
        m_confirmedOffset = qMax(m_confirmedOffset, offset);
        forgetBefore(offset);
    } else if (offset < 0) {
        while (static_cast<qint64>(m_updates.size()) > -offset)
            m_updates.pop_front();
    }

    // A new getUpdates terminates the one being held, as Telegram does.
    if (m_held) {
        const HeldPoll older = *m_held;
        m_held.reset();
        m_pollTimer->stop();
        if (HttpConnection* connection = waitingConnection(older))
            finish(connection, older.logIndex, call.name, 0, 409, errorBody(409, Conflict), JsonType);
    }

    if (!m_updates.empty() || timeout <= 0 || !m_longPolling) {
        writeUpdatesBody(static_cast<int>(limit));
        finish(call.connection, call.logIndex, call.name, 0, 200, m_body, JsonType);
        return;
    }
    m_held = HeldPoll{call.connection, call.connection->requestSerial(), qMax<qint64>(offset, 0),
                      static_cast<int>(limit), call.logIndex};
    m_pollTimer->start(static_cast<int>(std::min(timeout * 1000.0, 3'600'000.0)));
}

HttpConnection* FakeBotApi::waitingConnection(const HeldPoll& poll)
{
    HttpConnection* connection = poll.connection.data();
    if (connection == nullptr || !connection->isAwaitingResponse() ||
        connection->requestSerial() != poll.serial)
        return nullptr;
    return connection;
}

void FakeBotApi::answerHeldPoll()
{
    if (!m_held)
        return;
    const HeldPoll held = *m_held;
    m_held.reset();
    m_pollTimer->stop();
    HttpConnection* connection = waitingConnection(held);
    if (!connection)
        return;
    forgetBefore(held.offset);
    writeUpdatesBody(held.limit);
    finish(connection, held.logIndex, methodName(Method::GetUpdates), 0, 200, m_body, JsonType);
}

void FakeBotApi::scheduleWake()
{
    if (!m_held || m_wakeScheduled)
        return;
    m_wakeScheduled = true;
    // Later, so that updates pushed together are answered together.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_wakeScheduled = false;
            if (!m_held)
                return;
            forgetBefore(m_held->offset);
            if (!m_updates.empty())
                answerHeldPoll();
        },
        Qt::QueuedConnection);
}

// --- Messages

bool FakeBotApi::checkChatAccess(Call& call, Chat& chat)
{
    if (!chat.blocked)
        return true;
    answerError(call, 403, u"Forbidden: bot was blocked by the user"_s);
    return false;
}

bool FakeBotApi::admitByRateLimit(Call& call, Chat& chat)
{
    if (m_globalPerSecond <= 0 && m_chatPerSecond <= 0)
        return true;
    const qint64 now = nowNs();
    const qint64 horizon = now - NsPerSecond;
    while (!m_globalWindow.empty() && m_globalWindow.front() <= horizon)
        m_globalWindow.pop_front();
    while (!chat.window.isEmpty() && chat.window.first() <= horizon)
        chat.window.removeFirst();

    qint64 freeAt = -1; // when the window that is full has room again
    const auto globalSize = static_cast<qsizetype>(m_globalWindow.size());
    if (m_globalPerSecond > 0 && globalSize >= m_globalPerSecond)
        freeAt = m_globalWindow[static_cast<size_t>(globalSize - m_globalPerSecond)] + NsPerSecond;
    else if (m_chatPerSecond > 0 && chat.window.size() >= m_chatPerSecond)
        freeAt = chat.window.at(chat.window.size() - m_chatPerSecond) + NsPerSecond;
    if (freeAt >= 0) {
        const auto seconds = static_cast<int>((freeAt - now + NsPerSecond - 1) / NsPerSecond);
        ++m_tooManyRequests;
        ++chat.tooManyRequests;
        answer(call, 429, retryAfterBody(qMax(1, seconds)));
        return false;
    }
    m_globalWindow.push_back(now);
    chat.window.append(now);
    return true;
}

const FakeBotApi::Profile& FakeBotApi::profile(qint64 userId) const
{
    static const Profile fallback{u"Анна"_s, {}, u"ru"_s};
    const auto it = m_profiles.constFind(userId);
    return it == m_profiles.constEnd() ? fallback : *it;
}

void FakeBotApi::appendUserJson(QByteArray& out, qint64 userId) const
{
    const Profile& user = profile(userId);
    out.append("{\"id\":").append(QByteArray::number(userId)).append(",\"is_bot\":false,\"first_name\":");
    appendJsonString(out, user.firstName);
    if (!user.username.isEmpty()) {
        out.append(",\"username\":");
        appendJsonString(out, user.username);
    }
    out.append(",\"language_code\":");
    appendJsonString(out, user.languageCode);
    out.append('}');
}

void FakeBotApi::appendMessageJson(QByteArray& out, qint64 chatId, qint64 messageId,
                                   const StoredMessage& message, qint64 editDate) const
{
    out.append("{\"message_id\":").append(QByteArray::number(messageId));
    out.append(",\"from\":").append(m_botJson);
    out.append(",\"chat\":{\"id\":").append(QByteArray::number(chatId)).append(",\"type\":\"private\"}");
    out.append(",\"date\":").append(QByteArray::number(message.date));
    if (editDate > 0)
        out.append(",\"edit_date\":").append(QByteArray::number(editDate));
    out.append(",\"text\":");
    appendJsonString(out, message.text);
    if (!message.inlineMarkupJson.isEmpty())
        out.append(",\"reply_markup\":").append(message.inlineMarkupJson);
    out.append('}');
}

void FakeBotApi::setMarkup(StoredMessage& message, const QJsonObject& markup)
{
    message.markup = markup;
    message.inlineMarkupJson = markup.contains("inline_keyboard"_L1)
                                   ? QJsonDocument(markup).toJson(QJsonDocument::Compact)
                                   : QByteArray();
}

void FakeBotApi::sendMessage(Call& call)
{
    const QJsonValue chatValue = call.params.value("chat_id"_L1);
    if (!toInt64(chatValue, call.chatId)) {
        answerError(call, 400,
                    chatValue.isUndefined() ? u"Bad Request: chat_id is empty"_s
                                            : u"Bad Request: chat not found"_s);
        return;
    }
    const QString text = toText(call.params.value("text"_L1));
    if (text.trimmed().isEmpty()) {
        answerError(call, 400, u"Bad Request: message text is empty"_s);
        return;
    }
    qsizetype visibleLength = text.size();
    if (toText(call.params.value("parse_mode"_L1)).compare("HTML"_L1, Qt::CaseInsensitive) == 0) {
        if (const QString error = checkHtml(text, visibleLength); !error.isEmpty()) {
            answerError(call, 400, error);
            return;
        }
    }
    if (visibleLength > MaxTextLength) {
        answerError(call, 400, u"Bad Request: message is too long"_s);
        return;
    }
    QJsonObject markup;
    if (!toObject(call.params.value("reply_markup"_L1), markup)) {
        answerError(call, 400, BadMarkup);
        return;
    }
    if (const QString error = checkMarkup(markup, false); !error.isEmpty()) {
        answerError(call, 400, error);
        return;
    }
    Chat& chat = chatState(call.chatId);
    if (!checkChatAccess(call, chat) || !admitByRateLimit(call, chat))
        return;

    const qint64 messageId = chat.nextMessageId++;
    StoredMessage& stored = chat.messages[messageId];
    stored.text = text;
    stored.date = QDateTime::currentSecsSinceEpoch();
    setMarkup(stored, markup);
    if (markup.contains("keyboard"_L1))
        chat.replyKeyboard = markup.value("keyboard"_L1).toArray();
    else if (markup.value("remove_keyboard"_L1).toBool())
        chat.replyKeyboard = QJsonArray();
    record(chat,
           SentMessage{call.name, call.chatId, messageId, text, markup, call.params, call.receivedAtNs});
    ++m_totalSent;
    QByteArray result;
    appendMessageJson(result, call.chatId, messageId, stored);
    answerOk(call, result);
}

void FakeBotApi::record(Chat& chat, SentMessage message)
{
    if (!m_keepSentHistory)
        chat.sent.clear();
    chat.sent.append(std::move(message));
}

void FakeBotApi::editMessageText(Call& call)
{
    if (call.params.contains("inline_message_id"_L1)) {
        answerError(call, 400, u"Bad Request: inline_message_id is not supported by FakeBotApi"_s);
        return;
    }
    const QJsonValue chatValue = call.params.value("chat_id"_L1);
    if (!toInt64(chatValue, call.chatId)) {
        answerError(call, 400,
                    chatValue.isUndefined() ? u"Bad Request: chat_id is empty"_s
                                            : u"Bad Request: chat not found"_s);
        return;
    }
    qint64 messageId = 0;
    if (!toInt64(call.params.value("message_id"_L1), messageId)) {
        answerError(call, 400, u"Bad Request: message identifier is not specified"_s);
        return;
    }
    const QString text = toText(call.params.value("text"_L1));
    if (text.trimmed().isEmpty()) {
        answerError(call, 400, u"Bad Request: message text is empty"_s);
        return;
    }
    qsizetype visibleLength = text.size();
    if (toText(call.params.value("parse_mode"_L1)).compare("HTML"_L1, Qt::CaseInsensitive) == 0) {
        if (const QString error = checkHtml(text, visibleLength); !error.isEmpty()) {
            answerError(call, 400, error);
            return;
        }
    }
    if (visibleLength > MaxTextLength) {
        answerError(call, 400, u"Bad Request: MESSAGE_TOO_LONG"_s);
        return;
    }
    QJsonObject markup;
    if (!toObject(call.params.value("reply_markup"_L1), markup)) {
        answerError(call, 400, BadMarkup);
        return;
    }
    if (const QString error = checkMarkup(markup, true); !markup.isEmpty() && !error.isEmpty()) {
        answerError(call, 400, error);
        return;
    }
    Chat& chat = chatState(call.chatId);
    if (!checkChatAccess(call, chat) || !admitByRateLimit(call, chat))
        return;
    const auto found = chat.messages.find(messageId);
    if (found == chat.messages.end()) {
        answerError(call, 400, u"Bad Request: message to edit not found"_s);
        return;
    }
    StoredMessage& stored = found->second;
    // Without reply_markup an edit removes the inline keyboard, as in Telegram.
    const QJsonObject currentInline =
        stored.markup.contains("inline_keyboard"_L1) ? stored.markup : QJsonObject();
    if (stored.text == text && currentInline == markup) {
        answerError(call, 400, NotModified);
        return;
    }
    stored.text = text;
    setMarkup(stored, markup);
    record(chat,
           SentMessage{call.name, call.chatId, messageId, text, markup, call.params, call.receivedAtNs});
    ++m_totalSent;
    if (m_editReturnsTrue) {
        answerOk(call, true);
        return;
    }
    QByteArray result;
    appendMessageJson(result, call.chatId, messageId, stored, QDateTime::currentSecsSinceEpoch());
    answerOk(call, result);
}

void FakeBotApi::deleteMessage(Call& call)
{
    qint64 messageId = 0;
    if (toInt64(call.params.value("chat_id"_L1), call.chatId) &&
        toInt64(call.params.value("message_id"_L1), messageId)) {
        if (const auto it = m_chats.find(call.chatId); it != m_chats.end())
            it->second.messages.erase(messageId);
    }
    answerOk(call, true);
}

void FakeBotApi::answerCallbackQuery(Call& call)
{
    const QString id = toText(call.params.value("callback_query_id"_L1));
    if (id.isEmpty()) {
        answerError(call, 400,
                    u"Bad Request: query is too old and response timeout expired or query ID is invalid"_s);
        return;
    }
    call.chatId = m_callbackChats.value(id, 0);
    m_answeredCallbacks.append(id);
    answerOk(call, true);
}

// --- Updates

void FakeBotApi::setUserProfile(qint64 userId, const QString& firstName, const QString& username,
                                const QString& languageCode)
{
    m_profiles.insert(userId, Profile{firstName, username, languageCode});
}

qint64 FakeBotApi::enqueue(qint64 updateId, QByteArray json)
{
    if (m_updates.empty() || m_updates.back().id <= updateId) {
        m_updates.push_back(PendingUpdate{updateId, std::move(json)});
    } else {
        const auto at =
            std::upper_bound(m_updates.begin(), m_updates.end(), updateId,
                             [](qint64 id, const PendingUpdate& update) { return id < update.id; });
        m_updates.insert(at, PendingUpdate{updateId, std::move(json)});
    }
    m_pushedAt.insert(updateId, nowNs());
    m_nextUpdateId = qMax(m_nextUpdateId, updateId + 1);
    scheduleWake();
    return updateId;
}

qint64 FakeBotApi::pushUpdate(QJsonObject update)
{
    const qint64 updateId = m_nextUpdateId;
    update.insert(u"update_id"_s, updateId);
    return enqueue(updateId, QJsonDocument(update).toJson(QJsonDocument::Compact));
}

qint64 FakeBotApi::pushRawUpdate(const QByteArray& jsonElement)
{
    const QJsonDocument document = QJsonDocument::fromJson(jsonElement);
    const QJsonValue id = document.isObject() ? document.object().value("update_id"_L1) : QJsonValue();
    qint64 updateId = 0;
    if (!toInt64(id, updateId) || !id.isDouble())
        updateId = m_nextUpdateId;
    return enqueue(updateId, jsonElement);
}

qint64 FakeBotApi::pushRawUpdate(qint64 updateId, const QByteArray& jsonElement)
{
    return enqueue(updateId, jsonElement);
}

qint64 FakeBotApi::pushUpdateOf(QByteArrayView kind, QByteArrayView objectJson)
{
    const qint64 updateId = m_nextUpdateId;
    QByteArray json;
    json.reserve(objectJson.size() + kind.size() + 32);
    json.append("{\"update_id\":").append(QByteArray::number(updateId)).append(",\"");
    json.append(kind).append("\":").append(objectJson).append('}');
    return enqueue(updateId, std::move(json));
}

qint64 FakeBotApi::pushMessage(qint64 userId, QByteArrayView members)
{
    Chat& chat = chatState(userId);
    const Profile& user = profile(userId);
    QByteArray message;
    message.reserve(members.size() + 256);
    message.append("{\"message_id\":").append(QByteArray::number(chat.nextMessageId++));
    message.append(",\"from\":");
    appendUserJson(message, userId);
    message.append(",\"chat\":{\"id\":").append(QByteArray::number(userId));
    message.append(",\"type\":\"private\",\"first_name\":");
    appendJsonString(message, user.firstName);
    if (!user.username.isEmpty()) {
        message.append(",\"username\":");
        appendJsonString(message, user.username);
    }
    message.append("},\"date\":").append(QByteArray::number(QDateTime::currentSecsSinceEpoch()));
    message.append(',').append(members).append('}');
    return pushUpdateOf("message", message);
}

qint64 FakeBotApi::pushText(qint64 userId, const QString& text, const QString& languageCode,
                            const QString& firstName, const QString& username)
{
    setUserProfile(userId, firstName, username, languageCode);
    return pushMessage(userId, textMember(text));
}

qint64 FakeBotApi::pushCommand(qint64 userId, const QString& command, const QString& languageCode,
                               const QString& firstName, const QString& username)
{
    setUserProfile(userId, firstName, username, languageCode);
    const qsizetype space = command.indexOf(u' ');
    const qsizetype length = space < 0 ? command.size() : space;
    QByteArray members = textMember(command);
    members.append(",\"entities\":[{\"type\":\"bot_command\",\"offset\":0,\"length\":");
    members.append(QByteArray::number(length)).append("}]");
    return pushMessage(userId, members);
}

qint64 FakeBotApi::pushContact(qint64 userId, qint64 contactUserId, const QString& phone)
{
    const QJsonObject contact{{u"phone_number"_s, phone},
                              {u"first_name"_s, profile(userId).firstName},
                              {u"user_id"_s, contactUserId}};
    return pushMessage(userId, objectMembers(QJsonObject{{u"contact"_s, contact}}));
}

qint64 FakeBotApi::pushSticker(qint64 userId)
{
    const QString fileId = u"CAACAgIAAxkBAAIFake%1"_s.arg(m_nextFileId++);
    const QJsonObject sticker{{u"file_id"_s, fileId},    {u"file_unique_id"_s, u"AgAD"_s + fileId.right(8)},
                              {u"type"_s, u"regular"_s}, {u"width"_s, 512},
                              {u"height"_s, 512},        {u"is_animated"_s, false},
                              {u"is_video"_s, false},    {u"emoji"_s, u"👍"_s}};
    return pushMessage(userId, objectMembers(QJsonObject{{u"sticker"_s, sticker}}));
}

qint64 FakeBotApi::pushCallback(qint64 userId, qint64 messageId, const QString& data)
{
    const QByteArray id = QByteArray::number(Q_INT64_C(4611686018427387904) + m_nextCallbackId++);
    QByteArray query;
    query.reserve(1024);
    query.append("{\"id\":\"").append(id).append("\",\"from\":");
    appendUserJson(query, userId);
    query.append(",\"message\":");
    const Chat& chat = chatState(userId);
    if (const auto it = chat.messages.find(messageId); it != chat.messages.end()) {
        appendMessageJson(query, userId, messageId, it->second);
    } else {
        StoredMessage unknown;
        unknown.date = QDateTime::currentSecsSinceEpoch();
        appendMessageJson(query, userId, messageId, unknown);
    }
    query.append(",\"chat_instance\":\"");
    query.append(QByteArray::number(Q_INT64_C(-5364718596436744223) + userId));
    query.append("\",\"data\":");
    appendJsonString(query, data);
    query.append('}');
    m_callbackChats.insert(QString::fromLatin1(id), userId);
    return pushUpdateOf("callback_query", query);
}

int FakeBotApi::getUpdatesCalls() const
{
    return m_counts[static_cast<size_t>(Method::GetUpdates)];
}

qint64 FakeBotApi::updatesDelivered() const
{
    return m_updatesDelivered;
}

// --- Records

const FakeBotApi::Chat* FakeBotApi::findChat(qint64 chatId) const
{
    const auto it = m_chats.find(chatId);
    return it == m_chats.end() ? nullptr : &it->second;
}

QList<FakeBotApi::SentMessage> FakeBotApi::sent(qint64 chatId) const
{
    const Chat* chat = findChat(chatId);
    return chat ? chat->sent : QList<SentMessage>();
}

int FakeBotApi::sentCount(qint64 chatId) const
{
    const Chat* chat = findChat(chatId);
    return chat ? static_cast<int>(chat->sent.size()) : 0;
}

QString FakeBotApi::lastText(qint64 chatId) const
{
    const Chat* chat = findChat(chatId);
    return chat && !chat->sent.isEmpty() ? chat->sent.last().text : QString();
}

QJsonObject FakeBotApi::lastMarkup(qint64 chatId) const
{
    const Chat* chat = findChat(chatId);
    return chat && !chat->sent.isEmpty() ? chat->sent.last().replyMarkup : QJsonObject();
}

int FakeBotApi::requestCount(const QString& method) const
{
    if (method == "*"_L1)
        return m_totalRequests;
    if (const Method known = methodOf(method.toLatin1()); known != Method::Unknown)
        return m_counts[static_cast<size_t>(known)];
    int count = 0;
    for (auto it = m_unknownCounts.cbegin(); it != m_unknownCounts.cend(); ++it) {
        if (it.key().compare(method, Qt::CaseInsensitive) == 0)
            count += it.value();
    }
    return count;
}

int FakeBotApi::tooManyRequests(qint64 chatId) const
{
    const Chat* chat = findChat(chatId);
    return chat ? chat->tooManyRequests : 0;
}

bool FakeBotApi::waitUntil(const std::function<bool()>& done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    timer.setTimerType(Qt::PreciseTimer);
    connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &FakeBotApi::requestHandled, &loop, [&] {
        if (done())
            loop.quit();
    });
    timer.start(qMax(0, timeoutMs));
    loop.exec();
    return done();
}

bool FakeBotApi::waitForSent(qint64 chatId, int count, int timeoutMs)
{
    return waitUntil([&] { return sentCount(chatId) >= count; }, timeoutMs);
}

bool FakeBotApi::waitForRequests(const QString& method, int count, int timeoutMs)
{
    return waitUntil([&] { return requestCount(method) >= count; }, timeoutMs);
}

// --- Keyboards

QStringList FakeBotApi::buttons(qint64 chatId) const
{
    QStringList labels;
    const Chat* chat = findChat(chatId);
    if (!chat)
        return labels;
    for (auto it = chat->messages.rbegin(); it != chat->messages.rend(); ++it) {
        const QJsonObject& markup = it->second.markup;
        if (!markup.contains("inline_keyboard"_L1) && !markup.contains("keyboard"_L1))
            continue;
        for (const QJsonValue& row : keyboardRows(markup)) {
            for (const QJsonValue& button : row.toArray())
                labels.append(buttonText(button));
        }
        break;
    }
    return labels;
}

qint64 FakeBotApi::pressButton(qint64 chatId, const QString& label)
{
    const Chat* chat = findChat(chatId);
    if (!chat) {
        qWarning("FakeBotApi::pressButton: no messages in chat %lld", chatId);
        return 0;
    }
    for (auto it = chat->messages.rbegin(); it != chat->messages.rend(); ++it) {
        const QJsonObject& markup = it->second.markup;
        if (!markup.contains("inline_keyboard"_L1))
            continue;
        for (const QJsonValue& row : keyboardRows(markup)) {
            for (const QJsonValue& value : row.toArray()) {
                const QJsonObject button = value.toObject();
                if (button.value("text"_L1).toString() != label)
                    continue;
                if (!button.contains("callback_data"_L1)) {
                    qWarning("FakeBotApi::pressButton: button \"%s\" in chat %lld has no callback_data",
                             qUtf8Printable(label), chatId);
                    return 0;
                }
                const qint64 messageId = it->first;
                const QString data = button.value("callback_data"_L1).toString();
                return pushCallback(chatId, messageId, data);
            }
        }
        break; // only the latest message with an inline keyboard
    }
    const QJsonArray rows = chat->replyKeyboard;
    for (const QJsonValue& row : rows) {
        for (const QJsonValue& button : row.toArray()) {
            if (buttonText(button) != label)
                continue;
            if (button.toObject().value("request_contact"_L1).toBool())
                return pushContact(chatId, chatId, u"+79161234567"_s);
            return pushMessage(chatId, textMember(label));
        }
    }
    qWarning("FakeBotApi::pressButton: no button \"%s\" in chat %lld; buttons: %s", qUtf8Printable(label),
             chatId, qUtf8Printable(buttons(chatId).join(u", "_s)));
    return 0;
}

} // namespace salesbot::test
