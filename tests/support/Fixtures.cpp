#include "Fixtures.h"

#include "UserRepository.h"

using namespace Qt::StringLiterals;

namespace salesbot::test {

TelegramProfile profile(qint64 telegramId, const QString& firstName, const QString& username,
                        const QString& languageCode)
{
    return {telegramId, username, firstName, {}, languageCode};
}

User makeUser(DbConnection& db, qint64 telegramId, const QString& firstName, const QString& username)
{
    UserRepository users(db);
    auto user = users.upsert(profile(telegramId, firstName, username));
    if (!user)
        throw DbException(user.error());
    return *user;
}

Application makeApplication(DbConnection& db, qint64 telegramId, const QString& packageCode,
                            const QString& name, const QString& phone)
{
    const User user = makeUser(db, telegramId, name);
    ApplicationRepository applications(db);
    auto created = applications.create({user.id, name, phone, packageCode});
    if (!created)
        throw DbException(created.error());
    if (!created->created)
        throw DbException(
            DbError(DbError::Kind::Query, u"fixture"_s, u"user already has an open application"_s));
    return created->application;
}

void setCreatedAt(DbConnection& db, qint64 applicationId, const QDateTime& at)
{
    db.exec(u"UPDATE applications SET created_at = {ts}, updated_at = {ts} WHERE id = ?"_s,
            {DbConnection::toSqlTimestamp(at), DbConnection::toSqlTimestamp(at), applicationId},
            u"fixture: setting created_at"_s);
}

} // namespace salesbot::test
