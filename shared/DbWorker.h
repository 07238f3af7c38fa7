#pragma once

// A thread that owns one database connection and runs tasks on it in the order they were posted.
// The engine's shards and the console's queries both use it: the GUI and the network stay on the main
// thread, tasks report back with queued calls.

#include "ConnectionSettings.h"
#include "DbConnection.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>
#include <type_traits>

namespace salesbot {

class DbWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DbWorker)

public:
    using Task = std::function<void(DbConnection&)>;

    DbWorker(const ConnectionSettings& settings, const QString& name, QObject* parent = nullptr);
    // Finishes the queued tasks, closes the connection and joins the thread.
    ~DbWorker() override;

    // Thread-safe; tasks run one after another on the worker's thread.
    void post(Task task);
    // Tasks posted and not yet finished.
    int pending() const { return m_pending.loadRelaxed(); }
    // Runs what is queued, then stops; waits up to `timeoutMs`. Returns false when it had to give up.
    bool stop(int timeoutMs);

    // Runs `work(connection)` on the worker and hands its result to `done` on `receiver`'s thread, unless
    // `receiver` is gone by then. `busyChanged` tells the caller's thread when the queue fills and empties.
    template <typename Work, typename Done>
    void call(QObject* receiver, Work work, Done done)
    {
        using Result = std::invoke_result_t<Work, DbConnection&>;
        QPointer<QObject> guard(receiver);
        post([guard, work = std::move(work), done = std::move(done)](DbConnection& db) mutable {
            auto result = std::make_shared<Result>(work(db));
            QMetaObject::invokeMethod(
                guard.data() ? guard.data()
                             : QCoreApplication::instance(), // a dead receiver: the call is dropped below
                [guard, done = std::move(done), result] {
                    if (guard)
                        done(std::move(*result));
                },
                Qt::QueuedConnection);
        });
    }

Q_SIGNALS:
    // Emitted on the worker object's thread: whether tasks are queued or running.
    void busyChanged(bool busy);

private:
    class Context;

    void announceBusy();

    QThread m_thread;
    Context* m_context = nullptr; // lives on m_thread
    QAtomicInt m_pending;
    bool m_announcedBusy = false; // read and written on this object's thread only
};

} // namespace salesbot
