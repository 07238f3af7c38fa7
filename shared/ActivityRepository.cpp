#include "ActivityRepository.h"

#include "KeysetOrder.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

// Over users u (and the counts c for Actions).
KeysetOrder userSortSpec(UserActivitySort sort)
{
    switch (sort) {
    case UserActivitySort::LastSeen:
        return {u"u.last_seen_at"_s, true};
    case UserActivitySort::FirstSeen:
        return {u"u.created_at"_s, true};
    case UserActivitySort::Actions:
        return {u"COALESCE(c.n, 0)"_s};
    }
    return {u"u.last_seen_at"_s, true};
}

int pageSize(int limit)
{
    return qBound(1, limit, ActivityRepository::MaxPageSize);
}

QString valueText(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d);
    }
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return u"null"_s;
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

} // namespace

QString UserActivity::displayName() const
{
    const QString name = (firstName + u' ' + lastName).trimmed();
    if (!name.isEmpty())
        return name;
    if (!username.isEmpty())
        return u"@"_s + username;
    return QString::number(telegramId);
}

QString ActivityRepository::summarize(const QJsonObject& data, int maxLength)
{
    QStringList parts;
    for (auto it = data.begin(); it != data.end(); ++it)
        parts << it.key() + u": "_s + valueText(it.value());
    QString text = parts.join(u", "_s);
    // One line: control characters (newlines from free text included) become spaces.
    for (QChar& c : text) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator ||
            c == QChar::ParagraphSeparator)
            c = u' ';
    }
    if (text.size() > maxLength)
        text = text.left(qMax(1, maxLength - 1)) + u'…';
    return text;
}

QString ActivityRepository::textFilter(const QString& rawText, QVariantList& values) const
{
    QString text = rawText.trimmed();
    if (text.startsWith(u'@'))
        text.remove(0, 1);
    if (text.isEmpty())
        return {};
    const QString needle = containsPattern(text);
    const QStringList parts{
        containsSql(u"u.username"_s),
        containsSql(u"(u.first_name || ' ' || COALESCE(u.last_name, ''))"_s),
        u"CAST(u.telegram_id AS TEXT) LIKE ? ESCAPE '\\'"_s,
    };
    values << needle << needle << u"%"_s + escapeLike(text) + u"%"_s;
    return u"(%1)"_s.arg(parts.join(u" OR "_s));
}

Expected<UserActivityPage, DbError> ActivityRepository::users(const UserActivityQuery& query,
                                                              const PageCursor& after, int limit)
{
    return guard([&] {
        const KeysetOrder spec = userSortSpec(query.sort);
        const QString direction = query.descending ? u"DESC"_s : u"ASC"_s;
        const int size = pageSize(limit);
        const QString key = spec.cursorColumn(m_db.dialect());

        QVariantList values;
        QStringList conditions;
        const QString text = textFilter(query.text, values);
        if (!text.isEmpty())
            conditions << text;
        if (after.isValid())
            conditions << spec.after(u"u.id"_s, query.descending, after, values);
        const QString counts = query.sort == UserActivitySort::Actions
                                   ? u" LEFT JOIN (SELECT telegram_id, COUNT(*) AS n FROM bot_metrics "
                                     "GROUP BY telegram_id) c ON c.telegram_id = u.telegram_id"_s
                                   : QString();
        // The page is chosen first; the per-row counts and the latest application are looked up for its
        // rows only.
        const QString page =
            u"SELECT u.id, u.telegram_id, u.username, u.first_name, u.last_name, u.phone, u.created_at, "
            "u.last_seen_at, u.blocked_at, %1 AS sort_key, %2 AS sort_text FROM users u%3%4 "
            "ORDER BY %1 %5, u.id %5 LIMIT ?"_s.arg(
                spec.expression, key, counts,
                conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s), direction);
        values << size + 1; // one more tells whether there is a next page
        const QString sql =
            u"SELECT p.id, p.telegram_id, p.username, p.first_name, p.last_name, p.phone, p.created_at, "
            "p.last_seen_at, p.blocked_at, p.sort_text, "
            "(SELECT COUNT(*) FROM bot_metrics m WHERE m.telegram_id = p.telegram_id), la.number, la.status "
            "FROM (%1) p LEFT JOIN applications la ON la.id = (SELECT a.id FROM applications a "
            "WHERE a.user_id = p.id ORDER BY a.created_at DESC, a.id DESC LIMIT 1) "
            "ORDER BY p.sort_key %2, p.id %2"_s.arg(page, direction);

        QSqlQuery& q = m_db.exec(sql, values, u"listing users"_s);
        UserActivityPage result;
        QVariant lastKey;
        while (q.next()) {
            if (result.rows.size() == size) {
                result.next = {lastKey, result.rows.constLast().userId};
                break;
            }
            UserActivity u;
            u.userId = q.value(0).toLongLong();
            u.telegramId = q.value(1).toLongLong();
            u.username = q.value(2).toString();
            u.firstName = q.value(3).toString();
            u.lastName = q.value(4).toString();
            u.phone = q.value(5).toString();
            u.firstSeen = DbConnection::fromSqlTimestamp(q.value(6));
            u.lastSeen = DbConnection::fromSqlTimestamp(q.value(7));
            u.blockedAt = DbConnection::fromSqlTimestamp(q.value(8));
            lastKey = spec.timestamp ? QVariant(q.value(9).toString()) : QVariant(q.value(9).toLongLong());
            u.actions = q.value(10).toLongLong();
            u.applicationNumber = q.value(11).isNull() ? 0 : q.value(11).toLongLong();
            if (!q.value(12).isNull())
                u.applicationStatus = ApplicationStatuses::fromCode(q.value(12).toString());
            result.rows.append(std::move(u));
        }
        q.finish();
        return result;
    });
}

Expected<TimelinePage, DbError> ActivityRepository::timeline(qint64 telegramId, const PageCursor& after,
                                                             int limit)
{
    return guard([&] {
        const bool postgres = m_db.dialect() == Dialect::PostgreSql;
        const int size = pageSize(limit);
        static const QString first = u"SELECT id, action, package_code, CAST(data AS TEXT), created_at, %1 "
                                     u"AS cursor_key FROM bot_metrics "
                                     "WHERE telegram_id = ? ORDER BY created_at DESC, id DESC LIMIT ?"_s;
        static const QString next =
            u"SELECT id, action, package_code, CAST(data AS TEXT), created_at, %1 AS cursor_key FROM "
            u"bot_metrics "
            "WHERE telegram_id = ? AND created_at <= {ts} AND (created_at, id) < ({ts}, ?) "
            "ORDER BY created_at DESC, id DESC LIMIT ?"_s;
        const QString key = postgres ? u"CAST(created_at AS TEXT)"_s : u"created_at"_s;
        QVariantList values{telegramId};
        if (after.isValid())
            values << after.sortValue << after.sortValue << after.id;
        values << size + 1;
        QSqlQuery& q =
            m_db.exec((after.isValid() ? next : first).arg(key), values, u"loading the timeline"_s);
        TimelinePage page;
        QVariant lastKey;
        while (q.next()) {
            if (page.rows.size() == size) {
                page.next = {lastKey, page.rows.constLast().id};
                break;
            }
            TimelineEvent e;
            e.id = q.value(0).toLongLong();
            e.action = q.value(1).toString();
            e.packageCode = q.value(2).toString();
            e.data = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
            e.at = DbConnection::fromSqlTimestamp(q.value(4));
            lastKey = q.value(5).toString();
            page.rows.append(std::move(e));
        }
        q.finish();
        return page;
    });
}

Expected<QList<DailyActiveUsers>, DbError> ActivityRepository::activeUsersPerDay(const ReportPeriod& period)
{
    return guard([&] {
        const Dialect dialect = m_db.dialect();
        const QString sql = u"SELECT %1 AS day, COUNT(DISTINCT telegram_id) FROM bot_metrics "
                            "WHERE created_at >= {ts} AND created_at < {ts} GROUP BY 1"_s.arg(
                                MetricsRepository::dayExpression(dialect, u"created_at"_s));
        QSqlQuery& q =
            m_db.exec(sql,
                      {MetricsRepository::dayOffsetParameter(dialect, period.utcOffsetSeconds),
                       DbConnection::toSqlTimestamp(period.from), DbConnection::toSqlTimestamp(period.to)},
                      u"counting active users per day"_s);
        QHash<QDate, qint64> counts;
        while (q.next())
            counts.insert(QDate::fromString(q.value(0).toString(), Qt::ISODate), q.value(1).toLongLong());
        q.finish();
        QList<DailyActiveUsers> result;
        for (const QDate& day : MetricsRepository::periodDays(period))
            result.append({day, counts.value(day)});
        return result;
    });
}

} // namespace salesbot
