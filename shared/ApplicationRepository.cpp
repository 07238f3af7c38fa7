#include "ApplicationRepository.h"

#include "KeysetOrder.h"
#include "Transaction.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

const QString SelectList = u"SELECT "_s + ApplicationRepository::columns(u"a", u"u");
const QString FromJoin = u" FROM applications a JOIN users u ON u.id = a.user_id "_s;
const QString SelectColumns = SelectList + FromJoin;

KeysetOrder sortSpec(ApplicationSortColumn column)
{
    switch (column) {
    case ApplicationSortColumn::CreatedAt:
        return {u"a.created_at"_s, true};
    case ApplicationSortColumn::UpdatedAt:
        return {u"a.updated_at"_s, true};
    case ApplicationSortColumn::Number:
        return {u"a.number"_s};
    case ApplicationSortColumn::Name:
        return {u"a.name"_s};
    case ApplicationSortColumn::Phone:
        return {u"a.phone"_s};
    case ApplicationSortColumn::Package:
        return {u"COALESCE(a.package_code, '')"_s};
    case ApplicationSortColumn::Status:
        // Workflow order rather than alphabetical.
        return {
            u"(CASE a.status WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'done' THEN 2 ELSE 3 END)"_s};
    case ApplicationSortColumn::Username:
        return {u"COALESCE(u.username, '')"_s};
    case ApplicationSortColumn::Assignee:
        return {u"COALESCE(a.assignee, '')"_s};
    }
    return {u"a.created_at"_s, true};
}

} // namespace

QString ApplicationRepository::columns(QStringView a, QStringView u)
{
    return u"%1.id, %1.number, %1.user_id, %2.telegram_id, %2.username, %1.name, %1.phone, %1.package_code, "
           "%1.status, %1.manager_note, %1.assignee, %1.created_at, %1.updated_at, %1.version"_s.arg(a, u);
}

Application ApplicationRepository::fromRecord(const QSqlQuery& q, int offset)
{
    Application a;
    a.id = q.value(offset).toLongLong();
    a.number = q.value(offset + 1).toLongLong();
    a.userId = q.value(offset + 2).toLongLong();
    a.telegramId = q.value(offset + 3).toLongLong();
    a.username = q.value(offset + 4).toString();
    a.name = q.value(offset + 5).toString();
    a.phone = q.value(offset + 6).toString();
    a.packageCode = q.value(offset + 7).toString();
    a.status = ApplicationStatuses::fromCode(q.value(offset + 8).toString()).value_or(ApplicationStatus::New);
    a.managerNote = q.value(offset + 9).toString();
    a.assignee = q.value(offset + 10).toString();
    a.createdAt = DbConnection::fromSqlTimestamp(q.value(offset + 11));
    a.updatedAt = DbConnection::fromSqlTimestamp(q.value(offset + 12));
    a.version = q.value(offset + 13).toInt();
    return a;
}

std::optional<Application> ApplicationRepository::findOne(const QString& where, const QVariantList& values,
                                                          const QString& operation)
{
    QSqlQuery& q = m_db.exec(SelectColumns + where, values, operation);
    if (!q.next())
        return std::nullopt;
    Application a = fromRecord(q);
    q.finish();
    return a;
}

Application ApplicationRepository::requireById(qint64 id, const QString& operation)
{
    static const QString where = u"WHERE a.id = ?"_s;
    auto found = findOne(where, {id}, operation);
    if (!found)
        throw DbException(
            DbError(DbError::Kind::NotFound, operation, u"no application with id %1"_s.arg(id)));
    return *found;
}

void ApplicationRepository::requireVersion(const Application& current, int expectedVersion,
                                           const QString& operation)
{
    if (current.version != expectedVersion) {
        throw DbException(DbError(
            DbError::Kind::Conflict, operation,
            u"application %1 was changed by someone else (version %2, expected %3)"_s.arg(current.number)
                .arg(current.version)
                .arg(expectedVersion)));
    }
}

void ApplicationRepository::recordEvent(qint64 applicationId, const QString& actor, const QString& kind,
                                        const QVariant& oldValue, const QVariant& newValue)
{
    m_db.exec(u"INSERT INTO application_events (application_id, actor, kind, old_value, new_value) "
              "VALUES (?, ?, ?, ?, ?)"_s,
              {applicationId, actor, kind, oldValue, newValue}, u"recording application history"_s);
}

Expected<CreateApplicationResult, DbError> ApplicationRepository::create(const NewApplication& n)
{
    return guard([&] {
        const QString operation = u"creating an application"_s;
        if (m_db.dialect() == Dialect::PostgreSql) {
            // One statement, so one round trip and atomic without a savepoint: the row, its history and the
            // row as the caller reads it. (Five round trips as separate statements inside a savepoint.)
            static const QString combined =
                u"WITH a AS (INSERT INTO applications (user_id, name, phone, package_code) VALUES (?, ?, ?, "
                u"?) "
                "ON CONFLICT (user_id) WHERE status IN ('new', 'in_progress') DO NOTHING RETURNING *), "
                "e AS (INSERT INTO application_events (application_id, actor, kind, old_value, new_value) "
                "SELECT id, ?, 'created', NULL, ? FROM a) "_s +
                SelectList + u" FROM a JOIN users u ON u.id = a.user_id"_s;
            QSqlQuery& q = m_db.exec(
                combined, {n.userId, n.name, n.phone, textOrNull(n.packageCode), n.actor, n.packageCode},
                operation);
            CreateApplicationResult result;
            if (q.next()) {
                result.created = true;
                result.application = fromRecord(q);
                q.finish();
                return result;
            }
            q.finish();
            // Not inserted: the open application that exists is the answer. Looked up by a statement of its
            // own, whose snapshot also sees one that a racing transaction committed meanwhile.
            static const QString where = u"WHERE a.user_id = ? AND a.status IN ('new', 'in_progress')"_s;
            auto open = findOne(where, {n.userId}, operation);
            if (!open)
                throw DbException(DbError(DbError::Kind::Query, operation,
                                          u"the insert was skipped but no open application was found"_s));
            result.application = *open;
            return result;
        }
        Transaction tx(m_db);
        // The partial unique index decides: a second open application is simply not inserted, even when
        // two transactions race, and the one that exists is returned instead.
        static const QString postgres =
            u"INSERT INTO applications (user_id, name, phone, package_code) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) WHERE status IN ('new', 'in_progress') DO NOTHING RETURNING id"_s;
        static const QString sqlite =
            u"INSERT INTO applications (number, user_id, name, phone, package_code) "
            "VALUES ((SELECT COALESCE(MAX(number), 1000) + 1 FROM applications), ?, ?, ?, ?) "
            "ON CONFLICT (user_id) WHERE status IN ('new', 'in_progress') DO NOTHING RETURNING id"_s;
        QSqlQuery& q = m_db.exec(m_db.dialect() == Dialect::PostgreSql ? postgres : sqlite,
                                 {n.userId, n.name, n.phone, textOrNull(n.packageCode)}, operation);
        CreateApplicationResult result;
        if (q.next()) {
            const qint64 id = q.value(0).toLongLong();
            q.finish();
            recordEvent(id, n.actor, u"created"_s, {}, n.packageCode);
            result.created = true;
            result.application = requireById(id, operation);
        } else {
            q.finish();
            static const QString where = u"WHERE a.user_id = ? AND a.status IN ('new', 'in_progress')"_s;
            auto open = findOne(where, {n.userId}, operation);
            if (!open)
                throw DbException(DbError(DbError::Kind::Query, operation,
                                          u"the insert was skipped but no open application was found"_s));
            result.application = *open;
        }
        tx.commit();
        return result;
    });
}

Expected<std::optional<Application>, DbError> ApplicationRepository::findOpen(qint64 userId)
{
    return guard([&] {
        static const QString where = u"WHERE a.user_id = ? AND a.status IN ('new', 'in_progress')"_s;
        return findOne(where, {userId}, u"loading the open application"_s);
    });
}

Expected<std::optional<Application>, DbError> ApplicationRepository::findLatest(qint64 userId)
{
    return guard([&] {
        static const QString where = u"WHERE a.user_id = ? ORDER BY a.created_at DESC, a.id DESC LIMIT 1"_s;
        return findOne(where, {userId}, u"loading the latest application"_s);
    });
}

Expected<std::optional<Application>, DbError> ApplicationRepository::findById(qint64 id)
{
    return guard([&] {
        static const QString where = u"WHERE a.id = ?"_s;
        return findOne(where, {id}, u"loading an application"_s);
    });
}

Expected<std::optional<Application>, DbError> ApplicationRepository::findByNumber(qint64 number)
{
    return guard([&] {
        static const QString where = u"WHERE a.number = ?"_s;
        return findOne(where, {number}, u"loading an application"_s);
    });
}

Expected<bool, DbError> ApplicationRepository::userHasAny(qint64 userId)
{
    return guard([&] {
        QSqlQuery& q = m_db.exec(u"SELECT EXISTS (SELECT 1 FROM applications WHERE user_id = ?)"_s, {userId},
                                 u"checking the user's applications"_s);
        const bool any = q.next() && q.value(0).toBool();
        q.finish();
        return any;
    });
}

Expected<QHash<qint64, ApplicationRepository::OpenAndLatest>, DbError>
ApplicationRepository::findOpenAndLatest(const QList<qint64>& userIds)
{
    return guard([&] {
        QHash<qint64, OpenAndLatest> result;
        if (userIds.isEmpty())
            return result;
        // One text for any number of users: prepared once.
        static const QString sql =
            SelectColumns +
            u"WHERE a.user_id {in_ids} AND (a.status IN ('new', 'in_progress') OR a.id = (SELECT b.id FROM "
            "applications b WHERE b.user_id = a.user_id ORDER BY b.created_at DESC, b.id DESC LIMIT 1))"_s;
        QSqlQuery& q = m_db.exec(sql, {m_db.idList(userIds)}, u"loading the users' applications"_s);
        while (q.next()) {
            Application a = fromRecord(q);
            OpenAndLatest& facts = result[a.userId];
            if (!facts.latest || a.createdAt > facts.latest->createdAt ||
                (a.createdAt == facts.latest->createdAt && a.id > facts.latest->id))
                facts.latest = a;
            if (ApplicationStatuses::isOpen(a.status))
                facts.open = std::move(a);
        }
        q.finish();
        return result;
    });
}

Expected<Application, DbError> ApplicationRepository::updateContacts(qint64 id, const QString& name,
                                                                     const QString& phone,
                                                                     const QString& actor)
{
    return guard([&] {
        const QString operation = u"updating the application's contacts"_s;
        Transaction tx(m_db);
        const Application before = requireById(id, operation);
        m_db.exec(u"UPDATE applications SET name = ?, phone = ?, updated_at = {now}, version = version + 1 "
                  "WHERE id = ?"_s,
                  {name, phone, id}, operation);
        recordEvent(id, actor, u"contacts_updated"_s, before.name + u", "_s + before.phone,
                    name + u", "_s + phone);
        Application after = requireById(id, operation);
        tx.commit();
        return after;
    });
}

Expected<Application, DbError> ApplicationRepository::changePackage(qint64 id, const QString& packageCode,
                                                                    const QString& actor)
{
    return guard([&] {
        const QString operation = u"changing the application's package"_s;
        Transaction tx(m_db);
        const Application before = requireById(id, operation);
        m_db.exec(u"UPDATE applications SET package_code = ?, updated_at = {now}, version = version + 1 "
                  "WHERE id = ?"_s,
                  {textOrNull(packageCode), id}, operation);
        recordEvent(id, actor, u"package_changed"_s, textOrNull(before.packageCode), textOrNull(packageCode));
        Application after = requireById(id, operation);
        tx.commit();
        return after;
    });
}

Expected<Application, DbError> ApplicationRepository::changeStatus(qint64 id, int expectedVersion,
                                                                   ApplicationStatus status,
                                                                   const QString& actor)
{
    return guard([&] {
        const QString operation = u"changing the application's status"_s;
        Transaction tx(m_db);
        const Application before = requireById(id, operation);
        requireVersion(before, expectedVersion, operation);
        if (!ApplicationStatuses::canChange(before.status, status)) {
            throw DbException(DbError(
                DbError::Kind::InvalidArgument, operation,
                u"application %1 cannot go from %2 to %3"_s.arg(before.number)
                    .arg(ApplicationStatuses::code(before.status), ApplicationStatuses::code(status))));
        }
        if (ApplicationStatuses::isOpen(status) && !ApplicationStatuses::isOpen(before.status)) {
            // Reopening must not give the user a second open application.
            static const QString where =
                u"WHERE a.user_id = ? AND a.status IN ('new', 'in_progress') AND a.id <> ?"_s;
            if (auto other = findOne(where, {before.userId, id}, operation)) {
                throw DbException(
                    DbError(DbError::Kind::InvalidArgument, operation,
                            u"the customer already has another open application %1"_s.arg(other->number)));
            }
        }
        QSqlQuery& q =
            m_db.exec(u"UPDATE applications SET status = ?, updated_at = {now}, version = version + 1 "
                      "WHERE id = ? AND version = ?"_s,
                      {ApplicationStatuses::code(status), id, expectedVersion}, operation);
        if (q.numRowsAffected() != 1) {
            throw DbException(DbError(DbError::Kind::Conflict, operation,
                                      u"application %1 was changed by someone else"_s.arg(before.number)));
        }
        recordEvent(id, actor, u"status_changed"_s, ApplicationStatuses::code(before.status),
                    ApplicationStatuses::code(status));
        Application after = requireById(id, operation);
        tx.commit();
        return after;
    });
}

Expected<Application, DbError> ApplicationRepository::updateNote(qint64 id, int expectedVersion,
                                                                 const QString& note, const QString& assignee,
                                                                 const QString& actor)
{
    return guard([&] {
        const QString operation = u"saving the manager's note"_s;
        Transaction tx(m_db);
        const Application before = requireById(id, operation);
        requireVersion(before, expectedVersion, operation);
        if (before.managerNote == note && before.assignee == assignee) {
            tx.commit();
            return before;
        }
        QSqlQuery& q =
            m_db.exec(u"UPDATE applications SET manager_note = ?, assignee = ?, updated_at = {now}, "
                      "version = version + 1 WHERE id = ? AND version = ?"_s,
                      {note.isNull() ? u""_s : note, textOrNull(assignee), id, expectedVersion}, operation);
        if (q.numRowsAffected() != 1) {
            throw DbException(DbError(DbError::Kind::Conflict, operation,
                                      u"application %1 was changed by someone else"_s.arg(before.number)));
        }
        if (before.managerNote != note)
            recordEvent(id, actor, u"note_changed"_s, before.managerNote, note);
        if (before.assignee != assignee)
            recordEvent(id, actor, u"assignee_changed"_s, textOrNull(before.assignee), textOrNull(assignee));
        Application after = requireById(id, operation);
        tx.commit();
        return after;
    });
}

QString ApplicationRepository::filterSql(const ApplicationFilter& f, QVariantList& values) const
{
    QStringList conditions;
    if (!f.statuses.isEmpty()) {
        QStringList marks;
        for (ApplicationStatus s : f.statuses) {
            marks << u"?"_s;
            values << ApplicationStatuses::code(s);
        }
        conditions << u"a.status IN (%1)"_s.arg(marks.join(u", "_s));
    }
    if (!f.packageCodes.isEmpty()) {
        QStringList parts;
        QStringList marks;
        for (const QString& code : f.packageCodes) {
            if (code.isEmpty()) {
                parts << u"a.package_code IS NULL"_s;
            } else {
                marks << u"?"_s;
                values << code;
            }
        }
        if (!marks.isEmpty())
            parts << u"a.package_code IN (%1)"_s.arg(marks.join(u", "_s));
        conditions << u"(%1)"_s.arg(parts.join(u" OR "_s));
    }
    if (f.createdFrom.isValid()) {
        conditions << u"a.created_at >= {ts}"_s;
        values << DbConnection::toSqlTimestamp(f.createdFrom);
    }
    if (f.createdTo.isValid()) {
        conditions << u"a.created_at < {ts}"_s;
        values << DbConnection::toSqlTimestamp(f.createdTo);
    }
    if (f.userId) {
        conditions << u"a.user_id = ?"_s;
        values << *f.userId;
    }
    const QString text = f.text.trimmed();
    if (!text.isEmpty()) {
        // Each branch reads one table, so PostgreSQL can answer it from trigram indexes (migration 2) instead
        // of scanning every application; the union gives the ids the rest of the filter and the sort apply
        // to.
        const QString needle = containsPattern(text);
        QStringList own{containsSql(u"CAST(t.number AS TEXT)"_s), containsSql(u"t.name"_s)};
        values << needle << needle;
        // Text that looks like a phone ("916 123-45") matches phones by its digits, separators ignored.
        QString digits;
        bool phoneLike = true;
        for (const QChar c : text) {
            if (c.isDigit())
                digits += c;
            else if (!c.isSpace() && c != u'+' && c != u'-' && c != u'(' && c != u')' && c != u'.')
                phoneLike = false;
        }
        if (phoneLike && !digits.isEmpty()) {
            own << u"t.phone LIKE ?"_s;
            values << u"%"_s + digits + u"%"_s;
        }
        values << needle;
        conditions
            << u"a.id IN (SELECT t.id FROM applications t WHERE %1 UNION SELECT t.id FROM applications t "
               "JOIN users tu ON tu.id = t.user_id WHERE %2)"_s.arg(own.join(u" OR "_s),
                                                                    containsSql(u"tu.username"_s));
    }
    return conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s);
}

Expected<ApplicationPage, DbError> ApplicationRepository::list(const ApplicationFilter& filter,
                                                               const ApplicationSort& sort,
                                                               const PageCursor& after, int limit)
{
    return guard([&] {
        const KeysetOrder spec = sortSpec(sort.column);
        const QString key = spec.cursorColumn(m_db.dialect());
        QVariantList values;
        QString where = filterSql(filter, values);
        if (after.isValid())
            where += (where.isEmpty() ? u" WHERE "_s : u" AND "_s) +
                     spec.after(u"a.id"_s, sort.descending, after, values);
        const QString direction = sort.descending ? u"DESC"_s : u"ASC"_s;
        const QString sql = SelectList + u", "_s + key + FromJoin + where +
                            u" ORDER BY %1 %2, a.id %2 LIMIT ?"_s.arg(spec.expression, direction);
        values << qMax(1, limit) + 1; // one more tells whether there is a next page
        QSqlQuery& q = m_db.exec(sql, values, u"listing applications"_s);
        ApplicationPage page;
        QVariant lastKey;
        while (q.next()) {
            if (page.rows.size() == qMax(1, limit)) {
                page.next = {lastKey, page.rows.constLast().id};
                break;
            }
            page.rows.append(fromRecord(q));
            lastKey = q.value(14);
        }
        q.finish();
        return page;
    });
}

Expected<qint64, DbError> ApplicationRepository::forEach(const ApplicationFilter& filter,
                                                         const ApplicationSort& sort,
                                                         const std::function<bool(const Application&)>& visit,
                                                         int pageSize)
{
    qint64 visited = 0;
    PageCursor after;
    do {
        auto page = list(filter, sort, after, pageSize);
        if (!page)
            return unexpected(page.error());
        for (const Application& application : std::as_const(page->rows)) {
            ++visited;
            if (!visit(application))
                return visited;
        }
        after = page->next;
    } while (after.isValid());
    return visited;
}

Expected<qint64, DbError> ApplicationRepository::count(const ApplicationFilter& filter)
{
    return guard([&] {
        QVariantList values;
        const QString sql = u"SELECT COUNT(*)"_s + FromJoin + filterSql(filter, values);
        QSqlQuery& q = m_db.exec(sql, values, u"counting applications"_s);
        const qint64 n = q.next() ? q.value(0).toLongLong() : 0;
        q.finish();
        return n;
    });
}

Expected<QList<ApplicationEvent>, DbError> ApplicationRepository::events(qint64 applicationId)
{
    return guard([&] {
        QSqlQuery& q = m_db.exec(u"SELECT id, application_id, actor, kind, old_value, new_value, created_at "
                                 "FROM application_events WHERE application_id = ? ORDER BY created_at, id"_s,
                                 {applicationId}, u"loading the application's history"_s);
        QList<ApplicationEvent> result;
        while (q.next()) {
            result.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                           q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                           DbConnection::fromSqlTimestamp(q.value(6))});
        }
        q.finish();
        return result;
    });
}

} // namespace salesbot
