#pragma once

// The package catalog: what the bot shows and the console edits.

#include "Package.h"
#include "Repository.h"

#include <optional>

class QSqlQuery;

namespace salesbot {

class PackageRepository final : public Repository
{
public:
    using Repository::Repository;

    // In display order (sort_order, then code).
    Expected<QList<Package>, DbError> list(bool includeInactive = false);
    Expected<std::optional<Package>, DbError> find(const QString& code);
    // Inserts or updates by code.
    Expected<Package, DbError> save(const Package& package);
    // Inserts a new package; Kind::Conflict when the code is taken (two consoles adding at once must not
    // overwrite each other).
    Expected<Package, DbError> create(const Package& package);

private:
    std::optional<Package> insert(const Package& package, const QString& onConflict,
                                  const QString& operation);
};

} // namespace salesbot
