#pragma once

// The bot's conversation as a state machine over ../shared/spec/bot-dialog.md: given the user's state,
// what they did and the facts a DialogPort provides, it decides the next state and the replies.
// No SQL and no network here: the port does the few writes, the caller queues the replies.

#include "BotTexts.h"
#include "DialogPort.h"
#include "IncomingEvent.h"
#include "OutgoingMessage.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace salesbot {

struct CompanyInfo
{
    QString phone = QStringLiteral("+7 (495) 123-45-67");
    QString email = QStringLiteral("hello@ai-solutions.example");
    QString site = QStringLiteral("https://ai-solutions.example");
    QString hours = QStringLiteral("Пн–Пт, 10:00–19:00 (МСК)");
};

struct DialogSettings
{
    std::optional<qint64> managerChatId; // where new applications and contact updates are announced
    CompanyInfo company;
};

struct DialogResult
{
    QString state;
    QJsonObject data;
    bool stateChanged = false;
    QList<OutgoingMessage> messages;
};

class Dialog final
{
public:
    // Dialog states as stored in dialog_states.state.
    static constexpr auto StateMenu = "menu";
    static constexpr auto StateName = "form_name";
    static constexpr auto StatePhone = "form_phone";

    Dialog(const BotTexts& texts, DialogSettings settings);

    DialogResult handle(const IncomingEvent& event, const QString& state, const QJsonObject& data,
                        DialogPort& port) const;

    // What the user gets when their update could not be handled (a bug, a broken row): the callback's
    // spinner stopped and a short apology, so a failure is never silence. Needs no state and no port.
    QList<OutgoingMessage> apology(const IncomingEvent& event) const;

    const DialogSettings& settings() const { return m_settings; }

private:
    class Turn;

    const BotTexts& m_texts;
    DialogSettings m_settings;
};

} // namespace salesbot
