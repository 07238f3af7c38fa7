#include "ConsoleSession.h"

#include "ChangeRepository.h"
#include "Migrator.h"
#include "NotificationListener.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

QString loginName()
{
    QString login = qEnvironmentVariable("USER");
    if (login.isEmpty())
        login = qEnvironmentVariable("USERNAME");
    return login.isEmpty() ? u"console"_s : u"console:"_s + login;
}

} // namespace

ConsoleSession::ConsoleSession(ConnectionSettings settings, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_actor(loginName())
    , m_worker(std::make_unique<DbWorker>(m_settings, u"console-db"_s))
    , m_background(std::make_unique<DbWorker>(m_settings, u"console-db-background"_s))
{
    m_status.expectedSchemaVersion = Migrator::expectedVersion();
    connect(m_worker.get(), &DbWorker::busyChanged, this, [this](bool busy) {
        const bool before = isBusy();
        m_busy = busy;
        if (isBusy() != before)
            Q_EMIT busyChanged(isBusy());
    });
    connect(m_background.get(), &DbWorker::busyChanged, this, [this](bool busy) {
        const bool before = isBusy();
        m_backgroundBusy = busy;
        if (isBusy() != before)
            Q_EMIT busyChanged(isBusy());
    });
    connect(&m_poll, &QTimer::timeout, this, &ConsoleSession::poll);
    connect(&m_statusTimer, &QTimer::timeout, this, &ConsoleSession::refreshStatus);
}

ConsoleSession::~ConsoleSession()
{
    m_poll.stop();
    m_statusTimer.stop();
    if (m_listener)
        m_listener->stop();
    m_worker->stop(5000);
    m_background->stop(5000);
}

int ConsoleSession::localUtcOffsetSeconds()
{
    return QDateTime::currentDateTime().offsetFromUtc();
}

void ConsoleSession::start(int pollIntervalMs, int statusIntervalMs)
{
    if (m_settings.dialect == Dialect::PostgreSql) {
        m_listener = std::make_unique<NotificationListener>(
            m_settings, QStringList{u"salesbot_applications"_s, u"salesbot_catalog"_s}, u"console-listen"_s);
        connect(m_listener.get(), &NotificationListener::notified, this, &ConsoleSession::onNotification);
        // Whatever happened while the connection was down: refresh everything once.
        connect(m_listener.get(), &NotificationListener::resubscribed, this, [this] {
            Q_EMIT applicationChanged(0, 0, 0);
            Q_EMIT catalogChanged();
        });
        m_listener->start(qMax(pollIntervalMs, 5000));
    } else {
        m_poll.start(pollIntervalMs);
        poll();
    }
    m_statusTimer.start(statusIntervalMs);
    refreshStatus();
}

void ConsoleSession::onNotification(const QString& channel, const QString& payload)
{
    if (channel == "salesbot_catalog"_L1) {
        Q_EMIT catalogChanged();
        return;
    }
    const QJsonObject change = QJsonDocument::fromJson(payload.toUtf8()).object();
    const qint64 id = change.value(u"id"_s).toInteger();
    const qint64 number = change.value(u"number"_s).toInteger();
    const int version = change.value(u"version"_s).toInt();
    if (change.value(u"op"_s).toString() == "insert"_L1)
        Q_EMIT applicationCreated(id, number);
    Q_EMIT applicationChanged(id, number, version);
}

void ConsoleSession::poll()
{
    // SQLite has no notifications: compare a cheap look at the newest changes with the previous one.
    if (m_pollInFlight)
        return;
    m_pollInFlight = true;
    call(
        this, [](DbConnection& db) { return ChangeRepository(db).marks(); },
        [this](Expected<ChangeMarks, DbError> marks) {
            m_pollInFlight = false;
            if (!marks)
                return; // the status check reports the connection; polling just tries again
            if (m_lastMarks) {
                if (marks->newestApplicationId > m_lastMarks->newestApplicationId)
                    Q_EMIT applicationCreated(marks->newestApplicationId, marks->newestApplicationNumber);
                if (marks->applicationsUpdated != m_lastMarks->applicationsUpdated)
                    Q_EMIT applicationChanged(0, 0, 0);
                if (marks->catalogUpdated != m_lastMarks->catalogUpdated)
                    Q_EMIT catalogChanged();
            }
            m_lastMarks = marks.value();
        });
}

void ConsoleSession::refreshStatus()
{
    call(
        this,
        [](DbConnection& db) {
            ConsoleStatus status;
            auto opened = db.isOpen() && !db.isBroken() ? Expected<void, DbError>() : db.open();
            if (!opened) {
                status.error = opened.error().message();
                return status;
            }
            auto version = Migrator(db).currentVersion();
            if (!version) {
                status.error = version.error().message();
                return status;
            }
            status.schemaVersion = version.value();
            status.connected = true;
            auto engine = EngineInstanceRepository(db).latest();
            if (engine && engine.value()) {
                status.engine = *engine.value();
                status.engineOnline = status.engine->ageSeconds < 60.0;
            }
            return status;
        },
        [this](ConsoleStatus status) {
            status.expectedSchemaVersion = m_status.expectedSchemaVersion;
            m_status = std::move(status);
            Q_EMIT statusChanged(m_status);
        });
}

} // namespace salesbot
