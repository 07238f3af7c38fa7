#pragma once

// The users table of the "Users & activity" tab: keyset pages of ActivityRepository::users loaded
// asynchronously on the session's database thread, sorted and filtered by the server.

#include "ActivityRepository.h"
#include "PagedTableModel.h"

namespace salesbot {

class UsersModel final : public PagedRows<UserActivityPage>
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

    explicit UsersModel(ConsoleSession& session, QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Only first seen, last seen and actions are sortable (the others are ignored).
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    static bool isSortable(int column);

    // Drops the rows and loads the first page again (pageLoaded(true)).
    void refresh();
    // Loads the users shown again, keeping their number (a live update; shownRefreshed()).
    void refreshShown() { refreshShownRows(); }
    void setFilterText(const QString& text);
    QString filterText() const { return m_query.text; }

    int sortColumn() const;
    Qt::SortOrder sortOrder() const;
    const UserActivity& user(int row) const { return m_rows.at(row); }

private:
    PageQuery pageQuery() const override;
    // rowOf() takes a Telegram id.
    qint64 rowId(const UserActivity& row) const override { return row.telegramId; }

    UserActivityQuery m_query;
};

} // namespace salesbot
