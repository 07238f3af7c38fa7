#pragma once

// The statements of a transaction that handles updates, combined so that it costs few round trips however
// many updates it holds: one to record the updates, upsert their users and load their dialog states (and, on
// PostgreSQL, their open and latest applications, which most turns of the dialog look at); one
// to save the states, the events and the queued replies. On PostgreSQL each is a single prepared statement
// (data-modifying CTEs over a JSON array of rows, so its text is the same for one update or thirty);
// SQLite, in process, runs the plain statements of the other repositories row by row.

#include "ApplicationRepository.h"
#include "DialogStateRepository.h"
#include "MetricsRepository.h"
#include "OutboxRepository.h"
#include "Repository.h"
#include "User.h"

#include <optional>

namespace salesbot {

struct UpdateStart
{
    qint64 updateId = 0;
    bool fresh = false; // false: the update was handled before (nothing else is filled in)
    User user;
    std::optional<DialogState> state;
    // Loaded with the update on PostgreSQL; on SQLite (in process, no round trips to save) left to the
    // caller to ask for when needed.
    std::optional<ApplicationRepository::OpenAndLatest> applications;
};

struct UpdateEffects
{
    qint64 telegramId = 0;
    bool saveState = false;
    QString state;
    QJsonObject data;
    QList<MetricsRepository::Event> events;
    QList<OutboxMessage> messages; // ids are filled in
};

class UpdateRepository final : public Repository
{
public:
    using Repository::Repository;

    struct Incoming
    {
        qint64 updateId = 0;
        TelegramProfile from;
    };

    // One result per update, in the same order. The update ids must differ, and so must the senders: a
    // user's second update needs the state the first one leaves.
    Expected<QList<UpdateStart>, DbError> start(const QList<Incoming>& updates);
    // Messages are inserted claimed for `leaseMs` (the caller sends them at once). The transaction's last
    // statement: on PostgreSQL it commits the outermost transaction too (DbConnection::execThenCommit).
    Expected<void, DbError> finish(QList<UpdateEffects>& effects, qint64 leaseMs);
    // Runs both statements once over no rows, in a transaction that changes nothing: the connection is
    // opened, the statements prepared and planned, and the server has read the tables' catalog entries
    // before the first update needs them (about 80-110 ms the first users after a start waited for).
    Expected<void, DbError> warmUp(qint64 leaseMs);
};

} // namespace salesbot
