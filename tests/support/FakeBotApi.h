#pragma once

// A Telegram Bot API emulator serving real HTTP on 127.0.0.1, for the engine's end-to-end tests and
// benchmarks.

#include "HttpConnection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <array>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

class QTcpServer;
class QTimer;

namespace salesbot::test {

// Decisions:
// - Runs event-driven in the thread that creates it; only the wait helpers spin a nested event loop.
// - URL scheme as Telegram: <baseUrl>/bot<token>/<method>, method names case-insensitive, GET or POST;
//   parameters from the query string, then an application/json or application/x-www-form-urlencoded body
//   (the body wins). '+' in a query or form value means a space, as in any form decoding.
// - Error bodies are Telegram's: {"ok":false,"error_code":N,"description":"..."} (exact descriptions in
//   the source). Checks run in this order: path and token (404/401), injected faults (failNext, dropNext;
//   delayNext only delays), unknown method (404), parameters (400), blocked chat (403), rate limit (429),
//   then for editMessageText "message to edit not found" and "message is not modified" (400).
// - getUpdates: limit outside 1..100 means 100; a negative offset keeps the last -offset updates;
//   allowed_updates is accepted and ignored. A failed or dropped getUpdates confirms nothing.
// - Message ids are one increasing sequence per chat, shared by the user's and the bot's messages.
// - parse_mode HTML is checked like Telegram does (supported tags, balanced tags): a bad text gets
//   400 "Bad Request: can't parse entities: ...". MarkdownV2 is not checked.
// - Nothing is logged per request; records are indexed by chat id.
class FakeBotApi : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeBotApi)

public:
    // A sendMessage or editMessageText that succeeded, in arrival order per chat.
    struct SentMessage
    {
        QString method;
        qint64 chatId = 0;
        qint64 messageId = 0;
        QString text;
        QJsonObject replyMarkup;
        QJsonObject params;
        qint64 receivedAtNs = 0; // nowNs() when the request was parsed
    };
    // Any request that reached a method (valid token). httpStatus 0: never answered (dropped, client left).
    struct Request
    {
        QString method;
        QJsonObject params;
        int httpStatus = 0;
        qint64 receivedAtNs = 0;
    };

    static constexpr qint64 BotId = 123456;

    explicit FakeBotApi(QObject* parent = nullptr);
    ~FakeBotApi() override;

    // --- Server
    // Listens on 127.0.0.1 on a random port.
    bool listen();
    // http://127.0.0.1:PORT (no trailing slash).
    QUrl baseUrl() const;
    // <baseUrl>/bot<token>/<method>.
    QUrl methodUrl(const QString& method) const;
    void setToken(const QString& token);
    QString token() const { return m_token; }
    // TCP connections accepted so far (keep-alive reuses them).
    int connectionsAccepted() const { return m_connectionsAccepted; }
    // Nanoseconds since construction: the clock of every recorded timestamp.
    qint64 nowNs() const { return m_clock.nsecsElapsed(); }

    // --- Behaviour
    // Off: getUpdates with nothing pending answers [] at once whatever its timeout. Default on.
    void setLongPolling(bool enabled) { m_longPolling = enabled; }
    // editMessageText answers `true` instead of the edited Message (as for inline messages). Default off.
    void setEditReturnsTrue(bool enabled) { m_editReturnsTrue = enabled; }
    // Sliding one-second windows for sendMessage and editMessageText; 0 = no limit. Default off.
    void setRateLimits(int globalPerSecond, int perChatPerSecond);
    // sendMessage and editMessageText to the chat get 403 "Forbidden: bot was blocked by the user".
    void blockChat(qint64 chatId);
    void unblockChat(qint64 chatId);
    // The next `count` calls of `method` ("*": any method) get exactly this status and body, with no effect.
    void failNext(const QString& method, int httpStatus, const QByteArray& body, int count = 1);
    // 429 {"ok":false,"error_code":429,"description":"Too Many Requests: retry after
    // N","parameters":{"retry_after":N}}
    void failNextWithRetryAfter(const QString& method, int seconds, int count = 1);
    // 502 with nginx's HTML page.
    void failNextWithServerError(const QString& method, int count = 1);
    // The next `count` calls of `method` are handled at once but answered `ms` later.
    void delayNext(const QString& method, int ms, int count = 1);
    // The next `count` calls of `method` are not handled: the connection is closed without an answer.
    // QNetworkAccessManager silently resends a request once or twice when that happens on a reused
    // connection.
    void dropNext(const QString& method, int count = 1);
    // Forgets every injected failure, drop and delay not used yet.
    void clearFaults()
    {
        m_faults.clear();
        m_delays.clear();
    }
    // allRequests() keeps every request (default on); a benchmark may turn it off.
    void setRequestLogEnabled(bool enabled) { m_logRequests = enabled; }
    // sent() keeps every message (default on); off, only each chat's latest (a benchmark's hundred thousand
    // messages would otherwise keep growing the heap).
    void setSentHistoryEnabled(bool enabled) { m_keepSentHistory = enabled; }

    // --- Updates
    void setNextUpdateId(qint64 updateId) { m_nextUpdateId = updateId; }
    // The user data the builders put into `from` (default: first name "Анна", language "ru", no username).
    void setUserProfile(qint64 userId, const QString& firstName, const QString& username = {},
                        const QString& languageCode = QStringLiteral("ru"));
    // Sets update_id (the next id) and queues the update; returns the id.
    qint64 pushUpdate(QJsonObject update);
    // Queues a JSON text placed verbatim into the result array. The id orders it and is compared with the
    // offset; without one it is read from a top-level "update_id" number, else the next id is taken.
    qint64 pushRawUpdate(const QByteArray& jsonElement);
    qint64 pushRawUpdate(qint64 updateId, const QByteArray& jsonElement);
    // A private-chat text message from the user (chat id == user id); also sets the user's profile.
    qint64 pushText(qint64 userId, const QString& text, const QString& languageCode = QStringLiteral("ru"),
                    const QString& firstName = QStringLiteral("Анна"), const QString& username = {});
    // As pushText, with a bot_command entity over the command word.
    qint64 pushCommand(qint64 userId, const QString& command,
                       const QString& languageCode = QStringLiteral("ru"),
                       const QString& firstName = QStringLiteral("Анна"), const QString& username = {});
    // A message.contact {phone_number, first_name, user_id} from the user.
    qint64 pushContact(qint64 userId, qint64 contactUserId, const QString& phone);
    qint64 pushSticker(qint64 userId);
    // A callback_query for a button under the bot's message `messageId` in the user's chat.
    qint64 pushCallback(qint64 userId, qint64 messageId, const QString& data);
    // nowNs() when the update was pushed; -1 if unknown.
    qint64 pushedAtNs(qint64 updateId) const { return m_pushedAt.value(updateId, -1); }
    // Queued and not yet confirmed by an offset.
    int pendingUpdateCount() const { return static_cast<int>(m_updates.size()); }
    // The highest positive offset a getUpdates carried.
    qint64 confirmedOffset() const { return m_confirmedOffset; }
    int getUpdatesCalls() const;
    // Updates in all getUpdates answers, counting each time an unconfirmed one was sent again.
    qint64 updatesDelivered() const;
    // A getUpdates is being held (long polling).
    bool isPollHeld() const { return m_held.has_value(); }

    // --- Records
    QList<SentMessage> sent(qint64 chatId) const;
    int sentCount(qint64 chatId) const;
    // Recorded sendMessage and editMessageText over all chats.
    int totalSent() const { return m_totalSent; }
    QString lastText(qint64 chatId) const;
    QJsonObject lastMarkup(qint64 chatId) const;
    QStringList answeredCallbacks() const { return m_answeredCallbacks; }
    // Calls of the method (case-insensitive; "*": all), including failed, dropped and rejected ones.
    int requestCount(const QString& method) const;
    QList<Request> allRequests() const { return m_requests; }
    int tooManyRequests() const { return m_tooManyRequests; }
    int tooManyRequests(qint64 chatId) const;
    // Spins the event loop until the chat has at least `count` recorded messages or the time is up.
    bool waitForSent(qint64 chatId, int count, int timeoutMs = 5000);
    // Spins the event loop until the method has been called at least `count` times or the time is up.
    bool waitForRequests(const QString& method, int count, int timeoutMs = 5000);

    // --- Keyboards
    // The button labels, row by row, of the chat's latest bot message that has an inline or reply keyboard.
    QStringList buttons(qint64 chatId) const;
    // An inline button of the latest message with an inline keyboard: pushes its callback_query. Else a
    // button of the reply keyboard shown: pushes its text, or a contact with the user's own id and
    // +79161234567 when it requests the contact. Returns the update id; 0 with a warning if not found.
    qint64 pressButton(qint64 chatId, const QString& label);

Q_SIGNALS:
    // After every answer to a request with the right token (also errors and injected faults, not drops);
    // chatId is the chat_id parameter (for answerCallbackQuery the chat of the query), else 0.
    void requestHandled(const QString& method, qint64 chatId);

private:
    enum class Method
    {
        GetMe,
        GetUpdates,
        SendMessage,
        EditMessageText,
        AnswerCallbackQuery,
        SetMyCommands,
        DeleteMessage,
        SendChatAction,
        DeleteWebhook,
        Unknown
    };
    static constexpr int KnownMethods = static_cast<int>(Method::Unknown);

    struct Profile
    {
        QString firstName;
        QString username;
        QString languageCode;
    };
    struct StoredMessage
    {
        QString text;
        QJsonObject markup;
        // The markup as JSON if it is an inline keyboard (Telegram sends it back with the message).
        QByteArray inlineMarkupJson;
        qint64 date = 0;
    };
    struct Chat
    {
        QList<SentMessage> sent;
        std::map<qint64, StoredMessage> messages; // the bot's messages by id
        QJsonArray replyKeyboard;                 // rows of the reply keyboard shown, if any
        QList<qint64> window;                     // accepted sends in the last second (rate limit)
        qint64 nextMessageId = 1;
        int tooManyRequests = 0;
        bool blocked = false;
    };
    struct PendingUpdate
    {
        qint64 id = 0;
        QByteArray json;
    };
    struct Fault
    {
        QString method;
        int status = 0; // 0: drop
        QByteArray body;
        int remaining = 0;
    };
    struct Delay
    {
        QString method;
        int ms = 0;
        int remaining = 0;
    };
    // The request being handled.
    struct Call
    {
        HttpConnection* connection = nullptr;
        Method method = Method::Unknown;
        QString name;
        QJsonObject params;
        qsizetype logIndex = -1;
        qint64 receivedAtNs = 0;
        qint64 chatId = 0;
    };
    struct HeldPoll
    {
        QPointer<HttpConnection> connection;
        quint64 serial = 0;
        qint64 offset = 0;
        int limit = 100;
        qsizetype logIndex = -1;
    };

    void onNewConnection();
    void onConnectionClosed(HttpConnection* connection);
    void handle(HttpConnection* connection, const HttpConnection::Request& request);
    void dispatch(Call& call);
    void answer(Call& call, int status, QByteArrayView body);
    void answerOk(Call& call, const QJsonValue& result);
    void answerOk(Call& call, QByteArrayView resultJson);
    void answerError(Call& call, int code, const QString& description);
    void finish(HttpConnection* connection, qsizetype logIndex, const QString& method, qint64 chatId,
                int status, QByteArrayView body, QByteArrayView contentType);

    void getUpdates(Call& call);
    void sendMessage(Call& call);
    void editMessageText(Call& call);
    void deleteMessage(Call& call);
    void answerCallbackQuery(Call& call);
    bool checkChatAccess(Call& call, Chat& chat);
    bool admitByRateLimit(Call& call, Chat& chat);
    void record(Chat& chat, SentMessage message);

    void forgetBefore(qint64 offset);
    void writeUpdatesBody(int limit);
    void answerHeldPoll();
    // The connection of a held getUpdates if it still waits for that answer, else nullptr.
    static HttpConnection* waitingConnection(const HeldPoll& poll);
    void scheduleWake();
    qint64 enqueue(qint64 updateId, QByteArray json);
    // A message update from the user; `members` are the message's own fields as JSON object members.
    qint64 pushMessage(qint64 userId, QByteArrayView members);
    qint64 pushUpdateOf(QByteArrayView kind, QByteArrayView objectJson);

    Chat& chatState(qint64 chatId) { return m_chats[chatId]; }
    const Chat* findChat(qint64 chatId) const;
    const Profile& profile(qint64 userId) const;
    void appendUserJson(QByteArray& out, qint64 userId) const;
    void appendMessageJson(QByteArray& out, qint64 chatId, qint64 messageId, const StoredMessage& message,
                           qint64 editDate = 0) const;
    static void setMarkup(StoredMessage& message, const QJsonObject& markup);
    const QString& methodName(Method method) const { return m_methodNames[static_cast<int>(method)]; }
    Method methodOf(QByteArrayView name) const;
    bool waitUntil(const std::function<bool()>& done, int timeoutMs);

    QTcpServer* m_server = nullptr;
    QTimer* m_pollTimer = nullptr;
    QElapsedTimer m_clock;
    QJsonObject m_bot; // the `from` of the bot's messages
    QByteArray m_botJson;
    QString m_token;
    QByteArray m_tokenUtf8;
    std::array<QString, KnownMethods + 1> m_methodNames;

    bool m_longPolling = true;
    bool m_editReturnsTrue = false;
    bool m_logRequests = true;
    bool m_keepSentHistory = true;
    bool m_wakeScheduled = false;
    int m_globalPerSecond = 0;
    int m_chatPerSecond = 0;
    std::deque<qint64> m_globalWindow;
    std::vector<Fault> m_faults;
    std::vector<Delay> m_delays;

    std::deque<PendingUpdate> m_updates; // sorted by id
    std::optional<HeldPoll> m_held;
    qint64 m_nextUpdateId = 1;
    qint64 m_confirmedOffset = 0;
    QHash<qint64, qint64> m_pushedAt;
    qint64 m_nextCallbackId = 1;
    qint64 m_nextFileId = 1;

    std::unordered_map<qint64, Chat> m_chats;
    QHash<qint64, Profile> m_profiles;
    QHash<QString, qint64> m_callbackChats; // callback query id -> chat
    QStringList m_answeredCallbacks;
    QList<Request> m_requests;
    std::array<int, KnownMethods + 1> m_counts{};
    qint64 m_updatesDelivered = 0;
    QHash<QString, int> m_unknownCounts; // by name as sent
    int m_totalRequests = 0;
    int m_totalSent = 0;
    int m_tooManyRequests = 0;
    int m_connectionsAccepted = 0;
    QByteArray m_body; // answer being built (capacity reused)
};

} // namespace salesbot::test
