#pragma once

// Steps of a conversion funnel as horizontal bars, each with its count and its share of the first step: the
// dashboard's started → viewed a package → started the form → filed an application.

#include "ChartWidget.h"

namespace salesbot {

class FunnelChart final : public ChartWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FunnelChart)

public:
    explicit FunnelChart(QWidget* parent = nullptr);

    void setSteps(const QStringList& labels, const QList<qint64>& counts);
    QStringList labels() const { return m_labels; }
    QList<qint64> counts() const { return m_counts; }
    // count(step) / count(first step); 0 when the first step is empty.
    double shareOfFirst(int step) const;

    // Item `step` is one step.
    int itemCount() const override;
    bool hasData() const override;
    QString valueText(int index) const override;
    QStringList hoverLines(int index) const override;

protected:
    void paintContent(QPainter& painter, const QRectF& area, int hovered) const override;
    QRectF hitRectIn(int index, const QRectF& area) const override;

private:
    struct Layout
    {
        qreal labelWidth = 0;
        qreal rowHeight = 0;
        QRectF bars; // where the bars go
    };
    Layout layout(const QRectF& area) const;
    QRectF barRect(const Layout& layout, int step) const;
    // "120 · 45%"
    QString stepText(int step) const;

    QStringList m_labels;
    QList<qint64> m_counts;
};

} // namespace salesbot
