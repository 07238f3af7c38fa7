#pragma once

// Messages and calls waiting to be sent to Telegram: enqueued in the transaction that caused them,
// claimed by the sender with a lease, then marked sent, retried with backoff, or given up on.

#include "Repository.h"
#include "RetryPolicy.h"

#include <QDateTime>
#include <QJsonObject>

#include <optional>

namespace salesbot {

struct OutboxMessage
{
    qint64 id = 0;
    qint64 chatId = 0;
    QString method; // sendMessage, editMessageText, answerCallbackQuery, ...
    QJsonObject payload;
    // The payload as compact JSON once it has been written for the database, so the sender posts the same
    // bytes instead of serializing it again. Empty: not known (read from the table, or changed since).
    QByteArray payloadJson;
    // payloadJson, written from payload first when it is empty.
    const QByteArray& payloadText();
    bool proactive = false; // started by the bot (notifications, status): passes the rate limiter
    // False: sent from memory and never written to the table (id stays 0). Only for what carries nothing a
    // crash could lose: an answer to a button press with no text (see UpdateProcessor).
    bool stored = true;
    QString status; // pending, sending, sent, failed
    int attempts = 0;
    QDateTime nextAttemptAt;
    QString error;
    QString dedupeKey;
    QDateTime createdAt;
};

// Where a run of OutboxRepository::pruneSent() is.
struct OutboxPruning
{
    QDateTime before;  // sent messages queued before this go
    qint64 bound = -1; // ids from here on are not looked at (-1: not found yet)
    qint64 after = 0;  // the last id looked at
};

struct OutboxCounts
{
    qint64 pending = 0;
    qint64 sending = 0;
    qint64 sent = 0;
    qint64 failed = 0;
};

class OutboxRepository final : public Repository
{
public:
    using Repository::Repository;

    // Returns the new id, or 0 when a message with the same dedupe key exists already.
    Expected<qint64, DbError> enqueue(qint64 chatId, const QString& method, const QJsonObject& payload,
                                      bool proactive = false, const QString& dedupeKey = {},
                                      const QDateTime& notBefore = {});
    // Inserts messages already claimed by the caller, who sends them at once: they are leased for `leaseMs`
    // and only become due for another sender if this one dies. Fills in each message's id, in order.
    Expected<void, DbError> enqueueClaimed(QList<OutboxMessage>& messages, qint64 leaseMs);
    // Up to `limit` due messages (and ones whose lease expired, e.g. after a crash), in id order.
    // `attempts` counts sends: claiming a pending message counts the send that follows; taking over an
    // expired lease does not, as that send was counted when the message was first claimed (and a sender
    // that still holds the message, waiting for a rate limit, must not see it climb on every poll).
    Expected<QList<OutboxMessage>, DbError> claimDue(int limit, int leaseSeconds = 60);
    Expected<void, DbError> markSent(qint64 id);
    Expected<void, DbError> markSent(const QList<qint64>& ids);
    // Schedules a retry after the policy's backoff, or gives up (status failed) when attempts are exhausted.
    // Returns true when it gave up.
    Expected<bool, DbError> markFailed(const OutboxMessage& message, const QString& error,
                                       const RetryPolicy& policy);
    // A sender that keeps a failed message to retry it itself (to keep its chat's order) stores the sends
    // made so far and the error, and holds the lease `leaseMs` longer, over the backoff and the next send.
    Expected<void, DbError> markRetrying(qint64 id, int attempts, const QString& error, qint64 leaseMs);
    // Gives up at once (e.g. the user blocked the bot).
    Expected<void, DbError> markDead(qint64 id, const QString& error);
    // Puts a claimed message back to wait `delayMs` without counting the attempt (rate limits).
    Expected<void, DbError> postpone(qint64 id, qint64 delayMs, const QString& reason);
    // Returns every leased message to the queue: at start-up of the only sender, whatever a crashed
    // predecessor had claimed becomes due again at once (outgoing messages are at least once).
    Expected<qint64, DbError> releaseLeases();
    // When the next message becomes due; nullopt when nothing waits.
    Expected<std::optional<QDateTime>, DbError> nextDueAt();
    Expected<std::optional<OutboxMessage>, DbError> find(qint64 id);
    Expected<OutboxCounts, DbError> counts();
    // Deletes the next batch of up to `limit` sent messages queued before `run.before`, in id order; returns
    // how many (0: the run is over). Pending, sending and failed messages are kept whatever their age. Every
    // reply is a row, so without this the table grows with every update the bot ever handled (about 700
    // bytes each). Ids grow with time: the run's first call finds the first id queued at or after the cutoff
    // (one walk over the old rows), and each batch goes on from where the last one stopped, so a run reads
    // each old row about once however many batches it takes.
    Expected<qint64, DbError> pruneSent(OutboxPruning& run, int limit);
};

} // namespace salesbot
