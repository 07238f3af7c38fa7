#pragma once

// A Bot API call the dialog wants made: queued in the outbox in the update's transaction, sent afterwards.

#include <QJsonObject>
#include <QString>

namespace salesbot {

struct OutgoingMessage
{
    qint64 chatId = 0;
    QString method; // sendMessage, editMessageText, answerCallbackQuery
    QJsonObject payload;
    bool proactive = false; // started by the bot rather than answering the user: rate-limited
};

} // namespace salesbot
