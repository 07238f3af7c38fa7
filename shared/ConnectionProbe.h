#pragma once

// Answers "can the console work with this database, and if not, why and what to do about it" before a session
// starts: one throwaway connection, a handful of cheap queries and a human diagnosis of any failure.

#include "ConnectionSettings.h"
#include "EngineInstanceRepository.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace salesbot {

// Why a probe failed. The first group is about reaching and logging in, the second about the schema found.
enum class ConnectionFailure
{
    None,
    HostNotFound,      // the host name does not resolve
    ConnectionRefused, // nothing listens on that port
    Timeout,           // no answer within the time limit
    WrongPassword,     // authentication refused, or a password needed and none given
    SslRequired,       // one side insists on SSL and the other cannot or will not
    DatabaseMissing,   // no such database on the server, or no such SQLite file
    SchemaOlder,       // the database needs migrating before this console can use it
    SchemaNewer,       // the database was upgraded by a newer salesbot than this console
    DriverMissing,     // the Qt SQL driver plugin is not installed
    Other,
};

enum class SchemaComparison
{
    Unknown,
    Older,
    Same,
    Newer,
};

struct ConnectionReport
{
    ConnectionSettings settings; // what was probed, with the password cleared
    ConnectionFailure failure = ConnectionFailure::None;
    QString message; // one sentence: what is wrong (empty on success)
    QString advice;  // what to do about it
    QString detail;  // the driver's own words, password scrubbed

    bool reachable = false;       // a server answered (SQLite: the file exists)
    bool authenticated = false;   // and let us in
    std::optional<bool> sslInUse; // PostgreSQL only, once connected
    QString serverVersion;        // "PostgreSQL 15.4 ..." or "SQLite 3.40.1"
    double roundTripMs = -1;      // median of a few SELECT 1
    int schemaVersion = -1;       // -1: not read
    int expectedSchemaVersion = 0;
    SchemaComparison schema = SchemaComparison::Unknown;
    qint64 users = -1; // row counts; -1: not read
    qint64 applications = -1;
    qint64 botMetrics = -1;
    qint64 outboxPending = -1;
    std::optional<EngineInstance> engine; // the most recently seen engine
    bool engineAlive = false;             // its heartbeat is younger than EngineAliveSeconds
    qint64 elapsedMs = 0;                 // how long the whole probe took

    bool ok() const { return failure == ConnectionFailure::None; }
};

class ConnectionProbe final
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionProbe)
public:
    // An engine heartbeat older than this counts as "engine offline" (engines beat every few seconds).
    static constexpr double EngineAliveSeconds = 60.0;
    static constexpr int RoundTrips = 5;

    // Opens its own connection on the calling thread (any thread), closes it before returning. An
    // unresponsive PostgreSQL host gives up after timeoutSeconds (libpq's minimum is 2 s); a missing SQLite
    // file is reported, never created.
    static ConnectionReport run(const ConnectionSettings& settings, int timeoutSeconds = 10);

    // Sorts a connection error's text (libpq's or the server's, in English or Russian) into a failure
    // class. sslMode is the one the connection asked for: it decides what "no pg_hba.conf entry ...
    // no encryption" means.
    static ConnectionFailure classify(const QString& driverText, const QString& sslMode = {});

    // The human message and advice for a report's failure (filled into the report by run()).
    static QString message(const ConnectionReport& report);
    static QString advice(const ConnectionReport& report);
    // A short untranslated name for logs and test output ("HostNotFound").
    static QString failureName(ConnectionFailure failure);
};

} // namespace salesbot
