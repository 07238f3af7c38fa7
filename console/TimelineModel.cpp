#include "TimelineModel.h"

#include "ConsoleSession.h"
#include "DisplayFormat.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace salesbot {

TimelineModel::TimelineModel(ConsoleSession& session, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{}

int TimelineModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TimelineModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TimelineModel::actionName(const QString& action)
{
    static const QHash<QString, const char*> names{
        {u"start"_s, QT_TR_NOOP("Started the bot")},
        {u"menu"_s, QT_TR_NOOP("Opened the menu")},
        {u"packages"_s, QT_TR_NOOP("Opened the packages")},
        {u"package_view"_s, QT_TR_NOOP("Viewed a package")},
        {u"about"_s, QT_TR_NOOP("Read about us")},
        {u"contacts"_s, QT_TR_NOOP("Opened the contacts")},
        {u"status_check"_s, QT_TR_NOOP("Checked the application status")},
        {u"free_text"_s, QT_TR_NOOP("Wrote a message")},
        {u"duplicate_blocked"_s, QT_TR_NOOP("Tried a second application")},
        {u"apply_start"_s, QT_TR_NOOP("Started the form")},
        {u"name_entered"_s, QT_TR_NOOP("Entered the name")},
        {u"phone_entered"_s, QT_TR_NOOP("Entered the phone")},
        {u"application_created"_s, QT_TR_NOOP("Filed an application")},
        {u"application_updated"_s, QT_TR_NOOP("Updated the application")},
        {u"cancel"_s, QT_TR_NOOP("Cancelled")},
    };
    const auto it = names.constFind(action);
    return it == names.constEnd() ? action : tr(*it);
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TimelineEvent& e = m_rows.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Time:
            return localDateTime(e.at);
        case Action:
            return actionName(e.action);
        case Package:
            return e.packageCode;
        case Details:
            return ActivityRepository::summarize(e.data);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Action)
            return e.action;
        if (index.column() == Details)
            return ActivityRepository::summarize(e.data, 1000);
        if (index.column() == Time)
            return QLocale().toString(e.at.toLocalTime(), QLocale::LongFormat);
    }
    return {};
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Action:
        return tr("Action");
    case Package:
        return tr("Package");
    case Details:
        return tr("Details");
    default:
        return {};
    }
}

bool TimelineModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_hasMore && !m_loading;
}

void TimelineModel::fetchMore(const QModelIndex& parent)
{
    if (canFetchMore(parent))
        load(false);
}

void TimelineModel::setTelegramId(qint64 telegramId)
{
    m_telegramId = telegramId;
    refresh();
}

void TimelineModel::refresh()
{
    beginResetModel();
    m_rows.clear();
    m_next = {};
    m_hasMore = false;
    endResetModel();
    ++m_generation;
    m_loading = false;
    if (m_telegramId != 0)
        load(true);
}

void TimelineModel::load(bool first)
{
    const quint64 generation = ++m_generation;
    m_loading = true;
    const qint64 telegramId = m_telegramId;
    const PageCursor after = first ? PageCursor() : m_next;
    const int limit = m_pageSize;
    m_session.call(
        this,
        [telegramId, after, limit](DbConnection& db) {
            return ActivityRepository(db).timeline(telegramId, after, limit);
        },
        [this, generation, first](Expected<TimelinePage, DbError> page) {
            if (generation != m_generation)
                return;
            if (!page) {
                m_loading = false;
                Q_EMIT loadFailed(page.error().message());
                return;
            }
            // The cursor moves before the rows arrive, and no fetch starts while they are inserted: views
            // ask canFetchMore() from their rowsInserted handlers.
            m_next = page->next;
            m_hasMore = m_next.isValid();
            if (!page->rows.isEmpty()) {
                const int from = int(m_rows.size());
                beginInsertRows({}, from, from + int(page->rows.size()) - 1);
                m_rows.append(page->rows);
                endInsertRows();
            }
            m_loading = false;
            Q_EMIT pageLoaded(first);
        });
}

} // namespace salesbot
