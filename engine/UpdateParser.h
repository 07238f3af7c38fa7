#pragma once

// Turns one Telegram Update (JSON) into the IncomingEvent the dialog works on, or says in one line why not.

#include "Expected.h"
#include "IncomingEvent.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace salesbot {

// Decisions (lenient, like local Bot API servers, proxies and old servers: only what the dialog needs):
// - Required: update_id; for messages chat.id and from.id; for callback queries id and from.id; for a
//   contact its phone_number. Ids may be JSON numbers or numeric strings. Everything else is optional and
//   unknown keys are ignored; a field of the wrong type counts as absent.
// - message: "text" -> Text, or Command when it starts with '/' followed by a word (letters, digits, '_';
//   "@botname" cut off, lower-cased; the arguments after the first whitespace, trimmed, become `text`);
//   entities are not needed. "contact" -> Contact. Anything else (sticker, photo, voice, ...) -> Other.
// - edited_message -> Other (a friendly reply, never a re-run of the edited command).
// - callback_query: data optional; without an accessible message the chat is the sender's private chat.
// - channel_post / edited_channel_post -> error "channel posts are ignored"; any other update type ->
//   error "unsupported update type <name>".
// - chat.type other than "private" -> privateChat = false; without chat.type a positive chat id is private.
// - Strings are kept as sent (no trimming of the user's text) except that NUL characters are removed
//   (PostgreSQL text cannot hold them). Error messages name the missing field, never the user's text.
// One update of a getUpdates answer, not parsed yet: its update_id (-1 when there is none) and its JSON text.
struct RawUpdate
{
    qint64 id = -1;
    QByteArray json;
};

class UpdateParser final
{
public:
    UpdateParser() = delete;

    static Expected<IncomingEvent, QString> parse(const QJsonValue& update);
    // The update's update_id even when the rest is malformed (so its offset can still be confirmed);
    // -1 when there is none.
    static qint64 updateId(const QJsonValue& update);
    // The updates of a getUpdates answer ({"ok":true,"result":[...]}) with their ids, found by scanning the
    // text, not parsing it: most of a batch is updates still in flight, sent again until their offset is
    // confirmed, and they need no more than their id. An update whose id is not a plain integer is parsed to
    // find it, as updateId() would. nullopt when the text is not such an answer (parse it then).
    static std::optional<QList<RawUpdate>> split(const QByteArray& body);
    // parse() of a RawUpdate's text.
    static Expected<IncomingEvent, QString> parse(const QByteArray& json);
};

} // namespace salesbot
