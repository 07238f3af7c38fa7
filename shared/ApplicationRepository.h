#pragma once

// Applications: create with a new number (never a second open one), find, update, change status
// with a version check, and list with filters, sorting and keyset paging.

#include "Application.h"
#include "ApplicationQuery.h"
#include "Repository.h"

#include <QHash>

#include <functional>
#include <optional>

namespace salesbot {

struct NewApplication
{
    qint64 userId = 0;
    QString name;
    QString phone;
    QString packageCode; // empty: no package chosen
    QString actor = QStringLiteral("bot");
};

struct CreateApplicationResult
{
    bool created = false;    // false: the user already has an open application, returned instead
    Application application; // the new one, or the open one that blocked it
};

class ApplicationRepository final : public Repository
{
public:
    using Repository::Repository;

    Expected<CreateApplicationResult, DbError> create(const NewApplication& application);
    Expected<std::optional<Application>, DbError> findOpen(qint64 userId);
    Expected<std::optional<Application>, DbError> findLatest(qint64 userId);
    Expected<std::optional<Application>, DbError> findById(qint64 id);
    Expected<std::optional<Application>, DbError> findByNumber(qint64 number);
    Expected<bool, DbError> userHasAny(qint64 userId);
    // Both in one round trip, for several users at once: each one's open application (if any) and most
    // recent one (if any). Users without applications are left out.
    struct OpenAndLatest
    {
        std::optional<Application> open;
        std::optional<Application> latest;
    };
    Expected<QHash<qint64, OpenAndLatest>, DbError> findOpenAndLatest(const QList<qint64>& userIds);

    // The columns fromRecord() reads (ColumnCount of them), from applications aliased `a` joined with their
    // users aliased `u`.
    static constexpr int ColumnCount = 14;
    static QString columns(QStringView a, QStringView u);
    static Application fromRecord(const QSqlQuery& query, int offset = 0);

    // The bot updates its own user's contacts and package: no version check, history recorded.
    Expected<Application, DbError> updateContacts(qint64 id, const QString& name, const QString& phone,
                                                  const QString& actor);
    Expected<Application, DbError> changePackage(qint64 id, const QString& packageCode, const QString& actor);

    // Console edits: refused with Kind::Conflict when the row is no longer at `expectedVersion`,
    // with Kind::InvalidArgument for a transition the life cycle does not allow.
    Expected<Application, DbError> changeStatus(qint64 id, int expectedVersion, ApplicationStatus status,
                                                const QString& actor);
    Expected<Application, DbError> updateNote(qint64 id, int expectedVersion, const QString& note,
                                              const QString& assignee, const QString& actor);

    Expected<ApplicationPage, DbError> list(const ApplicationFilter& filter, const ApplicationSort& sort,
                                            const PageCursor& after, int limit);
    // Every application the filter matches, in `sort` order, a page of `pageSize` at a time (so a million
    // rows never sit in memory at once); `visit` returns false to stop early. Returns how many were visited.
    Expected<qint64, DbError> forEach(const ApplicationFilter& filter, const ApplicationSort& sort,
                                      const std::function<bool(const Application&)>& visit,
                                      int pageSize = 1000);
    Expected<qint64, DbError> count(const ApplicationFilter& filter);
    Expected<QList<ApplicationEvent>, DbError> events(qint64 applicationId);

private:
    std::optional<Application> findOne(const QString& where, const QVariantList& values,
                                       const QString& operation);
    Application requireById(qint64 id, const QString& operation);
    // Optimistic locking: Kind::Conflict unless the row is still at the version the caller saw.
    static void requireVersion(const Application& current, int expectedVersion, const QString& operation);
    void recordEvent(qint64 applicationId, const QString& actor, const QString& kind,
                     const QVariant& oldValue, const QVariant& newValue);
    QString filterSql(const ApplicationFilter& filter, QVariantList& values) const;
};

} // namespace salesbot
