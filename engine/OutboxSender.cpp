#include "OutboxSender.h"

#include "DbWorker.h"
#include "UserRepository.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSender, "salesbot.sender")

namespace salesbot {

namespace {
constexpr int MarkBatch = 100;
constexpr int ClaimBatch = 200;
// Claimed messages waiting here at most (all kinds): a bulk of console messages stays in the database,
// leased a batch at a time, rather than in memory where its leases would run out behind the rate limit.
constexpr qint64 MaxQueued = 2000;
} // namespace

OutboxSender::OutboxSender(BotApiClient& api, DbWorker& store, RateLimits limits, QObject* parent)
    : QObject(parent)
    , m_api(api)
    , m_store(store)
    , m_limiter(limits)
{
    m_clock.start();
    m_wake.setSingleShot(true);
    m_wake.setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5 % early: a wasted wake-up per pause
    connect(&m_wake, &QTimer::timeout, this, &OutboxSender::pump);
    m_markTimer.setSingleShot(true);
    m_markTimer.setInterval(10);
    connect(&m_markTimer, &QTimer::timeout, this, &OutboxSender::flushMarks);
}

void OutboxSender::store(std::function<void(OutboxRepository&)> task)
{
    m_store.post([task = std::move(task)](DbConnection& db) {
        OutboxRepository repo(db);
        task(repo);
    });
}

void OutboxSender::submit(const QList<OutboxMessage>& messages)
{
    for (const OutboxMessage& m : messages)
        enqueue(m);
    pump();
}

void OutboxSender::enqueue(const OutboxMessage& message)
{
    // Messages not in the table (no id) come once, from their own commit: no claim can bring them again.
    if (message.stored) {
        if (m_known.contains(message.id))
            return;
        m_known.insert(message.id);
    }
    const Lane lane{message.chatId, message.method == "answerCallbackQuery"_L1};
    m_chats[lane].messages.push_back(message);
    ++m_queued;
    schedule(lane);
}

void OutboxSender::schedule(const Lane& lane)
{
    auto it = m_chats.find(lane);
    if (it == m_chats.end())
        return;
    ChatQueue& queue = *it;
    if (queue.scheduled || queue.busy || queue.messages.empty())
        return;
    queue.scheduled = true;
    m_ready.push_back(lane);
}

void OutboxSender::pump()
{
    const qint64 t = now();
    if (t - m_lastPruneMs > 60'000) {
        m_lastPruneMs = t;
        m_limiter.prune(t); // memory stays bounded however many chats were ever limited
    }
    qint64 nextWake = -1;
    auto wakeIn = [&](qint64 ms) {
        nextWake = nextWake < 0 ? ms : std::min(nextWake, ms);
    };
    // While everything is paused there is no point looking at each chat.
    const qint64 globalWait = m_limiter.delayMs(0, false, t);
    if (globalWait > 0 && !m_ready.empty()) {
        m_wake.start(int(std::min<qint64>(globalWait, 60'000)));
        return;
    }
    std::size_t looked = 0;
    const std::size_t candidates = m_ready.size();
    while (m_inFlight < m_maxInFlight && !m_ready.empty() && looked < candidates) {
        const Lane lane = m_ready.front();
        m_ready.pop_front();
        ++looked;
        auto it = m_chats.find(lane);
        if (it == m_chats.end())
            continue;
        ChatQueue& queue = *it;
        queue.scheduled = false;
        if (queue.busy || queue.messages.empty())
            continue;
        const OutboxMessage& head = queue.messages.front();
        qint64 wait = std::max<qint64>(0, queue.readyAtMs - t);
        // Answering a button is not a message: it never waits for the message limits.
        if (!lane.answers)
            wait = std::max(wait, m_limiter.delayMs(lane.chatId, head.proactive, t));
        if (wait > 0) {
            wakeIn(wait);
            queue.scheduled = true;
            m_ready.push_back(lane);
            continue;
        }
        send(lane, queue);
    }
    if (nextWake >= 0 && (!m_wake.isActive() || m_wake.remainingTime() > nextWake))
        m_wake.start(int(std::min<qint64>(nextWake, 60'000)));
}

void OutboxSender::send(const Lane& lane, ChatQueue& queue)
{
    queue.busy = true;
    ++m_inFlight;
    OutboxMessage& m = queue.messages.front();
    if (!lane.answers)
        m_limiter.onSent(lane.chatId, m.proactive, now());
    // The sender needs only the outcome, not the message Telegram echoes back. The payload goes as the
    // database got it when that text is at hand (written once otherwise, and kept for a retry).
    m_api.callJson(
        m.method, m.payloadText(), this, [this, lane](const BotApiResult& result) { onResult(lane, result); },
        BotApiClient::DefaultTimeoutMs, BotApiClient::ResultUse::Ignored);
}

void OutboxSender::finishFront(const Lane& lane, ChatQueue& queue)
{
    if (queue.messages.front().stored)
        m_known.remove(queue.messages.front().id);
    queue.messages.pop_front();
    --m_queued;
    if (queue.messages.empty() && !queue.busy)
        m_chats.remove(lane); // `queue` is gone now
}

void OutboxSender::onResult(const Lane& lane, const BotApiResult& result)
{
    --m_inFlight;
    const qint64 chatId = lane.chatId;
    auto it = m_chats.find(lane);
    if (it == m_chats.end() || it->messages.empty()) {
        pump();
        return;
    }
    ChatQueue& queue = *it;
    queue.busy = false;
    OutboxMessage& m = queue.messages.front();
    const qint64 t = now();
    switch (result.kind) {
    case BotApiResult::Kind::Ok:
    case BotApiResult::Kind::NotModified:
        m_limiter.onAccepted(chatId, t);
        ++m_stats.sent;
        Q_EMIT delivered(chatId, m.method);
        if (m.stored) {
            m_sentMarks.append(m.id);
            if (m_sentMarks.size() >= MarkBatch)
                flushMarks();
            else if (!m_markTimer.isActive())
                m_markTimer.start();
        }
        finishFront(lane, queue);
        break;
    case BotApiResult::Kind::RetryAfter:
        // Nothing more goes to this chat (or at all, for the bot's global limit) before retry_after.
        ++m_stats.tooManyRequests;
        if (lane.answers) {
            // Answers pass no limiter: the answer waits in its lane, and the chat's messages keep their pace.
            queue.readyAtMs = t + qint64(std::max(1, result.retryAfterSeconds)) * 1000 + 1;
        } else if (m_limiter.onTooManyRequests(chatId, result.retryAfterSeconds, t)) {
            ++m_stats.globalPauses;
        }
        break;
    case BotApiResult::Kind::BadRequest:
        if (m.method == "editMessageText"_L1) {
            // The message is too old to edit, or gone: say it anew instead.
            m.method = u"sendMessage"_s;
            m.payload.remove(u"message_id"_s);
            m.payloadJson.clear();
            break;
        }
        qCWarning(lcSender).noquote()
            << "giving up on" << m.method << "to chat" << chatId << ":" << result.summary();
        ++m_stats.failed;
        markDead(m, result.summary());
        finishFront(lane, queue);
        break;
    case BotApiResult::Kind::Blocked: {
        // The user blocked the bot: drop everything queued for them (in both lanes) and remember it.
        qCInfo(lcSender) << "chat" << chatId << "blocked the bot";
        QList<qint64> ids;
        auto drop = [&](ChatQueue& dropped, std::size_t keep) {
            while (dropped.messages.size() > keep) {
                const OutboxMessage& last = dropped.messages.back();
                if (last.stored) {
                    ids << last.id;
                    m_known.remove(last.id);
                }
                dropped.messages.pop_back();
                --m_queued;
                ++m_stats.failed;
            }
        };
        drop(queue, 0);
        m_chats.erase(it);
        // A call of the other lane that is in flight finishes on its own (its head stays until then).
        if (auto other = m_chats.find(Lane{chatId, !lane.answers}); other != m_chats.end()) {
            drop(*other, other->busy ? 1 : 0);
            if (other->messages.empty())
                m_chats.erase(other);
        }
        m_store.post([ids, chatId, error = result.summary()](DbConnection& db) {
            OutboxRepository repo(db);
            for (qint64 id : ids)
                (void)repo.markDead(id, error);
            (void)UserRepository(db).markBlocked(chatId);
        });
        pump();
        if (isIdle()) {
            flushMarks();
            Q_EMIT idle();
        }
        return;
    }
    case BotApiResult::Kind::Unauthorized:
        qCCritical(lcSender).noquote() << "Telegram refused the token:" << result.summary();
        Q_EMIT unauthorized(result.description);
        return; // stays queued; the engine stops
    case BotApiResult::Kind::Transient:
    case BotApiResult::Kind::Conflict:
        // m.attempts counts the sends made, this one included (claimDue and enqueueClaimed count the first).
        if (m_policy.exhausted(m.attempts)) {
            qCWarning(lcSender).noquote() << "giving up on" << m.method << "to chat" << chatId << "after"
                                          << m.attempts << "attempts:" << result.summary();
            ++m_stats.failed;
            markDead(m, result.summary());
            finishFront(lane, queue);
        } else {
            ++m_stats.retried;
            // Retried from here, at the head of its chat's queue, so what follows it waits. The database
            // learns the count, and the lease covers the wait, so no claim takes the message meanwhile.
            const qint64 delay = m_policy.delayMs(m.attempts);
            ++m.attempts;
            queue.readyAtMs = t + delay;
            if (m.stored)
                store([id = m.id, attempts = m.attempts, error = result.summary(), lease = delay + m_leaseMs](
                          OutboxRepository& repo) { (void)repo.markRetrying(id, attempts, error, lease); });
        }
        break;
    }
    schedule(lane);
    pump();
    if (isIdle()) {
        flushMarks();
        Q_EMIT idle();
    }
}

void OutboxSender::markDead(const OutboxMessage& m, const QString& error)
{
    if (!m.stored)
        return; // nothing in the table: the log line above is all that is left of it
    store([id = m.id, error](OutboxRepository& repo) { (void)repo.markDead(id, error); });
}

void OutboxSender::flushMarks()
{
    m_markTimer.stop();
    if (m_sentMarks.isEmpty())
        return;
    store([ids = std::exchange(m_sentMarks, {})](OutboxRepository& repo) {
        if (auto marked = repo.markSent(ids); !marked)
            qCWarning(lcSender).noquote() << marked.error().message();
    });
}

void OutboxSender::pollDue()
{
    if (!m_claiming || m_claimRunning)
        return;
    const int limit = int(std::min<qint64>(ClaimBatch, MaxQueued - m_queued));
    if (limit <= 0)
        return; // the next poll, once these are sent
    m_claimRunning = true;
    const qint64 lease = m_leaseMs;
    m_store.post([this, lease, limit](DbConnection& db) {
        auto claimed = OutboxRepository(db).claimDue(limit, int(lease / 1000));
        QMetaObject::invokeMethod(
            this,
            [this, limit, claimed = std::move(claimed)] {
                m_claimRunning = false;
                if (!claimed) {
                    qCWarning(lcSender).noquote() << claimed.error().message();
                    return;
                }
                submit(*claimed);
                if (claimed->size() == limit)
                    QTimer::singleShot(0, this, &OutboxSender::pollDue);
            },
            Qt::QueuedConnection);
    });
}

} // namespace salesbot
