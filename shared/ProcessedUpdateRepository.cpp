#include "ProcessedUpdateRepository.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace salesbot {

Expected<bool, DbError> ProcessedUpdateRepository::tryInsert(qint64 updateId)
{
    return guard([&] {
        QSqlQuery& q = m_db.exec(u"INSERT INTO processed_updates (update_id) VALUES (?) "
                                 "ON CONFLICT (update_id) DO NOTHING"_s,
                                 {updateId}, u"recording the update"_s);
        return q.numRowsAffected() == 1;
    });
}

Expected<qint64, DbError> ProcessedUpdateRepository::prune(const QDateTime& before)
{
    return guard([&] {
        QSqlQuery& q = m_db.exec(u"DELETE FROM processed_updates WHERE processed_at < {ts}"_s,
                                 {DbConnection::toSqlTimestamp(before)}, u"pruning processed updates"_s);
        return qint64(q.numRowsAffected());
    });
}

} // namespace salesbot
