#pragma once

// The users table of the "Users & activity" tab: keyset pages of ActivityRepository::users loaded
// asynchronously on the session's database thread, sorted and filtered by the server.

#include "ActivityRepository.h"

#include <QAbstractTableModel>

namespace salesbot {

class ConsoleSession;

class UsersModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsersModel)

public:
    enum Column
    {
        Name,
        Username,
        LastSeen,
        Actions,
        Application,
        FirstSeen,
        TelegramId,
        ColumnCount,
    };
    static constexpr int DefaultPageSize = 100;

    explicit UsersModel(ConsoleSession& session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    // Only first seen, last seen and actions are sortable (the others are ignored).
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    static bool isSortable(int column);

    // Drops the rows and loads the first page again.
    void refresh();
    void setFilterText(const QString& text);
    QString filterText() const { return m_query.text; }
    void setPageSize(int rows) { m_pageSize = rows; }

    int sortColumn() const;
    Qt::SortOrder sortOrder() const;
    bool isLoading() const { return m_loading; }
    const UserActivity& user(int row) const { return m_rows.at(row); }

Q_SIGNALS:
    // A page arrived (`first`: the first one after a refresh).
    void pageLoaded(bool first);
    void loadFailed(const QString& message);

private:
    void load(bool first);

    ConsoleSession& m_session;
    UserActivityQuery m_query;
    QList<UserActivity> m_rows;
    PageCursor m_next;
    bool m_hasMore = false;
    bool m_loading = false;
    int m_pageSize = DefaultPageSize;
    quint64 m_generation = 0; // results of an older query are dropped
};

} // namespace salesbot
