#pragma once

// The console's main window. For now a frame with the four sections the operators will get.

#include <QMainWindow>

class QLabel;

namespace salesbot {

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(const QString& connectionDescription, QWidget* parent = nullptr);

private:
    QLabel* m_connection = nullptr;
};

} // namespace salesbot
