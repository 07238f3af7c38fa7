#pragma once

// The Applications tab: a filter bar (text, status, package, dates), the server-side paged table, the
// details pane, the count, CSV export of the whole filtered list, and live updates that keep the operator's
// place. New applications are announced.

#include "ApplicationQuery.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;

namespace salesbot {

class ApplicationDetails;
class ApplicationsModel;
class ConsoleSession;

class ApplicationsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApplicationsView)

public:
    explicit ApplicationsView(ConsoleSession& session, QWidget* parent = nullptr);
    ~ApplicationsView() override;

    void refresh();
    void focusSearch();
    // What the filter bar says, as the repository takes it.
    ApplicationFilter currentFilter() const;
    // Writes every application of the current filter (not just the loaded rows) to `path`, on the database
    // thread; `exported(rows, error)` reports.
    void exportCsv(const QString& path);
    void chooseAndExportCsv();

    ApplicationsModel* model() const { return m_model; }
    ApplicationDetails* details() const { return m_details; }
    QTableView* table() const { return m_table; }
    QLineEdit* searchField() const { return m_search; }
    QComboBox* statusFilter() const { return m_status; }
    QComboBox* packageFilter() const { return m_package; }
    QDateEdit* fromFilter() const { return m_from; }
    QDateEdit* toFilter() const { return m_to; }

    // Column widths and order, and the splitter, as QSettings keeps them.
    QByteArray saveLayout() const;
    void restoreLayout(const QByteArray& state);

Q_SIGNALS:
    // The first page is shown.
    void loaded();
    void message(const QString& text);
    void newApplicationAnnounced(qint64 number);
    void exported(qint64 rows, const QString& error);

private:
    void buildUi();
    void applyFilter();
    void loadPackages();
    void updateCount();
    void showCurrent();
    void onApplicationChanged(qint64 id);
    void restoreSelection();

    ConsoleSession& m_session;
    ApplicationsModel* m_model = nullptr;
    ApplicationDetails* m_details = nullptr;
    QTableView* m_table = nullptr;
    QSplitter* m_splitter = nullptr;
    QLineEdit* m_search = nullptr;
    QComboBox* m_status = nullptr;
    QComboBox* m_package = nullptr;
    QDateEdit* m_from = nullptr;
    QDateEdit* m_to = nullptr;
    QLabel* m_count = nullptr;
    QTimer m_searchDebounce;
    QTimer m_liveDebounce;
    QHash<QString, QString> m_packageTitles;
    qint64 m_selectedId = 0;
    bool m_restoring = false;
};

} // namespace salesbot
