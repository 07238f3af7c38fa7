#pragma once

// The active catalog, shared by the workers: loaded once, reloaded when the console changes it
// (PostgreSQL NOTIFY salesbot_catalog, or a periodic check on SQLite), never queried per update.

#include "Package.h"

#include <QList>
#include <QReadWriteLock>

#include <memory>

namespace salesbot {

class CatalogCache final
{
public:
    CatalogCache() = default;
    Q_DISABLE_COPY_MOVE(CatalogCache)

    // A snapshot that stays valid while the caller holds it, even if the catalog is replaced meanwhile.
    std::shared_ptr<const QList<Package>> snapshot() const;
    void replace(QList<Package> packages);
    bool isLoaded() const;

private:
    mutable QReadWriteLock m_lock;
    std::shared_ptr<const QList<Package>> m_packages;
};

} // namespace salesbot
