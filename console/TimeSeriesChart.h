#pragma once

// Values per day on a value axis: the dashboard's daily volume (applications and new users per day). Columns
// while the days are few, lines when there are many; date labels are thinned so that they never overlap.

#include "ChartWidget.h"

#include <QDate>

namespace salesbot {

class NiceScale;

class TimeSeriesChart final : public ChartWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimeSeriesChart)

public:
    explicit TimeSeriesChart(QWidget* parent = nullptr);

    // Each series holds one value per day.
    void setData(const QList<QDate>& days, const QList<ChartSeries>& series);
    QList<QDate> days() const { return m_days; }
    double value(int day, int series) const;
    // Whether the days are drawn as columns (wide enough days) or lines (many days, little room).
    bool drawsColumns() const;

    // Item `day` is one day with all its values.
    int itemCount() const override;
    bool hasData() const override;
    QString valueText(int index) const override;
    QStringList hoverLines(int index) const override;

    // The days that get a date label at the current size, and where the labels go (widget coordinates).
    QList<int> labelledDays() const;
    QList<QRectF> dateLabelRects() const;

protected:
    void paintContent(QPainter& painter, const QRectF& area, int hovered) const override;
    QRectF hitRectIn(int index, const QRectF& area) const override;

private:
    struct Layout;
    struct DateLabel
    {
        int day = 0;
        QString text;
        QRectF rect;
    };
    Layout layout(const QRectF& area) const;
    QList<DateLabel> dateLabels(const Layout& layout) const;
    qreal xFor(const Layout& layout, int day) const;
    bool drawsColumns(const Layout& layout) const;

    QList<QDate> m_days;
};

} // namespace salesbot
