#include "NotificationListener.h"

#include "DbWorker.h"

#include <QSqlDriver>

using namespace Qt::StringLiterals;

namespace salesbot {

NotificationListener::NotificationListener(const ConnectionSettings& settings, QStringList channels,
                                           const QString& name, QObject* parent)
    : QObject(parent)
    , m_channels(std::move(channels))
    , m_supported(settings.dialect == Dialect::PostgreSql)
{
    if (m_supported)
        m_worker = std::make_unique<DbWorker>(settings, name);
    connect(&m_check, &QTimer::timeout, this, &NotificationListener::check);
}

NotificationListener::~NotificationListener()
{
    stop();
}

void NotificationListener::start(int checkIntervalMs)
{
    if (!m_supported)
        return;
    m_check.setInterval(checkIntervalMs);
    m_check.start();
    check();
}

void NotificationListener::stop()
{
    m_check.stop();
    if (m_worker)
        m_worker->stop(2000);
}

void NotificationListener::check()
{
    // Runs on the worker: a cheap round trip finds a dead connection (the driver alone does not notice an
    // idle one), the next statement reconnects, and an empty subscription list means subscribe (again).
    m_worker->post([this](DbConnection& db) {
        QString failure;
        try {
            db.exec(u"SELECT 1"_s, {}, u"check the notification connection"_s).finish();
        } catch (const DbException& e) {
            failure = e.error().message();
        }
        QSqlDriver* driver = db.database().driver();
        if (!failure.isEmpty() || !driver || !db.isOpen()) {
            QMetaObject::invokeMethod(
                this, [this, failure] { Q_EMIT connectionLost(failure); }, Qt::QueuedConnection);
            return;
        }
        if (!driver->subscribedToNotifications().isEmpty())
            return;
        for (const QString& channel : std::as_const(m_channels))
            driver->subscribeToNotification(channel);
        // The driver object outlives close and reopen: connect to it once, or every reconnect doubles the
        // calls.
        if (driver != m_connectedDriver) {
            m_connectedDriver = driver;
            connect(driver, &QSqlDriver::notification, driver,
                    [this](const QString& channel, QSqlDriver::NotificationSource, const QVariant& payload) {
                        QMetaObject::invokeMethod(
                            this,
                            [this, channel, text = payload.toString()] { Q_EMIT notified(channel, text); },
                            Qt::QueuedConnection);
                    });
        }
        if (m_subscribedOnce)
            QMetaObject::invokeMethod(
                this, [this] { Q_EMIT resubscribed(); }, Qt::QueuedConnection);
        m_subscribedOnce = true;
    });
}

} // namespace salesbot
