#pragma once

// One user's bot events, newest first, for the timeline pane of the "Users & activity" tab: keyset pages of
// ActivityRepository::timeline loaded asynchronously on the session's database thread.

#include "ActivityRepository.h"

#include <QAbstractTableModel>

namespace salesbot {

class ConsoleSession;

class TimelineModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineModel)

public:
    enum Column
    {
        Time,
        Action,
        Package,
        Details,
        ColumnCount,
    };
    static constexpr int DefaultPageSize = 100;

    explicit TimelineModel(ConsoleSession& session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // Shows this user's events (0: none) and loads the first page.
    void setTelegramId(qint64 telegramId);
    qint64 telegramId() const { return m_telegramId; }
    void refresh();
    void setPageSize(int rows) { m_pageSize = rows; }
    bool isLoading() const { return m_loading; }
    const TimelineEvent& event(int row) const { return m_rows.at(row); }

    // The name a manager reads for an action code ("package_view" → "Viewed a package").
    static QString actionName(const QString& action);

Q_SIGNALS:
    void pageLoaded(bool first);
    void loadFailed(const QString& message);

private:
    void load(bool first);

    ConsoleSession& m_session;
    qint64 m_telegramId = 0;
    QList<TimelineEvent> m_rows;
    PageCursor m_next;
    bool m_hasMore = false;
    bool m_loading = false;
    int m_pageSize = DefaultPageSize;
    quint64 m_generation = 0;
};

} // namespace salesbot
