#include "PagedTableModel.h"

namespace salesbot {

PagedTableModel::PagedTableModel(ConsoleSession& session, int columns, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_columns(columns)
{}

int PagedTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_columns;
}

bool PagedTableModel::canFetchMore(const QModelIndex& parent) const
{
    // Not while the rows shown are loaded again either: the next page would continue after the old cursor.
    return !parent.isValid() && m_next.isValid() && !m_fetching && !m_loading && !m_refreshing;
}

void PagedTableModel::fetchMore(const QModelIndex& parent)
{
    if (canFetchMore(parent))
        loadNextPage();
}

quint64 PagedTableModel::startLoad(Load load)
{
    if (load == Load::Next) {
        m_fetching = true;
        return m_generation;
    }
    dropPending(); // what the previous generation has on its way is stale
    if (load == Load::First) {
        m_loading = true;
        m_error.clear();
    } else {
        m_refreshing = true;
    }
    return m_generation;
}

void PagedTableModel::endLoad(Load load)
{
    switch (load) {
    case Load::First:
        m_loading = false;
        break;
    case Load::Next:
        m_fetching = false;
        break;
    case Load::Shown:
        m_refreshing = false;
        break;
    }
}

void PagedTableModel::dropPending()
{
    ++m_generation;
    m_latestGeneration->storeRelease(m_generation);
    m_loading = false;
    m_fetching = false;
    m_refreshing = false;
}

void PagedTableModel::fail(const QString& message)
{
    m_error = message;
    Q_EMIT loadFailed(message);
}

} // namespace salesbot
