#pragma once

// The saved connection profiles of the console, as typed values over QSettings (group "profiles"), so widgets
// never touch setting keys and a password can never slip into the settings file: profiles have no field for
// it.

#include "ConnectionSettings.h"
#include "Expected.h"

#include <QCoreApplication>
#include <QStringList>

#include <memory>
#include <optional>

class QSettings;

namespace salesbot {

class CredentialStore;

struct ConnectionProfile
{
    QString name;
    Dialect dialect = Dialect::PostgreSql;
    // PostgreSQL
    QString host;
    int port = 5432;
    QString database;
    QString user;
    QString sslMode; // empty: libpq's default (prefer); else one of ConnectionProfiles::sslModes()
    // SQLite
    QString sqlitePath;

    // The connection these fields describe, with the password the caller got from the credential store.
    ConnectionSettings toSettings(const QString& password = {}) const;
    // The fields of `settings`; its password is ignored.
    static ConnectionProfile fromSettings(const QString& name, const ConnectionSettings& settings);
    // The key of this profile's password in the credential store: who logs in where, so renaming a profile
    // keeps the password and a changed server or user does not send the old one to it.
    QString credentialKey() const;
    // Empty when the fields make a usable connection, else what is missing (translated).
    QString validationError() const;
};

// A pasted DATABASE_URL split into what may be saved and the password, which may not.
struct ImportedUrl
{
    ConnectionProfile profile;
    QString password;
};

class ConnectionProfiles final
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionProfiles)

public:
    // Uses `settings` (a test's file) or, when null, the application's default QSettings.
    explicit ConnectionProfiles(std::unique_ptr<QSettings> settings = {});
    ~ConnectionProfiles();
    Q_DISABLE_COPY_MOVE(ConnectionProfiles)

    // Profile names, sorted case-insensitively.
    QStringList names() const;
    std::optional<ConnectionProfile> profile(const QString& name) const;
    // Adds or replaces the profile of that name. The name must not be empty.
    void save(const ConnectionProfile& profile);
    void remove(const QString& name);
    // The profile connected to last; empty when none or when it has been removed.
    QString lastUsed() const;
    void setLastUsed(const QString& name);
    // Writes pending changes to disk now (QSettings otherwise does it later).
    void sync();
    QString fileName() const;

    // Parses a DATABASE_URL (Heroku's postgres://user:pass@host:5432/db?sslmode=require or sqlite:///path).
    // Nothing is stored: the caller saves the profile and hands the password to a credential store.
    static Expected<ImportedUrl, QString> parseDatabaseUrl(const QString& url, const QString& name = {});
    // Parses, saves the profile under `name` and gives the password (if the URL has one) to `store` only.
    Expected<ConnectionProfile, QString> importDatabaseUrl(const QString& url, const QString& name,
                                                           CredentialStore& store);

    // The SSL modes libpq accepts, in order of strength; "" (libpq's default) is not among them.
    static QStringList sslModes();

private:
    static QString groupOf(const QString& name);

    std::unique_ptr<QSettings> m_settings;
};

} // namespace salesbot
