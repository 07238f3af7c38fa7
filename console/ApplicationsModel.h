#pragma once

// The applications table: one screen of rows at a time from the server (filter, sort and keyset paging run
// in SQL, never over a whole table), the next page fetched as the view scrolls, and rows refreshed in place
// when the database announces a change. All SQL runs on the session's database thread.

#include "ApplicationQuery.h"
#include "PagedTableModel.h"

#include <QHash>

namespace salesbot {

class ApplicationsModel final : public PagedRows<ApplicationPage>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApplicationsModel)

public:
    enum Column
    {
        Number,
        Created,
        Name,
        Phone,
        Username,
        Package,
        Status,
        Assignee,
        Updated,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        StatusCodeRole,
    };

    explicit ApplicationsModel(ConsoleSession& session, QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    void setFilter(const ApplicationFilter& filter);
    const ApplicationFilter& filter() const { return m_filter; }
    ApplicationSort sortOrder() const { return m_sort; }
    // Package codes → titles, for the Package column.
    void setPackageTitles(const QHash<QString, QString>& titles);

    // Loads the first page (and the count) again.
    void reload();
    // Reloads what is shown (at least one page) and keeps the rows' places when they are unchanged: for
    // live updates, so the operator's scroll position and selection survive.
    void refreshShown();
    // Replaces one row with its current state when it is shown (an edit here or elsewhere).
    void refreshApplication(qint64 id);
    void updateApplication(const Application& application);

    const Application* applicationAt(int row) const;
    qint64 totalCount() const { return m_total; }

    static ApplicationSortColumn sortColumnFor(int column);

Q_SIGNALS:
    // The first page (or a refresh) is in place.
    void loaded();
    void totalCountChanged(qint64 total);

private:
    PageQuery pageQuery() const override;
    qint64 rowId(const Application& row) const override { return row.id; }
    void requestCount(quint64 generation);

    ApplicationFilter m_filter;
    ApplicationSort m_sort;
    QHash<QString, QString> m_packageTitles;
    qint64 m_total = 0;
};

} // namespace salesbot
