#pragma once

// The "Users & activity" tab: the users the bot has met (searchable, server-sorted, paged), the selected
// user's event timeline, and active users per day over the last 30 days.

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace salesbot {

class ConsoleSession;
class TimeSeriesChart;
class TimelineModel;
class UsersModel;

class ActivityView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActivityView)

public:
    static constexpr int ActivityDays = 30;

    explicit ActivityView(ConsoleSession& session, QWidget* parent = nullptr);

    // Reloads the users (keeping the search and sort), the selected user's timeline and the active-users
    // chart.
    void refresh();

    UsersModel* usersModel() const { return m_users; }
    TimelineModel* timelineModel() const { return m_timeline; }
    TimeSeriesChart* activeUsersChart() const { return m_chart; }
    QTableView* usersTable() const { return m_usersTable; }
    QLineEdit* searchField() const { return m_search; }

Q_SIGNALS:
    // The first page of users is on screen (after construction's first refresh() and every later one).
    void loaded();

private:
    void loadActiveUsers();
    void onUsersPage(bool first);
    void onCurrentUserChanged();
    void showError(const QString& message);

    ConsoleSession& m_session;
    UsersModel* m_users = nullptr;
    TimelineModel* m_timeline = nullptr;
    QLineEdit* m_search = nullptr;
    QTimer* m_searchDelay = nullptr;
    QLabel* m_count = nullptr;
    TimeSeriesChart* m_chart = nullptr;
    QTableView* m_usersTable = nullptr;
    QLabel* m_userHeader = nullptr;
    QTableView* m_timelineTable = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace salesbot
