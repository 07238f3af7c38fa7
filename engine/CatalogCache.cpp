#include "CatalogCache.h"

namespace salesbot {

std::shared_ptr<const QList<Package>> CatalogCache::snapshot() const
{
    QReadLocker locker(&m_lock);
    if (!m_packages)
        return std::make_shared<const QList<Package>>();
    return m_packages;
}

void CatalogCache::replace(QList<Package> packages)
{
    auto next = std::make_shared<const QList<Package>>(std::move(packages));
    QWriteLocker locker(&m_lock);
    m_packages = std::move(next);
}

bool CatalogCache::isLoaded() const
{
    QReadLocker locker(&m_lock);
    return m_packages != nullptr;
}

} // namespace salesbot
