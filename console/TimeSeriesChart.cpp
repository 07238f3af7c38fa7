#include "TimeSeriesChart.h"

#include "NiceScale.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {
// While a day is at least this wide (logical pixels) it is a group of columns; narrower days read better as
// lines.
constexpr qreal MinColumnSlot = 7.0;
} // namespace

struct TimeSeriesChart::Layout
{
    NiceScale scale;
    QRectF plot;
    qreal slot = 0; // width per day
};

TimeSeriesChart::TimeSeriesChart(QWidget* parent)
    : ChartWidget(parent)
{}

void TimeSeriesChart::setData(const QList<QDate>& days, const QList<ChartSeries>& series)
{
    m_days = days;
    setSeries(series);
    dataChanged();
}

double TimeSeriesChart::value(int day, int series) const
{
    return seriesValue(day, series);
}

bool TimeSeriesChart::drawsColumns() const
{
    return drawsColumns(layout(contentArea(rect())));
}

bool TimeSeriesChart::drawsColumns(const Layout& layout) const
{
    return layout.slot >= MinColumnSlot;
}

int TimeSeriesChart::itemCount() const
{
    return int(m_days.size());
}

bool TimeSeriesChart::hasData() const
{
    // Zero days are data too: a quiet week is worth seeing as such.
    return !m_days.isEmpty() && seriesCount() > 0;
}

QString TimeSeriesChart::valueText(int index) const
{
    if (index < 0 || index >= itemCount())
        return {};
    QStringList values;
    for (int s = 0; s < seriesCount(); ++s)
        values.append(formatNumber(value(index, s)));
    return values.join(u" / "_s);
}

QStringList TimeSeriesChart::hoverLines(int index) const
{
    if (index < 0 || index >= itemCount())
        return {};
    QStringList lines{locale().toString(m_days.at(index), u"ddd, d MMMM yyyy"_s)};
    for (int s = 0; s < seriesCount(); ++s)
        lines.append(tr("%1: %2").arg(series().at(s).name, formatNumber(value(index, s))));
    return lines;
}

TimeSeriesChart::Layout TimeSeriesChart::layout(const QRectF& area) const
{
    const NiceScale scale = scaleFor(seriesMaximum(), area);
    const QRectF plot = valuePlotRect(area.adjusted(0, lineHeight() * 0.3, 0, 0), scale, lineHeight() * 1.5);
    return {scale, plot, m_days.isEmpty() ? plot.width() : plot.width() / qreal(m_days.size())};
}

qreal TimeSeriesChart::xFor(const Layout& layout, int day) const
{
    return layout.plot.left() + layout.slot * (day + 0.5);
}

QList<TimeSeriesChart::DateLabel> TimeSeriesChart::dateLabels(const Layout& layout) const
{
    const QFontMetricsF metrics(font());
    const qreal gap = lineHeight();
    const int count = int(m_days.size());
    QList<DateLabel> candidates;
    if (count <= 92) {
        // Every day, every other, every third, weekly, fortnightly: the first step whose labels have room,
        // counted back from the last day so that the most recent day is always labelled.
        const QString format = u"d MMM"_s;
        qreal widest = 0;
        for (const QDate& day : m_days)
            widest = qMax(widest, metrics.horizontalAdvance(locale().toString(day, format)));
        int step = 28;
        for (const int candidate : {1, 2, 3, 7, 14}) {
            if (layout.slot * candidate >= widest + gap) {
                step = candidate;
                break;
            }
        }
        for (int i = count - 1; i >= 0; i -= step)
            candidates.prepend({i, locale().toString(m_days.at(i), format), {}});
    } else {
        // A long period: the first day of each month, with the year in January and on the first label.
        for (int i = 0; i < count; ++i) {
            if (m_days.at(i).day() != 1)
                continue;
            const bool withYear = candidates.isEmpty() || m_days.at(i).month() == 1;
            candidates.append({i, locale().toString(m_days.at(i), withYear ? u"MMM yyyy"_s : u"MMM"_s), {}});
        }
    }
    // Whatever the step, a label is kept inside the plot and dropped when it would touch its neighbour; the
    // walk starts at the most recent day, so that one keeps its label.
    QList<DateLabel> labels;
    const qreal top = layout.plot.bottom() + lineHeight() * 0.3;
    for (qsizetype i = candidates.size() - 1; i >= 0; --i) {
        DateLabel label = candidates.at(i);
        const qreal width = metrics.horizontalAdvance(label.text) + 2;
        const qreal left = qBound(layout.plot.left(), xFor(layout, label.day) - width / 2,
                                  qMax(layout.plot.left(), layout.plot.right() - width));
        label.rect = QRectF(left, top, width, metrics.height());
        if (!labels.isEmpty() && label.rect.right() > labels.first().rect.left() - gap / 2)
            continue;
        labels.prepend(label);
    }
    return labels;
}

QList<int> TimeSeriesChart::labelledDays() const
{
    QList<int> days;
    for (const DateLabel& label : dateLabels(layout(contentArea(rect()))))
        days.append(label.day);
    return days;
}

QList<QRectF> TimeSeriesChart::dateLabelRects() const
{
    QList<QRectF> rects;
    for (const DateLabel& label : dateLabels(layout(contentArea(rect()))))
        rects.append(label.rect);
    return rects;
}

QRectF TimeSeriesChart::hitRectIn(int index, const QRectF& area) const
{
    const Layout l = layout(area);
    return QRectF(l.plot.left() + l.slot * index, l.plot.top(), l.slot, l.plot.height());
}

void TimeSeriesChart::paintContent(QPainter& painter, const QRectF& area, int hovered) const
{
    const Layout l = layout(area);
    if (hovered >= 0 && hovered < itemCount()) {
        painter.fillRect(QRectF(l.plot.left() + l.slot * hovered, l.plot.top(), l.slot, l.plot.height()),
                         highlightColor());
    }
    drawValueAxis(painter, l.plot, l.scale);

    const int perDay = seriesCount();
    const int count = int(m_days.size());
    const QFontMetricsF metrics(painter.font());
    if (drawsColumns(l)) {
        const qreal barWidth = qMin(l.slot * 0.8 / perDay, lineHeight() * 2.5);
        const qreal gap = qMin(2.0, barWidth * 0.15);
        for (int d = 0; d < count; ++d) {
            const qreal groupLeft = xFor(l, d) - barWidth * perDay / 2;
            for (int s = 0; s < perDay; ++s) {
                const double v = value(d, s);
                const QRectF bar(QPointF(groupLeft + barWidth * s + gap / 2, yFor(l.plot, l.scale, v)),
                                 QPointF(groupLeft + barWidth * (s + 1) - gap / 2, l.plot.bottom()));
                QColor colour = seriesColor(s);
                if (hovered >= 0 && hovered != d)
                    colour.setAlphaF(0.55f);
                painter.setPen(Qt::NoPen);
                painter.setBrush(colour);
                if (bar.height() > 0.5)
                    painter.drawRoundedRect(bar, 1.5, 1.5);
                const QString text = formatNumber(v);
                if (v > 0 && metrics.horizontalAdvance(text) <= barWidth + 2)
                    drawCenteredText(painter, bar.center().x(), bar.top() - metrics.height(), l.slot, text,
                                     mutedTextColor());
            }
        }
    } else {
        for (int s = perDay - 1; s >= 0; --s) {
            QPainterPath line;
            for (int d = 0; d < count; ++d) {
                const QPointF point(xFor(l, d), yFor(l.plot, l.scale, value(d, s)));
                if (d == 0)
                    line.moveTo(point);
                else
                    line.lineTo(point);
            }
            if (s == 0) {
                // The first series gets a soft area under its line, the others are plain lines.
                QPainterPath fill = line;
                fill.lineTo(xFor(l, count - 1), l.plot.bottom());
                fill.lineTo(xFor(l, 0), l.plot.bottom());
                fill.closeSubpath();
                QColor soft = seriesColor(s);
                soft.setAlphaF(0.18f);
                painter.fillPath(fill, soft);
            }
            painter.setBrush(Qt::NoBrush);
            painter.setPen(QPen(seriesColor(s), 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            painter.drawPath(line);
            if (hovered >= 0 && hovered < count) {
                painter.setPen(QPen(backgroundColor(), 1.5));
                painter.setBrush(seriesColor(s));
                painter.drawEllipse(QPointF(xFor(l, hovered), yFor(l.plot, l.scale, value(hovered, s))), 4,
                                    4);
            }
        }
    }

    for (const DateLabel& label : dateLabels(l)) {
        painter.setPen(QPen(mutedTextColor(), 0));
        const qreal x = std::floor(xFor(l, label.day)) + 0.5;
        painter.drawLine(QPointF(x, l.plot.bottom()), QPointF(x, l.plot.bottom() + lineHeight() * 0.25));
        painter.setPen(mutedTextColor());
        painter.drawText(label.rect, Qt::AlignCenter, label.text);
    }

    if (hovered >= 0 && hovered < count) {
        double top = 0;
        for (int s = 0; s < perDay; ++s)
            top = qMax(top, value(hovered, s));
        const qreal y = yFor(l.plot, l.scale, top);
        drawHoverBox(painter, QRectF(xFor(l, hovered) - l.slot / 2, y, l.slot, l.plot.bottom() - y), area,
                     hoverLines(hovered));
    }
}

} // namespace salesbot
