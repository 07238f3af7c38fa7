#include "NiceScale.h"

#include <cmath>

namespace salesbot {

NiceScale::NiceScale(double maximum, int maxIntervals, bool integers)
{
    maxIntervals = qMax(1, maxIntervals);
    if (!(maximum > 0.0)) // also NaN
        return;
    const double raw = maximum / maxIntervals;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    m_step = 10.0 * magnitude;
    for (const double factor : {1.0, 2.0, 2.5, 5.0}) {
        const double step = factor * magnitude;
        if (integers && step != std::floor(step))
            continue;
        if (step >= raw * (1.0 - 1e-9)) {
            m_step = step;
            break;
        }
    }
    if (integers)
        m_step = qMax(1.0, m_step);
    m_top = std::ceil(maximum / m_step - 1e-9) * m_step;
}

QList<double> NiceScale::ticks() const
{
    QList<double> result;
    const int count = int(std::lround(m_top / m_step));
    for (int i = 0; i <= count; ++i)
        result.append(i * m_step);
    return result;
}

} // namespace salesbot
