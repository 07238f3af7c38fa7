#include "PackageRepository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

const QString Columns =
    u"code, title, summary, CAST(features AS TEXT), price_from, timeline, sort_order, active, "
    "updated_at"_s;

Package fromRecord(const QSqlQuery& q)
{
    Package p;
    p.code = q.value(0).toString();
    p.title = q.value(1).toString();
    p.summary = q.value(2).toString();
    const QJsonArray features = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).array();
    for (const QJsonValue& feature : features)
        p.features.append(feature.toString());
    p.priceFrom = q.value(4).toInt();
    p.timeline = q.value(5).toString();
    p.sortOrder = q.value(6).toInt();
    p.active = q.value(7).toBool();
    p.updatedAt = DbConnection::fromSqlTimestamp(q.value(8));
    return p;
}

} // namespace

Expected<QList<Package>, DbError> PackageRepository::list(bool includeInactive)
{
    return guard([&] {
        static const QString all = u"SELECT "_s + Columns + u" FROM packages ORDER BY sort_order, code"_s;
        static const QString active =
            u"SELECT "_s + Columns + u" FROM packages WHERE active ORDER BY sort_order, code"_s;
        QSqlQuery& q = m_db.exec(includeInactive ? all : active, {}, u"loading the catalog"_s);
        QList<Package> result;
        while (q.next())
            result.append(fromRecord(q));
        q.finish();
        return result;
    });
}

Expected<std::optional<Package>, DbError> PackageRepository::find(const QString& code)
{
    return guard([&]() -> std::optional<Package> {
        static const QString sql = u"SELECT "_s + Columns + u" FROM packages WHERE code = ?"_s;
        QSqlQuery& q = m_db.exec(sql, {code}, u"loading a package"_s);
        if (!q.next())
            return std::nullopt;
        Package p = fromRecord(q);
        q.finish();
        return p;
    });
}

std::optional<Package> PackageRepository::insert(const Package& p, const QString& onConflict,
                                                 const QString& operation)
{
    const QString sql =
        u"INSERT INTO packages (code, title, summary, features, price_from, timeline, sort_order, "
        "active, updated_at) VALUES (?, ?, ?, {json}, ?, ?, ?, ?, {now}) "_s +
        onConflict + u" RETURNING "_s + Columns;
    const QString features = QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(p.features)).toJson(QJsonDocument::Compact));
    QSqlQuery& q =
        m_db.exec(sql, {p.code, p.title, p.summary, features, p.priceFrom, p.timeline, p.sortOrder, p.active},
                  operation);
    std::optional<Package> saved;
    if (q.next())
        saved = fromRecord(q);
    q.finish();
    return saved;
}

Expected<Package, DbError> PackageRepository::save(const Package& p)
{
    return guard([&] {
        const QString operation = u"saving a package"_s;
        auto saved =
            insert(p,
                   u"ON CONFLICT (code) DO UPDATE SET title = excluded.title, summary = excluded.summary, "
                   "features = excluded.features, price_from = excluded.price_from, "
                   "timeline = excluded.timeline, sort_order = excluded.sort_order, "
                   "active = excluded.active, updated_at = excluded.updated_at"_s,
                   operation);
        if (!saved)
            throw DbException(DbError(DbError::Kind::Query, operation, u"no row returned"_s));
        return *saved;
    });
}

Expected<Package, DbError> PackageRepository::create(const Package& p)
{
    return guard([&] {
        const QString operation = u"adding a package"_s;
        auto saved = insert(p, u"ON CONFLICT (code) DO NOTHING"_s, operation);
        if (!saved) {
            throw DbException(DbError(DbError::Kind::Conflict, operation,
                                      u"a package with the code %1 exists already"_s.arg(p.code)));
        }
        return *saved;
    });
}

} // namespace salesbot
