#include "UpdateProcessor.h"

#include "ApplicationRepository.h"
#include "DialogStateRepository.h"
#include "MetricsRepository.h"
#include "ProcessedUpdateRepository.h"
#include "Transaction.h"
#include "UpdateRepository.h"
#include "UserRepository.h"

#include <QLoggingCategory>
#include <QThread>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcProcessor, "salesbot.processor")

namespace salesbot {

namespace {

// The applications of the users of one transaction: loaded with the updates (PostgreSQL), or for all of them
// in one statement when the first dialog asks for its user's.
class GroupApplications final
{
public:
    GroupApplications(DbConnection& db, const QList<UpdateStart>& starts)
        : m_db(db)
    {
        bool all = true;
        for (const UpdateStart& start : starts) {
            if (!start.fresh)
                continue;
            m_userIds << start.user.id;
            if (!start.applications)
                all = false;
            else if (start.applications->open || start.applications->latest)
                m_facts.insert(start.user.id, *start.applications);
        }
        m_loaded = all;
        if (!all)
            m_facts.clear();
    }

    ApplicationRepository::OpenAndLatest take(qint64 userId)
    {
        if (!m_loaded) {
            m_facts = Repository::require(ApplicationRepository(m_db).findOpenAndLatest(m_userIds));
            m_loaded = true;
        }
        return m_facts.take(userId);
    }

private:
    DbConnection& m_db;
    QList<qint64> m_userIds;
    QHash<qint64, ApplicationRepository::OpenAndLatest> m_facts;
    bool m_loaded = false;
};

// The dialog's view of the database for one user inside the update's transaction. Reads are loaded once
// and only when the dialog asks (for the whole group: GroupApplications); events are buffered and written
// in one statement at the end.
class RepositoryPort final : public DialogPort
{
public:
    RepositoryPort(DbConnection& db, const User& user, GroupApplications& group,
                   std::shared_ptr<const QList<Package>> catalog)
        : m_applications(db)
        , m_user(user)
        , m_group(group)
        , m_catalog(std::move(catalog))
    {}

    const QList<Package>& packages() override { return *m_catalog; }

    std::optional<Application> openApplication() override
    {
        load();
        return m_facts.open;
    }

    std::optional<Application> latestApplication() override
    {
        load();
        return m_facts.latest;
    }

    CreateApplicationResult createApplication(const QString& name, const QString& phone,
                                              const QString& packageCode) override
    {
        auto result = m_applications.create({m_user.id, name, phone, packageCode, u"bot"_s});
        if (!result)
            throw DbException(result.error());
        m_facts.open = result->application;
        m_facts.latest = result->application;
        m_loaded = true;
        if (result->created) {
            m_created = true;
            m_number = result->application.number;
        }
        return *result;
    }

    Application updateContacts(qint64 applicationId, const QString& name, const QString& phone) override
    {
        load(); // first: the group's applications may have been read before this change, not after
        auto result = m_applications.updateContacts(applicationId, name, phone, u"bot"_s);
        if (!result)
            throw DbException(result.error());
        remember(*result);
        return *result;
    }

    Application changePackage(qint64 applicationId, const QString& packageCode) override
    {
        load();
        auto result = m_applications.changePackage(applicationId, packageCode, u"bot"_s);
        if (!result)
            throw DbException(result.error());
        remember(*result);
        return *result;
    }

    void record(const QString& action, const QString& packageCode, const QJsonObject& data) override
    {
        m_events.append({action, packageCode, data});
    }

    const QList<MetricsRepository::Event>& events() const { return m_events; }
    bool created() const { return m_created; }
    qint64 number() const { return m_number; }

private:
    void load()
    {
        if (m_loaded)
            return;
        m_facts = m_group.take(m_user.id);
        m_loaded = true;
    }

    void remember(const Application& a)
    {
        if (m_facts.open && m_facts.open->id == a.id)
            m_facts.open = a;
        if (m_facts.latest && m_facts.latest->id == a.id)
            m_facts.latest = a;
    }

    ApplicationRepository m_applications;
    const User& m_user;
    GroupApplications& m_group;
    std::shared_ptr<const QList<Package>> m_catalog;
    ApplicationRepository::OpenAndLatest m_facts;
    bool m_loaded = false;
    QList<MetricsRepository::Event> m_events;
    bool m_created = false;
    qint64 m_number = 0;
};

// An answer to a button press that says nothing (no notice text) only stops the button's spinner. It is
// sent from memory right after the commit, like the replies, but not written to the outbox: a crash between
// the commit and the send loses nothing the user could read (Telegram stops the spinner by itself after a
// few seconds, and refuses a late answer anyway), and it spares half of an outbox row and its "sent" mark per
// update. Answers with a notice, and every message, stay in the outbox.
bool isBareAnswer(const OutgoingMessage& m)
{
    return m.method == "answerCallbackQuery"_L1 && !m.payload.contains(u"text"_s);
}

} // namespace

UpdateProcessor::UpdateProcessor(DbConnection& db, const Dialog& dialog, const CatalogCache& catalog,
                                 qint64 leaseMs)
    : m_db(db)
    , m_dialog(dialog)
    , m_catalog(catalog)
    , m_leaseMs(leaseMs)
{}

template <typename Once>
ProcessOutcome UpdateProcessor::retrying(qint64 updateId, const GiveUp& giveUp, Once once)
{
    // Without a say from the caller (the shell), a few tries; the whole update is redone each time.
    constexpr int DefaultAttempts = 4;
    constexpr int MaxDelayMs = 2000;
    constexpr int SliceMs = 50; // how soon a stop request is noticed while waiting
    ProcessOutcome outcome;
    for (int attempt = 1;; ++attempt) {
        outcome = once();
        if (outcome.kind != ProcessOutcome::Kind::Failed || !outcome.transient)
            return outcome;
        if (giveUp ? giveUp() : attempt >= DefaultAttempts)
            return outcome;
        const int delay = std::min(MaxDelayMs, 50 << std::min(attempt, 10));
        // First failure and then every half minute or so: the database being away is one story, not a flood.
        if (attempt == 1 || attempt % 15 == 0)
            qCWarning(lcProcessor).noquote()
                << u"update %1 failed (attempt %2), retrying in its chat's queue: %3"_s.arg(updateId)
                       .arg(attempt)
                       .arg(outcome.error);
        for (int waited = 0; waited < delay && !(giveUp && giveUp()); waited += SliceMs)
            QThread::msleep(SliceMs);
    }
}

ProcessOutcome UpdateProcessor::process(const IncomingEvent& event, const GiveUp& giveUp)
{
    return retrying(event.updateId, giveUp, [&] { return processOnce({event}).constFirst(); });
}

void UpdateProcessor::processTogether(const QList<IncomingEvent>& events, const GiveUp& giveUp,
                                      const Report& report)
{
    if (events.size() > 1) {
        QList<ProcessOutcome> outcomes = processOnce(events);
        if (outcomes.constFirst().kind != ProcessOutcome::Kind::Failed) {
            QList<std::pair<qsizetype, ProcessOutcome>> all;
            all.reserve(outcomes.size());
            for (qsizetype i = 0; i < outcomes.size(); ++i)
                all.emplace_back(i, std::move(outcomes[i]));
            report(std::move(all));
            return;
        }
        // Nothing of the group was kept: each update is tried alone, so one that cannot be handled (or
        // waits for the database) holds up its own chat only.
        qCDebug(lcProcessor).noquote() << "a group of" << events.size()
                                       << "updates failed, trying each alone:" << outcomes.constFirst().error;
    }
    // Each outcome is reported as soon as it is known: a committed update's replies go out (and its offset
    // may be confirmed) while a later one of the group is still being retried.
    for (qsizetype i = 0; i < events.size(); ++i)
        report({{i, process(events.at(i), giveUp)}});
}

QList<ProcessOutcome> UpdateProcessor::processOnce(const QList<IncomingEvent>& events)
{
    QList<ProcessOutcome> outcomes(events.size());
    for (qsizetype i = 0; i < events.size(); ++i)
        outcomes[i].updateId = events.at(i).updateId;
    try {
        Transaction tx(m_db);
        UpdateRepository updates(m_db);
        QList<UpdateRepository::Incoming> incoming;
        incoming.reserve(events.size());
        for (const IncomingEvent& event : events)
            incoming << UpdateRepository::Incoming{event.updateId, event.from};
        const QList<UpdateStart> starts = Repository::require(updates.start(incoming));
        GroupApplications applications(m_db, starts);
        QList<UpdateEffects> effects;
        QList<qsizetype> owners; // effects[j] belongs to events[owners[j]]
        effects.reserve(events.size());
        for (qsizetype i = 0; i < events.size(); ++i) {
            const UpdateStart& start = starts.at(i);
            if (!start.fresh) {
                outcomes[i].kind = ProcessOutcome::Kind::Duplicate;
                continue;
            }
            RepositoryPort port(m_db, start.user, applications, m_catalog.snapshot());
            const DialogResult result =
                m_dialog.handle(events.at(i), start.state ? start.state->state : QString(),
                                start.state ? start.state->data : QJsonObject(), port);
            UpdateEffects e;
            e.telegramId = start.user.telegramId;
            e.saveState = result.stateChanged;
            e.state = result.state;
            e.data = result.data;
            e.events = port.events();
            e.messages.reserve(result.messages.size());
            for (const OutgoingMessage& m : result.messages) {
                OutboxMessage row;
                row.chatId = m.chatId;
                row.method = m.method;
                row.payload = m.payload;
                row.proactive = m.proactive;
                row.stored = !isBareAnswer(m);
                e.messages.append(std::move(row));
            }
            effects << std::move(e);
            owners << i;
            outcomes[i].applicationCreated = port.created();
            outcomes[i].applicationNumber = port.number();
        }
        if (effects.isEmpty()) {
            tx.rollback(); // all of them handled before: nothing to keep
            return outcomes;
        }
        Repository::require(updates.finish(effects, m_leaseMs));
        tx.commit();
        for (qsizetype j = 0; j < effects.size(); ++j)
            outcomes[owners.at(j)].messages = std::move(effects[j].messages);
    } catch (const DbException& e) {
        // Rolled back: none of the group's effects stand.
        for (qsizetype i = 0; i < events.size(); ++i) {
            outcomes[i] = ProcessOutcome{};
            outcomes[i].updateId = events.at(i).updateId;
            outcomes[i].kind = ProcessOutcome::Kind::Failed;
            outcomes[i].error = e.error().message();
            outcomes[i].transient = e.error().isTransient();
        }
    }
    return outcomes;
}

ProcessOutcome UpdateProcessor::skip(qint64 updateId, const GiveUp& giveUp)
{
    return retrying(updateId, giveUp, [&] { return skipOnce(updateId); });
}

ProcessOutcome UpdateProcessor::skipOnce(qint64 updateId)
{
    ProcessOutcome outcome;
    outcome.updateId = updateId;
    try {
        auto inserted = ProcessedUpdateRepository(m_db).tryInsert(updateId);
        if (!inserted)
            throw DbException(inserted.error());
        outcome.kind = *inserted ? ProcessOutcome::Kind::Processed : ProcessOutcome::Kind::Duplicate;
    } catch (const DbException& e) {
        outcome.kind = ProcessOutcome::Kind::Failed;
        outcome.error = e.error().message();
        outcome.transient = e.error().isTransient();
    }
    return outcome;
}

ProcessOutcome UpdateProcessor::apologize(const IncomingEvent& event, ProcessOutcome failed)
{
    failed.messages.clear();
    try {
        Transaction tx(m_db);
        const bool fresh = Repository::require(ProcessedUpdateRepository(m_db).tryInsert(event.updateId));
        if (!fresh) {
            tx.rollback(); // handled meanwhile (another engine?): nothing to apologize for
            return failed;
        }
        QList<OutboxMessage> messages;
        for (const OutgoingMessage& m : m_dialog.apology(event)) {
            OutboxMessage row;
            row.chatId = m.chatId;
            row.method = m.method;
            row.payload = m.payload;
            messages.append(std::move(row));
        }
        Repository::require(OutboxRepository(m_db).enqueueClaimed(messages, m_leaseMs));
        tx.commit();
        failed.messages = std::move(messages);
    } catch (const DbException& e) {
        qCWarning(lcProcessor).noquote()
            << "update" << event.updateId << "could not be recorded as failed:" << e.error().message();
    }
    return failed;
}

} // namespace salesbot
