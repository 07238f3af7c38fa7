// ApplicationRepository on the real backend: numbers, the one-open rule, updates with history,
// optimistic locking, filters, sorting and keyset paging, hostile text, and the schema's own constraints.

#include "ApplicationRepository.h"
#include "Fixtures.h"
#include "Migrator.h"
#include "TestDatabase.h"
#include "UpdateRepository.h"
#include "UserRepository.h"

#include <QSet>
#include <QtTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

class TestApplications : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void numbersAreUniqueAndIncreasing();
    void secondOpenApplicationIsRefusedAndTheOpenOneReturned();
    void closedApplicationAllowsANewOne();
    void rememberedPackageIsStored();
    void findersReturnWhatTheyShould();
    void openAndLatestOfSeveralUsersAtOnce();
    void startingUpdatesLoadsTheSameApplications();
    void updateContactsKeepsHistory();
    void changePackageKeepsHistory();
    void statusChangeChecksTheVersion();
    void statusChangeFollowsTheLifeCycle();
    void reopeningNeverMakesTwoOpenApplications();
    void noteAndAssigneeUseTheVersionCheck();
    void hostileTextIsStoredVerbatim();
    void filtersMatchTheirDefinition();
    void textSearchIgnoresCaseInEveryScript();
    void sortingAndKeysetPagingVisitEveryRowOnce_data();
    void sortingAndKeysetPagingVisitEveryRowOnce();
    void databaseEnforcesItsRules();

private:
    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
};

void TestApplications::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
}

void TestApplications::cleanup()
{
    m_db.reset();
    m_database.reset();
}

void TestApplications::numbersAreUniqueAndIncreasing()
{
    QList<qint64> numbers;
    for (int i = 0; i < 5; ++i)
        numbers << makeApplication(*m_db, 1000 + i).number;
    QVERIFY(numbers.first() >= 1001);
    for (int i = 1; i < numbers.size(); ++i)
        QVERIFY(numbers.at(i) > numbers.at(i - 1));
    QCOMPARE(QSet<qint64>(numbers.begin(), numbers.end()).size(), numbers.size());
}

void TestApplications::secondOpenApplicationIsRefusedAndTheOpenOneReturned()
{
    const Application first = makeApplication(*m_db, 42, u"basic"_s);
    QCOMPARE(first.status, ApplicationStatus::New);
    QCOMPARE(first.version, 1);
    QCOMPARE(first.telegramId, 42);

    ApplicationRepository repo(*m_db);
    auto second = repo.create({first.userId, u"Анна"_s, u"+79160000000"_s, u"premium"_s});
    QVERIFY2(second, WHY(second));
    QVERIFY(!second->created);
    QCOMPARE(second->application.id, first.id);
    QCOMPARE(second->application.number, first.number);
    QCOMPARE(second->application.packageCode, u"basic"_s); // untouched
    QCOMPARE(second->application.phone, u"+79161234567"_s);
    auto count = repo.count({});
    QVERIFY2(count, WHY(count));
    QCOMPARE(*count, 1);

    // In progress is open too.
    QVERIFY(repo.changeStatus(first.id, 1, ApplicationStatus::InProgress, u"manager"_s));
    auto third = repo.create({first.userId, u"Анна"_s, u"+79160000000"_s, {}});
    QVERIFY2(third, WHY(third));
    QVERIFY(!third->created);
}

void TestApplications::closedApplicationAllowsANewOne()
{
    const Application first = makeApplication(*m_db, 7);
    ApplicationRepository repo(*m_db);
    QVERIFY(repo.changeStatus(first.id, first.version, ApplicationStatus::Done, u"manager"_s));
    auto next = repo.create({first.userId, u"Анна"_s, u"+79161234567"_s, u"advanced"_s});
    QVERIFY2(next, WHY(next));
    QVERIFY(next->created);
    QVERIFY(next->application.number > first.number);
    auto latest = repo.findLatest(first.userId);
    QVERIFY2(latest, WHY(latest));
    QCOMPARE((*latest)->id, next->application.id);
    auto any = repo.userHasAny(first.userId);
    QVERIFY2(any, WHY(any));
    QVERIFY(*any);
}

void TestApplications::rememberedPackageIsStored()
{
    QCOMPARE(makeApplication(*m_db, 1, u"premium"_s).packageCode, u"premium"_s);
    QCOMPARE(makeApplication(*m_db, 2, QString()).packageCode, QString());
}

void TestApplications::findersReturnWhatTheyShould()
{
    const Application a = makeApplication(*m_db, 11);
    const User other = makeUser(*m_db, 12);
    ApplicationRepository repo(*m_db);
    auto byNumber = repo.findByNumber(a.number);
    QVERIFY2(byNumber && *byNumber, WHY(byNumber));
    QCOMPARE((*byNumber)->id, a.id);
    auto byId = repo.findById(a.id);
    QVERIFY2(byId && *byId, WHY(byId));
    QCOMPARE((*byId)->number, a.number);
    auto open = repo.findOpen(a.userId);
    QVERIFY2(open && *open, WHY(open));
    auto none = repo.findOpen(other.id);
    QVERIFY2(none, WHY(none));
    QVERIFY(!*none);
    auto missing = repo.findByNumber(999999);
    QVERIFY2(missing, WHY(missing));
    QVERIFY(!*missing);
    auto hasAny = repo.userHasAny(other.id);
    QVERIFY2(hasAny, WHY(hasAny));
    QVERIFY(!*hasAny);
}

void TestApplications::openAndLatestOfSeveralUsersAtOnce()
{
    // The engine loads these for a whole group of updates in one statement.
    ApplicationRepository repo(*m_db);
    const Application first = makeApplication(*m_db, 21); // done, then a newer open one
    QVERIFY(repo.changeStatus(first.id, first.version, ApplicationStatus::Done, u"manager"_s));
    auto reopened = repo.create({first.userId, u"Анна"_s, u"+79161234567"_s, u"advanced"_s});
    QVERIFY2(reopened, WHY(reopened));
    const Application closed = makeApplication(*m_db, 22); // only a rejected one
    QVERIFY(repo.changeStatus(closed.id, closed.version, ApplicationStatus::Rejected, u"manager"_s));
    const Application open = makeApplication(*m_db, 23);  // only an open one
    const User none = makeUser(*m_db, 24);                // none at all
    const Application other = makeApplication(*m_db, 25); // not asked for

    auto facts = repo.findOpenAndLatest({first.userId, closed.userId, open.userId, none.id});
    QVERIFY2(facts, WHY(facts));
    QCOMPARE(facts->size(), 3);
    QVERIFY(!facts->contains(none.id));
    QVERIFY(!facts->contains(other.userId));
    const auto& a = facts->value(first.userId);
    QVERIFY(a.open && a.latest);
    QCOMPARE(a.open->id, reopened->application.id);
    QCOMPARE(a.latest->id, reopened->application.id);
    const auto& b = facts->value(closed.userId);
    QVERIFY(!b.open);
    QVERIFY(b.latest);
    QCOMPARE(b.latest->id, closed.id);
    QCOMPARE(b.latest->status, ApplicationStatus::Rejected);
    const auto& c = facts->value(open.userId);
    QVERIFY(c.open && c.latest);
    QCOMPARE(c.open->id, open.id);
    QCOMPARE(c.open->number, open.number);
    QCOMPARE(c.open->telegramId, 23);
    auto empty = repo.findOpenAndLatest({});
    QVERIFY2(empty && empty->isEmpty(), WHY(empty));
}

void TestApplications::startingUpdatesLoadsTheSameApplications()
{
    // On PostgreSQL the statement that starts a group of updates loads each user's open and latest
    // application itself; they must be exactly what findOpenAndLatest reads.
    ApplicationRepository repo(*m_db);
    const Application first = makeApplication(*m_db, 31); // done, then a newer open one with a note
    QVERIFY(repo.changeStatus(first.id, first.version, ApplicationStatus::Done, u"manager"_s));
    auto reopened = repo.create({first.userId, u"Анна"_s, u"+79161234567"_s, u"advanced"_s});
    QVERIFY2(reopened, WHY(reopened));
    auto noted = repo.updateNote(reopened->application.id, reopened->application.version,
                                 u"перезвонить <после 18:00>"_s, u"Ольга"_s, u"manager"_s);
    QVERIFY2(noted, WHY(noted));
    const Application closed = makeApplication(*m_db, 32, QString()); // only a rejected one, no package
    QVERIFY(repo.changeStatus(closed.id, closed.version, ApplicationStatus::Rejected, u"manager"_s));
    const Application open = makeApplication(*m_db, 33);
    const User none = makeUser(*m_db, 34);

    QList<UpdateRepository::Incoming> incoming;
    qint64 updateId = 900;
    for (qint64 telegramId : {31, 32, 33, 34, 35}) // 35: a user the statement itself creates
        incoming << UpdateRepository::Incoming{++updateId,
                                               profile(telegramId, u"Анна"_s, u"anna_%1"_s.arg(telegramId))};
    auto starts = UpdateRepository(*m_db).start(incoming);
    QVERIFY2(starts, WHY(starts));
    QCOMPARE(starts->size(), incoming.size());
    if (m_db->dialect() != Dialect::PostgreSql) {
        for (const UpdateStart& start : std::as_const(*starts))
            QVERIFY(!start.applications); // SQLite: left to findOpenAndLatest when a dialog asks
        return;
    }
    QList<qint64> userIds;
    for (const UpdateStart& start : std::as_const(*starts)) {
        QVERIFY(start.fresh);
        QVERIFY(start.applications);
        userIds << start.user.id;
    }
    // Read afterwards, so that both see the usernames the start wrote.
    auto facts = repo.findOpenAndLatest(userIds);
    QVERIFY2(facts, WHY(facts));
    auto same = [](const std::optional<Application>& loaded, const std::optional<Application>& expected) {
        QCOMPARE(loaded.has_value(), expected.has_value());
        if (!expected)
            return;
        QCOMPARE(loaded->id, expected->id);
        QCOMPARE(loaded->number, expected->number);
        QCOMPARE(loaded->userId, expected->userId);
        QCOMPARE(loaded->telegramId, expected->telegramId);
        QCOMPARE(loaded->username, expected->username);
        QCOMPARE(loaded->name, expected->name);
        QCOMPARE(loaded->phone, expected->phone);
        QCOMPARE(loaded->packageCode, expected->packageCode);
        QCOMPARE(loaded->status, expected->status);
        QCOMPARE(loaded->managerNote, expected->managerNote);
        QCOMPARE(loaded->assignee, expected->assignee);
        QCOMPARE(loaded->createdAt, expected->createdAt);
        QCOMPARE(loaded->updatedAt, expected->updatedAt);
        QCOMPARE(loaded->version, expected->version);
    };
    for (const UpdateStart& start : std::as_const(*starts)) {
        const ApplicationRepository::OpenAndLatest expected = facts->value(start.user.id);
        same(start.applications->open, expected.open);
        if (QTest::currentTestFailed())
            return;
        same(start.applications->latest, expected.latest);
        if (QTest::currentTestFailed())
            return;
    }
    // And what they are: the note and the user's new username came along; no application, no facts.
    const auto& reopenedFacts = *starts->at(0).applications;
    QCOMPARE(reopenedFacts.open->managerNote, u"перезвонить <после 18:00>"_s);
    QCOMPARE(reopenedFacts.open->assignee, u"Ольга"_s);
    QCOMPARE(reopenedFacts.open->username, u"anna_31"_s);
    QCOMPARE(reopenedFacts.latest->id, reopened->application.id);
    QVERIFY(!starts->at(1).applications->open);
    QCOMPARE(starts->at(1).applications->latest->status, ApplicationStatus::Rejected);
    QCOMPARE(starts->at(2).applications->open->id, open.id);
    QVERIFY(!starts->at(3).applications->open && !starts->at(3).applications->latest);
    QCOMPARE(starts->at(3).user.id, none.id);
    QVERIFY(!starts->at(4).applications->open && !starts->at(4).applications->latest);
}

void TestApplications::updateContactsKeepsHistory()
{
    const Application a = makeApplication(*m_db, 5);
    ApplicationRepository repo(*m_db);
    auto updated = repo.updateContacts(a.id, u"Анна Петрова"_s, u"+79990001122"_s, u"bot"_s);
    QVERIFY2(updated, WHY(updated));
    QCOMPARE(updated->name, u"Анна Петрова"_s);
    QCOMPARE(updated->phone, u"+79990001122"_s);
    QCOMPARE(updated->version, a.version + 1);
    QVERIFY(updated->updatedAt >= a.updatedAt);
    auto events = repo.events(a.id);
    QVERIFY2(events, WHY(events));
    QCOMPARE(events->size(), 2);
    QCOMPARE(events->at(0).kind, u"created"_s);
    QCOMPARE(events->at(1).kind, u"contacts_updated"_s);
    QCOMPARE(events->at(1).actor, u"bot"_s);
    QVERIFY(events->at(1).oldValue.contains(u"+79161234567"_s));
    QVERIFY(events->at(1).newValue.contains(u"+79990001122"_s));
}

void TestApplications::changePackageKeepsHistory()
{
    const Application a = makeApplication(*m_db, 5, u"basic"_s);
    ApplicationRepository repo(*m_db);
    auto updated = repo.changePackage(a.id, u"premium"_s, u"bot"_s);
    QVERIFY2(updated, WHY(updated));
    QCOMPARE(updated->packageCode, u"premium"_s);
    auto events = repo.events(a.id);
    QVERIFY2(events, WHY(events));
    QCOMPARE(events->constLast().kind, u"package_changed"_s);
    QCOMPARE(events->constLast().oldValue, u"basic"_s);
    QCOMPARE(events->constLast().newValue, u"premium"_s);
    auto unknown = repo.changePackage(a.id, u"no_such_package"_s, u"bot"_s);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().kind(), DbError::Kind::ForeignKeyViolation);
}

void TestApplications::statusChangeChecksTheVersion()
{
    const Application a = makeApplication(*m_db, 9);
    ApplicationRepository repo(*m_db);
    // Manager A takes it into work.
    auto taken = repo.changeStatus(a.id, a.version, ApplicationStatus::InProgress, u"alice"_s);
    QVERIFY2(taken, WHY(taken));
    QCOMPARE(taken->status, ApplicationStatus::InProgress);
    QCOMPARE(taken->version, a.version + 1);
    // Manager B still sees the old version and tries to reject it: refused, nothing overwritten.
    auto stale = repo.changeStatus(a.id, a.version, ApplicationStatus::Rejected, u"bob"_s);
    QVERIFY(!stale);
    QCOMPARE(stale.error().kind(), DbError::Kind::Conflict);
    QVERIFY2(stale.error().message().contains(QString::number(a.number)),
             qPrintable(stale.error().message()));
    auto now = repo.findById(a.id);
    QVERIFY(now && *now);
    QCOMPARE((*now)->status, ApplicationStatus::InProgress);
    QCOMPARE((*now)->version, taken->version);
    // After a reload B can act.
    auto done = repo.changeStatus(a.id, (*now)->version, ApplicationStatus::Done, u"bob"_s);
    QVERIFY2(done, WHY(done));
    auto events = repo.events(a.id);
    QVERIFY2(events, WHY(events));
    QStringList kinds;
    for (const auto& e : std::as_const(*events))
        kinds << e.kind + u':' + e.actor + u':' + e.newValue;
    QCOMPARE(kinds, (QStringList{u"created:bot:basic"_s, u"status_changed:alice:in_progress"_s,
                                 u"status_changed:bob:done"_s}));
    auto missing = repo.changeStatus(987654, 1, ApplicationStatus::Done, u"bob"_s);
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind(), DbError::Kind::NotFound);
}

void TestApplications::statusChangeFollowsTheLifeCycle()
{
    using S = ApplicationStatus;
    QVERIFY(ApplicationStatuses::canChange(S::New, S::InProgress));
    QVERIFY(ApplicationStatuses::canChange(S::New, S::Rejected));
    QVERIFY(ApplicationStatuses::canChange(S::InProgress, S::Done));
    QVERIFY(ApplicationStatuses::canChange(S::Done, S::InProgress));
    QVERIFY(!ApplicationStatuses::canChange(S::Done, S::Rejected));
    QVERIFY(!ApplicationStatuses::canChange(S::InProgress, S::New));
    QVERIFY(!ApplicationStatuses::canChange(S::New, S::New));

    const Application a = makeApplication(*m_db, 3);
    ApplicationRepository repo(*m_db);
    auto done = repo.changeStatus(a.id, a.version, S::Done, u"m"_s);
    QVERIFY2(done, WHY(done));
    auto bad = repo.changeStatus(a.id, done->version, S::Rejected, u"m"_s);
    QVERIFY(!bad);
    QCOMPARE(bad.error().kind(), DbError::Kind::InvalidArgument);
    auto reopened = repo.changeStatus(a.id, done->version, S::InProgress, u"m"_s);
    QVERIFY2(reopened, WHY(reopened));
    QCOMPARE(reopened->status, S::InProgress);
}

void TestApplications::reopeningNeverMakesTwoOpenApplications()
{
    const Application first = makeApplication(*m_db, 77);
    ApplicationRepository repo(*m_db);
    auto rejected = repo.changeStatus(first.id, first.version, ApplicationStatus::Rejected, u"m"_s);
    QVERIFY2(rejected, WHY(rejected));
    auto second = repo.create({first.userId, u"Анна"_s, u"+79161234567"_s, u"basic"_s});
    QVERIFY2(second && second->created, WHY(second));
    auto reopen = repo.changeStatus(first.id, rejected->version, ApplicationStatus::InProgress, u"m"_s);
    QVERIFY(!reopen);
    QCOMPARE(reopen.error().kind(), DbError::Kind::InvalidArgument);
    QVERIFY2(reopen.error().message().contains(QString::number(second->application.number)),
             qPrintable(reopen.error().message()));
    ApplicationFilter openOnly;
    openOnly.statuses = {ApplicationStatus::New, ApplicationStatus::InProgress};
    auto open = repo.count(openOnly);
    QVERIFY2(open, WHY(open));
    QCOMPARE(*open, 1);
}

void TestApplications::noteAndAssigneeUseTheVersionCheck()
{
    const Application a = makeApplication(*m_db, 8);
    ApplicationRepository repo(*m_db);
    auto noted = repo.updateNote(a.id, a.version, u"Перезвонить в пятницу"_s, u"alice"_s, u"alice"_s);
    QVERIFY2(noted, WHY(noted));
    QCOMPARE(noted->managerNote, u"Перезвонить в пятницу"_s);
    QCOMPARE(noted->assignee, u"alice"_s);
    QCOMPARE(noted->version, a.version + 1);
    auto stale = repo.updateNote(a.id, a.version, u"other text"_s, u"bob"_s, u"bob"_s);
    QVERIFY(!stale);
    QCOMPARE(stale.error().kind(), DbError::Kind::Conflict);
    auto reloaded = repo.findById(a.id);
    QCOMPARE((*reloaded)->managerNote, u"Перезвонить в пятницу"_s);
    auto unchanged = repo.updateNote(a.id, noted->version, noted->managerNote, noted->assignee, u"alice"_s);
    QVERIFY2(unchanged, WHY(unchanged));
    QCOMPARE(unchanged->version, noted->version); // nothing changed, nothing bumped
    auto events = repo.events(a.id);
    QCOMPARE(events->size(), 3); // created, note_changed, assignee_changed
}

void TestApplications::hostileTextIsStoredVerbatim()
{
    const QStringList names{u"Robert'); DROP TABLE applications;--"_s, u"<script>alert(1)</script>"_s,
                            u"Анна \"Ковальчук\" \\ %_"_s};
    qint64 id = 500;
    for (const QString& name : names) {
        const Application a = makeApplication(*m_db, ++id, u"basic"_s, name);
        ApplicationRepository repo(*m_db);
        auto loaded = repo.findById(a.id);
        QVERIFY2(loaded && *loaded, WHY(loaded));
        QCOMPARE((*loaded)->name, name);
    }
    ApplicationRepository repo(*m_db);
    auto all = repo.count({});
    QCOMPARE(*all, 3);
    // LIKE wildcards in a search are literal characters.
    ApplicationFilter f;
    f.text = u"%_"_s;
    auto found = repo.count(f);
    QVERIFY2(found, WHY(found));
    QCOMPARE(*found, 1);
    f.text = u"'); DROP"_s;
    found = repo.count(f);
    QCOMPARE(*found, 1);
}

void TestApplications::filtersMatchTheirDefinition()
{
    ApplicationRepository repo(*m_db);
    const QDateTime base(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
    const QStringList packages{u"basic"_s, u"advanced"_s, u"premium"_s, QString()};
    QList<Application> all;
    for (int i = 0; i < 24; ++i) {
        Application a = makeApplication(*m_db, 2000 + i, packages.at(i % 4), u"Клиент %1"_s.arg(i),
                                        u"+7916%1"_s.arg(1000000 + i));
        setCreatedAt(*m_db, a.id, base.addDays(i));
        a.createdAt = base.addDays(i);
        if (i % 3 == 1) {
            auto changed = repo.changeStatus(a.id, a.version, ApplicationStatus::InProgress, u"m"_s);
            QVERIFY2(changed, WHY(changed));
            a.status = changed->status;
        } else if (i % 3 == 2) {
            auto changed = repo.changeStatus(a.id, a.version, ApplicationStatus::Rejected, u"m"_s);
            QVERIFY2(changed, WHY(changed));
            a.status = changed->status;
        }
        all << a;
    }
    auto check = [&](const char* label, const ApplicationFilter& filter,
                     const std::function<bool(const Application&)>& expected) {
        QSet<qint64> want;
        for (const Application& a : std::as_const(all)) {
            if (expected(a))
                want.insert(a.id);
        }
        auto count = repo.count(filter);
        QVERIFY2(count, WHY(count));
        QVERIFY2(
            *count == want.size(),
            qPrintable(
                u"%1: counted %2, expected %3"_s.arg(QLatin1String(label)).arg(*count).arg(want.size())));
        auto page = repo.list(filter, {}, {}, 100);
        QVERIFY2(page, WHY(page));
        QSet<qint64> got;
        for (const Application& a : std::as_const(page->rows))
            got.insert(a.id);
        QVERIFY2(got == want, label);
        QVERIFY(!page->next.isValid());
    };
    ApplicationFilter f;
    check("check 1", f, [](const Application&) { return true; });
    f.statuses = {ApplicationStatus::InProgress};
    check("check 2", f, [](const Application& a) { return a.status == ApplicationStatus::InProgress; });
    f.statuses = {ApplicationStatus::New, ApplicationStatus::Rejected};
    check("check 3", f, [](const Application& a) { return a.status != ApplicationStatus::InProgress; });
    f = {};
    f.packageCodes = {u"premium"_s};
    check("check 4", f, [](const Application& a) { return a.packageCode == u"premium"_s; });
    f.packageCodes = {u"basic"_s, QString()};
    check("check 5", f,
          [](const Application& a) { return a.packageCode == u"basic"_s || a.packageCode.isEmpty(); });
    f = {};
    f.createdFrom = base.addDays(5);
    f.createdTo = base.addDays(10);
    check("check 6", f,
          [&](const Application& a) { return a.createdAt >= f.createdFrom && a.createdAt < f.createdTo; });
    // A filter with a date given in another time zone means the same instant.
    f.createdFrom = base.addDays(5).toOffsetFromUtc(14 * 3600);
    check("check 7", f,
          [&](const Application& a) { return a.createdAt >= base.addDays(5) && a.createdAt < f.createdTo; });
    f = {};
    f.text = u"Клиент 1"_s; // 1, 10..19
    check("check 8", f, [](const Application& a) { return a.name.startsWith(u"Клиент 1"_s); });
    f.text = u"916 100-00-07"_s; // digits of a phone with separators
    check("check 9", f, [](const Application& a) { return a.phone.endsWith(u"1000007"_s); });
    f.text = QString::number(all.at(3).number);
    check("check 10", f, [&](const Application& a) { return QString::number(a.number).contains(f.text); });
    f = {};
    f.statuses = {ApplicationStatus::New};
    f.packageCodes = {u"basic"_s};
    f.createdFrom = base;
    f.text = u"клиент"_s;
    check("check 11", f, [&](const Application& a) {
        return a.status == ApplicationStatus::New && a.packageCode == u"basic"_s;
    });
}

void TestApplications::textSearchIgnoresCaseInEveryScript()
{
    makeApplication(*m_db, 1, u"basic"_s, u"Ёлкина Анастасия"_s);
    makeUser(*m_db, 2, u"x"_s, u"Sales_Lead"_s);
    ApplicationRepository repo(*m_db);
    auto user2 = UserRepository(*m_db).findByTelegramId(2);
    QVERIFY(repo.create({(*user2)->id, u"Bob"_s, u"+4915112345678"_s, {}}));
    ApplicationFilter f;
    for (const QString& needle : {u"ёлкина"_s, u"АНАСТАСИЯ"_s, u"анаСТАС"_s}) {
        f.text = needle;
        auto n = repo.count(f);
        QVERIFY2(n, WHY(n));
        QVERIFY2(*n == 1, qPrintable(needle));
    }
    f.text = u"sales_lead"_s; // by username, case-insensitive, '_' literal
    QCOMPARE(*repo.count(f), 1);
    f.text = u"salesxlead"_s;
    QCOMPARE(*repo.count(f), 0);
}

void TestApplications::sortingAndKeysetPagingVisitEveryRowOnce_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    const QList<std::pair<const char*, ApplicationSortColumn>> columns{
        {"created", ApplicationSortColumn::CreatedAt}, {"updated", ApplicationSortColumn::UpdatedAt},
        {"number", ApplicationSortColumn::Number},     {"name", ApplicationSortColumn::Name},
        {"phone", ApplicationSortColumn::Phone},       {"package", ApplicationSortColumn::Package},
        {"status", ApplicationSortColumn::Status},     {"username", ApplicationSortColumn::Username},
        {"assignee", ApplicationSortColumn::Assignee}};
    for (const auto& [name, column] : columns) {
        QTest::addRow("%s asc", name) << int(column) << false;
        QTest::addRow("%s desc", name) << int(column) << true;
    }
}

void TestApplications::sortingAndKeysetPagingVisitEveryRowOnce()
{
    QFETCH(int, column);
    QFETCH(bool, descending);
    ApplicationRepository repo(*m_db);
    // Ties on purpose: repeated names, packages and timestamps, so the id tie-breaker matters.
    const QDateTime t0(QDate(2026, 5, 1), QTime(8, 0, 0, 123), Qt::UTC);
    const QStringList names{u"Вера"_s, u"Анна"_s, u"Борис"_s};
    const QStringList packages{u"basic"_s, QString(), u"premium"_s};
    for (int i = 0; i < 17; ++i) {
        const User u = makeUser(*m_db, 3000 + i, u"u"_s, i % 4 == 0 ? QString() : u"user%1"_s.arg(i % 5));
        auto created =
            repo.create({u.id, names.at(i % 3), u"+7900000%1"_s.arg(1000 + i % 6), packages.at(i % 3)});
        QVERIFY2(created, WHY(created));
        setCreatedAt(*m_db, created->application.id, t0.addSecs(i / 3)); // three share each second
        if (i % 5 == 1)
            QVERIFY(repo.updateNote(created->application.id, 1, {}, u"m%1"_s.arg(i % 2), u"m"_s));
    }
    // PostgreSQL keeps microseconds: give two rows timestamps that differ below a millisecond.
    if (m_db->dialect() == Dialect::PostgreSql) {
        m_db->exec(u"UPDATE applications SET created_at = created_at + interval '400 microseconds' "
                   "WHERE id IN (SELECT id FROM applications ORDER BY id LIMIT 2)"_s,
                   {}, u"fixture"_s);
    }
    const ApplicationSort sort{ApplicationSortColumn(column), descending};
    auto everything = repo.list({}, sort, {}, 1000);
    QVERIFY2(everything, WHY(everything));
    QCOMPARE(everything->rows.size(), 17);

    // The one-shot order is consistent with the column.
    auto key = [&](const Application& a) -> QVariant {
        switch (ApplicationSortColumn(column)) {
        case ApplicationSortColumn::CreatedAt:
            return a.createdAt;
        case ApplicationSortColumn::UpdatedAt:
            return a.updatedAt;
        case ApplicationSortColumn::Number:
            return a.number;
        case ApplicationSortColumn::Name:
            return a.name;
        case ApplicationSortColumn::Phone:
            return a.phone;
        case ApplicationSortColumn::Package:
            return a.packageCode;
        case ApplicationSortColumn::Status:
            return int(a.status);
        case ApplicationSortColumn::Username:
            return a.username;
        case ApplicationSortColumn::Assignee:
            return a.assignee;
        }
        return {};
    };
    for (qsizetype i = 1; i < everything->rows.size(); ++i) {
        const QVariant prev = key(everything->rows.at(i - 1));
        const QVariant cur = key(everything->rows.at(i));
        const auto order = QVariant::compare(prev, cur);
        if (descending)
            QVERIFY2(order != QPartialOrdering::Less, qPrintable(u"row %1"_s.arg(i)));
        else
            QVERIFY2(order != QPartialOrdering::Greater, qPrintable(u"row %1"_s.arg(i)));
    }

    // Page by page, with a page size that does not divide the total.
    QList<qint64> paged;
    PageCursor cursor;
    int pages = 0;
    do {
        auto page = repo.list({}, sort, cursor, 4);
        QVERIFY2(page, WHY(page));
        QVERIFY(page->rows.size() <= 4);
        for (const Application& a : std::as_const(page->rows))
            paged << a.id;
        cursor = page->next;
        QVERIFY(++pages <= 10);
    } while (cursor.isValid());
    QList<qint64> oneShot;
    for (const Application& a : std::as_const(everything->rows))
        oneShot << a.id;
    QCOMPARE(paged, oneShot);
    QCOMPARE(pages, 5);
}

void TestApplications::databaseEnforcesItsRules()
{
    const Application a = makeApplication(*m_db, 1);
    const User other = makeUser(*m_db, 2);
    auto expectKind = [&](const QString& sql, const QVariantList& values, DbError::Kind kind) {
        try {
            m_db->exec(sql, values, u"raw insert"_s);
            QFAIL(qPrintable(u"accepted: "_s + sql));
        } catch (const DbException& e) {
            QVERIFY2(e.error().kind() == kind, qPrintable(e.error().message()));
        }
    };
    const QString insert = m_db->dialect() == Dialect::PostgreSql
                               ? u"INSERT INTO applications (user_id, name, phone, status, number) "
                                 "VALUES (?, 'x', '+79161234567', ?, ?)"_s
                               : u"INSERT INTO applications (user_id, name, phone, status, number) "
                                 "VALUES (?, 'x', '+79161234567', ?, ?)"_s;
    // Bypassing the repository: a second open application for the same user.
    expectKind(insert, {a.userId, u"in_progress"_s, 90001}, DbError::Kind::UniqueViolation);
    // A duplicate number.
    expectKind(insert, {other.id, u"new"_s, a.number}, DbError::Kind::UniqueViolation);
    // An unknown status.
    expectKind(insert, {other.id, u"lost"_s, 90002}, DbError::Kind::CheckViolation);
    // A user that does not exist.
    expectKind(insert, {qint64(987654), u"new"_s, 90003}, DbError::Kind::ForeignKeyViolation);
    // A phone that is not E.164.
    expectKind(
        u"INSERT INTO applications (user_id, name, phone, number) VALUES (?, 'x', '89161234567', 90004)"_s,
        {other.id}, DbError::Kind::CheckViolation);
    // Closed applications may be many.
    m_db->exec(insert, {a.userId, u"done"_s, 90005}, u"closed one"_s);
    m_db->exec(insert, {a.userId, u"rejected"_s, 90006}, u"closed two"_s);
    auto count = ApplicationRepository(*m_db).count({});
    QCOMPARE(*count, 3);
}

QTEST_GUILESS_MAIN(TestApplications)
#include "tst_applications.moc"
