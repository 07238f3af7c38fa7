#include "BotApiClient.h"

#include "Config.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QStringList>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

using Kind = BotApiResult::Kind;

constexpr int MaxCachedRequests = 64; // methods are a handful; a caller inventing names must not grow this
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

BotApiClient::BotApiClient(QUrl baseUrl, QString token, QObject* parent)
    : QObject(parent)
    , m_baseUrl(std::move(baseUrl))
    , m_token(std::move(token))
    , m_network(new QNetworkAccessManager(this))
{
    QString path = m_baseUrl.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    m_pathPrefix = path + u"/bot"_s + m_token + u'/';
}

BotApiClient::~BotApiClient()
{
    // Requests still in flight are dropped without their callbacks: cut them off before the manager (and
    // with it every reply) goes, so that no finished() reaches a half-destroyed client.
    const QList<QNetworkReply*> replies = m_network->findChildren<QNetworkReply*>();
    for (QNetworkReply* reply : replies)
        disconnect(reply, nullptr, this, nullptr);
    delete m_network;
}

QString BotApiClient::redact(QString text) const
{
    return Config::redactToken(std::move(text), m_token);
}

void BotApiClient::call(const QString& method, const QJsonObject& params, QObject* context, Callback done,
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
        // `done` is moved out first: a second finished() could not call it again, and `done` may destroy
        // this client (nothing here touches it afterwards).
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

    QNetworkReply* reply =
        m_network->post(requestFor(method, timeoutMs), QJsonDocument(params).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, timeoutMs, use, deliver = std::move(deliver)]() mutable {
                reply->deleteLater();
                deliver(resultOf(reply, timeoutMs, use));
            });
}

QNetworkRequest BotApiClient::requestFor(const QString& method, int timeoutMs)
{
    QNetworkRequest request;
    if (const auto it = m_requests.constFind(method); it != m_requests.constEnd()) {
        request = it.value();
    } else {
        QUrl url = m_baseUrl;
        url.setPath(m_pathPrefix + method);
        request.setUrl(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setTransferTimeout(DefaultTimeoutMs);
        if (m_requests.size() < MaxCachedRequests)
            m_requests.insert(method, request);
    }
    if (request.transferTimeout() != timeoutMs)
        request.setTransferTimeout(timeoutMs);
    return request;
}

BotApiResult BotApiClient::resultOf(QNetworkReply* reply, int timeoutMs, ResultUse use) const
{
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError error = reply->error();
    // Below 200: connection, TLS and proxy errors. From 200 on Qt only restates the HTTP status, and the body
    // (Telegram's error) is what counts.
    const bool transportError = error != QNetworkReply::NoError && static_cast<int>(error) < 200;
    BotApiResult result;
    if (!status.isValid() || transportError) {
        result.kind = Kind::Transient;
        result.httpStatus = status.isValid() ? status.toInt() : 0;
        if (error == QNetworkReply::OperationCanceledError || error == QNetworkReply::TimeoutError)
            result.description = u"no response within "_s + QString::number(timeoutMs) + u" ms"_s;
        else
            result.description = reply->errorString();
    } else if (const int code = status.toInt(); use == ResultUse::Ignored && code >= 200 && code < 300 &&
                                                reply->peek(10) == QByteArrayLiteral("{\"ok\":true")) {
        result.kind = Kind::Ok;
        result.httpStatus = code;
        result.result = QJsonValue(QJsonValue::Null);
    } else {
        result =
            classify(status.toInt(), reply->readAll(), reply->rawHeader(QByteArrayLiteral("Retry-After")),
                     reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    }
    if (!result.description.isEmpty()) {
        result.description = redact(std::move(result.description));
        if (result.description.size() > MaxDescriptionLength)
            result.description = result.description.left(MaxDescriptionLength) + u"..."_s;
    }
    return result;
}

} // namespace salesbot
