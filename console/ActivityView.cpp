#include "ActivityView.h"

#include "ConsoleSession.h"
#include "TimeSeriesChart.h"
#include "TimelineModel.h"
#include "UsersModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

QTableView* makeTable(QWidget* parent)
{
    auto* table = new QTableView(parent);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->horizontalHeader()->setHighlightSections(false);
    return table;
}

} // namespace

ActivityView::ActivityView(ConsoleSession& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_users(new UsersModel(session, this))
    , m_timeline(new TimelineModel(session, this))
{
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search by name, @username or Telegram ID"));
    m_search->setClearButtonEnabled(true);
    m_search->setObjectName(u"activitySearch"_s);
    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(300);
    m_count = new QLabel(this);
    m_chart = new TimeSeriesChart(this);
    m_chart->setObjectName(u"activeUsersChart"_s);
    m_chart->setTitle(tr("Active users per day, last %n day(s)", nullptr, ActivityDays));
    m_chart->setEmptyText(tr("No activity in these days"));
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: palette(highlighted-text); background: #b3261e; padding: 4px;"_s);
    m_error->hide();

    auto* top = new QHBoxLayout;
    top->addWidget(m_search, 2);
    top->addWidget(m_count, 1);

    m_usersTable = makeTable(this);
    m_usersTable->setObjectName(u"usersTable"_s);
    m_usersTable->setModel(m_users);
    QHeaderView* header = m_usersTable->horizontalHeader();
    header->setSortIndicator(m_users->sortColumn(), m_users->sortOrder());
    header->setSortIndicatorShown(true);
    header->setSectionsClickable(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    // The header calls UsersModel::sort(); columns the server cannot sort keep the previous indicator.
    connect(header, &QHeaderView::sortIndicatorChanged, this,
            [this, header](int column, Qt::SortOrder order) {
                if (UsersModel::isSortable(column)) {
                    m_users->sort(column, order);
                } else {
                    const QSignalBlocker block(header);
                    header->setSortIndicator(m_users->sortColumn(), m_users->sortOrder());
                }
            });

    auto* timelinePane = new QWidget(this);
    auto* timelineLayout = new QVBoxLayout(timelinePane);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    m_userHeader = new QLabel(timelinePane);
    m_userHeader->setTextFormat(Qt::PlainText);
    m_userHeader->setWordWrap(true);
    m_userHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_userHeader->font();
    bold.setBold(true);
    m_userHeader->setFont(bold);
    m_timelineTable = makeTable(timelinePane);
    m_timelineTable->setObjectName(u"timelineTable"_s);
    m_timelineTable->setModel(m_timeline);
    m_timelineTable->horizontalHeader()->setStretchLastSection(true);
    timelineLayout->addWidget(m_userHeader);
    timelineLayout->addWidget(m_timelineTable);

    auto* rightSplitter = new QSplitter(Qt::Vertical, this);
    rightSplitter->addWidget(timelinePane);
    rightSplitter->addWidget(m_chart);
    rightSplitter->setStretchFactor(0, 3);
    rightSplitter->setStretchFactor(1, 1);
    rightSplitter->setChildrenCollapsible(false);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_usersTable);
    splitter->addWidget(rightSplitter);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({700, 500});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_error);
    layout->addWidget(splitter, 1);

    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_searchDelay->stop();
        m_users->setFilterText(m_search->text());
    });
    connect(m_searchDelay, &QTimer::timeout, this, [this] { m_users->setFilterText(m_search->text()); });
    connect(m_users, &UsersModel::pageLoaded, this, &ActivityView::onUsersPage);
    connect(m_users, &UsersModel::loadFailed, this, &ActivityView::showError);
    connect(m_timeline, &TimelineModel::loadFailed, this, &ActivityView::showError);
    connect(m_timeline, &TimelineModel::pageLoaded, this, [this](bool first) {
        if (first) {
            for (int column : {TimelineModel::Time, TimelineModel::Action, TimelineModel::Package})
                m_timelineTable->resizeColumnToContents(column);
        }
    });
    connect(m_users, &QAbstractItemModel::modelReset, this, [this] {
        m_count->setText(tr("Loading…"));
        onCurrentUserChanged();
    });
    connect(m_usersTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ActivityView::onCurrentUserChanged);

    refresh();
}

void ActivityView::refresh()
{
    m_error->hide();
    m_users->refresh();
    loadActiveUsers();
}

void ActivityView::loadActiveUsers()
{
    const QDate today = QDate::currentDate();
    ReportPeriod period;
    period.from = QDateTime(today.addDays(1 - ActivityDays), QTime(0, 0)).toUTC();
    period.to = QDateTime(today.addDays(1), QTime(0, 0)).toUTC();
    period.utcOffsetSeconds = ConsoleSession::localUtcOffsetSeconds();
    m_session.call(
        this, [period](DbConnection& db) { return ActivityRepository(db).activeUsersPerDay(period); },
        [this](Expected<QList<DailyActiveUsers>, DbError> days) {
            if (!days) {
                showError(days.error().message());
                return;
            }
            QList<QDate> dates;
            ChartSeries users{tr("Active users"), {}};
            for (const DailyActiveUsers& day : *days) {
                dates << day.day;
                users.values << double(day.users);
            }
            m_chart->setData(dates, {users});
        });
}

void ActivityView::onUsersPage(bool first)
{
    const int rows = m_users->rowCount();
    m_count->setText(m_users->canFetchMore({}) ? tr("%1 users shown, scroll for more").arg(rows)
                                               : tr("%n user(s)", nullptr, rows));
    if (first) {
        if (rows > 0 && !m_usersTable->currentIndex().isValid())
            m_usersTable->selectRow(0);
        if (rows == 0)
            m_userHeader->setText(m_search->text().trimmed().isEmpty() ? tr("The bot has met no users yet.")
                                                                       : tr("No users match the search."));
        // Columns fit their contents once, from the first page; the operator may resize them afterwards.
        m_usersTable->resizeColumnsToContents();
        Q_EMIT loaded();
    }
}

void ActivityView::onCurrentUserChanged()
{
    const QModelIndex current = m_usersTable->currentIndex();
    if (!current.isValid()) {
        m_userHeader->setText(tr("Select a user to see their timeline."));
        if (m_timeline->telegramId() != 0)
            m_timeline->setTelegramId(0);
        return;
    }
    const UserActivity& u = m_users->user(current.row());
    QStringList parts{u.displayName()};
    if (!u.username.isEmpty())
        parts << u"@"_s + u.username;
    parts << tr("ID %1").arg(u.telegramId);
    if (!u.phone.isEmpty())
        parts << u.phone;
    parts << tr("%n action(s)", nullptr, int(qMin<qint64>(u.actions, std::numeric_limits<int>::max())));
    m_userHeader->setText(parts.join(u" · "_s));
    if (m_timeline->telegramId() != u.telegramId)
        m_timeline->setTelegramId(u.telegramId);
}

void ActivityView::showError(const QString& message)
{
    m_error->setText(tr("Could not load the activity: %1").arg(message));
    m_error->show();
}

} // namespace salesbot
