#include "MainWindow.h"

#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>

namespace salesbot {

MainWindow::MainWindow(const QString& connectionDescription, QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Salesbot console"));
    auto* tabs = new QTabWidget(this);
    const QString pending = tr("This view is not built yet.");
    for (const QString& title :
         {tr("Applications"), tr("Dashboard"), tr("Users and activity"), tr("Catalog")}) {
        auto* placeholder = new QLabel(pending, tabs);
        placeholder->setAlignment(Qt::AlignCenter);
        tabs->addTab(placeholder, title);
    }
    setCentralWidget(tabs);
    m_connection =
        new QLabel(connectionDescription.isEmpty() ? tr("Not connected") : connectionDescription, this);
    statusBar()->addWidget(m_connection);
    resize(1100, 700);
}

} // namespace salesbot
