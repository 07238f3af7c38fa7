// Users, dialog states, processed updates, the outbox, the catalog and engine heartbeats on the real backend.

#include "DialogStateRepository.h"
#include "EngineInstanceRepository.h"
#include "Fixtures.h"
#include "OutboxRepository.h"
#include "PackageRepository.h"
#include "ProcessedUpdateRepository.h"
#include "TestDatabase.h"
#include "Transaction.h"
#include "UserRepository.h"

#include <QJsonArray>
#include <QThread>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

class TestRepositories : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void userUpsertInsertsThenRefreshes();
    void userBlockedAndBack();
    void dialogStateRoundTrips();
    void dialogStateNeedsAKnownUser();
    void processedUpdatesAreInsertOrSkip();
    void processedUpdatesArePruned();
    void outboxDeliversInOrderAndOnlyOnce();
    void outboxDeduplicates();
    void outboxRetriesWithBackoffThenGivesUp();
    void outboxPostponeDoesNotCountAnAttempt();
    void outboxReclaimsExpiredLeases();
    void outboxRetryKeptBySenderHoldsItsLease();
    void outboxSchedulesLaterMessages();
    void outboxForgetsOldSentMessages();
    void retryPolicyGrowsAndCaps();
    void catalogSaveAndUpdate();
    void engineHeartbeat();

private:
    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
};

void TestRepositories::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
}

void TestRepositories::cleanup()
{
    m_db.reset();
    m_database.reset();
}

void TestRepositories::userUpsertInsertsThenRefreshes()
{
    UserRepository users(*m_db);
    auto first = users.upsert({-5, u"anna_k"_s, u"Анна"_s, u"Ковальчук"_s, u"ru"_s});
    QVERIFY2(first, WHY(first));
    QVERIFY(first->id > 0);
    QCOMPARE(first->telegramId, -5);
    QCOMPARE(first->username, u"anna_k"_s);
    QCOMPARE(first->lastName, u"Ковальчук"_s);
    QVERIFY(first->createdAt.isValid());
    QCOMPARE(first->createdAt.timeSpec(), Qt::UTC);
    QVERIFY(qAbs(first->createdAt.secsTo(QDateTime::currentDateTimeUtc())) < 120);

    QThread::msleep(5);
    // Telegram omits language_code sometimes: keep the one we know; a removed username is removed.
    auto second = users.upsert({-5, {}, u"Anna"_s, {}, {}});
    QVERIFY2(second, WHY(second));
    QCOMPARE(second->id, first->id);
    QCOMPARE(second->firstName, u"Anna"_s);
    QCOMPARE(second->username, QString());
    QCOMPARE(second->languageCode, u"ru"_s);
    QCOMPARE(second->createdAt, first->createdAt);
    QVERIFY(second->lastSeenAt >= first->lastSeenAt);
    auto count = users.count();
    QCOMPARE(*count, 1);

    QVERIFY(users.setPhone(-5, u"+79161234567"_s));
    auto found = users.findByTelegramId(-5);
    QVERIFY2(found && *found, WHY(found));
    QCOMPARE((*found)->phone, u"+79161234567"_s);
    auto missing = users.findByTelegramId(404);
    QVERIFY2(missing, WHY(missing));
    QVERIFY(!*missing);
}

void TestRepositories::userBlockedAndBack()
{
    UserRepository users(*m_db);
    QVERIFY(users.upsert(profile(9)));
    QVERIFY(users.markBlocked(9));
    auto blocked = users.findByTelegramId(9);
    QVERIFY((*blocked)->blockedAt.isValid());
    QVERIFY(users.upsert(profile(9)));
    auto back = users.findByTelegramId(9);
    QVERIFY(!(*back)->blockedAt.isValid());
}

void TestRepositories::dialogStateRoundTrips()
{
    makeUser(*m_db, 1);
    DialogStateRepository states(*m_db);
    auto none = states.load(1);
    QVERIFY2(none, WHY(none));
    QVERIFY(!*none);
    const QJsonObject data{{u"package"_s, u"premium"_s},
                           {u"name"_s, u"Анна'); DROP TABLE dialog_states;-- <b>\u0001"_s},
                           {u"nested"_s, QJsonObject{{u"n"_s, 3}}}};
    QVERIFY(states.save(1, u"form_phone"_s, data));
    auto loaded = states.load(1);
    QVERIFY2(loaded && *loaded, WHY(loaded));
    QCOMPARE((*loaded)->state, u"form_phone"_s);
    QCOMPARE((*loaded)->data, data);
    QVERIFY((*loaded)->updatedAt.isValid());
    QVERIFY(states.save(1, u"form_name"_s, {}));
    loaded = states.load(1);
    QCOMPARE((*loaded)->state, u"form_name"_s);
    QVERIFY((*loaded)->data.isEmpty());
    QVERIFY(states.clear(1));
    loaded = states.load(1);
    QVERIFY(!*loaded);
}

void TestRepositories::dialogStateNeedsAKnownUser()
{
    DialogStateRepository states(*m_db);
    auto saved = states.save(31337, u"menu"_s, {});
    QVERIFY(!saved);
    QCOMPARE(saved.error().kind(), DbError::Kind::ForeignKeyViolation);
}

void TestRepositories::processedUpdatesAreInsertOrSkip()
{
    ProcessedUpdateRepository processed(*m_db);
    auto first = processed.tryInsert(1000);
    QVERIFY2(first, WHY(first));
    QVERIFY(*first);
    auto again = processed.tryInsert(1000);
    QVERIFY2(again, WHY(again));
    QVERIFY(!*again);
    // Inside a transaction that rolls back, the id is not kept: a redelivery is then processed.
    {
        Transaction tx(*m_db);
        auto inside = processed.tryInsert(1001);
        QVERIFY(inside && *inside);
    }
    auto after = processed.tryInsert(1001);
    QVERIFY(after && *after);
}

void TestRepositories::processedUpdatesArePruned()
{
    ProcessedUpdateRepository processed(*m_db);
    for (int i = 0; i < 5; ++i)
        QVERIFY(processed.tryInsert(i));
    m_db->exec(u"UPDATE processed_updates SET processed_at = {ts} WHERE update_id < 3"_s,
               {DbConnection::toSqlTimestamp(QDateTime::currentDateTimeUtc().addDays(-3))}, u"age"_s);
    auto pruned = processed.prune(QDateTime::currentDateTimeUtc().addSecs(-48 * 3600));
    QVERIFY2(pruned, WHY(pruned));
    QCOMPARE(*pruned, 3);
    QVERIFY(*processed.tryInsert(0));  // forgotten
    QVERIFY(!*processed.tryInsert(4)); // remembered
}

void TestRepositories::outboxDeliversInOrderAndOnlyOnce()
{
    OutboxRepository outbox(*m_db);
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i) {
        auto id = outbox.enqueue(100 + i % 2, u"sendMessage"_s, {{u"text"_s, u"m%1"_s.arg(i)}}, i == 4);
        QVERIFY2(id, WHY(id));
        QVERIFY(*id > 0);
        ids << *id;
    }
    auto claimed = outbox.claimDue(3);
    QVERIFY2(claimed, WHY(claimed));
    QCOMPARE(claimed->size(), 3);
    QCOMPARE(claimed->at(0).id, ids.at(0));
    QCOMPARE(claimed->at(2).id, ids.at(2));
    QCOMPARE(claimed->at(0).payload.value(u"text"_s).toString(), u"m0"_s);
    QCOMPARE(claimed->at(0).status, u"sending"_s);
    QCOMPARE(claimed->at(0).attempts, 1);
    // Claimed rows are leased: a second claim gets only the rest.
    auto rest = outbox.claimDue(10);
    QVERIFY2(rest, WHY(rest));
    QCOMPARE(rest->size(), 2);
    QVERIFY(rest->at(1).proactive);
    // Several at once (the sender's batches), then one by one: only the ids listed are marked.
    QList<qint64> claimedIds;
    for (const auto& m : *claimed)
        claimedIds << m.id;
    QVERIFY(outbox.markSent(claimedIds));
    QCOMPARE(outbox.counts()->sent, 3);
    for (const auto& m : *rest)
        QVERIFY(outbox.markSent(m.id));
    auto none = outbox.claimDue(10);
    QVERIFY(none->isEmpty());
    auto counts = outbox.counts();
    QCOMPARE(counts->sent, 5);
    QCOMPARE(counts->pending, 0);
    auto next = outbox.nextDueAt();
    QVERIFY2(next, WHY(next));
    QVERIFY(!*next);
}

void TestRepositories::outboxDeduplicates()
{
    OutboxRepository outbox(*m_db);
    auto first = outbox.enqueue(1, u"sendMessage"_s, {{u"text"_s, u"Статус"_s}}, true, u"status:1001:3"_s);
    QVERIFY(first && *first > 0);
    auto second = outbox.enqueue(1, u"sendMessage"_s, {{u"text"_s, u"Статус"_s}}, true, u"status:1001:3"_s);
    QVERIFY2(second, WHY(second));
    QCOMPARE(*second, 0);
    // Messages without a key are never taken for one another (the unique index holds keyed rows only).
    for (int i = 0; i < 2; ++i) {
        auto plain = outbox.enqueue(1, u"sendMessage"_s, {{u"text"_s, u"Меню"_s}});
        QVERIFY2(plain && *plain > 0, WHY(plain));
    }
    auto third = outbox.enqueue(2, u"sendMessage"_s, {{u"text"_s, u"Другой"_s}}, true, u"status:1001:3"_s);
    QVERIFY2(third, WHY(third));
    QCOMPARE(*third, 0);
    auto counts = outbox.counts();
    QCOMPARE(counts->pending, 3);
}

void TestRepositories::outboxRetriesWithBackoffThenGivesUp()
{
    OutboxRepository outbox(*m_db);
    QVERIFY(outbox.enqueue(1, u"sendMessage"_s, {{u"text"_s, u"x"_s}}));
    RetryPolicy policy;
    policy.maxAttempts = 3;
    policy.baseDelayMs = 0; // due again at once, so the test needs no sleeping
    policy.jitter = 0;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        auto claimed = outbox.claimDue(10);
        QVERIFY2(claimed, WHY(claimed));
        QCOMPARE(claimed->size(), 1);
        QCOMPARE(claimed->at(0).attempts, attempt);
        auto gaveUp = outbox.markFailed(claimed->at(0), u"HTTP 502 Bad Gateway"_s, policy);
        QVERIFY2(gaveUp, WHY(gaveUp));
        QCOMPARE(*gaveUp, attempt == 3);
    }
    QVERIFY(outbox.claimDue(10)->isEmpty());
    auto counts = outbox.counts();
    QCOMPARE(counts->failed, 1);
    auto all = m_db->exec(u"SELECT error FROM outbox"_s, {}, u"read"_s).next();
    QVERIFY(all);

    // With a real delay the message is not due at once.
    QVERIFY(outbox.enqueue(2, u"sendMessage"_s, {{u"text"_s, u"y"_s}}));
    auto claimed = outbox.claimDue(10);
    QCOMPARE(claimed->size(), 1);
    policy.baseDelayMs = 60'000;
    QVERIFY(outbox.markFailed(claimed->at(0), u"timeout"_s, policy));
    QVERIFY(outbox.claimDue(10)->isEmpty());
    auto next = outbox.nextDueAt();
    QVERIFY(next && *next);
    const qint64 wait = QDateTime::currentDateTimeUtc().msecsTo(**next);
    QVERIFY2(wait > 50'000 && wait < 70'000, qPrintable(QString::number(wait)));
    auto stored = outbox.find(claimed->at(0).id);
    QCOMPARE((*stored)->error, u"timeout"_s);
    QCOMPARE((*stored)->status, u"pending"_s);
}

void TestRepositories::outboxPostponeDoesNotCountAnAttempt()
{
    OutboxRepository outbox(*m_db);
    QVERIFY(outbox.enqueue(1, u"sendMessage"_s, {{u"text"_s, u"x"_s}}));
    auto claimed = outbox.claimDue(1);
    QCOMPARE(claimed->at(0).attempts, 1);
    QVERIFY(outbox.postpone(claimed->at(0).id, 0, u"429 retry after 0"_s));
    auto again = outbox.claimDue(1);
    QCOMPARE(again->size(), 1);
    QCOMPARE(again->at(0).attempts, 1);
    QVERIFY(outbox.postpone(again->at(0).id, 30'000, u"429 retry after 30"_s));
    QVERIFY(outbox.claimDue(1)->isEmpty());
}

void TestRepositories::outboxReclaimsExpiredLeases()
{
    OutboxRepository outbox(*m_db);
    QVERIFY(outbox.enqueue(1, u"sendMessage"_s, {{u"text"_s, u"x"_s}}));
    // A sender claims and dies before marking it.
    auto claimed = outbox.claimDue(1, 0);
    QCOMPARE(claimed->size(), 1);
    QCOMPARE(claimed->at(0).attempts, 1);
    // A message a sender holds past its lease (behind a rate limit) is re-claimed on every poll: its
    // count must not climb, or after a restart it would be given up at its first failure.
    for (int poll = 0; poll < 10; ++poll) {
        QThread::msleep(5);
        QCOMPARE(outbox.claimDue(1, 0)->size(), 1);
    }
    QThread::msleep(5);
    auto reclaimed = outbox.claimDue(1, 60);
    QVERIFY2(reclaimed, WHY(reclaimed));
    QCOMPARE(reclaimed->size(), 1);
    QCOMPARE(reclaimed->at(0).id, claimed->at(0).id);
    // The send was counted when it was claimed; taking over the lease is not another one.
    QCOMPARE(reclaimed->at(0).attempts, 1);
    QVERIFY(outbox.claimDue(1, 60)->isEmpty()); // leased for a minute now
    // Released at a start-up, it is pending again: the next claim is a new send.
    QCOMPARE(*outbox.releaseLeases(), 1);
    QCOMPARE(outbox.claimDue(1, 60)->at(0).attempts, 2);
}

void TestRepositories::outboxRetryKeptBySenderHoldsItsLease()
{
    OutboxRepository outbox(*m_db);
    QList<OutboxMessage> replies{OutboxMessage{}};
    replies[0].chatId = 1;
    replies[0].method = u"sendMessage"_s;
    QVERIFY(outbox.enqueueClaimed(replies, 0));
    QThread::msleep(20);
    // The send failed; the sender keeps it for a retry in 30 s and says so.
    QVERIFY(outbox.markRetrying(replies[0].id, 2, u"HTTP 502"_s, 30'000));
    QVERIFY(outbox.claimDue(10, 60)->isEmpty()); // no other claim takes it over the backoff
    auto stored = outbox.find(replies[0].id);
    QCOMPARE((*stored)->attempts, 2);
    QCOMPARE((*stored)->status, u"sending"_s);
    QCOMPARE((*stored)->error, u"HTTP 502"_s);
    // Sent meanwhile (marked): a late retry note does not bring it back.
    QVERIFY(outbox.markSent(replies[0].id));
    QVERIFY(outbox.markRetrying(replies[0].id, 3, u"late"_s, 0));
    QCOMPARE((*outbox.find(replies[0].id))->status, u"sent"_s);
}

void TestRepositories::outboxSchedulesLaterMessages()
{
    OutboxRepository outbox(*m_db);
    QVERIFY(outbox.enqueue(1, u"sendMessage"_s, {{u"text"_s, u"later"_s}}, true, {},
                           QDateTime::currentDateTimeUtc().addSecs(3600)));
    QVERIFY(outbox.claimDue(10)->isEmpty());
    auto next = outbox.nextDueAt();
    QVERIFY(next && *next);
    QVERIFY(QDateTime::currentDateTimeUtc().secsTo(**next) > 3500);
}

void TestRepositories::outboxForgetsOldSentMessages()
{
    OutboxRepository outbox(*m_db);
    QList<qint64> ids;
    for (int i = 0; i < 6; ++i) {
        auto id = outbox.enqueue(1, u"sendMessage"_s, {{u"text"_s, u"m%1"_s.arg(i)}});
        QVERIFY2(id, WHY(id));
        ids << *id;
    }
    // 0-2 sent long ago, 3 failed long ago, 4 sent now, 5 still pending (queued long ago, due later).
    QVERIFY(outbox.markSent({ids[0], ids[1], ids[2], ids[4]}));
    QVERIFY(outbox.markDead(ids[3], u"blocked"_s));
    const auto age = [&](const QList<qint64>& which) {
        m_db->exec(
            u"UPDATE outbox SET created_at = {ts} WHERE id {in_ids}"_s,
            {DbConnection::toSqlTimestamp(QDateTime::currentDateTimeUtc().addDays(-40)), m_db->idList(which)},
            u"age"_s);
    };
    age({ids[0], ids[1], ids[2], ids[3], ids[5]});
    m_db->exec(u"UPDATE outbox SET next_attempt_at = {ts} WHERE id = ?"_s,
               {DbConnection::toSqlTimestamp(QDateTime::currentDateTimeUtc().addDays(1)), ids[5]},
               u"later"_s);
    OutboxPruning run;
    run.before = QDateTime::currentDateTimeUtc().addDays(-30);
    // Oldest first, at most `limit` at a time, each batch after the last.
    QCOMPARE(*outbox.pruneSent(run, 2), 2);
    QCOMPARE(run.bound, ids[4]); // the first message queued after the cutoff
    QCOMPARE(run.after, ids[1]);
    QVERIFY(!*outbox.find(ids[0]));
    QVERIFY(!*outbox.find(ids[1]));
    QVERIFY(*outbox.find(ids[2]));
    QCOMPARE(*outbox.pruneSent(run, 2), 1);
    QCOMPARE(*outbox.pruneSent(run, 2), 0);
    auto counts = outbox.counts();
    QVERIFY2(counts, WHY(counts));
    QCOMPARE(counts->sent, 1); // the recent one
    QCOMPARE(counts->failed, 1);
    QCOMPARE(counts->pending, 1);
    // Nothing queued after the cutoff: every old sent message may go (a new run).
    age({ids[4]});
    OutboxPruning again;
    again.before = run.before;
    QCOMPARE(*outbox.pruneSent(again, 100), 1);
    QCOMPARE(again.bound, ids[5] + 1);
    QVERIFY(!*outbox.find(ids[4]));
    QVERIFY(*outbox.find(ids[3]));
    QVERIFY(*outbox.find(ids[5]));
    // An empty table: nothing to walk.
    m_db->exec(u"DELETE FROM outbox"_s, {}, u"empty"_s);
    OutboxPruning empty;
    empty.before = run.before;
    QCOMPARE(*outbox.pruneSent(empty, 100), 0);
    QCOMPARE(empty.bound, 0);
}

void TestRepositories::retryPolicyGrowsAndCaps()
{
    RetryPolicy p;
    p.baseDelayMs = 1000;
    p.maxDelayMs = 10'000;
    p.jitter = 0.2;
    QCOMPARE(p.delayMs(1, 0.5), 1000);
    QCOMPARE(p.delayMs(2, 0.5), 2000);
    QCOMPARE(p.delayMs(3, 0.5), 4000);
    QCOMPARE(p.delayMs(10, 0.5), 10'000);
    QCOMPARE(p.delayMs(1, 0.0), 800);
    QCOMPARE(p.delayMs(1, 1.0), 1200);
    for (int i = 0; i < 100; ++i) {
        const qint64 d = p.delayMs(3);
        QVERIFY(d >= 3200 && d <= 4800);
    }
    QVERIFY(!p.exhausted(p.maxAttempts - 1));
    QVERIFY(p.exhausted(p.maxAttempts));
}

void TestRepositories::catalogSaveAndUpdate()
{
    PackageRepository packages(*m_db);
    Package p{u"enterprise"_s,
              u"Корпоративный"_s,
              u"Для больших команд"_s,
              {u"SLA 99,9 %"_s, u"Выделенный сервер"_s},
              300000,
              u"8–12 недель"_s,
              40,
              true,
              {}};
    auto saved = packages.save(p);
    QVERIFY2(saved, WHY(saved));
    QCOMPARE(saved->features, p.features);
    QVERIFY(saved->updatedAt.isValid());
    p.active = false;
    p.priceFrom = 250000;
    QVERIFY(packages.save(p));
    auto active = packages.list();
    QCOMPARE(active->size(), 3);
    auto all = packages.list(true);
    QCOMPARE(all->size(), 4);
    QCOMPARE(all->constLast().code, u"enterprise"_s);
    QCOMPARE(all->constLast().priceFrom, 250000);
    QVERIFY(!all->constLast().active);
    p.code = u"Bad Code"_s;
    auto bad = packages.save(p);
    QVERIFY(!bad);
    QCOMPARE(bad.error().kind(), DbError::Kind::CheckViolation);

    // Adding never overwrites: a second console creating the same code is told so.
    p.code = u"enterprise"_s;
    p.title = u"Чужой"_s;
    auto taken = packages.create(p);
    QVERIFY(!taken);
    QCOMPARE(taken.error().kind(), DbError::Kind::Conflict);
    QCOMPARE(packages.find(u"enterprise"_s).value()->title, u"Корпоративный"_s);
    p.code = u"startup"_s;
    auto created = packages.create(p);
    QVERIFY2(created, WHY(created));
    QCOMPARE(created->title, u"Чужой"_s);
}

void TestRepositories::engineHeartbeat()
{
    EngineInstanceRepository engines(*m_db);
    auto none = engines.latest();
    QVERIFY2(none, WHY(none));
    QVERIFY(!*none);
    EngineInstance e{u"host-1-42"_s, u"host-1"_s, 42, u"polling"_s, u"0.1.0"_s, {}, {}, 0};
    QVERIFY(engines.heartbeat(e));
    QVERIFY(engines.heartbeat(e));
    auto latest = engines.latest();
    QVERIFY2(latest && *latest, WHY(latest));
    QCOMPARE((*latest)->pid, 42);
    QVERIFY((*latest)->ageSeconds < 60);
    QVERIFY((*latest)->ageSeconds > -5);
    QVERIFY(engines.remove(e.id));
    QVERIFY(!*engines.latest());
}

QTEST_GUILESS_MAIN(TestRepositories)
#include "tst_repositories.moc"
