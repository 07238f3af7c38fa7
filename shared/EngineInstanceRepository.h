#pragma once

// Heartbeats of running engines, so consoles and `check` can tell whether the bot is alive.

#include "Repository.h"

#include <QDateTime>

#include <optional>

namespace salesbot {

struct EngineInstance
{
    QString id;
    QString host;
    qint64 pid = 0;
    QString mode; // polling, webhook, standby, shell
    QString version;
    QDateTime startedAt;
    QDateTime seenAt;
    double ageSeconds = 0; // since the last heartbeat, by the database's clock
};

class EngineInstanceRepository final : public Repository
{
public:
    using Repository::Repository;

    Expected<void, DbError> heartbeat(const EngineInstance& instance);
    Expected<void, DbError> remove(const QString& id);
    // PostgreSQL: true when this connection's session holds the advisory lock of the active engine, taking
    // it if it is free; false when another session holds it. The lock lives as long as the session: a
    // crashed engine's lock goes with its connection. Call it on a connection kept for nothing else.
    Expected<bool, DbError> holdActiveLock();
    // The most recently seen engine, if any.
    Expected<std::optional<EngineInstance>, DbError> latest();
};

} // namespace salesbot
