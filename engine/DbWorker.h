#pragma once

// A thread that owns one database connection and runs tasks on it in the order they were posted.
// The network stays on the main thread; tasks report back with queued calls.

#include "ConnectionSettings.h"
#include "DbConnection.h"

#include <QAtomicInt>
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

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

private:
    class Context;

    QThread m_thread;
    Context* m_context = nullptr; // lives on m_thread
    QAtomicInt m_pending;
};

} // namespace salesbot
