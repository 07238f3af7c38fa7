#include "EngineInstanceRepository.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace salesbot {

Expected<void, DbError> EngineInstanceRepository::heartbeat(const EngineInstance& e)
{
    return guard([&] {
        m_db.exec(u"INSERT INTO engine_instances (id, host, pid, mode, version) VALUES (?, ?, ?, ?, ?) "
                  "ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, seen_at = {now}"_s,
                  {e.id, e.host, e.pid, e.mode, e.version}, u"recording the engine heartbeat"_s);
    });
}

Expected<void, DbError> EngineInstanceRepository::remove(const QString& id)
{
    return guard([&] {
        m_db.exec(u"DELETE FROM engine_instances WHERE id = ?"_s, {id}, u"removing the engine heartbeat"_s);
    });
}

Expected<std::optional<EngineInstance>, DbError> EngineInstanceRepository::latest()
{
    return guard([&]() -> std::optional<EngineInstance> {
        static const QString postgres = u"SELECT id, host, pid, mode, version, started_at, seen_at, "
                                        u"EXTRACT(EPOCH FROM (now() - seen_at)) "
                                        "FROM engine_instances ORDER BY seen_at DESC LIMIT 1"_s;
        static const QString sqlite =
            u"SELECT id, host, pid, mode, version, started_at, seen_at, "
            "(julianday('now') - julianday(seen_at)) * 86400.0 FROM engine_instances ORDER BY seen_at DESC LIMIT 1"_s;
        QSqlQuery& q = m_db.exec(m_db.dialect() == Dialect::PostgreSql ? postgres : sqlite, {},
                                 u"loading the engine heartbeat"_s);
        if (!q.next())
            return std::nullopt;
        EngineInstance e{q.value(0).toString(),
                         q.value(1).toString(),
                         q.value(2).toLongLong(),
                         q.value(3).toString(),
                         q.value(4).toString(),
                         DbConnection::fromSqlTimestamp(q.value(5)),
                         DbConnection::fromSqlTimestamp(q.value(6)),
                         q.value(7).toDouble()};
        q.finish();
        return e;
    });
}

} // namespace salesbot
