// The console's connection part: profiles in QSettings without passwords, the keychain fallback, and the
// connection dialog (DATABASE_URL paste, Test connection on a thread with a report, Connect).

#include "ConnectionDialog.h"
#include "ConnectionProfiles.h"
#include "FallbackCredentialStore.h"
#include "SessionCredentialStore.h"
#include "TestDatabase.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using salesbot::test::TestDatabase;

namespace {

const QString Secret = u"S3cr3t-p@ss:word"_s;

// A keychain that is never there, as on a server without a D-Bus session.
class UnavailableKeychain final : public CredentialStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnavailableKeychain)
public:
    explicit UnavailableKeychain(int* calls)
        : m_calls(calls)
    {}
    void read(const QString& key) override
    {
        fail([this, key] { Q_EMIT readFinished(key, Outcome::Failed, {}, error()); });
    }
    void write(const QString& key, const QString&) override
    {
        fail([this, key] { Q_EMIT writeFinished(key, Outcome::Failed, error()); });
    }
    void remove(const QString& key) override
    {
        fail([this, key] { Q_EMIT removeFinished(key, Outcome::Failed, error()); });
    }
    static QString error() { return u"Cannot autolaunch D-Bus without X11 $DISPLAY"_s; }

private:
    template <typename F>
    void fail(F emitter)
    {
        ++*m_calls;
        QMetaObject::invokeMethod(this, emitter, Qt::QueuedConnection);
    }
    int* m_calls;
};

template <typename T>
T* child(QWidget& parent, const char* name)
{
    T* widget = parent.findChild<T*>(QString::fromLatin1(name));
    if (!widget)
        qWarning("no child %s", name);
    return widget;
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

} // namespace

class TestConsoleConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void profilesRoundTrip();
    void importedUrlPasswordGoesToTheStoreOnly();
    void fallbackStoreKeepsPasswordsForTheSession();
    void fallbackStoreUsesAWorkingKeychain();
    void dialogShowsThatTheKeychainIsUnavailable();
    void pastingADatabaseUrlFillsTheFields();
    void testButtonShowsAReport();
    void testButtonShowsAFailureWithAdvice();
    void windowRepaintsWhileAProbeWaits();
    void connectYieldsSettingsAndRemembersThePassword();

private:
    std::unique_ptr<ConnectionProfiles> makeProfiles() const;
    QString settingsPath() const { return m_dir->filePath(u"console.ini"_s); }
    void screenshot(QWidget& widget, const QString& name) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestDatabase> m_db;
    QTranslator m_core;
    QTranslator m_console;
};

void TestConsoleConnection::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qunsetenv("PGPASSWORD");
    qputenv("PGPASSFILE", "/nonexistent/salesbot-test-pgpass");
    auto created = TestDatabase::create();
    QVERIFY2(created, created ? "" : qPrintable(created.error()));
    m_db = std::move(created).value();
    QVERIFY(m_db->connectMigrated());
    // Pictures for a person to look at, in Russian as operators see the console.
    if (qEnvironmentVariableIsSet("SALESBOT_SCREENSHOT_DIR")) {
        const QLocale russian(QLocale::Russian, QLocale::Russia);
        QLocale::setDefault(russian);
        if (m_core.load(russian, u"salesbot_core"_s, u"_"_s, u":/i18n"_s))
            QCoreApplication::installTranslator(&m_core);
        if (m_console.load(russian, u"salesbot_console"_s, u"_"_s, u":/i18n"_s))
            QCoreApplication::installTranslator(&m_console);
    }
}

void TestConsoleConnection::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestConsoleConnection::cleanup()
{
    m_dir.reset();
}

std::unique_ptr<ConnectionProfiles> TestConsoleConnection::makeProfiles() const
{
    return std::make_unique<ConnectionProfiles>(
        std::make_unique<QSettings>(settingsPath(), QSettings::IniFormat));
}

void TestConsoleConnection::screenshot(QWidget& widget, const QString& name) const
{
    const QString dir = qEnvironmentVariable("SALESBOT_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        widget.grab().save(dir + u'/' + name + u".png"_s);
}

void TestConsoleConnection::profilesRoundTrip()
{
    ConnectionProfile heroku;
    heroku.name = u"Heroku / прод"_s;
    heroku.host = u"ec2-1-2-3-4.compute-1.amazonaws.com"_s;
    heroku.port = 5433;
    heroku.database = u"d8abc"_s;
    heroku.user = u"u1"_s;
    heroku.sslMode = u"require"_s;
    ConnectionProfile local;
    local.name = u"local file"_s;
    local.dialect = Dialect::Sqlite;
    local.sqlitePath = m_dir->filePath(u"bot.sqlite3"_s);
    {
        auto profiles = makeProfiles();
        QVERIFY(profiles->names().isEmpty());
        QCOMPARE(profiles->lastUsed(), QString());
        profiles->save(heroku);
        profiles->save(local);
        profiles->setLastUsed(heroku.name);
        profiles->sync();
    }
    auto profiles = makeProfiles();
    QCOMPARE(profiles->names(), QStringList({heroku.name, local.name}));
    QCOMPARE(profiles->lastUsed(), heroku.name);
    const auto readBack = profiles->profile(heroku.name);
    QVERIFY(readBack);
    QCOMPARE(readBack->dialect, Dialect::PostgreSql);
    QCOMPARE(readBack->host, heroku.host);
    QCOMPARE(readBack->port, 5433);
    QCOMPARE(readBack->database, heroku.database);
    QCOMPARE(readBack->user, heroku.user);
    QCOMPARE(readBack->sslMode, u"require"_s);
    const ConnectionSettings settings = readBack->toSettings(u"pw"_s);
    QCOMPARE(settings.connectOptions().contains("sslmode=require"_L1), true);
    QCOMPARE(settings.password, u"pw"_s);
    const auto file = profiles->profile(local.name);
    QVERIFY(file);
    QCOMPARE(file->dialect, Dialect::Sqlite);
    QCOMPARE(file->sqlitePath, local.sqlitePath);
    QVERIFY(!profiles->profile(u"nope"_s));

    // Renaming is a new profile; the password key follows the server, not the name.
    ConnectionProfile renamed = heroku;
    renamed.name = u"other"_s;
    QCOMPARE(renamed.credentialKey(), heroku.credentialKey());
    renamed.user = u"u2"_s;
    QVERIFY(renamed.credentialKey() != heroku.credentialKey());

    profiles->remove(heroku.name);
    QCOMPARE(profiles->names(), QStringList({local.name}));
    QCOMPARE(profiles->lastUsed(), QString()); // the last-used profile is gone
}

void TestConsoleConnection::importedUrlPasswordGoesToTheStoreOnly()
{
    SessionCredentialStore store;
    QSignalSpy written(&store, &CredentialStore::writeFinished);
    auto profiles = makeProfiles();
    const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(Secret));
    auto imported = profiles->importDatabaseUrl(
        u"postgres://anna:%1@db.example.com:5433/shop?sslmode=require"_s.arg(encoded), u"Heroku"_s, store);
    QVERIFY2(imported, imported ? "" : qPrintable(imported.error()));
    QCOMPARE(imported->host, u"db.example.com"_s);
    QCOMPARE(imported->port, 5433);
    QCOMPARE(imported->database, u"shop"_s);
    QCOMPARE(imported->user, u"anna"_s);
    QCOMPARE(imported->sslMode, u"require"_s);
    QTRY_COMPARE(written.size(), 1);
    QCOMPARE(store.value(imported->credentialKey()), Secret);

    profiles->sync();
    const QByteArray bytes = fileBytes(profiles->fileName());
    QVERIFY2(bytes.contains("db.example.com"), bytes.constData()); // the file is the one written
    QVERIFY2(!bytes.contains("S3cr3t"), bytes.constData());
    QVERIFY2(!bytes.contains(encoded.toLatin1()), bytes.constData());

    // A URL that does not parse leaves everything as it was.
    QVERIFY(!profiles->importDatabaseUrl(u"mysql://x@y/z"_s, u"bad"_s, store));
    QCOMPARE(profiles->names(), QStringList({u"Heroku"_s}));
}

void TestConsoleConnection::fallbackStoreKeepsPasswordsForTheSession()
{
    int keychainCalls = 0;
    FallbackCredentialStore store(std::make_unique<UnavailableKeychain>(&keychainCalls));
    QSignalSpy sessionOnly(&store, &CredentialStore::sessionOnlyChanged);
    QSignalSpy written(&store, &CredentialStore::writeFinished);
    QSignalSpy read(&store, &CredentialStore::readFinished);
    QVERIFY(!store.isSessionOnly());
    QVERIFY(store.sessionOnlyReason().isEmpty());

    store.write(u"k"_s, Secret);
    QTRY_COMPARE(written.size(), 1);
    QCOMPARE(written.at(0).at(1).value<CredentialStore::Outcome>(), CredentialStore::Outcome::Ok);
    QVERIFY(store.isSessionOnly());
    QCOMPARE(sessionOnly.size(), 1);
    QVERIFY2(store.sessionOnlyReason().contains(UnavailableKeychain::error()),
             qPrintable(store.sessionOnlyReason()));
    QCOMPARE(keychainCalls, 1);

    store.read(u"k"_s);
    QTRY_COMPARE(read.size(), 1);
    QCOMPARE(read.at(0).at(1).value<CredentialStore::Outcome>(), CredentialStore::Outcome::Ok);
    QCOMPARE(read.at(0).at(2).toString(), Secret);
    store.read(u"unknown"_s);
    QTRY_COMPARE(read.size(), 2);
    QCOMPARE(read.at(1).at(1).value<CredentialStore::Outcome>(), CredentialStore::Outcome::NotFound);
    store.remove(u"k"_s);
    store.read(u"k"_s);
    QTRY_COMPARE(read.size(), 3);
    QCOMPARE(read.at(2).at(1).value<CredentialStore::Outcome>(), CredentialStore::Outcome::NotFound);
    // Once known to be missing, the keychain is not asked again (each D-Bus attempt can take seconds).
    QCOMPARE(keychainCalls, 1);
    QCOMPARE(sessionOnly.size(), 1);
}

void TestConsoleConnection::fallbackStoreUsesAWorkingKeychain()
{
    auto keychain = std::make_unique<SessionCredentialStore>();
    SessionCredentialStore* inner = keychain.get();
    inner->insert(u"k"_s, Secret);
    FallbackCredentialStore store(std::move(keychain));
    QSignalSpy read(&store, &CredentialStore::readFinished);
    QSignalSpy written(&store, &CredentialStore::writeFinished);
    store.read(u"k"_s);
    QTRY_COMPARE(read.size(), 1);
    QCOMPARE(read.at(0).at(2).toString(), Secret);
    store.write(u"k2"_s, u"other"_s);
    QTRY_COMPARE(written.size(), 1);
    QCOMPARE(inner->value(u"k2"_s), u"other"_s); // it reached the "keychain"
    QVERIFY(!store.isSessionOnly());
}

void TestConsoleConnection::dialogShowsThatTheKeychainIsUnavailable()
{
    int keychainCalls = 0;
    FallbackCredentialStore store(std::make_unique<UnavailableKeychain>(&keychainCalls));
    auto profiles = makeProfiles();
    ConnectionProfile profile;
    profile.name = u"prod"_s;
    profile.host = u"db.example.com"_s;
    profile.database = u"shop"_s;
    profile.user = u"anna"_s;
    profiles->save(profile);
    profiles->setLastUsed(profile.name);

    ConnectionDialog dialog(*profiles, store);
    dialog.show();
    auto* notice = child<QLabel>(dialog, "keychainNotice");
    QVERIFY(notice);
    // Opening the last profile asks the keychain for its password; the failure turns the notice on.
    QTRY_VERIFY(notice->isVisible());
    QVERIFY2(dialog.keychainNotice().contains(UnavailableKeychain::error()),
             qPrintable(dialog.keychainNotice()));
    QCOMPARE(dialog.keychainNotice(), store.sessionOnlyReason());
    auto* remember = child<QCheckBox>(dialog, "rememberPassword");
    QVERIFY(remember);
    QCOMPARE(remember->text(), ConnectionDialog::tr("Remember the password until the console is closed"));
    screenshot(dialog, u"connection-keychain-unavailable"_s);

    // With a working store the notice stays hidden.
    auto keychain = std::make_unique<SessionCredentialStore>();
    FallbackCredentialStore working(std::move(keychain));
    ConnectionDialog fine(*profiles, working);
    fine.show();
    QTest::qWait(50);
    QVERIFY(!child<QLabel>(fine, "keychainNotice")->isVisible());
    QVERIFY(fine.keychainNotice().isEmpty());
}

void TestConsoleConnection::pastingADatabaseUrlFillsTheFields()
{
    SessionCredentialStore store;
    auto profiles = makeProfiles();
    ConnectionDialog dialog(*profiles, store);
    dialog.show();
    auto* url = child<QLineEdit>(dialog, "databaseUrl");
    QVERIFY(url);
    url->setFocus();
    // A paste arrives as one edit.
    url->insert(u"postgres://anna:%1@db.example.com:5433/shop?sslmode=require"_s.arg(
        QString::fromLatin1(QUrl::toPercentEncoding(Secret))));
    const ConnectionSettings settings = dialog.currentSettings();
    QCOMPARE(settings.dialect, Dialect::PostgreSql);
    QCOMPARE(settings.host, u"db.example.com"_s);
    QCOMPARE(settings.port, 5433);
    QCOMPARE(settings.databaseName, u"shop"_s);
    QCOMPARE(settings.user, u"anna"_s);
    QCOMPARE(settings.sslMode, u"require"_s);
    QCOMPARE(settings.password, Secret);
    QVERIFY(url->text().isEmpty()); // the URL with its password does not stay on screen
    QVERIFY(child<QCheckBox>(dialog, "rememberPassword")->isChecked());

    // A typo is explained and changes nothing.
    QVERIFY(!dialog.importDatabaseUrl(u"postgress://anna@db/shop"_s));
    auto* error = child<QLabel>(dialog, "databaseUrlError");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains("postgress"_L1), qPrintable(error->text()));
    QCOMPARE(dialog.currentSettings().host, u"db.example.com"_s);
    // Enter in the URL field fills the form instead of pressing Connect.
    url->setText(u"sqlite:/tmp/x/bot.sqlite3"_s); // no "://": not taken while typing
    QCOMPARE(dialog.currentSettings().dialect, Dialect::PostgreSql);
    QTest::keyClick(url, Qt::Key_Return);
    QCOMPARE(dialog.currentSettings().dialect, Dialect::Sqlite);
    QCOMPARE(dialog.currentSettings().sqlitePath, u"/tmp/x/bot.sqlite3"_s);
    QVERIFY(dialog.isVisible());
}

void TestConsoleConnection::testButtonShowsAReport()
{
    SessionCredentialStore store;
    auto profiles = makeProfiles();
    ConnectionDialog dialog(*profiles, store);
    dialog.resize(900, 680);
    dialog.show();
    QVERIFY(dialog.importDatabaseUrl(m_db->settings().toUrl(true)));
    QCOMPARE(dialog.currentSettings().password, m_db->settings().password);
    child<QLineEdit>(dialog, "profileName")->setText(u"test"_s);
    QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
    auto* test = child<QPushButton>(dialog, "testConnection");
    QVERIFY(test);
    QTest::mouseClick(test, Qt::LeftButton);
    QVERIFY(dialog.isTesting());
    QVERIFY(!test->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    QVERIFY(test->isEnabled());
    QVERIFY(dialog.lastReport());
    QVERIFY2(dialog.lastReport()->ok(), qPrintable(dialog.reportText()));
    const QString text = dialog.reportText();
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    QVERIFY2(lines.size() >= 5, qPrintable(text));
    QVERIFY2(text.contains(ConnectionDialog::tr("Schema version %1, as this console expects")
                               .arg(dialog.lastReport()->schemaVersion)),
             qPrintable(text));
    QVERIFY2(text.contains(dialog.lastReport()->serverVersion), qPrintable(text));
    QVERIFY2(text.contains(u"✓"_s), qPrintable(text));
    if (TestDatabase::backend() == Dialect::PostgreSql)
        QVERIFY2(text.contains(u"✗ "_s + ConnectionDialog::tr("Not encrypted: SSL is not in use")),
                 qPrintable(text));
    // No engine has beaten against this database.
    QVERIFY2(text.contains(u"✗ "_s + ConnectionDialog::tr("Engine: none has run against this database yet")),
             qPrintable(text));
    screenshot(dialog, u"connection-ok"_s);
}

void TestConsoleConnection::testButtonShowsAFailureWithAdvice()
{
    SessionCredentialStore store;
    auto profiles = makeProfiles();
    ConnectionDialog dialog(*profiles, store);
    dialog.resize(900, 680);
    dialog.show();
    ConnectionSettings settings = m_db->settings();
    if (TestDatabase::backend() == Dialect::PostgreSql)
        settings.password = u"wrong-password"_s;
    else
        settings.sqlitePath = m_dir->filePath(u"missing.sqlite3"_s);
    QVERIFY(dialog.importDatabaseUrl(settings.toUrl(true)));
    child<QLineEdit>(dialog, "profileName")->setText(u"broken"_s);
    QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
    dialog.testConnection();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    const ConnectionReport report = *dialog.lastReport();
    QVERIFY(!report.ok());
    const QString text = dialog.reportText();
    QVERIFY2(text.contains(u"✗ "_s + report.message), qPrintable(text));
    QVERIFY2(text.contains(report.advice), qPrintable(text));
    QVERIFY2(!text.contains("wrong-password"_L1), qPrintable(text));
    if (TestDatabase::backend() == Dialect::PostgreSql)
        QCOMPARE(report.failure, ConnectionFailure::WrongPassword);
    else
        QCOMPARE(report.failure, ConnectionFailure::DatabaseMissing);
    QVERIFY(!QFile::exists(m_dir->filePath(u"missing.sqlite3"_s)));
    screenshot(dialog, u"connection-failed"_s);
}

void TestConsoleConnection::windowRepaintsWhileAProbeWaits()
{
    // A server that accepts TCP and never answers: the probe waits its whole timeout on its own thread while
    // the dialog keeps handling events (its elapsed-time label keeps changing).
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    SessionCredentialStore store;
    auto profiles = makeProfiles();
    ConnectionDialog dialog(*profiles, store);
    dialog.setProbeTimeout(2);
    dialog.show();
    QVERIFY(dialog.importDatabaseUrl(u"postgres://anna:pw@127.0.0.1:%1/shop"_s.arg(silent.serverPort())));
    child<QLineEdit>(dialog, "profileName")->setText(u"silent"_s);
    QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
    auto* status = child<QLabel>(dialog, "testStatus");
    QElapsedTimer timer;
    timer.start();
    dialog.testConnection();
    QVERIFY(dialog.isTesting());
    QTest::qWait(400);
    const QString early = status->text();
    QTest::qWait(600);
    QVERIFY(dialog.isTesting());
    QVERIFY2(timer.elapsed() < 1800, "the GUI thread was blocked");
    QVERIFY2(status->text() != early, qPrintable(early + u" / "_s + status->text()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(dialog.lastReport()->failure, ConnectionFailure::Timeout);
}

void TestConsoleConnection::connectYieldsSettingsAndRemembersThePassword()
{
    SessionCredentialStore store;
    auto profiles = makeProfiles();
    ConnectionDialog dialog(*profiles, store);
    dialog.show();
    QVERIFY(dialog.importDatabaseUrl(u"postgres://anna:%1@db.example.com:5433/shop?sslmode=require"_s.arg(
        QString::fromLatin1(QUrl::toPercentEncoding(Secret)))));
    child<QLineEdit>(dialog, "profileName")->setText(u"Heroku"_s);
    QSignalSpy written(&store, &CredentialStore::writeFinished);
    auto* buttons = child<QDialogButtonBox>(dialog, "buttons");
    QVERIFY(buttons);
    QPushButton* connectButton = nullptr;
    for (QAbstractButton* button : buttons->buttons()) {
        if (buttons->buttonRole(button) == QDialogButtonBox::AcceptRole)
            connectButton = qobject_cast<QPushButton*>(button);
    }
    QVERIFY(connectButton);
    QTest::mouseClick(connectButton, Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.profileName(), u"Heroku"_s);
    QCOMPARE(dialog.settings().host, u"db.example.com"_s);
    QCOMPARE(dialog.settings().password, Secret);
    QCOMPARE(dialog.settings().sslMode, u"require"_s);
    QTRY_COMPARE(written.size(), 1);
    const auto saved = profiles->profile(u"Heroku"_s);
    QVERIFY(saved);
    QCOMPARE(store.value(saved->credentialKey()), Secret);
    QCOMPARE(profiles->lastUsed(), u"Heroku"_s);
    const QByteArray bytes = fileBytes(profiles->fileName());
    QVERIFY2(bytes.contains("db.example.com"), bytes.constData());
    QVERIFY2(!bytes.contains("S3cr3t"), bytes.constData());

    // Next start: the profile comes back with its password from the store.
    ConnectionDialog again(*profiles, store);
    QTRY_COMPARE(again.currentSettings().password, Secret);
    QCOMPARE(again.currentSettings().host, u"db.example.com"_s);

    // Unticking "remember" removes it from the store.
    child<QCheckBox>(again, "rememberPassword")->setChecked(false);
    again.saveProfile();
    QTRY_VERIFY(!store.contains(saved->credentialKey()));
}

QTEST_MAIN(TestConsoleConnection)
#include "tst_consoleconnection.moc"
