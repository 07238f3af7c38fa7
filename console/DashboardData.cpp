#include "DashboardData.h"

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

template <typename Row>
qint64 sum(const QList<Row>& rows, qint64 Row::*field)
{
    qint64 total = 0;
    for (const Row& row : rows)
        total += row.*field;
    return total;
}

} // namespace

qint64 DashboardData::totalViews() const
{
    return sum(interest, &PackageInterest::views);
}

qint64 DashboardData::totalApplications() const
{
    return sum(daily, &DailyVolume::applications);
}

qint64 DashboardData::totalNewUsers() const
{
    return sum(daily, &DailyVolume::newUsers);
}

double DashboardData::conversion() const
{
    const qint64 views = totalViews();
    return views > 0 ? double(totalApplications()) / double(views) : 0.0;
}

ReportPeriod DashboardData::lastDays(int days, const QDate& today, int utcOffsetSeconds)
{
    return DashboardData::days(today.addDays(1 - qMax(1, days)), today, utcOffsetSeconds);
}

ReportPeriod DashboardData::days(QDate first, QDate last, int utcOffsetSeconds)
{
    if (last < first)
        std::swap(first, last);
    // Local midnight is UTC midnight of the same date moved back by the offset.
    const QDateTime from = QDateTime(first, QTime(0, 0), Qt::UTC).addSecs(-utcOffsetSeconds);
    const QDateTime to = QDateTime(last.addDays(1), QTime(0, 0), Qt::UTC).addSecs(-utcOffsetSeconds);
    return {from, to, utcOffsetSeconds};
}

QDate DashboardData::today(int utcOffsetSeconds)
{
    return QDateTime::currentDateTimeUtc().addSecs(utcOffsetSeconds).date();
}

QDate DashboardData::firstDay(const ReportPeriod& period)
{
    return period.from.toUTC().addSecs(period.utcOffsetSeconds).date();
}

QDate DashboardData::lastDay(const ReportPeriod& period)
{
    return period.to.toUTC().addMSecs(-1).addSecs(period.utcOffsetSeconds).date();
}

Expected<DashboardData, DbError> DashboardData::load(DbConnection& db, const ReportPeriod& period, Part part)
{
    MetricsRepository metrics(db);
    DashboardData data;
    data.period = period;
    if (part != Part::VolumeAndFunnel) {
        auto interest = metrics.packageInterest(period);
        if (!interest)
            return unexpected(interest.error());
        data.interest = std::move(interest).value();
    }
    if (part != Part::Interest) {
        auto daily = metrics.dailyVolume(period);
        if (!daily)
            return unexpected(daily.error());
        data.daily = std::move(daily).value();
        auto funnel = metrics.funnel(period);
        if (!funnel)
            return unexpected(funnel.error());
        data.funnel = funnel.value();
    }
    return data;
}

void DashboardData::take(DashboardData&& other, Part part)
{
    period = other.period;
    if (part != Part::VolumeAndFunnel)
        interest = std::move(other.interest);
    if (part != Part::Interest) {
        daily = std::move(other.daily);
        funnel = other.funnel;
    }
}

QStringList DashboardData::funnelStepNames()
{
    return {tr("Started the bot"), tr("Viewed a package"), tr("Started the form"),
            tr("Filed an application")};
}

QList<qint64> DashboardData::funnelCounts() const
{
    return {funnel.started, funnel.viewedPackage, funnel.startedForm, funnel.filed};
}

CsvWriter DashboardData::csv(const QLocale& locale) const
{
    CsvWriter writer(CsvWriter::separatorFor(locale));
    // Dates in ISO form and plain numbers (the locale's decimal sign): spreadsheets read both as values.
    auto percent = [&](double fraction) {
        return locale.toString(fraction * 100.0, 'f', 1);
    };
    auto number = [](qint64 value) {
        return QString::number(value);
    };
    const QString iso = u"yyyy-MM-dd"_s;
    writer.addRow({tr("Period"), firstDay(period).toString(iso), lastDay(period).toString(iso)});
    writer.addRow({});
    writer.addRow({tr("Package interest")});
    writer.addRow({tr("Package"), tr("Code"), tr("Views"), tr("Applications"), tr("Conversion, %")});
    for (const PackageInterest& p : interest)
        writer.addRow({p.title, p.code, number(p.views), number(p.applications), percent(p.conversion())});
    writer.addRow({});
    writer.addRow({tr("Daily volume")});
    writer.addRow({tr("Date"), tr("Applications"), tr("New users")});
    for (const DailyVolume& d : daily)
        writer.addRow({d.day.toString(iso), number(d.applications), number(d.newUsers)});
    writer.addRow({});
    writer.addRow({tr("Funnel")});
    writer.addRow({tr("Step"), tr("Users"), tr("Of the first step, %")});
    const QStringList steps = funnelStepNames();
    const QList<qint64> counts = funnelCounts();
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const double share = counts.first() > 0 ? double(counts.at(i)) / double(counts.first()) : 0.0;
        writer.addRow({steps.at(i), number(counts.at(i)), percent(share)});
    }
    return writer;
}

} // namespace salesbot
