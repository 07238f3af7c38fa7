#pragma once

// The keyset paging the console's lists share: rows come a page at a time from the session's database
// thread (the first page, the next one as the view scrolls, or everything shown again for a live update),
// a newer query makes the pages of an older one stale (dropped, and not even run when still queued), and
// at most one page is on its way while the view scrolls.
//
// PagedTableModel is the part with signals (moc cannot handle templates); PagedRows<Page> holds the rows of
// a repository's page type (`rows` and a `next` cursor) and does the loading. A model derives from
// PagedRows, says what one page is (pageQuery()) and which id tells a row (rowId()), and keeps its
// columns and roles.

#include "ApplicationQuery.h"
#include "ConsoleSession.h"
#include "DbError.h"
#include "Expected.h"

#include <QAbstractTableModel>
#include <QAtomicInteger>

#include <functional>
#include <memory>
#include <optional>

namespace salesbot {

class PagedTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PagedTableModel)

public:
    static constexpr int DefaultPageSize = 100;
    // A live refresh reloads what an operator can have scrolled through; rows past it are fetched again as
    // the view scrolls.
    static constexpr int MaxRefreshRows = 2000;

    int columnCount(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    void setPageSize(int rows) { m_pageSize = qMax(1, rows); }
    int pageSize() const { return m_pageSize; }
    // The first page of a new query is on its way.
    bool isLoading() const { return m_loading; }
    // The next page is on its way.
    bool isFetching() const { return m_fetching; }
    // The last failure's message; cleared when a new query starts.
    QString lastError() const { return m_error; }

Q_SIGNALS:
    // A page is in place (`first`: the first one of a new query; otherwise the next one).
    void pageLoaded(bool first);
    // The rows shown were loaded again (refreshShown()).
    void shownRefreshed();
    void loadFailed(const QString& message);

protected:
    enum class Load
    {
        First, // a new query: a new generation, isLoading()
        Next,  // the page after the cursor: isFetching()
        Shown, // the rows shown again: a new generation
    };

    PagedTableModel(ConsoleSession& session, int columns, QObject* parent);

    ConsoleSession& session() const { return m_session; }
    // Results of older generations are dropped.
    quint64 generation() const { return m_generation; }
    // The same, readable on the database threads: queued work that is already stale is not started.
    std::shared_ptr<const QAtomicInteger<quint64>> latestGeneration() const { return m_latestGeneration; }

    // Flags the load as on its way and returns the generation it belongs to.
    quint64 startLoad(Load load);
    void endLoad(Load load);
    // Whatever is on its way is stale from now on.
    void dropPending();
    // False when a newer load has replaced the one of `generation` (its result is dropped).
    bool isCurrent(quint64 generation) const { return generation == m_generation; }
    void fail(const QString& message);
    const PageCursor& next() const { return m_next; }
    void setNext(const PageCursor& next) { m_next = next; }

    // Asks for the page after the cursor (fetchMore() checked that there is one and nothing is on its way).
    virtual void loadNextPage() = 0;

private:
    ConsoleSession& m_session;
    const int m_columns;
    PageCursor m_next;
    int m_pageSize = DefaultPageSize;
    quint64 m_generation = 0;
    std::shared_ptr<QAtomicInteger<quint64>> m_latestGeneration =
        std::make_shared<QAtomicInteger<quint64>>(0);
    bool m_loading = false;
    bool m_fetching = false;
    bool m_refreshing = false; // refreshShown rows are on their way
    QString m_error;
};

template <typename Page>
class PagedRows : public PagedTableModel
{
public:
    using Row = typename decltype(Page::rows)::value_type;
    // `limit` rows after `after` of the current query, run on the database thread.
    using PageQuery =
        std::function<Expected<Page, DbError>(DbConnection& db, const PageCursor& after, int limit)>;

    int rowCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    // The row whose rowId() is `id`, -1 when it is not shown.
    int rowOf(qint64 id) const
    {
        for (qsizetype i = 0; i < m_rows.size(); ++i) {
            if (rowId(m_rows.at(i)) == id)
                return int(i);
        }
        return -1;
    }

protected:
    PagedRows(ConsoleSession& session, int columns, QObject* parent)
        : PagedTableModel(session, columns, parent)
    {}

    // The current query, copied for the database thread.
    virtual PageQuery pageQuery() const = 0;
    // What tells a row from the others (the same row keeps its place in a live refresh).
    virtual qint64 rowId(const Row& row) const = 0;

    // Drops the rows at once, then loads the first page (unless `load` is false: nothing to show).
    void clearAndLoad(bool load = true)
    {
        beginResetModel();
        m_rows.clear();
        setNext({});
        endResetModel();
        if (load)
            request(Load::First, {}, pageSize(), [this](Page& page) { appendPage(page); });
        else
            dropPending();
    }

    // Loads the first page of a new query; the rows shown stay until it arrives and replaces them.
    void replaceWithFirstPage()
    {
        request(Load::First, {}, pageSize(), [this](Page& page) { replaceRows(page, false); });
    }

    // Loads as many rows as are shown again (at least a page, at most MaxRefreshRows); the rows stay in
    // place when the same ones came back in the same order, otherwise a reset (views put their selection
    // back by id). False when a first page is on its way (it will show the news) and nothing was asked.
    bool refreshShownRows()
    {
        if (isLoading())
            return false;
        const int limit = qBound(pageSize(), int(m_rows.size()), MaxRefreshRows);
        request(Load::Shown, {}, limit, [this](Page& page) { replaceRows(page, true); });
        return true;
    }

    void loadNextPage() override
    {
        request(Load::Next, next(), pageSize(), [this](Page& page) { appendPage(page); });
    }

    QList<Row> m_rows;

private:
    // Runs `limit` rows of the current query after `after` on the database thread (in as many pages as
    // the repository needs), then `apply(page)` unless a newer load has replaced this one.
    template <typename Apply>
    void request(Load load, const PageCursor& after, int limit, Apply apply)
    {
        const quint64 generation = startLoad(load);
        session().call(
            this,
            [query = pageQuery(), after, limit, generation,
             latest = latestGeneration()](DbConnection& db) -> std::optional<Expected<Page, DbError>> {
                if (latest->loadAcquire() != generation)
                    return std::nullopt; // a newer query is queued behind this one
                Page all;
                PageCursor cursor = after;
                do {
                    Expected<Page, DbError> page = query(db, cursor, limit - int(all.rows.size()));
                    if (!page)
                        return page;
                    if (page->rows.isEmpty())
                        break;
                    all.rows.append(std::move(page->rows));
                    all.next = page->next;
                    cursor = page->next;
                } while (cursor.isValid() && all.rows.size() < limit);
                return all;
            },
            [this, load, generation,
             apply = std::move(apply)](std::optional<Expected<Page, DbError>> result) {
                if (!result || !isCurrent(generation))
                    return;
                if (!*result) {
                    // A first page that failed leaves the old rows, but not their cursor: the next page of
                    // the new query must not continue after the old one's last row.
                    if (load == Load::First)
                        setNext({});
                    endLoad(load);
                    fail(result->error().message());
                    return;
                }
                // The flag stays up while the rows arrive: views and testers ask canFetchMore() from their
                // rowsInserted and modelReset handlers, and the cursor has moved by then.
                apply(result->value());
                endLoad(load);
                if (load == Load::Shown)
                    Q_EMIT shownRefreshed();
                else
                    Q_EMIT pageLoaded(load == Load::First);
            });
    }

    void appendPage(Page& page)
    {
        setNext(page.next);
        if (page.rows.isEmpty())
            return;
        const int from = int(m_rows.size());
        beginInsertRows({}, from, from + int(page.rows.size()) - 1);
        m_rows.append(std::move(page.rows));
        endInsertRows();
    }

    void replaceRows(Page& page, bool keepPlaces)
    {
        QList<Row>& rows = page.rows;
        bool samePlaces = keepPlaces && rows.size() == m_rows.size();
        for (qsizetype i = 0; samePlaces && i < rows.size(); ++i)
            samePlaces = rowId(rows.at(i)) == rowId(m_rows.at(i));
        setNext(page.next);
        if (samePlaces) {
            m_rows = std::move(rows);
            if (!m_rows.isEmpty())
                Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, columnCount() - 1));
        } else {
            beginResetModel();
            m_rows = std::move(rows);
            endResetModel();
        }
    }
};

} // namespace salesbot
