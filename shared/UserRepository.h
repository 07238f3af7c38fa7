#pragma once

// Users the bot has met: upsert on every update, phone, blocked flag, lookup.

#include "Repository.h"
#include "User.h"

#include <optional>

namespace salesbot {

class UserRepository final : public Repository
{
public:
    using Repository::Repository;

    // Inserts the user or refreshes their profile and last_seen_at; returns the stored row.
    Expected<User, DbError> upsert(const TelegramProfile& profile);
    Expected<std::optional<User>, DbError> findByTelegramId(qint64 telegramId);
    Expected<void, DbError> setPhone(qint64 telegramId, const QString& phone);
    // The user blocked the bot (403): stop writing to them until they come back.
    Expected<void, DbError> markBlocked(qint64 telegramId);
    Expected<qint64, DbError> count();

    static User fromRecord(const QSqlQuery& query, int offset = 0);
    static const QString Columns;
};

} // namespace salesbot
