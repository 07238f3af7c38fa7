#pragma once

// What the dashboard shows for one period, loaded in one go on the database thread, plus the period
// arithmetic (the operator's local days in UTC) and the CSV document: plain code that tests call directly.

#include "CsvWriter.h"
#include "DbConnection.h"
#include "DbError.h"
#include "Expected.h"
#include "MetricsRepository.h"

#include <QCoreApplication>
#include <QLocale>

namespace salesbot {

struct DashboardData
{
    Q_DECLARE_TR_FUNCTIONS(DashboardData)

public:
    ReportPeriod period;
    QList<PackageInterest> interest;
    QList<DailyVolume> daily;
    Funnel funnel;

    qint64 totalViews() const;
    // Every application of the period (also those of packages no longer in the catalog).
    qint64 totalApplications() const;
    qint64 totalNewUsers() const;
    // Applications per package view, 0 without views.
    double conversion() const;

    // The last `days` local days up to and including `today`: [local midnight `days - 1` days before `today`,
    // the local midnight after it), in UTC, for a zone `utcOffsetSeconds` east of UTC.
    static ReportPeriod lastDays(int days, const QDate& today, int utcOffsetSeconds);
    // The local days `first` to `last`, both included (swapped when given the wrong way round).
    static ReportPeriod days(QDate first, QDate last, int utcOffsetSeconds);
    // The operator's date today in that zone.
    static QDate today(int utcOffsetSeconds);
    // The first and last local day of a period.
    static QDate firstDay(const ReportPeriod& period);
    static QDate lastDay(const ReportPeriod& period);

    // The aggregates of `period`, on the calling (database) thread: all three, or one of two halves of about
    // equal cost that two connections load side by side (the view merges them with take()).
    enum class Part
    {
        All,
        Interest,
        VolumeAndFunnel
    };
    static Expected<DashboardData, DbError> load(DbConnection& db, const ReportPeriod& period,
                                                 Part part = Part::All);
    // Takes over the datasets `other` was loaded with.
    void take(DashboardData&& other, Part part);

    // All three datasets as one CSV document (sections with a heading row each), numbers in `locale`, with
    // the separator CsvWriter::separatorFor(locale).
    CsvWriter csv(const QLocale& locale) const;
    QByteArray toCsv(const QLocale& locale) const { return csv(locale).data(); }
    // The funnel's step names, in order.
    static QStringList funnelStepNames();
    QList<qint64> funnelCounts() const;
};

} // namespace salesbot
