#include "ActivityView.h"

#include "ConsoleSession.h"
#include "PackageRepository.h"
#include "TimeSeriesChart.h"
#include "TimelineModel.h"
#include "UsersModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollBar>
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
    connect(m_users, &PagedTableModel::shownRefreshed, this, [this] {
        updateCount();
        if (m_users->rowCount() == 0)
            selectFirstUser(); // says that there is nobody
    });
    connect(m_users, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        m_hadUsers = m_users->rowCount() > 0;
        m_usersScroll = m_usersTable->verticalScrollBar()->value();
    });
    connect(m_users, &QAbstractItemModel::modelReset, this, &ActivityView::onUsersReset);
    // A live refresh that changed the rows in place: the header shows the user's new numbers.
    connect(m_users, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) {
                const int row = m_usersTable->currentIndex().row();
                if (row >= from.row() && row <= to.row())
                    onCurrentUserChanged();
            });
    connect(m_usersTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ActivityView::onCurrentUserChanged);
    // New events above: the timeline stays where the operator scrolled it.
    connect(m_timeline, &QAbstractItemModel::modelAboutToBeReset, this,
            [this] { m_timelineScroll = m_timelineTable->verticalScrollBar()->value(); });
    connect(m_timeline, &QAbstractItemModel::modelReset, this, [this] {
        if (m_timeline->rowCount() > 0)
            m_timelineTable->verticalScrollBar()->setValue(m_timelineScroll);
    });

    m_changeTimer.setSingleShot(true);
    m_changeTimer.setInterval(ChangeDebounceMs);
    connect(&m_changeTimer, &QTimer::timeout, this, &ActivityView::refreshIfShown);
    m_liveTimer.setInterval(DefaultLiveRefreshMs);
    connect(&m_liveTimer, &QTimer::timeout, this, &ActivityView::refreshIfShown);
    connect(&session, &ConsoleSession::catalogChanged, this, &ActivityView::loadPackageTitles);
    connect(&session, &ConsoleSession::applicationChanged, this, &ActivityView::onBotChanged);
    connect(&session, &ConsoleSession::applicationCreated, this, &ActivityView::onBotChanged);

    refresh();
}

void ActivityView::loadPackageTitles()
{
    m_session.call(
        this, [](DbConnection& db) { return PackageRepository(db).list(true); },
        [this](Expected<QList<Package>, DbError> packages) {
            if (!packages)
                return; // the timeline still shows the codes
            QHash<QString, QString> titles;
            for (const Package& p : std::as_const(packages.value()))
                titles.insert(p.code, p.title);
            m_timeline->setPackageTitles(titles);
        });
}

void ActivityView::refresh()
{
    m_error->hide();
    m_stale = false;
    m_sinceRefresh.start();
    loadPackageTitles();
    m_users->refresh();
    loadActiveUsers();
}

void ActivityView::refreshShown()
{
    m_error->hide();
    m_stale = false;
    m_sinceRefresh.start();
    m_users->refreshShown();
    m_timeline->refreshShown();
    loadActiveUsers();
}

void ActivityView::setLiveRefreshInterval(int ms)
{
    m_liveTimer.setInterval(qMax(1, ms));
    if (m_liveTimer.isActive())
        m_liveTimer.start();
}

void ActivityView::onBotChanged()
{
    // A burst of changes (a busy hour, a poll that saw many) becomes one refresh a second after the first.
    if (!m_changeTimer.isActive())
        m_changeTimer.start();
}

void ActivityView::refreshIfShown()
{
    if (isVisible())
        refreshShown();
    else
        m_stale = true;
}

void ActivityView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // Changes while hidden, or news nobody announces (users, events) since the last look.
    if (m_stale || m_sinceRefresh.hasExpired(m_liveTimer.interval()))
        refreshShown();
    m_liveTimer.start();
}

void ActivityView::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_liveTimer.stop();
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
    updateCount();
    if (first) {
        selectFirstUser();
        // Columns fit their contents once, from the first page; the operator may resize them afterwards.
        m_usersTable->resizeColumnsToContents();
        Q_EMIT loaded();
    }
}

void ActivityView::onUsersReset()
{
    if (m_users->rowCount() == 0) {
        // refresh(): the first page is on its way.
        m_count->setText(tr("Loading…"));
        onCurrentUserChanged();
        return;
    }
    if (!m_hadUsers) {
        selectFirstUser(); // the first users came to an empty list
        return;
    }
    // A live refresh with users that came or moved: the operator's user stays selected (when still among
    // the rows shown; otherwise their timeline stays) and the table where it was scrolled to.
    const int row = m_users->rowOf(m_selectedTelegramId);
    if (m_selectedTelegramId != 0 && row >= 0) {
        const bool autoScroll = m_usersTable->hasAutoScroll(); // selecting would scroll to the row
        m_usersTable->setAutoScroll(false);
        m_usersTable->selectionModel()->setCurrentIndex(
            m_users->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_usersTable->setAutoScroll(autoScroll);
    }
    m_usersTable->verticalScrollBar()->setValue(m_usersScroll);
}

void ActivityView::selectFirstUser()
{
    const int rows = m_users->rowCount();
    if (rows > 0 && !m_usersTable->currentIndex().isValid())
        m_usersTable->selectRow(0);
    if (rows == 0)
        m_userHeader->setText(m_search->text().trimmed().isEmpty() ? tr("The bot has met no users yet.")
                                                                   : tr("No users match the search."));
}

void ActivityView::updateCount()
{
    const int rows = m_users->rowCount();
    m_count->setText(m_users->canFetchMore({}) ? tr("%1 users shown, scroll for more").arg(rows)
                                               : tr("%n user(s)", nullptr, rows));
}

void ActivityView::onCurrentUserChanged()
{
    const QModelIndex current = m_usersTable->currentIndex();
    if (!current.isValid()) {
        m_selectedTelegramId = 0;
        m_userHeader->setText(tr("Select a user to see their timeline."));
        if (m_timeline->telegramId() != 0)
            m_timeline->setTelegramId(0);
        return;
    }
    const UserActivity& u = m_users->user(current.row());
    m_selectedTelegramId = u.telegramId;
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
