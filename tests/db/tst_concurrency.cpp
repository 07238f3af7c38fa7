// Two connections race to create an open application for the same user: exactly one wins, the other is
// told which application is open, and nobody crashes.

#include "ApplicationRepository.h"
#include "Fixtures.h"
#include "TestDatabase.h"

#include <QThread>
#include <QtTest>

#include <atomic>
#include <barrier>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

class TestConcurrency : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void twoConnectionsOneOpenApplication();
    void manyUsersInParallelGetDistinctNumbers();

private:
    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
};

namespace {

struct Outcome
{
    bool ok = false;
    bool created = false;
    qint64 number = 0;
    QString error;
};

} // namespace

void TestConcurrency::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
}

void TestConcurrency::cleanup()
{
    m_db.reset();
    m_database.reset();
}

void TestConcurrency::twoConnectionsOneOpenApplication()
{
    constexpr int Rounds = 25;
    for (int round = 0; round < Rounds; ++round) {
        const User user = makeUser(*m_db, 10'000 + round);
        std::barrier start(2);
        Outcome outcomes[2];
        QList<QThread*> threads;
        for (int side = 0; side < 2; ++side) {
            threads << QThread::create([&, side] {
                // Each thread opens its own connection, as the engine's workers do.
                auto db = m_database->connect(u"racer"_s);
                if (!db) {
                    start.arrive_and_drop();
                    outcomes[side].error = u"cannot connect"_s;
                    return;
                }
                ApplicationRepository repo(*db);
                start.arrive_and_wait();
                auto result = repo.create({user.id, u"Гонщик %1"_s.arg(side), u"+7916000000%1"_s.arg(side),
                                           side == 0 ? u"basic"_s : u"premium"_s});
                if (!result) {
                    outcomes[side].error = result.error().message();
                    return;
                }
                outcomes[side] = {true, result->created, result->application.number, {}};
            });
        }
        for (QThread* t : std::as_const(threads))
            t->start();
        for (QThread* t : std::as_const(threads)) {
            QVERIFY(t->wait(30'000));
            delete t;
        }
        QVERIFY2(outcomes[0].ok, qPrintable(outcomes[0].error));
        QVERIFY2(outcomes[1].ok, qPrintable(outcomes[1].error));
        QCOMPARE(int(outcomes[0].created) + int(outcomes[1].created), 1);
        // The loser was told about the winner's application.
        QCOMPARE(outcomes[0].number, outcomes[1].number);
        ApplicationFilter forUser;
        forUser.userId = user.id;
        auto count = ApplicationRepository(*m_db).count(forUser);
        QVERIFY2(count, WHY(count));
        QCOMPARE(*count, 1);
    }
}

void TestConcurrency::manyUsersInParallelGetDistinctNumbers()
{
    constexpr int Threads = 4;
    constexpr int PerThread = 15;
    QList<qint64> userIds;
    for (int i = 0; i < Threads * PerThread; ++i)
        userIds << makeUser(*m_db, 20'000 + i).id;
    std::atomic<int> failures = 0;
    QList<QThread*> threads;
    for (int t = 0; t < Threads; ++t) {
        threads << QThread::create([&, t] {
            auto db = m_database->connect(u"parallel"_s);
            if (!db) {
                ++failures;
                return;
            }
            ApplicationRepository repo(*db);
            for (int i = 0; i < PerThread; ++i) {
                auto result =
                    repo.create({userIds.at(t * PerThread + i), u"Клиент"_s, u"+79161234567"_s, {}});
                if (!result || !result->created) {
                    if (!result)
                        qWarning("%s", qPrintable(result.error().message()));
                    ++failures;
                }
            }
        });
    }
    for (QThread* t : std::as_const(threads))
        t->start();
    for (QThread* t : std::as_const(threads)) {
        QVERIFY(t->wait(60'000));
        delete t;
    }
    QCOMPARE(failures.load(), 0);
    auto count = ApplicationRepository(*m_db).count({});
    QCOMPARE(*count, Threads * PerThread);
    QSqlQuery& q = m_db->exec(u"SELECT COUNT(DISTINCT number) FROM applications"_s, {}, u"numbers"_s);
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), Threads * PerThread);
    q.finish();
}

QTEST_GUILESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
