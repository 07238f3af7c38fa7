#pragma once

// Sends what the outbox holds: replies the moment their transaction commits, due rows claimed from the
// database (the console's status messages, retries, leftovers of a crash) on a timer or a NOTIFY.
// Messages to one chat leave one at a time in queue order; chats go in parallel up to a limit. Answers to a
// chat's button presses (answerCallbackQuery) are not messages: they leave in a lane of their own beside the
// chat's messages, so the reply to a press does not wait for the answer's round trip first.
// Outcomes go back to the database: sent, retried with backoff, or given up with the error stored. A message
// that was never written there (OutboxMessage::stored false: a button answer with no text) is retried the
// same way from memory, and only its log lines remain.

#include "BotApiClient.h"
#include "OutboxRepository.h"
#include "RateLimiter.h"
#include "RetryPolicy.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>

namespace salesbot {

class DbWorker;

struct SenderStats
{
    qint64 sent = 0;
    qint64 failed = 0;
    qint64 tooManyRequests = 0;
    qint64 globalPauses = 0;
    qint64 retried = 0;
};

class OutboxSender final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutboxSender)

public:
    OutboxSender(BotApiClient& api, DbWorker& store, RateLimits limits, QObject* parent = nullptr);

    void setMaxInFlight(int value) { m_maxInFlight = qMax(1, value); }
    void setRetryPolicy(const RetryPolicy& policy) { m_policy = policy; }
    void setLeaseMs(qint64 value) { m_leaseMs = value; }

    // Messages already claimed (committed with a lease): queue them to go now.
    void submit(const QList<OutboxMessage>& messages);
    // Claims due rows from the database and queues them.
    void pollDue();
    // Stops claiming; what is queued still goes. True once nothing is queued or in flight.
    void stopClaiming() { m_claiming = false; }
    bool isIdle() const { return m_inFlight == 0 && m_queued == 0; }
    // Writes pending "sent" marks now.
    void flushMarks();

    const SenderStats& stats() const { return m_stats; }
    RateLimiter& limiter() { return m_limiter; }

Q_SIGNALS:
    void idle();
    // 401 from Telegram: the token is not valid any more.
    void unauthorized(const QString& description);
    // A message was accepted by Telegram (for tests and benchmarks).
    void delivered(qint64 chatId, const QString& method);

private:
    // A chat's messages, or its answers to button presses.
    struct Lane
    {
        qint64 chatId = 0;
        bool answers = false;
        friend bool operator==(const Lane&, const Lane&) = default;
        friend size_t qHash(const Lane& lane, size_t seed = 0) noexcept
        {
            return qHashMulti(seed, lane.chatId, lane.answers);
        }
    };

    struct ChatQueue
    {
        std::deque<OutboxMessage> messages;
        bool busy = false;
        qint64 readyAtMs = 0; // backoff after a transient failure
        bool scheduled = false;
    };

    void enqueue(const OutboxMessage& message);
    void schedule(const Lane& lane);
    void pump();
    void send(const Lane& lane, ChatQueue& queue);
    void onResult(const Lane& lane, const BotApiResult& result);
    void finishFront(const Lane& lane, ChatQueue& queue);
    void markDead(const OutboxMessage& m, const QString& error);
    void store(std::function<void(OutboxRepository&)> task);
    qint64 now() const { return m_clock.elapsed(); }

    BotApiClient& m_api;
    DbWorker& m_store;
    RateLimiter m_limiter;
    RetryPolicy m_policy;
    qint64 m_leaseMs = 120'000;
    int m_maxInFlight = 64;
    int m_inFlight = 0;
    qint64 m_queued = 0;
    bool m_claiming = true;
    bool m_claimRunning = false;
    QHash<Lane, ChatQueue> m_chats;
    std::deque<Lane> m_ready;
    QSet<qint64> m_known; // ids queued or in flight: a claim must not bring them twice
    QList<qint64> m_sentMarks;
    QTimer m_wake;
    QTimer m_markTimer;
    QElapsedTimer m_clock;
    qint64 m_lastPruneMs = 0;
    SenderStats m_stats;
};

} // namespace salesbot
