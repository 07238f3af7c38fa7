#pragma once

// For clients that cannot LISTEN (SQLite): a cheap look at the newest application change, the newest
// application and the catalog's last edit, to compare with the previous look.

#include "Repository.h"

namespace salesbot {

struct ChangeMarks
{
    QString applicationsUpdated; // max(updated_at) as the database writes it; only compared for equality
    qint64 newestApplicationId = 0;
    qint64 newestApplicationNumber = 0;
    QString catalogUpdated;
};

class ChangeRepository final : public Repository
{
public:
    using Repository::Repository;

    // One statement, answered from indexes (applications' updated_at and primary key).
    Expected<ChangeMarks, DbError> marks();
};

} // namespace salesbot
