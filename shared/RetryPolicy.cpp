#include "RetryPolicy.h"

#include <QRandomGenerator>

#include <algorithm>

namespace salesbot {

qint64 RetryPolicy::delayMs(int attempt, double random) const
{
    const int exponent = std::clamp(attempt - 1, 0, 30);
    const double raw = std::min(double(maxDelayMs), double(baseDelayMs) * double(qint64(1) << exponent));
    const double factor = 1.0 + jitter * (2.0 * std::clamp(random, 0.0, 1.0) - 1.0);
    return qint64(std::max(0.0, raw * factor));
}

qint64 RetryPolicy::delayMs(int attempt) const
{
    return delayMs(attempt, QRandomGenerator::global()->generateDouble());
}

} // namespace salesbot
