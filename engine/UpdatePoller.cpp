#include "UpdatePoller.h"

#include "UpdateParser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcPoller, "salesbot.poller")

namespace salesbot {

UpdatePoller::UpdatePoller(BotApiClient& api, QObject* parent)
    : QObject(parent)
    , m_api(api)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        m_waiting = false;
        poll();
    });
}

void UpdatePoller::start()
{
    m_running = true;
    poll();
}

void UpdatePoller::stop()
{
    m_running = false;
    m_retry.stop();
}

void UpdatePoller::resume()
{
    if (!m_waiting && (m_inFlight || m_retry.isActive()))
        return;
    m_waiting = false;
    m_retry.stop();
    if (m_running && !m_held)
        poll();
}

void UpdatePoller::retryIn(qint64 ms)
{
    if (m_running)
        m_retry.start(int(std::clamp<qint64>(ms, 0, 3'600'000)));
}

void UpdatePoller::poll()
{
    if (!m_running || m_inFlight || m_held || m_waiting)
        return;
    m_inFlight = true;
    if (m_offsetSource)
        m_offset = m_offsetSource();
    QJsonObject params{
        {u"timeout"_s, m_timeoutSeconds},
        {u"limit"_s, 100},
        {u"allowed_updates"_s, QJsonArray{u"message"_s, u"edited_message"_s, u"callback_query"_s}}};
    if (m_offset > 0)
        params.insert(u"offset"_s, m_offset);
    m_requestClock.start();
    m_api.call(
        u"getUpdates"_s, params, this, [this](const BotApiResult& result) { onResult(result); },
        (m_timeoutSeconds + 15) * 1000, BotApiClient::ResultUse::Raw);
}

void UpdatePoller::onResult(const BotApiResult& result)
{
    m_inFlight = false;
    if (!m_running)
        return;
    auto backoff = [this] {
        // 1 s, 2 s, 4 s ... 30 s, each ±25 %.
        const qint64 base = std::min<qint64>(30'000, 1000LL << std::min(m_failures, 5));
        ++m_failures;
        return qint64(double(base) * (0.75 + 0.5 * QRandomGenerator::global()->generateDouble()));
    };
    switch (result.kind) {
    case BotApiResult::Kind::Ok:
    case BotApiResult::Kind::NotModified:
        break;
    case BotApiResult::Kind::RetryAfter:
        qCWarning(lcPoller) << "getUpdates: Telegram asks to wait" << result.retryAfterSeconds << "s";
        retryIn(qint64(result.retryAfterSeconds) * 1000);
        return;
    case BotApiResult::Kind::Conflict:
        qCWarning(lcPoller).noquote()
            << "getUpdates: 409 Conflict: another instance of this bot is polling, or a webhook is set "
               "(delete it with deleteWebhook, or stop the other instance); retrying";
        retryIn(std::max<qint64>(5000, backoff()));
        return;
    case BotApiResult::Kind::Unauthorized:
        qCCritical(lcPoller).noquote() << "getUpdates:" << result.summary();
        m_running = false;
        Q_EMIT unauthorized(result.description);
        return;
    case BotApiResult::Kind::Transient:
    case BotApiResult::Kind::BadRequest:
    case BotApiResult::Kind::Blocked: {
        const qint64 wait = backoff();
        qCWarning(lcPoller).noquote()
            << "getUpdates failed:" << result.summary() << "- retrying in" << wait << "ms";
        retryIn(wait);
        return;
    }
    }
    // Usually the body as it came (ResultUse::Raw); parsed here only when it is not the plain form.
    std::optional<QList<RawUpdate>> split;
    if (!result.body.isEmpty())
        split = UpdateParser::split(result.body);
    QJsonValue list = result.result;
    if (!split && !result.body.isEmpty())
        list = QJsonDocument::fromJson(result.body).object().value(u"result");
    if (!split && list.isArray()) {
        split.emplace();
        for (const QJsonValue& update : list.toArray()) {
            RawUpdate raw;
            raw.id = UpdateParser::updateId(update);
            raw.json = QJsonDocument(update.toObject()).toJson(QJsonDocument::Compact);
            split->append(std::move(raw));
        }
    }
    if (!split) {
        const qint64 wait = backoff();
        qCWarning(lcPoller) << "getUpdates: the result is not a list of updates; retrying in" << wait << "ms";
        retryIn(wait);
        return;
    }
    m_failures = 0;
    const QList<RawUpdate>& batch = *split;
    if (batch.isEmpty()) {
        // A server that answers at once with nothing (no long polling) must not make us spin.
        const bool tooFast = m_requestClock.elapsed() < 1000 && m_timeoutSeconds > 0;
        m_empty = tooFast ? m_empty + 1 : 0;
        retryIn(tooFast ? std::min<qint64>(5000, 250LL << std::min(m_empty, 5)) : 0);
        return;
    }
    m_empty = 0;
    const int fresh = m_consumer ? m_consumer(batch) : 0;
    // Telegram answers at once with every update it has not been told is done, and the ones in flight are not
    // (their offset is confirmed only once they are committed): polling while nothing has been committed
    // since this poll left would only bring them again. So poll again now when the offset has moved on (an
    // update committed meanwhile, or nothing is in flight); else wait for the next commit's resume(), or a
    // moment.
    if (m_offsetSource ? m_offsetSource() > m_offset : fresh > 0) {
        poll();
        return;
    }
    m_waiting = true;
    m_retry.start(m_waitMs);
}

} // namespace salesbot
