#include "ShellSession.h"

#include "OutboxRepository.h"
#include "UpdateProcessor.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace salesbot {

ShellSession::ShellSession(DbConnection& db, const Dialog& dialog, const CatalogCache& catalog,
                           TelegramProfile user, QTextStream& out)
    : m_db(db)
    , m_dialog(dialog)
    , m_catalog(catalog)
    , m_user(std::move(user))
    , m_out(out)
    // Shell updates get ids far from Telegram's, so both can share one database.
    , m_nextUpdateId(-QDateTime::currentMSecsSinceEpoch())
{}

QString ShellSession::plain(const QString& html)
{
    QString text = html;
    static const QRegularExpression tags(u"<[^>]*>"_s);
    text.remove(tags);
    text.replace("&lt;"_L1, "<"_L1).replace("&gt;"_L1, ">"_L1).replace("&quot;"_L1, "\""_L1);
    text.replace("&#39;"_L1, "'"_L1).replace("&amp;"_L1, "&"_L1);
    return text;
}

QStringList ShellSession::buttonLabels() const
{
    QStringList labels;
    for (const Button& b : m_inline)
        labels << b.label;
    for (const Button& b : m_reply)
        labels << b.label;
    return labels;
}

void ShellSession::print(const QJsonObject& payload, bool edited)
{
    m_out << Qt::endl << (edited ? u"bot (edited):"_s : u"bot:"_s) << Qt::endl;
    m_out << plain(payload.value(u"text"_s).toString()) << Qt::endl;
    const QJsonObject markup = payload.value(u"reply_markup"_s).toObject();
    if (markup.contains(u"inline_keyboard"_s)) {
        m_inline.clear();
        for (const QJsonValue& row : markup.value(u"inline_keyboard"_s).toArray()) {
            for (const QJsonValue& b : row.toArray()) {
                const QJsonObject o = b.toObject();
                m_inline.append(
                    {o.value(u"text"_s).toString(), o.value(u"callback_data"_s).toString(), false, true});
            }
        }
    }
    if (markup.contains(u"keyboard"_s)) {
        m_reply.clear();
        for (const QJsonValue& row : markup.value(u"keyboard"_s).toArray()) {
            for (const QJsonValue& b : row.toArray()) {
                const QJsonObject o = b.toObject();
                m_reply.append(
                    {o.value(u"text"_s).toString(), {}, o.value(u"request_contact"_s).toBool(), false});
            }
        }
    }
    if (markup.value(u"remove_keyboard"_s).toBool())
        m_reply.clear();
    const QStringList labels = buttonLabels();
    for (qsizetype i = 0; i < labels.size(); ++i)
        m_out << u"  [%1] %2"_s.arg(i + 1).arg(labels.at(i)) << Qt::endl;
}

void ShellSession::deliver(IncomingEvent event)
{
    event.updateId = m_nextUpdateId++;
    event.chatId = m_user.telegramId;
    event.from = m_user;
    UpdateProcessor processor(m_db, m_dialog, m_catalog, 60'000);
    const ProcessOutcome outcome = processor.process(event);
    if (outcome.kind == ProcessOutcome::Kind::Failed) {
        m_out << u"error: "_s << outcome.error << Qt::endl;
        return;
    }
    QList<qint64> delivered;
    for (const OutboxMessage& m : outcome.messages) {
        delivered << m.id;
        if (m.method == "answerCallbackQuery"_L1) {
            if (const QString notice = m.payload.value(u"text"_s).toString(); !notice.isEmpty())
                m_out << u"(%1)"_s.arg(notice) << Qt::endl;
            continue;
        }
        if (m.chatId != m_user.telegramId) {
            m_out << Qt::endl
                  << u"to managers:"_s << Qt::endl
                  << plain(m.payload.value(u"text"_s).toString()) << Qt::endl;
            continue;
        }
        const bool edited = m.method == "editMessageText"_L1;
        print(m.payload, edited);
        if (!edited && m.payload.value(u"reply_markup"_s).toObject().contains(u"inline_keyboard"_s))
            m_lastInlineMessageId = m_nextMessageId;
        ++m_nextMessageId;
    }
    // The terminal was the delivery.
    if (auto marked = OutboxRepository(m_db).markSent(delivered); !marked)
        m_out << u"error: "_s << marked.error().message() << Qt::endl;
    m_out.flush();
}

bool ShellSession::handleLine(const QString& raw)
{
    const QString line = raw.trimmed();
    if (line == "/quit"_L1 || line == "/exit"_L1)
        return false;
    if (line.isEmpty())
        return true;
    IncomingEvent event;
    bool isNumber = false;
    const int index = line.toInt(&isNumber) - 1;
    const QList<Button> buttons = m_inline + m_reply;
    if (isNumber && index >= 0 && index < buttons.size()) {
        const Button& b = buttons.at(index);
        if (b.inlineButton) {
            event.kind = IncomingEvent::Kind::Callback;
            event.callbackId = u"shell-%1"_s.arg(m_nextUpdateId);
            event.callbackData = b.callbackData;
            event.callbackMessageId = m_lastInlineMessageId;
        } else if (b.requestContact) {
            event.kind = IncomingEvent::Kind::Contact;
            event.contactUserId = m_user.telegramId;
            event.contactPhone = u"+79990000000"_s;
        } else {
            event.kind = IncomingEvent::Kind::Text;
            event.text = b.label;
        }
    } else if (line.startsWith("/contact"_L1)) {
        event.kind = IncomingEvent::Kind::Contact;
        event.contactUserId = m_user.telegramId;
        const QString phone = line.mid(8).trimmed();
        event.contactPhone = phone.isEmpty() ? u"+79990000000"_s : phone;
    } else if (line.startsWith(u'/')) {
        event.kind = IncomingEvent::Kind::Command;
        const QString word = line.mid(1).section(u' ', 0, 0);
        event.command = word.section(u'@', 0, 0).toLower();
        event.text = line.section(u' ', 1);
    } else {
        event.kind = IncomingEvent::Kind::Text;
        event.text = raw;
    }
    deliver(event);
    return true;
}

int ShellSession::run(QTextStream& in)
{
    m_out << u"salesbot shell: you are %1 (id %2). A number presses a button, text is a message, /contact "
             "shares your contact, /quit ends."_s.arg(m_user.firstName)
                 .arg(m_user.telegramId)
          << Qt::endl;
    handleLine(u"/start"_s);
    while (true) {
        m_out << u"> "_s << Qt::flush;
        QString line;
        if (!in.readLineInto(&line))
            break;
        if (!handleLine(line))
            break;
    }
    m_out << Qt::endl;
    return 0;
}

} // namespace salesbot
