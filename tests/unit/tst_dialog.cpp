// The dialog as a pure state machine, against an in-memory port: the spec's texts and exact labels,
// the form with its checks, duplicates, status, cancel, free text, stale buttons, English.

#include "BotTexts.h"
#include "Dialog.h"

#include <QJsonArray>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;

namespace {

class FakePort final : public DialogPort
{
public:
    FakePort()
    {
        m_packages = {{u"basic"_s,
                       u"Базовый"_s,
                       u"Бот для ответов"_s,
                       {u"Меню и кнопки"_s},
                       15000,
                       u"5 рабочих дней"_s,
                       10,
                       true,
                       {}},
                      {u"advanced"_s,
                       u"Продвинутый"_s,
                       u"Бот для продаж"_s,
                       {u"CRM"_s},
                       45000,
                       u"2–3 недели"_s,
                       20,
                       true,
                       {}},
                      {u"premium"_s,
                       u"Премиум"_s,
                       u"AI-ассистент"_s,
                       {u"Нейросеть"_s},
                       120000,
                       u"4–6 недель"_s,
                       30,
                       true,
                       {}}};
    }

    const QList<Package>& packages() override { return m_packages; }
    std::optional<Application> openApplication() override
    {
        for (const Application& a : std::as_const(applications)) {
            if (ApplicationStatuses::isOpen(a.status))
                return a;
        }
        return std::nullopt;
    }
    std::optional<Application> latestApplication() override
    {
        if (applications.isEmpty())
            return std::nullopt;
        return applications.constLast();
    }
    CreateApplicationResult createApplication(const QString& name, const QString& phone,
                                              const QString& packageCode) override
    {
        if (raceWinner)
            return {false, *raceWinner};
        if (auto open = openApplication())
            return {false, *open};
        Application a;
        a.id = applications.size() + 1;
        a.number = 1000 + a.id;
        a.name = name;
        a.phone = phone;
        a.packageCode = packageCode;
        a.createdAt = a.updatedAt = QDateTime(QDate(2026, 11, 25), QTime(9, 30), Qt::UTC);
        a.version = 1;
        applications.append(a);
        return {true, a};
    }
    Application updateContacts(qint64 id, const QString& name, const QString& phone) override
    {
        Application& a = applications[id - 1];
        a.name = name;
        a.phone = phone;
        ++a.version;
        return a;
    }
    Application changePackage(qint64 id, const QString& code) override
    {
        Application& a = applications[id - 1];
        a.packageCode = code;
        ++a.version;
        return a;
    }
    void record(const QString& action, const QString& packageCode, const QJsonObject& data) override
    {
        events.append({action, packageCode, data});
    }

    struct Event
    {
        QString action;
        QString packageCode;
        QJsonObject data;
    };
    QList<Application> applications;
    QList<Event> events;
    std::optional<Application> raceWinner;

private:
    QList<Package> m_packages;
};

QStringList labels(const QJsonObject& payload)
{
    QStringList result;
    const QJsonObject markup = payload.value(u"reply_markup"_s).toObject();
    for (const QString& key : {u"inline_keyboard"_s, u"keyboard"_s}) {
        for (const QJsonValue& row : markup.value(key).toArray()) {
            for (const QJsonValue& b : row.toArray())
                result << b.toObject().value(u"text"_s).toString();
        }
    }
    return result;
}

QString dataOf(const QJsonObject& payload, const QString& label)
{
    for (const QJsonValue& row :
         payload.value(u"reply_markup"_s).toObject().value(u"inline_keyboard"_s).toArray()) {
        for (const QJsonValue& b : row.toArray()) {
            if (b.toObject().value(u"text"_s).toString() == label)
                return b.toObject().value(u"callback_data"_s).toString();
        }
    }
    return {};
}

} // namespace

class TestDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void russianTranslationIsEmbedded();
    void startShowsTheMainMenu();
    void myApplicationButtonOnlyWithAnApplication();
    void packagesListAndCardEditInPlace();
    void fullFormFromACardRemembersThePackage();
    void invalidNameAndPhoneAreAskedAgain_data();
    void invalidNameAndPhoneAreAskedAgain();
    void someoneElsesContactIsRefused();
    void ownContactIsAccepted();
    void duplicateOffersUpdateAndSwitch();
    void switchPackage();
    void updateContacts();
    void raceLostGivesTheDuplicateMessage();
    void statusWithAndWithoutApplication();
    void cancelAtAnyStep();
    void freeTextStickersAndUnknownCommands();
    void staleAndUnknownButtons();
    void everyCallbackIsAnsweredOnce();
    void managerNotificationEscapesUserText();
    void englishForEnUsers();

private:
    DialogResult send(const IncomingEvent& e);
    IncomingEvent text(const QString& t);
    IncomingEvent command(const QString& c);
    IncomingEvent callback(const QString& data, qint64 messageId = 77);
    IncomingEvent contact(qint64 userId, const QString& phone);
    QString lastText() const;
    QJsonObject lastPayload(const QString& method = u"sendMessage"_s) const;

    std::unique_ptr<BotTexts> m_texts;
    std::unique_ptr<Dialog> m_dialog;
    FakePort m_port;
    QString m_state;
    QJsonObject m_data;
    DialogResult m_last;
    TelegramProfile m_user{42, u"anna"_s, u"Анна"_s, {}, u"ru"_s};
    qint64 m_managers = -100500;
};

void TestDialog::init()
{
    m_texts = std::make_unique<BotTexts>();
    m_dialog = std::make_unique<Dialog>(*m_texts, DialogSettings{m_managers, {}});
    m_port = FakePort();
    m_state.clear();
    m_data = {};
    m_user = {42, u"anna"_s, u"Анна"_s, {}, u"ru"_s};
}

DialogResult TestDialog::send(const IncomingEvent& e)
{
    m_last = m_dialog->handle(e, m_state, m_data, m_port);
    m_state = m_last.state;
    m_data = m_last.data;
    return m_last;
}

IncomingEvent TestDialog::text(const QString& t)
{
    IncomingEvent e;
    e.kind = IncomingEvent::Kind::Text;
    e.chatId = m_user.telegramId;
    e.from = m_user;
    e.text = t;
    return e;
}

IncomingEvent TestDialog::command(const QString& c)
{
    IncomingEvent e = text({});
    e.kind = IncomingEvent::Kind::Command;
    e.command = c;
    return e;
}

IncomingEvent TestDialog::callback(const QString& data, qint64 messageId)
{
    IncomingEvent e = text({});
    e.kind = IncomingEvent::Kind::Callback;
    e.callbackId = u"cb-"_s + data;
    e.callbackData = data;
    e.callbackMessageId = messageId;
    return e;
}

IncomingEvent TestDialog::contact(qint64 userId, const QString& phone)
{
    IncomingEvent e = text({});
    e.kind = IncomingEvent::Kind::Contact;
    e.contactUserId = userId;
    e.contactPhone = phone;
    return e;
}

QJsonObject TestDialog::lastPayload(const QString& method) const
{
    for (auto it = m_last.messages.crbegin(); it != m_last.messages.crend(); ++it) {
        if (it->method == method && it->chatId == m_user.telegramId)
            return it->payload;
    }
    return {};
}

QString TestDialog::lastText() const
{
    return lastPayload().value(u"text"_s).toString();
}

void TestDialog::russianTranslationIsEmbedded()
{
    QVERIFY(m_texts->hasRussian());
}

void TestDialog::startShowsTheMainMenu()
{
    send(command(u"start"_s));
    QCOMPARE(m_last.messages.size(), 1);
    const QJsonObject p = lastPayload();
    QVERIFY(p.value(u"text"_s).toString().contains(u"Анна"_s));
    QVERIFY(p.value(u"text"_s).toString().contains(u"AI-решения"_s));
    QCOMPARE(labels(p), (QStringList{u"📦 Пакеты услуг"_s, u"📝 Оставить заявку"_s,
                                     u"ℹ️ О компании"_s, u"📞 Контакты"_s}));
    QCOMPARE(m_port.events.constFirst().action, u"start"_s);
    QCOMPARE(p.value(u"chat_id"_s).toInteger(), 42);
    QCOMPARE(p.value(u"parse_mode"_s).toString(), u"HTML"_s);
}

void TestDialog::myApplicationButtonOnlyWithAnApplication()
{
    m_port.createApplication(u"Анна"_s, u"+79161234567"_s, {});
    send(command(u"menu"_s));
    QCOMPARE(labels(lastPayload()),
             (QStringList{u"📦 Пакеты услуг"_s, u"📝 Оставить заявку"_s, u"🔎 Моя заявка"_s,
                          u"ℹ️ О компании"_s, u"📞 Контакты"_s}));
    QCOMPARE(m_port.events.constFirst().action, u"menu"_s);
}

void TestDialog::packagesListAndCardEditInPlace()
{
    send(callback(u"p"_s, 77));
    const QJsonObject list = lastPayload(u"editMessageText"_s);
    QCOMPARE(list.value(u"message_id"_s).toInteger(), 77);
    QCOMPARE(list.value(u"text"_s).toString(), u"Выберите пакет, чтобы узнать подробности:"_s);
    QCOMPARE(labels(list), (QStringList{u"Базовый — от 15 000 ₽"_s,
                                        u"Продвинутый — от 45 000 ₽"_s,
                                        u"Премиум — от 120 000 ₽"_s, u"⬅️ Назад"_s}));
    QCOMPARE(m_port.events.constLast().action, u"packages"_s);

    send(callback(dataOf(list, u"Премиум — от 120 000 ₽"_s), 77));
    const QJsonObject card = lastPayload(u"editMessageText"_s);
    const QString body = card.value(u"text"_s).toString();
    QVERIFY(body.contains(u"Премиум"_s));
    QVERIFY(body.contains(u"AI-ассистент"_s));
    QVERIFY(body.contains(u"Нейросеть"_s));
    QVERIFY(body.contains(u"4–6 недель"_s));
    QVERIFY(body.contains(u"120 000"_s));
    QCOMPARE(labels(card), (QStringList{u"📝 Оставить заявку на этот пакет"_s, u"⬅️ К пакетам"_s,
                                        u"🏠 Главное меню"_s}));
    QCOMPARE(m_port.events.constLast().action, u"package_view"_s);
    QCOMPARE(m_port.events.constLast().packageCode, u"premium"_s);
    QCOMPARE(m_data.value(u"viewed"_s).toString(), u"premium"_s);
}

void TestDialog::fullFormFromACardRemembersThePackage()
{
    send(callback(u"p:advanced"_s));
    send(callback(dataOf(lastPayload(u"editMessageText"_s), u"📝 Оставить заявку на этот пакет"_s)));
    QCOMPARE(m_state, u"form_name"_s);
    QCOMPARE(m_data.value(u"package"_s).toString(), u"advanced"_s);
    QCOMPARE(lastText(), u"Как к вам обращаться? Напишите, пожалуйста, ваше имя."_s);
    QCOMPARE(m_port.events.constLast().action, u"apply_start"_s);

    send(text(u"  Анна   Петрова "_s));
    QCOMPARE(m_state, u"form_phone"_s);
    QCOMPARE(m_data.value(u"name"_s).toString(), u"Анна Петрова"_s);
    QVERIFY(lastText().startsWith(
        u"Оставьте номер телефона для связи: нажмите кнопку ниже или введите номер вручную."_s));
    QCOMPARE(labels(lastPayload()), (QStringList{u"📱 Отправить номер"_s, u"❌ Отмена"_s}));
    const QJsonObject keyboard = lastPayload().value(u"reply_markup"_s).toObject();
    QVERIFY(keyboard.value(u"one_time_keyboard"_s).toBool());
    QVERIFY(keyboard.value(u"keyboard"_s)
                .toArray()
                .at(0)
                .toArray()
                .at(0)
                .toObject()
                .value(u"request_contact"_s)
                .toBool());

    send(text(u"8 (916) 123-45-67"_s));
    QCOMPARE(m_state, u"menu"_s);
    QCOMPARE(m_port.applications.size(), 1);
    QCOMPARE(m_port.applications.at(0).phone, u"+79161234567"_s);
    QCOMPARE(m_port.applications.at(0).packageCode, u"advanced"_s);
    QCOMPARE(m_port.applications.at(0).name, u"Анна Петрова"_s);
    // Thanks (keyboard removed), then the main menu; and the managers hear of it.
    const QList<OutgoingMessage> userMessages = [&] {
        QList<OutgoingMessage> r;
        for (const auto& m : m_last.messages)
            if (m.chatId == 42)
                r << m;
        return r;
    }();
    QCOMPARE(userMessages.size(), 2);
    const QString thanks = userMessages.at(0).payload.value(u"text"_s).toString();
    QVERIFY2(thanks.startsWith(u"Спасибо, Анна Петрова! Ваша заявка №1001 принята."_s), qPrintable(thanks));
    QVERIFY(thanks.contains(u"Продвинутый"_s));
    QVERIFY(thanks.contains(u"/status"_s));
    QVERIFY(
        userMessages.at(0).payload.value(u"reply_markup"_s).toObject().value(u"remove_keyboard"_s).toBool());
    QVERIFY(labels(userMessages.at(1).payload).contains(u"🔎 Моя заявка"_s));
    QStringList actions;
    for (const auto& e : std::as_const(m_port.events))
        actions << e.action;
    QCOMPARE(actions, (QStringList{u"package_view"_s, u"apply_start"_s, u"name_entered"_s, u"phone_entered"_s,
                                   u"application_created"_s}));
    QCOMPARE(m_port.events.constLast().data.value(u"number"_s).toInteger(), 1001);
    bool notified = false;
    for (const auto& m : m_last.messages)
        notified |= m.chatId == m_managers && m.proactive;
    QVERIFY(notified);
}

void TestDialog::invalidNameAndPhoneAreAskedAgain_data()
{
    QTest::addColumn<bool>("phoneStep");
    QTest::addColumn<QString>("input");
    QTest::newRow("empty name") << false << u"   "_s;
    QTest::newRow("digits only") << false << u"12345"_s;
    QTest::newRow("too long") << false << QString(65, u'я');
    QTest::newRow("control characters") << false << u"Ан\u0007на"_s;
    QTest::newRow("letters as phone") << true << u"call me maybe"_s;
    QTest::newRow("short phone") << true << u"12345"_s;
    QTest::newRow("no country code") << true << u"9161234567"_s;
    QTest::newRow("sql as phone") << true << u"'; DROP TABLE users;--"_s;
}

void TestDialog::invalidNameAndPhoneAreAskedAgain()
{
    QFETCH(bool, phoneStep);
    QFETCH(QString, input);
    send(command(u"apply"_s));
    if (phoneStep)
        send(text(u"Анна"_s));
    const QString stateBefore = m_state;
    const QJsonObject dataBefore = m_data;
    send(text(input));
    QCOMPARE(m_state, stateBefore);
    QCOMPARE(m_data, dataBefore);
    QVERIFY(!m_last.stateChanged);
    QVERIFY(m_port.applications.isEmpty());
    const QString reply = lastText();
    QVERIFY(reply.endsWith(phoneStep ? u"введите номер вручную."_s : u"ваше имя."_s));
    QVERIFY(reply.size() > 60); // an explanation precedes the question
}

void TestDialog::someoneElsesContactIsRefused()
{
    send(command(u"apply"_s));
    send(text(u"Анна"_s));
    send(contact(999, u"79160000000"_s));
    QCOMPARE(m_state, u"form_phone"_s);
    QVERIFY(m_port.applications.isEmpty());
}

void TestDialog::ownContactIsAccepted()
{
    send(command(u"apply"_s));
    send(text(u"Анна"_s));
    send(contact(42, u"79161234567"_s)); // Telegram sends it without '+'
    QCOMPARE(m_port.applications.size(), 1);
    QCOMPARE(m_port.applications.at(0).phone, u"+79161234567"_s);
    QCOMPARE(m_port.applications.at(0).packageCode, QString());
    QVERIFY(m_last.messages.at(0).payload.value(u"text"_s).toString().contains(u"пакет не выбран"_s));
}

void TestDialog::duplicateOffersUpdateAndSwitch()
{
    m_port.createApplication(u"Анна"_s, u"+79161234567"_s, u"basic"_s);
    send(callback(u"a:premium"_s));
    QCOMPARE(m_state, u"menu"_s);
    QVERIFY2(lastText().contains(u"№1001"_s), qPrintable(lastText()));
    QVERIFY(lastText().contains(u"25.11.2026"_s));
    QVERIFY(lastText().contains(u"Базовый"_s));
    QVERIFY(lastText().contains(u"Новая"_s));
    QCOMPARE(labels(lastPayload()), (QStringList{u"✏️ Обновить контакты"_s,
                                                 u"📦 Сменить пакет на «Премиум»"_s, u"🏠 Главное меню"_s}));
    QCOMPARE(m_port.events.constLast().action, u"duplicate_blocked"_s);
    // From the main menu (no package) or the same package's card: no switch offered.
    send(callback(u"a"_s));
    QCOMPARE(labels(lastPayload()),
             (QStringList{u"✏️ Обновить контакты"_s, u"🏠 Главное меню"_s}));
    send(callback(u"a:basic"_s));
    QCOMPARE(labels(lastPayload()),
             (QStringList{u"✏️ Обновить контакты"_s, u"🏠 Главное меню"_s}));
    QCOMPARE(m_port.applications.size(), 1);
}

void TestDialog::switchPackage()
{
    m_port.createApplication(u"Анна"_s, u"+79161234567"_s, u"basic"_s);
    send(callback(u"a:premium"_s));
    send(callback(dataOf(lastPayload(), u"📦 Сменить пакет на «Премиум»"_s)));
    QCOMPARE(m_port.applications.at(0).packageCode, u"premium"_s);
    QVERIFY(m_last.messages.at(1).payload.value(u"text"_s).toString().contains(u"«Премиум»"_s));
    QCOMPARE(m_port.events.constLast().action, u"application_updated"_s);
    // Pressing the same button again: the menu has changed.
    send(callback(u"w:premium"_s));
    QCOMPARE(m_port.applications.at(0).packageCode, u"premium"_s);
    QVERIFY(!m_last.messages.at(0).payload.value(u"text"_s).toString().isEmpty());
}

void TestDialog::updateContacts()
{
    m_port.createApplication(u"Анна"_s, u"+79161234567"_s, u"basic"_s);
    send(callback(u"u"_s));
    QCOMPARE(m_state, u"form_name"_s);
    send(text(u"Анна К."_s));
    send(text(u"+44 20 7946 0958"_s));
    QCOMPARE(m_port.applications.size(), 1);
    QCOMPARE(m_port.applications.at(0).phone, u"+442079460958"_s);
    QCOMPARE(m_port.applications.at(0).name, u"Анна К."_s);
    QCOMPARE(m_last.messages.at(0).payload.value(u"text"_s).toString(),
             u"Контактные данные по заявке №1001 обновлены."_s);
    QCOMPARE(m_port.events.constLast().action, u"application_updated"_s);
}

void TestDialog::raceLostGivesTheDuplicateMessage()
{
    send(command(u"apply"_s));
    send(text(u"Анна"_s));
    Application other;
    other.id = 9;
    other.number = 1009;
    other.packageCode = u"basic"_s;
    other.createdAt = QDateTime::currentDateTimeUtc();
    m_port.raceWinner = other;
    send(text(u"+79161234567"_s));
    QCOMPARE(m_state, u"menu"_s);
    QVERIFY(lastText().contains(u"№1009"_s));
    QCOMPARE(m_port.events.constLast().action, u"duplicate_blocked"_s);
}

void TestDialog::statusWithAndWithoutApplication()
{
    send(command(u"status"_s));
    QCOMPARE(labels(lastPayload()), (QStringList{u"📝 Оставить заявку"_s, u"🏠 Главное меню"_s}));
    QCOMPARE(m_port.events.constLast().action, u"status_check"_s);
    m_port.createApplication(u"Анна"_s, u"+79161234567"_s, u"premium"_s);
    m_port.applications[0].status = ApplicationStatus::InProgress;
    send(callback(u"s"_s));
    const QString body = lastPayload(u"editMessageText"_s).value(u"text"_s).toString();
    QVERIFY(body.contains(u"№1001"_s));
    QVERIFY(body.contains(u"25.11.2026"_s));
    QVERIFY(body.contains(u"Премиум"_s));
    QVERIFY(body.contains(u"В работе"_s));
}

void TestDialog::cancelAtAnyStep()
{
    for (int step = 0; step < 2; ++step) {
        send(command(u"apply"_s));
        if (step == 1)
            send(text(u"Анна"_s));
        send(step == 0 ? text(u"❌ Отмена"_s) : command(u"cancel"_s));
        QCOMPARE(m_state, u"menu"_s);
        QVERIFY(m_data.isEmpty());
        QCOMPARE(m_last.messages.at(0).payload.value(u"text"_s).toString(), u"Заявка отменена."_s);
        QVERIFY(labels(m_last.messages.at(1).payload).contains(u"📦 Пакеты услуг"_s));
        QCOMPARE(m_port.events.constLast().action, u"cancel"_s);
    }
    QVERIFY(m_port.applications.isEmpty());
}

void TestDialog::freeTextStickersAndUnknownCommands()
{
    send(text(QString(5000, u'x')));
    QCOMPARE(m_last.messages.size(), 2);
    QVERIFY(labels(m_last.messages.at(1).payload).contains(u"📝 Оставить заявку"_s));
    QCOMPARE(m_port.events.constLast().action, u"free_text"_s);
    QCOMPARE(m_port.events.constLast().data.value(u"text"_s).toString().size(), 1000);
    IncomingEvent sticker = text({});
    sticker.kind = IncomingEvent::Kind::Other;
    send(sticker);
    QCOMPARE(m_last.messages.size(), 2);
    send(command(u"frobnicate"_s));
    QCOMPARE(m_last.messages.size(), 2);
    QCOMPARE(m_port.events.constLast().data.value(u"command"_s).toString(), u"frobnicate"_s);
    send(text(u"<b>hi</b> & 'quotes'"_s));
    QVERIFY(!m_last.messages.isEmpty());
}

void TestDialog::staleAndUnknownButtons()
{
    send(callback(u"v0:some-old-button"_s));
    QCOMPARE(m_last.messages.at(0).method, u"answerCallbackQuery"_s);
    QVERIFY(!m_last.messages.at(0).payload.value(u"text"_s).toString().isEmpty());
    QVERIFY(labels(lastPayload(u"editMessageText"_s)).contains(u"📦 Пакеты услуг"_s));
    // A card of a package that left the catalog.
    send(callback(u"p:retired"_s));
    QCOMPARE(m_last.messages.at(0).method, u"answerCallbackQuery"_s);
    QVERIFY(!m_last.messages.at(0).payload.value(u"text"_s).toString().isEmpty());
    QCOMPARE(labels(lastPayload(u"editMessageText"_s)).constLast(), u"⬅️ Назад"_s);
    // Update contacts with no open application.
    send(callback(u"u"_s));
    QCOMPARE(m_state, u"menu"_s);
}

void TestDialog::everyCallbackIsAnsweredOnce()
{
    m_port.createApplication(u"Анна"_s, u"+79161234567"_s, u"basic"_s);
    for (const QString& data : {u"m"_s, u"p"_s, u"p:basic"_s, u"a"_s, u"a:premium"_s, u"s"_s, u"i"_s, u"c"_s,
                                u"u"_s, u"w:premium"_s, u"junk"_s, QString()}) {
        send(callback(data));
        int answers = 0;
        for (const auto& m : std::as_const(m_last.messages))
            answers += m.method == "answerCallbackQuery"_L1 ? 1 : 0;
        QVERIFY2(answers == 1, qPrintable(data));
        QCOMPARE(m_last.messages.at(0).method, u"answerCallbackQuery"_s);
        QCOMPARE(m_last.messages.at(0).payload.value(u"callback_query_id"_s).toString(), u"cb-"_s + data);
        QVERIFY(m_last.messages.size() >= 2);
    }
}

void TestDialog::managerNotificationEscapesUserText()
{
    m_user.username.clear();
    m_user.firstName = u"<b>Босс</b>"_s;
    send(command(u"apply"_s));
    send(text(u"Иван <script>alert(1)</script>"_s));
    send(text(u"+79161234567"_s));
    OutgoingMessage note;
    for (const auto& m : std::as_const(m_last.messages))
        if (m.chatId == m_managers)
            note = m;
    QVERIFY(note.proactive);
    const QString body = note.payload.value(u"text"_s).toString();
    QVERIFY2(body.contains(u"№1001"_s), qPrintable(body));
    QVERIFY(body.contains(u"+79161234567"_s));
    QVERIFY(body.contains(u"&lt;script&gt;"_s));
    QVERIFY(!body.contains(u"<script>"_s));
    QVERIFY(body.contains(u"tg://user?id=42"_s));
    QVERIFY(body.contains(u"&lt;b&gt;Босс&lt;/b&gt;"_s));
    QVERIFY(body.contains(u"пакет не выбран"_s));
    // With a username it is @username.
    m_user.username = u"anna_k"_s;
    m_port.applications.clear();
    send(command(u"apply"_s));
    send(text(u"Анна"_s));
    send(text(u"+79161234567"_s));
    for (const auto& m : std::as_const(m_last.messages))
        if (m.chatId == m_managers)
            QVERIFY(m.payload.value(u"text"_s).toString().contains(u"@anna_k"_s));
}

void TestDialog::englishForEnUsers()
{
    m_user.languageCode = u"en-GB"_s;
    send(command(u"start"_s));
    QCOMPARE(labels(lastPayload()),
             (QStringList{u"📦 Service packages"_s, u"📝 Apply"_s, u"ℹ️ About us"_s, u"📞 Contacts"_s}));
    send(command(u"apply"_s));
    send(text(u"Ann"_s));
    QCOMPARE(labels(lastPayload()), (QStringList{u"📱 Share my number"_s, u"❌ Cancel"_s}));
    send(text(u"❌ Отмена"_s)); // the Russian label works too
    QCOMPARE(m_state, u"menu"_s);
}

QTEST_GUILESS_MAIN(TestDialog)
#include "tst_dialog.moc"
