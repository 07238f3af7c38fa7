#pragma once

// Reads DATABASE_URL (postgres://, postgresql:// or sqlite:) into ConnectionSettings, with errors safe to
// log.

#include "ConnectionSettings.h"
#include "Expected.h"

#include <QCoreApplication>
#include <QString>

namespace salesbot {

// Accepted forms and the decisions taken:
// - postgres:// and postgresql://[user[:password]@]host[:port]/dbname[?params]. user, password, host
//   and dbname are percent-decoded (UTF-8). The password may contain a raw ':' or '@' (the user ends
//   at the first ':', the host starts after the last '@' of the authority); a raw '/', '?' or '#' in
//   it cannot be told apart from the rest of the URL and is reported as "not percent-encoded".
//   host is required ("[::1]" for IPv6; one host only), port defaults to 5432 and must be 1-65535,
//   dbname is required. Parameters: sslmode (disable, allow, prefer, require, verify-ca,
//   verify-full; case-insensitive), connect_timeout (whole seconds, 0-3600; 0 means wait forever as
//   in libpq) and application_name. An unknown or repeated parameter is an error.
// - sqlite:///absolute/path.db (also sqlite:/absolute/path.db) and sqlite:relative/path.db (relative
//   to the current directory, made absolute at parse time). Percent-decoded. sqlite::memory: is
//   refused (the bot's state must survive a restart), as are sqlite://host/..., parameters, a missing
//   file name and a leading '~' (no shell here to expand it).
// - Surrounding whitespace is ignored; an empty URL is an error (Config treats an unset or empty
//   DATABASE_URL as "use defaultSqlite()" before calling parse).
// - Errors are one line starting with "DATABASE_URL: ". They never quote the URL, the user info, the
//   host, the port or the database name; only the scheme and parameter names or sslmode values that
//   are plain words are quoted, and a message that would still contain the password is replaced by a
//   generic one.
class DatabaseUrl
{
    Q_DECLARE_TR_FUNCTIONS(DatabaseUrl)
public:
    static Expected<ConnectionSettings, QString> parse(const QString& url);
    // A SQLite file salesbot.sqlite3 in the user's data directory (<GenericDataLocation>/salesbot/);
    // the directory is not created here.
    static ConnectionSettings defaultSqlite();

private:
    static Expected<ConnectionSettings, QString> parsePostgres(QStringView rest);
    static Expected<ConnectionSettings, QString> parseSqlite(QStringView rest);
};

} // namespace salesbot
