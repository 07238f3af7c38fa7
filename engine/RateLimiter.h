#pragma once

// Decides when the next message of a flow may go to Telegram. Bot-initiated (proactive) messages pass
// token buckets (about 30/s overall, about 1/s per chat with a short burst); every 429 pauses the flow it
// hit (one chat, or everything when the bot as a whole is over the limit) for retry_after, slows that flow
// to the rate Telegram accepted, and probes back up while Telegram keeps accepting.

#include <QHash>
#include <QtGlobal>

#include <deque>

namespace salesbot {

struct RateLimits
{
    double globalPerSecond = 30.0; // proactive messages overall
    double perChatPerSecond = 1.0; // proactive messages to one chat
    double perChatBurst = 3.0;
    bool enabled = true; // false: proactive limits off (429s are still honoured)
};

class RateLimiter final
{
public:
    explicit RateLimiter(RateLimits limits = {});

    // Milliseconds until a message to `chatId` may go (0: now). Does not consume anything.
    qint64 delayMs(qint64 chatId, bool proactive, qint64 nowMs);
    // A message went out now.
    void onSent(qint64 chatId, bool proactive, qint64 nowMs);
    // Telegram answered 429 with retry_after for a message to `chatId`. Returns true when the limit was
    // judged global (everything pauses), false when only that chat pauses.
    bool onTooManyRequests(qint64 chatId, int retryAfterSeconds, qint64 nowMs);
    // Telegram accepted a message: adaptive rates probe back up.
    void onAccepted(qint64 chatId, qint64 nowMs);

    // The adaptive rate applied to all traffic after a global 429 (0: none in force).
    double adaptiveGlobalRate() const { return m_adaptiveRate; }
    qint64 globalPausedUntil() const { return m_globalPausedUntil; }
    int trackedChats() const { return int(m_chats.size()); }
    // Forgets chats that have been quiet for a while (memory stays bounded with many users).
    void prune(qint64 nowMs);

private:
    struct Bucket
    {
        double tokens = 0;
        qint64 updatedMs = 0;
    };
    struct ChatState
    {
        Bucket proactive;
        qint64 pausedUntil = 0;
        double adaptiveRate = 0; // after a chat 429: the rate for all traffic to this chat
        Bucket adaptive;
        qint64 lastUsedMs = 0;
    };

    static void refill(Bucket& bucket, double rate, double capacity, qint64 nowMs);
    static qint64 waitFor(const Bucket& bucket, double rate);
    double sentInLastSecond(qint64 nowMs);
    double acceptedInLastSecond(qint64 nowMs);

    RateLimits m_limits;
    Bucket m_proactiveGlobal;
    double m_adaptiveRate = 0;
    Bucket m_adaptiveGlobal;
    qint64 m_globalPausedUntil = 0;
    qint64 m_lastProbeMs = 0;
    QHash<qint64, ChatState> m_chats;
    std::deque<qint64> m_recentSends;    // send times within the last second
    std::deque<qint64> m_recentAccepted; // times Telegram accepted a message, within the last second
};

} // namespace salesbot
