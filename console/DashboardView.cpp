#include "DashboardView.h"

#include "BarChart.h"
#include "ConsoleSession.h"
#include "FunnelChart.h"
#include "TimeSeriesChart.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QFileDialog>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QStandardPaths>
#include <QTime>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

constexpr int ChangeDebounceMs = 2000;

QString percentText(const QLocale& locale, double fraction)
{
    const double percent = fraction * 100.0;
    return locale.toString(percent, 'f', percent > 0 && percent < 10 ? 1 : 0) + locale.percent();
}

} // namespace

DashboardView::DashboardView(ConsoleSession& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
{
    buildUi();
    m_changeTimer.setSingleShot(true);
    m_changeTimer.setInterval(ChangeDebounceMs);
    connect(&m_changeTimer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
        else
            m_stale = true;
    });
    m_dateTimer.setSingleShot(true);
    m_dateTimer.setInterval(400);
    connect(&m_dateTimer, &QTimer::timeout, this, &DashboardView::refresh);
    connect(&m_session, &ConsoleSession::applicationChanged, this, &DashboardView::onApplicationsChanged);
}

void DashboardView::buildUi()
{
    m_preset = new QComboBox(this);
    m_preset->addItem(tr("Last 7 days"), 7);
    m_preset->addItem(tr("Last 30 days"), 30);
    m_preset->addItem(tr("Last 90 days"), 90);
    m_preset->addItem(tr("Custom period"), 0);
    m_preset->setCurrentIndex(1);
    m_preset->setToolTip(tr("The operator's local days, today included"));

    const int offset = ConsoleSession::localUtcOffsetSeconds();
    const QDate today = DashboardData::today(offset);
    m_from = new QDateEdit(today.addDays(-29), this);
    m_to = new QDateEdit(today, this);
    for (QDateEdit* edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(locale().dateFormat(QLocale::ShortFormat));
        edit->setEnabled(false);
        connect(edit, &QDateEdit::dateChanged, this, [this] {
            if (m_preset->currentData().toInt() == 0)
                m_dateTimer.start();
        });
    }
    connect(m_preset, &QComboBox::currentIndexChanged, this, &DashboardView::onPresetChanged);

    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(90);
    m_busy->setMaximumHeight(m_preset->sizeHint().height() / 2);
    m_busy->setVisible(false);
    m_status = new QLabel(this);
    m_status->setForegroundRole(QPalette::PlaceholderText);

    m_refreshButton = new QToolButton(this);
    m_refreshButton->setText(tr("Refresh"));
    m_refreshButton->setToolTip(tr("Load the period again (F5)"));
    m_refreshButton->setShortcut(QKeySequence::Refresh);
    connect(m_refreshButton, &QToolButton::clicked, this, &DashboardView::refresh);

    m_exportButton = new QToolButton(this);
    m_exportButton->setText(tr("Export"));
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_exportButton);
    menu->addAction(tr("Dashboard as PNG…"), this,
                    [this] { exportPngInteractively(nullptr, u"dashboard"_s); });
    menu->addAction(tr("Package interest as PNG…"), this,
                    [this] { exportPngInteractively(m_interestChart, u"package-interest"_s); });
    menu->addAction(tr("Daily volume as PNG…"), this,
                    [this] { exportPngInteractively(m_volumeChart, u"daily-volume"_s); });
    menu->addAction(tr("Funnel as PNG…"), this,
                    [this] { exportPngInteractively(m_funnelChart, u"funnel"_s); });
    menu->addSeparator();
    menu->addAction(tr("Data as CSV…"), this, &DashboardView::exportCsvInteractively);
    m_exportButton->setMenu(menu);

    auto* bar = new QHBoxLayout;
    auto* periodLabel = new QLabel(tr("&Period:"), this);
    periodLabel->setBuddy(m_preset);
    bar->addWidget(periodLabel);
    bar->addWidget(m_preset);
    bar->addSpacing(8);
    bar->addWidget(m_from);
    bar->addWidget(new QLabel(u"—"_s, this));
    bar->addWidget(m_to);
    bar->addSpacing(12);
    bar->addWidget(m_busy);
    bar->addWidget(m_status);
    bar->addStretch(1);
    bar->addWidget(m_refreshButton);
    bar->addWidget(m_exportButton);

    m_errorBanner = new QLabel(this);
    m_errorBanner->setWordWrap(true);
    m_errorBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorBanner->setFrameShape(QFrame::StyledPanel);
    m_errorBanner->setMargin(8);
    m_errorBanner->setVisible(false);

    m_content = new QWidget(this);
    m_content->setAutoFillBackground(true);
    auto* summary = new QHBoxLayout;
    summary->setSpacing(12);
    const QStringList captions{tr("Package views"), tr("Applications"), tr("Conversion"), tr("New users")};
    const QStringList hints{tr("How often packages were opened in the bot"),
                            tr("Applications filed in the period"), tr("Applications per package view"),
                            tr("Users who first wrote to the bot")};
    for (qsizetype i = 0; i < captions.size(); ++i) {
        auto* card = new QFrame(m_content);
        card->setFrameShape(QFrame::StyledPanel);
        card->setBackgroundRole(QPalette::Base);
        card->setAutoFillBackground(true);
        card->setToolTip(hints.at(i));
        auto* value = new QLabel(u"—"_s, card);
        QFont big = value->font();
        big.setPointSizeF(big.pointSizeF() * 1.8);
        big.setBold(true);
        value->setFont(big);
        auto* caption = new QLabel(captions.at(i), card);
        caption->setForegroundRole(QPalette::PlaceholderText);
        auto* cardLayout = new QVBoxLayout(card);
        cardLayout->setContentsMargins(14, 8, 14, 10);
        cardLayout->setSpacing(2);
        cardLayout->addWidget(value);
        cardLayout->addWidget(caption);
        summary->addWidget(card, 1);
        m_summaryValues.append(value);
        m_summaryCaptions.append(caption);
    }

    m_interestChart = new BarChart(m_content);
    m_interestChart->setTitle(tr("Package interest"));
    m_interestChart->setEmptyText(tr("No package was viewed and no application filed in this period."));
    m_volumeChart = new TimeSeriesChart(m_content);
    m_volumeChart->setTitle(tr("Applications and new users per day"));
    m_volumeChart->setEmptyText(tr("No data for this period."));
    m_funnelChart = new FunnelChart(m_content);
    // The funnel follows the users who first came in the period (MetricsRepository::funnel).
    m_funnelChart->setTitle(tr("Funnel of the new users"));
    m_funnelChart->setEmptyText(tr("Nobody new came to the bot in this period."));

    auto* charts = new QGridLayout;
    charts->setSpacing(12);
    charts->addWidget(m_interestChart, 0, 0);
    charts->addWidget(m_funnelChart, 0, 1);
    charts->addWidget(m_volumeChart, 1, 0, 1, 2);
    charts->setColumnStretch(0, 3);
    charts->setColumnStretch(1, 2);
    charts->setRowStretch(0, 1);
    charts->setRowStretch(1, 1);

    auto* contentLayout = new QVBoxLayout(m_content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(12);
    contentLayout->addLayout(summary);
    contentLayout->addLayout(charts, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_content, 1);
}

void DashboardView::onPresetChanged()
{
    const bool custom = m_preset->currentData().toInt() == 0;
    m_from->setEnabled(custom);
    m_to->setEnabled(custom);
    if (!custom) {
        // The custom fields follow the preset, so switching to "custom" starts from what was shown.
        const ReportPeriod p = period();
        const QSignalBlocker blockFrom(m_from);
        const QSignalBlocker blockTo(m_to);
        m_from->setDate(DashboardData::firstDay(p));
        m_to->setDate(DashboardData::lastDay(p));
    }
    m_dateTimer.stop();
    refresh();
}

void DashboardView::setPeriodDays(int days)
{
    int index = m_preset->findData(days);
    if (index < 0 || days <= 0) {
        const QDate today = DashboardData::today(ConsoleSession::localUtcOffsetSeconds());
        setCustomPeriod(today.addDays(1 - qMax(1, days)), today);
        return;
    }
    if (index == m_preset->currentIndex())
        refresh();
    else
        m_preset->setCurrentIndex(index); // refreshes
}

void DashboardView::setCustomPeriod(const QDate& first, const QDate& last)
{
    {
        const QSignalBlocker blockPreset(m_preset);
        const QSignalBlocker blockFrom(m_from);
        const QSignalBlocker blockTo(m_to);
        m_preset->setCurrentIndex(m_preset->findData(0));
        m_from->setDate(qMin(first, last));
        m_to->setDate(qMax(first, last));
        m_from->setEnabled(true);
        m_to->setEnabled(true);
    }
    m_dateTimer.stop();
    refresh();
}

ReportPeriod DashboardView::period() const
{
    const int offset = ConsoleSession::localUtcOffsetSeconds();
    const int days = m_preset->currentData().toInt();
    if (days > 0)
        return DashboardData::lastDays(days, DashboardData::today(offset), offset);
    return DashboardData::days(m_from->date(), m_to->date(), offset);
}

void DashboardView::refresh()
{
    m_stale = false;
    if (m_loading) {
        m_reloadPending = true;
        return;
    }
    setLoading(true);
    const ReportPeriod requested = period();
    // Two halves of about equal cost, on two connections at once when both are free.
    m_pendingParts = 2;
    m_partial = {};
    m_partialError.clear();
    for (const DashboardData::Part part :
         {DashboardData::Part::Interest, DashboardData::Part::VolumeAndFunnel}) {
        m_session.callLeastBusy(
            this, [requested, part](DbConnection& db) { return DashboardData::load(db, requested, part); },
            [this, part](Expected<DashboardData, DbError> result) {
                if (result)
                    m_partial.take(std::move(result).value(), part);
                else if (m_partialError.isEmpty())
                    m_partialError = result.error().message();
                if (--m_pendingParts > 0)
                    return;
                setLoading(false);
                if (m_reloadPending) {
                    // The period or the data changed while this ran: what came back is already old.
                    m_reloadPending = false;
                    refresh();
                    return;
                }
                if (!m_partialError.isEmpty()) {
                    showError(m_partialError);
                    return;
                }
                display(m_partial);
            });
    }
}

void DashboardView::setLoading(bool loading)
{
    m_loading = loading;
    m_busy->setVisible(loading);
    if (loading)
        m_status->setText(tr("Loading…"));
}

void DashboardView::display(const DashboardData& data)
{
    m_data = data;
    m_error.clear();
    m_errorBanner->setVisible(false);
    const QLocale loc = locale();

    QStringList titles;
    QStringList notes;
    ChartSeries views{tr("Views"), {}};
    ChartSeries applications{tr("Applications"), {}};
    for (const PackageInterest& p : data.interest) {
        titles.append(p.title.isEmpty() ? p.code : p.title);
        views.values.append(double(p.views));
        applications.values.append(double(p.applications));
        notes.append(p.views > 0 ? tr("conversion %1").arg(percentText(loc, p.conversion())) : QString());
    }
    m_interestChart->setData(titles, {views, applications}, notes);

    QList<QDate> days;
    ChartSeries perDay{tr("Applications"), {}};
    ChartSeries newUsers{tr("New users"), {}};
    for (const DailyVolume& d : data.daily) {
        days.append(d.day);
        perDay.values.append(double(d.applications));
        newUsers.values.append(double(d.newUsers));
    }
    m_volumeChart->setData(days, {perDay, newUsers});
    m_funnelChart->setSteps(DashboardData::funnelStepNames(), data.funnelCounts());

    const QList<QString> values{loc.toString(data.totalViews()), loc.toString(data.totalApplications()),
                                percentText(loc, data.conversion()), loc.toString(data.totalNewUsers())};
    for (qsizetype i = 0; i < values.size(); ++i)
        m_summaryValues.at(i)->setText(values.at(i));

    const QDate first = DashboardData::firstDay(data.period);
    const QDate last = DashboardData::lastDay(data.period);
    m_status->setText(tr("%1 – %2, updated at %3")
                          .arg(loc.toString(first, QLocale::ShortFormat),
                               loc.toString(last, QLocale::ShortFormat),
                               loc.toString(QTime::currentTime(), QLocale::ShortFormat)));
    Q_EMIT loaded();
}

void DashboardView::showError(const QString& message)
{
    m_error = message;
    m_status->setText(tr("Not updated"));
    m_errorBanner->setText(
        tr("The dashboard could not be loaded: %1\nCheck the connection and press Refresh.").arg(message));
    m_errorBanner->setVisible(true);
    Q_EMIT failed(message);
}

QStringList DashboardView::summaryTexts() const
{
    QStringList texts;
    for (const QLabel* label : m_summaryValues)
        texts.append(label->text());
    return texts;
}

void DashboardView::onApplicationsChanged()
{
    // A burst of changes (a busy hour, a bulk status update) becomes one load two seconds after the first.
    if (!m_changeTimer.isActive())
        m_changeTimer.start();
}

void DashboardView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

QImage DashboardView::renderImage() const
{
    return m_content->grab().toImage();
}

bool DashboardView::exportPng(const QString& path, QString* error) const
{
    if (!renderImage().save(path, "PNG")) {
        if (error)
            *error = tr("Could not write the image to %1.").arg(QDir::toNativeSeparators(path));
        return false;
    }
    return true;
}

bool DashboardView::exportChartPng(const ChartWidget* chart, const QString& path, QString* error) const
{
    if (!chart)
        return exportPng(path, error);
    const QSize size = chart->size().isEmpty() || !chart->isVisible() ? chart->sizeHint() * 2 : chart->size();
    return chart->savePng(path, size, error, qMax(1.0, chart->devicePixelRatioF()));
}

bool DashboardView::exportCsv(const QString& path, QString* error) const
{
    return m_data.csv(locale()).save(path, error);
}

QString DashboardView::suggestedPath(const QString& baseName, const QString& suffix) const
{
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    const QString iso = u"yyyy-MM-dd"_s;
    return QDir(folder).filePath(
        u"%1_%2_%3.%4"_s.arg(baseName, DashboardData::firstDay(m_data.period).toString(iso),
                             DashboardData::lastDay(m_data.period).toString(iso), suffix));
}

void DashboardView::exportPngInteractively(const ChartWidget* chart, const QString& baseName)
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save as PNG"), suggestedPath(baseName, u"png"_s), tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportChartPng(chart, path, &error))
        QMessageBox::warning(this, tr("Export"), error);
}

void DashboardView::exportCsvInteractively()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save as CSV"), suggestedPath(u"dashboard"_s, u"csv"_s), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export"), error);
}

} // namespace salesbot
