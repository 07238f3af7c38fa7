#include "BarChart.h"

#include "NiceScale.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>

namespace salesbot {

struct BarChart::Layout
{
    NiceScale scale;
    QRectF plot;
    qreal slot = 0;     // width per category
    qreal barWidth = 0; // width of one bar
};

BarChart::BarChart(QWidget* parent)
    : ChartWidget(parent)
{}

void BarChart::setData(const QStringList& categories, const QList<ChartSeries>& series,
                       const QStringList& notes)
{
    m_categories = categories;
    setSeries(series);
    m_notes = notes;
    dataChanged();
}

double BarChart::value(int category, int series) const
{
    return seriesValue(category, series);
}

int BarChart::itemCount() const
{
    return int(m_categories.size() * seriesCount());
}

bool BarChart::hasData() const
{
    return seriesMaximum() > 0;
}

QString BarChart::valueText(int index) const
{
    if (index < 0 || index >= itemCount())
        return {};
    const int perGroup = seriesCount();
    return formatNumber(value(index / perGroup, index % perGroup));
}

QStringList BarChart::hoverLines(int index) const
{
    if (index < 0 || index >= itemCount())
        return {};
    const int perGroup = seriesCount();
    const int category = index / perGroup;
    QStringList lines{m_categories.at(category)};
    for (int s = 0; s < perGroup; ++s) {
        lines.append(tr("%1: %2").arg(series().at(s).name, formatNumber(value(category, s))));
    }
    if (category < m_notes.size() && !m_notes.at(category).isEmpty())
        lines.append(m_notes.at(category));
    return lines;
}

BarChart::Layout BarChart::layout(const QRectF& area) const
{
    const qreal line = lineHeight();
    const NiceScale scale = scaleFor(seriesMaximum(), area);
    const qreal bottom = line * (m_notes.isEmpty() ? 1.4 : 2.4);
    const QRectF plot = valuePlotRect(area.adjusted(0, line * 0.6, 0, 0), scale, bottom); // room for values
    const qreal slot = m_categories.isEmpty() ? plot.width() : plot.width() / qreal(m_categories.size());
    const qreal group = slot * 0.7;
    const qreal barWidth = qMin(group / qreal(qMax(1, seriesCount())), line * 3.5);
    return {scale, plot, slot, barWidth};
}

QRectF BarChart::barRect(const Layout& layout, int category, int series, bool column) const
{
    const qreal gap = qMin(3.0, layout.barWidth * 0.1);
    const qreal groupWidth = layout.barWidth * qreal(seriesCount());
    const qreal left =
        layout.plot.left() + layout.slot * (category + 0.5) - groupWidth / 2 + layout.barWidth * series;
    if (column)
        return QRectF(left, layout.plot.top(), layout.barWidth, layout.plot.height());
    const qreal top = yFor(layout.plot, layout.scale, value(category, series));
    return QRectF(QPointF(left + gap / 2, top),
                  QPointF(left + layout.barWidth - gap / 2, layout.plot.bottom()));
}

QRectF BarChart::hitRectIn(int index, const QRectF& area) const
{
    const int perGroup = seriesCount();
    return barRect(layout(area), index / perGroup, index % perGroup, true);
}

void BarChart::paintContent(QPainter& painter, const QRectF& area, int hovered) const
{
    const Layout l = layout(area);
    const int perGroup = seriesCount();
    const int hoveredCategory = hovered >= 0 ? hovered / perGroup : -1;
    if (hoveredCategory >= 0) {
        painter.fillRect(
            QRectF(l.plot.left() + l.slot * hoveredCategory, l.plot.top(), l.slot, l.plot.height()),
            highlightColor());
    }
    drawValueAxis(painter, l.plot, l.scale);

    const QFontMetricsF metrics(painter.font());
    for (int c = 0; c < m_categories.size(); ++c) {
        for (int s = 0; s < perGroup; ++s) {
            const QRectF bar = barRect(l, c, s, false);
            const bool isHovered = hovered == c * perGroup + s;
            QColor colour = seriesColor(s);
            if (hovered >= 0 && !isHovered)
                colour.setAlphaF(0.55f);
            painter.setPen(Qt::NoPen);
            painter.setBrush(colour);
            if (bar.height() > 0.5)
                painter.drawRoundedRect(bar, 2, 2);
            const QString text = formatNumber(value(c, s));
            if (metrics.horizontalAdvance(text) <= l.barWidth + 4 || isHovered) {
                QFont font = painter.font();
                font.setBold(isHovered);
                painter.save();
                painter.setFont(font);
                drawCenteredText(painter, bar.center().x(), bar.top() - metrics.height() - 1, l.slot, text,
                                 isHovered ? textColor() : mutedTextColor());
                painter.restore();
            }
        }
        const qreal x = l.plot.left() + l.slot * (c + 0.5);
        const qreal top = l.plot.bottom() + lineHeight() * 0.3;
        drawCenteredText(painter, x, top, l.slot - 4, m_categories.at(c), textColor());
        if (c < m_notes.size())
            drawCenteredText(painter, x, top + lineHeight(), l.slot - 4, m_notes.at(c), mutedTextColor());
    }
    if (hovered >= 0 && hovered < itemCount()) {
        // Beside the whole group, so that the box hides none of the category's bars.
        QRectF group;
        for (int s = 0; s < perGroup; ++s)
            group |= barRect(l, hoveredCategory, s, false);
        drawHoverBox(painter, group, area, hoverLines(hovered));
    }
}

} // namespace salesbot
