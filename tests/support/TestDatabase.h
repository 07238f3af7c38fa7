#pragma once

// A fresh, empty database for one test on the backend the run asks for (SALESBOT_TEST_BACKEND):
// a SQLite file in a temporary directory, or a new database on the PostgreSQL server in SALESBOT_TEST_PG_URL.

#include "ConnectionSettings.h"
#include "DbConnection.h"
#include "Expected.h"

#include <QTemporaryDir>

#include <memory>

namespace salesbot::test {

class TestDatabase final
{
public:
    ~TestDatabase();
    Q_DISABLE_COPY_MOVE(TestDatabase)

    // The backend of this run; postgres when SALESBOT_TEST_BACKEND=postgres.
    static Dialect backend();
    static QString backendName();
    // Creates an empty database. On PostgreSQL without SALESBOT_TEST_PG_URL this fails with a message that
    // says how to run the suite: PostgreSQL tests are never skipped silently.
    static Expected<std::unique_ptr<TestDatabase>, QString> create();

    const ConnectionSettings& settings() const { return m_settings; }
    // A new open connection (the caller's thread owns it); nullptr with a warning when it cannot open.
    std::unique_ptr<DbConnection> connect(const QString& purpose = QStringLiteral("test")) const;
    // An open connection with the schema migrated.
    std::unique_ptr<DbConnection> connectMigrated(const QString& purpose = QStringLiteral("test")) const;
    // Kills every other session on this database (PostgreSQL), as a server restart or a network cut would.
    bool terminateSessions() const;

private:
    TestDatabase() = default;

    ConnectionSettings m_settings;
    std::unique_ptr<QTemporaryDir> m_dir;
};

} // namespace salesbot::test

// QVERIFY2(result, WHY(result)): shows the database error when an Expected holds one.
#define WHY(result) ((result) ? QByteArray() : (result).error().message().toUtf8()).constData()
