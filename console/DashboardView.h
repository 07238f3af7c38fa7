#pragma once

// The Dashboard tab: a period of the operator's local days, summary numbers, package interest, daily volume
// and the funnel as the project's own charts, with PNG and CSV export. Its queries run on the session's
// database thread; it refreshes itself (at most every two seconds) when applications change.

#include "DashboardData.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QDateEdit;
class QLabel;
class QProgressBar;
class QToolButton;

namespace salesbot {

class BarChart;
class ChartWidget;
class ConsoleSession;
class FunnelChart;
class TimeSeriesChart;

class DashboardView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardView)

public:
    explicit DashboardView(ConsoleSession& session, QWidget* parent = nullptr);

    // Loads the current period again; a call while a load runs is folded into one more load after it.
    void refresh();

    // The last 7, 30 or 90 days (any positive number works), then refresh.
    void setPeriodDays(int days);
    // Local days `first` to `last`, both included, then refresh.
    void setCustomPeriod(const QDate& first, const QDate& last);
    // The period the picker describes now, in UTC.
    ReportPeriod period() const;

    // What is displayed (valid after loaded()).
    const DashboardData& data() const { return m_data; }
    bool isLoading() const { return m_loading; }
    // The last load's error, empty after a successful load.
    QString errorText() const { return m_error; }

    BarChart* interestChart() const { return m_interestChart; }
    TimeSeriesChart* volumeChart() const { return m_volumeChart; }
    FunnelChart* funnelChart() const { return m_funnelChart; }
    // The summary numbers as shown: views, applications, conversion, new users.
    QStringList summaryTexts() const;

    // Summary and charts as they are on screen.
    QImage renderImage() const;
    // Exports; false with `error` set (a message for the operator) on failure.
    bool exportPng(const QString& path, QString* error) const;
    bool exportChartPng(const ChartWidget* chart, const QString& path, QString* error) const;
    bool exportCsv(const QString& path, QString* error) const;

Q_SIGNALS:
    // The data of the current period is displayed.
    void loaded();
    // A load failed; the message is also shown in the view.
    void failed(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void buildUi();
    void onPresetChanged();
    void display(const DashboardData& data);
    void showError(const QString& message);
    void setLoading(bool loading);
    void onApplicationsChanged();
    void exportPngInteractively(const ChartWidget* chart, const QString& baseName);
    void exportCsvInteractively();
    QString suggestedPath(const QString& baseName, const QString& suffix) const;

    ConsoleSession& m_session;
    DashboardData m_data;
    QString m_error;
    bool m_loading = false;
    bool m_reloadPending = false;
    int m_pendingParts = 0;  // halves of the current load still on their way
    DashboardData m_partial; // what has arrived of them
    QString m_partialError;
    bool m_stale = true;  // something changed while the view was hidden (or nothing was loaded yet)
    QTimer m_changeTimer; // applications changed: refresh once, two seconds later
    QTimer m_dateTimer;   // custom dates typed: refresh when the typing pauses

    QComboBox* m_preset = nullptr;
    QDateEdit* m_from = nullptr;
    QDateEdit* m_to = nullptr;
    QLabel* m_status = nullptr;
    QProgressBar* m_busy = nullptr;
    QToolButton* m_refreshButton = nullptr;
    QToolButton* m_exportButton = nullptr;
    QLabel* m_errorBanner = nullptr;
    QWidget* m_content = nullptr;
    QList<QLabel*> m_summaryValues;
    QList<QLabel*> m_summaryCaptions;
    BarChart* m_interestChart = nullptr;
    TimeSeriesChart* m_volumeChart = nullptr;
    FunnelChart* m_funnelChart = nullptr;
};

} // namespace salesbot
