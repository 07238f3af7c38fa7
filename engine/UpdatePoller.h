#pragma once

// Long polling for updates: getUpdates with a server-side timeout, the offset confirmed only once the
// engine says the previous batch is committed, and patience with servers that misbehave (429, 5xx,
// 409, or answering at once with nothing).

#include "BotApiClient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QObject>
#include <QTimer>

namespace salesbot {

class UpdatePoller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpdatePoller)

public:
    explicit UpdatePoller(BotApiClient& api, QObject* parent = nullptr);

    void setTimeoutSeconds(int seconds) { m_timeoutSeconds = seconds; }
    void start();
    void stop();
    bool isRunning() const { return m_running; }
    // The engine has committed (or skipped) every update of the last batch: confirm and fetch more.
    void batchDone();
    qint64 offset() const { return m_offset; }
    int emptyResponsesInARow() const { return m_empty; }

Q_SIGNALS:
    // A batch to process; the engine calls batchDone() when all of it is committed.
    void updates(const QJsonArray& batch, qint64 nextOffset);
    void unauthorized(const QString& description);

private:
    void poll();
    void retryIn(qint64 ms);
    void onResult(const BotApiResult& result);

    BotApiClient& m_api;
    int m_timeoutSeconds = 25;
    qint64 m_offset = 0;
    qint64 m_pendingOffset = 0;
    bool m_running = false;
    bool m_inFlight = false;
    bool m_waitingForBatch = false;
    int m_failures = 0;
    int m_empty = 0;
    QElapsedTimer m_requestClock;
    QTimer m_retry;
};

} // namespace salesbot
