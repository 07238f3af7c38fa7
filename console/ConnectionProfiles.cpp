#include "ConnectionProfiles.h"

#include "CredentialStore.h"
#include "DatabaseUrl.h"

#include <QSettings>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {
const QString ProfilesGroup = u"profiles"_s;
const QString LastUsedKey = u"connection/lastProfile"_s;
} // namespace

ConnectionSettings ConnectionProfile::toSettings(const QString& password) const
{
    ConnectionSettings settings;
    settings.dialect = dialect;
    if (dialect == Dialect::Sqlite) {
        settings.sqlitePath = sqlitePath;
        return settings;
    }
    settings.host = host;
    settings.port = port;
    settings.databaseName = database;
    settings.user = user;
    settings.password = password;
    settings.sslMode = sslMode;
    settings.applicationName = u"salesbot-console"_s;
    return settings;
}

ConnectionProfile ConnectionProfile::fromSettings(const QString& name, const ConnectionSettings& settings)
{
    ConnectionProfile profile;
    profile.name = name;
    profile.dialect = settings.dialect;
    if (settings.dialect == Dialect::Sqlite) {
        profile.sqlitePath = settings.sqlitePath;
        return profile;
    }
    profile.host = settings.host;
    profile.port = settings.port;
    profile.database = settings.databaseName;
    profile.user = settings.user;
    profile.sslMode = settings.sslMode;
    return profile;
}

QString ConnectionProfile::credentialKey() const
{
    if (dialect == Dialect::Sqlite)
        return {}; // SQLite has no password
    // The same form as a DATABASE_URL without the password, so an operator recognises it in the keychain.
    ConnectionSettings settings = toSettings();
    settings.sslMode.clear();
    settings.applicationName = ConnectionSettings().applicationName;
    return settings.toUrl(false);
}

QString ConnectionProfile::validationError() const
{
    if (dialect == Dialect::Sqlite)
        return sqlitePath.trimmed().isEmpty() ? ConnectionProfiles::tr("Choose the database file.")
                                              : QString();
    if (host.trimmed().isEmpty())
        return ConnectionProfiles::tr("Enter the server's host name.");
    if (port < 1 || port > 65535)
        return ConnectionProfiles::tr("The port must be between 1 and 65535.");
    if (database.trimmed().isEmpty())
        return ConnectionProfiles::tr("Enter the database name.");
    if (user.trimmed().isEmpty())
        return ConnectionProfiles::tr("Enter the user name.");
    if (!sslMode.isEmpty() && !ConnectionProfiles::sslModes().contains(sslMode))
        return ConnectionProfiles::tr("Unknown SSL mode \"%1\".").arg(sslMode);
    return {};
}

ConnectionProfiles::ConnectionProfiles(std::unique_ptr<QSettings> settings)
    : m_settings(settings ? std::move(settings) : std::make_unique<QSettings>())
{}

ConnectionProfiles::~ConnectionProfiles() = default;

QString ConnectionProfiles::groupOf(const QString& name)
{
    // '/' and '\' have meanings in QSettings keys: percent-encode the name into one safe key.
    return ProfilesGroup + u'/' + QString::fromLatin1(QUrl::toPercentEncoding(name));
}

QStringList ConnectionProfiles::names() const
{
    m_settings->beginGroup(ProfilesGroup);
    const QStringList groups = m_settings->childGroups();
    m_settings->endGroup();
    QStringList result;
    for (const QString& group : groups)
        result.append(QUrl::fromPercentEncoding(group.toLatin1()));
    std::sort(result.begin(), result.end(),
              [](const QString& a, const QString& b) { return a.compare(b, Qt::CaseInsensitive) < 0; });
    return result;
}

std::optional<ConnectionProfile> ConnectionProfiles::profile(const QString& name) const
{
    if (name.isEmpty() || !names().contains(name))
        return std::nullopt;
    m_settings->beginGroup(groupOf(name));
    ConnectionProfile p;
    p.name = name;
    p.dialect =
        m_settings->value(u"type"_s).toString() == "sqlite"_L1 ? Dialect::Sqlite : Dialect::PostgreSql;
    p.host = m_settings->value(u"host"_s).toString();
    p.port = m_settings->value(u"port"_s, 5432).toInt();
    p.database = m_settings->value(u"database"_s).toString();
    p.user = m_settings->value(u"user"_s).toString();
    p.sslMode = m_settings->value(u"sslMode"_s).toString();
    p.sqlitePath = m_settings->value(u"sqlitePath"_s).toString();
    m_settings->endGroup();
    return p;
}

void ConnectionProfiles::save(const ConnectionProfile& p)
{
    Q_ASSERT(!p.name.isEmpty());
    m_settings->remove(groupOf(p.name));
    m_settings->beginGroup(groupOf(p.name));
    // Deliberately no password key: the password lives in the credential store only.
    if (p.dialect == Dialect::Sqlite) {
        m_settings->setValue(u"type"_s, u"sqlite"_s);
        m_settings->setValue(u"sqlitePath"_s, p.sqlitePath);
    } else {
        m_settings->setValue(u"type"_s, u"postgres"_s);
        m_settings->setValue(u"host"_s, p.host);
        m_settings->setValue(u"port"_s, p.port);
        m_settings->setValue(u"database"_s, p.database);
        m_settings->setValue(u"user"_s, p.user);
        m_settings->setValue(u"sslMode"_s, p.sslMode);
    }
    m_settings->endGroup();
}

void ConnectionProfiles::remove(const QString& name)
{
    m_settings->remove(groupOf(name));
    if (lastUsed().isEmpty())
        m_settings->remove(LastUsedKey);
}

QString ConnectionProfiles::lastUsed() const
{
    const QString name = m_settings->value(LastUsedKey).toString();
    return names().contains(name) ? name : QString();
}

void ConnectionProfiles::setLastUsed(const QString& name)
{
    m_settings->setValue(LastUsedKey, name);
}

void ConnectionProfiles::sync()
{
    m_settings->sync();
}

QString ConnectionProfiles::fileName() const
{
    return m_settings->fileName();
}

Expected<ImportedUrl, QString> ConnectionProfiles::parseDatabaseUrl(const QString& url, const QString& name)
{
    auto parsed = DatabaseUrl::parse(url);
    if (!parsed)
        return unexpected(parsed.error());
    ImportedUrl imported;
    QString profileName = name.trimmed();
    if (profileName.isEmpty()) {
        profileName = parsed->dialect == Dialect::Sqlite ? parsed->sqlitePath.section(u'/', -1)
                                                         : parsed->databaseName + u'@' + parsed->host;
    }
    imported.profile = ConnectionProfile::fromSettings(profileName, *parsed);
    imported.password = parsed->password;
    return imported;
}

Expected<ConnectionProfile, QString>
ConnectionProfiles::importDatabaseUrl(const QString& url, const QString& name, CredentialStore& store)
{
    auto imported = parseDatabaseUrl(url, name);
    if (!imported)
        return unexpected(imported.error());
    save(imported->profile);
    if (!imported->password.isEmpty())
        store.write(imported->profile.credentialKey(), imported->password);
    return imported->profile;
}

QStringList ConnectionProfiles::sslModes()
{
    return {u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s, u"verify-full"_s};
}

} // namespace salesbot
