#pragma once

// How long to wait before the next attempt: exponential backoff with jitter, and when to give up.

#include <QtGlobal>

namespace salesbot {

struct RetryPolicy
{
    int maxAttempts = 8;
    int baseDelayMs = 1000;
    int maxDelayMs = 5 * 60 * 1000;
    double jitter = 0.2; // ± this fraction of the delay

    // The delay after the given failed attempt (1-based); `random` in [0, 1) picks the jitter.
    qint64 delayMs(int attempt, double random) const;
    // The same with a random draw.
    qint64 delayMs(int attempt) const;
    bool exhausted(int attempts) const { return attempts >= maxAttempts; }
};

} // namespace salesbot
