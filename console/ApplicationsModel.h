#pragma once

// The applications table: one screen of rows at a time from the server (filter, sort and keyset paging run
// in SQL, never over a whole table), the next page fetched as the view scrolls, and rows refreshed in place
// when the database announces a change. All SQL runs on the session's database thread.

#include "ApplicationQuery.h"

#include <QAbstractTableModel>
#include <QAtomicInteger>
#include <QHash>

#include <memory>

namespace salesbot {

class ConsoleSession;

class ApplicationsModel final : public QAbstractTableModel
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

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    void setFilter(const ApplicationFilter& filter);
    const ApplicationFilter& filter() const { return m_filter; }
    ApplicationSort sortOrder() const { return m_sort; }
    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }
    int pageSize() const { return m_pageSize; }
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
    int rowOf(qint64 id) const;
    qint64 totalCount() const { return m_total; }
    bool isLoading() const { return m_loading; }
    bool isFetching() const { return m_fetching; }
    QString lastError() const { return m_error; }

    static ApplicationSortColumn sortColumnFor(int column);

Q_SIGNALS:
    // The first page (or a refresh) is in place.
    void loaded();
    void totalCountChanged(qint64 total);
    void loadFailed(const QString& message);

private:
    void fail(const QString& message);
    void requestCount(quint64 generation);

    ConsoleSession& m_session;
    ApplicationFilter m_filter;
    ApplicationSort m_sort;
    QList<Application> m_rows;
    PageCursor m_next;
    QHash<QString, QString> m_packageTitles;
    qint64 m_total = 0;
    int m_pageSize = 100;
    quint64 m_generation = 0; // results of an older query (filter or sort since changed) are dropped
    // The same, readable on the database threads: queued work that is already stale is not started.
    std::shared_ptr<QAtomicInteger<quint64>> m_latestGeneration =
        std::make_shared<QAtomicInteger<quint64>>(0);
    bool m_loading = false;
    bool m_fetching = false;
    QString m_error;
};

} // namespace salesbot
