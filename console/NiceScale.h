#pragma once

// Value-axis ticks a person reads at a glance (0, 2, 4, 6, 8 rather than 0, 1.75, 3.5): the one scale all the
// dashboard's charts share.

#include <QList>

namespace salesbot {

class NiceScale final
{
public:
    // From 0 up to at least `maximum` in at most `maxIntervals` steps of 1, 2, 2.5 or 5 times a power of ten.
    // Counts get whole steps; an empty range (maximum <= 0) becomes 0..1.
    explicit NiceScale(double maximum, int maxIntervals = 5, bool integers = true);

    double step() const { return m_step; }
    // The top of the axis: the last tick.
    double top() const { return m_top; }
    QList<double> ticks() const;
    // Where `value` sits between 0 (bottom) and 1 (top).
    double fraction(double value) const { return m_top > 0 ? value / m_top : 0.0; }

private:
    double m_step = 1.0;
    double m_top = 1.0;
};

} // namespace salesbot
