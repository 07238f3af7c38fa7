#include "ChartWidget.h"

#include "NiceScale.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>

#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

QColor mix(const QColor& a, const QColor& b, qreal share) // share of b
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * share),
                            float(a.greenF() + (b.greenF() - a.greenF()) * share),
                            float(a.blueF() + (b.blueF() - a.blueF()) * share));
}

// A crisp one-pixel line at 1x: on a pixel centre.
qreal crisp(qreal y)
{
    return std::floor(y) + 0.5;
}

QFont boldVersion(QFont font)
{
    font.setBold(true);
    return font;
}

constexpr qreal LegendGap = 16.0;

} // namespace

ChartWidget::ChartWidget(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ChartWidget::setTitle(const QString& title)
{
    m_title = title;
    update();
}

void ChartWidget::setEmptyText(const QString& text)
{
    m_emptyText = text;
    update();
}

void ChartWidget::setLegend(const QStringList& names)
{
    m_legend = names;
    update();
}

void ChartWidget::setSeries(const QList<ChartSeries>& series)
{
    m_series = series;
    QStringList names;
    for (const ChartSeries& s : series)
        names.append(s.name);
    setLegend(names);
}

double ChartWidget::seriesValue(int point, int series) const
{
    if (series < 0 || series >= m_series.size() || point < 0 || point >= m_series.at(series).values.size())
        return 0.0;
    return m_series.at(series).values.at(point);
}

double ChartWidget::seriesMaximum() const
{
    double maximum = 0;
    for (const ChartSeries& s : m_series) {
        for (const double v : s.values)
            maximum = qMax(maximum, v);
    }
    return maximum;
}

void ChartWidget::dataChanged()
{
    m_hovered = -1;
    updateGeometry();
    update();
}

int ChartWidget::indexAt(const QPointF& pos) const
{
    if (!hasData())
        return -1;
    const QRectF area = contentArea(rect());
    for (int i = 0; i < itemCount(); ++i) {
        if (hitRectIn(i, area).contains(pos))
            return i;
    }
    return -1;
}

QString ChartWidget::valueTextAt(const QPoint& pos) const
{
    const int index = indexAt(pos);
    return index < 0 ? QString() : valueText(index);
}

QRectF ChartWidget::hitRect(int index) const
{
    if (index < 0 || index >= itemCount())
        return {};
    return hitRectIn(index, contentArea(rect()));
}

QImage ChartWidget::renderImage(const QSize& size, qreal devicePixelRatio) const
{
    if (size.isEmpty())
        return {};
    QImage image(size * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    paintChart(painter, QRectF(QPointF(0, 0), QSizeF(size)), -1);
    return image;
}

bool ChartWidget::savePng(const QString& path, const QSize& size, QString* error,
                          qreal devicePixelRatio) const
{
    const QImage image = renderImage(size, devicePixelRatio);
    if (image.isNull() || !image.save(path, "PNG")) {
        if (error)
            *error = tr("Could not write the image to %1.").arg(path);
        return false;
    }
    return true;
}

QSize ChartWidget::sizeHint() const
{
    return QSize(qRound(lineHeight() * 30), qRound(lineHeight() * 16));
}

QSize ChartWidget::minimumSizeHint() const
{
    return QSize(qRound(lineHeight() * 16), qRound(lineHeight() * 10));
}

QColor ChartWidget::seriesColor(int series) const
{
    // Tableau 10: distinguishable, also for the common kinds of colour blindness; lighter on dark themes.
    static const std::array<QColor, 5> colours{QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b),
                                               QColor(0x59, 0xa1, 0x4f), QColor(0xe1, 0x57, 0x59),
                                               QColor(0x76, 0xb7, 0xb2)};
    const QColor colour = colours.at(size_t(qMax(0, series)) % colours.size());
    return isDark() ? colour.lighter(125) : colour;
}

QColor ChartWidget::backgroundColor() const
{
    return palette().color(QPalette::Base);
}

QColor ChartWidget::textColor() const
{
    return palette().color(QPalette::Text);
}

QColor ChartWidget::mutedTextColor() const
{
    return mix(textColor(), backgroundColor(), 0.4);
}

QColor ChartWidget::highlightColor() const
{
    return mix(backgroundColor(), palette().color(QPalette::Highlight), isDark() ? 0.18 : 0.08);
}

QColor ChartWidget::gridColor() const
{
    return mix(backgroundColor(), textColor(), 0.14);
}

bool ChartWidget::isDark() const
{
    return backgroundColor().lightness() < 128;
}

qreal ChartWidget::lineHeight() const
{
    return QFontMetricsF(font()).height();
}

QString ChartWidget::formatNumber(double value) const
{
    if (std::abs(value) < 1e15 && value == std::floor(value))
        return locale().toString(qint64(value));
    return locale().toString(value, 'f', 1);
}

QString ChartWidget::formatPercent(double fraction) const
{
    const double percent = fraction * 100.0;
    return locale().toString(percent, 'f', percent > 0 && percent < 10 ? 1 : 0) + locale().percent();
}

NiceScale ChartWidget::scaleFor(double maximum, const QRectF& area) const
{
    const int intervals = qBound(2, int(area.height() / (lineHeight() * 2.2)), 6);
    return NiceScale(maximum, intervals);
}

QRectF ChartWidget::valuePlotRect(const QRectF& area, const NiceScale& scale, qreal bottomSpace) const
{
    const QFontMetricsF metrics(font());
    qreal labelWidth = 0;
    for (const double tick : scale.ticks())
        labelWidth = qMax(labelWidth, metrics.horizontalAdvance(formatNumber(tick)));
    return area.adjusted(labelWidth + lineHeight() * 0.5, lineHeight() * 0.5, 0, -bottomSpace);
}

qreal ChartWidget::yFor(const QRectF& plot, const NiceScale& scale, double value)
{
    return plot.bottom() - plot.height() * scale.fraction(value);
}

void ChartWidget::drawValueAxis(QPainter& painter, const QRectF& plot, const NiceScale& scale) const
{
    const qreal height = lineHeight();
    painter.save();
    for (const double tick : scale.ticks()) {
        const qreal y = crisp(yFor(plot, scale, tick));
        painter.setPen(QPen(tick == 0.0 ? mutedTextColor() : gridColor(), 0));
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter.setPen(mutedTextColor());
        painter.drawText(QRectF(plot.left() - height * 8.5, y - height / 2, height * 8, height),
                         Qt::AlignRight | Qt::AlignVCenter, formatNumber(tick));
    }
    painter.restore();
}

void ChartWidget::drawCenteredText(QPainter& painter, qreal centerX, qreal top, qreal maxWidth,
                                   const QString& text, const QColor& color) const
{
    const QFontMetricsF metrics(painter.font());
    painter.save();
    painter.setPen(color);
    painter.drawText(QRectF(centerX - maxWidth / 2, top, maxWidth, metrics.height()),
                     Qt::AlignHCenter | Qt::AlignTop, metrics.elidedText(text, Qt::ElideRight, maxWidth));
    painter.restore();
}

void ChartWidget::drawHoverBox(QPainter& painter, const QRectF& anchor, const QRectF& bounds,
                               const QStringList& lines) const
{
    if (lines.isEmpty())
        return;
    const QFont bold = boldVersion(font());
    const QFontMetricsF metrics(font());
    const QFontMetricsF boldMetrics(bold);
    const qreal pad = lineHeight() * 0.45;
    qreal width = 0;
    for (qsizetype i = 0; i < lines.size(); ++i)
        width = qMax(width, (i == 0 ? boldMetrics : metrics).horizontalAdvance(lines.at(i)));
    const QSizeF size(width + 2 * pad, lines.size() * lineHeight() + 2 * pad);
    // Beside the item, so that it hides neither the item nor its printed value; on the left near the right
    // edge.
    qreal x = anchor.right() + pad;
    if (x + size.width() > bounds.right())
        x = anchor.left() - pad - size.width();
    x = qBound(bounds.left(), x, qMax(bounds.left(), bounds.right() - size.width()));
    const qreal y = qBound(bounds.top(), anchor.top() - lineHeight(),
                           qMax(bounds.top(), bounds.bottom() - size.height()));
    const QRectF box(QPointF(x, y), size);

    painter.save();
    painter.setPen(
        QPen(mix(palette().color(QPalette::ToolTipBase), palette().color(QPalette::ToolTipText), 0.3), 0));
    painter.setBrush(palette().color(QPalette::ToolTipBase));
    painter.drawRoundedRect(box, 4, 4);
    painter.setPen(palette().color(QPalette::ToolTipText));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        painter.setFont(i == 0 ? bold : font());
        painter.drawText(QRectF(box.left() + pad, box.top() + pad + i * lineHeight(), width, lineHeight()),
                         Qt::AlignLeft | Qt::AlignVCenter, lines.at(i));
    }
    painter.restore();
}

qreal ChartWidget::legendWidth() const
{
    const QFontMetricsF metrics(font());
    qreal width = 0;
    for (const QString& name : m_legend)
        width += lineHeight() * 0.7 + 6 + metrics.horizontalAdvance(name) + LegendGap;
    return qMax(0.0, width - LegendGap);
}

QRectF ChartWidget::contentArea(const QRectF& bounds) const
{
    const qreal height = lineHeight();
    const qreal pad = std::round(height * 0.8);
    qreal top = bounds.top() + pad;
    if (!m_title.isEmpty() || !m_legend.isEmpty()) {
        const qreal titleWidth = QFontMetricsF(boldVersion(font())).horizontalAdvance(m_title);
        const bool oneRow = m_legend.isEmpty() || m_title.isEmpty() ||
                            titleWidth + LegendGap * 2 + legendWidth() <= bounds.width() - 2 * pad;
        top += height * (oneRow ? 1.0 : 2.2);
    }
    return QRectF(QPointF(bounds.left() + pad, top + pad * 0.75),
                  QPointF(bounds.right() - pad, bounds.bottom() - pad));
}

void ChartWidget::paintChart(QPainter& painter, const QRectF& bounds, int hovered) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.setFont(font());
    painter.setPen(QPen(gridColor(), 0));
    painter.setBrush(backgroundColor());
    painter.drawRoundedRect(bounds.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);

    const qreal height = lineHeight();
    const qreal pad = std::round(height * 0.8);
    const QRectF area = contentArea(bounds);
    const qreal titleTop = bounds.top() + pad;
    if (!m_title.isEmpty()) {
        painter.setFont(boldVersion(font()));
        painter.setPen(textColor());
        painter.drawText(QRectF(bounds.left() + pad, titleTop, bounds.width() - 2 * pad, height),
                         Qt::AlignLeft | Qt::AlignVCenter, m_title);
        painter.setFont(font());
    }
    if (!m_legend.isEmpty() && hasData()) {
        const QFontMetricsF metrics(font());
        // On the title's row, right-aligned, when it fits; otherwise on a row of its own.
        const bool secondRow = !m_title.isEmpty() && area.top() - titleTop > height * 2;
        qreal x = secondRow ? bounds.left() + pad : bounds.right() - pad - legendWidth();
        const qreal y = secondRow ? titleTop + height * 1.2 : titleTop;
        const qreal swatch = height * 0.7;
        for (qsizetype i = 0; i < m_legend.size(); ++i) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(seriesColor(int(i)));
            painter.drawRoundedRect(QRectF(x, y + (height - swatch) / 2, swatch, swatch), 2, 2);
            x += swatch + 6;
            painter.setPen(textColor());
            const qreal width = metrics.horizontalAdvance(m_legend.at(i));
            painter.drawText(QRectF(x, y, width + 1, height), Qt::AlignLeft | Qt::AlignVCenter,
                             m_legend.at(i));
            x += width + LegendGap;
        }
    }

    if (!hasData()) {
        painter.setPen(mutedTextColor());
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
    } else {
        paintContent(painter, area, hovered);
    }
    painter.restore();
}

void ChartWidget::paintEvent(QPaintEvent* event)
{
    Q_UNUSED(event);
    QPainter painter(this);
    paintChart(painter, rect(), m_hovered);
}

void ChartWidget::setHovered(int index)
{
    if (index == m_hovered)
        return;
    m_hovered = index;
    update();
    Q_EMIT hoveredIndexChanged(index);
}

void ChartWidget::mouseMoveEvent(QMouseEvent* event)
{
    setHovered(indexAt(event->position()));
    QWidget::mouseMoveEvent(event);
}

void ChartWidget::leaveEvent(QEvent* event)
{
    setHovered(-1);
    QWidget::leaveEvent(event);
}

void ChartWidget::changeEvent(QEvent* event)
{
    switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::FontChange:
    case QEvent::LocaleChange:
        updateGeometry();
        update();
        break;
    default:
        break;
    }
    QWidget::changeEvent(event);
}

} // namespace salesbot
