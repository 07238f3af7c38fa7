#include "TimelineModel.h"

#include "ConsoleSession.h"
#include "DisplayFormat.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace salesbot {

TimelineModel::TimelineModel(ConsoleSession& session, QObject* parent)
    : PagedRows(session, ColumnCount, parent)
{}

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
            return m_packageTitles.value(e.packageCode, e.packageCode);
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

void TimelineModel::setPackageTitles(const QHash<QString, QString>& titles)
{
    m_packageTitles = titles;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Package), index(int(m_rows.size()) - 1, Package), {Qt::DisplayRole});
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

void TimelineModel::setTelegramId(qint64 telegramId)
{
    m_telegramId = telegramId;
    refresh();
}

void TimelineModel::refresh()
{
    clearAndLoad(m_telegramId != 0);
}

void TimelineModel::refreshShown()
{
    if (m_telegramId != 0)
        refreshShownRows();
}

TimelineModel::PageQuery TimelineModel::pageQuery() const
{
    return [telegramId = m_telegramId](DbConnection& db, const PageCursor& after, int limit) {
        return ActivityRepository(db).timeline(telegramId, after, limit);
    };
}

} // namespace salesbot
