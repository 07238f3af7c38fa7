#include "MainWindow.h"

#include "ActivityView.h"
#include "ApplicationDetails.h"
#include "ApplicationsView.h"
#include "CatalogView.h"
#include "ConsoleSession.h"
#include "DashboardView.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

const QString GeometryKey = u"window/geometry"_s;
const QString StateKey = u"window/state"_s;
const QString ApplicationsLayoutKey = u"window/applicationsLayout"_s;
const QString TabKey = u"window/tab"_s;

} // namespace

MainWindow::MainWindow(ConsoleSession& session, QWidget* parent)
    : QMainWindow(parent)
    , m_session(session)
{
    setWindowTitle(tr("Salesbot — sales console"));
    setObjectName(u"MainWindow"_s);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_applications = new ApplicationsView(session);
    m_dashboard = new DashboardView(session);
    m_activity = new ActivityView(session);
    m_catalog = new CatalogView(session);
    m_tabs->addTab(m_applications, tr("Applications"));
    m_tabs->addTab(m_dashboard, tr("Dashboard"));
    m_tabs->addTab(m_activity, tr("Users and activity"));
    m_tabs->addTab(m_catalog, tr("Catalog"));
    setCentralWidget(m_tabs);

    m_connection = new QLabel(session.settings().redacted());
    m_schema = new QLabel;
    m_engine = new QLabel;
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0); // an indeterminate "working…" bar
    m_busy->setMaximumWidth(120);
    m_busy->setMaximumHeight(14);
    m_busy->setTextVisible(false);
    m_busy->setToolTip(tr("Waiting for the database"));
    m_busy->hide();
    statusBar()->addPermanentWidget(m_busy);
    statusBar()->addPermanentWidget(m_connection);
    statusBar()->addPermanentWidget(m_schema);
    statusBar()->addPermanentWidget(m_engine);
    connect(&session, &ConsoleSession::busyChanged, m_busy, &QWidget::setVisible);
    connect(&session, &ConsoleSession::statusChanged, this, &MainWindow::showStatus);
    connect(m_applications, &ApplicationsView::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_applications, &ApplicationsView::newApplicationAnnounced, this, [this](qint64) {
        QApplication::alert(this); // the task bar entry asks for attention; the status bar says which one
    });
    showStatus(session.status());
    buildMenus();
    resize(1280, 800);
    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* exportCsv = file->addAction(tr("Export applications to CSV…"));
    exportCsv->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportCsv, &QAction::triggered, m_applications, &ApplicationsView::chooseAndExportCsv);
    QAction* reconnect = file->addAction(tr("Connect to another database…"));
    connect(reconnect, &QAction::triggered, this, &MainWindow::reconnectRequested);
    file->addSeparator();
    QAction* quit = file->addAction(tr("Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* search = view->addAction(tr("Search applications"));
    search->setShortcuts({QKeySequence::Find, QKeySequence(Qt::Key_Slash)});
    connect(search, &QAction::triggered, this, [this] {
        showView(View::Applications);
        m_applications->focusSearch();
    });
    QAction* refresh = view->addAction(tr("Refresh"));
    refresh->setShortcuts({QKeySequence::Refresh, QKeySequence(Qt::CTRL | Qt::Key_R)});
    connect(refresh, &QAction::triggered, this, &MainWindow::refreshCurrent);
    view->addSeparator();
    const QStringList names{tr("Applications"), tr("Dashboard"), tr("Users and activity"), tr("Catalog")};
    for (int i = 0; i < names.size(); ++i) {
        QAction* go = view->addAction(names.at(i));
        go->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        connect(go, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("About"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(
            this, tr("About Salesbot console"),
            tr("<b>Salesbot console</b> %1<br>The operator console of the «AI-решения» sales bot.<br>"
               "Qt %2")
                .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });
}

void MainWindow::showView(View view)
{
    m_tabs->setCurrentIndex(int(view));
}

MainWindow::View MainWindow::currentView() const
{
    return View(m_tabs->currentIndex());
}

QWidget* MainWindow::viewWidget(View view) const
{
    return m_tabs->widget(int(view));
}

std::optional<MainWindow::View> MainWindow::viewFromName(const QString& name)
{
    if (name == "applications"_L1)
        return View::Applications;
    if (name == "dashboard"_L1)
        return View::Dashboard;
    if (name == "activity"_L1)
        return View::Activity;
    if (name == "catalog"_L1)
        return View::Catalog;
    return std::nullopt;
}

void MainWindow::refreshCurrent()
{
    switch (currentView()) {
    case View::Applications:
        m_applications->refresh();
        break;
    case View::Dashboard:
        m_dashboard->refresh();
        break;
    case View::Activity:
        m_activity->refresh();
        break;
    case View::Catalog:
        m_catalog->refresh();
        break;
    }
    m_session.refreshStatus();
}

void MainWindow::refreshAll()
{
    m_applications->refresh();
    m_dashboard->refresh();
    m_activity->refresh();
    m_catalog->refresh();
}

void MainWindow::showStatus(const ConsoleStatus& status)
{
    if (!status.connected) {
        m_connection->setText(status.error.isEmpty()
                                  ? tr("Connecting to %1…").arg(m_session.settings().redacted())
                                  : tr("No connection"));
        m_connection->setToolTip(status.error);
        m_schema->clear();
        m_engine->clear();
        return;
    }
    m_connection->setText(tr("Connected: %1").arg(m_session.settings().redacted()));
    m_connection->setToolTip({});
    if (status.schemaVersion == status.expectedSchemaVersion)
        m_schema->setText(tr("Schema %1").arg(status.schemaVersion));
    else
        m_schema->setText(tr("Schema %1 (this console expects %2)")
                              .arg(status.schemaVersion)
                              .arg(status.expectedSchemaVersion));
    if (status.engineOnline) {
        m_engine->setText(tr("● Bot online"));
        m_engine->setStyleSheet(u"color: #2e7d32;"_s);
        m_engine->setToolTip(tr("Engine on %1 (pid %2), heard from %3 s ago")
                                 .arg(status.engine->host)
                                 .arg(status.engine->pid)
                                 .arg(qRound(status.engine->ageSeconds)));
    } else {
        m_engine->setText(tr("● Bot offline"));
        m_engine->setStyleSheet(u"color: #c62828;"_s);
        m_engine->setToolTip(
            status.engine ? tr("Last heard from %1 min ago").arg(qRound(status.engine->ageSeconds / 60.0))
                          : tr("No engine has run on this database yet"));
    }
}

QString MainWindow::statusText() const
{
    return QStringList{m_connection->text(), m_schema->text(), m_engine->text()}.join(u" | "_s);
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(GeometryKey).toByteArray());
    restoreState(settings.value(StateKey).toByteArray());
    const QByteArray applications = settings.value(ApplicationsLayoutKey).toByteArray();
    if (!applications.isEmpty())
        m_applications->restoreLayout(applications);
    m_tabs->setCurrentIndex(qBound(0, settings.value(TabKey, 0).toInt(), m_tabs->count() - 1));
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(StateKey, saveState());
    settings.setValue(ApplicationsLayoutKey, m_applications->saveLayout());
    settings.setValue(TabKey, m_tabs->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_applications->details()->hasUnsavedNote()) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved note"),
            tr("The note of the open application is not saved. Close anyway and lose it?"),
            QMessageBox::Close | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Close) {
            event->ignore();
            return;
        }
    }
    saveLayout();
    event->accept();
}

} // namespace salesbot
