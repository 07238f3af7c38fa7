#include "RateLimiter.h"

#include <algorithm>
#include <cmath>

namespace salesbot {

namespace {
constexpr qint64 QuietChatMs = 60'000;
constexpr double ProbeStep = 1.0;        // messages/s added per second without a 429
constexpr double GlobalJudgement = 10.0; // sends/s above which a 429 is taken as the bot's global limit
} // namespace

RateLimiter::RateLimiter(RateLimits limits)
    : m_limits(limits)
{
    m_proactiveGlobal.tokens = m_limits.globalPerSecond;
}

void RateLimiter::refill(Bucket& bucket, double rate, double capacity, qint64 nowMs)
{
    if (bucket.updatedMs == 0) {
        bucket.tokens = capacity;
        bucket.updatedMs = nowMs;
        return;
    }
    const double elapsed = double(std::max<qint64>(0, nowMs - bucket.updatedMs)) / 1000.0;
    bucket.tokens = std::min(capacity, bucket.tokens + elapsed * rate);
    bucket.updatedMs = nowMs;
}

qint64 RateLimiter::waitFor(const Bucket& bucket, double rate)
{
    if (bucket.tokens >= 1.0 || rate <= 0)
        return 0;
    return qint64(std::ceil((1.0 - bucket.tokens) / rate * 1000.0));
}

qint64 RateLimiter::delayMs(qint64 chatId, bool proactive, qint64 nowMs)
{
    qint64 wait = std::max<qint64>(0, m_globalPausedUntil - nowMs);
    if (m_adaptiveRate > 0) {
        refill(m_adaptiveGlobal, m_adaptiveRate, std::max(1.0, m_adaptiveRate / 10.0), nowMs);
        wait = std::max(wait, waitFor(m_adaptiveGlobal, m_adaptiveRate));
    }
    auto it = m_chats.find(chatId);
    if (it != m_chats.end()) {
        wait = std::max(wait, it->pausedUntil - nowMs);
        if (it->adaptiveRate > 0) {
            refill(it->adaptive, it->adaptiveRate, 1.0, nowMs);
            wait = std::max(wait, waitFor(it->adaptive, it->adaptiveRate));
        }
    }
    if (proactive && m_limits.enabled) {
        refill(m_proactiveGlobal, m_limits.globalPerSecond, m_limits.globalPerSecond, nowMs);
        wait = std::max(wait, waitFor(m_proactiveGlobal, m_limits.globalPerSecond));
        // operator[] rather than the iterator insert() returns: GCC -O3 takes that one for a null pointer.
        ChatState& chat = m_chats[chatId];
        refill(chat.proactive, m_limits.perChatPerSecond, m_limits.perChatBurst, nowMs);
        wait = std::max(wait, waitFor(chat.proactive, m_limits.perChatPerSecond));
    }
    return std::max<qint64>(0, wait);
}

void RateLimiter::onSent(qint64 chatId, bool proactive, qint64 nowMs)
{
    m_recentSends.push_back(nowMs);
    while (!m_recentSends.empty() && m_recentSends.front() <= nowMs - 1000)
        m_recentSends.pop_front();
    if (m_adaptiveRate > 0)
        m_adaptiveGlobal.tokens -= 1.0;
    const bool track = proactive || m_chats.contains(chatId);
    if (!track)
        return;
    ChatState& chat = m_chats[chatId];
    chat.lastUsedMs = nowMs;
    if (chat.adaptiveRate > 0)
        chat.adaptive.tokens -= 1.0;
    if (proactive && m_limits.enabled) {
        m_proactiveGlobal.tokens -= 1.0;
        chat.proactive.tokens -= 1.0;
    }
}

double RateLimiter::sentInLastSecond(qint64 nowMs)
{
    while (!m_recentSends.empty() && m_recentSends.front() <= nowMs - 1000)
        m_recentSends.pop_front();
    return double(m_recentSends.size());
}

double RateLimiter::acceptedInLastSecond(qint64 nowMs)
{
    while (!m_recentAccepted.empty() && m_recentAccepted.front() <= nowMs - 1000)
        m_recentAccepted.pop_front();
    return double(m_recentAccepted.size());
}

bool RateLimiter::onTooManyRequests(qint64 chatId, int retryAfterSeconds, qint64 nowMs)
{
    // +1: the clock counts whole milliseconds, so "now" may be up to 1 ms behind the moment of the answer.
    const qint64 until = nowMs + qint64(std::max(1, retryAfterSeconds)) * 1000 + 1;
    const double rate = sentInLastSecond(nowMs);
    m_lastProbeMs = nowMs;
    if (rate >= GlobalJudgement) {
        // The bot as a whole is over Telegram's limit: everything waits, then goes a little slower than
        // what got through.
        // What Telegram accepted in the last second is the rate it allows now; a little under it.
        const bool first = m_globalPausedUntil <= nowMs;
        m_globalPausedUntil = std::max(m_globalPausedUntil, until);
        if (first) {
            const double accepted = std::max(1.0, acceptedInLastSecond(nowMs) * 0.9);
            m_adaptiveRate = m_adaptiveRate > 0 ? std::min(m_adaptiveRate * 0.9, accepted) : accepted;
            m_adaptiveGlobal = {0.0, until};
        }
        return true;
    }
    ChatState& chat = m_chats[chatId];
    chat.pausedUntil = std::max(chat.pausedUntil, until);
    chat.adaptiveRate = chat.adaptiveRate > 0 ? std::max(0.2, chat.adaptiveRate * 0.5) : 1.0;
    chat.adaptive = {0.0, until};
    chat.lastUsedMs = nowMs;
    return false;
}

void RateLimiter::onAccepted(qint64 chatId, qint64 nowMs)
{
    if (auto it = m_chats.find(chatId);
        it != m_chats.end() && it->adaptiveRate > 0 && nowMs - it->pausedUntil > 10'000)
        it->adaptiveRate = 0; // the chat has been fine for a while: back to normal
    m_recentAccepted.push_back(nowMs);
    while (!m_recentAccepted.empty() && m_recentAccepted.front() <= nowMs - 1000)
        m_recentAccepted.pop_front();
    if (m_adaptiveRate <= 0 || nowMs - m_lastProbeMs < 1000)
        return;
    // One step up per second while Telegram keeps accepting; far above the limit it is lifted.
    m_lastProbeMs = nowMs;
    m_adaptiveRate += ProbeStep;
    if (m_adaptiveRate > 1000.0)
        m_adaptiveRate = 0;
}

void RateLimiter::prune(qint64 nowMs)
{
    for (auto it = m_chats.begin(); it != m_chats.end();) {
        if (it->lastUsedMs < nowMs - QuietChatMs && it->pausedUntil < nowMs)
            it = m_chats.erase(it);
        else
            ++it;
    }
}

} // namespace salesbot
