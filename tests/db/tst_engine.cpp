// The engine end to end, in process: real HTTP to the Bot API emulator over loopback, the real database
// (SQLite and PostgreSQL), the whole dialog, and Telegram misbehaving.

#include "ApplicationRepository.h"
#include "Config.h"
#include "Engine.h"
#include "FakeBotApi.h"
#include "OutboxRepository.h"
#include "ProcessedUpdateRepository.h"
#include "TestDatabase.h"
#include "UserRepository.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

namespace {

const QString Token = u"123456:TEST-token"_s;
constexpr qint64 Managers = -1001234567890;

// Every log line of the run, to check what the engine says and that the token is never in it.
QMutex s_logMutex;
QStringList s_log;
QtMessageHandler s_previous = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    {
        QMutexLocker locker(&s_logMutex);
        s_log << message;
    }
    if (type >= QtWarningMsg && s_previous)
        s_previous(type, context, message);
}

QStringList logLines()
{
    QMutexLocker locker(&s_logMutex);
    return s_log;
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();
    void fullFunnel();
    void workersAreReadyBeforePolling();
    void twoFastTapsGiveOneApplication();
    void restartMidFormResumesWithThePackage();
    void duplicateOfferAndContactUpdate();
    void statusCancelFreeTextAndStickers();
    void hostileProfileIsStoredAndAnswered();
    void englishUser();
    void staleCallbackIsAnswered();
    void buttonAnswerDoesNotHoldTheReply();
    void onlyAnswersWithANoticeAreStored();
    void answerTooManyRequestsWaitsInItsLane();
    void malformedUpdateIsSkippedAndLogged();
    void retryAfterIsHonouredToTheSecond();
    void serverErrorsBackOff();
    void garbageResponseIsRetried();
    void blockedUserIsMarked();
    void statusMessageQueuedByTheConsoleIsDelivered();
    void serverWithoutLongPollingDoesNotSpin();
    void updateInFlightIsNotFetchedAgainBeforeACommit();
    void conflictIsSaidPlainly();
    void wrongTokenIsFatal();
    void databaseGoingAwayLosesNothing();
    void transientFailureKeepsTheChatsOrder();
    void failingUpdateIsSkippedWithAnApology();
    void chatsAreCommittedTogetherAndABadOneAlone();
    void stopFinishesInFlightWork();
    void oldSentMessagesAreForgotten();
    void tokenNeverLogged();

private:
    Config config(const QString& token = Token) const;
    void startEngine(EngineOptions options = {});
    void stopEngine();
    int applicationCount();
    QString lastText(qint64 chat) { return m_api->lastText(chat); }
    // Presses a button and waits for the bot's next message in that chat.
    bool press(qint64 chat, const QString& label);
    bool say(qint64 chat, const QString& text);

    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
    std::unique_ptr<FakeBotApi> m_api;
    std::unique_ptr<Engine> m_engine;
};

void TestEngine::initTestCase()
{
    s_previous = qInstallMessageHandler(captureLog);
}

void TestEngine::cleanupTestCase()
{
    qInstallMessageHandler(s_previous);
}

void TestEngine::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
    m_api = std::make_unique<FakeBotApi>();
    m_api->setToken(Token);
    QVERIFY(m_api->listen());
    QMutexLocker locker(&s_logMutex);
    s_log.clear();
}

void TestEngine::cleanup()
{
    stopEngine();
    m_api.reset();
    m_db.reset();
    m_database.reset();
}

Config TestEngine::config(const QString& token) const
{
    QProcessEnvironment env;
    env.insert(u"DATABASE_URL"_s, m_database->settings().toUrl(true));
    env.insert(u"BOT_TOKEN"_s, token);
    env.insert(u"TELEGRAM_API_URL"_s, m_api->baseUrl().toString());
    env.insert(u"MANAGER_CHAT_ID"_s, QString::number(Managers));
    auto config = Config::fromEnvironment(env);
    if (!config)
        qFatal("%s", qPrintable(config.error()));
    return *config;
}

void TestEngine::startEngine(EngineOptions options)
{
    if (options.workers == EngineOptions{}.workers)
        options.workers = 3;
    options.longPollTimeoutSeconds = 2;
    options.outboxPollMs = 200;
    options.heartbeatMs = 500;
    m_engine = std::make_unique<Engine>(config(), options);
    QSignalSpy started(m_engine.get(), &Engine::started);
    QSignalSpy failed(m_engine.get(), &Engine::failed);
    m_engine->start();
    QVERIFY2(started.wait(10'000) || !failed.isEmpty(), "the engine did not start");
    QVERIFY2(failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.at(0).at(1).toString()));
}

void TestEngine::stopEngine()
{
    if (!m_engine)
        return;
    QSignalSpy stopped(m_engine.get(), &Engine::stopped);
    m_engine->stop();
    if (stopped.isEmpty())
        stopped.wait(12'000);
    m_engine.reset();
}

int TestEngine::applicationCount()
{
    auto n = ApplicationRepository(*m_db).count({});
    return n ? int(*n) : -1;
}

bool TestEngine::press(qint64 chat, const QString& label)
{
    const int before = m_api->sentCount(chat);
    if (m_api->pressButton(chat, label) == 0)
        return false;
    return m_api->waitForSent(chat, before + 1, 5000);
}

bool TestEngine::say(qint64 chat, const QString& text)
{
    const int before = m_api->sentCount(chat);
    m_api->pushText(chat, text);
    return m_api->waitForSent(chat, before + 1, 5000);
}

void TestEngine::fullFunnel()
{
    startEngine();
    const qint64 u = 5001;
    m_api->pushCommand(u, u"/start"_s, u"ru"_s, u"Анна"_s, u"anna_k"_s);
    QVERIFY(m_api->waitForSent(u, 1));
    QVERIFY(lastText(u).contains(u"Анна"_s));
    QCOMPARE(m_api->buttons(u), (QStringList{u"📦 Пакеты услуг"_s, u"📝 Оставить заявку"_s,
                                             u"ℹ️ О компании"_s, u"📞 Контакты"_s}));
    QVERIFY(press(u, u"📦 Пакеты услуг"_s));
    QCOMPARE(m_api->sent(u).constLast().method, u"editMessageText"_s);
    QVERIFY(m_api->buttons(u).contains(u"Премиум — от 120 000 ₽"_s));
    QVERIFY(press(u, u"Премиум — от 120 000 ₽"_s));
    QVERIFY(lastText(u).contains(u"4–6 недель"_s));
    QVERIFY(press(u, u"📝 Оставить заявку на этот пакет"_s));
    QCOMPARE(lastText(u), u"Как к вам обращаться? Напишите, пожалуйста, ваше имя."_s);
    QVERIFY(say(u, u"Анна"_s));
    QVERIFY(lastText(u).startsWith(u"Оставьте номер телефона"_s));
    QVERIFY(m_api->buttons(u).contains(u"📱 Отправить номер"_s));
    const int before = m_api->sentCount(u);
    QVERIFY(m_api->pressButton(u, u"📱 Отправить номер"_s) > 0);
    QVERIFY(m_api->waitForSent(u, before + 2));
    const QString thanks = m_api->sent(u).at(before).text;
    QVERIFY2(thanks.startsWith(u"Спасибо, Анна! Ваша заявка №"_s), qPrintable(thanks));
    QVERIFY(thanks.contains(u"Премиум"_s));
    QVERIFY(m_api->buttons(u).contains(u"🔎 Моя заявка"_s));
    QVERIFY(m_api->waitForSent(Managers, 1));
    // The last event carried no username (pushText resets the profile), so the link is by id.
    QVERIFY2(m_api->lastText(Managers).contains(u"tg://user?id=5001"_s),
             qPrintable(m_api->lastText(Managers)));
    QVERIFY(m_api->lastText(Managers).contains(u"+79161234567"_s));
    // Every callback was answered.
    QVERIFY(m_api->waitForRequests(u"answerCallbackQuery"_s, 3));
    QCOMPARE(m_api->answeredCallbacks().size(), 3);

    QCOMPARE(applicationCount(), 1);
    auto user = UserRepository(*m_db).findByTelegramId(u);
    auto app = ApplicationRepository(*m_db).findLatest((*user)->id);
    QCOMPARE((*app)->packageCode, u"premium"_s);
    QCOMPARE((*app)->phone, u"+79161234567"_s);
    QSqlQuery& q = m_db->exec(u"SELECT COUNT(*) FROM bot_metrics WHERE telegram_id = ?"_s, {u}, u"count"_s);
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 7); // start, packages, package_view, apply_start, name, phone, created
    q.finish();
    // The offset moved past everything, and the outbox holds nothing unsent.
    QTRY_VERIFY_WITH_TIMEOUT(m_api->pendingUpdateCount() == 0, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(
        OutboxRepository(*m_db).counts()->pending + OutboxRepository(*m_db).counts()->sending == 0, 5000);
    bool applicationLogged = false;
    for (const QString& line : logLines())
        applicationLogged |= line.contains(u"application"_s) && line.contains(u"created"_s);
    QVERIFY(applicationLogged);
}

void TestEngine::workersAreReadyBeforePolling()
{
    // The first users after a start do not wait for the workers' connections and first plans: when the
    // engine says it has started, each worker has run the update statements once already.
    if (TestDatabase::backend() != Dialect::PostgreSql)
        QSKIP("SQLite is in process: there is no connection to open");
    EngineOptions options;
    options.workers = 3;
    startEngine(options);
    QSqlQuery& q = m_db->exec(u"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                              "AND query LIKE 'EXECUTE salesbot_%'"_s,
                              {}, u"sessions"_s);
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 3);
    q.finish();
    QCOMPARE(m_api->updatesDelivered(), 0);
}

void TestEngine::twoFastTapsGiveOneApplication()
{
    startEngine();
    const qint64 u = 5002;
    m_api->pushCommand(u, u"/start"_s);
    QVERIFY(m_api->waitForSent(u, 1));
    const qint64 menu = m_api->sent(u).constLast().messageId;
    m_api->pushCallback(u, menu, u"a"_s);
    m_api->pushCallback(u, menu, u"a"_s);
    QVERIFY(m_api->waitForSent(u, 3));
    m_api->pushText(u, u"Анна"_s);
    QVERIFY(m_api->waitForSent(u, 4));
    // Two quick submissions of the phone as well.
    m_api->pushText(u, u"+79161234567"_s);
    m_api->pushText(u, u"+79161234567"_s);
    QVERIFY(m_api->waitForSent(u, 7));
    QTest::qWait(300);
    QCOMPARE(applicationCount(), 1);
}

void TestEngine::restartMidFormResumesWithThePackage()
{
    startEngine();
    const qint64 u = 5003;
    m_api->pushCallback(u, 0, u"p:advanced"_s);
    QVERIFY(m_api->waitForSent(u, 1));
    QVERIFY(press(u, u"📝 Оставить заявку на этот пакет"_s));
    QVERIFY(say(u, u"Борис"_s));
    stopEngine();
    // A new engine, as after a deploy or a crash.
    startEngine();
    QVERIFY(say(u, u"+7 916 765-43-21"_s));
    QTRY_COMPARE_WITH_TIMEOUT(applicationCount(), 1, 5000);
    auto user = UserRepository(*m_db).findByTelegramId(u);
    auto app = ApplicationRepository(*m_db).findLatest((*user)->id);
    QCOMPARE((*app)->packageCode, u"advanced"_s);
    QCOMPARE((*app)->name, u"Борис"_s);
    QCOMPARE((*app)->phone, u"+79167654321"_s);
}

void TestEngine::duplicateOfferAndContactUpdate()
{
    startEngine();
    const qint64 u = 5004;
    m_api->pushCallback(u, 0, u"a:basic"_s);
    QVERIFY(m_api->waitForSent(u, 1));
    QVERIFY(say(u, u"Вера"_s));
    QVERIFY(say(u, u"89161112233"_s));
    QTRY_COMPARE_WITH_TIMEOUT(applicationCount(), 1, 5000);
    // From the premium card: the open application blocks a second one and offers the switch.
    m_api->pushCallback(u, 0, u"a:premium"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_api->buttons(u).contains(u"📦 Сменить пакет на «Премиум»"_s), 5000);
    QVERIFY(m_api->buttons(u).contains(u"✏️ Обновить контакты"_s));
    QVERIFY(press(u, u"✏️ Обновить контакты"_s));
    QVERIFY(say(u, u"Вера Н."_s));
    // Someone else's contact is refused, an invalid phone is asked again.
    const int beforeContact = m_api->sentCount(u);
    m_api->pushContact(u, 777, u"79160000000"_s);
    QVERIFY(m_api->waitForSent(u, beforeContact + 1));
    QVERIFY(lastText(u).contains(u"чужой"_s) || lastText(u).contains(u"someone else"_s));
    QVERIFY(say(u, u"not a phone"_s));
    QVERIFY(lastText(u).contains(u"введите номер вручную"_s));
    const int before = m_api->sentCount(u);
    m_api->pushText(u, u"+49 30 1234567"_s);
    QVERIFY(m_api->waitForSent(u, before + 2));
    QVERIFY(m_api->sent(u).at(before).text.startsWith(u"Контактные данные по заявке №"_s));
    QCOMPARE(applicationCount(), 1);
    auto user = UserRepository(*m_db).findByTelegramId(u);
    auto app = ApplicationRepository(*m_db).findLatest((*user)->id);
    QCOMPARE((*app)->phone, u"+49301234567"_s);
    QCOMPARE((*app)->name, u"Вера Н."_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_api->lastText(Managers).contains(u"Обновлены контакты"_s), 5000);
}

void TestEngine::statusCancelFreeTextAndStickers()
{
    startEngine();
    const qint64 u = 5005;
    m_api->pushCommand(u, u"/status"_s);
    QVERIFY(m_api->waitForSent(u, 1));
    QCOMPARE(m_api->buttons(u), (QStringList{u"📝 Оставить заявку"_s, u"🏠 Главное меню"_s}));
    m_api->pushCommand(u, u"/apply"_s);
    QVERIFY(m_api->waitForSent(u, 2));
    QVERIFY(say(u, u"/cancel"_s) || true);
    QTRY_VERIFY_WITH_TIMEOUT(m_api->sentCount(u) >= 4, 5000);
    QVERIFY(m_api->sent(u).at(2).text.startsWith(u"Заявка отменена."_s));
    const int before = m_api->sentCount(u);
    m_api->pushSticker(u);
    m_api->pushText(u, u"'); DROP TABLE users; -- <b>привет</b> \u0001"_s);
    m_api->pushCommand(u, u"/frobnicate"_s);
    QVERIFY(m_api->waitForSent(u, before + 6));
    QVERIFY(m_api->buttons(u).contains(u"📦 Пакеты услуг"_s));
    QSqlQuery& q =
        m_db->exec(u"SELECT COUNT(*) FROM bot_metrics WHERE action = 'free_text'"_s, {}, u"count"_s);
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 3);
    q.finish();
    QVERIFY(UserRepository(*m_db).count());
}

void TestEngine::hostileProfileIsStoredAndAnswered()
{
    startEngine();
    const qint64 u = 5014;
    // Quotes, backslashes, NUL and other control characters, markup, SQL, an emoji: through the JSON rows of
    // the engine's statements and back.
    const QString name = u"Ан\"на\\ \u0000<b>&</b>'); DROP TABLE users; -- \u0007\u001b[31m 🤖"_s;
    const QString username = u"x\\\"y"_s;
    m_api->pushCommand(u, u"/start"_s, u"ru"_s, name, username);
    QVERIFY(m_api->waitForSent(u, 1));
    QVERIFY2(lastText(u).contains(u"Что вас интересует?"_s), qPrintable(lastText(u)));
    QSqlQuery& q =
        m_db->exec(u"SELECT first_name, username FROM users WHERE telegram_id = ?"_s, {u}, u"user"_s);
    QVERIFY(q.next());
    // Exactly as sent, but for U+0000, which the parser drops (PostgreSQL's text cannot hold it).
    QCOMPARE(q.value(0).toString(), QString(name).remove(QChar(0)));
    QCOMPARE(q.value(1).toString(), username);
    q.finish();
    // The same text as a message (free text, recorded as an event) is answered too.
    m_api->pushText(u, name);
    QVERIFY(m_api->waitForSent(u, 2));
    QCOMPARE(UserRepository(*m_db).count().value(), 1);
}

void TestEngine::englishUser()
{
    startEngine();
    m_api->pushCommand(5006, u"/start"_s, u"en"_s, u"John"_s);
    QVERIFY(m_api->waitForSent(5006, 1));
    QVERIFY(lastText(5006).startsWith(u"Hello, John!"_s));
    QCOMPARE(m_api->buttons(5006),
             (QStringList{u"📦 Service packages"_s, u"📝 Apply"_s, u"ℹ️ About us"_s, u"📞 Contacts"_s}));
}

void TestEngine::staleCallbackIsAnswered()
{
    startEngine();
    m_api->pushCallback(5007, 3, u"legacy:button:from:2019"_s);
    QVERIFY(m_api->waitForRequests(u"answerCallbackQuery"_s, 1));
    QVERIFY(m_api->waitForSent(5007, 1)); // message 3 is unknown to Telegram: a new menu is sent instead
    QVERIFY(m_api->buttons(5007).contains(u"📦 Пакеты услуг"_s));
    // The edit was tried and refused; what went instead is a message of its own, not an edit of message 3.
    QVERIFY(m_api->requestCount(u"editMessageText"_s) >= 1);
    QCOMPARE(m_api->sent(5007).constLast().method, u"sendMessage"_s);
    QVERIFY(!m_api->sent(5007).constLast().params.contains("message_id"_L1));
    QCOMPARE(m_api->answeredCallbacks().size(), 1);
}

void TestEngine::buttonAnswerDoesNotHoldTheReply()
{
    startEngine();
    const qint64 u = 5011;
    m_api->pushCommand(u, u"/start"_s);
    QVERIFY(m_api->waitForSent(u, 1));
    // Telegram takes 5 s to answer the button's answerCallbackQuery: the edit that replies to the press goes
    // out beside it, not after it (a sender sending the chat's calls one after another needs over 5 s).
    m_api->delayNext(u"answerCallbackQuery"_s, 5000);
    const int before = m_api->sentCount(u);
    QVERIFY(m_api->pressButton(u, u"📦 Пакеты услуг"_s) > 0);
    QVERIFY(m_api->waitForSent(u, before + 1, 3000));
    QCOMPARE(m_api->sent(u).constLast().method, u"editMessageText"_s);
    QTRY_COMPARE(m_api->answeredCallbacks().size(), 1);
    // The answer completes later; nothing is sent twice.
    QTRY_VERIFY_WITH_TIMEOUT(
        OutboxRepository(*m_db).counts()->pending + OutboxRepository(*m_db).counts()->sending == 0, 15000);
    QCOMPARE(m_api->answeredCallbacks().size(), 1);
    QCOMPARE(m_api->sentCount(u), before + 1);
}

void TestEngine::onlyAnswersWithANoticeAreStored()
{
    // An answer that only stops a button's spinner goes out from memory after the commit and is not written
    // to the outbox; an answer that tells the user something (here: the menu changed) is kept there like any
    // message, so that a crash cannot lose it.
    startEngine();
    const qint64 u = 5018;
    m_api->pushCommand(u, u"/start"_s);
    QVERIFY(m_api->waitForSent(u, 1));
    QVERIFY(press(u, u"📦 Пакеты услуг"_s));
    QTRY_COMPARE(m_api->answeredCallbacks().size(), 1);
    m_api->pushCallback(u, 3, u"legacy:button:from:2019"_s);
    QTRY_COMPARE(m_api->answeredCallbacks().size(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(
        OutboxRepository(*m_db).counts()->pending + OutboxRepository(*m_db).counts()->sending == 0, 5000);
    QSqlQuery& q = m_db->exec(u"SELECT method, status, CAST(payload AS TEXT) FROM outbox WHERE chat_id = ? "
                              "ORDER BY id"_s,
                              {u}, u"reading the outbox"_s);
    QStringList answers;
    int messages = 0;
    while (q.next()) {
        QCOMPARE(q.value(1).toString(), u"sent"_s);
        if (q.value(0).toString() == "answerCallbackQuery"_L1)
            answers << QJsonDocument::fromJson(q.value(2).toString().toUtf8())
                           .object()
                           .value(u"text"_s)
                           .toString();
        else
            ++messages;
    }
    q.finish();
    QCOMPARE(answers, QStringList{u"Меню изменилось. Вот актуальное."_s});
    QCOMPARE(messages, m_api->sentCount(u));
}

void TestEngine::answerTooManyRequestsWaitsInItsLane()
{
    startEngine();
    const qint64 u = 5013;
    m_api->pushCommand(u, u"/start"_s);
    QVERIFY(m_api->waitForSent(u, 1));
    // A 429 on the button's answer: the answer waits retry_after in its own lane (it was resent at once
    // before), and the chat's messages are not paused or slowed for it.
    m_api->failNextWithRetryAfter(u"answerCallbackQuery"_s, 2);
    QVERIFY(press(u, u"📦 Пакеты услуг"_s));
    QVERIFY(press(u, u"Премиум — от 120 000 ₽"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_api->answeredCallbacks().size(), 2, 6000);
    QList<qint64> answers; // times of the answerCallbackQuery requests
    qint64 rejectedAt = -1;
    for (const auto& r : m_api->allRequests()) {
        if (r.method != "answerCallbackQuery"_L1)
            continue;
        if (r.httpStatus == 429)
            rejectedAt = r.receivedAtNs;
        else
            answers << r.receivedAtNs;
    }
    QVERIFY(rejectedAt > 0);
    QCOMPARE(answers.size(), 2);
    // Both replies (the second press's card included) went out while the first answer was still waiting.
    QVERIFY(m_api->sent(u).constLast().receivedAtNs < answers.constFirst());
    const qint64 waitedMs = (answers.constFirst() - rejectedAt) / 1'000'000;
    QVERIFY2(waitedMs >= 2000 && waitedMs < 3500, qPrintable(QString::number(waitedMs)));
    QCOMPARE(m_engine->sender()->stats().tooManyRequests, 1);
}

void TestEngine::malformedUpdateIsSkippedAndLogged()
{
    startEngine();
    const qint64 bad = m_api->pushRawUpdate(R"({"update_id": 900, "message": "garbage"})");
    const qint64 worse =
        m_api->pushRawUpdate(R"({"update_id": 901, "message": {"text": "no sender", "chat": 5}})");
    m_api->pushRawUpdate(
        R"({"update_id": 902, "inline_query": {"id": "1", "from": {"id": 1}, "query": "x"}})");
    m_api->pushCommand(5008, u"/start"_s);
    QVERIFY(m_api->waitForSent(5008, 1));
    QTRY_VERIFY_WITH_TIMEOUT(m_api->pendingUpdateCount() == 0, 5000);
    QVERIFY(m_api->confirmedOffset() > worse);
    const QStringList lines = logLines();
    bool logged = false;
    for (const QString& line : lines)
        logged |= line.contains(u"skipping update %1"_s.arg(bad));
    QVERIFY2(logged, qPrintable(lines.join(u'\n')));
    QCOMPARE(m_engine->stats().failed, 0);
}

void TestEngine::retryAfterIsHonouredToTheSecond()
{
    startEngine();
    m_api->failNextWithRetryAfter(u"sendMessage"_s, 2);
    m_api->pushCommand(5009, u"/start"_s);
    QVERIFY(m_api->waitForSent(5009, 1, 8000));
    qint64 rejectedAt = -1;
    for (const auto& r : m_api->allRequests()) {
        if (r.method == "sendMessage"_L1 && r.httpStatus == 429)
            rejectedAt = r.receivedAtNs;
    }
    QVERIFY(rejectedAt > 0);
    const qint64 waitedMs = (m_api->sent(5009).at(0).receivedAtNs - rejectedAt) / 1'000'000;
    QVERIFY2(waitedMs >= 2000 && waitedMs < 3500, qPrintable(QString::number(waitedMs)));
    QCOMPARE(m_engine->sender()->stats().tooManyRequests, 1);
}

void TestEngine::serverErrorsBackOff()
{
    startEngine();
    m_api->failNextWithServerError(u"sendMessage"_s, 2);
    m_api->pushCommand(5010, u"/start"_s);
    QVERIFY(m_api->waitForSent(5010, 1, 15'000));
    QList<qint64> attempts;
    for (const auto& r : m_api->allRequests()) {
        if (r.method == "sendMessage"_L1)
            attempts << r.receivedAtNs;
    }
    QCOMPARE(attempts.size(), 3);
    const qint64 first = (attempts.at(1) - attempts.at(0)) / 1'000'000;
    const qint64 second = (attempts.at(2) - attempts.at(1)) / 1'000'000;
    QVERIFY2(first >= 500, qPrintable(QString::number(first)));
    QVERIFY2(second > first, qPrintable(u"%1 then %2"_s.arg(first).arg(second)));
}

void TestEngine::garbageResponseIsRetried()
{
    startEngine();
    m_api->failNext(u"getUpdates"_s, 200, "<html>oops</html>");
    m_api->failNext(u"sendMessage"_s, 200, "{\"ok\": tru");
    m_api->pushCommand(5011, u"/start"_s);
    QVERIFY(m_api->waitForSent(5011, 1, 15'000));
}

void TestEngine::blockedUserIsMarked()
{
    startEngine();
    m_api->blockChat(5012);
    m_api->pushCommand(5012, u"/start"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_engine->sender()->stats().failed == 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT((*UserRepository(*m_db).findByTelegramId(5012))->blockedAt.isValid(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(OutboxRepository(*m_db).counts()->failed == 1, 5000);
    QCOMPARE(m_api->sentCount(5012), 0);
}

void TestEngine::statusMessageQueuedByTheConsoleIsDelivered()
{
    startEngine();
    // What the console does: an outbox row (PostgreSQL also announces it with NOTIFY).
    auto id = OutboxRepository(*m_db).enqueue(
        5013, u"sendMessage"_s,
        {{u"chat_id"_s, 5013}, {u"text"_s, u"Статус вашей заявки №1001: В работе."_s}}, true,
        u"status:1001:2"_s);
    QVERIFY2(id && *id > 0, WHY(id));
    QVERIFY(m_api->waitForSent(5013, 1, 5000));
    QCOMPARE(lastText(5013), u"Статус вашей заявки №1001: В работе."_s);
    QTRY_VERIFY_WITH_TIMEOUT((*OutboxRepository(*m_db).find(*id))->status == "sent"_L1, 5000);
}

void TestEngine::updateInFlightIsNotFetchedAgainBeforeACommit()
{
    // Until an update is committed its offset is not confirmed, so Telegram hands it out again with every
    // answer: the engine does not poll again until something is committed (or a moment passes: long here,
    // so that a slow test machine cannot make it pass during the test's wait).
    EngineOptions options;
    options.pollWaitMs = 10'000;
    startEngine(options);
    m_api->pushCommand(8101, u"/start"_s);
    QVERIFY(m_api->waitForSent(8101, 1));
    QTest::qWait(100); // the poll after that commit is held now
    // The test's own transaction holds the database's write lock: nothing the engine does can commit.
    m_db->begin();
    if (TestDatabase::backend() == Dialect::PostgreSql)
        m_db->execDirect(u"LOCK TABLE users IN EXCLUSIVE MODE"_s, u"lock"_s);
    const qint64 delivered = m_api->updatesDelivered();
    m_api->pushCommand(8102, u"/start"_s);
    QTest::qWait(300);
    const qint64 times = m_api->updatesDelivered() - delivered;
    m_db->rollback();
    QCOMPARE(times, 1);
    QVERIFY(m_api->waitForSent(8102, 1, 10'000));
    QCOMPARE(lastText(8102), lastText(8101));
}

void TestEngine::serverWithoutLongPollingDoesNotSpin()
{
    m_api->setLongPolling(false);
    startEngine();
    const int before = m_api->getUpdatesCalls();
    QTest::qWait(3000);
    const int calls = m_api->getUpdatesCalls() - before;
    QVERIFY2(calls <= 12, qPrintable(QString::number(calls)));
    // It still answers, promptly enough.
    m_api->pushCommand(5014, u"/start"_s);
    QVERIFY(m_api->waitForSent(5014, 1, 8000));
}

void TestEngine::conflictIsSaidPlainly()
{
    m_api->failNext(
        u"getUpdates"_s, 409,
        R"({"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request"})");
    startEngine();
    QTRY_VERIFY_WITH_TIMEOUT(
        [] {
            for (const QString& line : logLines())
                if (line.contains(u"another instance"_s))
                    return true;
            return false;
        }(),
        5000);
}

void TestEngine::wrongTokenIsFatal()
{
    Engine engine(config(u"654321:WRONG-token"_s), {});
    QSignalSpy failed(&engine, &Engine::failed);
    engine.start();
    QVERIFY(failed.wait(10'000));
    QCOMPARE(failed.at(0).at(0).toInt(), 5);
    const QString reason = failed.at(0).at(1).toString();
    QVERIFY2(reason.contains(u"BOT_TOKEN"_s), qPrintable(reason));
    QVERIFY(!reason.contains(u"WRONG-token"_s));
}

void TestEngine::databaseGoingAwayLosesNothing()
{
    if (TestDatabase::backend() != Dialect::PostgreSql)
        QSKIP("an embedded SQLite database cannot go away; this case is for PostgreSQL");
    startEngine();
    m_api->pushCommand(5015, u"/start"_s);
    QVERIFY(m_api->waitForSent(5015, 1));
    // Every connection is cut, as by a failover or a network blip.
    QVERIFY(m_database->terminateSessions());
    m_api->pushCallback(5015, 0, u"a"_s);
    QVERIFY(m_api->waitForSent(5015, 2, 10'000));
    QVERIFY(say(5015, u"Григорий"_s));
    QVERIFY(m_database->terminateSessions());
    m_api->pushText(5015, u"+79165554433"_s);
    QTRY_COMPARE_WITH_TIMEOUT(applicationCount(), 1, 15'000);
    QVERIFY(m_api->waitForSent(5015, 5, 10'000));
}

void TestEngine::transientFailureKeepsTheChatsOrder()
{
    if (TestDatabase::backend() != Dialect::PostgreSql)
        QSKIP("SQLite waits on a busy file rather than failing, and cannot go away: no transient failures to "
              "order");
    // One update meets a serialization failure (SQLSTATE 40001, as under load or in a failover) for longer
    // than a few quick retries last; the chat's next update must still be answered after it.
    m_db->execDirect(u"CREATE TABLE test_fault (update_id bigint PRIMARY KEY)"_s, u"fault"_s);
    m_db->execDirect(u"CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                     "IF EXISTS (SELECT 1 FROM test_fault WHERE update_id = NEW.update_id) THEN "
                     "RAISE EXCEPTION 'injected serialization failure' USING ERRCODE = '40001'; END IF; "
                     "RETURN NEW; END $$"_s,
                     u"fault"_s);
    m_db->execDirect(u"CREATE TRIGGER test_fault BEFORE INSERT ON processed_updates FOR EACH ROW "
                     "EXECUTE FUNCTION test_fault()"_s,
                     u"fault"_s);
    startEngine(); // three workers: chat 5020 is on shard 1, chat 5022 on shard 0
    m_api->pushCommand(5020, u"/start"_s);
    QVERIFY(m_api->waitForSent(5020, 1));
    const QString menu = lastText(5020);

    m_api->setNextUpdateId(90'000);
    m_db->execDirect(u"INSERT INTO test_fault VALUES (90000)"_s, u"fault"_s);
    QCOMPARE(m_api->pushCommand(5020, u"/status"_s), 90'000);
    QElapsedTimer timer;
    timer.start();
    // Another chat is not held up by it.
    m_api->pushCommand(5022, u"/start"_s);
    QVERIFY(m_api->waitForSent(5022, 1, 1500));
    QTest::qWait(1800 - int(timer.elapsed())); // past what the old in-place retries took (1.5 s)
    QCOMPARE(m_api->sentCount(5020), 1);
    m_db->execDirect(u"DELETE FROM test_fault"_s, u"fault"_s);
    m_api->pushCommand(5020, u"/start"_s);
    QVERIFY(m_api->waitForSent(5020, 3, 10'000));
    const QList<FakeBotApi::SentMessage> sent = m_api->sent(5020);
    QVERIFY2(sent.at(1).text != menu, qPrintable(sent.at(1).text)); // the /status answer first,
    QCOMPARE(sent.at(2).text, menu);                                // then the menu
    QCOMPARE(m_engine->stats().failed, 0);
    const QStringList log = logLines();
    QVERIFY(std::any_of(log.begin(), log.end(), [](const QString& line) {
        return line.contains(u"update 90000 failed (attempt 1), retrying in its chat's queue"_s);
    }));
}

void TestEngine::failingUpdateIsSkippedWithAnApology()
{
    // A bug or a broken row (here a trigger that always fails for one user) must not block the chat: the
    // update is logged and skipped, the button answered, the user told.
    startEngine();
    m_api->pushCommand(5021, u"/start"_s);
    QVERIFY(m_api->waitForSent(5021, 1));
    const QString menu = lastText(5021);
    if (TestDatabase::backend() == Dialect::PostgreSql) {
        m_db->execDirect(u"CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                         "IF NEW.telegram_id = 5021 THEN RAISE EXCEPTION 'injected bug'; END IF; "
                         "RETURN NEW; END $$"_s,
                         u"fault"_s);
        m_db->execDirect(u"CREATE TRIGGER test_fault BEFORE INSERT OR UPDATE ON users FOR EACH ROW "
                         "EXECUTE FUNCTION test_fault()"_s,
                         u"fault"_s);
    } else {
        m_db->execDirect(u"CREATE TRIGGER test_fault BEFORE UPDATE ON users WHEN NEW.telegram_id = 5021 "
                         "BEGIN SELECT RAISE(ABORT, 'injected bug'); END"_s,
                         u"fault"_s);
    }
    const int answersBefore = m_api->requestCount(u"answerCallbackQuery"_s);
    const qint64 updateId = m_api->pressButton(5021, u"ℹ️ О компании"_s);
    QVERIFY(updateId > 0);
    QVERIFY(m_api->waitForSent(5021, 2, 5000));
    QVERIFY(m_api->waitForRequests(u"answerCallbackQuery"_s, answersBefore + 1, 5000));
    QVERIFY2(lastText(5021).startsWith(u"Извините, у нас что-то пошло не так."_s),
             qPrintable(lastText(5021)));
    QTRY_VERIFY_WITH_TIMEOUT(m_api->confirmedOffset() > updateId, 5000);
    QCOMPARE(m_engine->stats().failed, 1);
    const QStringList log = logLines();
    QVERIFY(std::any_of(log.begin(), log.end(), [updateId](const QString& line) {
        return line.contains(u"update %1 failed and is skipped"_s.arg(updateId)) &&
               line.contains(u"injected bug"_s);
    }));

    // Fixed: the chat goes on, and the skipped update is not handled again.
    m_db->execDirect(u"DROP TRIGGER test_fault"_s +
                         (TestDatabase::backend() == Dialect::PostgreSql ? u" ON users"_s : QString()),
                     u"fault"_s);
    m_api->pushCommand(5021, u"/start"_s);
    QVERIFY(m_api->waitForSent(5021, 3, 5000));
    QCOMPARE(lastText(5021), menu);
    QTest::qWait(300);
    QCOMPARE(m_api->sentCount(5021), 3);
}

void TestEngine::chatsAreCommittedTogetherAndABadOneAlone()
{
    // One worker, thirty chats at once, while the test holds the database's write lock: the first update
    // waits for the lock and the others queue up behind it, so they are committed in groups. Then one
    // user's updates always fail (an injected trigger): the group is undone and every update is handled
    // alone, so the twenty-nine others are answered and only that one chat gets an apology.
    EngineOptions options;
    options.workers = 1;
    startEngine(options);
    constexpr qint64 First = 7000;
    constexpr int Chats = 30;
    const auto pushAllBehindALock = [&] {
        m_db->begin();
        if (TestDatabase::backend() == Dialect::PostgreSql)
            m_db->execDirect(u"LOCK TABLE users IN EXCLUSIVE MODE"_s, u"lock"_s);
        const qint64 delivered = m_api->updatesDelivered();
        for (int i = 0; i < Chats; ++i)
            m_api->pushCommand(First + i, u"/start"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_api->updatesDelivered() >= delivered + Chats, 10'000);
        QTest::qWait(100); // dispatched to the worker's queue
        m_db->rollback();
    };
    const qsizetype logBefore = logLines().size();
    pushAllBehindALock();
    for (int i = 0; i < Chats; ++i)
        QVERIFY2(m_api->waitForSent(First + i, 1, 10'000), qPrintable(QString::number(First + i)));
    const QString menu = lastText(First);
    const QStringList grouped = logLines().mid(logBefore);
    QVERIFY2(std::any_of(grouped.begin(), grouped.end(),
                         [](const QString& line) {
                             static const QRegularExpression group(u"in a group of ([2-9]|[1-9][0-9])"_s);
                             return group.match(line).hasMatch();
                         }),
             "no two updates were committed together");
    QCOMPARE(m_engine->stats().failed, 0);

    constexpr qint64 Bad = First + 13;
    if (TestDatabase::backend() == Dialect::PostgreSql) {
        m_db->execDirect(u"CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                         "IF NEW.telegram_id = %1 THEN RAISE EXCEPTION 'injected bug'; END IF; "
                         "RETURN NEW; END $$"_s.arg(Bad),
                         u"fault"_s);
        m_db->execDirect(u"CREATE TRIGGER test_fault BEFORE INSERT ON bot_metrics FOR EACH ROW "
                         "EXECUTE FUNCTION test_fault()"_s,
                         u"fault"_s);
    } else {
        m_db->execDirect(u"CREATE TRIGGER test_fault BEFORE INSERT ON bot_metrics WHEN NEW.telegram_id = %1 "
                         "BEGIN SELECT RAISE(ABORT, 'injected bug'); END"_s.arg(Bad),
                         u"fault"_s);
    }
    pushAllBehindALock(); // the bad update is in a group with the others (only the first one is alone)
    for (int i = 0; i < Chats; ++i)
        QVERIFY2(m_api->waitForSent(First + i, 2, 10'000), qPrintable(QString::number(First + i)));
    for (int i = 0; i < Chats; ++i) {
        if (First + i == Bad)
            QVERIFY2(lastText(Bad).startsWith(u"Извините, у нас что-то пошло не так."_s),
                     qPrintable(lastText(Bad)));
        else
            QCOMPARE(lastText(First + i), menu);
    }
    QCOMPARE(m_engine->stats().failed, 1);
    QTest::qWait(300);
    for (int i = 0; i < Chats; ++i)
        QCOMPARE(m_api->sentCount(First + i), 2);
    // Every update is recorded once; each good chat has both its events, the bad one only the first.
    QSqlQuery& q =
        m_db->exec(u"SELECT telegram_id, COUNT(*) FROM bot_metrics WHERE telegram_id BETWEEN ? AND ? "
                   "GROUP BY telegram_id"_s,
                   {First, First + Chats - 1}, u"count"_s);
    int users = 0;
    while (q.next()) {
        ++users;
        QCOMPARE(q.value(1).toInt(), q.value(0).toLongLong() == Bad ? 1 : 2);
    }
    q.finish();
    QCOMPARE(users, Chats);
}

void TestEngine::stopFinishesInFlightWork()
{
    startEngine();
    for (int i = 0; i < 20; ++i)
        m_api->pushCommand(6000 + i, u"/start"_s);
    QVERIFY(m_api->waitForSent(6000, 1));
    QElapsedTimer timer;
    timer.start();
    stopEngine();
    QVERIFY(timer.elapsed() < 10'000);
    // Whatever was committed was sent or stays queued for the next start; nothing is lost.
    QSqlQuery& q = m_db->exec(u"SELECT COUNT(*) FROM processed_updates"_s, {}, u"count"_s);
    QVERIFY(q.next());
    const int processed = q.value(0).toInt();
    q.finish();
    int delivered = 0;
    for (int i = 0; i < 20; ++i)
        delivered += m_api->sentCount(6000 + i) > 0 ? 1 : 0;
    auto counts = OutboxRepository(*m_db).counts();
    QCOMPARE(qint64(delivered) + counts->pending + counts->sending, qint64(processed));
}

void TestEngine::oldSentMessagesAreForgotten()
{
    const QString longAgo = DbConnection::toSqlTimestamp(QDateTime::currentDateTimeUtc().addDays(-40));
    // Old sent messages, more than one batch of them (5,000 a statement); ids grow with time, as in use.
    m_db->exec(u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5100) "
               "INSERT INTO outbox (chat_id, method, payload, status, created_at, sent_at) "
               "SELECT 5101, 'sendMessage', {json}, 'sent', {ts}, {ts} FROM n"_s,
               {u"{}"_s, longAgo, longAgo}, u"old messages"_s);
    OutboxRepository outbox(*m_db);
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i)
        ids << *outbox.enqueue(5100, u"sendMessage"_s, {{u"text"_s, u"m%1"_s.arg(i)}});
    QVERIFY(outbox.markSent({ids[0], ids[1]}));
    QVERIFY(outbox.markDead(ids[2], u"blocked"_s));
    m_db->exec(u"UPDATE outbox SET created_at = {ts} WHERE id {in_ids}"_s,
               {longAgo, m_db->idList({ids[0], ids[2]})}, u"age"_s);
    QVERIFY(ProcessedUpdateRepository(*m_db).tryInsert(77));
    m_db->exec(u"UPDATE processed_updates SET processed_at = {ts}"_s, {longAgo}, u"age"_s);

    EngineOptions options;
    options.maintenanceMs = 300; // default OUTBOX_KEEP_DAYS: 30
    startEngine(options);
    QTRY_VERIFY_WITH_TIMEOUT(!*outbox.find(ids[0]), 5000);
    QVERIFY(*outbox.find(ids[1])); // sent, but recently
    QVERIFY(*outbox.find(ids[2])); // failed: kept for whoever looks into it
    QTRY_COMPARE_WITH_TIMEOUT(outbox.counts()->sent, 1, 5000);
    const auto remembered = [this] {
        QSqlQuery& q =
            m_db->exec(u"SELECT COUNT(*) FROM processed_updates WHERE update_id = 77"_s, {}, u"count"_s);
        const int n = q.next() ? q.value(0).toInt() : -1;
        q.finish();
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(remembered(), 0, 5000); // forgotten after two days
    QTRY_VERIFY_WITH_TIMEOUT(logLines().join(u'\n').contains(u"deleted 5101 sent messages queued before"_s),
                             2000);
}

void TestEngine::tokenNeverLogged()
{
    // Errors of every kind, then look at everything that was logged.
    m_api->failNextWithServerError(u"getUpdates"_s, 1);
    m_api->failNext(u"sendMessage"_s, 400,
                    R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})");
    startEngine();
    m_api->pushCommand(5016, u"/start"_s);
    m_api->pushRawUpdate(R"({"update_id": 999999, "message": []})");
    QTest::qWait(1500);
    const QString secret = Token.section(u':', 1);
    for (const QString& line : logLines()) {
        QVERIFY2(!line.contains(Token), qPrintable(line));
        QVERIFY2(!line.contains(secret), qPrintable(line));
    }
    QVERIFY(!logLines().isEmpty());
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
