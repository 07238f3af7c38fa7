#pragma once

// Turns SIGTERM and SIGINT into a Qt signal on the main thread (Heroku and systemd stop with SIGTERM).

#include <QObject>

class QSocketNotifier;

namespace salesbot {

class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminate(int signalNumber);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace salesbot
