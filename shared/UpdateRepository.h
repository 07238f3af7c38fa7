#pragma once

// The statements of one update's transaction, combined so an update costs few round trips: one to
// record the update, upsert the user and load their dialog state; one to save the state, the events and
// the queued replies. On PostgreSQL each is a single statement (data-modifying CTEs); SQLite, in process,
// runs the plain statements of the other repositories.

#include "DialogStateRepository.h"
#include "MetricsRepository.h"
#include "OutboxRepository.h"
#include "Repository.h"
#include "User.h"

#include <optional>

namespace salesbot {

struct UpdateStart
{
    bool fresh = false; // false: the update was handled before
    User user;
    std::optional<DialogState> state;
};

struct UpdateEffects
{
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

    Expected<UpdateStart, DbError> start(qint64 updateId, const TelegramProfile& from);
    // Messages are inserted claimed for `leaseMs` (the caller sends them at once). The update's last
    // statement: on PostgreSQL it commits the outermost transaction too (DbConnection::execThenCommit).
    Expected<void, DbError> finish(qint64 telegramId, UpdateEffects& effects, qint64 leaseMs);
};

} // namespace salesbot
