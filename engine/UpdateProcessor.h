#pragma once

// Handles one update in one transaction on a worker's own connection: records the update id (a
// redelivery is a no-op), upserts the user, runs the dialog over its stored state, writes the
// effects and queues the replies, which come back claimed for immediate sending.

#include "CatalogCache.h"
#include "DbConnection.h"
#include "Dialog.h"
#include "IncomingEvent.h"
#include "OutboxRepository.h"

#include <QList>

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

    ProcessOutcome process(const IncomingEvent& event);
    // Records an update that could not be parsed, so it is confirmed and never retried.
    ProcessOutcome skip(qint64 updateId);

private:
    ProcessOutcome processOnce(const IncomingEvent& event);

    DbConnection& m_db;
    const Dialog& m_dialog;
    const CatalogCache& m_catalog;
    qint64 m_leaseMs;
};

} // namespace salesbot
