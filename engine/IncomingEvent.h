#pragma once

// One Telegram update reduced to what the dialog needs: who, which chat, and what they did.

#include "User.h"

#include <QString>

namespace salesbot {

struct IncomingEvent
{
    enum class Kind
    {
        Text,     // a text message that is not a command
        Command,  // /start, /menu, /status, /cancel, /help or any other /word
        Callback, // an inline keyboard button was pressed
        Contact,  // a shared contact
        Other,    // stickers, photos, voice, documents, locations ... (handled as free text without text)
    };

    qint64 updateId = 0;
    Kind kind = Kind::Other;
    qint64 chatId = 0;
    TelegramProfile from;         // the sender; from.telegramId is the user
    QString text;                 // Text: the message text; Command: the arguments after the command
    QString command;              // Command: lower case, without '/' and without @botname ("start")
    QString callbackId;           // Callback: to answer the query
    QString callbackData;         // Callback: the button's data
    qint64 callbackMessageId = 0; // Callback: the message that carried the button (0: unknown/inaccessible)
    qint64 contactUserId = 0;     // Contact: whose contact it is (0: not a Telegram user)
    QString contactPhone;         // Contact: the phone as Telegram sent it
    bool privateChat = true;      // false for groups and channels
};

} // namespace salesbot
