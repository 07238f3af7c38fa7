#pragma once

// PostgreSQL LISTEN on a connection of its own (notifications arrive only while that thread's event loop
// runs). Subscriptions die with a connection, so it checks the connection now and then, reconnects,
// subscribes again and says so: whoever listens may have missed notifications and should reload.
// The engine listens for the outbox and the catalog, the console for applications and the catalog.

#include "ConnectionSettings.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace salesbot {

class DbWorker;

class NotificationListener final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotificationListener)

public:
    // Does nothing (and never signals) on SQLite, which has no notifications: callers poll there.
    NotificationListener(const ConnectionSettings& settings, QStringList channels, const QString& name,
                         QObject* parent = nullptr);
    ~NotificationListener() override;

    // Subscribes and starts checking the connection every `checkIntervalMs`.
    void start(int checkIntervalMs = 5000);
    void stop();
    bool isSupported() const { return m_supported; }

Q_SIGNALS:
    // On this object's thread.
    void notified(const QString& channel, const QString& payload);
    // Subscribed again after the connection was lost (not on the first subscription).
    void resubscribed();
    // The connection is down and could not be reopened yet; it keeps trying.
    void connectionLost(const QString& message);

private:
    void check();

    QStringList m_channels;
    bool m_supported = false;
    std::unique_ptr<DbWorker> m_worker;
    QTimer m_check;
    bool m_subscribedOnce = false;        // worker thread only
    QObject* m_connectedDriver = nullptr; // worker thread only
};

} // namespace salesbot
