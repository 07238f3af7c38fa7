#include "ApplicationsModel.h"

#include "ApplicationRepository.h"
#include "ConsoleSession.h"
#include "DisplayFormat.h"

#include <QColor>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

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
    : PagedRows(session, ColumnCount, parent)
{
    connect(this, &PagedTableModel::pageLoaded, this, [this](bool first) {
        if (first)
            Q_EMIT loaded();
    });
    connect(this, &PagedTableModel::shownRefreshed, this, &ApplicationsModel::loaded);
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
    if (sort.column == m_sort.column && sort.descending == m_sort.descending && generation() > 0)
        return;
    m_sort = sort;
    if (generation() > 0) // before the first reload() the view is only being set up
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
    // The page first, then the count: the operator sees rows before the total is known.
    replaceWithFirstPage();
    requestCount(generation());
}

ApplicationsModel::PageQuery ApplicationsModel::pageQuery() const
{
    return [filter = m_filter, sort = m_sort](DbConnection& db, const PageCursor& after, int limit) {
        return ApplicationRepository(db).list(filter, sort, after, limit);
    };
}

void ApplicationsModel::requestCount(quint64 generation)
{
    const ApplicationFilter filter = m_filter;
    // Counting a large table takes longer than a page: on the background connection, and skipped when the
    // filter has changed again before its turn came.
    session().callBackground(
        this,
        [filter, generation,
         latest = latestGeneration()](DbConnection& db) -> std::optional<Expected<qint64, DbError>> {
            if (latest->loadAcquire() != generation)
                return std::nullopt;
            return ApplicationRepository(db).count(filter);
        },
        [this, generation](std::optional<Expected<qint64, DbError>> counted) {
            if (!isCurrent(generation) || !counted)
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
    if (refreshShownRows()) // else a reload is on its way and will show the news
        requestCount(generation());
}

void ApplicationsModel::refreshApplication(qint64 id)
{
    if (rowOf(id) < 0)
        return;
    session().call(
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

const Application* ApplicationsModel::applicationAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

} // namespace salesbot
