#pragma once

// Handles one update (or a group of updates from different chats) in one transaction on a worker's own
// connection: records the update id (a redelivery is a no-op), upserts the user, runs the dialog over its
// stored state, writes the effects and queues the replies, which come back claimed for immediate sending.

#include "CatalogCache.h"
#include "DbConnection.h"
#include "Dialog.h"
#include "IncomingEvent.h"
#include "OutboxRepository.h"

#include <QList>

#include <functional>

namespace salesbot {

struct ProcessOutcome
{
    enum class Kind
    {
        Processed, // committed; `messages` are to be sent now
        Duplicate, // handled before: nothing done
        Failed,    // rolled back; `error` says why, `transient` whether trying again may help
    };
    Kind kind = Kind::Processed;
    qint64 updateId = 0;
    QList<OutboxMessage> messages;
    bool applicationCreated = false;
    qint64 applicationNumber = 0;
    QString error;
    bool transient = false;
};

class UpdateProcessor final
{
public:
    UpdateProcessor(DbConnection& db, const Dialog& dialog, const CatalogCache& catalog,
                    qint64 leaseMs = 30'000);
    Q_DISABLE_COPY_MOVE(UpdateProcessor)

    // Says when to stop retrying a transient failure (the engine is stopping); empty: after a few tries.
    using GiveUp = std::function<bool()>;

    // A transient failure (the database away, a serialization conflict) is retried here, on the caller's
    // thread, with backoff capped at a few seconds until it succeeds or `giveUp()`: the chat's later
    // updates, queued on the same worker, wait behind it and keep their order.
    ProcessOutcome process(const IncomingEvent& event, const GiveUp& giveUp = {});
    // Handles updates of different chats (and senders) in one transaction, which costs the database about
    // what one update alone does: the group's updates are committed together or not at all. When the group
    // fails, each update is handled alone as process() does, so a bad update or a retried failure holds up
    // its own chat only. Every outcome is handed to `report` (as pairs of the update's index and its
    // outcome) once, as soon as it is final: all together when the group commits, one by one otherwise.
    using Report = std::function<void(QList<std::pair<qsizetype, ProcessOutcome>>)>;
    void processTogether(const QList<IncomingEvent>& events, const GiveUp& giveUp, const Report& report);
    // Records an update that could not be parsed, so it is confirmed and never retried.
    ProcessOutcome skip(qint64 updateId, const GiveUp& giveUp = {});
    // After `failed` (a non-transient failure: a bug, a constraint): records the update as handled, so it
    // is skipped rather than blocking the chat, and queues the dialog's apology (and the callback answer)
    // claimed for sending. Returns `failed` with those messages, or with none when even that failed.
    ProcessOutcome apologize(const IncomingEvent& event, ProcessOutcome failed);

private:
    QList<ProcessOutcome> processOnce(const QList<IncomingEvent>& events);
    ProcessOutcome skipOnce(qint64 updateId);
    template <typename Once>
    ProcessOutcome retrying(qint64 updateId, const GiveUp& giveUp, Once once);

    DbConnection& m_db;
    const Dialog& m_dialog;
    const CatalogCache& m_catalog;
    qint64 m_leaseMs;
};

} // namespace salesbot
