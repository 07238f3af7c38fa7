#include "ApplicationsModel.h"

#include "ApplicationRepository.h"
#include "ConsoleSession.h"
#include "DisplayFormat.h"

#include <QColor>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

// Enough for a live refresh of what an operator can have scrolled through; beyond it, start again.
constexpr int MaxRefreshRows = 2000;

QColor statusColor(ApplicationStatus status)
{
    switch (status) {
    case ApplicationStatus::New:
        return QColor(0x1e, 0x88, 0xe5);
    case ApplicationStatus::InProgress:
        return QColor(0xfb, 0x8c, 0x00);
    case ApplicationStatus::Done:
        return QColor(0x43, 0xa0, 0x47);
    case ApplicationStatus::Rejected:
        return QColor(0x9e, 0x9e, 0x9e);
    }
    return {};
}

} // namespace

ApplicationsModel::ApplicationsModel(ConsoleSession& session, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{}

int ApplicationsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ApplicationsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ApplicationsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Application& a = m_rows.at(index.row());
    if (role == IdRole)
        return a.id;
    if (role == StatusCodeRole)
        return ApplicationStatuses::code(a.status);
    if (role == Qt::TextAlignmentRole && index.column() == Number)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::DecorationRole && index.column() == Status)
        return statusColor(a.status);
    if (role == Qt::ToolTipRole && index.column() == Username && a.telegramId != 0)
        return u"tg://user?id=%1"_s.arg(a.telegramId);
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (Column(index.column())) {
    case Number:
        return a.number;
    case Created:
        return localDateTime(a.createdAt);
    case Name:
        return a.name;
    case Phone:
        return a.phone;
    case Username:
        return a.username.isEmpty() ? QString() : u"@"_s + a.username;
    case Package:
        return a.packageCode.isEmpty() ? tr("—") : m_packageTitles.value(a.packageCode, a.packageCode);
    case Status:
        return ApplicationStatuses::displayName(a.status);
    case Assignee:
        return a.assignee;
    case Updated:
        return localDateTime(a.updatedAt);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ApplicationsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Number:
        return tr("№");
    case Created:
        return tr("Created");
    case Name:
        return tr("Name");
    case Phone:
        return tr("Phone");
    case Username:
        return tr("Telegram");
    case Package:
        return tr("Package");
    case Status:
        return tr("Status");
    case Assignee:
        return tr("Assignee");
    case Updated:
        return tr("Updated");
    case ColumnCount:
        break;
    }
    return {};
}

ApplicationSortColumn ApplicationsModel::sortColumnFor(int column)
{
    switch (Column(column)) {
    case Number:
        return ApplicationSortColumn::Number;
    case Created:
        return ApplicationSortColumn::CreatedAt;
    case Name:
        return ApplicationSortColumn::Name;
    case Phone:
        return ApplicationSortColumn::Phone;
    case Username:
        return ApplicationSortColumn::Username;
    case Package:
        return ApplicationSortColumn::Package;
    case Status:
        return ApplicationSortColumn::Status;
    case Assignee:
        return ApplicationSortColumn::Assignee;
    case Updated:
        return ApplicationSortColumn::UpdatedAt;
    case ColumnCount:
        break;
    }
    return ApplicationSortColumn::CreatedAt;
}

void ApplicationsModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    const ApplicationSort sort{sortColumnFor(column), order == Qt::DescendingOrder};
    if (sort.column == m_sort.column && sort.descending == m_sort.descending && m_generation > 0)
        return;
    m_sort = sort;
    if (m_generation > 0) // before the first reload() the view is only being set up
        reload();
}

void ApplicationsModel::setFilter(const ApplicationFilter& filter)
{
    m_filter = filter;
    reload();
}

void ApplicationsModel::setPackageTitles(const QHash<QString, QString>& titles)
{
    m_packageTitles = titles;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Package), index(int(m_rows.size()) - 1, Package), {Qt::DisplayRole});
}

void ApplicationsModel::reload()
{
    const quint64 generation = ++m_generation;
    m_latestGeneration->storeRelease(generation);
    m_loading = true;
    m_fetching = false;
    m_error.clear();
    const ApplicationFilter filter = m_filter;
    const ApplicationSort sort = m_sort;
    const int limit = m_pageSize;
    // The page first, then the count: the operator sees rows before the total is known.
    m_session.call(
        this,
        [filter, sort, limit, generation,
         latest = m_latestGeneration](DbConnection& db) -> std::optional<Expected<ApplicationPage, DbError>> {
            if (latest->loadAcquire() != generation)
                return std::nullopt; // typed over: a newer filter is queued behind this one
            return ApplicationRepository(db).list(filter, sort, {}, limit);
        },
        [this, generation](std::optional<Expected<ApplicationPage, DbError>> result) {
            if (generation != m_generation || !result)
                return;
            Expected<ApplicationPage, DbError>& page = *result;
            m_loading = false;
            if (!page) {
                fail(page.error().message());
                return;
            }
            beginResetModel();
            m_rows = std::move(page.value().rows);
            m_next = page.value().next;
            endResetModel();
            Q_EMIT loaded();
        });
    requestCount(generation);
}

void ApplicationsModel::requestCount(quint64 generation)
{
    const ApplicationFilter filter = m_filter;
    // Counting a large table takes longer than a page: on the background connection, and skipped when the
    // filter has changed again before its turn came.
    m_session.callBackground(
        this,
        [filter, generation,
         latest = m_latestGeneration](DbConnection& db) -> std::optional<Expected<qint64, DbError>> {
            if (latest->loadAcquire() != generation)
                return std::nullopt;
            return ApplicationRepository(db).count(filter);
        },
        [this, generation](std::optional<Expected<qint64, DbError>> counted) {
            if (generation != m_generation || !counted)
                return;
            Expected<qint64, DbError>& total = *counted;
            if (!total) {
                fail(total.error().message());
                return;
            }
            m_total = total.value();
            Q_EMIT totalCountChanged(m_total);
        });
}

void ApplicationsModel::refreshShown()
{
    if (m_loading)
        return; // a reload is on its way and will show the news
    const quint64 generation = ++m_generation;
    m_latestGeneration->storeRelease(generation);
    m_fetching = false;
    const ApplicationFilter filter = m_filter;
    const ApplicationSort sort = m_sort;
    const int limit = qBound(m_pageSize, int(m_rows.size()), MaxRefreshRows);
    m_session.call(
        this,
        [filter, sort, limit](DbConnection& db) {
            return ApplicationRepository(db).list(filter, sort, {}, limit);
        },
        [this, generation](Expected<ApplicationPage, DbError> page) {
            if (generation != m_generation)
                return;
            if (!page) {
                fail(page.error().message());
                return;
            }
            QList<Application>& rows = page.value().rows;
            bool samePlaces = rows.size() == m_rows.size();
            for (qsizetype i = 0; samePlaces && i < rows.size(); ++i)
                samePlaces = rows.at(i).id == m_rows.at(i).id;
            m_next = page.value().next;
            if (samePlaces) {
                m_rows = std::move(rows);
                if (!m_rows.isEmpty())
                    Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
            } else {
                // Rows came or went: a reset; the view puts the selection back by id.
                beginResetModel();
                m_rows = std::move(rows);
                endResetModel();
            }
            Q_EMIT loaded();
        });
    requestCount(generation);
}

void ApplicationsModel::refreshApplication(qint64 id)
{
    if (rowOf(id) < 0)
        return;
    m_session.call(
        this, [id](DbConnection& db) { return ApplicationRepository(db).findById(id); },
        [this](Expected<std::optional<Application>, DbError> found) {
            if (found && found.value())
                updateApplication(*found.value());
        });
}

void ApplicationsModel::updateApplication(const Application& application)
{
    const int row = rowOf(application.id);
    if (row < 0 || m_rows.at(row).version > application.version)
        return; // not shown, or we already hold a newer state
    m_rows[row] = application;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

bool ApplicationsModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_next.isValid() && !m_fetching && !m_loading;
}

void ApplicationsModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    const quint64 generation = m_generation;
    const ApplicationFilter filter = m_filter;
    const ApplicationSort sort = m_sort;
    const PageCursor after = m_next;
    const int limit = m_pageSize;
    m_session.call(
        this,
        [filter, sort, after, limit](DbConnection& db) {
            return ApplicationRepository(db).list(filter, sort, after, limit);
        },
        [this, generation](Expected<ApplicationPage, DbError> page) {
            if (generation != m_generation)
                return;
            m_fetching = false;
            if (!page) {
                fail(page.error().message());
                return;
            }
            // The cursor moves first: views ask for more from inside endInsertRows().
            m_next = page.value().next;
            QList<Application>& rows = page.value().rows;
            if (!rows.isEmpty()) {
                beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size()) - 1);
                m_rows.append(std::move(rows));
                endInsertRows();
            }
        });
}

const Application* ApplicationsModel::applicationAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int ApplicationsModel::rowOf(qint64 id) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return int(i);
    }
    return -1;
}

void ApplicationsModel::fail(const QString& message)
{
    m_error = message;
    Q_EMIT loadFailed(message);
}

} // namespace salesbot
