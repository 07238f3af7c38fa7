#include "TestDatabase.h"

#include "DatabaseUrl.h"
#include "Migrator.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QSqlQuery>
#include <QThread>

using namespace Qt::StringLiterals;

namespace salesbot::test {

namespace {

// The administrative connection lives on the thread that first needs it (the test's main thread).
std::unique_ptr<DbConnection> admin;

void closeAdminConnection()
{
    admin.reset();
}

DbConnection* adminConnection(QString* error)
{
    // Closed before QCoreApplication goes, while Qt's SQL registry still exists.
    static const bool registered = [] {
        qAddPostRoutine(closeAdminConnection);
        return true;
    }();
    Q_UNUSED(registered)
    if (admin && admin->isOpen())
        return admin.get();
    const QString url = qEnvironmentVariable("SALESBOT_TEST_PG_URL");
    if (url.isEmpty()) {
        *error = u"SALESBOT_TEST_PG_URL is not set: the PostgreSQL suites need a server. "
                 "Run them with scripts/test.sh, which starts a throwaway PostgreSQL."_s;
        return nullptr;
    }
    auto settings = DatabaseUrl::parse(url);
    if (!settings) {
        *error = u"SALESBOT_TEST_PG_URL: "_s + settings.error();
        return nullptr;
    }
    admin = std::make_unique<DbConnection>(*settings, u"test-admin"_s);
    if (auto opened = admin->open(); !opened) {
        *error = opened.error().message();
        admin.reset();
        return nullptr;
    }
    return admin.get();
}

} // namespace

Dialect TestDatabase::backend()
{
    return qEnvironmentVariable("SALESBOT_TEST_BACKEND") == "postgres"_L1 ? Dialect::PostgreSql
                                                                          : Dialect::Sqlite;
}

QString TestDatabase::backendName()
{
    return backend() == Dialect::PostgreSql ? u"postgres"_s : u"sqlite"_s;
}

Expected<std::unique_ptr<TestDatabase>, QString> TestDatabase::create()
{
    std::unique_ptr<TestDatabase> db(new TestDatabase);
    if (backend() == Dialect::Sqlite) {
        db->m_dir = std::make_unique<QTemporaryDir>();
        if (!db->m_dir->isValid())
            return unexpected(u"cannot create a temporary directory: "_s + db->m_dir->errorString());
        db->m_settings.dialect = Dialect::Sqlite;
        db->m_settings.sqlitePath = db->m_dir->filePath(u"salesbot.sqlite3"_s);
        return db;
    }
    QString error;
    DbConnection* admin = adminConnection(&error);
    if (!admin)
        return unexpected(error);
    static int counter = 0;
    const QString name = u"salesbot_t_%1_%2"_s.arg(QCoreApplication::applicationPid()).arg(++counter);
    try {
        admin->execDirect(u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(name),
                          u"dropping a test database"_s);
        admin->execDirect(u"CREATE DATABASE %1"_s.arg(name), u"creating a test database"_s);
    } catch (const DbException& e) {
        return unexpected(e.error().message());
    }
    db->m_settings = admin->settings();
    db->m_settings.databaseName = name;
    return db;
}

TestDatabase::~TestDatabase()
{
    if (m_settings.dialect != Dialect::PostgreSql)
        return;
    QString error;
    if (DbConnection* admin = adminConnection(&error)) {
        try {
            admin->execDirect(u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_settings.databaseName),
                              u"dropping a test database"_s);
        } catch (const DbException& e) {
            qWarning("%s", qPrintable(e.error().message()));
        }
    }
}

std::unique_ptr<DbConnection> TestDatabase::connect(const QString& purpose) const
{
    auto connection = std::make_unique<DbConnection>(m_settings, purpose);
    if (auto opened = connection->open(); !opened) {
        qWarning("%s", qPrintable(opened.error().message()));
        return nullptr;
    }
    return connection;
}

std::unique_ptr<DbConnection> TestDatabase::connectMigrated(const QString& purpose) const
{
    auto connection = connect(purpose);
    if (!connection)
        return nullptr;
    Migrator migrator(*connection);
    if (auto migrated = migrator.migrate(); !migrated) {
        qWarning("%s", qPrintable(migrated.error().message()));
        return nullptr;
    }
    return connection;
}

bool TestDatabase::terminateSessions() const
{
    if (m_settings.dialect != Dialect::PostgreSql)
        return false;
    QString error;
    DbConnection* admin = adminConnection(&error);
    if (!admin)
        return false;
    try {
        QSqlQuery& q = admin->exec(u"SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                   "WHERE datname = ? AND pid <> pg_backend_pid()"_s,
                                   {m_settings.databaseName}, u"terminating sessions"_s);
        const bool any = q.next() && q.value(0).toInt() > 0;
        q.finish();
        return any;
    } catch (const DbException& e) {
        qWarning("%s", qPrintable(e.error().message()));
        return false;
    }
}

} // namespace salesbot::test
