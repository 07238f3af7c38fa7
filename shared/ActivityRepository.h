#pragma once

// What the bot's users did: the users list with first/last seen, action counts and latest application
// (keyset-paged), one user's event timeline, and active users per day.

#include "ApplicationQuery.h"
#include "ApplicationStatus.h"
#include "MetricsRepository.h"
#include "Repository.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace salesbot {

struct UserActivity
{
    qint64 userId = 0;
    qint64 telegramId = 0;
    QString username;
    QString firstName;
    QString lastName;
    QString phone;
    QDateTime firstSeen; // users.created_at
    QDateTime lastSeen;  // users.last_seen_at
    QDateTime blockedAt;
    qint64 actions = 0;           // bot_metrics rows
    qint64 applicationNumber = 0; // the latest application; 0: none
    std::optional<ApplicationStatus> applicationStatus;

    // "First Last", or the username, or the Telegram id when the profile has nothing else.
    QString displayName() const;
};

enum class UserActivitySort
{
    LastSeen,
    FirstSeen,
    Actions,
};

struct UserActivityQuery
{
    QString text; // username, first/last name or Telegram id contains it (case-insensitive)
    UserActivitySort sort = UserActivitySort::LastSeen;
    bool descending = true;
};

struct UserActivityPage
{
    QList<UserActivity> rows;
    PageCursor next; // invalid when this was the last page
};

struct TimelineEvent
{
    qint64 id = 0;
    QString action;
    QString packageCode;
    QJsonObject data;
    QDateTime at;
};

struct TimelinePage
{
    QList<TimelineEvent> rows; // newest first
    PageCursor next;
};

struct DailyActiveUsers
{
    QDate day;
    qint64 users = 0; // distinct users with at least one event that local day
};

class ActivityRepository final : public Repository
{
public:
    using Repository::Repository;

    static constexpr int MaxPageSize = 200;

    // Last seen and first seen walk their users indexes; the action count of each page row is a correlated
    // count over bot_metrics (telegram_id, created_at). Sorting by actions has to count every user's events
    // first (one grouped pass over that index per page).
    Expected<UserActivityPage, DbError> users(const UserActivityQuery& query, const PageCursor& after,
                                              int limit);
    Expected<TimelinePage, DbError> timeline(qint64 telegramId, const PageCursor& after, int limit);
    // One entry per local day of the period, days without anyone included as zeros.
    Expected<QList<DailyActiveUsers>, DbError> activeUsersPerDay(const ReportPeriod& period);

    // A short one-line view of an event's data: "key: value, key: value…", at most `maxLength` characters.
    static QString summarize(const QJsonObject& data, int maxLength = 80);

private:
    QString textFilter(const QString& text, QVariantList& values) const;
};

} // namespace salesbot
