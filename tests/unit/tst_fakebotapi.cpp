// Tests FakeBotApi, the Telegram Bot API emulator, over real HTTP with QNetworkAccessManager as the client.

#include "FakeBotApi.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace Qt::StringLiterals;
using salesbot::test::FakeBotApi;

namespace {

struct Reply
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QJsonObject json;
    qint64 elapsedMs = 0;

    QJsonValue result() const { return json.value("result"_L1); }
    QString description() const { return json.value("description"_L1).toString(); }
};

QByteArray formEncode(const QList<std::pair<QString, QString>>& pairs)
{
    QByteArray out;
    for (const auto& [key, value] : pairs) {
        if (!out.isEmpty())
            out.append('&');
        out.append(QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value));
    }
    return out;
}

QJsonObject inlineKeyboard(const QList<std::pair<QString, QString>>& buttons)
{
    QJsonArray row;
    for (const auto& [text, data] : buttons)
        row.append(QJsonObject{{u"text"_s, text}, {u"callback_data"_s, data}});
    return QJsonObject{{u"inline_keyboard"_s, QJsonArray{row}}};
}

} // namespace

class TestFakeBotApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void getMe();
    void wrongTokenIsUnauthorized();
    void unknownMethodIsNotFound();
    void sendMessageIsRecorded();
    void parametersFromJsonFormAndQuery();
    void malformedJsonBodyIsBadRequest();
    void htmlIsChecked();
    void editMessageText();
    void getUpdatesOffsetConfirms();
    void getUpdatesLimit();
    void updateBuilders();
    void rawUpdatesAreVerbatim();
    void hostileTextRoundTrips();
    void sentHistoryOff();
    void longPollWakesOnPush();
    void longPollTimesOut();
    void longPollingOff();
    void secondGetUpdatesTerminatesTheHeldOne();
    void failNext();
    void dropNext();
    void delayNext();
    void blockedChat();
    void rateLimitPerChat();
    void rateLimitGlobal();
    void pressInlineButton();
    void pressReplyKeyboardButtons();
    void waitForSent();
    void keepAliveSequentialRequests();
    void burstOfParallelSends();
    void rawHttpPipeliningSplitAndClose();

private:
    QNetworkRequest request(const QUrl& url) const;
    QNetworkReply* post(const QString& method, const QJsonObject& params = {});
    Reply finish(QNetworkReply* reply, int timeoutMs = 10000);
    Reply call(const QString& method, const QJsonObject& params = {}) { return finish(post(method, params)); }
    Reply getUpdates(const QJsonObject& params = {}) { return call(u"getUpdates"_s, params); }

    std::unique_ptr<FakeBotApi> m_api;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

void TestFakeBotApi::init()
{
    m_api = std::make_unique<FakeBotApi>();
    QVERIFY(m_api->listen());
    m_network = std::make_unique<QNetworkAccessManager>();
}

void TestFakeBotApi::cleanup()
{
    m_network.reset();
    m_api.reset();
}

QNetworkRequest TestFakeBotApi::request(const QUrl& url) const
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    return request;
}

QNetworkReply* TestFakeBotApi::post(const QString& method, const QJsonObject& params)
{
    QNetworkRequest request = this->request(m_api->methodUrl(method));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply* reply = m_network->post(request, QJsonDocument(params).toJson(QJsonDocument::Compact));
    reply->setProperty("startedAtNs", m_api->nowNs());
    return reply;
}

Reply TestFakeBotApi::finish(QNetworkReply* reply, int timeoutMs)
{
    Reply result;
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(timeoutMs)) {
            reply->abort();
            result.error = QNetworkReply::TimeoutError;
        }
    }
    result.elapsedMs = (m_api->nowNs() - reply->property("startedAtNs").toLongLong()) / 1'000'000;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (result.error == QNetworkReply::NoError)
        result.error = reply->error();
    result.body = reply->readAll();
    result.json = QJsonDocument::fromJson(result.body).object();
    reply->deleteLater();
    return result;
}

void TestFakeBotApi::getMe()
{
    const Reply reply = call(u"getMe"_s);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value("ok"_L1), QJsonValue(true));
    const QJsonObject me = reply.result().toObject();
    QCOMPARE(me.value("id"_L1).toInteger(), 123456);
    QCOMPARE(me.value("is_bot"_L1), QJsonValue(true));
    QCOMPARE(me.value("first_name"_L1).toString(), u"Salesbot"_s);
    QCOMPARE(me.value("username"_L1).toString(), u"salesbot_test_bot"_s);
    QCOMPARE(m_api->requestCount(u"getMe"_s), 1);
    QCOMPARE(m_api->requestCount(u"GETME"_s), 1);
}

void TestFakeBotApi::wrongTokenIsUnauthorized()
{
    QUrl url = m_api->baseUrl();
    url.setPath(u"/bot999:WRONG/getMe"_s);
    const Reply reply = finish(m_network->get(request(url)));
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.body, QByteArray(R"({"ok":false,"error_code":401,"description":"Unauthorized"})"));
    QCOMPARE(m_api->requestCount(u"getMe"_s), 0);

    // Another token is accepted once set.
    m_api->setToken(u"999:WRONG"_s);
    QCOMPARE(finish(m_network->get(request(url))).status, 200);
}

void TestFakeBotApi::unknownMethodIsNotFound()
{
    const Reply reply = call(u"sendTelepathy"_s);
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.body, QByteArray(R"({"ok":false,"error_code":404,"description":"Not Found"})"));
    QCOMPARE(m_api->requestCount(u"sendTelepathy"_s), 1);

    QUrl url = m_api->baseUrl();
    url.setPath(u"/favicon.ico"_s);
    QCOMPARE(finish(m_network->get(request(url))).status, 404);
}

void TestFakeBotApi::sendMessageIsRecorded()
{
    QSignalSpy handled(m_api.get(), &FakeBotApi::requestHandled);
    const qint64 chat = 42;
    const Reply first = call(u"sendMessage"_s, {{u"chat_id"_s, chat}, {u"text"_s, u"Здравствуйте!"_s}});
    QCOMPARE(first.status, 200);
    const QJsonObject message = first.result().toObject();
    QCOMPARE(message.value("chat"_L1).toObject().value("id"_L1).toInteger(), chat);
    QCOMPARE(message.value("chat"_L1).toObject().value("type"_L1).toString(), u"private"_s);
    QCOMPARE(message.value("text"_L1).toString(), u"Здравствуйте!"_s);
    QVERIFY(message.value("date"_L1).toInteger() > 0);
    QVERIFY(!message.contains("reply_markup"_L1));

    const QJsonObject keyboard = inlineKeyboard({{u"Да"_s, u"yes"_s}, {u"Нет"_s, u"no"_s}});
    const Reply second = call(u"sendMessage"_s, {{u"chat_id"_s, chat},
                                                 {u"text"_s, u"Подтвердите"_s},
                                                 {u"parse_mode"_s, u"HTML"_s},
                                                 {u"reply_markup"_s, keyboard}});
    QCOMPARE(second.status, 200);
    QCOMPARE(second.result().toObject().value("reply_markup"_L1).toObject(), keyboard);
    const Reply other = call(u"sendMessage"_s, {{u"chat_id"_s, 43}, {u"text"_s, u"x"_s}});
    QCOMPARE(other.result().toObject().value("message_id"_L1).toInteger(), 1);

    const qint64 firstId = message.value("message_id"_L1).toInteger();
    const qint64 secondId = second.result().toObject().value("message_id"_L1).toInteger();
    QVERIFY(secondId > firstId);

    const QList<FakeBotApi::SentMessage> sent = m_api->sent(chat);
    QCOMPARE(sent.size(), 2);
    QCOMPARE(sent[0].method, u"sendMessage"_s);
    QCOMPARE(sent[0].chatId, chat);
    QCOMPARE(sent[0].messageId, firstId);
    QCOMPARE(sent[0].text, u"Здравствуйте!"_s);
    QCOMPARE(sent[1].messageId, secondId);
    QCOMPARE(sent[1].replyMarkup, keyboard);
    QCOMPARE(sent[1].params.value("parse_mode"_L1).toString(), u"HTML"_s);
    QVERIFY(sent[1].receivedAtNs >= sent[0].receivedAtNs);
    QVERIFY(sent[1].receivedAtNs <= m_api->nowNs());
    QCOMPARE(m_api->lastText(chat), u"Подтвердите"_s);
    QCOMPARE(m_api->lastMarkup(chat), keyboard);
    QCOMPARE(m_api->sent(999).size(), 0);
    QCOMPARE(m_api->totalSent(), 3);
    QCOMPARE(handled.size(), 3);
    QCOMPARE(handled[0][0].toString(), u"sendMessage"_s);
    QCOMPARE(handled[0][1].toLongLong(), chat);

    const QList<FakeBotApi::Request> all = m_api->allRequests();
    QCOMPARE(all.size(), 3);
    QCOMPARE(all[0].method, u"sendMessage"_s);
    QCOMPARE(all[0].httpStatus, 200);
    QCOMPARE(all[2].params.value("chat_id"_L1).toInteger(), 43);

    QCOMPARE(call(u"sendMessage"_s, {{u"chat_id"_s, chat}, {u"text"_s, u"  "_s}}).description(),
             u"Bad Request: message text is empty"_s);
    QCOMPARE(call(u"sendMessage"_s, {{u"text"_s, u"x"_s}}).description(), u"Bad Request: chat_id is empty"_s);
    QCOMPARE(call(u"sendMessage"_s, {{u"chat_id"_s, chat}, {u"text"_s, QString(4097, u'a')}}).description(),
             u"Bad Request: message is too long"_s);
    QCOMPARE(call(u"sendMessage"_s, {{u"chat_id"_s, chat},
                                     {u"text"_s, u"x"_s},
                                     {u"reply_markup"_s, inlineKeyboard({{u"x"_s, QString(65, u'd')}})}})
                 .description(),
             u"Bad Request: BUTTON_DATA_INVALID"_s);
    QCOMPARE(m_api->sent(chat).size(), 2);
}

void TestFakeBotApi::parametersFromJsonFormAndQuery()
{
    const QString text = u"Привет + мир & всё = 100%"_s;
    const QJsonObject keyboard = inlineKeyboard({{u"OK"_s, u"ok"_s}});

    // application/x-www-form-urlencoded, reply_markup as a JSON string
    QNetworkRequest form = request(m_api->methodUrl(u"sendMessage"_s));
    form.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
    const QByteArray body = formEncode(
        {{u"chat_id"_s, u"7"_s},
         {u"text"_s, text},
         {u"reply_markup"_s, QString::fromUtf8(QJsonDocument(keyboard).toJson(QJsonDocument::Compact))}});
    const Reply byForm = finish(m_network->post(form, body));
    QCOMPARE(byForm.status, 200);
    QCOMPARE(m_api->lastText(7), text);
    QCOMPARE(m_api->lastMarkup(7), keyboard);

    // query string with GET; '+' means a space
    QUrl url = m_api->methodUrl(u"sendMessage"_s);
    url.setQuery(u"chat_id=8&text=hello+world%21"_s);
    const Reply byQuery = finish(m_network->get(request(url)));
    QCOMPARE(byQuery.status, 200);
    QCOMPARE(m_api->lastText(8), u"hello world!"_s);

    // JSON body with chat_id as a string, reply_markup as a JSON string
    const Reply byJson = call(
        u"sendMessage"_s,
        {{u"chat_id"_s, u"9"_s},
         {u"text"_s, text},
         {u"reply_markup"_s, QString::fromUtf8(QJsonDocument(keyboard).toJson(QJsonDocument::Compact))}});
    QCOMPARE(byJson.status, 200);
    QCOMPARE(m_api->lastText(9), text);
    QCOMPARE(m_api->lastMarkup(9), keyboard);

    // query and JSON body together: the body wins
    QUrl mixed = m_api->methodUrl(u"sendMessage"_s);
    mixed.setQuery(u"chat_id=10&text=from%20query"_s);
    QNetworkRequest mixedRequest = request(mixed);
    mixedRequest.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QCOMPARE(finish(m_network->post(mixedRequest, R"({"text":"from body"})")).status, 200);
    QCOMPARE(m_api->lastText(10), u"from body"_s);

    // getUpdates parameters by query too
    m_api->pushText(1, u"a"_s);
    m_api->pushText(1, u"b"_s);
    QUrl updates = m_api->methodUrl(u"getUpdates"_s);
    updates.setQuery(u"offset=2&limit=10&timeout=0"_s);
    const Reply polled = finish(m_network->get(request(updates)));
    QCOMPARE(polled.result().toArray().size(), 1);
    QCOMPARE(m_api->confirmedOffset(), 2);
}

void TestFakeBotApi::malformedJsonBodyIsBadRequest()
{
    QNetworkRequest bad = request(m_api->methodUrl(u"sendMessage"_s));
    bad.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    const Reply reply = finish(m_network->post(bad, "{\"chat_id\": 1, \"text\": "));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json.value("error_code"_L1).toInt(), 400);
    QVERIFY(reply.description().startsWith("Bad Request"_L1));
}

void TestFakeBotApi::htmlIsChecked()
{
    const auto send = [this](const QString& text) {
        return call(u"sendMessage"_s, {{u"chat_id"_s, 3}, {u"text"_s, text}, {u"parse_mode"_s, u"HTML"_s}});
    };
    QCOMPARE(send(u"<b>Анна</b> &lt;3 &amp; <a href=\"https://x\">ссылка</a> <i>ok</i>"_s).status, 200);
    const Reply unclosed = send(u"<b>bold"_s);
    QCOMPARE(unclosed.status, 400);
    QCOMPARE(unclosed.description(),
             u"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""_s);
    const Reply unsupported = send(u"Ann <script>"_s);
    QCOMPARE(unsupported.description(),
             u"Bad Request: can't parse entities: Unsupported start tag \"script\" at byte offset 4"_s);
    QCOMPARE(send(u"1 < 2"_s).status, 400);
    QCOMPARE(send(u"<b>x</i>"_s).status, 400);
    // Without parse_mode the same text is plain.
    QCOMPARE(call(u"sendMessage"_s, {{u"chat_id"_s, 3}, {u"text"_s, u"1 < 2"_s}}).status, 200);
    QCOMPARE(m_api->sent(3).size(), 2);
}

void TestFakeBotApi::editMessageText()
{
    const qint64 chat = 5;
    const QJsonObject keyboard = inlineKeyboard({{u"A"_s, u"a"_s}});
    const Reply sent =
        call(u"sendMessage"_s, {{u"chat_id"_s, chat}, {u"text"_s, u"v1"_s}, {u"reply_markup"_s, keyboard}});
    const qint64 id = sent.result().toObject().value("message_id"_L1).toInteger();

    const Reply notFound =
        call(u"editMessageText"_s, {{u"chat_id"_s, chat}, {u"message_id"_s, id + 100}, {u"text"_s, u"x"_s}});
    QCOMPARE(notFound.status, 400);
    QCOMPARE(notFound.body,
             QByteArray(
                 R"({"ok":false,"error_code":400,"description":"Bad Request: message to edit not found"})"));
    QCOMPARE(
        call(u"editMessageText"_s, {{u"chat_id"_s, chat + 1}, {u"message_id"_s, id}, {u"text"_s, u"x"_s}})
            .description(),
        u"Bad Request: message to edit not found"_s);

    const Reply same = call(
        u"editMessageText"_s,
        {{u"chat_id"_s, chat}, {u"message_id"_s, id}, {u"text"_s, u"v1"_s}, {u"reply_markup"_s, keyboard}});
    QCOMPARE(same.status, 400);
    QCOMPARE(same.description(),
             u"Bad Request: message is not modified: specified new message content and reply "
             "markup are exactly the same as a current content and reply markup of the message"_s);

    const Reply edited = call(
        u"editMessageText"_s,
        {{u"chat_id"_s, chat}, {u"message_id"_s, id}, {u"text"_s, u"v2"_s}, {u"reply_markup"_s, keyboard}});
    QCOMPARE(edited.status, 200);
    const QJsonObject message = edited.result().toObject();
    QCOMPARE(message.value("message_id"_L1).toInteger(), id);
    QCOMPARE(message.value("text"_L1).toString(), u"v2"_s);
    QCOMPARE(message.value("reply_markup"_L1).toObject(), keyboard);
    QVERIFY(message.contains("edit_date"_L1));

    QList<FakeBotApi::SentMessage> records = m_api->sent(chat);
    QCOMPARE(records.size(), 2);
    QCOMPARE(records[1].method, u"editMessageText"_s);
    QCOMPARE(records[1].messageId, id);
    QCOMPARE(m_api->lastText(chat), u"v2"_s);

    // Same text without reply_markup removes the keyboard: that is a change.
    const Reply removed =
        call(u"editMessageText"_s, {{u"chat_id"_s, chat}, {u"message_id"_s, id}, {u"text"_s, u"v2"_s}});
    QCOMPARE(removed.status, 200);
    QVERIFY(!removed.result().toObject().contains("reply_markup"_L1));
    QVERIFY(m_api->buttons(chat).isEmpty());

    m_api->setEditReturnsTrue(true);
    const Reply asTrue =
        call(u"editMessageText"_s, {{u"chat_id"_s, chat}, {u"message_id"_s, id}, {u"text"_s, u"v3"_s}});
    QCOMPARE(asTrue.status, 200);
    QCOMPARE(asTrue.result(), QJsonValue(true));
    QCOMPARE(m_api->sent(chat).size(), 4);
    QCOMPARE(m_api->requestCount(u"editMessageText"_s), 6);
}

void TestFakeBotApi::getUpdatesOffsetConfirms()
{
    QCOMPARE(m_api->pushText(11, u"one"_s), 1);
    QCOMPARE(m_api->pushText(11, u"two"_s), 2);
    QCOMPARE(m_api->pushText(12, u"three"_s), 3);

    const QJsonArray all = getUpdates().result().toArray();
    QCOMPARE(all.size(), 3);
    QCOMPARE(all[0].toObject().value("update_id"_L1).toInteger(), 1);
    QCOMPARE(all[2].toObject().value("update_id"_L1).toInteger(), 3);
    QCOMPARE(all[2].toObject().value("message"_L1).toObject().value("text"_L1).toString(), u"three"_s);
    QCOMPARE(m_api->confirmedOffset(), 0);

    // Delivered but unconfirmed updates come again.
    QCOMPARE(getUpdates().result().toArray().size(), 3);

    const QJsonArray fromTwo = getUpdates({{u"offset"_s, 2}}).result().toArray();
    QCOMPARE(fromTwo.size(), 2);
    QCOMPARE(fromTwo[0].toObject().value("update_id"_L1).toInteger(), 2);
    QCOMPARE(m_api->confirmedOffset(), 2);
    QCOMPARE(m_api->pendingUpdateCount(), 2);

    // Update 1 is forgotten even for a later call without an offset.
    const QJsonArray again = getUpdates().result().toArray();
    QCOMPARE(again.size(), 2);
    QCOMPARE(again[0].toObject().value("update_id"_L1).toInteger(), 2);

    QCOMPARE(getUpdates({{u"offset"_s, 4}}).result().toArray().size(), 0);
    QCOMPARE(m_api->pendingUpdateCount(), 0);
    QCOMPARE(m_api->confirmedOffset(), 4);
    QCOMPARE(m_api->getUpdatesCalls(), 5);

    m_api->setNextUpdateId(1000);
    QCOMPARE(m_api->pushText(11, u"later"_s), 1000);
    QCOMPARE(m_api->pushText(11, u"later"_s), 1001);
    QVERIFY(m_api->pushedAtNs(1000) > 0);
    QVERIFY(m_api->pushedAtNs(1001) >= m_api->pushedAtNs(1000));
    QCOMPARE(m_api->pushedAtNs(999), -1);
}

void TestFakeBotApi::getUpdatesLimit()
{
    for (int i = 0; i < 150; ++i)
        m_api->pushText(100 + i, u"hi"_s);
    QCOMPARE(getUpdates().result().toArray().size(), 100);
    const QJsonArray two = getUpdates({{u"limit"_s, 2}}).result().toArray();
    QCOMPARE(two.size(), 2);
    QCOMPARE(two[1].toObject().value("update_id"_L1).toInteger(), 2);
    QCOMPARE(getUpdates({{u"limit"_s, 500}}).result().toArray().size(), 100);
    const QJsonArray rest = getUpdates({{u"offset"_s, 101}, {u"limit"_s, 100}}).result().toArray();
    QCOMPARE(rest.size(), 50);
    QCOMPARE(rest[0].toObject().value("update_id"_L1).toInteger(), 101);
    QCOMPARE(rest[49].toObject().value("update_id"_L1).toInteger(), 150);
}

void TestFakeBotApi::updateBuilders()
{
    const qint64 user = 555;
    m_api->pushCommand(user, u"/start promo"_s, u"en"_s, u"John"_s, u"john_doe"_s);
    m_api->pushContact(user, user, u"+79161234567"_s);
    m_api->pushSticker(user);
    m_api->pushText(user, u"hello"_s);
    const QJsonArray updates = getUpdates().result().toArray();
    QCOMPARE(updates.size(), 4);

    const QJsonObject command = updates[0].toObject().value("message"_L1).toObject();
    QCOMPARE(command.value("text"_L1).toString(), u"/start promo"_s);
    const QJsonObject entity = command.value("entities"_L1).toArray().at(0).toObject();
    QCOMPARE(entity.value("type"_L1).toString(), u"bot_command"_s);
    QCOMPARE(entity.value("offset"_L1).toInt(), 0);
    QCOMPARE(entity.value("length"_L1).toInt(), 6);
    const QJsonObject from = command.value("from"_L1).toObject();
    QCOMPARE(from.value("id"_L1).toInteger(), user);
    QCOMPARE(from.value("is_bot"_L1), QJsonValue(false));
    QCOMPARE(from.value("first_name"_L1).toString(), u"John"_s);
    QCOMPARE(from.value("username"_L1).toString(), u"john_doe"_s);
    QCOMPARE(from.value("language_code"_L1).toString(), u"en"_s);
    QCOMPARE(command.value("chat"_L1).toObject().value("id"_L1).toInteger(), user);
    QCOMPARE(command.value("chat"_L1).toObject().value("type"_L1).toString(), u"private"_s);
    QVERIFY(command.value("date"_L1).toInteger() > 1'600'000'000);

    const QJsonObject contact =
        updates[1].toObject().value("message"_L1).toObject().value("contact"_L1).toObject();
    QCOMPARE(contact.value("phone_number"_L1).toString(), u"+79161234567"_s);
    QCOMPARE(contact.value("user_id"_L1).toInteger(), user);
    QCOMPARE(contact.value("first_name"_L1).toString(), u"John"_s);
    QVERIFY(updates[2].toObject().value("message"_L1).toObject().contains("sticker"_L1));

    // Message ids increase per chat.
    qint64 previous = 0;
    for (const QJsonValue& update : updates) {
        const qint64 id = update.toObject().value("message"_L1).toObject().value("message_id"_L1).toInteger();
        QVERIFY(id > previous);
        previous = id;
    }
    // pushText sets the profile back to its defaults.
    const QJsonObject text = updates[3].toObject().value("message"_L1).toObject();
    QCOMPARE(text.value("from"_L1).toObject().value("first_name"_L1).toString(), u"Анна"_s);
    QCOMPARE(text.value("from"_L1).toObject().value("language_code"_L1).toString(), u"ru"_s);
    QVERIFY(!text.value("from"_L1).toObject().contains("username"_L1));
}

void TestFakeBotApi::rawUpdatesAreVerbatim()
{
    const QByteArray garbage = R"({"update_id": 7, "message": "garbage"})";
    QCOMPARE(m_api->pushRawUpdate(garbage), 7);
    QCOMPARE(m_api->pushRawUpdate(9, "[1,2,"), 9); // not even JSON on its own
    QCOMPARE(m_api->pushText(1, u"next"_s), 10);
    const Reply reply = getUpdates({{u"limit"_s, 1}});
    QCOMPARE(reply.body, QByteArray(R"({"ok":true,"result":[{"update_id": 7, "message": "garbage"}]})"));
    const Reply rest = getUpdates({{u"offset"_s, 8}});
    QVERIFY(rest.body.startsWith(R"({"ok":true,"result":[[1,2,,{)"));
    QCOMPARE(getUpdates({{u"offset"_s, 10}}).result().toArray().size(), 1);
}

void TestFakeBotApi::hostileTextRoundTrips()
{
    // Every control character, quotes, backslashes, markup, SQL, Cyrillic, an emoji and U+2028: the
    // emulator writes its JSON itself, and what it writes must read back as what was given.
    QString hostile =
        u"\"quoted\" \\ back\\\\slash \\\" '; DROP TABLE users; -- <b>&amp;</b> Анна 😀 \u2028 "_s;
    for (char16_t c = 0; c < 0x20; ++c)
        hostile.append(QChar(c));
    hostile.append(u'\x7f');
    const qint64 user = 777;
    m_api->pushText(user, hostile, u"en"_s, hostile, u"user_\"x"_s);
    m_api->pushCommand(user, u"/start "_s + hostile, u"ru"_s, u"Бо\\б"_s);
    const QJsonArray updates = getUpdates().result().toArray();
    QCOMPARE(updates.size(), 2);
    const QJsonObject text = updates[0].toObject().value("message"_L1).toObject();
    QCOMPARE(text.value("text"_L1).toString(), hostile);
    QCOMPARE(text.value("from"_L1).toObject().value("first_name"_L1).toString(), hostile);
    QCOMPARE(text.value("from"_L1).toObject().value("username"_L1).toString(), u"user_\"x"_s);
    QCOMPARE(text.value("chat"_L1).toObject().value("first_name"_L1).toString(), hostile);
    const QJsonObject command = updates[1].toObject().value("message"_L1).toObject();
    QCOMPARE(command.value("text"_L1).toString(), u"/start "_s + hostile);
    QCOMPARE(command.value("from"_L1).toObject().value("first_name"_L1).toString(), u"Бо\\б"_s);

    const QJsonObject keyboard = inlineKeyboard({{hostile.left(20), u"d\"\\"_s}});
    const Reply sent =
        call(u"sendMessage"_s, {{u"chat_id"_s, user}, {u"text"_s, hostile}, {u"reply_markup"_s, keyboard}});
    QCOMPARE(sent.status, 200);
    const QJsonObject message = sent.result().toObject();
    QCOMPARE(message.value("text"_L1).toString(), hostile);
    QCOMPARE(message.value("reply_markup"_L1).toObject(), keyboard);

    m_api->pushCallback(user, message.value("message_id"_L1).toInteger(), u"d\"\\"_s);
    const QJsonArray more =
        getUpdates({{u"offset"_s, updates[1].toObject().value("update_id"_L1).toInteger() + 1}})
            .result()
            .toArray();
    QCOMPARE(more.size(), 1);
    const QJsonObject query = more[0].toObject().value("callback_query"_L1).toObject();
    QCOMPARE(query.value("data"_L1).toString(), u"d\"\\"_s);
    QCOMPARE(query.value("message"_L1).toObject().value("text"_L1).toString(), hostile);
    QCOMPARE(query.value("message"_L1).toObject().value("reply_markup"_L1).toObject(), keyboard);
    QCOMPARE(query.value("from"_L1).toObject().value("first_name"_L1).toString(), u"Бо\\б"_s);

    const Reply edited = call(u"editMessageText"_s, {{u"chat_id"_s, user},
                                                     {u"message_id"_s, message.value("message_id"_L1)},
                                                     {u"text"_s, hostile + u'!'}});
    QCOMPARE(edited.status, 200);
    QCOMPARE(edited.result().toObject().value("text"_L1).toString(), hostile + u'!');
    QVERIFY(edited.result().toObject().value("edit_date"_L1).toInteger() > 1'600'000'000);
    QVERIFY(!edited.result().toObject().contains("reply_markup"_L1));
}

void TestFakeBotApi::sentHistoryOff()
{
    m_api->setSentHistoryEnabled(false);
    QCOMPARE(call(u"sendMessage"_s, {{u"chat_id"_s, 5}, {u"text"_s, u"one"_s}}).status, 200);
    const Reply second = call(u"sendMessage"_s, {{u"chat_id"_s, 5}, {u"text"_s, u"two"_s}});
    QCOMPARE(m_api->sent(5).size(), 1);
    QCOMPARE(m_api->sent(5).constFirst().text, u"two"_s);
    QCOMPARE(m_api->sent(5).constFirst().messageId,
             second.result().toObject().value("message_id"_L1).toInteger());
    QCOMPARE(m_api->totalSent(), 2);
    // The messages themselves stay: the first can still be edited.
    QCOMPARE(
        call(u"editMessageText"_s, {{u"chat_id"_s, 5}, {u"message_id"_s, 1}, {u"text"_s, u"uno"_s}}).status,
        200);
    QCOMPARE(m_api->lastText(5), u"uno"_s);
}

void TestFakeBotApi::longPollWakesOnPush()
{
    QNetworkReply* pending = post(u"getUpdates"_s, {{u"timeout"_s, 5}});
    QVERIFY(QTest::qWaitFor([&] { return m_api->isPollHeld(); }, 5000));
    QTest::qWait(50);
    QVERIFY(!pending->isFinished());
    QElapsedTimer timer;
    timer.start();
    const qint64 updateId = m_api->pushText(21, u"wake up"_s);
    m_api->pushText(22, u"me too"_s);
    const Reply reply = finish(pending);
    QVERIFY2(timer.elapsed() < 1000, QByteArray::number(timer.elapsed()).constData());
    const QJsonArray updates = reply.result().toArray();
    QCOMPARE(updates.size(), 2); // pushed together, answered together
    QCOMPARE(updates[0].toObject().value("update_id"_L1).toInteger(), updateId);
    QVERIFY(!m_api->isPollHeld());
}

void TestFakeBotApi::longPollTimesOut()
{
    const Reply reply = call(u"getUpdates"_s, {{u"timeout"_s, 1}, {u"offset"_s, 1}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body, QByteArray(R"({"ok":true,"result":[]})"));
    QVERIFY2(reply.elapsedMs >= 950 && reply.elapsedMs < 3000,
             QByteArray::number(reply.elapsedMs).constData());
    QCOMPARE(m_api->allRequests().at(0).httpStatus, 200);
}

void TestFakeBotApi::longPollingOff()
{
    m_api->setLongPolling(false);
    const Reply reply = call(u"getUpdates"_s, {{u"timeout"_s, 5}});
    QCOMPARE(reply.body, QByteArray(R"({"ok":true,"result":[]})"));
    QVERIFY(reply.elapsedMs < 1000);
}

void TestFakeBotApi::secondGetUpdatesTerminatesTheHeldOne()
{
    QNetworkReply* first = post(u"getUpdates"_s, {{u"timeout"_s, 5}});
    QVERIFY(QTest::qWaitFor([&] { return m_api->isPollHeld(); }, 5000));
    QNetworkReply* second = post(u"getUpdates"_s, {{u"timeout"_s, 5}});
    const Reply older = finish(first);
    QCOMPARE(older.status, 409);
    QCOMPARE(older.body,
             QByteArray(R"({"ok":false,"error_code":409,"description":"Conflict: terminated by other )"
                        R"(getUpdates request; make sure that only one bot instance is running"})"));
    QVERIFY(m_api->isPollHeld());
    QVERIFY(!second->isFinished());
    m_api->pushText(31, u"for the second"_s);
    const Reply newer = finish(second);
    QCOMPARE(newer.status, 200);
    QCOMPARE(newer.result().toArray().size(), 1);
    QCOMPARE(m_api->getUpdatesCalls(), 2);
}

void TestFakeBotApi::failNext()
{
    m_api->failNextWithRetryAfter(u"sendMessage"_s, 7, 2);
    const QJsonObject params{{u"chat_id"_s, 1}, {u"text"_s, u"hi"_s}};
    for (int i = 0; i < 2; ++i) {
        const Reply limited = call(u"sendMessage"_s, params);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.description(), u"Too Many Requests: retry after 7"_s);
        QCOMPARE(limited.json.value("parameters"_L1).toObject().value("retry_after"_L1).toInt(), 7);
    }
    QCOMPARE(m_api->sent(1).size(), 0);
    QCOMPARE(call(u"sendMessage"_s, params).status, 200);
    QCOMPARE(m_api->sent(1).size(), 1);

    m_api->failNextWithServerError(u"getUpdates"_s);
    const Reply html = getUpdates();
    QCOMPARE(html.status, 502);
    QVERIFY(html.body.startsWith("<html>"));
    QVERIFY(html.error != QNetworkReply::NoError);

    m_api->failNext(u"*"_s, 200, "this is not JSON {", 2);
    const Reply garbage = call(u"getMe"_s);
    QCOMPARE(garbage.status, 200);
    QCOMPARE(garbage.body, QByteArray("this is not JSON {"));
    QCOMPARE(call(u"sendMessage"_s, params).body, QByteArray("this is not JSON {"));
    QCOMPARE(call(u"getMe"_s).status, 200);
    QCOMPARE(m_api->requestCount(u"sendMessage"_s), 4);
    QCOMPARE(m_api->requestCount(u"*"_s), 7);
}

void TestFakeBotApi::dropNext()
{
    // QNetworkAccessManager resends a request once when its connection closes before any answer (the budget
    // comes back after a success): one drop goes unnoticed, two drops reach the client as an error.
    m_api->dropNext(u"sendMessage"_s, 1);
    const Reply resent = call(u"sendMessage"_s, {{u"chat_id"_s, 1}, {u"text"_s, u"resent"_s}});
    QCOMPARE(resent.status, 200);
    QCOMPARE(m_api->requestCount(u"sendMessage"_s), 2);
    QCOMPARE(m_api->sent(1).size(), 1); // a dropped request has no effect
    QCOMPARE(m_api->allRequests().at(0).httpStatus, 0);
    QCOMPARE(m_api->allRequests().at(1).httpStatus, 200);

    m_api->dropNext(u"sendMessage"_s, 2);
    const Reply dropped = call(u"sendMessage"_s, {{u"chat_id"_s, 1}, {u"text"_s, u"lost"_s}});
    QCOMPARE(dropped.error, QNetworkReply::RemoteHostClosedError);
    QCOMPARE(dropped.status, 0);
    QCOMPARE(m_api->requestCount(u"sendMessage"_s), 4);
    QCOMPARE(m_api->sent(1).size(), 1);
    QCOMPARE(call(u"getMe"_s).status, 200);
}

void TestFakeBotApi::delayNext()
{
    m_api->delayNext(u"getMe"_s, 300, 1);
    const Reply late = call(u"getMe"_s);
    QCOMPARE(late.status, 200);
    QVERIFY2(late.elapsedMs >= 290, QByteArray::number(late.elapsedMs).constData());
    const Reply quick = call(u"getMe"_s);
    QVERIFY2(quick.elapsedMs < 250, QByteArray::number(quick.elapsedMs).constData());

    // The request takes effect on arrival; only the answer is late.
    m_api->delayNext(u"sendMessage"_s, 300, 1);
    QNetworkReply* slow = post(u"sendMessage"_s, {{u"chat_id"_s, 2}, {u"text"_s, u"x"_s}});
    QVERIFY(m_api->waitForSent(2, 1, 2000));
    QVERIFY(!slow->isFinished());
    QCOMPARE(finish(slow).status, 200);
}

void TestFakeBotApi::blockedChat()
{
    m_api->blockChat(66);
    const Reply reply = call(u"sendMessage"_s, {{u"chat_id"_s, 66}, {u"text"_s, u"hi"_s}});
    QCOMPARE(reply.status, 403);
    QCOMPARE(reply.body,
             QByteArray(
                 R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})"));
    QCOMPARE(
        call(u"editMessageText"_s, {{u"chat_id"_s, 66}, {u"message_id"_s, 1}, {u"text"_s, u"x"_s}}).status,
        403);
    QCOMPARE(m_api->sent(66).size(), 0);
    QCOMPARE(call(u"sendMessage"_s, {{u"chat_id"_s, 67}, {u"text"_s, u"hi"_s}}).status, 200);
    m_api->unblockChat(66);
    QCOMPARE(call(u"sendMessage"_s, {{u"chat_id"_s, 66}, {u"text"_s, u"hi"_s}}).status, 200);
}

void TestFakeBotApi::rateLimitPerChat()
{
    m_api->setRateLimits(30, 1);
    QList<QNetworkReply*> replies;
    for (int i = 0; i < 3; ++i)
        replies.append(post(u"sendMessage"_s, {{u"chat_id"_s, 5}, {u"text"_s, u"m%1"_s.arg(i)}}));
    int ok = 0;
    int limited = 0;
    for (QNetworkReply* reply : replies) {
        const Reply r = finish(reply);
        if (r.status == 200) {
            ++ok;
        } else {
            QCOMPARE(r.status, 429);
            QVERIFY(r.json.value("parameters"_L1).toObject().value("retry_after"_L1).toInt() >= 1);
            QVERIFY(r.description().startsWith("Too Many Requests: retry after "_L1));
            ++limited;
        }
    }
    QCOMPARE(ok, 1);
    QCOMPARE(limited, 2);
    QCOMPARE(m_api->tooManyRequests(), 2);
    QCOMPARE(m_api->tooManyRequests(5), 2);
    QCOMPARE(m_api->sent(5).size(), 1);
    // Another chat is not limited by this one.
    QCOMPARE(call(u"sendMessage"_s, {{u"chat_id"_s, 6}, {u"text"_s, u"x"_s}}).status, 200);
    // The window frees after a second.
    QTest::qWait(1050);
    QCOMPARE(call(u"sendMessage"_s, {{u"chat_id"_s, 5}, {u"text"_s, u"later"_s}}).status, 200);
}

void TestFakeBotApi::rateLimitGlobal()
{
    m_api->setRateLimits(30, 1);
    QList<QNetworkReply*> replies;
    for (int i = 0; i < 40; ++i)
        replies.append(post(u"sendMessage"_s, {{u"chat_id"_s, 1000 + i}, {u"text"_s, u"hello"_s}}));
    int ok = 0;
    int limited = 0;
    for (QNetworkReply* reply : replies) {
        const Reply r = finish(reply);
        if (r.status == 200)
            ++ok;
        else if (r.status == 429 &&
                 r.json.value("parameters"_L1).toObject().value("retry_after"_L1).toInt() >= 1)
            ++limited;
    }
    QCOMPARE(ok, 30);
    QCOMPARE(limited, 10);
    QCOMPARE(m_api->tooManyRequests(), 10);
    QCOMPARE(m_api->totalSent(), 30);
    // Other methods are not limited.
    QCOMPARE(call(u"getMe"_s).status, 200);
}

void TestFakeBotApi::pressInlineButton()
{
    const qint64 chat = 77;
    call(u"sendMessage"_s,
         {{u"chat_id"_s, chat},
          {u"text"_s, u"Выберите пакет"_s},
          {u"reply_markup"_s, inlineKeyboard({{u"Базовый"_s, u"pkg:basic"_s}, {u"Про"_s, u"pkg:pro"_s}})}});
    const qint64 messageId = m_api->sent(chat).last().messageId;
    call(u"sendMessage"_s, {{u"chat_id"_s, chat}, {u"text"_s, u"no keyboard here"_s}});
    QCOMPARE(m_api->buttons(chat), QStringList({u"Базовый"_s, u"Про"_s}));

    const qint64 updateId = m_api->pressButton(chat, u"Про"_s);
    QVERIFY(updateId > 0);
    const QJsonArray updates = getUpdates().result().toArray();
    QCOMPARE(updates.size(), 1);
    QCOMPARE(updates[0].toObject().value("update_id"_L1).toInteger(), updateId);
    const QJsonObject query = updates[0].toObject().value("callback_query"_L1).toObject();
    QCOMPARE(query.value("data"_L1).toString(), u"pkg:pro"_s);
    QCOMPARE(query.value("from"_L1).toObject().value("id"_L1).toInteger(), chat);
    QVERIFY(!query.value("chat_instance"_L1).toString().isEmpty());
    const QJsonObject message = query.value("message"_L1).toObject();
    QCOMPARE(message.value("message_id"_L1).toInteger(), messageId);
    QCOMPARE(message.value("chat"_L1).toObject().value("id"_L1).toInteger(), chat);
    QCOMPARE(message.value("text"_L1).toString(), u"Выберите пакет"_s);

    const QString queryId = query.value("id"_L1).toString();
    QVERIFY(!queryId.isEmpty());
    QSignalSpy handled(m_api.get(), &FakeBotApi::requestHandled);
    QCOMPARE(call(u"answerCallbackQuery"_s, {{u"callback_query_id"_s, queryId}, {u"text"_s, u"Готово"_s}})
                 .result(),
             QJsonValue(true));
    QCOMPARE(m_api->answeredCallbacks(), QStringList{queryId});
    QCOMPARE(handled.size(), 1);
    QCOMPARE(handled[0][1].toLongLong(), chat);

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"pressButton: no button \"Нет такой\""_s));
    QCOMPARE(m_api->pressButton(chat, u"Нет такой"_s), 0);
    const qint64 second = m_api->pushCallback(chat, messageId, u"pkg:basic"_s);
    QVERIFY(second > updateId);
}

void TestFakeBotApi::pressReplyKeyboardButtons()
{
    const qint64 chat = 88;
    const QJsonObject keyboard{
        {u"keyboard"_s, QJsonArray{QJsonArray{QJsonObject{{u"text"_s, u"Отправить телефон"_s},
                                                          {u"request_contact"_s, true}}},
                                   QJsonArray{QJsonObject{{u"text"_s, u"Отмена"_s}}}}},
        {u"resize_keyboard"_s, true},
        {u"one_time_keyboard"_s, true}};
    const Reply reply = call(
        u"sendMessage"_s, {{u"chat_id"_s, chat}, {u"text"_s, u"Телефон?"_s}, {u"reply_markup"_s, keyboard}});
    QCOMPARE(reply.status, 200);
    QVERIFY(!reply.result().toObject().contains("reply_markup"_L1)); // only inline keyboards come back
    QCOMPARE(m_api->buttons(chat), QStringList({u"Отправить телефон"_s, u"Отмена"_s}));

    QVERIFY(m_api->pressButton(chat, u"Отправить телефон"_s) > 0);
    QVERIFY(m_api->pressButton(chat, u"Отмена"_s) > 0);
    const QJsonArray updates = getUpdates().result().toArray();
    QCOMPARE(updates.size(), 2);
    const QJsonObject contact =
        updates[0].toObject().value("message"_L1).toObject().value("contact"_L1).toObject();
    QCOMPARE(contact.value("phone_number"_L1).toString(), u"+79161234567"_s);
    QCOMPARE(contact.value("user_id"_L1).toInteger(), chat);
    QCOMPARE(updates[1].toObject().value("message"_L1).toObject().value("text"_L1).toString(), u"Отмена"_s);

    // remove_keyboard hides it.
    call(u"sendMessage"_s, {{u"chat_id"_s, chat},
                            {u"text"_s, u"Спасибо"_s},
                            {u"reply_markup"_s, QJsonObject{{u"remove_keyboard"_s, true}}}});
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"pressButton: no button"_s));
    QCOMPARE(m_api->pressButton(chat, u"Отмена"_s), 0);
}

void TestFakeBotApi::waitForSent()
{
    QNetworkReply* reply = post(u"sendMessage"_s, {{u"chat_id"_s, 3}, {u"text"_s, u"a"_s}});
    QVERIFY(m_api->waitForSent(3, 1, 5000));
    QCOMPARE(m_api->lastText(3), u"a"_s);
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!m_api->waitForSent(3, 2, 200));
    QVERIFY2(timer.elapsed() >= 180, QByteArray::number(timer.elapsed()).constData());
    QCOMPARE(finish(reply).status, 200);
    post(u"getMe"_s);
    QVERIFY(m_api->waitForRequests(u"getMe"_s, 1, 5000));
}

void TestFakeBotApi::keepAliveSequentialRequests()
{
    for (int i = 0; i < 200; ++i) {
        const Reply reply = call(u"getMe"_s);
        QCOMPARE(reply.status, 200);
    }
    QCOMPARE(m_api->requestCount(u"getMe"_s), 200);
    QCOMPARE(m_api->connectionsAccepted(), 1);
}

void TestFakeBotApi::burstOfParallelSends()
{
    QList<QNetworkReply*> replies;
    replies.reserve(500);
    for (int i = 0; i < 500; ++i)
        replies.append(
            post(u"sendMessage"_s, {{u"chat_id"_s, 1 + i % 50}, {u"text"_s, u"burst %1"_s.arg(i)}}));
    for (QNetworkReply* reply : replies)
        QCOMPARE(finish(reply).status, 200);
    QCOMPARE(m_api->totalSent(), 500);
    QCOMPARE(m_api->requestCount(u"sendMessage"_s), 500);
    QVERIFY(m_api->connectionsAccepted() <= 6);
    for (qint64 chat = 1; chat <= 50; ++chat) {
        const QList<FakeBotApi::SentMessage> sent = m_api->sent(chat);
        QCOMPARE(sent.size(), 10);
        for (qsizetype i = 1; i < sent.size(); ++i)
            QVERIFY(sent[i].messageId > sent[i - 1].messageId);
    }
}

void TestFakeBotApi::rawHttpPipeliningSplitAndClose()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(m_api->baseUrl().port()));
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray path = "/bot" + m_api->token().toUtf8();
    const QByteArray body = R"({"chat_id":4,"text":"pipelined"})";
    const QByteArray post = "POST " + path +
                            "/sendMessage HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            "Content-Length: " +
                            QByteArray::number(body.size()) + "\r\n\r\n" + body;
    const QByteArray get = "GET " + path + "/getMe HTTP/1.1\r\nHost: x\r\n\r\n";
    QByteArray received;
    const auto readUntil = [&](int responses) {
        return QTest::qWaitFor(
            [&] {
                received += socket.readAll();
                return received.count("HTTP/1.1 200 OK") >= responses;
            },
            5000);
    };

    // Two requests in one write.
    socket.write(post + get);
    QVERIFY(readUntil(2));
    QVERIFY(received.indexOf("\"pipelined\"") < received.indexOf("HTTP/1.1 200 OK", 1)); // answered in order
    QCOMPARE(m_api->lastText(4), u"pipelined"_s);

    // One request split across writes.
    received.clear();
    const QByteArray split = post;
    socket.write(split.first(10));
    socket.flush();
    QTest::qWait(30);
    socket.write(split.sliced(10, split.size() - 15));
    socket.flush();
    QTest::qWait(30);
    QCOMPARE(m_api->sent(4).size(), 1);
    socket.write(split.last(5));
    QVERIFY(readUntil(1));
    QCOMPARE(m_api->sent(4).size(), 2);
    QVERIFY(received.contains("Content-Type: application/json\r\n"));
    QVERIFY(received.contains("Content-Length: "));

    // Connection: close
    received.clear();
    socket.write("GET " + path + "/getMe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QVERIFY(readUntil(1));
    QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 5000));
    QVERIFY(received.contains("Connection: close\r\n"));
    QCOMPARE(m_api->connectionsAccepted(), 1);
}

QTEST_GUILESS_MAIN(TestFakeBotApi)
#include "tst_fakebotapi.moc"
