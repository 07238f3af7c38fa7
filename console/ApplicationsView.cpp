#include "ApplicationsView.h"

#include "ApplicationDetails.h"
#include "ApplicationRepository.h"
#include "ApplicationsModel.h"
#include "ConsoleSession.h"
#include "CsvWriter.h"
#include "PackageRepository.h"

#include <QComboBox>
#include <QDateEdit>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

const QDate NoDate(2000, 1, 1); // the date edits' "not set" value, shown as "—"
constexpr int ExportPage = 1000;

QDateEdit* makeDateEdit(const QString& tip)
{
    auto* edit = new QDateEdit;
    edit->setCalendarPopup(true);
    edit->setMinimumDate(NoDate);
    edit->setSpecialValueText(QStringLiteral("—"));
    edit->setDate(NoDate);
    edit->setDisplayFormat(u"dd.MM.yyyy"_s);
    edit->setToolTip(tip);
    return edit;
}

QDateTime localMidnightUtc(const QDate& day)
{
    return QDateTime(day, QTime(0, 0)).toUTC();
}

} // namespace

ApplicationsView::ApplicationsView(ConsoleSession& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
{
    m_model = new ApplicationsModel(session, this);
    buildUi();

    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(300);
    connect(&m_searchDebounce, &QTimer::timeout, this, &ApplicationsView::applyFilter);
    m_liveDebounce.setSingleShot(true);
    m_liveDebounce.setInterval(250);
    connect(&m_liveDebounce, &QTimer::timeout, m_model, &ApplicationsModel::refreshShown);

    connect(m_model, &ApplicationsModel::loaded, this, [this] {
        restoreSelection();
        updateCount();
        Q_EMIT loaded();
    });
    connect(m_model, &ApplicationsModel::totalCountChanged, this, &ApplicationsView::updateCount);
    connect(m_model, &ApplicationsModel::loadFailed, this, [this](const QString& error) {
        m_count->setText(tr("Could not load the applications: %1").arg(error));
        Q_EMIT message(tr("Could not load the applications: %1").arg(error));
    });
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_restoring = true; });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_restoring = false;
        restoreSelection();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) {
                const QModelIndex current = m_table->currentIndex();
                if (current.isValid() && current.row() >= from.row() && current.row() <= to.row()) {
                    if (const Application* a = m_model->applicationAt(current.row()))
                        m_details->applicationUpdated(*a);
                }
            });
    connect(m_details, &ApplicationDetails::applicationChanged, m_model,
            &ApplicationsModel::updateApplication);
    connect(m_details, &ApplicationDetails::message, this, &ApplicationsView::message);

    connect(&session, &ConsoleSession::applicationChanged, this,
            [this](qint64 id) { onApplicationChanged(id); });
    connect(&session, &ConsoleSession::applicationCreated, this, [this](qint64, qint64 number) {
        if (number > 0) {
            Q_EMIT newApplicationAnnounced(number);
            Q_EMIT message(tr("New application №%1").arg(number));
        }
        m_liveDebounce.start();
    });
    connect(&session, &ConsoleSession::catalogChanged, this, &ApplicationsView::loadPackages);
}

ApplicationsView::~ApplicationsView() = default;

void ApplicationsView::buildUi()
{
    auto* layout = new QVBoxLayout(this);
    auto* filters = new QHBoxLayout;
    m_search = new QLineEdit;
    m_search->setPlaceholderText(tr("Search: number, name, phone, @username (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaxLength(200);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDebounce.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &ApplicationsView::applyFilter);
    filters->addWidget(m_search, 3);

    m_status = new QComboBox;
    m_status->addItem(tr("All statuses"), QString());
    m_status->addItem(tr("Open (new and in progress)"), u"open"_s);
    for (ApplicationStatus status : ApplicationStatuses::all())
        m_status->addItem(ApplicationStatuses::displayName(status), ApplicationStatuses::code(status));
    m_status->setToolTip(tr("Status"));
    connect(m_status, &QComboBox::currentIndexChanged, this, &ApplicationsView::applyFilter);
    filters->addWidget(m_status, 1);

    m_package = new QComboBox;
    m_package->addItem(tr("All packages"), QVariant());
    m_package->setToolTip(tr("Package"));
    connect(m_package, &QComboBox::currentIndexChanged, this, &ApplicationsView::applyFilter);
    filters->addWidget(m_package, 1);

    filters->addWidget(new QLabel(tr("From")));
    m_from = makeDateEdit(tr("Filed on or after this day"));
    filters->addWidget(m_from);
    filters->addWidget(new QLabel(tr("to")));
    m_to = makeDateEdit(tr("Filed on or before this day"));
    filters->addWidget(m_to);
    connect(m_from, &QDateEdit::dateChanged, this, &ApplicationsView::applyFilter);
    connect(m_to, &QDateEdit::dateChanged, this, &ApplicationsView::applyFilter);

    auto* reset = new QPushButton(tr("Reset"));
    reset->setToolTip(tr("Clear all filters"));
    connect(reset, &QPushButton::clicked, this, [this] {
        const QSignalBlocker a(m_search), b(m_status), c(m_package), d(m_from), e(m_to);
        m_search->clear();
        m_status->setCurrentIndex(0);
        m_package->setCurrentIndex(0);
        m_from->setDate(NoDate);
        m_to->setDate(NoDate);
        applyFilter();
    });
    filters->addWidget(reset);
    auto* exportButton = new QPushButton(tr("Export CSV…"));
    exportButton->setToolTip(tr("Save every application of the current filter for Excel"));
    connect(exportButton, &QPushButton::clicked, this, &ApplicationsView::chooseAndExportCsv);
    filters->addWidget(exportButton);
    layout->addLayout(filters);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ApplicationsModel::Created, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const QFontMetrics metrics = m_table->fontMetrics();
    m_table->setColumnWidth(ApplicationsModel::Number, metrics.horizontalAdvance(u"0000000"_s) + 16);
    m_table->setColumnWidth(ApplicationsModel::Created,
                            metrics.horizontalAdvance(u"00.00.0000 00:00"_s) + 20);
    m_table->setColumnWidth(ApplicationsModel::Name, metrics.horizontalAdvance(u"Александра Иванова"_s));
    m_table->setColumnWidth(ApplicationsModel::Phone, metrics.horizontalAdvance(u"+79991234567"_s) + 20);
    m_table->setColumnWidth(ApplicationsModel::Username, metrics.horizontalAdvance(u"@username_long"_s));
    m_table->setColumnWidth(ApplicationsModel::Package, metrics.horizontalAdvance(u"Продвинутый"_s) + 20);
    int statusWidth = 0;
    for (ApplicationStatus status : ApplicationStatuses::all())
        statusWidth = qMax(statusWidth, metrics.horizontalAdvance(ApplicationStatuses::displayName(status)));
    m_table->setColumnWidth(ApplicationsModel::Status, statusWidth + 44); // room for the colour mark
    m_table->setColumnHidden(ApplicationsModel::Updated, true);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ApplicationsView::showCurrent);
    m_splitter->addWidget(m_table);
    m_details = new ApplicationDetails(m_session);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    layout->addWidget(m_splitter, 1);

    m_count = new QLabel;
    layout->addWidget(m_count);
}

void ApplicationsView::refresh()
{
    loadPackages();
    m_model->reload();
}

void ApplicationsView::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

ApplicationFilter ApplicationsView::currentFilter() const
{
    ApplicationFilter filter;
    filter.text = m_search->text().trimmed();
    const QString status = m_status->currentData().toString();
    if (status == "open"_L1) {
        filter.statuses = {ApplicationStatus::New, ApplicationStatus::InProgress};
    } else if (auto code = ApplicationStatuses::fromCode(status)) {
        filter.statuses = {*code};
    }
    const QVariant package = m_package->currentData();
    if (package.isValid())
        filter.packageCodes = {package.toString()}; // "" stands for "no package"
    // Days are the operator's local days.
    if (m_from->date() > NoDate)
        filter.createdFrom = localMidnightUtc(m_from->date());
    if (m_to->date() > NoDate)
        filter.createdTo = localMidnightUtc(m_to->date().addDays(1));
    return filter;
}

void ApplicationsView::applyFilter()
{
    m_searchDebounce.stop();
    m_model->setFilter(currentFilter());
}

void ApplicationsView::loadPackages()
{
    m_session.call(
        this, [](DbConnection& db) { return PackageRepository(db).list(true); },
        [this](Expected<QList<Package>, DbError> packages) {
            if (!packages)
                return; // the table still works with codes; the status bar reports the connection
            m_packageTitles.clear();
            const QVariant selected = m_package->currentData();
            const QSignalBlocker block(m_package);
            m_package->clear();
            m_package->addItem(tr("All packages"), QVariant());
            for (const Package& p : std::as_const(packages.value())) {
                m_packageTitles.insert(p.code, p.title);
                m_package->addItem(p.title, p.code);
            }
            m_package->addItem(tr("No package"), QString(u""_s));
            const int index = m_package->findData(selected);
            m_package->setCurrentIndex(index >= 0 ? index : 0);
            m_model->setPackageTitles(m_packageTitles);
            m_details->setPackageTitles(m_packageTitles);
        });
}

void ApplicationsView::updateCount()
{
    const QLocale locale;
    m_count->setText(tr("Shown %1 of %2")
                         .arg(locale.toString(m_model->rowCount()), locale.toString(m_model->totalCount())));
}

void ApplicationsView::showCurrent()
{
    if (m_restoring)
        return;
    const QModelIndex current = m_table->currentIndex();
    const Application* a = current.isValid() ? m_model->applicationAt(current.row()) : nullptr;
    m_selectedId = a ? a->id : 0;
    m_details->showApplication(a ? std::optional<Application>(*a) : std::nullopt);
}

void ApplicationsView::restoreSelection()
{
    updateCount();
    if (m_selectedId == 0)
        return;
    const int row = m_model->rowOf(m_selectedId);
    if (row < 0) {
        // The application left the filtered list: keep showing it (the operator may be typing a note).
        return;
    }
    m_restoring = true; // the row moved, the application did not: keep the pane (and its draft) as is
    m_table->selectionModel()->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::ClearAndSelect |
                                                                           QItemSelectionModel::Rows);
    m_restoring = false;
    if (const Application* a = m_model->applicationAt(row))
        m_details->applicationUpdated(*a);
}

void ApplicationsView::onApplicationChanged(qint64 id)
{
    // One edit: refresh that row in place. Unknown or many (a poll): reload what is shown, keeping our place.
    if (id > 0 && m_model->rowOf(id) >= 0)
        m_model->refreshApplication(id);
    else
        m_liveDebounce.start();
}

void ApplicationsView::chooseAndExportCsv()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString name = u"%1/applications-%2.csv"_s.arg(dir, QDate::currentDate().toString(Qt::ISODate));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export applications"), name, tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

void ApplicationsView::exportCsv(const QString& path)
{
    const ApplicationFilter filter = currentFilter();
    const ApplicationSort sort = m_model->sortOrder();
    const QChar separator = CsvWriter::separatorFor(QLocale());
    const QStringList header{tr("Number"),  tr("Created"), tr("Name"),     tr("Phone"), tr("Telegram"),
                             tr("Package"), tr("Status"),  tr("Assignee"), tr("Note"),  tr("Updated")};
    const QHash<QString, QString> titles = m_packageTitles;
    // Status names in the operator's language, resolved here on the GUI thread's translators.
    QHash<int, QString> statusNames;
    for (ApplicationStatus status : ApplicationStatuses::all())
        statusNames.insert(int(status), ApplicationStatuses::displayName(status));
    Q_EMIT message(tr("Exporting…"));
    m_session.callBackground(
        this,
        [filter, sort, separator, header, titles, statusNames, path](DbConnection& db) {
            CsvWriter csv(separator);
            csv.addRow(header);
            const auto when = [](const QDateTime& utc) {
                return utc.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s);
            };
            auto rows = ApplicationRepository(db).forEach(
                filter, sort,
                [&](const Application& a) {
                    csv.addRow({QString::number(a.number), when(a.createdAt), a.name, a.phone,
                                a.username.isEmpty() ? QString() : u"@"_s + a.username,
                                titles.value(a.packageCode, a.packageCode), statusNames.value(int(a.status)),
                                a.assignee, a.managerNote, when(a.updatedAt)});
                    return true;
                },
                ExportPage);
            if (!rows)
                return std::pair<qint64, QString>(0, rows.error().message());
            QString error;
            if (!csv.save(path, &error))
                return std::pair<qint64, QString>(0, error);
            return std::pair<qint64, QString>(*rows, QString());
        },
        [this, path](std::pair<qint64, QString> result) {
            if (result.second.isEmpty())
                Q_EMIT message(tr("Exported %1 applications to %2").arg(result.first).arg(path));
            else
                Q_EMIT message(tr("Export failed: %1").arg(result.second));
            Q_EMIT exported(result.first, result.second);
        });
}

QByteArray ApplicationsView::saveLayout() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << m_table->horizontalHeader()->saveState() << m_splitter->saveState();
    return state;
}

void ApplicationsView::restoreLayout(const QByteArray& state)
{
    QDataStream in(state);
    QByteArray header;
    QByteArray splitter;
    in >> header >> splitter;
    if (in.status() != QDataStream::Ok)
        return;
    m_table->horizontalHeader()->restoreState(header);
    m_splitter->restoreState(splitter);
    // The model's order is the header's sort indicator.
    m_model->sort(m_table->horizontalHeader()->sortIndicatorSection(),
                  m_table->horizontalHeader()->sortIndicatorOrder());
}

} // namespace salesbot
