#include "MetricsRepository.h"

#include <QHash>
#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

QString json(const QJsonObject& data)
{
    return QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Compact));
}

} // namespace

Expected<void, DbError> MetricsRepository::record(qint64 telegramId, const QString& action,
                                                  const QString& packageCode, const QJsonObject& data)
{
    return guard([&] {
        m_db.exec(
            u"INSERT INTO bot_metrics (telegram_id, action, package_code, data) VALUES (?, ?, ?, {json})"_s,
            {telegramId, action, textOrNull(packageCode), json(data)}, u"recording an event"_s);
    });
}

Expected<void, DbError> MetricsRepository::recordBatch(qint64 telegramId, const QList<Event>& events)
{
    return guard([&] {
        if (events.isEmpty())
            return;
        QString sql = u"INSERT INTO bot_metrics (telegram_id, action, package_code, data) VALUES "_s;
        QVariantList values;
        for (qsizetype i = 0; i < events.size(); ++i) {
            sql += i == 0 ? u"(?, ?, ?, {json})"_s : u", (?, ?, ?, {json})"_s;
            values << telegramId << events.at(i).action << textOrNull(events.at(i).packageCode)
                   << json(events.at(i).data);
        }
        m_db.exec(sql, values, u"recording events"_s);
    });
}

Expected<void, DbError> MetricsRepository::recordAt(qint64 telegramId, const QString& action,
                                                    const QString& packageCode, const QJsonObject& data,
                                                    const QDateTime& at)
{
    return guard([&] {
        m_db.exec(u"INSERT INTO bot_metrics (telegram_id, action, package_code, data, created_at) "
                  "VALUES (?, ?, ?, {json}, {ts})"_s,
                  {telegramId, action, textOrNull(packageCode), json(data), DbConnection::toSqlTimestamp(at)},
                  u"recording an event"_s);
    });
}

QString MetricsRepository::dayExpression(Dialect dialect, const QString& column)
{
    if (dialect == Dialect::PostgreSql)
        return u"CAST((%1 AT TIME ZONE 'UTC') + CAST(? AS integer) * interval '1 second' AS date)"_s.arg(
            column);
    return u"date(%1, ?)"_s.arg(column);
}

QVariant MetricsRepository::dayOffsetParameter(Dialect dialect, int utcOffsetSeconds)
{
    if (dialect == Dialect::PostgreSql)
        return utcOffsetSeconds;
    return QString::asprintf("%+d seconds", utcOffsetSeconds);
}

QList<QDate> MetricsRepository::periodDays(const ReportPeriod& period)
{
    QList<QDate> days;
    if (!period.from.isValid() || !period.to.isValid() || period.to <= period.from)
        return days;
    const QDate first = period.from.toUTC().addSecs(period.utcOffsetSeconds).date();
    const QDate last = period.to.toUTC().addMSecs(-1).addSecs(period.utcOffsetSeconds).date();
    for (QDate day = first; day <= last; day = day.addDays(1))
        days.append(day);
    return days;
}

Expected<QList<PackageInterest>, DbError> MetricsRepository::packageInterest(const ReportPeriod& period)
{
    return guard([&] {
        const QString from = DbConnection::toSqlTimestamp(period.from);
        const QString to = DbConnection::toSqlTimestamp(period.to);
        QSqlQuery& q = m_db.exec(
            u"SELECT p.code, p.title, "
            "(SELECT COUNT(*) FROM bot_metrics m WHERE m.action = 'package_view' AND m.package_code = p.code "
            "AND m.created_at >= {ts} AND m.created_at < {ts}), "
            "(SELECT COUNT(*) FROM applications a WHERE a.package_code = p.code "
            "AND a.created_at >= {ts} AND a.created_at < {ts}) "
            "FROM packages p ORDER BY p.sort_order, p.code"_s,
            {from, to, from, to}, u"counting package interest"_s);
        QList<PackageInterest> result;
        while (q.next())
            result.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(),
                           q.value(3).toLongLong()});
        q.finish();
        return result;
    });
}

Expected<QList<DailyVolume>, DbError> MetricsRepository::dailyVolume(const ReportPeriod& period)
{
    return guard([&] {
        const QString from = DbConnection::toSqlTimestamp(period.from);
        const QString to = DbConnection::toSqlTimestamp(period.to);
        const QVariant offset = dayOffsetParameter(m_db.dialect(), period.utcOffsetSeconds);
        auto perDay = [&](const QString& table, const QString& operation) {
            const QString sql =
                u"SELECT %1 AS day, COUNT(*) FROM %2 WHERE created_at >= {ts} AND created_at < {ts} "
                "GROUP BY 1"_s.arg(dayExpression(m_db.dialect(), u"created_at"_s), table);
            QSqlQuery& q = m_db.exec(sql, {offset, from, to}, operation);
            QHash<QDate, qint64> counts;
            while (q.next())
                counts.insert(QDate::fromString(q.value(0).toString(), Qt::ISODate), q.value(1).toLongLong());
            q.finish();
            return counts;
        };
        const QHash<QDate, qint64> applications =
            perDay(u"applications"_s, u"counting applications per day"_s);
        const QHash<QDate, qint64> users = perDay(u"users"_s, u"counting new users per day"_s);

        QList<DailyVolume> result;
        for (const QDate& day : periodDays(period))
            result.append({day, applications.value(day), users.value(day)});
        return result;
    });
}

Expected<Funnel, DbError> MetricsRepository::funnel(const ReportPeriod& period)
{
    return guard([&] {
        const QString from = DbConnection::toSqlTimestamp(period.from);
        const QString to = DbConnection::toSqlTimestamp(period.to);
        // The users who first came in the period, and how many of them reached each step by its end (the
        // first time of each step is kept on the user row by a trigger on bot_metrics: schema version 3).
        QSqlQuery& q = m_db.exec(u"SELECT COUNT(*), "
                                 "COUNT(CASE WHEN first_package_view_at < {ts} THEN 1 END), "
                                 "COUNT(CASE WHEN first_apply_start_at < {ts} THEN 1 END), "
                                 "COUNT(CASE WHEN first_application_created_at < {ts} THEN 1 END) "
                                 "FROM users WHERE created_at >= {ts} AND created_at < {ts}"_s,
                                 {to, to, to, from, to}, u"computing the funnel"_s);
        Funnel f;
        if (q.next())
            f = {q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                 q.value(3).toLongLong()};
        q.finish();
        return f;
    });
}

} // namespace salesbot
