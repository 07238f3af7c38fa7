#pragma once

// The package catalog: what the bot shows and the console edits.

#include "Package.h"
#include "Repository.h"

#include <optional>

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
};

} // namespace salesbot
