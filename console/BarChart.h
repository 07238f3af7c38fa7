#pragma once

// Grouped bars (categories × series) on a value axis, with an optional note under each category: the
// dashboard's package interest (views and applications per package, conversion as the note).

#include "ChartWidget.h"

namespace salesbot {

class NiceScale;

class BarChart final : public ChartWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BarChart)

public:
    explicit BarChart(QWidget* parent = nullptr);

    // Each series holds one value per category; `notes` (optional) are printed under the category names.
    void setData(const QStringList& categories, const QList<ChartSeries>& series,
                 const QStringList& notes = {});
    QStringList categories() const { return m_categories; }
    QStringList notes() const { return m_notes; }
    double value(int category, int series) const;

    // Item `category * seriesCount + series` is one bar.
    int itemCount() const override;
    bool hasData() const override;
    QString valueText(int index) const override;
    QStringList hoverLines(int index) const override;

protected:
    void paintContent(QPainter& painter, const QRectF& area, int hovered) const override;
    QRectF hitRectIn(int index, const QRectF& area) const override;

private:
    struct Layout;
    Layout layout(const QRectF& area) const;
    // The bar as drawn (`value` high), or its whole column for hit tests.
    QRectF barRect(const Layout& layout, int category, int series, bool column) const;

    QStringList m_categories;
    QStringList m_notes;
};

} // namespace salesbot
