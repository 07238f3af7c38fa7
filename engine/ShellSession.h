#pragma once

// Talks to the bot in a terminal, with no Telegram: the same dialog, processor and database as the real
// engine. Bot messages are printed with numbered buttons; a number presses a button, text is sent as a
// message, /contact shares the user's contact.

#include "CatalogCache.h"
#include "DbConnection.h"
#include "Dialog.h"
#include "IncomingEvent.h"

#include <QJsonObject>
#include <QTextStream>

namespace salesbot {

class ShellSession final
{
public:
    ShellSession(DbConnection& db, const Dialog& dialog, const CatalogCache& catalog, TelegramProfile user,
                 QTextStream& out);
    Q_DISABLE_COPY_MOVE(ShellSession)

    // Reads lines until end of input or /quit; returns an exit code.
    int run(QTextStream& in);
    // Handles one line of input (also used by tests); returns false when the session should end.
    bool handleLine(const QString& line);
    // The buttons currently on screen, in the order they are numbered.
    QStringList buttonLabels() const;

private:
    struct Button
    {
        QString label;
        QString callbackData; // inline buttons
        bool requestContact = false;
        bool inlineButton = false;
    };

    void deliver(IncomingEvent event);
    void print(const QJsonObject& payload, bool edited);
    static QString plain(const QString& html);

    DbConnection& m_db;
    const Dialog& m_dialog;
    const CatalogCache& m_catalog;
    TelegramProfile m_user;
    QTextStream& m_out;
    QList<Button> m_inline;
    QList<Button> m_reply;
    qint64 m_lastInlineMessageId = 0;
    qint64 m_nextMessageId = 1;
    qint64 m_nextUpdateId = 0;
};

} // namespace salesbot
