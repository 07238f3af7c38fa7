#include "UsersModel.h"

#include "ConsoleSession.h"
#include "DisplayFormat.h"

#include <QBrush>
#include <QLocale>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace salesbot {

UsersModel::UsersModel(ConsoleSession& session, QObject* parent)
    : PagedRows(session, ColumnCount, parent)
{}

QVariant UsersModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const UserActivity& u = m_rows.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name:
            return u.displayName();
        case Username:
            return u.username.isEmpty() ? QString() : u"@"_s + u.username;
        case TelegramId:
            return QString::number(u.telegramId);
        case FirstSeen:
            return localDateTime(u.firstSeen);
        case LastSeen:
            return localDateTime(u.lastSeen);
        case Actions:
            return QLocale().toString(u.actions);
        case Application:
            if (u.applicationNumber == 0)
                return QString();
            return u.applicationStatus ? tr("#%1 · %2")
                                             .arg(u.applicationNumber)
                                             .arg(ApplicationStatuses::displayName(*u.applicationStatus))
                                       : tr("#%1").arg(u.applicationNumber);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (u.blockedAt.isValid())
            return tr("Blocked the bot on %1").arg(localDateTime(u.blockedAt));
        if (index.column() == FirstSeen || index.column() == LastSeen) {
            const QDateTime at = index.column() == FirstSeen ? u.firstSeen : u.lastSeen;
            return QLocale().toString(at.toLocalTime(), QLocale::LongFormat);
        }
        return {};
    }
    if (role == Qt::ForegroundRole && u.blockedAt.isValid())
        return QPalette().brush(QPalette::Disabled, QPalette::Text);
    if (role == Qt::TextAlignmentRole && (index.column() == Actions || index.column() == TelegramId))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::UserRole)
        return u.telegramId;
    return {};
}

QVariant UsersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Username:
        return tr("Username");
    case TelegramId:
        return tr("Telegram ID");
    case FirstSeen:
        return tr("First seen");
    case LastSeen:
        return tr("Last seen");
    case Actions:
        return tr("Actions");
    case Application:
        return tr("Application");
    default:
        return {};
    }
}

bool UsersModel::isSortable(int column)
{
    return column == FirstSeen || column == LastSeen || column == Actions;
}

void UsersModel::sort(int column, Qt::SortOrder order)
{
    if (!isSortable(column))
        return;
    const UserActivitySort sort = column == FirstSeen  ? UserActivitySort::FirstSeen
                                  : column == LastSeen ? UserActivitySort::LastSeen
                                                       : UserActivitySort::Actions;
    const bool descending = order == Qt::DescendingOrder;
    if (sort == m_query.sort && descending == m_query.descending && (isLoading() || !m_rows.isEmpty()))
        return;
    m_query.sort = sort;
    m_query.descending = descending;
    refresh();
}

int UsersModel::sortColumn() const
{
    switch (m_query.sort) {
    case UserActivitySort::FirstSeen:
        return FirstSeen;
    case UserActivitySort::Actions:
        return Actions;
    case UserActivitySort::LastSeen:
        break;
    }
    return LastSeen;
}

Qt::SortOrder UsersModel::sortOrder() const
{
    return m_query.descending ? Qt::DescendingOrder : Qt::AscendingOrder;
}

void UsersModel::setFilterText(const QString& text)
{
    if (text.trimmed() == m_query.text.trimmed())
        return;
    m_query.text = text;
    refresh();
}

void UsersModel::refresh()
{
    clearAndLoad();
}

UsersModel::PageQuery UsersModel::pageQuery() const
{
    return [query = m_query](DbConnection& db, const PageCursor& after, int limit) {
        return ActivityRepository(db).users(query, after, limit);
    };
}

} // namespace salesbot
