#pragma once

// The common ground of the dashboard's QPainter charts: title, legend, a value axis with nice ticks, the
// empty-data text, hover tracking with an inline value box, palette-aware colours and PNG export. Subclasses
// lay out and paint their items inside a given rectangle, so the screen and an exported image share one path.

#include <QImage>
#include <QStringList>
#include <QWidget>

namespace salesbot {

class NiceScale;

// One named row of values of a chart: a value per category or per day.
struct ChartSeries
{
    QString name;
    QList<double> values;
};

class ChartWidget : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartWidget)

public:
    explicit ChartWidget(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    QString title() const { return m_title; }
    // Shown instead of the chart while it has nothing to show.
    void setEmptyText(const QString& text);
    QString emptyText() const { return m_emptyText; }
    QStringList legend() const { return m_legend; }
    // The rows of values, for charts that have them (one value per category or per day).
    QList<ChartSeries> series() const { return m_series; }

    // Items are what the mouse can point at: a bar, a day, a funnel step.
    virtual int itemCount() const = 0;
    // Whether there is anything to draw (otherwise the empty text is shown).
    virtual bool hasData() const = 0;
    // The item's number as the chart prints it.
    virtual QString valueText(int index) const = 0;
    // What the hover box says about an item: a heading, then one line per value.
    virtual QStringList hoverLines(int index) const = 0;

    // The item under the mouse, -1 when none.
    int hoveredIndex() const { return m_hovered; }
    // The item at a point in widget coordinates, -1 when none.
    int indexAt(const QPointF& pos) const;
    // valueText() of the item at `pos`, empty when there is none.
    QString valueTextAt(const QPoint& pos) const;
    // Where an item reacts to the mouse, in widget coordinates.
    QRectF hitRect(int index) const;

    // The chart alone on its background, without hover, at `size` logical pixels.
    QImage renderImage(const QSize& size, qreal devicePixelRatio = 1.0) const;
    // Writes renderImage() as PNG; false with `error` set on failure.
    bool savePng(const QString& path, const QSize& size, QString* error, qreal devicePixelRatio = 1.0) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void hoveredIndexChanged(int index);

protected:
    void setLegend(const QStringList& names);
    // Sets the series and a legend of their names.
    void setSeries(const QList<ChartSeries>& series);
    int seriesCount() const { return int(m_series.size()); }
    // Value `point` of `series`, 0 when there is none.
    double seriesValue(int point, int series) const;
    double seriesMaximum() const;
    // To be called after the data changed: forgets the hover and repaints.
    void dataChanged();

    // Paints the items inside `area` (the part below the title and legend); `hovered` is -1 for exports.
    virtual void paintContent(QPainter& painter, const QRectF& area, int hovered) const = 0;
    virtual QRectF hitRectIn(int index, const QRectF& area) const = 0;

    // The part of `bounds` below the title and legend, inside the padding.
    QRectF contentArea(const QRectF& bounds) const;

    // Shared drawing tools for subclasses.
    QColor seriesColor(int series) const;
    QColor textColor() const;
    QColor mutedTextColor() const;
    QColor gridColor() const;
    // The band behind a hovered item.
    QColor highlightColor() const;
    QColor backgroundColor() const;
    bool isDark() const;
    qreal lineHeight() const;
    QString formatNumber(double value) const;
    // "25%", "2.5%" (one decimal below 10%) in the widget's locale.
    QString formatPercent(double fraction) const;
    // A scale for values up to `maximum` whose tick labels are spaced for `area`'s height.
    NiceScale scaleFor(double maximum, const QRectF& area) const;
    // The plot inside `area` once the value axis labels (left) and `bottomSpace` (below) are reserved.
    QRectF valuePlotRect(const QRectF& area, const NiceScale& scale, qreal bottomSpace) const;
    // Grid lines and tick labels of the value axis; the baseline is drawn stronger.
    void drawValueAxis(QPainter& painter, const QRectF& plot, const NiceScale& scale) const;
    // y of `value` on a value axis.
    static qreal yFor(const QRectF& plot, const NiceScale& scale, double value);
    // A label centred on `centerX` in the band from `top`, elided to `maxWidth`.
    void drawCenteredText(QPainter& painter, qreal centerX, qreal top, qreal maxWidth, const QString& text,
                          const QColor& color) const;
    // The inline value box near `anchor` (an item's rectangle), kept inside `bounds`.
    void drawHoverBox(QPainter& painter, const QRectF& anchor, const QRectF& bounds,
                      const QStringList& lines) const;

    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    qreal legendWidth() const;
    void paintChart(QPainter& painter, const QRectF& bounds, int hovered) const;
    void setHovered(int index);

    QString m_title;
    QString m_emptyText;
    QStringList m_legend;
    QList<ChartSeries> m_series;
    int m_hovered = -1;
};

} // namespace salesbot
