#include "OutboxRepository.h"

#include <QJsonDocument>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

const QString Columns = u"id, chat_id, method, CAST(payload AS TEXT), proactive, status, attempts, "
                        "next_attempt_at, error, dedupe_key, created_at"_s;

OutboxMessage fromRecord(const QSqlQuery& q)
{
    OutboxMessage m;
    m.id = q.value(0).toLongLong();
    m.chatId = q.value(1).toLongLong();
    m.method = q.value(2).toString();
    m.payload = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
    m.proactive = q.value(4).toBool();
    m.status = q.value(5).toString();
    m.attempts = q.value(6).toInt();
    m.nextAttemptAt = DbConnection::fromSqlTimestamp(q.value(7));
    m.error = q.value(8).toString();
    m.dedupeKey = q.value(9).toString();
    m.createdAt = DbConnection::fromSqlTimestamp(q.value(10));
    return m;
}

} // namespace

Expected<qint64, DbError> OutboxRepository::enqueue(qint64 chatId, const QString& method,
                                                    const QJsonObject& payload, bool proactive,
                                                    const QString& dedupeKey, const QDateTime& notBefore)
{
    return guard([&] {
        static const QString now =
            u"INSERT INTO outbox (chat_id, method, payload, proactive, dedupe_key) "
            u"VALUES (?, ?, {json}, ?, ?) "
            "ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id"_s;
        static const QString later =
            u"INSERT INTO outbox (chat_id, method, payload, proactive, dedupe_key, next_attempt_at) "
            "VALUES (?, ?, {json}, ?, ?, {ts}) "
            "ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id"_s;
        QVariantList values{chatId, method,
                            QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)),
                            proactive, textOrNull(dedupeKey)};
        if (notBefore.isValid())
            values << DbConnection::toSqlTimestamp(notBefore);
        QSqlQuery& q = m_db.exec(notBefore.isValid() ? later : now, values, u"queueing a message"_s);
        const qint64 id = q.next() ? q.value(0).toLongLong() : 0;
        q.finish();
        return id;
    });
}

const QByteArray& OutboxMessage::payloadText()
{
    if (payloadJson.isEmpty())
        payloadJson = QJsonDocument(payload).toJson(QJsonDocument::Compact);
    return payloadJson;
}

Expected<void, DbError> OutboxRepository::enqueueClaimed(QList<OutboxMessage>& messages, qint64 leaseMs)
{
    return guard([&] {
        QString sql =
            u"INSERT INTO outbox (chat_id, method, payload, proactive, status, attempts, lease_until) VALUES "_s;
        QVariantList values;
        qsizetype rows = 0;
        for (OutboxMessage& m : messages) {
            if (!m.stored)
                continue;
            sql += rows++ == 0 ? u"(?, ?, {json}, ?, 'sending', 1, {now_plus_ms})"_s
                               : u", (?, ?, {json}, ?, 'sending', 1, {now_plus_ms})"_s;
            values << m.chatId << m.method << QString::fromUtf8(m.payloadText()) << m.proactive << leaseMs;
        }
        QList<qint64> ids;
        if (rows > 0) {
            sql += u" RETURNING id"_s;
            QSqlQuery& q = m_db.exec(sql, values, u"queueing messages"_s);
            while (q.next())
                ids << q.value(0).toLongLong();
            q.finish();
            if (ids.size() != rows)
                throw DbException(DbError(DbError::Kind::Query, u"queueing messages"_s, u"ids missing"_s));
            // Ids are assigned in VALUES order on both backends; RETURNING order is not promised.
            std::sort(ids.begin(), ids.end());
        }
        qsizetype next = 0;
        for (OutboxMessage& m : messages) {
            if (m.stored)
                m.id = ids.at(next++);
            m.status = u"sending"_s;
            m.attempts = 1; // the send about to be made
        }
    });
}

Expected<QList<OutboxMessage>, DbError> OutboxRepository::claimDue(int limit, int leaseSeconds)
{
    return guard([&] {
        // SKIP LOCKED lets several senders share the queue on PostgreSQL; SQLite has one writer anyway.
        static const QString postgres =
            u"UPDATE outbox SET status = 'sending', "
            "attempts = CASE WHEN status = 'pending' THEN attempts + 1 ELSE attempts END, "
            "lease_until = {now_plus_ms} "
            "WHERE id IN (SELECT id FROM outbox WHERE status IN ('pending', 'sending') "
            "AND ((status = 'pending' AND next_attempt_at <= {now}) OR (status = 'sending' AND lease_until < "
            "{now})) "
            "ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING "_s +
            Columns;
        static const QString sqlite =
            u"UPDATE outbox SET status = 'sending', "
            "attempts = CASE WHEN status = 'pending' THEN attempts + 1 ELSE attempts END, "
            "lease_until = {now_plus_ms} "
            "WHERE id IN (SELECT id FROM outbox WHERE status IN ('pending', 'sending') "
            "AND ((status = 'pending' AND next_attempt_at <= {now}) OR (status = 'sending' AND lease_until < "
            "{now})) "
            "ORDER BY next_attempt_at, id LIMIT ?) RETURNING "_s +
            Columns;
        QSqlQuery& q = m_db.exec(m_db.dialect() == Dialect::PostgreSql ? postgres : sqlite,
                                 {qint64(leaseSeconds) * 1000, qMax(1, limit)}, u"claiming due messages"_s);
        QList<OutboxMessage> result;
        while (q.next())
            result.append(fromRecord(q));
        q.finish();
        // Messages to one chat must leave in the order they were queued.
        std::sort(result.begin(), result.end(),
                  [](const OutboxMessage& a, const OutboxMessage& b) { return a.id < b.id; });
        return result;
    });
}

Expected<void, DbError> OutboxRepository::markSent(qint64 id)
{
    return guard([&] {
        m_db.exec(u"UPDATE outbox SET status = 'sent', sent_at = {now}, lease_until = NULL, error = NULL "
                  "WHERE id = ?"_s,
                  {id}, u"marking a message as sent"_s);
    });
}

Expected<void, DbError> OutboxRepository::markSent(const QList<qint64>& ids)
{
    return guard([&] {
        if (ids.isEmpty())
            return;
        // One statement for any number of ids, prepared once, not one per batch size.
        m_db.exec(u"UPDATE outbox SET status = 'sent', sent_at = {now}, lease_until = NULL, error = NULL "
                  "WHERE id {in_ids}"_s,
                  {m_db.idList(ids)}, u"marking messages as sent"_s);
    });
}

Expected<bool, DbError> OutboxRepository::markFailed(const OutboxMessage& message, const QString& error,
                                                     const RetryPolicy& policy)
{
    return guard([&] {
        const QString text = error.left(2000);
        if (policy.exhausted(message.attempts)) {
            m_db.exec(u"UPDATE outbox SET status = 'failed', lease_until = NULL, error = ? WHERE id = ?"_s,
                      {text, message.id}, u"giving up on a message"_s);
            return true;
        }
        m_db.exec(u"UPDATE outbox SET status = 'pending', lease_until = NULL, error = ?, "
                  "next_attempt_at = {now_plus_ms} WHERE id = ?"_s,
                  {text, policy.delayMs(message.attempts), message.id}, u"scheduling a retry"_s);
        return false;
    });
}

Expected<void, DbError> OutboxRepository::markRetrying(qint64 id, int attempts, const QString& error,
                                                       qint64 leaseMs)
{
    return guard([&] {
        m_db.exec(u"UPDATE outbox SET attempts = ?, error = ?, lease_until = {now_plus_ms} "
                  "WHERE id = ? AND status = 'sending'"_s,
                  {attempts, error.left(2000), qMax<qint64>(0, leaseMs), id}, u"noting a retry"_s);
    });
}

Expected<void, DbError> OutboxRepository::markDead(qint64 id, const QString& error)
{
    return guard([&] {
        m_db.exec(u"UPDATE outbox SET status = 'failed', lease_until = NULL, error = ? WHERE id = ?"_s,
                  {error.left(2000), id}, u"giving up on a message"_s);
    });
}

Expected<void, DbError> OutboxRepository::postpone(qint64 id, qint64 delayMs, const QString& reason)
{
    return guard([&] {
        m_db.exec(u"UPDATE outbox SET status = 'pending', lease_until = NULL, error = ?, "
                  "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, "
                  "next_attempt_at = {now_plus_ms} WHERE id = ?"_s,
                  {reason.left(2000), qMax<qint64>(0, delayMs), id}, u"postponing a message"_s);
    });
}

Expected<qint64, DbError> OutboxRepository::releaseLeases()
{
    return guard([&] {
        QSqlQuery& q =
            m_db.exec(u"UPDATE outbox SET status = 'pending', lease_until = NULL, next_attempt_at = {now} "
                      "WHERE status = 'sending'"_s,
                      {}, u"releasing leased messages"_s);
        return qint64(q.numRowsAffected());
    });
}

Expected<std::optional<QDateTime>, DbError> OutboxRepository::nextDueAt()
{
    return guard([&]() -> std::optional<QDateTime> {
        QSqlQuery& q =
            m_db.exec(u"SELECT MIN(CASE WHEN status = 'pending' THEN next_attempt_at ELSE lease_until END) "
                      "FROM outbox WHERE status IN ('pending', 'sending')"_s,
                      {}, u"finding the next due message"_s);
        std::optional<QDateTime> result;
        if (q.next() && !q.value(0).isNull())
            result = DbConnection::fromSqlTimestamp(q.value(0));
        q.finish();
        return result;
    });
}

Expected<std::optional<OutboxMessage>, DbError> OutboxRepository::find(qint64 id)
{
    return guard([&]() -> std::optional<OutboxMessage> {
        static const QString sql = u"SELECT "_s + Columns + u" FROM outbox WHERE id = ?"_s;
        QSqlQuery& q = m_db.exec(sql, {id}, u"loading a message"_s);
        if (!q.next())
            return std::nullopt;
        OutboxMessage m = fromRecord(q);
        q.finish();
        return m;
    });
}

Expected<OutboxCounts, DbError> OutboxRepository::counts()
{
    return guard([&] {
        QSqlQuery& q =
            m_db.exec(u"SELECT status, COUNT(*) FROM outbox GROUP BY status"_s, {}, u"counting messages"_s);
        OutboxCounts c;
        while (q.next()) {
            const QString status = q.value(0).toString();
            const qint64 n = q.value(1).toLongLong();
            if (status == "pending"_L1)
                c.pending = n;
            else if (status == "sending"_L1)
                c.sending = n;
            else if (status == "sent"_L1)
                c.sent = n;
            else if (status == "failed"_L1)
                c.failed = n;
        }
        q.finish();
        return c;
    });
}

Expected<qint64, DbError> OutboxRepository::pruneSent(OutboxPruning& run, int limit)
{
    return guard([&] {
        const QString cutoff = DbConnection::toSqlTimestamp(run.before);
        if (run.bound < 0) {
            // The first id queued at or after the cutoff (none: one past the last id; an empty table: 0). The
            // key is walked from its start to there: only old rows are read.
            QSqlQuery& q =
                m_db.exec(u"SELECT COALESCE((SELECT id FROM outbox WHERE created_at >= {ts} ORDER BY id "
                          "LIMIT 1), (SELECT MAX(id) FROM outbox) + 1, 0)"_s,
                          {cutoff}, u"pruning sent messages"_s);
            run.bound = q.next() ? q.value(0).toLongLong() : 0;
            q.finish();
        }
        // The batch: its last id first, so that the next one starts after it.
        QSqlQuery& q =
            m_db.exec(u"SELECT MAX(id), COUNT(*) FROM (SELECT id FROM outbox WHERE id > ? AND id < ? "
                      "AND status = 'sent' AND created_at < {ts} ORDER BY id LIMIT ?) batch"_s,
                      {run.after, run.bound, cutoff, qMax(1, limit)}, u"pruning sent messages"_s);
        const qint64 last = q.next() ? q.value(0).toLongLong() : 0;
        const qint64 found = q.value(1).toLongLong();
        q.finish();
        if (found == 0)
            return qint64(0);
        QSqlQuery& d = m_db.exec(u"DELETE FROM outbox WHERE id > ? AND id <= ? AND status = 'sent' "
                                 "AND created_at < {ts}"_s,
                                 {run.after, last, cutoff}, u"pruning sent messages"_s);
        run.after = last;
        return qint64(d.numRowsAffected());
    });
}

} // namespace salesbot
