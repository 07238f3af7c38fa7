#pragma once

// Bot events (one per user action) and the aggregates the dashboard and `salesbot-engine stats` show.

#include "Repository.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace salesbot {

// [from, to) in UTC; days are counted in the time zone `utcOffsetSeconds` east of UTC.
struct ReportPeriod
{
    QDateTime from;
    QDateTime to;
    int utcOffsetSeconds = 0;
};

struct PackageInterest
{
    QString code;
    QString title;
    qint64 views = 0;        // package_view events
    qint64 applications = 0; // applications created with this package
    // Applications per view, 0 when there were no views.
    double conversion() const { return views > 0 ? double(applications) / double(views) : 0.0; }
};

struct DailyVolume
{
    QDate day;
    qint64 applications = 0;
    qint64 newUsers = 0;
};

// Distinct users at each step in the period.
// The funnel of a period follows the users who first came to the bot in it: how many came, and how many of
// them had viewed a package, started the form and filed an application by the end of the period.
struct Funnel
{
    qint64 started = 0;       // users.created_at in the period
    qint64 viewedPackage = 0; // of them, a package_view before the period's end
    qint64 startedForm = 0;   // apply_start
    qint64 filed = 0;         // application_created
};

class MetricsRepository final : public Repository
{
public:
    using Repository::Repository;

    Expected<void, DbError> record(qint64 telegramId, const QString& action, const QString& packageCode = {},
                                   const QJsonObject& data = {});
    struct Event
    {
        QString action;
        QString packageCode;
        QJsonObject data;
    };
    // Several events of one user in one statement.
    Expected<void, DbError> recordBatch(qint64 telegramId, const QList<Event>& events);
    // For imports and fixtures: an event at a given time.
    Expected<void, DbError> recordAt(qint64 telegramId, const QString& action, const QString& packageCode,
                                     const QJsonObject& data, const QDateTime& at);

    Expected<QList<PackageInterest>, DbError> packageInterest(const ReportPeriod& period);
    // One entry per day of the period, days without activity included as zeros.
    Expected<QList<DailyVolume>, DbError> dailyVolume(const ReportPeriod& period);
    Expected<Funnel, DbError> funnel(const ReportPeriod& period);

    // Per-day reports share these: SQL giving the local day (a date, or 'YYYY-MM-DD' text on SQLite) of a UTC
    // timestamp column, whose one parameter (put it first) is dayOffsetParameter(); and the days a period
    // covers in that time zone.
    static QString dayExpression(Dialect dialect, const QString& column);
    static QVariant dayOffsetParameter(Dialect dialect, int utcOffsetSeconds);
    static QList<QDate> periodDays(const ReportPeriod& period);
};

} // namespace salesbot
