#include "Dialog.h"

#include "PersonName.h"
#include "PhoneNumber.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

// Callback data: short, stable, and meaningful on their own, so buttons on old messages keep working.
const QString CbMenu = u"m"_s;
const QString CbPackages = u"p"_s;
const QString CbPackagePrefix = u"p:"_s;
const QString CbApply = u"a"_s;
const QString CbApplyPrefix = u"a:"_s;
const QString CbStatus = u"s"_s;
const QString CbAbout = u"i"_s;
const QString CbContacts = u"c"_s;
const QString CbUpdateContacts = u"u"_s;
const QString CbSwitchPrefix = u"w:"_s;

constexpr qsizetype FreeTextLimit = 1000;

QJsonObject button(const QString& text, const QString& data)
{
    return {{u"text"_s, text}, {u"callback_data"_s, data}};
}

QJsonObject inlineKeyboard(const QList<QJsonObject>& rows)
{
    QJsonArray keyboard;
    for (const QJsonObject& b : rows)
        keyboard.append(QJsonArray{b});
    return {{u"inline_keyboard"_s, keyboard}};
}

} // namespace

// One update's worth of work: the event, the user's language, the port, and the result being built.
class Dialog::Turn
{
public:
    Turn(const Dialog& dialog, const IncomingEvent& event, const QString& state, const QJsonObject& data,
         DialogPort& port)
        : m_dialog(dialog)
        , m_texts(dialog.m_texts)
        , m_event(event)
        , m_port(port)
        , m_language(BotTexts::languageFor(event.from.languageCode))
    {
        m_result.state = state.isEmpty() ? QString::fromLatin1(StateMenu) : state;
        m_result.data = data;
    }

    DialogResult run();

private:
    QString say(const char* source) const { return m_texts.text(m_language, "Dialog", source); }
    bool isLabel(const QString& input, const char* source) const;

    // Navigation screens.
    void mainMenu(bool edit);
    void packages(bool edit);
    void packageCard(const QString& code);
    void about();
    void contacts();
    void status();
    void freeText();

    // The form.
    void startForm(const QString& packageCode);
    void startContactsUpdate();
    void switchPackage(const QString& code);
    void cancel();
    void formName();
    void formPhone();
    void askName(const QString& problem);
    void askPhone(const QString& problem);
    void complete(const QString& phone);
    void duplicate(const Application& open, const QString& requestedPackage);

    void handleCommand();
    void handleCallback();
    bool handleFormInput();

    // Output.
    void send(const QString& body, const QJsonObject& markup = {});
    void show(const QString& body, const QJsonObject& markup);
    void answerCallback(const QString& notice = {});
    void notifyManagers(const QString& headline, const Application& application);
    void setState(const char* state, const QJsonObject& data);

    QString packageTitle(const QString& code) const;
    const Package* findPackage(const QString& code) const;
    QJsonObject mainMenuKeyboard();
    QJsonObject cancelKeyboard() const;
    QString statusLine(const Application& a) const;

    const Dialog& m_dialog;
    const BotTexts& m_texts;
    const IncomingEvent& m_event;
    DialogPort& m_port;
    Language m_language;
    DialogResult m_result;
    bool m_callbackAnswered = false;
};

bool Dialog::Turn::isLabel(const QString& input, const char* source) const
{
    // A reply-keyboard button arrives as text; accept the label in either language.
    const QString trimmed = input.trimmed();
    return trimmed == m_texts.text(Language::Russian, "Dialog", source) ||
           trimmed == m_texts.text(Language::English, "Dialog", source);
}

void Dialog::Turn::setState(const char* state, const QJsonObject& data)
{
    const QString next = QString::fromLatin1(state);
    if (next == m_result.state && data == m_result.data)
        return;
    m_result.state = next;
    m_result.data = data;
    m_result.stateChanged = true;
}

void Dialog::Turn::send(const QString& body, const QJsonObject& markup)
{
    QJsonObject payload{{u"chat_id"_s, m_event.chatId}, {u"text"_s, body}, {u"parse_mode"_s, u"HTML"_s}};
    if (!markup.isEmpty())
        payload.insert(u"reply_markup"_s, markup);
    m_result.messages.append({m_event.chatId, u"sendMessage"_s, payload, false});
}

void Dialog::Turn::show(const QString& body, const QJsonObject& markup)
{
    // Navigation from a button edits that message in place instead of piling up new ones.
    if (m_event.kind != IncomingEvent::Kind::Callback || m_event.callbackMessageId == 0) {
        send(body, markup);
        return;
    }
    QJsonObject payload{{u"chat_id"_s, m_event.chatId},
                        {u"message_id"_s, m_event.callbackMessageId},
                        {u"text"_s, body},
                        {u"parse_mode"_s, u"HTML"_s}};
    if (!markup.isEmpty())
        payload.insert(u"reply_markup"_s, markup);
    m_result.messages.append({m_event.chatId, u"editMessageText"_s, payload, false});
}

void Dialog::Turn::answerCallback(const QString& notice)
{
    if (m_event.kind != IncomingEvent::Kind::Callback || m_callbackAnswered)
        return;
    m_callbackAnswered = true;
    QJsonObject payload{{u"callback_query_id"_s, m_event.callbackId}};
    if (!notice.isEmpty())
        payload.insert(u"text"_s, notice);
    // First in the queue: the user's spinner stops before anything else is sent.
    m_result.messages.prepend({m_event.chatId, u"answerCallbackQuery"_s, payload, false});
}

const Package* Dialog::Turn::findPackage(const QString& code) const
{
    for (const Package& p : m_port.packages()) {
        if (p.code == code)
            return &p;
    }
    return nullptr;
}

QString Dialog::Turn::packageTitle(const QString& code) const
{
    if (code.isEmpty())
        return say(QT_TRANSLATE_NOOP("Dialog", "no package chosen"));
    const Package* p = findPackage(code);
    return p ? p->title : code;
}

QString Dialog::Turn::statusLine(const Application& a) const
{
    switch (a.status) {
    case ApplicationStatus::New:
        return say(QT_TRANSLATE_NOOP("Dialog", "New"));
    case ApplicationStatus::InProgress:
        return say(QT_TRANSLATE_NOOP("Dialog", "In progress"));
    case ApplicationStatus::Done:
        return say(QT_TRANSLATE_NOOP("Dialog", "Done"));
    case ApplicationStatus::Rejected:
        return say(QT_TRANSLATE_NOOP("Dialog", "Rejected"));
    }
    return {};
}

QJsonObject Dialog::Turn::mainMenuKeyboard()
{
    QList<QJsonObject> rows{button(say(QT_TRANSLATE_NOOP("Dialog", "📦 Service packages")), CbPackages),
                            button(say(QT_TRANSLATE_NOOP("Dialog", "📝 Apply")), CbApply)};
    if (m_port.latestApplication())
        rows.append(button(say(QT_TRANSLATE_NOOP("Dialog", "🔎 My application")), CbStatus));
    rows.append(button(say(QT_TRANSLATE_NOOP("Dialog", "ℹ️ About us")), CbAbout));
    rows.append(button(say(QT_TRANSLATE_NOOP("Dialog", "📞 Contacts")), CbContacts));
    return inlineKeyboard(rows);
}

QJsonObject Dialog::Turn::cancelKeyboard() const
{
    return {{u"keyboard"_s,
             QJsonArray{QJsonArray{QJsonObject{{u"text"_s, say(QT_TRANSLATE_NOOP("Dialog", "❌ Cancel"))}}}}},
            {u"resize_keyboard"_s, true},
            {u"one_time_keyboard"_s, true}};
}

void Dialog::Turn::mainMenu(bool edit)
{
    const QString name = m_event.from.firstName.trimmed().isEmpty()
                             ? say(QT_TRANSLATE_NOOP("Dialog", "friend"))
                             : m_event.from.firstName;
    const QString body =
        say(QT_TRANSLATE_NOOP(
                "Dialog", "Hello, %1! AI-Solutions builds chat-bots for businesses: from bots that answer "
                          "frequent questions and take orders to AI assistants trained on your documents.\n\n"
                          "What are you interested in?"))
            .arg(BotTexts::html(name.left(64)));
    if (edit)
        show(body, mainMenuKeyboard());
    else
        send(body, mainMenuKeyboard());
}

void Dialog::Turn::packages(bool edit)
{
    QList<QJsonObject> rows;
    for (const Package& p : m_port.packages())
        rows.append(button(
            say(QT_TRANSLATE_NOOP("Dialog", "%1 — from %2 ₽")).arg(p.title, BotTexts::price(p.priceFrom)),
            CbPackagePrefix + p.code));
    rows.append(button(say(QT_TRANSLATE_NOOP("Dialog", "⬅️ Back")), CbMenu));
    const QString body = say(QT_TRANSLATE_NOOP("Dialog", "Choose a package to learn more:"));
    if (edit)
        show(body, inlineKeyboard(rows));
    else
        send(body, inlineKeyboard(rows));
}

void Dialog::Turn::packageCard(const QString& code)
{
    const Package* p = findPackage(code);
    if (!p) {
        answerCallback(say(QT_TRANSLATE_NOOP("Dialog", "This package is no longer in the catalog.")));
        packages(true);
        return;
    }
    m_port.record(u"package_view"_s, p->code, {{u"package"_s, p->code}});
    QJsonObject data = m_result.data;
    data.insert(u"viewed"_s, p->code);
    setState(StateMenu, data);
    QString body = u"<b>%1</b>\n%2\n\n"_s.arg(BotTexts::html(p->title), BotTexts::html(p->summary));
    for (const QString& feature : p->features)
        body += u"• "_s + BotTexts::html(feature) + u'\n';
    body += u'\n' + say(QT_TRANSLATE_NOOP("Dialog", "Timeline: %1")).arg(BotTexts::html(p->timeline)) +
            u'\n' + say(QT_TRANSLATE_NOOP("Dialog", "Price: from %1 ₽")).arg(BotTexts::price(p->priceFrom));
    show(body, inlineKeyboard({button(say(QT_TRANSLATE_NOOP("Dialog", "📝 Apply for this package")),
                                      CbApplyPrefix + p->code),
                               button(say(QT_TRANSLATE_NOOP("Dialog", "⬅️ To packages")), CbPackages),
                               button(say(QT_TRANSLATE_NOOP("Dialog", "🏠 Main menu")), CbMenu)}));
}

void Dialog::Turn::about()
{
    m_port.record(u"about"_s);
    show(say(QT_TRANSLATE_NOOP(
             "Dialog",
             "<b>AI-Solutions</b> designs and builds chat-bots for businesses in Telegram, WhatsApp and on "
             "websites: bots that answer customers around the clock, take orders and bookings, accept "
             "payments, talk to your CRM, and AI assistants that know your products.")),
         inlineKeyboard({button(say(QT_TRANSLATE_NOOP("Dialog", "⬅️ Back")), CbMenu)}));
}

void Dialog::Turn::contacts()
{
    m_port.record(u"contacts"_s);
    const CompanyInfo& c = m_dialog.m_settings.company;
    show(say(QT_TRANSLATE_NOOP("Dialog",
                               "<b>Contacts</b>\nPhone: %1\nE-mail: %2\nSite: %3\nWorking hours: %4"))
             .arg(BotTexts::html(c.phone), BotTexts::html(c.email), BotTexts::html(c.site),
                  BotTexts::html(c.hours)),
         inlineKeyboard({button(say(QT_TRANSLATE_NOOP("Dialog", "⬅️ Back")), CbMenu)}));
}

void Dialog::Turn::status()
{
    const std::optional<Application> latest = m_port.latestApplication();
    m_port.record(u"status_check"_s, latest ? latest->packageCode : QString(),
                  latest ? QJsonObject{{u"number"_s, latest->number}} : QJsonObject{});
    if (!latest) {
        show(say(QT_TRANSLATE_NOOP("Dialog", "You have no applications yet.")),
             inlineKeyboard({button(say(QT_TRANSLATE_NOOP("Dialog", "📝 Apply")), CbApply),
                             button(say(QT_TRANSLATE_NOOP("Dialog", "🏠 Main menu")), CbMenu)}));
        return;
    }
    show(say(QT_TRANSLATE_NOOP("Dialog", "Application №%1 of %2\nPackage: %3\nStatus: %4"))
             .arg(latest->number)
             .arg(m_texts.date(latest->createdAt), BotTexts::html(packageTitle(latest->packageCode)),
                  statusLine(*latest)),
         inlineKeyboard({button(say(QT_TRANSLATE_NOOP("Dialog", "🏠 Main menu")), CbMenu)}));
}

void Dialog::Turn::freeText()
{
    QJsonObject data;
    if (!m_event.text.isEmpty())
        data.insert(u"text"_s, m_event.text.left(FreeTextLimit));
    if (m_event.kind == IncomingEvent::Kind::Command)
        data.insert(u"command"_s, m_event.command.left(64));
    else if (m_event.kind == IncomingEvent::Kind::Other)
        data.insert(u"kind"_s, u"other"_s);
    m_port.record(u"free_text"_s, {}, data);
    send(say(QT_TRANSLATE_NOOP(
        "Dialog",
        "I answer through the menu below. If you would like a manager to talk to you personally, leave an "
        "application and they will get in touch.")));
    mainMenu(false);
}

void Dialog::Turn::duplicate(const Application& open, const QString& requestedPackage)
{
    m_port.record(u"duplicate_blocked"_s, open.packageCode, {{u"number"_s, open.number}});
    QList<QJsonObject> rows{
        button(say(QT_TRANSLATE_NOOP("Dialog", "✏️ Update contacts")), CbUpdateContacts)};
    if (!requestedPackage.isEmpty() && requestedPackage != open.packageCode &&
        findPackage(requestedPackage)) {
        rows.append(button(
            say(QT_TRANSLATE_NOOP("Dialog", "📦 Switch package to «%1»")).arg(packageTitle(requestedPackage)),
            CbSwitchPrefix + requestedPackage));
    }
    rows.append(button(say(QT_TRANSLATE_NOOP("Dialog", "🏠 Main menu")), CbMenu));
    send(say(QT_TRANSLATE_NOOP("Dialog", "You already have application №%1 of %2.\nPackage: %3\nStatus: "
                                         "%4\n\nA second one is not needed: "
                                         "a manager is already working on it."))
             .arg(open.number)
             .arg(m_texts.date(open.createdAt), BotTexts::html(packageTitle(open.packageCode)),
                  statusLine(open)),
         inlineKeyboard(rows));
}

void Dialog::Turn::startForm(const QString& packageCode)
{
    if (!packageCode.isEmpty() && !findPackage(packageCode)) {
        answerCallback(say(QT_TRANSLATE_NOOP("Dialog", "This package is no longer in the catalog.")));
        packages(false);
        return;
    }
    if (const std::optional<Application> open = m_port.openApplication()) {
        setState(StateMenu, {});
        duplicate(*open, packageCode);
        return;
    }
    m_port.record(u"apply_start"_s, packageCode,
                  packageCode.isEmpty() ? QJsonObject{} : QJsonObject{{u"package"_s, packageCode}});
    QJsonObject data{{u"mode"_s, u"new"_s}};
    if (!packageCode.isEmpty())
        data.insert(u"package"_s, packageCode);
    setState(StateName, data);
    askName({});
}

void Dialog::Turn::startContactsUpdate()
{
    const std::optional<Application> open = m_port.openApplication();
    if (!open) {
        answerCallback(
            say(QT_TRANSLATE_NOOP("Dialog", "The menu has changed: you have no open application.")));
        mainMenu(false);
        return;
    }
    m_port.record(u"apply_start"_s, open->packageCode,
                  {{u"mode"_s, u"update"_s}, {u"number"_s, open->number}});
    setState(StateName,
             {{u"mode"_s, u"update"_s}, {u"application"_s, open->id}, {u"number"_s, open->number}});
    askName({});
}

void Dialog::Turn::switchPackage(const QString& code)
{
    const std::optional<Application> open = m_port.openApplication();
    const Package* p = findPackage(code);
    if (!open || !p || open->packageCode == code) {
        answerCallback(say(QT_TRANSLATE_NOOP("Dialog", "The menu has changed.")));
        mainMenu(true);
        return;
    }
    const Application changed = m_port.changePackage(open->id, code);
    m_port.record(u"application_updated"_s, code, {{u"number"_s, changed.number}, {u"package"_s, code}});
    setState(StateMenu, {});
    send(say(QT_TRANSLATE_NOOP("Dialog", "The package of application №%1 is now «%2»."))
             .arg(changed.number)
             .arg(BotTexts::html(p->title)));
    notifyManagers(
        m_texts.text(Language::Russian, "Dialog", QT_TRANSLATE_NOOP("Dialog", "📦 Package changed")), changed);
    mainMenu(false);
}

void Dialog::Turn::cancel()
{
    m_port.record(u"cancel"_s);
    setState(StateMenu, {});
    send(say(QT_TRANSLATE_NOOP("Dialog", "Application cancelled.")), {{u"remove_keyboard"_s, true}});
    mainMenu(false);
}

void Dialog::Turn::askName(const QString& problem)
{
    const QString prompt =
        say(QT_TRANSLATE_NOOP("Dialog", "How should we address you? Please write your name."));
    send(problem.isEmpty() ? prompt : problem + u"\n\n"_s + prompt, cancelKeyboard());
}

void Dialog::Turn::askPhone(const QString& problem)
{
    const QJsonObject keyboard{
        {u"keyboard"_s,
         QJsonArray{QJsonArray{QJsonObject{{u"text"_s, say(QT_TRANSLATE_NOOP("Dialog", "📱 Share my number"))},
                                           {u"request_contact"_s, true}}},
                    QJsonArray{QJsonObject{{u"text"_s, say(QT_TRANSLATE_NOOP("Dialog", "❌ Cancel"))}}}}},
        {u"resize_keyboard"_s, true},
        {u"one_time_keyboard"_s, true}};
    const QString prompt = say(QT_TRANSLATE_NOOP(
        "Dialog", "Leave a phone number to contact you: press the button below or type the number."));
    send(problem.isEmpty() ? prompt : problem + u"\n\n"_s + prompt, keyboard);
}

bool Dialog::Turn::handleFormInput()
{
    const bool inName = m_result.state == QLatin1String(StateName);
    const bool inPhone = m_result.state == QLatin1String(StatePhone);
    if (!inName && !inPhone)
        return false;
    if (m_event.kind == IncomingEvent::Kind::Text && isLabel(m_event.text, "❌ Cancel")) {
        cancel();
        return true;
    }
    if (m_event.kind == IncomingEvent::Kind::Command) {
        if (m_event.command == "cancel"_L1) {
            cancel();
            return true;
        }
        if (m_event.command == "status"_L1) {
            status();
            if (inName)
                askName({});
            else
                askPhone({});
            return true;
        }
        if (m_event.command == "start"_L1 || m_event.command == "menu"_L1)
            return false; // leaves the form
        if (inName)
            askName(
                say(QT_TRANSLATE_NOOP("Dialog", "That looks like a command. I am waiting for your name.")));
        else
            askPhone(say(QT_TRANSLATE_NOOP(
                "Dialog", "That looks like a command. I am waiting for your phone number.")));
        return true;
    }
    if (m_event.kind == IncomingEvent::Kind::Callback)
        return false; // buttons navigate away from the form
    if (inName)
        formName();
    else
        formPhone();
    return true;
}

void Dialog::Turn::formName()
{
    if (m_event.kind != IncomingEvent::Kind::Text) {
        askName(say(QT_TRANSLATE_NOOP("Dialog", "Please write your name as a text message.")));
        return;
    }
    const auto name = PersonName::validate(m_event.text);
    if (!name) {
        askName(PersonName::explain(name.error()));
        return;
    }
    m_port.record(u"name_entered"_s, m_result.data.value(u"package"_s).toString());
    QJsonObject data = m_result.data;
    data.insert(u"name"_s, *name);
    setState(StatePhone, data);
    askPhone({});
}

void Dialog::Turn::formPhone()
{
    if (m_event.kind == IncomingEvent::Kind::Contact) {
        if (m_event.contactUserId != m_event.from.telegramId) {
            askPhone(say(QT_TRANSLATE_NOOP(
                "Dialog", "This is someone else's contact. Please share your own number or type it.")));
            return;
        }
        QString shared = m_event.contactPhone.trimmed();
        if (!shared.startsWith(u'+'))
            shared.prepend(u'+'); // Telegram sends contacts in international form without the plus
        const auto phone = PhoneNumber::normalize(shared);
        if (!phone) {
            askPhone(PhoneNumber::explain(phone.error()));
            return;
        }
        complete(*phone);
        return;
    }
    if (m_event.kind != IncomingEvent::Kind::Text) {
        askPhone(
            say(QT_TRANSLATE_NOOP("Dialog", "Please share your number with the button below or type it.")));
        return;
    }
    const auto phone = PhoneNumber::normalize(m_event.text);
    if (!phone) {
        askPhone(PhoneNumber::explain(phone.error()));
        return;
    }
    complete(*phone);
}

void Dialog::Turn::complete(const QString& phone)
{
    const QString name = m_result.data.value(u"name"_s).toString();
    const QString packageCode = m_result.data.value(u"package"_s).toString();
    const bool updating = m_result.data.value(u"mode"_s).toString() == "update"_L1;
    m_port.record(u"phone_entered"_s, packageCode);
    setState(StateMenu, {});
    const QJsonObject removeKeyboard{{u"remove_keyboard"_s, true}};

    if (updating) {
        // The open application may have been closed meanwhile: then these contacts make a new one.
        if (const std::optional<Application> open = m_port.openApplication()) {
            const Application updated = m_port.updateContacts(open->id, name, phone);
            m_port.record(u"application_updated"_s, updated.packageCode, {{u"number"_s, updated.number}});
            send(say(QT_TRANSLATE_NOOP("Dialog", "The contact details of application №%1 have been updated."))
                     .arg(updated.number),
                 removeKeyboard);
            notifyManagers(m_texts.text(Language::Russian, "Dialog",
                                        QT_TRANSLATE_NOOP("Dialog", "✏️ Contacts updated")),
                           updated);
            mainMenu(false);
            return;
        }
    }
    const CreateApplicationResult result = m_port.createApplication(name, phone, packageCode);
    if (!result.created) {
        // Another update of this user won the race (two fast taps): never a second application.
        send(say(QT_TRANSLATE_NOOP("Dialog", "Your contacts were not saved as a new application.")),
             removeKeyboard);
        duplicate(result.application, packageCode);
        return;
    }
    const Application& a = result.application;
    m_port.record(u"application_created"_s, a.packageCode,
                  a.packageCode.isEmpty()
                      ? QJsonObject{{u"number"_s, a.number}}
                      : QJsonObject{{u"number"_s, a.number}, {u"package"_s, a.packageCode}});
    send(say(QT_TRANSLATE_NOOP("Dialog", "Thank you, %1! Your application №%2 has been accepted.\nPackage: "
                                         "%3\n\nA manager will contact you "
                                         "soon. To check the status, send /status."))
             .arg(BotTexts::html(name))
             .arg(a.number)
             .arg(BotTexts::html(packageTitle(a.packageCode))),
         removeKeyboard);
    notifyManagers(
        m_texts.text(Language::Russian, "Dialog", QT_TRANSLATE_NOOP("Dialog", "🆕 New application")), a);
    mainMenu(false);
}

void Dialog::Turn::notifyManagers(const QString& headline, const Application& a)
{
    const std::optional<qint64> chat = m_dialog.m_settings.managerChatId;
    if (!chat)
        return;
    // Managers read Russian; everything the user typed is escaped.
    auto ru = [this](const char* source) {
        return m_texts.text(Language::Russian, "Dialog", source);
    };
    const QString user = m_event.from.username.isEmpty()
                             ? u"<a href=\"tg://user?id=%1\">%2</a>"_s.arg(m_event.from.telegramId)
                                   .arg(BotTexts::html(m_event.from.firstName.isEmpty()
                                                           ? QString::number(m_event.from.telegramId)
                                                           : m_event.from.firstName))
                             : u"@"_s + BotTexts::html(m_event.from.username);
    const QString package =
        a.packageCode.isEmpty()
            ? ru(QT_TRANSLATE_NOOP("Dialog", "no package chosen"))
            : BotTexts::html(findPackage(a.packageCode) ? findPackage(a.packageCode)->title : a.packageCode);
    const QString body = u"<b>%1 №%2</b>\n"_s.arg(BotTexts::html(headline)).arg(a.number) +
                         ru(QT_TRANSLATE_NOOP("Dialog", "Name: %1")).arg(BotTexts::html(a.name)) + u'\n' +
                         ru(QT_TRANSLATE_NOOP("Dialog", "Phone: %1")).arg(BotTexts::html(a.phone)) + u'\n' +
                         ru(QT_TRANSLATE_NOOP("Dialog", "User: %1")).arg(user) + u'\n' +
                         ru(QT_TRANSLATE_NOOP("Dialog", "Package: %1")).arg(package) + u'\n' +
                         ru(QT_TRANSLATE_NOOP("Dialog", "Time: %1")).arg(m_texts.dateTime(a.updatedAt));
    m_result.messages.append({*chat,
                              u"sendMessage"_s,
                              {{u"chat_id"_s, *chat},
                               {u"text"_s, body},
                               {u"parse_mode"_s, u"HTML"_s},
                               {u"disable_web_page_preview"_s, true}},
                              true});
}

void Dialog::Turn::handleCommand()
{
    const QString& c = m_event.command;
    if (c == "start"_L1 || c == "menu"_L1 || c == "help"_L1) {
        m_port.record(c == "start"_L1 ? u"start"_s : u"menu"_s);
        setState(StateMenu, {});
        mainMenu(false);
    } else if (c == "status"_L1) {
        status();
    } else if (c == "cancel"_L1) {
        m_port.record(u"cancel"_s);
        setState(StateMenu, {});
        send(say(QT_TRANSLATE_NOOP("Dialog", "There is nothing to cancel.")));
        mainMenu(false);
    } else if (c == "packages"_L1) {
        m_port.record(u"packages"_s);
        packages(false);
    } else if (c == "apply"_L1) {
        startForm({});
    } else {
        freeText();
    }
}

void Dialog::Turn::handleCallback()
{
    const QString& d = m_event.callbackData;
    if (d == CbMenu) {
        m_port.record(u"menu"_s);
        setState(StateMenu, {});
        mainMenu(true);
    } else if (d == CbPackages) {
        m_port.record(u"packages"_s);
        setState(StateMenu, m_result.state == QLatin1String(StateMenu) ? m_result.data : QJsonObject{});
        packages(true);
    } else if (d.startsWith(CbPackagePrefix)) {
        if (m_result.state != QLatin1String(StateMenu))
            setState(StateMenu, {});
        packageCard(d.mid(CbPackagePrefix.size()));
    } else if (d == CbApply) {
        startForm({});
    } else if (d.startsWith(CbApplyPrefix)) {
        startForm(d.mid(CbApplyPrefix.size()));
    } else if (d == CbStatus) {
        setState(StateMenu, {});
        status();
    } else if (d == CbAbout) {
        setState(StateMenu, {});
        about();
    } else if (d == CbContacts) {
        setState(StateMenu, {});
        contacts();
    } else if (d == CbUpdateContacts) {
        startContactsUpdate();
    } else if (d.startsWith(CbSwitchPrefix)) {
        switchPackage(d.mid(CbSwitchPrefix.size()));
    } else {
        // A button from a version of the menu that no longer exists.
        answerCallback(say(QT_TRANSLATE_NOOP("Dialog", "The menu has changed. Here is the current one.")));
        setState(StateMenu, {});
        mainMenu(true);
    }
    answerCallback();
}

DialogResult Dialog::Turn::run()
{
    if (!m_event.privateChat) {
        answerCallback(); // never leave a spinner, but the bot does not talk in groups
        return m_result;
    }
    if (!handleFormInput()) {
        switch (m_event.kind) {
        case IncomingEvent::Kind::Command:
            handleCommand();
            break;
        case IncomingEvent::Kind::Callback:
            handleCallback();
            break;
        case IncomingEvent::Kind::Text:
            if (isLabel(m_event.text, "🏠 Main menu") || isLabel(m_event.text, "❌ Cancel")) {
                m_port.record(u"menu"_s);
                setState(StateMenu, {});
                mainMenu(false);
            } else {
                freeText();
            }
            break;
        case IncomingEvent::Kind::Contact:
        case IncomingEvent::Kind::Other:
            freeText();
            break;
        }
    }
    answerCallback();
    return m_result;
}

Dialog::Dialog(const BotTexts& texts, DialogSettings settings)
    : m_texts(texts)
    , m_settings(std::move(settings))
{}

DialogResult Dialog::handle(const IncomingEvent& event, const QString& state, const QJsonObject& data,
                            DialogPort& port) const
{
    Turn turn(*this, event, state, data, port);
    return turn.run();
}

QList<OutgoingMessage> Dialog::apology(const IncomingEvent& event) const
{
    QList<OutgoingMessage> messages;
    if (event.kind == IncomingEvent::Kind::Callback && !event.callbackId.isEmpty())
        messages.append(
            {event.chatId, u"answerCallbackQuery"_s, {{u"callback_query_id"_s, event.callbackId}}, false});
    if (event.chatId != 0 && event.privateChat) {
        const QString text =
            m_texts.text(BotTexts::languageFor(event.from.languageCode), "Dialog",
                         QT_TRANSLATE_NOOP("Dialog", "Sorry, something went wrong on our side. Please try "
                                                     "again in a minute or send /start to open the menu."));
        messages.append(
            {event.chatId, u"sendMessage"_s, {{u"chat_id"_s, event.chatId}, {u"text"_s, text}}, false});
    }
    return messages;
}

} // namespace salesbot
