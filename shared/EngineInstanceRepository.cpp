#include "EngineInstanceRepository.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {
// The advisory lock's two keys: 'SBOT' and the engine's role in it.
constexpr int EngineLockClass = 0x53424F54;
constexpr int EngineLockObject = 1;
} // namespace

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

Expected<bool, DbError> EngineInstanceRepository::holdActiveLock()
{
    return guard([&] {
        if (m_db.dialect() != Dialect::PostgreSql)
            throw DbException(DbError(DbError::Kind::InvalidArgument, u"taking the engine lock"_s,
                                      u"advisory locks are PostgreSQL's"_s));
        // Session locks stack: asking pg_try_advisory_lock again while holding it would count up. Look in
        // pg_locks first (a two-key lock shows as classid, objid, objsubid = 2).
        static const QString sql =
            u"SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
            "AND pid = pg_backend_pid() AND classid = %1 AND objid = %2 AND objsubid = 2 AND granted) "
            "THEN true ELSE pg_try_advisory_lock(%1, %2) END"_s.arg(EngineLockClass)
                .arg(EngineLockObject);
        QSqlQuery& q = m_db.exec(sql, {}, u"taking the engine lock"_s);
        const bool held = q.next() && q.value(0).toBool();
        q.finish();
        return held;
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
