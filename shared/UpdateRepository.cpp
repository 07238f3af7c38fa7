#include "UpdateRepository.h"

#include "JsonRows.h"
#include "ProcessedUpdateRepository.h"
#include "Transaction.h"
#include "UserRepository.h"

#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

// Records the updates, upserts their users and loads their dialog states and applications.
QString startStatement()
{
    // A user's row is rewritten only when something in it changes, or to move last_seen_at on when it is
    // a minute old: an unchanged profile costs a lock, not a new row version in every index of users. A
    // row left as it was is read from the table instead (the statement's snapshot sees it unless it was
    // inserted by someone else after the statement began: then no user comes back and the updates are
    // tried again). Updates handled before get no user and change nothing.
    return u"WITH i AS (SELECT * FROM json_to_recordset(CAST(? AS json)) AS t(update_id bigint, telegram_id "
           "bigint, username text, first_name text, last_name text, language_code text)), "
           "p AS (INSERT INTO processed_updates (update_id) SELECT update_id FROM i ON CONFLICT (update_id) "
           "DO NOTHING RETURNING update_id), "
           "f AS (SELECT i.* FROM i WHERE i.update_id IN (SELECT update_id FROM p)), "
           "u AS (INSERT INTO users (telegram_id, username, first_name, last_name, language_code) "
           "SELECT telegram_id, username, first_name, last_name, language_code FROM f "
           "ON CONFLICT (telegram_id) DO UPDATE SET username = excluded.username, "
           "first_name = excluded.first_name, last_name = excluded.last_name, "
           "language_code = COALESCE(excluded.language_code, users.language_code), last_seen_at = now(), "
           "blocked_at = NULL WHERE users.last_seen_at < now() - interval '1 minute' OR users.blocked_at IS "
           "NOT NULL OR users.username IS DISTINCT FROM excluded.username OR users.first_name IS DISTINCT "
           "FROM excluded.first_name OR users.last_name IS DISTINCT FROM excluded.last_name OR "
           "(excluded.language_code IS NOT NULL AND users.language_code IS DISTINCT FROM "
           "excluded.language_code) RETURNING "_s +
           UserRepository::Columns +
           u") SELECT i.update_id, p.update_id IS NOT NULL, a.id, a.telegram_id, a.username, a.first_name, "
           "a.last_name, a.language_code, a.phone, a.created_at, a.last_seen_at, a.blocked_at, ds.state, "
           "CAST(ds.data AS TEXT), ds.updated_at, op.*, la.* "
           "FROM i LEFT JOIN p ON p.update_id = i.update_id "
           // Lateral (and LIMIT, so that it is not flattened into a plain join, which may be planned as a
           // scan of every row): each update's user and state are looked up by their key.
           "LEFT JOIN LATERAL (SELECT * FROM u WHERE u.telegram_id = i.telegram_id UNION ALL SELECT "_s +
           UserRepository::Columns +
           u" FROM users WHERE users.telegram_id = i.telegram_id AND NOT EXISTS (SELECT 1 FROM u WHERE "
           "u.telegram_id = i.telegram_id)) a ON p.update_id IS NOT NULL "
           "LEFT JOIN LATERAL (SELECT state, data, updated_at FROM dialog_states "
           "WHERE dialog_states.telegram_id = i.telegram_id LIMIT 1) ds ON a.id IS NOT NULL "
           // The user's open application and latest one, as ApplicationRepository::findOpenAndLatest.
           "LEFT JOIN LATERAL (SELECT "_s +
           ApplicationRepository::columns(u"ap", u"a") +
           u" FROM applications ap WHERE ap.user_id = a.id AND ap.status IN ('new', 'in_progress') "
           "LIMIT 1) op ON a.id IS NOT NULL "
           "LEFT JOIN LATERAL (SELECT "_s +
           ApplicationRepository::columns(u"ap", u"a") +
           u" FROM applications ap WHERE ap.user_id = a.id "
           "ORDER BY ap.created_at DESC, ap.id DESC LIMIT 1) la ON a.id IS NOT NULL"_s;
}

// Saves the states, the events and the queued replies.
QString effectsStatement()
{
    // One text for any number of rows (each list may be empty), so the statement is prepared once. The
    // outbox ids come back in the order of the rows: the insert numbers them as it reads the list.
    return u"WITH s AS (INSERT INTO dialog_states (telegram_id, state, data, updated_at) "
           "SELECT telegram_id, state, data, now() FROM json_to_recordset(CAST(? AS json)) "
           "AS t(telegram_id bigint, state text, data jsonb) ON CONFLICT (telegram_id) DO UPDATE SET "
           "state = excluded.state, data = excluded.data, updated_at = excluded.updated_at), "
           "m AS (INSERT INTO bot_metrics (telegram_id, action, package_code, data) "
           "SELECT telegram_id, action, package_code, data FROM json_to_recordset(CAST(? AS json)) "
           "AS t(telegram_id bigint, action text, package_code text, data jsonb)), "
           "o AS (INSERT INTO outbox (chat_id, method, payload, proactive, status, attempts, lease_until) "
           "SELECT chat_id, method, payload, proactive, 'sending', 1, now() + CAST(? AS bigint) * interval "
           "'1 millisecond' FROM json_to_recordset(CAST(? AS json)) AS t(chat_id bigint, method text, "
           "payload jsonb, proactive boolean) RETURNING id) "
           "SELECT id FROM o ORDER BY id"_s;
}

} // namespace

Expected<QList<UpdateStart>, DbError> UpdateRepository::start(const QList<Incoming>& updates)
{
    return guard([&] {
        QList<UpdateStart> result;
        result.reserve(updates.size());
        if (m_db.dialect() != Dialect::PostgreSql) {
            for (const Incoming& in : updates) {
                UpdateStart s;
                s.updateId = in.updateId;
                s.fresh = require(ProcessedUpdateRepository(m_db).tryInsert(in.updateId));
                if (s.fresh) {
                    s.user = require(UserRepository(m_db).upsert(in.from));
                    s.state = require(DialogStateRepository(m_db).load(in.from.telegramId));
                }
                result << std::move(s);
            }
            return result;
        }
        static const QString sql = startStatement();
        JsonRows rows(updates.size() * 128);
        for (const Incoming& in : updates) {
            rows.beginRow();
            rows.add("update_id"_L1, in.updateId);
            rows.add("telegram_id"_L1, in.from.telegramId);
            rows.addOrNull("username"_L1, in.from.username);
            rows.add("first_name"_L1, in.from.firstName);
            rows.addOrNull("last_name"_L1, in.from.lastName);
            rows.addOrNull("language_code"_L1, in.from.languageCode);
            rows.endRow();
        }
        QSqlQuery& q = m_db.exec(sql, {rows.take()}, u"starting the updates"_s);
        QHash<qint64, UpdateStart> started;
        while (q.next()) {
            UpdateStart s;
            s.updateId = q.value(0).toLongLong();
            s.fresh = q.value(1).toBool();
            if (s.fresh) {
                if (q.value(2).isNull())
                    throw DbException(DbError(DbError::Kind::Busy, u"starting the updates"_s,
                                              u"a user's row was written meanwhile by another session"_s));
                s.user = UserRepository::fromRecord(q, 2);
                if (!q.value(12).isNull()) {
                    DialogState state;
                    state.state = q.value(12).toString();
                    state.data = QJsonDocument::fromJson(q.value(13).toString().toUtf8()).object();
                    state.updatedAt = DbConnection::fromSqlTimestamp(q.value(14));
                    s.state = std::move(state);
                }
                constexpr int Open = 15;
                constexpr int Latest = Open + ApplicationRepository::ColumnCount;
                ApplicationRepository::OpenAndLatest applications;
                if (!q.value(Open).isNull())
                    applications.open = ApplicationRepository::fromRecord(q, Open);
                if (!q.value(Latest).isNull())
                    applications.latest = ApplicationRepository::fromRecord(q, Latest);
                s.applications = std::move(applications);
            }
            started.insert(s.updateId, std::move(s));
        }
        q.finish();
        for (const Incoming& in : updates) {
            auto it = started.find(in.updateId);
            if (it == started.end())
                throw DbException(
                    DbError(DbError::Kind::Query, u"starting the updates"_s, u"an update is missing"_s));
            result << std::move(*it);
        }
        return result;
    });
}

Expected<void, DbError> UpdateRepository::finish(QList<UpdateEffects>& all, qint64 leaseMs)
{
    return guard([&] {
        if (m_db.dialect() != Dialect::PostgreSql) {
            for (UpdateEffects& e : all) {
                if (e.saveState)
                    require(DialogStateRepository(m_db).save(e.telegramId, e.state, e.data));
                require(MetricsRepository(m_db).recordBatch(e.telegramId, e.events));
                require(OutboxRepository(m_db).enqueueClaimed(e.messages, leaseMs));
            }
            return;
        }
        JsonRows states(all.size() * 64);
        JsonRows events(all.size() * 96);
        JsonRows messages(all.size() * 512);
        for (UpdateEffects& e : all) {
            if (e.saveState) {
                states.beginRow();
                states.add("telegram_id"_L1, e.telegramId);
                states.add("state"_L1, e.state);
                states.add("data"_L1, e.data);
                states.endRow();
            }
            for (const MetricsRepository::Event& event : e.events) {
                events.beginRow();
                events.add("telegram_id"_L1, e.telegramId);
                events.add("action"_L1, event.action);
                events.addOrNull("package_code"_L1, event.packageCode);
                events.add("data"_L1, event.data);
                events.endRow();
            }
            for (OutboxMessage& m : e.messages) {
                if (!m.stored)
                    continue;
                messages.beginRow();
                messages.add("chat_id"_L1, m.chatId);
                messages.add("method"_L1, m.method);
                messages.addJson("payload"_L1, m.payloadText());
                messages.add("proactive"_L1, m.proactive);
                messages.endRow();
            }
        }
        static const QString sql = effectsStatement();
        QList<QVariantList> rows;
        if (!states.isEmpty() || !events.isEmpty() || !messages.isEmpty()) {
            // The transaction's last statement: its COMMIT goes in the same round trip.
            const qsizetype messageCount = messages.rows();
            rows = m_db.execThenCommit(sql, {states.take(), events.take(), leaseMs, messages.take()},
                                       u"saving the updates' effects"_s);
            if (rows.size() != messageCount)
                throw DbException(
                    DbError(DbError::Kind::Query, u"saving the updates' effects"_s, u"ids missing"_s));
        }
        qsizetype next = 0;
        for (UpdateEffects& e : all) {
            for (OutboxMessage& m : e.messages) {
                if (m.stored) // the others are sent from memory only
                    m.id = rows.at(next++).value(0).toLongLong();
                m.status = u"sending"_s;
                m.attempts = 1; // the send about to be made
            }
        }
    });
}

Expected<void, DbError> UpdateRepository::warmUp(qint64 leaseMs)
{
    return guard([&] {
        if (m_db.dialect() != Dialect::PostgreSql)
            return; // in process: nothing to wait for
        Transaction tx(m_db);
        m_db.exec(startStatement(), {u"[]"_s}, u"warming up"_s).finish(); // no rows to read
        m_db.execThenCommit(effectsStatement(), {u"[]"_s, u"[]"_s, leaseMs, u"[]"_s}, u"warming up"_s);
        tx.commit();
    });
}

} // namespace salesbot
