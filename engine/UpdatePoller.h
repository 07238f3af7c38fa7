#pragma once

// Long polling for updates: getUpdates with a server-side timeout and patience with servers that
// misbehave (429, 5xx, 409, or answering at once with nothing). The offset comes from the engine: it
// only ever moves past updates that are committed, while the next poll already runs (Telegram then
// sends the uncommitted ones again, and the engine recognises them).

#include "BotApiClient.h"
#include "UpdateParser.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QObject>
#include <QTimer>

#include <functional>

namespace salesbot {

class UpdatePoller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpdatePoller)

public:
    explicit UpdatePoller(BotApiClient& api, QObject* parent = nullptr);

    void setTimeoutSeconds(int seconds) { m_timeoutSeconds = seconds; }
    // The offset to confirm with the next poll: one past the last update committed in sequence.
    void setOffsetSource(std::function<qint64()> source) { m_offsetSource = std::move(source); }
    // Takes a batch (ids found, texts not parsed yet); returns how many updates in it were new (not already
    // in flight or done).
    void setConsumer(std::function<int(const QList<RawUpdate>&)> consumer)
    {
        m_consumer = std::move(consumer);
    }
    void start();
    void stop();
    bool isRunning() const { return m_running; }
    // Something in flight finished: a poll held back (too much in flight, or nothing new) may go now.
    void resume();
    void setHeld(bool held) { m_held = held; }
    // How long to wait, while updates are in flight and none has been committed, before polling anyway.
    void setWaitMs(int ms) { m_waitMs = ms; }
    qint64 offset() const { return m_offset; }
    int emptyResponsesInARow() const { return m_empty; }

Q_SIGNALS:
    void unauthorized(const QString& description);

private:
    void poll();
    void retryIn(qint64 ms);
    void onResult(const BotApiResult& result);

    BotApiClient& m_api;
    int m_timeoutSeconds = 25;
    std::function<qint64()> m_offsetSource;
    std::function<int(const QList<RawUpdate>&)> m_consumer;
    qint64 m_offset = 0; // the last offset sent
    bool m_running = false;
    bool m_inFlight = false;
    bool m_held = false; // the engine has enough in flight
    int m_waitMs = 500;
    bool m_waiting = false; // the last poll brought nothing new: wait for resume()
    int m_failures = 0;
    int m_empty = 0;
    QElapsedTimer m_requestClock;
    QTimer m_retry;
};

} // namespace salesbot
