#include "UpdateRepository.h"

#include "ProcessedUpdateRepository.h"
#include "UserRepository.h"

#include <QJsonDocument>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

QString json(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

Expected<UpdateStart, DbError> UpdateRepository::start(qint64 updateId, const TelegramProfile& p)
{
    return guard([&] {
        UpdateStart result;
        if (m_db.dialect() != Dialect::PostgreSql) {
            result.fresh = require(ProcessedUpdateRepository(m_db).tryInsert(updateId));
            if (!result.fresh)
                return result;
            result.user = require(UserRepository(m_db).upsert(p));
            result.state = require(DialogStateRepository(m_db).load(p.telegramId));
            return result;
        }
        // The user's row is rewritten only when something in it changes, or to move last_seen_at on when it
        // is a minute old: an unchanged profile costs a lock, not a new row version in every index of users.
        // A row left as it was is read by `k` instead (the statement's snapshot sees it unless it was
        // inserted by someone else after the statement began: then no row comes back and the update is tried
        // again).
        static const QString sql =
            u"WITH p AS (INSERT INTO processed_updates (update_id) VALUES (?) ON CONFLICT (update_id) DO "
            u"NOTHING "
            "RETURNING update_id), "
            "u AS (INSERT INTO users (telegram_id, username, first_name, last_name, language_code) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (telegram_id) DO UPDATE SET username = excluded.username, "
            "first_name = excluded.first_name, last_name = excluded.last_name, "
            "language_code = COALESCE(excluded.language_code, users.language_code), last_seen_at = now(), "
            "blocked_at = NULL WHERE users.last_seen_at < now() - interval '1 minute' OR users.blocked_at IS "
            "NOT NULL OR users.username IS DISTINCT FROM excluded.username OR users.first_name IS DISTINCT "
            "FROM excluded.first_name OR users.last_name IS DISTINCT FROM excluded.last_name OR "
            "(excluded.language_code IS NOT NULL AND users.language_code IS DISTINCT FROM "
            "excluded.language_code) RETURNING "_s +
            UserRepository::Columns + u"), k AS (SELECT "_s + UserRepository::Columns +
            u" FROM users WHERE telegram_id = ? AND NOT EXISTS (SELECT 1 FROM u)), a AS (SELECT * FROM u "
            u"UNION "
            "ALL SELECT * FROM k) "
            "SELECT (SELECT COUNT(*) FROM p), a.id, a.telegram_id, a.username, a.first_name, a.last_name, "
            "a.language_code, a.phone, a.created_at, a.last_seen_at, a.blocked_at, ds.state, CAST(ds.data AS "
            "TEXT), "
            "ds.updated_at FROM a LEFT JOIN dialog_states ds ON ds.telegram_id = a.telegram_id"_s;
        QSqlQuery& q = m_db.exec(sql,
                                 {updateId, p.telegramId, textOrNull(p.username), p.firstName,
                                  textOrNull(p.lastName), textOrNull(p.languageCode), p.telegramId},
                                 u"starting the update"_s);
        if (!q.next())
            throw DbException(DbError(DbError::Kind::Busy, u"starting the update"_s,
                                      u"the user's row was written meanwhile by another session"_s));
        result.fresh = q.value(0).toInt() == 1;
        result.user = UserRepository::fromRecord(q, 1);
        if (!q.value(11).isNull()) {
            DialogState s;
            s.state = q.value(11).toString();
            s.data = QJsonDocument::fromJson(q.value(12).toString().toUtf8()).object();
            s.updatedAt = DbConnection::fromSqlTimestamp(q.value(13));
            result.state = std::move(s);
        }
        q.finish();
        return result;
    });
}

Expected<void, DbError> UpdateRepository::finish(qint64 telegramId, UpdateEffects& e, qint64 leaseMs)
{
    return guard([&] {
        if (m_db.dialect() != Dialect::PostgreSql) {
            if (e.saveState)
                require(DialogStateRepository(m_db).save(telegramId, e.state, e.data));
            require(MetricsRepository(m_db).recordBatch(telegramId, e.events));
            require(OutboxRepository(m_db).enqueueClaimed(e.messages, leaseMs));
            return;
        }
        if (!e.saveState && e.events.isEmpty() && e.messages.isEmpty())
            return;
        QStringList parts;
        QVariantList values;
        if (e.saveState) {
            parts << u"s AS (INSERT INTO dialog_states (telegram_id, state, data, updated_at) "
                     "VALUES (?, ?, CAST(? AS jsonb), now()) ON CONFLICT (telegram_id) DO UPDATE SET "
                     "state = excluded.state, data = excluded.data, updated_at = excluded.updated_at)"_s;
            values << telegramId << e.state << json(e.data);
        }
        if (!e.events.isEmpty()) {
            QStringList rows;
            for (const MetricsRepository::Event& event : std::as_const(e.events)) {
                rows << u"(?, ?, ?, CAST(? AS jsonb))"_s;
                values << telegramId << event.action << textOrNull(event.packageCode) << json(event.data);
            }
            parts << u"m AS (INSERT INTO bot_metrics (telegram_id, action, package_code, data) VALUES %1)"_s
                         .arg(rows.join(u", "_s));
        }
        if (!e.messages.isEmpty()) {
            QStringList rows;
            for (const OutboxMessage& m : std::as_const(e.messages)) {
                rows
                    << u"(?, ?, CAST(? AS jsonb), ?, 'sending', 1, now() + CAST(? AS bigint) * interval '1 millisecond')"_s;
                values << m.chatId << m.method << json(m.payload) << m.proactive << leaseMs;
            }
            parts << u"o AS (INSERT INTO outbox (chat_id, method, payload, proactive, status, attempts, "
                     u"lease_until) "
                     "VALUES %1 RETURNING id)"_s.arg(rows.join(u", "_s));
        }
        const QString sql = u"WITH "_s + parts.join(u", "_s) +
                            (e.messages.isEmpty() ? u" SELECT 0"_s : u" SELECT id FROM o ORDER BY id"_s);
        // The update's last statement: its COMMIT goes in the same round trip.
        const QList<QVariantList> rows = m_db.execThenCommit(sql, values, u"saving the update's effects"_s);
        QList<qint64> ids;
        for (const QVariantList& row : rows)
            ids << row.value(0).toLongLong();
        if (e.messages.isEmpty())
            return;
        if (ids.size() != e.messages.size())
            throw DbException(
                DbError(DbError::Kind::Query, u"saving the update's effects"_s, u"ids missing"_s));
        for (qsizetype i = 0; i < e.messages.size(); ++i) {
            e.messages[i].id = ids.at(i);
            e.messages[i].status = u"sending"_s;
            e.messages[i].attempts = 1;
        }
    });
}

} // namespace salesbot
