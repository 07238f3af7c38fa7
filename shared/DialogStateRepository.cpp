#include "DialogStateRepository.h"

#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace salesbot {

Expected<std::optional<DialogState>, DbError> DialogStateRepository::load(qint64 telegramId)
{
    return guard([&]() -> std::optional<DialogState> {
        QSqlQuery& q = m_db.exec(u"SELECT state, CAST(data AS TEXT), updated_at FROM dialog_states "
                                 "WHERE telegram_id = ?"_s,
                                 {telegramId}, u"loading the dialog state"_s);
        if (!q.next())
            return std::nullopt;
        DialogState s;
        s.state = q.value(0).toString();
        s.data = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object();
        s.updatedAt = DbConnection::fromSqlTimestamp(q.value(2));
        q.finish();
        return s;
    });
}

Expected<void, DbError> DialogStateRepository::save(qint64 telegramId, const QString& state,
                                                    const QJsonObject& data)
{
    return guard([&] {
        m_db.exec(
            u"INSERT INTO dialog_states (telegram_id, state, data, updated_at) VALUES (?, ?, {json}, {now}) "
            "ON CONFLICT (telegram_id) DO UPDATE SET state = excluded.state, data = excluded.data, "
            "updated_at = excluded.updated_at"_s,
            {telegramId, state, QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Compact))},
            u"saving the dialog state"_s);
    });
}

Expected<void, DbError> DialogStateRepository::clear(qint64 telegramId)
{
    return guard([&] {
        m_db.exec(u"DELETE FROM dialog_states WHERE telegram_id = ?"_s, {telegramId},
                  u"clearing the dialog state"_s);
    });
}

} // namespace salesbot
