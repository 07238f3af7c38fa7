#pragma once

// One connected console: the database worker every view runs its SQL on, live change notices (LISTEN on
// PostgreSQL, polling on SQLite) and the status the status bar shows. Views never touch SQL on the GUI
// thread: they call(receiver, work, done) and get the result back on the GUI thread.

#include "ChangeRepository.h"
#include "ConnectionSettings.h"
#include "DbWorker.h"
#include "EngineInstanceRepository.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace salesbot {

class NotificationListener;

struct ConsoleStatus
{
    bool connected = false;
    QString error;                        // why not, when not connected
    int schemaVersion = 0;                // what the database has
    int expectedSchemaVersion = 0;        // what this build knows
    std::optional<EngineInstance> engine; // the most recently seen engine
    bool engineOnline = false;            // heard from within the last minute
};

class ConsoleSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleSession)

public:
    explicit ConsoleSession(ConnectionSettings settings, QObject* parent = nullptr);
    ~ConsoleSession() override;

    const ConnectionSettings& settings() const { return m_settings; }
    // Who the history says made an edit: "console:<login>".
    QString actor() const { return m_actor; }
    void setActor(const QString& actor) { m_actor = actor; }

    // Runs `work(DbConnection&)` on the database thread and `done(result)` on `receiver`'s thread, unless the
    // receiver is gone by then.
    template <typename Work, typename Done>
    void call(QObject* receiver, Work work, Done done)
    {
        m_worker->call(receiver, std::move(work), std::move(done));
    }
    // The same on a second connection, for slow work nobody should wait behind: counts over a whole table,
    // dashboard aggregates, exports. A page of rows never queues behind those.
    template <typename Work, typename Done>
    void callBackground(QObject* receiver, Work work, Done done)
    {
        m_background->call(receiver, std::move(work), std::move(done));
    }
    // The same on whichever of the two connections has less queued: independent pieces of one report run side
    // by side when both are idle, and none of them waits behind a long count when one connection is free.
    template <typename Work, typename Done>
    void callLeastBusy(QObject* receiver, Work work, Done done)
    {
        DbWorker& worker = m_background->pending() < m_worker->pending() ? *m_background : *m_worker;
        worker.call(receiver, std::move(work), std::move(done));
    }
    DbWorker& worker() { return *m_worker; }
    bool isBusy() const { return m_busy || m_backgroundBusy; }

    // Starts live updates and the periodic status check. Tests may leave it off and refresh by hand.
    void start(int pollIntervalMs = 3000, int statusIntervalMs = 15000);
    void refreshStatus();
    const ConsoleStatus& status() const { return m_status; }

    // Days on the dashboards are the operator's local days.
    static int localUtcOffsetSeconds();

Q_SIGNALS:
    void busyChanged(bool busy);
    // An application was created or changed (id and number 0 when only polling noticed "something").
    void applicationChanged(qint64 id, qint64 number, int version);
    void applicationCreated(qint64 id, qint64 number);
    void catalogChanged();
    void statusChanged(const salesbot::ConsoleStatus& status);

private:
    void onNotification(const QString& channel, const QString& payload);
    void poll();

    ConnectionSettings m_settings;
    QString m_actor;
    std::unique_ptr<DbWorker> m_worker;
    std::unique_ptr<DbWorker> m_background;
    std::unique_ptr<NotificationListener> m_listener;
    QTimer m_poll;
    QTimer m_statusTimer;
    bool m_busy = false;
    bool m_backgroundBusy = false;
    ConsoleStatus m_status;
    // SQLite polling: what the last look saw.
    std::optional<ChangeMarks> m_lastMarks;
    bool m_pollInFlight = false;
};

} // namespace salesbot
