#include "UpdateParser.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

constexpr qsizetype MaxCommandLength = 64;
constexpr qsizetype MaxTypeNameLength = 40;

// An integer id from a JSON number (whole) or a numeric string; nullopt otherwise.
std::optional<qint64> idOf(const QJsonValue& value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        // Telegram ids fit in 52 bits; a double beyond 2^53 is no longer exact.
        if (!std::isfinite(d) || std::abs(d) > 9007199254740992.0)
            return std::nullopt;
        const qint64 n = value.toInteger(std::numeric_limits<qint64>::min());
        if (n == std::numeric_limits<qint64>::min())
            return std::nullopt; // not a whole number
        return n;
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 n = value.toString().trimmed().toLongLong(&ok);
        if (ok)
            return n;
    }
    return std::nullopt;
}

// A string field as sent, without NUL characters; empty when absent or not a string.
QString stringOf(const QJsonValue& value)
{
    QString text = value.toString();
    if (text.contains(QChar(u'\0')))
        text.remove(QChar(u'\0'));
    return text;
}

Expected<TelegramProfile, QString> profileOf(const QJsonValue& value, const QString& where)
{
    if (!value.isObject())
        return unexpected(where + u" is missing"_s);
    const QJsonObject from = value.toObject();
    const std::optional<qint64> id = idOf(from.value(u"id"));
    if (!id)
        return unexpected(where + u".id is missing or not a number"_s);
    if (*id <= 0)
        return unexpected(where + u".id is not a positive number"_s);
    TelegramProfile profile;
    profile.telegramId = *id;
    profile.firstName = stringOf(from.value(u"first_name"));
    profile.lastName = stringOf(from.value(u"last_name"));
    profile.username = stringOf(from.value(u"username"));
    profile.languageCode = stringOf(from.value(u"language_code"));
    return profile;
}

bool isPrivate(const QJsonObject& chat, qint64 chatId)
{
    const QJsonValue type = chat.value(u"type");
    if (type.isString())
        return type.toString() == u"private";
    return chatId > 0; // groups and channels have negative ids
}

bool isCommandChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

// Text or Command from a message text.
void readText(IncomingEvent& event, QString text)
{
    event.kind = IncomingEvent::Kind::Text;
    if (text.startsWith(u'/')) {
        qsizetype end = 1;
        while (end < text.size() && !text.at(end).isSpace())
            ++end;
        QString command = text.mid(1, end - 1);
        if (const qsizetype at = command.indexOf(u'@'); at >= 0)
            command.truncate(at);
        const bool valid = !command.isEmpty() && command.size() <= MaxCommandLength &&
                           std::all_of(command.cbegin(), command.cend(), isCommandChar);
        if (valid) {
            event.kind = IncomingEvent::Kind::Command;
            event.command = command.toLower();
            event.text = end < text.size() ? text.mid(end + 1).trimmed() : QString();
            return;
        }
    }
    event.text = std::move(text);
}

Expected<IncomingEvent, QString> parseMessage(IncomingEvent event, const QJsonValue& value,
                                              const QString& where, bool edited)
{
    if (!value.isObject())
        return unexpected(where + u" is not an object"_s);
    const QJsonObject message = value.toObject();

    const QJsonObject chat = message.value(u"chat").toObject();
    const std::optional<qint64> chatId = idOf(chat.value(u"id"));
    if (!chatId || *chatId == 0)
        return unexpected(where + u".chat.id is missing or not a number"_s);
    event.chatId = *chatId;
    event.privateChat = isPrivate(chat, *chatId);

    Expected<TelegramProfile, QString> from = profileOf(message.value(u"from"), where + u".from"_s);
    if (!from)
        return unexpected(from.error());
    event.from = std::move(from).value();

    if (edited) {
        event.kind = IncomingEvent::Kind::Other;
        return event;
    }
    if (const QJsonValue text = message.value(u"text"); text.isString()) {
        readText(event, stringOf(text));
        return event;
    }
    if (const QJsonValue contactValue = message.value(u"contact"); contactValue.isObject()) {
        const QJsonObject contact = contactValue.toObject();
        const QJsonValue phone = contact.value(u"phone_number");
        QString phoneText = phone.isDouble() ? QString::number(phone.toInteger()) : stringOf(phone);
        if (phoneText.trimmed().isEmpty())
            return unexpected(where + u".contact.phone_number is missing"_s);
        event.kind = IncomingEvent::Kind::Contact;
        event.contactPhone = std::move(phoneText);
        event.contactUserId = idOf(contact.value(u"user_id")).value_or(0);
        return event;
    }
    event.kind = IncomingEvent::Kind::Other;
    return event;
}

Expected<IncomingEvent, QString> parseCallback(IncomingEvent event, const QJsonValue& value)
{
    if (!value.isObject())
        return unexpected(u"callback_query is not an object"_s);
    const QJsonObject query = value.toObject();

    const QJsonValue id = query.value(u"id");
    event.callbackId = id.isDouble() ? QString::number(id.toInteger()) : stringOf(id);
    if (event.callbackId.isEmpty())
        return unexpected(u"callback_query.id is missing"_s);

    Expected<TelegramProfile, QString> from = profileOf(query.value(u"from"), u"callback_query.from"_s);
    if (!from)
        return unexpected(from.error());
    event.from = std::move(from).value();
    event.kind = IncomingEvent::Kind::Callback;
    event.callbackData = stringOf(query.value(u"data"));

    // The message may be missing (inline mode) or inaccessible (too old: no chat, or date 0).
    const QJsonObject message = query.value(u"message").toObject();
    const QJsonObject chat = message.value(u"chat").toObject();
    const std::optional<qint64> chatId = idOf(chat.value(u"id"));
    if (chatId && *chatId != 0) {
        event.chatId = *chatId;
        event.privateChat = isPrivate(chat, *chatId);
        event.callbackMessageId = std::max<qint64>(0, idOf(message.value(u"message_id")).value_or(0));
    } else {
        event.chatId = event.from.telegramId;
        event.privateChat = true;
        event.callbackMessageId = 0;
    }
    return event;
}

} // namespace

qint64 UpdateParser::updateId(const QJsonValue& update)
{
    const std::optional<qint64> id = idOf(update.toObject().value(u"update_id"));
    return id && *id >= 0 ? *id : -1;
}

Expected<IncomingEvent, QString> UpdateParser::parse(const QJsonValue& update)
{
    if (!update.isObject())
        return unexpected(u"update is not a JSON object"_s);
    const QJsonObject object = update.toObject();

    IncomingEvent event;
    event.updateId = updateId(update);
    if (event.updateId < 0)
        return unexpected(u"update_id is missing or not a number"_s);

    if (const auto it = object.constFind(u"message"); it != object.constEnd())
        return parseMessage(std::move(event), it.value(), u"message"_s, false);
    if (const auto it = object.constFind(u"callback_query"); it != object.constEnd())
        return parseCallback(std::move(event), it.value());
    if (const auto it = object.constFind(u"edited_message"); it != object.constEnd())
        return parseMessage(std::move(event), it.value(), u"edited_message"_s, true);
    if (object.contains(u"channel_post") || object.contains(u"edited_channel_post"))
        return unexpected(u"channel posts are ignored"_s);

    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (it.key() != u"update_id")
            return unexpected(u"unsupported update type "_s + it.key().left(MaxTypeNameLength));
    }
    return unexpected(u"update has no content"_s);
}

namespace {

// A JSON text scanner over bytes: enough structure to find members and the ends of values, no validation of
// what it skips (an update that is used is parsed properly afterwards).
class Scanner
{
public:
    explicit Scanner(const QByteArray& text)
        : m_p(text.constData())
        , m_n(text.size())
    {}

    qsizetype pos() const { return m_i; }
    const char* at(qsizetype i) const { return m_p + i; }

    void ws()
    {
        while (m_i < m_n && (m_p[m_i] == ' ' || m_p[m_i] == '\n' || m_p[m_i] == '\r' || m_p[m_i] == '\t'))
            ++m_i;
    }
    bool eat(char c)
    {
        ws();
        if (m_i < m_n && m_p[m_i] == c) {
            ++m_i;
            return true;
        }
        return false;
    }
    bool peek(char c)
    {
        ws();
        return m_i < m_n && m_p[m_i] == c;
    }
    // A string at the current position; its contents (escapes left as they are) in [begin, end).
    bool string(qsizetype& begin, qsizetype& end)
    {
        ws();
        if (m_i >= m_n || m_p[m_i] != '"')
            return false;
        begin = ++m_i;
        // The next quote not escaped: one after an even run of backslashes (memchr finds quotes quickly; most
        // of an update's bytes are text inside strings).
        for (;;) {
            const void* quote = m_i < m_n ? std::memchr(m_p + m_i, '"', std::size_t(m_n - m_i)) : nullptr;
            if (quote == nullptr) {
                m_i = m_n;
                return false;
            }
            const qsizetype at = static_cast<const char*>(quote) - m_p;
            qsizetype run = at;
            while (run > begin && m_p[run - 1] == '\\')
                --run;
            m_i = at + 1;
            if ((at - run) % 2 == 0) {
                end = at;
                return true;
            }
        }
    }
    // Skips one value; its text is [begin, end).
    bool value(qsizetype& begin, qsizetype& end)
    {
        ws();
        begin = m_i;
        if (m_i >= m_n)
            return false;
        const char c = m_p[m_i];
        if (c == '"') {
            qsizetype b = 0;
            qsizetype e = 0;
            if (!string(b, e))
                return false;
        } else if (c == '{' || c == '[') {
            int depth = 0;
            while (m_i < m_n) {
                const char d = m_p[m_i];
                if (d == '"') {
                    qsizetype b = 0;
                    qsizetype e = 0;
                    if (!string(b, e))
                        return false;
                    continue;
                }
                ++m_i;
                if (d == '{' || d == '[')
                    ++depth;
                else if ((d == '}' || d == ']') && --depth == 0)
                    break;
            }
            if (depth != 0)
                return false;
        } else {
            while (m_i < m_n && !std::strchr(",}] \t\r\n", m_p[m_i]))
                ++m_i;
            if (m_i == begin)
                return false;
        }
        end = m_i;
        return true;
    }

private:
    const char* m_p;
    qsizetype m_n;
    qsizetype m_i = 0;
};

bool keyIs(const QByteArray& text, qsizetype begin, qsizetype end, QByteArrayView key)
{
    return QByteArrayView(text.constData() + begin, end - begin) == key;
}

// The update_id of one update's text when it is a plain non-negative integer member, else nullopt.
std::optional<qint64> quickUpdateId(const QByteArray& update)
{
    Scanner s(update);
    if (!s.eat('{'))
        return std::nullopt;
    std::optional<qint64> id;
    if (s.eat('}'))
        return std::nullopt;
    for (;;) {
        qsizetype kb = 0;
        qsizetype ke = 0;
        qsizetype vb = 0;
        qsizetype ve = 0;
        if (!s.string(kb, ke) || !s.eat(':') || !s.value(vb, ve))
            return std::nullopt;
        if (keyIs(update, kb, ke, "update_id")) {
            if (id)
                return std::nullopt; // twice: let the parser decide which one counts
            bool ok = false;
            const qint64 n = QByteArrayView(update.constData() + vb, ve - vb).toLongLong(&ok);
            const bool digits = std::all_of(update.constData() + vb, update.constData() + ve,
                                            [](char c) { return c >= '0' && c <= '9'; });
            if (!ok || !digits || n > 9007199254740992LL)
                return std::nullopt;
            id = n;
        }
        if (s.eat('}'))
            return id;
        if (!s.eat(','))
            return std::nullopt;
    }
}

} // namespace

std::optional<QList<RawUpdate>> UpdateParser::split(const QByteArray& body)
{
    Scanner s(body);
    if (!s.eat('{'))
        return std::nullopt;
    std::optional<QList<RawUpdate>> result;
    if (s.eat('}'))
        return std::nullopt;
    for (;;) {
        qsizetype kb = 0;
        qsizetype ke = 0;
        if (!s.string(kb, ke) || !s.eat(':'))
            return std::nullopt;
        if (keyIs(body, kb, ke, "result")) {
            if (result || !s.eat('['))
                return std::nullopt;
            result.emplace();
            if (!s.eat(']')) {
                for (;;) {
                    qsizetype vb = 0;
                    qsizetype ve = 0;
                    if (!s.value(vb, ve))
                        return std::nullopt;
                    RawUpdate update;
                    update.json = QByteArray(body.constData() + vb, ve - vb);
                    if (const std::optional<qint64> id = quickUpdateId(update.json))
                        update.id = *id;
                    else
                        update.id = updateId(QJsonDocument::fromJson(update.json).object());
                    result->append(std::move(update));
                    if (s.eat(']'))
                        break;
                    if (!s.eat(','))
                        return std::nullopt;
                }
            }
        } else {
            qsizetype vb = 0;
            qsizetype ve = 0;
            if (!s.value(vb, ve))
                return std::nullopt;
        }
        if (s.eat('}'))
            break;
        if (!s.eat(','))
            return std::nullopt;
    }
    return result;
}

Expected<IncomingEvent, QString> UpdateParser::parse(const QByteArray& json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    return parse(document.isObject() ? QJsonValue(document.object()) : QJsonValue());
}

} // namespace salesbot
