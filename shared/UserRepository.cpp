#include "UserRepository.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace salesbot {

const QString UserRepository::Columns =
    u"id, telegram_id, username, first_name, last_name, language_code, phone, "
    "created_at, last_seen_at, blocked_at"_s;

User UserRepository::fromRecord(const QSqlQuery& q, int o)
{
    User u;
    u.id = q.value(o + 0).toLongLong();
    u.telegramId = q.value(o + 1).toLongLong();
    u.username = q.value(o + 2).toString();
    u.firstName = q.value(o + 3).toString();
    u.lastName = q.value(o + 4).toString();
    u.languageCode = q.value(o + 5).toString();
    u.phone = q.value(o + 6).toString();
    u.createdAt = DbConnection::fromSqlTimestamp(q.value(o + 7));
    u.lastSeenAt = DbConnection::fromSqlTimestamp(q.value(o + 8));
    u.blockedAt = DbConnection::fromSqlTimestamp(q.value(o + 9));
    return u;
}

namespace {} // namespace

Expected<User, DbError> UserRepository::upsert(const TelegramProfile& p)
{
    return guard([&] {
        // A user who writes again has unblocked the bot.
        static const QString sql =
            u"INSERT INTO users (telegram_id, username, first_name, last_name, language_code) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (telegram_id) DO UPDATE SET username = excluded.username, "
            "first_name = excluded.first_name, last_name = excluded.last_name, "
            "language_code = COALESCE(excluded.language_code, users.language_code), "
            "last_seen_at = {now}, blocked_at = NULL "
            "RETURNING "_s +
            Columns;
        QSqlQuery& q = m_db.exec(sql,
                                 {p.telegramId, textOrNull(p.username), p.firstName, textOrNull(p.lastName),
                                  textOrNull(p.languageCode)},
                                 u"saving user"_s);
        if (!q.next())
            throw DbException(DbError(DbError::Kind::Query, u"saving user"_s, u"no row returned"_s));
        User user = fromRecord(q);
        q.finish();
        return user;
    });
}

Expected<std::optional<User>, DbError> UserRepository::findByTelegramId(qint64 telegramId)
{
    return guard([&]() -> std::optional<User> {
        static const QString sql = u"SELECT "_s + Columns + u" FROM users WHERE telegram_id = ?"_s;
        QSqlQuery& q = m_db.exec(sql, {telegramId}, u"loading user"_s);
        if (!q.next())
            return std::nullopt;
        User user = fromRecord(q);
        q.finish();
        return user;
    });
}

Expected<void, DbError> UserRepository::setPhone(qint64 telegramId, const QString& phone)
{
    return guard([&] {
        m_db.exec(u"UPDATE users SET phone = ? WHERE telegram_id = ?"_s, {phone, telegramId},
                  u"saving the user's phone"_s);
    });
}

Expected<void, DbError> UserRepository::markBlocked(qint64 telegramId)
{
    return guard([&] {
        m_db.exec(u"UPDATE users SET blocked_at = {now} WHERE telegram_id = ? AND blocked_at IS NULL"_s,
                  {telegramId}, u"marking the user as blocked"_s);
    });
}

Expected<qint64, DbError> UserRepository::count()
{
    return guard([&] {
        QSqlQuery& q = m_db.exec(u"SELECT COUNT(*) FROM users"_s, {}, u"counting users"_s);
        const qint64 n = q.next() ? q.value(0).toLongLong() : 0;
        q.finish();
        return n;
    });
}

} // namespace salesbot
