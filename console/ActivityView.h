#pragma once

// The "Users & activity" tab: the users the bot has met (searchable, server-sorted, paged), the selected
// user's event timeline, and active users per day over the last 30 days. It follows the bot: when
// applications change (a second later, a burst folded into one) and every 30 seconds while it is shown
// (new users and their events announce nothing), it loads again what is shown, keeping the rows scrolled
// in, the selected user and their timeline; hidden, it only notes that it is stale and catches up when
// shown.

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>
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
    static constexpr int ChangeDebounceMs = 1000;
    static constexpr int DefaultLiveRefreshMs = 30000;

    explicit ActivityView(ConsoleSession& session, QWidget* parent = nullptr);

    // Reloads the users (keeping the search and sort), the selected user's timeline and the active-users
    // chart.
    void refresh();
    // Loads again what is shown: as many users as are scrolled in, the selected user (kept selected) and
    // their timeline, the chart. The live update; the search and sort stay.
    void refreshShown();
    // How often the shown tab looks for news by itself.
    void setLiveRefreshInterval(int ms);
    int liveRefreshInterval() const { return m_liveTimer.interval(); }
    // Something changed while the tab was hidden: it refreshes when shown.
    bool isStale() const { return m_stale; }

    UsersModel* usersModel() const { return m_users; }
    TimelineModel* timelineModel() const { return m_timeline; }
    TimeSeriesChart* activeUsersChart() const { return m_chart; }
    QTableView* usersTable() const { return m_usersTable; }
    QLineEdit* searchField() const { return m_search; }

Q_SIGNALS:
    // The first page of users is on screen (after construction's first refresh() and every later one).
    void loaded();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void loadActiveUsers();
    void loadPackageTitles();
    void onUsersPage(bool first);
    void onUsersReset();
    void selectFirstUser();
    void updateCount();
    void onCurrentUserChanged();
    void onBotChanged();
    void refreshIfShown();
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

    QTimer m_changeTimer; // the bot changed something: refresh once, a second later
    QTimer m_liveTimer;   // while shown: look for news now and then
    QElapsedTimer m_sinceRefresh;
    bool m_stale = false;            // something changed while the tab was hidden
    qint64 m_selectedTelegramId = 0; // the operator's user, put back after a live refresh
    bool m_hadUsers = false;         // before the users' latest reset
    int m_usersScroll = 0;           // the users table's scroll position before that reset
    int m_timelineScroll = 0;
};

} // namespace salesbot
