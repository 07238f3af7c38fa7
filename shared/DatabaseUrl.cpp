#include "DatabaseUrl.h"

#include <QDir>
#include <QStandardPaths>
#include <QStringDecoder>
#include <QStringList>

#include <optional>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

constexpr qsizetype MaxUrlLength = 4096;
constexpr int MaxConnectTimeoutSeconds = 3600;

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

// Percent-decodes UTF-8 text; nothing on a malformed escape or invalid UTF-8.
std::optional<QString> percentDecoded(QStringView text)
{
    if (!text.contains(u'%'))
        return text.toString();
    QByteArray bytes;
    bytes.reserve(text.size());
    qsizetype runStart = 0; // start of the text not yet copied (copied in runs: surrogate pairs stay whole)
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != u'%')
            continue;
        bytes.append(text.mid(runStart, i - runStart).toUtf8());
        if (i + 2 >= text.size())
            return std::nullopt;
        const int high = hexValue(text[i + 1]);
        const int low = hexValue(text[i + 2]);
        if (high < 0 || low < 0)
            return std::nullopt;
        bytes.append(static_cast<char>(high * 16 + low));
        i += 2;
        runStart = i + 1;
    }
    bytes.append(text.mid(runStart).toUtf8());
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString decoded = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return decoded;
}

// A short plain word, safe to quote in an error: letters, digits, '_' and '-'.
bool isPlainWord(QStringView text)
{
    if (text.isEmpty() || text.size() > 32)
        return false;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
                        u == u'_' || u == u'-';
        if (!ok)
            return false;
    }
    return true;
}

// RFC 3986 scheme: a letter, then letters, digits, '+', '-', '.'.
bool isScheme(QStringView text)
{
    if (text.isEmpty() || text.size() > 32)
        return false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        const bool letter = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z');
        const bool other = (u >= u'0' && u <= u'9') || u == u'+' || u == u'-' || u == u'.';
        if (!letter && (i == 0 || !other))
            return false;
    }
    return true;
}

// Only ASCII digits, as a number in [min, max].
std::optional<int> boundedNumber(QStringView text, int min, int max)
{
    if (text.isEmpty() || text.size() > 9)
        return std::nullopt;
    int value = 0;
    for (const QChar c : text) {
        if (c.unicode() < u'0' || c.unicode() > u'9')
            return std::nullopt;
        value = value * 10 + (c.unicode() - u'0');
    }
    if (value < min || value > max)
        return std::nullopt;
    return value;
}

const QStringList& sslModes()
{
    static const QStringList modes{u"disable"_s, u"allow"_s,     u"prefer"_s,
                                   u"require"_s, u"verify-ca"_s, u"verify-full"_s};
    return modes;
}

// The widest text that may be the password as written: after the first ':' of the user info, up to
// the last '@' of the whole URL. Empty when the URL has no "://" or no '@'.
QStringView passwordSpan(QStringView url)
{
    const qsizetype start = url.indexOf(u"://");
    const qsizetype at = url.lastIndexOf(u'@');
    if (start < 0 || at < start + 3)
        return {};
    const QStringView userInfo = url.mid(start + 3, at - start - 3);
    const qsizetype colon = userInfo.indexOf(u':');
    return colon < 0 ? QStringView() : userInfo.mid(colon + 1);
}

} // namespace

Expected<ConnectionSettings, QString> DatabaseUrl::parse(const QString& url)
{
    const QString text = url.trimmed();
    if (text.isEmpty())
        return unexpected(tr("DATABASE_URL: is empty; expected postgres://user:password@host:port/dbname "
                             "or sqlite:///path/to/file.db"));
    if (text.size() > MaxUrlLength)
        return unexpected(tr("DATABASE_URL: is longer than %1 characters").arg(MaxUrlLength));

    const qsizetype colon = text.indexOf(u':');
    const QStringView scheme = colon > 0 ? QStringView(text).left(colon) : QStringView();
    if (!isScheme(scheme))
        return unexpected(tr("DATABASE_URL: does not start with a scheme; use postgres://, postgresql:// "
                             "or sqlite:"));

    const QString lowerScheme = scheme.toString().toLower();
    const QStringView rest = QStringView(text).mid(colon + 1);
    // "user:password@host/db" without a scheme: what precedes ':' is a user name, not worth quoting.
    if (!rest.startsWith(u'/') && rest.contains(u'@'))
        return unexpected(tr("DATABASE_URL: does not start with a scheme; use postgres://, postgresql:// "
                             "or sqlite:"));
    Expected<ConnectionSettings, QString> result = unexpected(QString());
    if (lowerScheme == u"postgres" || lowerScheme == u"postgresql")
        result = parsePostgres(rest);
    else if (lowerScheme == u"sqlite")
        result = parseSqlite(rest);
    else
        return unexpected(tr("DATABASE_URL: unsupported scheme \"%1\"; use postgres://, postgresql:// "
                             "or sqlite:")
                              .arg(lowerScheme));
    if (result)
        return result;

    // Last line of defence: whatever went wrong, the message must not carry the password. One or two
    // characters are in any sentence and reveal nothing, so shorter spans are not looked for.
    const QString& message = result.error();
    const QStringView rawPassword = passwordSpan(text);
    if (rawPassword.size() >= 3) {
        const std::optional<QString> decoded = percentDecoded(rawPassword);
        if (message.contains(rawPassword) || (decoded && decoded->size() >= 3 && message.contains(*decoded)))
            return unexpected(tr("DATABASE_URL: is not a valid database URL; expected "
                                 "postgres://user:password@host:port/dbname"));
    }
    return result;
}

Expected<ConnectionSettings, QString> DatabaseUrl::parsePostgres(QStringView rest)
{
    if (!rest.startsWith(u"//"))
        return unexpected(tr("DATABASE_URL: expected \"//\" after the scheme, as in "
                             "postgres://user:password@host:port/dbname"));
    rest = rest.mid(2);

    qsizetype authorityEnd = rest.size();
    for (qsizetype i = 0; i < rest.size(); ++i) {
        if (rest[i] == u'/' || rest[i] == u'?' || rest[i] == u'#') {
            authorityEnd = i;
            break;
        }
    }
    const QStringView authority = rest.left(authorityEnd);
    const QStringView remainder = rest.mid(authorityEnd);
    if (remainder.contains(u'@'))
        return unexpected(tr("DATABASE_URL: the user name or password contains '/', '?' or '#' that is not "
                             "percent-encoded (write %2F, %3F, %23)"));

    ConnectionSettings settings;
    settings.dialect = Dialect::PostgreSql;

    QStringView hostPort = authority;
    const qsizetype at = authority.lastIndexOf(u'@');
    if (at >= 0) {
        const QStringView userInfo = authority.left(at);
        hostPort = authority.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(u':');
        const std::optional<QString> user = percentDecoded(colon < 0 ? userInfo : userInfo.left(colon));
        if (!user)
            return unexpected(tr("DATABASE_URL: the user name has a malformed percent-encoding"));
        settings.user = *user;
        if (colon >= 0) {
            const std::optional<QString> password = percentDecoded(userInfo.mid(colon + 1));
            if (!password)
                return unexpected(tr("DATABASE_URL: the password has a malformed percent-encoding"));
            settings.password = *password;
        }
    }

    if (hostPort.contains(u','))
        return unexpected(tr("DATABASE_URL: several hosts are not supported; give one host"));
    QStringView hostText;
    QStringView portText;
    bool hasPort = false;
    if (hostPort.startsWith(u'[')) {
        const qsizetype close = hostPort.indexOf(u']');
        if (close < 0)
            return unexpected(tr("DATABASE_URL: an IPv6 host is missing its closing ']'"));
        hostText = hostPort.mid(1, close - 1);
        const QStringView after = hostPort.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':'))
                return unexpected(tr("DATABASE_URL: unexpected text after the IPv6 host; expected "
                                     "[address]:port"));
            portText = after.mid(1);
            hasPort = true;
        }
        if (hostText.isEmpty())
            return unexpected(tr("DATABASE_URL: the IPv6 host in brackets is empty"));
    } else {
        const qsizetype colon = hostPort.indexOf(u':');
        if (colon >= 0 && hostPort.indexOf(u':', colon + 1) >= 0)
            return unexpected(tr("DATABASE_URL: an IPv6 host must be written in brackets, e.g. [::1]"));
        hostText = colon < 0 ? hostPort : hostPort.left(colon);
        if (colon >= 0) {
            portText = hostPort.mid(colon + 1);
            hasPort = true;
        }
    }
    const std::optional<QString> host = percentDecoded(hostText);
    if (!host)
        return unexpected(tr("DATABASE_URL: the host has a malformed percent-encoding"));
    if (host->isEmpty())
        return unexpected(tr("DATABASE_URL: no host; expected postgres://user:password@host:port/dbname"));
    settings.host = *host;
    if (hasPort) {
        const std::optional<int> port = boundedNumber(portText, 1, 65535);
        if (!port)
            return unexpected(tr("DATABASE_URL: the port must be a number from 1 to 65535"));
        settings.port = *port;
    }

    if (remainder.contains(u'#'))
        return unexpected(tr("DATABASE_URL: a fragment (#...) is not allowed; percent-encode '#' as %23"));
    const qsizetype question = remainder.indexOf(u'?');
    const QStringView path = question < 0 ? remainder : remainder.left(question);
    const QStringView query = question < 0 ? QStringView() : remainder.mid(question + 1);

    const QStringView dbText = path.isEmpty() ? QStringView() : path.mid(1);
    if (dbText.contains(u'/'))
        return unexpected(tr("DATABASE_URL: the database name must not contain '/' (write %2F)"));
    const std::optional<QString> databaseName = percentDecoded(dbText);
    if (!databaseName)
        return unexpected(tr("DATABASE_URL: the database name has a malformed percent-encoding"));
    if (databaseName->isEmpty())
        return unexpected(tr("DATABASE_URL: no database name; expected "
                             "postgres://user:password@host:port/dbname"));
    settings.databaseName = *databaseName;

    QStringList seen;
    for (const QStringView pair : query.split(u'&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf(u'=');
        const std::optional<QString> key = percentDecoded(equals < 0 ? pair : pair.left(equals));
        const std::optional<QString> value =
            percentDecoded(equals < 0 ? QStringView() : pair.mid(equals + 1));
        if (!key || !value)
            return unexpected(tr("DATABASE_URL: a parameter has a malformed percent-encoding"));
        if (seen.contains(*key)) {
            if (isPlainWord(*key))
                return unexpected(tr("DATABASE_URL: parameter \"%1\" is given twice").arg(*key));
            return unexpected(tr("DATABASE_URL: a parameter is given twice"));
        }
        seen.append(*key);

        if (*key == u"sslmode") {
            const QString mode = value->toLower();
            if (!sslModes().contains(mode)) {
                const QString shown = isPlainWord(*value) ? u" \""_s + *value + u'"' : QString();
                return unexpected(tr("DATABASE_URL: sslmode%1 is not one of disable, allow, prefer, require, "
                                     "verify-ca, verify-full")
                                      .arg(shown));
            }
            settings.sslMode = mode;
        } else if (*key == u"connect_timeout") {
            const std::optional<int> seconds = boundedNumber(*value, 0, MaxConnectTimeoutSeconds);
            if (!seconds)
                return unexpected(tr("DATABASE_URL: connect_timeout must be a whole number of seconds "
                                     "from 0 to %1")
                                      .arg(MaxConnectTimeoutSeconds));
            settings.connectTimeoutSeconds = *seconds;
        } else if (*key == u"application_name") {
            settings.applicationName = *value;
        } else if (isPlainWord(*key)) {
            return unexpected(tr("DATABASE_URL: unknown parameter \"%1\"; supported are sslmode, "
                                 "connect_timeout and application_name")
                                  .arg(*key));
        } else {
            return unexpected(tr("DATABASE_URL: unknown parameter; supported are sslmode, connect_timeout "
                                 "and application_name"));
        }
    }
    return settings;
}

Expected<ConnectionSettings, QString> DatabaseUrl::parseSqlite(QStringView rest)
{
    if (rest.contains(u'?') || rest.contains(u'#'))
        return unexpected(
            tr("DATABASE_URL: sqlite: takes no parameters; percent-encode '?' and '#' in a file "
               "name (%3F, %23)"));
    QStringView pathText = rest;
    if (rest.startsWith(u"//")) {
        if (!rest.startsWith(u"///"))
            return unexpected(tr("DATABASE_URL: sqlite://host/... is not supported; use "
                                 "sqlite:///absolute/path.db or sqlite:relative/path.db"));
        pathText = rest.mid(2);
    }
    const std::optional<QString> path = percentDecoded(pathText);
    if (!path)
        return unexpected(tr("DATABASE_URL: the SQLite path has a malformed percent-encoding"));
    if (path->contains(u":memory:"))
        return unexpected(tr("DATABASE_URL: an in-memory SQLite database is not supported (the data must "
                             "survive a restart); give a file, e.g. sqlite:///var/lib/salesbot/salesbot.db"));
    if (path->isEmpty() || path->endsWith(u'/'))
        return unexpected(tr("DATABASE_URL: no SQLite file name; use sqlite:///absolute/path.db or "
                             "sqlite:relative/path.db"));
    if (path->startsWith(u'~'))
        return unexpected(tr("DATABASE_URL: '~' is not expanded in a SQLite path; use an absolute path"));
    if (path->contains(QChar(0)))
        return unexpected(tr("DATABASE_URL: the SQLite path contains a NUL character"));

    ConnectionSettings settings;
    settings.dialect = Dialect::Sqlite;
    settings.sqlitePath =
        QDir::cleanPath(QDir::isAbsolutePath(*path) ? *path : QDir::current().absoluteFilePath(*path));
    return settings;
}

ConnectionSettings DatabaseUrl::defaultSqlite()
{
    QString directory = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (directory.isEmpty()) // no home directory: fall back to the working directory
        directory = QDir::currentPath();
    ConnectionSettings settings;
    settings.dialect = Dialect::Sqlite;
    settings.sqlitePath = QDir::cleanPath(directory + u"/salesbot/salesbot.sqlite3"_s);
    return settings;
}

} // namespace salesbot
