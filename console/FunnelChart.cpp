#include "FunnelChart.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>

using namespace Qt::StringLiterals;

namespace salesbot {

FunnelChart::FunnelChart(QWidget* parent)
    : ChartWidget(parent)
{}

void FunnelChart::setSteps(const QStringList& labels, const QList<qint64>& counts)
{
    m_labels = labels;
    m_counts = counts;
    dataChanged();
}

double FunnelChart::shareOfFirst(int step) const
{
    if (m_counts.isEmpty() || m_counts.first() <= 0 || step < 0 || step >= m_counts.size())
        return 0.0;
    return double(m_counts.at(step)) / double(m_counts.first());
}

int FunnelChart::itemCount() const
{
    return int(qMin(m_labels.size(), m_counts.size()));
}

bool FunnelChart::hasData() const
{
    return itemCount() > 0 && m_counts.first() > 0;
}

QString FunnelChart::valueText(int index) const
{
    if (index < 0 || index >= itemCount())
        return {};
    return formatNumber(double(m_counts.at(index)));
}

QString FunnelChart::stepText(int step) const
{
    return u"%1 · %2"_s.arg(valueText(step), formatPercent(shareOfFirst(step)));
}

QStringList FunnelChart::hoverLines(int index) const
{
    if (index < 0 || index >= itemCount())
        return {};
    QStringList lines{m_labels.at(index), tr("Users: %1").arg(valueText(index)),
                      tr("Of the first step: %1").arg(formatPercent(shareOfFirst(index)))};
    if (index > 0) {
        const qint64 previous = m_counts.at(index - 1);
        const double share = previous > 0 ? double(m_counts.at(index)) / double(previous) : 0.0;
        lines.append(tr("Of the previous step: %1").arg(formatPercent(share)));
    }
    return lines;
}

FunnelChart::Layout FunnelChart::layout(const QRectF& area) const
{
    const QFontMetricsF metrics(font());
    qreal labelWidth = 0;
    for (const QString& label : m_labels)
        labelWidth = qMax(labelWidth, metrics.horizontalAdvance(label));
    labelWidth = qMin(labelWidth, area.width() * 0.4) + lineHeight();
    qreal textWidth = 0;
    for (int i = 0; i < itemCount(); ++i)
        textWidth = qMax(textWidth, metrics.horizontalAdvance(stepText(i)));
    const int count = qMax(1, itemCount());
    const qreal rowHeight = qMin(area.height() / count, lineHeight() * 3.2);
    // The bars sit in the middle of the area's height; room for the text after the longest one on the right.
    const qreal top = area.top() + (area.height() - rowHeight * count) / 2;
    const QRectF bars(QPointF(area.left() + labelWidth, top),
                      QPointF(area.right() - textWidth - lineHeight() * 0.6, top + rowHeight * count));
    return {labelWidth, rowHeight, bars};
}

QRectF FunnelChart::barRect(const Layout& layout, int step) const
{
    const qreal width = qMax(shareOfFirst(step) * layout.bars.width(), m_counts.at(step) > 0 ? 2.0 : 0.0);
    const qreal top = layout.bars.top() + layout.rowHeight * step + layout.rowHeight * 0.15;
    return QRectF(layout.bars.left(), top, width, layout.rowHeight * 0.7);
}

QRectF FunnelChart::hitRectIn(int index, const QRectF& area) const
{
    const Layout l = layout(area);
    return QRectF(area.left(), l.bars.top() + l.rowHeight * index, area.width(), l.rowHeight);
}

void FunnelChart::paintContent(QPainter& painter, const QRectF& area, int hovered) const
{
    const Layout l = layout(area);
    const QFontMetricsF metrics(painter.font());
    for (int i = 0; i < itemCount(); ++i) {
        const QRectF row(area.left(), l.bars.top() + l.rowHeight * i, area.width(), l.rowHeight);
        if (i == hovered)
            painter.fillRect(row, highlightColor());
        // The full width in a faint tone shows what the step lost against the first one.
        const QRectF track(l.bars.left(), row.top() + l.rowHeight * 0.15, l.bars.width(), l.rowHeight * 0.7);
        painter.setPen(Qt::NoPen);
        painter.setBrush(gridColor());
        painter.drawRoundedRect(track, 3, 3);
        QColor colour = seriesColor(0);
        if (hovered >= 0 && hovered != i)
            colour.setAlphaF(0.7f);
        painter.setBrush(colour);
        const QRectF bar = barRect(l, i);
        if (bar.width() > 0)
            painter.drawRoundedRect(bar, 3, 3);

        painter.setPen(textColor());
        painter.drawText(
            QRectF(area.left(), row.top(), l.labelWidth - lineHeight() * 0.6, row.height()),
            Qt::AlignRight | Qt::AlignVCenter,
            metrics.elidedText(m_labels.at(i), Qt::ElideRight, l.labelWidth - lineHeight() * 0.6));
        QFont font = painter.font();
        font.setBold(i == hovered);
        painter.save();
        painter.setFont(font);
        painter.drawText(QRectF(l.bars.right() + lineHeight() * 0.6, row.top(), area.right() - l.bars.right(),
                                row.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, stepText(i));
        painter.restore();
    }
    if (hovered >= 0 && hovered < itemCount()) {
        const QRectF bar = barRect(l, hovered);
        drawHoverBox(painter,
                     QRectF(bar.left(), bar.top(), qMax(bar.width(), l.bars.width() / 2), bar.height()), area,
                     hoverLines(hovered));
    }
}

} // namespace salesbot
