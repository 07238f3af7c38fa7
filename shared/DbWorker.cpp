#include "DbWorker.h"

#include <QCoreApplication>
#include <QMetaMethod>

namespace salesbot {

// Lives on the worker thread and owns the connection there, as Qt's SQL layer requires.
class DbWorker::Context final : public QObject
{
public:
    explicit Context(ConnectionSettings settings, QString name)
        : m_settings(std::move(settings))
        , m_name(std::move(name))
    {}

    DbConnection& connection()
    {
        if (!m_connection) {
            m_connection = std::make_unique<DbConnection>(m_settings, m_name);
            // A failure here is not fatal: the first statement reconnects and reports a typed error.
            (void)m_connection->open();
        }
        return *m_connection;
    }

    void release() { m_connection.reset(); }

private:
    ConnectionSettings m_settings;
    QString m_name;
    std::unique_ptr<DbConnection> m_connection;
};

DbWorker::DbWorker(const ConnectionSettings& settings, const QString& name, QObject* parent)
    : QObject(parent)
{
    m_thread.setObjectName(name);
    m_context = new Context(settings, name);
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

DbWorker::~DbWorker()
{
    stop(30'000);
}

void DbWorker::post(Task task)
{
    if (m_pending.fetchAndAddOrdered(1) == 0)
        announceBusy();
    QMetaObject::invokeMethod(
        m_context,
        [this, task = std::move(task)] {
            task(m_context->connection());
            if (m_pending.fetchAndSubOrdered(1) == 1)
                announceBusy();
        },
        Qt::QueuedConnection);
}

void DbWorker::announceBusy()
{
    // Only worth a queued call when somebody listens (the console's busy indicator). The state is read when
    // the call arrives, so announcements racing between the two threads cannot leave a stale one last.
    if (!isSignalConnected(QMetaMethod::fromSignal(&DbWorker::busyChanged)))
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            const bool busy = m_pending.loadAcquire() > 0;
            if (busy != m_announcedBusy) {
                m_announcedBusy = busy;
                Q_EMIT busyChanged(busy);
            }
        },
        Qt::QueuedConnection);
}

bool DbWorker::stop(int timeoutMs)
{
    if (!m_context)
        return true;
    // Queued after everything posted so far: the connection closes on its own thread, then the loop ends.
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            m_context->release();
            m_thread.quit();
        },
        Qt::QueuedConnection);
    if (!m_thread.wait(QDeadlineTimer(timeoutMs)))
        return false; // a task is stuck (a dead database, say): leave the context rather than race it
    delete m_context; // the thread has finished: nothing else touches it
    m_context = nullptr;
    return true;
}

} // namespace salesbot
