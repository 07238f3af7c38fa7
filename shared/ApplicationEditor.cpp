#include "ApplicationEditor.h"

#include "ApplicationRepository.h"
#include "OutboxRepository.h"
#include "Transaction.h"
#include "UserRepository.h"

#include <QCoreApplication>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace salesbot {

Expected<StatusChangeResult, DbError> ApplicationEditor::changeStatus(qint64 id, int expectedVersion,
                                                                      ApplicationStatus status,
                                                                      const QString& actor,
                                                                      bool notifyCustomer)
{
    return guard([&] {
        Transaction transaction(m_db);
        StatusChangeResult result;
        result.application =
            require(ApplicationRepository(m_db).changeStatus(id, expectedVersion, status, actor));
        if (notifyCustomer) {
            const Application& a = result.application;
            const auto user = require(UserRepository(m_db).findByTelegramId(a.telegramId));
            if (!user) {
                result.noticeSkipped =
                    QCoreApplication::translate("ApplicationEditor", "the customer is unknown");
            } else if (user->blockedAt.isValid()) {
                result.noticeSkipped =
                    QCoreApplication::translate("ApplicationEditor", "the customer has blocked the bot");
            } else {
                const QJsonObject payload{{u"chat_id"_s, a.telegramId},
                                          {u"text"_s, noticeText(a.number, a.status, user->languageCode)}};
                // One notice per version: a retried click cannot queue it twice. The insert announces itself
                // to the engine (NOTIFY salesbot_outbox on PostgreSQL; the engine polls SQLite).
                result.noticeId =
                    require(OutboxRepository(m_db).enqueue(a.telegramId, u"sendMessage"_s, payload, true,
                                                           u"status:%1:%2"_s.arg(a.id).arg(a.version)));
            }
        }
        transaction.commit();
        return result;
    });
}

QString ApplicationEditor::noticeText(qint64 number, ApplicationStatus status, const QString& languageCode)
{
    const bool english = languageCode.startsWith("en"_L1, Qt::CaseInsensitive);
    QString word;
    switch (status) {
    case ApplicationStatus::New:
        word = english ? u"new"_s : u"Новая"_s;
        break;
    case ApplicationStatus::InProgress:
        word = english ? u"in progress"_s : u"В работе"_s;
        break;
    case ApplicationStatus::Done:
        word = english ? u"done"_s : u"Завершена"_s;
        break;
    case ApplicationStatus::Rejected:
        word = english ? u"rejected"_s : u"Отклонена"_s;
        break;
    }
    return english ? u"The status of your application №%1: %2."_s.arg(number).arg(word)
                   : u"Статус вашей заявки №%1: %2."_s.arg(number).arg(word);
}

} // namespace salesbot
