#pragma once

// The console's main window: the four views a sales manager works in (applications, dashboard, users and
// activity, catalog), a status bar with the connection, schema version, engine heartbeat and a busy
// indicator, keyboard shortcuts, and the window and column layout remembered between runs.

#include <QMainWindow>

#include <optional>

class QLabel;
class QProgressBar;
class QTabWidget;

namespace salesbot {

class ActivityView;
class ApplicationsView;
class CatalogView;
class ConsoleSession;
class DashboardView;
struct ConsoleStatus;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum class View
    {
        Applications,
        Dashboard,
        Activity,
        Catalog,
    };

    explicit MainWindow(ConsoleSession& session, QWidget* parent = nullptr);
    ~MainWindow() override;

    void showView(View view);
    View currentView() const;
    // Reloads the current view.
    void refreshCurrent();
    // Loads every view's data once (at start).
    void refreshAll();
    // Connects `slot` to the named view's loaded() signal; used by --screenshot to know when to grab.
    QWidget* viewWidget(View view) const;
    static std::optional<View> viewFromName(const QString& name);

    ApplicationsView* applications() const { return m_applications; }
    DashboardView* dashboard() const { return m_dashboard; }
    ActivityView* activity() const { return m_activity; }
    CatalogView* catalog() const { return m_catalog; }
    QString statusText() const;

Q_SIGNALS:
    // File → Connect to another database: the application closes this window and shows the connection
    // dialog again.
    void reconnectRequested();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void showStatus(const ConsoleStatus& status);
    void restoreLayout();
    void saveLayout() const;

    ConsoleSession& m_session;
    QTabWidget* m_tabs = nullptr;
    ApplicationsView* m_applications = nullptr;
    DashboardView* m_dashboard = nullptr;
    ActivityView* m_activity = nullptr;
    CatalogView* m_catalog = nullptr;
    QLabel* m_connection = nullptr;
    QLabel* m_schema = nullptr;
    QLabel* m_engine = nullptr;
    QProgressBar* m_busy = nullptr;
};

} // namespace salesbot
