#pragma once

// Small builders for test data: users and applications with sensible defaults.

#include "ApplicationRepository.h"
#include "DbConnection.h"
#include "User.h"

namespace salesbot::test {

TelegramProfile profile(qint64 telegramId, const QString& firstName = QStringLiteral("Анна"),
                        const QString& username = {}, const QString& languageCode = QStringLiteral("ru"));
// Upserts a user; throws DbException on failure.
User makeUser(DbConnection& db, qint64 telegramId, const QString& firstName = QStringLiteral("Анна"),
              const QString& username = {});
// Creates an application for a new user; throws DbException on failure.
Application makeApplication(DbConnection& db, qint64 telegramId,
                            const QString& packageCode = QStringLiteral("basic"),
                            const QString& name = QStringLiteral("Анна"),
                            const QString& phone = QStringLiteral("+79161234567"));
// Sets created_at (and updated_at) of an application, for period and ordering tests.
void setCreatedAt(DbConnection& db, qint64 applicationId, const QDateTime& at);

} // namespace salesbot::test
