#pragma once

// A Telegram user the bot has met, and the profile an update carries about them.

#include <QDateTime>
#include <QString>

namespace salesbot {

struct TelegramProfile
{
    qint64 telegramId = 0;
    QString username;
    QString firstName;
    QString lastName;
    QString languageCode;
};

struct User
{
    qint64 id = 0;
    qint64 telegramId = 0;
    QString username;
    QString firstName;
    QString lastName;
    QString languageCode;
    QString phone;
    QDateTime createdAt;
    QDateTime lastSeenAt;
    QDateTime blockedAt;
};

} // namespace salesbot
