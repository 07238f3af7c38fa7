#pragma once

// Telegram update ids already handled: recorded in the update's own transaction, so a redelivery is a no-op.

#include "Repository.h"

#include <QDateTime>

namespace salesbot {

class ProcessedUpdateRepository final : public Repository
{
public:
    using Repository::Repository;

    // True when the id is new (and is now recorded); false when it was handled before.
    Expected<bool, DbError> tryInsert(qint64 updateId);
    // Forgets ids handled before `before` (Telegram keeps undelivered updates for 24 hours).
    Expected<qint64, DbError> prune(const QDateTime& before);
};

} // namespace salesbot
