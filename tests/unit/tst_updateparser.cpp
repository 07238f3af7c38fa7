// Tests UpdateParser: every update kind the dialog handles, lenient parsing of optional and odd fields,
// errors for what cannot be handled, and update_id recovery from broken updates.

#include "UpdateParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using salesbot::IncomingEvent;
using salesbot::UpdateParser;
using Kind = IncomingEvent::Kind;

Q_DECLARE_METATYPE(salesbot::IncomingEvent)

namespace {

QJsonValue json(const char* text)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", qPrintable(error.errorString()));
    if (document.isArray())
        return document.array();
    return document.object();
}

// The event the standard sender (42, Anna) produces in their private chat.
IncomingEvent expectedEvent(qint64 updateId, Kind kind)
{
    IncomingEvent e;
    e.updateId = updateId;
    e.kind = kind;
    e.chatId = 42;
    e.from.telegramId = 42;
    e.from.firstName = u"Anna"_s;
    e.privateChat = true;
    return e;
}

IncomingEvent text(qint64 updateId, const QString& value)
{
    IncomingEvent e = expectedEvent(updateId, Kind::Text);
    e.text = value;
    return e;
}

IncomingEvent command(qint64 updateId, const QString& name, const QString& args = {})
{
    IncomingEvent e = expectedEvent(updateId, Kind::Command);
    e.command = name;
    e.text = args;
    return e;
}

QJsonObject messageUpdate(qint64 updateId, const QString& textValue)
{
    return QJsonObject{
        {u"update_id"_s, updateId},
        {u"message"_s,
         QJsonObject{
             {u"message_id"_s, 1},
             {u"date"_s, 1700000000},
             {u"chat"_s, QJsonObject{{u"id"_s, 42}, {u"type"_s, u"private"_s}}},
             {u"from"_s, QJsonObject{{u"id"_s, 42}, {u"is_bot"_s, false}, {u"first_name"_s, u"Anna"_s}}},
             {u"text"_s, textValue},
         }},
    };
}

} // namespace

class TestUpdateParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void errors_data();
    void errors();
    void updateId_data();
    void updateId();
    void splitFindsTheSameIds_data();
    void splitFindsTheSameIds();
    void splitKeepsEachUpdatesText();
    void splitFindsStringEndsAfterBackslashRuns();
    void splitRefusesWhatIsNotAnAnswer();
    void hugeTextKeptIntact();
    void errorsNeverQuoteUserText();
};

void TestUpdateParser::parse_data()
{
    QTest::addColumn<QJsonValue>("update");
    QTest::addColumn<IncomingEvent>("expected");

    {
        IncomingEvent e = text(1, u"  Hello, bot!  "_s);
        e.from.lastName = u"Petrova"_s;
        e.from.username = u"anna_p"_s;
        e.from.languageCode = u"ru"_s;
        QTest::newRow("text with full profile, spaces kept")
            << json(R"({"update_id":1,"message":{"message_id":5,"date":1700000000,
                 "chat":{"id":42,"type":"private","first_name":"Anna"},
                 "from":{"id":42,"is_bot":false,"first_name":"Anna","last_name":"Petrova",
                         "username":"anna_p","language_code":"ru"},
                 "text":"  Hello, bot!  "}})")
            << e;
    }
    QTest::newRow("command with entities")
        << json(
               R"({"update_id":2,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "text":"/start","entities":[{"type":"bot_command","offset":0,"length":6}]}})")
        << command(2, u"start"_s);
    QTest::newRow("command with @botname and args")
        << json(
               R"({"update_id":3,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "text":"/start@SalesBot ref_42  more","entities":[{"type":"bot_command","offset":0,"length":14}]}})")
        << command(3, u"start"_s, u"ref_42  more"_s);
    QTest::newRow("uppercase command")
        << json(
               R"({"update_id":4,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "text":"/MENU"}})")
        << command(4, u"menu"_s);
    QTest::newRow("command without entities, @botname, newline args")
        << json(
               R"({"update_id":5,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "text":"/Status@salesbot\n17"}})")
        << command(5, u"status"_s, u"17"_s);
    QTest::newRow("unknown command is still a command")
        << json(
               R"({"update_id":6,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "text":"/whatever_1"}})")
        << command(6, u"whatever_1"_s);
    QTest::newRow("slash alone is text")
        << json(
               R"({"update_id":7,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "text":"/"}})")
        << text(7, u"/"_s);
    QTest::newRow("slash and space is text")
        << json(
               R"({"update_id":8,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "text":"/ hello"}})")
        << text(8, u"/ hello"_s);
    QTest::newRow("a path is text")
        << json(
               R"({"update_id":9,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "text":"/usr/bin"}})")
        << text(9, u"/usr/bin"_s);
    {
        IncomingEvent e = expectedEvent(10, Kind::Contact);
        e.contactPhone = u"+7 999 123-45-67"_s;
        e.contactUserId = 42;
        QTest::newRow("contact with user_id")
            << json(
                   R"({"update_id":10,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
                 "contact":{"phone_number":"+7 999 123-45-67","first_name":"Anna","user_id":42}}})")
            << e;
    }
    {
        IncomingEvent e = expectedEvent(11, Kind::Contact);
        e.contactPhone = u"79991234567"_s;
        QTest::newRow("contact without user_id")
            << json(
                   R"({"update_id":11,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
                 "contact":{"phone_number":"79991234567","first_name":"Boris"}}})")
            << e;
    }
    QTest::newRow("sticker is other")
        << json(
               R"({"update_id":12,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "sticker":{"file_id":"abc","width":512,"height":512,"emoji":"x"}}})")
        << expectedEvent(12, Kind::Other);
    QTest::newRow("photo with caption is other")
        << json(
               R"({"update_id":13,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "photo":[{"file_id":"a","width":90,"height":90}],"caption":"look"}})")
        << expectedEvent(13, Kind::Other);
    QTest::newRow("voice is other")
        << json(
               R"({"update_id":14,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "voice":{"file_id":"v","duration":3}}})")
        << expectedEvent(14, Kind::Other);
    QTest::newRow("location is other")
        << json(
               R"({"update_id":15,"message":{"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},
             "location":{"latitude":55.7,"longitude":37.6}}})")
        << expectedEvent(15, Kind::Other);
    {
        IncomingEvent e = expectedEvent(16, Kind::Callback);
        e.callbackId = u"4382bfdwdsb323b2d9"_s;
        e.callbackData = u"package_view:web"_s;
        e.callbackMessageId = 77;
        QTest::newRow("callback with message")
            << json(R"({"update_id":16,"callback_query":{"id":"4382bfdwdsb323b2d9",
                 "from":{"id":42,"first_name":"Anna"},"chat_instance":"-1",
                 "message":{"message_id":77,"date":1700000000,"chat":{"id":42,"type":"private"},"text":"Menu"},
                 "data":"package_view:web"}})")
            << e;
    }
    {
        IncomingEvent e = expectedEvent(17, Kind::Callback);
        e.callbackId = u"cb17"_s;
        e.callbackData = u"menu"_s;
        QTest::newRow("callback without message")
            << json(R"({"update_id":17,"callback_query":{"id":"cb17","from":{"id":42,"first_name":"Anna"},
                 "inline_message_id":"xyz","data":"menu"}})")
            << e;
    }
    {
        IncomingEvent e = expectedEvent(18, Kind::Callback);
        e.callbackId = u"cb18"_s;
        e.callbackData = u"menu"_s;
        e.callbackMessageId = 5;
        QTest::newRow("callback with inaccessible message (date 0)")
            << json(R"({"update_id":18,"callback_query":{"id":"cb18","from":{"id":42,"first_name":"Anna"},
                 "message":{"message_id":5,"date":0,"chat":{"id":42,"type":"private"}},"data":"menu"}})")
            << e;
    }
    {
        IncomingEvent e = expectedEvent(19, Kind::Callback);
        e.callbackId = u"cb19"_s;
        QTest::newRow("callback without data, message without chat")
            << json(R"({"update_id":19,"callback_query":{"id":"cb19","from":{"id":42,"first_name":"Anna"},
                 "message":{"message_id":5}}})")
            << e;
    }
    {
        IncomingEvent e = text(20, u"hi all"_s);
        e.chatId = -1001234567890;
        e.privateChat = false;
        QTest::newRow("supergroup chat")
            << json(
                   R"({"update_id":20,"message":{"chat":{"id":-1001234567890,"type":"supergroup","title":"T"},
                 "from":{"id":42,"first_name":"Anna"},"text":"hi all"}})")
            << e;
    }
    {
        IncomingEvent e = text(21, u"hi"_s);
        e.chatId = -100;
        e.privateChat = false;
        QTest::newRow("group chat without type")
            << json(
                   R"({"update_id":21,"message":{"chat":{"id":-100},"from":{"id":42,"first_name":"Anna"},"text":"hi"}})")
            << e;
    }
    {
        IncomingEvent e = expectedEvent(22, Kind::Callback);
        e.callbackId = u"cb22"_s;
        e.chatId = -100;
        e.privateChat = false;
        e.callbackMessageId = 9;
        QTest::newRow("callback in a group")
            << json(R"({"update_id":22,"callback_query":{"id":"cb22","from":{"id":42,"first_name":"Anna"},
                 "message":{"message_id":9,"chat":{"id":-100,"type":"group"}}}})")
            << e;
    }
    QTest::newRow("ids as strings")
        << json(R"({"update_id":"23","message":{"chat":{"id":"42","type":"private"},
             "from":{"id":"42","first_name":"Anna"},"text":"x"}})")
        << text(23, u"x"_s);
    {
        IncomingEvent e = text(24, u"x"_s);
        e.from.firstName.clear();
        QTest::newRow("from without names, odd types ignored")
            << json(R"({"update_id":24,"message":{"chat":{"id":42,"type":"private"},
                 "from":{"id":42,"first_name":null,"username":17,"language_code":["ru"]},"text":"x"}})")
            << e;
    }
    QTest::newRow("text with NUL") << json(R"({"update_id":25,"message":{"chat":{"id":42,"type":"private"},
             "from":{"id":42,"first_name":"An\u0000na"},"text":"a\u0000b\u0000"}})")
                                   << text(25, u"ab"_s);
    QTest::newRow("command with NUL") << json(R"({"update_id":26,"message":{"chat":{"id":42,"type":"private"},
             "from":{"id":42,"first_name":"Anna"},"text":"/sta\u0000rt"}})")
                                      << command(26, u"start"_s);
    QTest::newRow("edited message is other")
        << json(R"({"update_id":27,"edited_message":{"message_id":1,"edit_date":1700000100,
             "chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Anna"},"text":"/start"}})")
        << expectedEvent(27, Kind::Other);
    QTest::newRow("unknown keys ignored")
        << json(R"({"update_id":28,"future_field":{"a":1},"message":{"brand_new":[1,2],
             "chat":{"id":42,"type":"private","is_forum":true},
             "from":{"id":42,"first_name":"Anna","is_premium":true,"added_to_attachment_menu":true},
             "text":"hello","link_preview_options":{"is_disabled":true}}})")
        << text(28, u"hello"_s);
    QTest::newRow("date as string")
        << json(R"({"update_id":29,"message":{"date":"yesterday","chat":{"id":42,"type":"private"},
             "from":{"id":42,"first_name":"Anna"},"text":"x"}})")
        << text(29, u"x"_s);
    QTest::newRow("date missing") << json(R"({"update_id":30,"message":{"chat":{"id":42,"type":"private"},
             "from":{"id":42,"first_name":"Anna"},"text":"x"}})")
                                  << text(30, u"x"_s);
    QTest::newRow("date negative")
        << json(R"({"update_id":31,"message":{"date":-5,"chat":{"id":42,"type":"private"},
             "from":{"id":42,"first_name":"Anna"},"text":"x"}})")
        << text(31, u"x"_s);
    QTest::newRow("update_id zero") << json(R"({"update_id":0,"message":{"chat":{"id":42,"type":"private"},
             "from":{"id":42,"first_name":"Anna"},"text":"x"}})")
                                    << text(0, u"x"_s);
    QTest::newRow("empty text") << json(R"({"update_id":32,"message":{"chat":{"id":42,"type":"private"},
             "from":{"id":42,"first_name":"Anna"},"text":""}})")
                                << text(32, QString());
    QTest::newRow("large update_id and chat id")
        << json(R"({"update_id":987654321012,"message":{"chat":{"id":42,"type":"private"},
             "from":{"id":42,"first_name":"Anna"},"text":"x"}})")
        << text(987654321012, u"x"_s);
}

void TestUpdateParser::parse()
{
    QFETCH(QJsonValue, update);
    QFETCH(IncomingEvent, expected);

    const auto parsed = UpdateParser::parse(update);
    QVERIFY2(parsed.hasValue(), parsed.hasValue() ? "" : qPrintable(parsed.error()));
    const IncomingEvent& e = parsed.value();
    QCOMPARE(e.updateId, expected.updateId);
    QCOMPARE(e.kind, expected.kind);
    QCOMPARE(e.chatId, expected.chatId);
    QCOMPARE(e.privateChat, expected.privateChat);
    QCOMPARE(e.from.telegramId, expected.from.telegramId);
    QCOMPARE(e.from.firstName, expected.from.firstName);
    QCOMPARE(e.from.lastName, expected.from.lastName);
    QCOMPARE(e.from.username, expected.from.username);
    QCOMPARE(e.from.languageCode, expected.from.languageCode);
    QCOMPARE(e.text, expected.text);
    QCOMPARE(e.command, expected.command);
    QCOMPARE(e.callbackId, expected.callbackId);
    QCOMPARE(e.callbackData, expected.callbackData);
    QCOMPARE(e.callbackMessageId, expected.callbackMessageId);
    QCOMPARE(e.contactPhone, expected.contactPhone);
    QCOMPARE(e.contactUserId, expected.contactUserId);
    QCOMPARE(UpdateParser::updateId(update), expected.updateId);
}

void TestUpdateParser::errors_data()
{
    QTest::addColumn<QJsonValue>("update");
    QTest::addColumn<QString>("error");

    QTest::newRow("array") << json("[1,2]") << u"update is not a JSON object"_s;
    QTest::newRow("string") << QJsonValue(u"update"_s) << u"update is not a JSON object"_s;
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << u"update is not a JSON object"_s;
    QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined) << u"update is not a JSON object"_s;
    QTest::newRow("missing update_id")
        << json(R"({"message":{"chat":{"id":42},"from":{"id":42},"text":"x"}})")
        << u"update_id is missing or not a number"_s;
    QTest::newRow("update_id not numeric")
        << json(R"({"update_id":"abc","message":{"chat":{"id":42},"from":{"id":42},"text":"x"}})")
        << u"update_id is missing or not a number"_s;
    QTest::newRow("update_id fractional")
        << json(R"({"update_id":1.5,"message":{"chat":{"id":42},"from":{"id":42},"text":"x"}})")
        << u"update_id is missing or not a number"_s;
    QTest::newRow("only update_id") << json(R"({"update_id":1})") << u"update has no content"_s;
    QTest::newRow("missing from") << json(R"({"update_id":1,"message":{"chat":{"id":42},"text":"x"}})")
                                  << u"message.from is missing"_s;
    QTest::newRow("from.id missing")
        << json(R"({"update_id":1,"message":{"chat":{"id":42},"from":{"first_name":"A"},"text":"x"}})")
        << u"message.from.id is missing or not a number"_s;
    QTest::newRow("from.id not numeric")
        << json(R"({"update_id":1,"message":{"chat":{"id":42},"from":{"id":"anna"},"text":"x"}})")
        << u"message.from.id is missing or not a number"_s;
    QTest::newRow("from.id negative")
        << json(R"({"update_id":1,"message":{"chat":{"id":42},"from":{"id":-42},"text":"x"}})")
        << u"message.from.id is not a positive number"_s;
    QTest::newRow("missing chat") << json(R"({"update_id":1,"message":{"from":{"id":42},"text":"x"}})")
                                  << u"message.chat.id is missing or not a number"_s;
    QTest::newRow("message not an object")
        << json(R"({"update_id":1,"message":"hello"})") << u"message is not an object"_s;
    QTest::newRow("contact without phone")
        << json(R"({"update_id":1,"message":{"chat":{"id":42},"from":{"id":42},"contact":{"user_id":42}}})")
        << u"message.contact.phone_number is missing"_s;
    QTest::newRow("edited message without from")
        << json(R"({"update_id":1,"edited_message":{"chat":{"id":42},"text":"x"}})")
        << u"edited_message.from is missing"_s;
    QTest::newRow("callback without id")
        << json(R"({"update_id":1,"callback_query":{"from":{"id":42},"data":"x"}})")
        << u"callback_query.id is missing"_s;
    QTest::newRow("callback without from")
        << json(R"({"update_id":1,"callback_query":{"id":"q","data":"x"}})")
        << u"callback_query.from is missing"_s;
    QTest::newRow("callback not an object")
        << json(R"({"update_id":1,"callback_query":[]})") << u"callback_query is not an object"_s;
    QTest::newRow("channel_post")
        << json(R"({"update_id":1,"channel_post":{"chat":{"id":-100,"type":"channel"},"text":"news"}})")
        << u"channel posts are ignored"_s;
    QTest::newRow("edited_channel_post")
        << json(
               R"({"update_id":1,"edited_channel_post":{"chat":{"id":-100,"type":"channel"},"text":"news"}})")
        << u"channel posts are ignored"_s;
    QTest::newRow("my_chat_member")
        << json(R"({"update_id":1,"my_chat_member":{"chat":{"id":42},"from":{"id":42},"date":1,
             "old_chat_member":{"status":"member"},"new_chat_member":{"status":"kicked"}}})")
        << u"unsupported update type my_chat_member"_s;
    QTest::newRow("inline_query")
        << json(R"({"update_id":1,"inline_query":{"id":"1","from":{"id":42},"query":"q","offset":""}})")
        << u"unsupported update type inline_query"_s;
    QTest::newRow("poll") << json(R"({"update_id":1,"poll":{"id":"1","question":"q","options":[]}})")
                          << u"unsupported update type poll"_s;
}

void TestUpdateParser::errors()
{
    QFETCH(QJsonValue, update);
    QFETCH(QString, error);

    const auto parsed = UpdateParser::parse(update);
    QVERIFY(!parsed.hasValue());
    QCOMPARE(parsed.error(), error);
    QVERIFY(!parsed.error().contains(u'\n'));
}

void TestUpdateParser::updateId_data()
{
    QTest::addColumn<QJsonValue>("update");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("normal") << json(R"({"update_id":123,"message":{}})") << qint64(123);
    QTest::newRow("large") << json(R"({"update_id":4503599627370495})") << qint64(4503599627370495);
    QTest::newRow("string") << json(R"({"update_id":" 77 "})") << qint64(77);
    QTest::newRow("rest malformed") << json(R"({"update_id":9,"message":"garbage","poll":7})") << qint64(9);
    QTest::newRow("missing") << json(R"({"message":{}})") << qint64(-1);
    QTest::newRow("null") << json(R"({"update_id":null})") << qint64(-1);
    QTest::newRow("negative") << json(R"({"update_id":-3})") << qint64(-1);
    QTest::newRow("fractional") << json(R"({"update_id":2.5})") << qint64(-1);
    QTest::newRow("bool") << json(R"({"update_id":true})") << qint64(-1);
    QTest::newRow("array") << json("[1]") << qint64(-1);
    QTest::newRow("string value") << QJsonValue(u"{\"update_id\":1}"_s) << qint64(-1);
    QTest::newRow("null value") << QJsonValue(QJsonValue::Null) << qint64(-1);
}

void TestUpdateParser::updateId()
{
    QFETCH(QJsonValue, update);
    QFETCH(qint64, expected);
    QCOMPARE(UpdateParser::updateId(update), expected);
}

void TestUpdateParser::splitFindsTheSameIds_data()
{
    updateId_data();
}

void TestUpdateParser::splitFindsTheSameIds()
{
    QFETCH(QJsonValue, update);
    QFETCH(qint64, expected);
    // A getUpdates answer with the update between two others, written compactly and with spaces.
    const QJsonArray result{json(R"({"update_id":1,"message":{}})"), update, json(R"({"update_id":3})")};
    const QByteArray compact =
        QJsonDocument(QJsonObject{{u"ok"_s, true}, {u"result"_s, result}}).toJson(QJsonDocument::Compact);
    const QByteArray indented =
        QJsonDocument(QJsonObject{{u"ok"_s, true}, {u"result"_s, result}}).toJson(QJsonDocument::Indented);
    for (const QByteArray& body : {compact, indented}) {
        const auto split = UpdateParser::split(body);
        QVERIFY(split.has_value());
        QCOMPARE(split->size(), 3);
        QCOMPARE(split->at(0).id, 1);
        QCOMPARE(split->at(1).id, expected);
        QCOMPARE(split->at(2).id, 3);
    }
}

void TestUpdateParser::splitKeepsEachUpdatesText()
{
    // Brackets, braces, quotes and backslashes inside strings must not end an update early.
    const QByteArray body =
        R"({"ok":true,"result":[{"update_id":7,"message":{"chat":{"id":42,"type":"private"},)"
        R"("from":{"id":42,"first_name":"A}]\"\\"},"text":"x ] } \" [ {"}},)"
        R"( {"update_id":8,"callback_query":{"id":"c","from":{"id":42,"first_name":"B"},"data":"p"}}]})";
    const auto split = UpdateParser::split(body);
    QVERIFY(split.has_value());
    QCOMPARE(split->size(), 2);
    QCOMPARE(split->at(0).id, 7);
    QCOMPARE(split->at(1).id, 8);
    const auto first = UpdateParser::parse(split->at(0).json);
    QVERIFY(first.hasValue());
    QCOMPARE(first->text, u"x ] } \" [ {"_s);
    QCOMPARE(first->from.firstName, u"A}]\"\\"_s);
    const auto second = UpdateParser::parse(split->at(1).json);
    QVERIFY(second.hasValue());
    QCOMPARE(second->callbackData, u"p"_s);

    const auto empty = UpdateParser::split(R"({"ok":true,"result":[]})");
    QVERIFY(empty.has_value());
    QVERIFY(empty->isEmpty());
}

void TestUpdateParser::splitFindsStringEndsAfterBackslashRuns()
{
    // A quote ends a string after an even run of backslashes (0, 2, 4...), not after an odd one.
    const QStringList texts{u"\\"_s,      u"\\\\"_s,     u"\\\""_s,   u"\\\\\""_s, u"\"\\"_s,
                            u"a\\\\\\"_s, u"]}\\\"{["_s, u"\"\"\""_s, u"ж\\"_s};
    QJsonArray result;
    for (qsizetype i = 0; i < texts.size(); ++i) {
        result.append(
            QJsonObject{{u"update_id"_s, i + 1},
                        {u"message"_s,
                         QJsonObject{{u"message_id"_s, 1},
                                     {u"chat"_s, QJsonObject{{u"id"_s, 42}, {u"type"_s, u"private"_s}}},
                                     {u"from"_s, QJsonObject{{u"id"_s, 42}, {u"first_name"_s, texts.at(i)}}},
                                     {u"text"_s, texts.at(i)}}}});
    }
    const QByteArray body =
        QJsonDocument(QJsonObject{{u"ok"_s, true}, {u"result"_s, result}}).toJson(QJsonDocument::Compact);
    const auto split = UpdateParser::split(body);
    QVERIFY(split.has_value());
    QCOMPARE(split->size(), texts.size());
    for (qsizetype i = 0; i < texts.size(); ++i) {
        QCOMPARE(split->at(i).id, i + 1);
        const auto event = UpdateParser::parse(split->at(i).json);
        QVERIFY(event.hasValue());
        QCOMPARE(event->text, texts.at(i));
        QCOMPARE(event->from.firstName, texts.at(i));
    }
    // A string left open by an escaped quote at the very end is no answer.
    QVERIFY(!UpdateParser::split(R"({"ok":true,"result":[{"update_id":1,"x":"a\"}]})").has_value());
}

void TestUpdateParser::splitRefusesWhatIsNotAnAnswer()
{
    QVERIFY(!UpdateParser::split("").has_value());
    QVERIFY(!UpdateParser::split("[1,2]").has_value());
    QVERIFY(!UpdateParser::split(R"({"ok":true})").has_value());
    QVERIFY(!UpdateParser::split(R"({"ok":true,"result":true})").has_value());
    QVERIFY(!UpdateParser::split(R"({"ok":true,"result":[{"update_id":1})").has_value());
    QVERIFY(!UpdateParser::split(R"({"ok":true,"result":[{"update_id":1}] garbage)").has_value());
}

void TestUpdateParser::hugeTextKeptIntact()
{
    QString huge;
    huge.reserve(1024 * 1024);
    for (int i = 0; huge.size() < 1024 * 1024; ++i)
        huge += QString::number(i % 10) + u"абв "_s;
    // Through the real path: serialised and parsed back as the source would.
    const QByteArray bytes = QJsonDocument(messageUpdate(1, huge)).toJson(QJsonDocument::Compact);
    const QJsonValue update = QJsonDocument::fromJson(bytes).object();

    const auto parsed = UpdateParser::parse(update);
    QVERIFY(parsed.hasValue());
    QCOMPARE(parsed->kind, Kind::Text);
    QCOMPARE(parsed->text.size(), huge.size());
    QVERIFY(parsed->text == huge);
}

void TestUpdateParser::errorsNeverQuoteUserText()
{
    const QString secret = u"MY-PRIVATE-TEXT-8842"_s;
    QList<QJsonObject> updates;
    QJsonObject noFrom = messageUpdate(1, secret);
    QJsonObject message = noFrom.value(u"message").toObject();
    message.remove(u"from"_s);
    noFrom.insert(u"message"_s, message);
    updates << noFrom;

    QJsonObject noChat = messageUpdate(2, secret);
    message = noChat.value(u"message").toObject();
    message.insert(u"chat"_s, secret);
    noChat.insert(u"message"_s, message);
    updates << noChat;

    QJsonObject badFrom = messageUpdate(3, secret);
    message = badFrom.value(u"message").toObject();
    message.insert(u"from"_s, QJsonObject{{u"id"_s, secret}});
    badFrom.insert(u"message"_s, message);
    updates << badFrom;

    updates << QJsonObject{{u"update_id"_s, secret}, {u"message"_s, secret}};
    updates << QJsonObject{{u"update_id"_s, 5}, {u"callback_query"_s, QJsonObject{{u"data"_s, secret}}}};

    for (const QJsonObject& update : std::as_const(updates)) {
        const auto parsed = UpdateParser::parse(update);
        QVERIFY(!parsed.hasValue());
        QVERIFY2(!parsed.error().contains(secret), qPrintable(parsed.error()));
    }
}

QTEST_GUILESS_MAIN(TestUpdateParser)
#include "tst_updateparser.moc"
