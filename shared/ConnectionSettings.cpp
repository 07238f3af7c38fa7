#include "ConnectionSettings.h"

#include <QStringList>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

// PostgreSQL keeps at most NAMEDATALEN - 1 bytes of application_name.
constexpr qsizetype MaxApplicationNameLength = 63;

bool isAsciiWordChar(QChar c, QStringView extra)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
           extra.contains(c);
}

// QPSQL turns ';' into ' ' and appends the options to the libpq conninfo string unquoted, so a value
// may hold no space, ';', quote or backslash: keep only letters, digits and a few safe marks.
QString sanitizedOptionValue(const QString& value, QStringView extra, qsizetype maxLength)
{
    QString result;
    for (const QChar c : value) {
        if (result.size() >= maxLength)
            break;
        if (isAsciiWordChar(c, extra))
            result.append(c);
    }
    return result;
}

QString percentEncoded(const QString& text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QString hostForUrl(const QString& host)
{
    if (host.contains(u':')) // IPv6 literal
        return u'[' + host + u']';
    return percentEncoded(host);
}

QString hostForDisplay(const QString& host)
{
    return host.contains(u':') ? u'[' + host + u']' : host;
}

} // namespace

QString ConnectionSettings::driverName() const
{
    return dialect == Dialect::PostgreSql ? u"QPSQL"_s : u"QSQLITE"_s;
}

QString ConnectionSettings::connectOptions() const
{
    if (dialect == Dialect::Sqlite)
        return u"QSQLITE_BUSY_TIMEOUT=10000"_s;

    QStringList options;
    if (connectTimeoutSeconds > 0)
        options.append(u"connect_timeout="_s + QString::number(connectTimeoutSeconds));
    // An unknown mode is passed on (sanitized) rather than dropped, so libpq refuses it loudly instead of
    // silently falling back to a weaker default.
    const QString mode = sanitizedOptionValue(sslMode, u"-", 16);
    if (!mode.isEmpty())
        options.append(u"sslmode="_s + mode);
    const QString application = sanitizedOptionValue(applicationName, u"_-.", MaxApplicationNameLength);
    if (!application.isEmpty())
        options.append(u"application_name="_s + application);
    return options.join(u';');
}

QString ConnectionSettings::redacted() const
{
    if (dialect == Dialect::Sqlite)
        return u"SQLite "_s + sqlitePath;
    QString text = u"PostgreSQL "_s;
    if (!user.isEmpty())
        text += user + u'@';
    text += hostForDisplay(host) + u':' + QString::number(port) + u'/' + databaseName;
    if (!sslMode.isEmpty())
        text += u" (sslmode="_s + sslMode + u')';
    return text;
}

QString ConnectionSettings::toUrl(bool withPassword) const
{
    if (dialect == Dialect::Sqlite) {
        const QString path = QString::fromLatin1(QUrl::toPercentEncoding(sqlitePath, "/"));
        return sqlitePath.startsWith(u'/') ? u"sqlite://"_s + path : u"sqlite:"_s + path;
    }

    QString url = u"postgresql://"_s;
    const bool showPassword = withPassword && !password.isEmpty();
    if (!user.isEmpty() || showPassword) {
        url += percentEncoded(user);
        if (showPassword)
            url += u':' + percentEncoded(password);
        url += u'@';
    }
    url += hostForUrl(host) + u':' + QString::number(port) + u'/' + percentEncoded(databaseName);

    QStringList query;
    if (!sslMode.isEmpty())
        query.append(u"sslmode="_s + percentEncoded(sslMode));
    const ConnectionSettings defaults;
    if (connectTimeoutSeconds != defaults.connectTimeoutSeconds)
        query.append(u"connect_timeout="_s + QString::number(connectTimeoutSeconds));
    if (applicationName != defaults.applicationName)
        query.append(u"application_name="_s + percentEncoded(applicationName));
    if (!query.isEmpty())
        url += u'?' + query.join(u'&');
    return url;
}

} // namespace salesbot
