// The console's keychain path against a real secret service: the test starts its own D-Bus session bus and a
// gnome-keyring-daemon (secrets component, a "login" keyring unlocked with a throwaway password) in a private
// HOME/XDG sandbox, then runs the real KeychainCredentialStore (QtKeychain, libsecret backend) against it and
// checks each step with secret-tool, a separate process, so a secret is known to be in the keyring and not
// in this process's memory. Nothing of the user's own session is touched: the bus has no service
// activation, so no other keyring can be started behind the test's back.
//
// If dbus-daemon, gnome-keyring-daemon or secret-tool are not installed the suite is skipped (it fails
// instead when CI is set: scripts/install-deps.sh installs them). If they are there but the keyring does not
// come up, it fails and says why.

#include "ConnectionDialog.h"
#include "ConnectionProfiles.h"
#include "FallbackCredentialStore.h"
#include "KeychainCredentialStore.h"

#include <QApplication>
#include <QCheckBox>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>
#include <QtTest>

#include <memory>
#include <signal.h>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;
using namespace salesbot;

namespace {

using Outcome = CredentialStore::Outcome;

const QString Service = QString::fromUtf16(KeychainCredentialStore::ServiceName);
const QByteArray KeyringPassword = "tst_keychain-login-keyring";
constexpr int ProcessTimeoutMs = 15000;
constexpr int SignalTimeoutMs = 15000;

struct Run
{
    bool finished = false;
    int exitCode = -1;
    QByteArray out; // stdout and stderr together when merged
    QString error;  // why it did not run to the end
};

Run runProcess(const QString& program, const QStringList& args, const QByteArray& input = {},
               bool merge = false)
{
    QProcess process;
    if (merge)
        process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    Run run;
    if (!process.waitForStarted(ProcessTimeoutMs)) {
        run.error = process.errorString();
        return run;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(ProcessTimeoutMs)) {
        run.error = u"did not finish within %1 ms"_s.arg(ProcessTimeoutMs);
        process.kill();
        process.waitForFinished(1000);
        return run;
    }
    run.finished = process.exitStatus() == QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    if (!merge && run.exitCode != 0)
        run.error = QString::fromUtf8(process.readAllStandardError()).trimmed();
    return run;
}

// Waits (running the event loop) until `spy` has `count` signals; false on timeout.
bool waitFor(QSignalSpy& spy, qsizetype count)
{
    QDeadlineTimer deadline(SignalTimeoutMs);
    while (spy.size() < count && !deadline.hasExpired())
        spy.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    return spy.size() >= count;
}

// The daemons end with this process even when it crashes or ctest kills it on a timeout.
void dieWithTheTest(QProcess& process)
{
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString unicodePassword()
{
    // Cyrillic, Greek, CJK, an emoji outside the BMP, a combining accent, quotes, '%', '=' and '\'.
    return u"Пароль-πλ-密码-🔑-e\u0301-\"q' %41=\\ ;"_s;
}

QString longPassword()
{
    QString pw;
    for (int i = 0; pw.size() < 8192; ++i)
        pw += u"%1:ключ-🔐-%2|"_s.arg(i).arg(QString(QChar(u'a' + i % 26)).repeated(i % 7 + 1));
    return pw;
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

public:
    ~TestKeychain() override;

private Q_SLOTS:
    void initTestCase();
    void writeReadOverwriteRemove_data();
    void writeReadOverwriteRemove();
    void missingEntryIsNotFoundNotFailed();
    void readsWhatIsInTheKeyring();
    void storeDestroyedWhileTheKeyringWorks();
    void fallbackStoreUsesTheKeychain();
    void dialogKeepsThePasswordInTheKeychainOnly();

private:
    bool startKeyring(QString* why);
    void stopKeyring();
    QString keyringLog() const;

    // secret-tool's view of the keyring (another process, another D-Bus connection).
    Run lookup(const QString& key) const;
    int itemCount(const QString& key, QByteArray* details = nullptr) const;

    // Each call waits for the store's answer and returns it.
    struct Answer
    {
        QString key;
        Outcome outcome = Outcome::Failed;
        QString secret;
        QString error;
        bool arrived = false;
    };
    static Answer await(QSignalSpy& spy, bool withSecret);
    static Answer write(CredentialStore& store, const QString& key, const QString& secret);
    static Answer read(CredentialStore& store, const QString& key);
    static Answer remove(CredentialStore& store, const QString& key);

    // Every file under the sandbox (settings, caches, QtKeychain's would-be plain-text fallback) except the
    // keyring's own encrypted files, as "path: what was found" for each one holding one of `needles`.
    QStringList filesContaining(const QList<QByteArray>& needles) const;

    std::unique_ptr<QTemporaryDir> m_sandbox;
    QString m_secretTool;
    std::unique_ptr<QProcess> m_bus;
    std::unique_ptr<QProcess> m_keyring;
};

TestKeychain::~TestKeychain()
{
    // Here rather than in cleanupTestCase(), after the last test and outside any event loop: when the bus
    // goes away, GLib's shared connection (libsecret's) may raise SIGTERM in this process on its next
    // main-loop iteration, and there is none any more.
    stopKeyring();
}

void TestKeychain::initTestCase()
{
    QCoreApplication::setOrganizationName(u"salesbot"_s);
    QCoreApplication::setApplicationName(u"salesbot-console"_s);

    const QString dbusDaemon = QStandardPaths::findExecutable(u"dbus-daemon"_s);
    const QString gnomeKeyring = QStandardPaths::findExecutable(u"gnome-keyring-daemon"_s);
    m_secretTool = QStandardPaths::findExecutable(u"secret-tool"_s);
    QStringList missing;
    if (dbusDaemon.isEmpty())
        missing << u"dbus-daemon (package dbus)"_s;
    if (gnomeKeyring.isEmpty())
        missing << u"gnome-keyring-daemon (package gnome-keyring)"_s;
    if (m_secretTool.isEmpty())
        missing << u"secret-tool (package libsecret-tools)"_s;
    if (!missing.isEmpty()) {
        const QString message =
            u"not installed: %1; scripts/install-deps.sh installs them"_s.arg(missing.join(u", "_s));
        if (qEnvironmentVariableIsSet("CI"))
            QFAIL(qPrintable(message)); // CI installs them: absent there is a broken setup, not a skip
        QSKIP(qPrintable(message));
    }

    // A private HOME and XDG tree: the keyring file, QSettings and anything QtKeychain might write land here.
    m_sandbox = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/tst_keychain-XXXXXX"_s);
    QVERIFY2(m_sandbox->isValid(), qPrintable(m_sandbox->errorString()));
    const QDir root(m_sandbox->path());
    for (const char* dir : {"config", "data", "cache", "runtime"})
        QVERIFY(root.mkpath(QString::fromLatin1(dir)));
    QVERIFY(QFile::setPermissions(root.filePath(u"runtime"_s),
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    qputenv("HOME", QFile::encodeName(root.path()));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(root.filePath(u"config"_s)));
    qputenv("XDG_DATA_HOME", QFile::encodeName(root.filePath(u"data"_s)));
    qputenv("XDG_CACHE_HOME", QFile::encodeName(root.filePath(u"cache"_s)));
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(root.filePath(u"runtime"_s)));
    // QtKeychain picks its backend from the desktop: none of these, so it takes libsecret.
    for (const char* var :
         {"XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION", "KDE_SESSION_VERSION",
          "GNOME_DESKTOP_SESSION_ID", "GNOME_KEYRING_CONTROL", "DBUS_SESSION_BUS_ADDRESS"})
        qunsetenv(var);

    QString why;
    if (!startKeyring(&why))
        QFAIL(qPrintable(u"the secret service could not be started: %1\n%2"_s.arg(why, keyringLog())));
}

bool TestKeychain::startKeyring(QString* why)
{
    const QDir root(m_sandbox->path());
    const QString socket = root.filePath(u"bus"_s);
    // A session bus of our own, without service activation: only the daemon started below can answer.
    const QString config = root.filePath(u"bus.conf"_s);
    QFile conf(config);
    if (!conf.open(QIODevice::WriteOnly)) {
        *why = conf.errorString();
        return false;
    }
    conf.write(uR"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%1</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)"_s.arg(socket.toHtmlEscaped())
                   .toUtf8());
    conf.close();

    m_bus = std::make_unique<QProcess>();
    dieWithTheTest(*m_bus);
    m_bus->setStandardErrorFile(root.filePath(u"dbus-daemon.log"_s));
    m_bus->start(QStandardPaths::findExecutable(u"dbus-daemon"_s),
                 {u"--config-file="_s + config, u"--nofork"_s, u"--nopidfile"_s, u"--print-address=1"_s});
    if (!m_bus->waitForStarted(ProcessTimeoutMs)) {
        *why = u"dbus-daemon: "_s + m_bus->errorString();
        return false;
    }
    QByteArray address;
    const QDeadlineTimer busDeadline(ProcessTimeoutMs);
    while (!address.contains('\n') && m_bus->state() == QProcess::Running && !busDeadline.hasExpired()) {
        m_bus->waitForReadyRead(100);
        address += m_bus->readAllStandardOutput();
    }
    address = address.trimmed();
    if (!address.startsWith("unix:")) {
        *why = u"dbus-daemon printed no address (%1)"_s.arg(QString::fromUtf8(address));
        return false;
    }
    qputenv("DBUS_SESSION_BUS_ADDRESS", address); // before QtKeychain/libsecret first touch D-Bus

    // The keyring in the foreground, so this test owns the process; --unlock creates the "login" keyring
    // (the default collection) with the password on stdin.
    m_keyring = std::make_unique<QProcess>();
    dieWithTheTest(*m_keyring);
    m_keyring->setStandardOutputFile(root.filePath(u"gnome-keyring.log"_s));
    m_keyring->setStandardErrorFile(root.filePath(u"gnome-keyring.log"_s), QIODevice::Append);
    m_keyring->start(QStandardPaths::findExecutable(u"gnome-keyring-daemon"_s),
                     {u"--foreground"_s, u"--unlock"_s, u"--components=secrets"_s});
    if (!m_keyring->waitForStarted(ProcessTimeoutMs)) {
        *why = u"gnome-keyring-daemon: "_s + m_keyring->errorString();
        return false;
    }
    m_keyring->write(KeyringPassword);
    m_keyring->waitForBytesWritten(ProcessTimeoutMs); // no event loop runs here to write it later
    m_keyring->closeWriteChannel();

    // Ready when an item can be stored in the default collection (the keyring takes a moment to claim
    // org.freedesktop.secrets on the bus).
    const QDeadlineTimer deadline(20000);
    Run probe;
    for (;;) {
        probe =
            runProcess(m_secretTool,
                       {u"store"_s, u"--label=tst_keychain probe"_s, u"tst_keychain"_s, u"probe"_s}, "ready");
        if (probe.finished && probe.exitCode == 0)
            break;
        if (m_keyring->state() != QProcess::Running) {
            *why = u"gnome-keyring-daemon exited with code %1"_s.arg(m_keyring->exitCode());
            return false;
        }
        if (deadline.hasExpired()) {
            *why = u"no secret service on the private bus after 20 s; secret-tool store said: %1"_s.arg(
                probe.error);
            return false;
        }
        QThread::msleep(100);
    }
    const Run clear = runProcess(m_secretTool, {u"clear"_s, u"tst_keychain"_s, u"probe"_s});
    if (!clear.finished || clear.exitCode != 0) {
        *why = u"secret-tool clear failed: %1"_s.arg(clear.error);
        return false;
    }
    return true;
}

void TestKeychain::stopKeyring()
{
    for (auto* process : {m_keyring.get(), m_bus.get()}) {
        if (!process || process->state() == QProcess::NotRunning)
            continue;
        process->terminate();
        if (!process->waitForFinished(5000)) {
            process->kill();
            process->waitForFinished(5000);
        }
    }
}

QString TestKeychain::keyringLog() const
{
    if (!m_sandbox)
        return {};
    const QDir root(m_sandbox->path());
    return u"gnome-keyring-daemon said: %1\ndbus-daemon said: %2"_s.arg(
        QString::fromUtf8(fileBytes(root.filePath(u"gnome-keyring.log"_s))).trimmed(),
        QString::fromUtf8(fileBytes(root.filePath(u"dbus-daemon.log"_s))).trimmed());
}

Run TestKeychain::lookup(const QString& key) const
{
    // QtKeychain's libsecret schema: "server" is the service name, "user" the key.
    return runProcess(m_secretTool, {u"lookup"_s, u"server"_s, Service, u"user"_s, key});
}

int TestKeychain::itemCount(const QString& key, QByteArray* details) const
{
    const Run run =
        runProcess(m_secretTool, {u"search"_s, u"--all"_s, u"server"_s, Service, u"user"_s, key}, {}, true);
    if (!run.finished || run.exitCode != 0)
        return -1;
    if (details)
        *details = run.out;
    int items = 0;
    for (const QByteArray& line : run.out.split('\n'))
        items += line.startsWith("attribute.server = ") ? 1 : 0;
    return items;
}

TestKeychain::Answer TestKeychain::await(QSignalSpy& spy, bool withSecret)
{
    // The finished signals carry (key, outcome, error), a read's (key, outcome, secret, error).
    Answer answer;
    answer.arrived = waitFor(spy, 1);
    if (answer.arrived) {
        const QList<QVariant> args = spy.at(0);
        answer.key = args.at(0).toString();
        answer.outcome = args.at(1).value<Outcome>();
        if (withSecret)
            answer.secret = args.at(2).toString();
        answer.error = args.constLast().toString();
    }
    return answer;
}

TestKeychain::Answer TestKeychain::write(CredentialStore& store, const QString& key, const QString& secret)
{
    QSignalSpy spy(&store, &CredentialStore::writeFinished);
    store.write(key, secret);
    return await(spy, false);
}

TestKeychain::Answer TestKeychain::read(CredentialStore& store, const QString& key)
{
    QSignalSpy spy(&store, &CredentialStore::readFinished);
    store.read(key);
    return await(spy, true);
}

TestKeychain::Answer TestKeychain::remove(CredentialStore& store, const QString& key)
{
    QSignalSpy spy(&store, &CredentialStore::removeFinished);
    store.remove(key);
    return await(spy, false);
}

QStringList TestKeychain::filesContaining(const QList<QByteArray>& needles) const
{
    QStringList hits;
    const QString keyrings = QDir(m_sandbox->path()).filePath(u"data/keyrings/"_s);
    QDirIterator it(m_sandbox->path(), QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.startsWith(keyrings) || !it.fileInfo().isFile())
            continue;
        const QByteArray bytes = fileBytes(path);
        for (const QByteArray& needle : needles) {
            if (bytes.contains(needle))
                hits << path + u": "_s + QString::fromUtf8(needle.left(40));
        }
    }
    return hits;
}

#define VERIFY_ANSWER(answer, expectedOutcome)                                                               \
    do {                                                                                                     \
        QVERIFY2((answer).arrived, "the store never answered");                                              \
        QVERIFY2((answer).outcome == (expectedOutcome),                                                      \
                 qPrintable(u"outcome %1, error: %2"_s.arg(int((answer).outcome)).arg((answer).error)));     \
    } while (false)

void TestKeychain::writeReadOverwriteRemove_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("secret");
    QTest::newRow("ascii") << u"postgres://anna@db.example.com:5432/shop"_s << u"S3cr3t-p@ss:word"_s;
    QTest::newRow("unicode") << u"postgres://мария@база.example.com:5433/магазин"_s << unicodePassword();
    QTest::newRow("long") << u"postgres://u1@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8abc"_s
                          << longPassword();
}

void TestKeychain::writeReadOverwriteRemove()
{
    QFETCH(QString, key);
    QFETCH(QString, secret);
    KeychainCredentialStore store;
    QVERIFY(!store.isSessionOnly());

    const Answer written = write(store, key, secret);
    VERIFY_ANSWER(written, Outcome::Ok);
    QCOMPARE(written.key, key);
    QVERIFY(written.error.isEmpty());

    // It is in the keyring: another process finds it under the console's service name and this key.
    Run seen = lookup(key);
    QVERIFY2(seen.finished && seen.exitCode == 0, qPrintable(seen.error));
    QCOMPARE(seen.out, secret.toUtf8());
    QByteArray details;
    QCOMPARE(itemCount(key, &details), 1);
    QVERIFY2(details.contains("attribute.type = plaintext"), details.constData());
    QVERIFY2(details.contains("attribute.user = " + key.toUtf8()), details.constData());

    // Read back, by this store and by a fresh one (nothing cached in an object).
    Answer readBack = read(store, key);
    VERIFY_ANSWER(readBack, Outcome::Ok);
    QCOMPARE(readBack.key, key);
    QCOMPARE(readBack.secret.size(), secret.size());
    QCOMPARE(readBack.secret, secret);
    {
        KeychainCredentialStore fresh;
        const Answer again = read(fresh, key);
        VERIFY_ANSWER(again, Outcome::Ok);
        QCOMPARE(again.secret, secret);
    }

    // Overwrite: one item, the new secret.
    const QString changed = u"new-"_s + secret + u"-нов"_s;
    VERIFY_ANSWER(write(store, key, changed), Outcome::Ok);
    seen = lookup(key);
    QVERIFY2(seen.finished && seen.exitCode == 0, qPrintable(seen.error));
    QCOMPARE(seen.out, changed.toUtf8());
    QCOMPARE(itemCount(key), 1);
    readBack = read(store, key);
    VERIFY_ANSWER(readBack, Outcome::Ok);
    QCOMPARE(readBack.secret, changed);

    // Remove: gone from the keyring, and a read says not found (not failed).
    const Answer removed = remove(store, key);
    VERIFY_ANSWER(removed, Outcome::Ok);
    QCOMPARE(removed.key, key);
    seen = lookup(key);
    QVERIFY(seen.finished);
    QCOMPARE(seen.exitCode, 1);
    QVERIFY(seen.out.isEmpty());
    QCOMPARE(itemCount(key), 0);
    readBack = read(store, key);
    VERIFY_ANSWER(readBack, Outcome::NotFound);
    QVERIFY(readBack.secret.isEmpty());
    QVERIFY(readBack.error.isEmpty());
}

void TestKeychain::missingEntryIsNotFoundNotFailed()
{
    // A missing entry must not look like a broken keychain: FallbackCredentialStore would go session-only.
    KeychainCredentialStore store;
    const QString key = u"postgres://nobody@nowhere.example.com:5432/none"_s;
    const Answer readBack = read(store, key);
    VERIFY_ANSWER(readBack, Outcome::NotFound);
    QVERIFY(readBack.secret.isEmpty());
    const Answer removed = remove(store, key);
    QVERIFY2(removed.arrived, "the store never answered");
    QVERIFY2(removed.outcome != Outcome::Failed, qPrintable(removed.error));
}

void TestKeychain::readsWhatIsInTheKeyring()
{
    // An entry put there by another program (as QtKeychain itself writes them) is read; one deleted by
    // another program is gone: the store asks the keyring every time.
    const QString key = u"postgres://ops@db.internal:5432/sales"_s;
    const QString secret = u"from-secret-tool-Ж-😀"_s;
    const Run stored = runProcess(
        m_secretTool,
        {u"store"_s, u"--label=external"_s, u"server"_s, Service, u"user"_s, key, u"type"_s, u"plaintext"_s},
        secret.toUtf8());
    QVERIFY2(stored.finished && stored.exitCode == 0, qPrintable(stored.error));

    KeychainCredentialStore store;
    Answer readBack = read(store, key);
    VERIFY_ANSWER(readBack, Outcome::Ok);
    QCOMPARE(readBack.secret, secret);

    const Run cleared = runProcess(m_secretTool, {u"clear"_s, u"server"_s, Service, u"user"_s, key});
    QVERIFY2(cleared.finished && cleared.exitCode == 0, qPrintable(cleared.error));
    readBack = read(store, key);
    VERIFY_ANSWER(readBack, Outcome::NotFound);
}

void TestKeychain::storeDestroyedWhileTheKeyringWorks()
{
    // A dialog (and its store) may close while the keyring has not answered yet: the answer must go nowhere,
    // not to a deleted job, and what was asked for is still done.
    const QString key = u"postgres://anna@db.example.com:5432/closing"_s;
    const QString secret = unicodePassword() + u"-closing"_s;
    for (int round = 0; round < 20; ++round) {
        auto store = std::make_unique<KeychainCredentialStore>();
        store->write(key, secret + QString::number(round));
        store->read(key);
        store.reset();
        QTest::qWait(20);
    }
    QTRY_COMPARE_WITH_TIMEOUT(lookup(key).out, (secret + u"19"_s).toUtf8(), SignalTimeoutMs);
    {
        auto store = std::make_unique<KeychainCredentialStore>();
        store->remove(key);
        store.reset();
        QTRY_COMPARE_WITH_TIMEOUT(itemCount(key), 0, SignalTimeoutMs);
    }
    QTest::qWait(100); // any late answer arrives here, to nobody
    KeychainCredentialStore store;
    VERIFY_ANSWER(read(store, key), Outcome::NotFound);
}

void TestKeychain::fallbackStoreUsesTheKeychain()
{
    const QString key = u"postgres://anna@db.example.com:5432/fallback"_s;
    const QString secret = unicodePassword();
    {
        FallbackCredentialStore store(std::make_unique<KeychainCredentialStore>());
        QSignalSpy sessionOnly(&store, &CredentialStore::sessionOnlyChanged);
        VERIFY_ANSWER(write(store, key, secret), Outcome::Ok);
        QVERIFY2(!store.isSessionOnly(), qPrintable(store.sessionOnlyReason()));
        QVERIFY(store.sessionOnlyReason().isEmpty());
        QCOMPARE(sessionOnly.size(), 0);
        const Run seen = lookup(key);
        QVERIFY2(seen.finished && seen.exitCode == 0, qPrintable(seen.error));
        QCOMPARE(seen.out, secret.toUtf8());
    }
    {
        // The next start: nothing in memory, the password comes from the keyring.
        FallbackCredentialStore store(std::make_unique<KeychainCredentialStore>());
        QSignalSpy sessionOnly(&store, &CredentialStore::sessionOnlyChanged);
        const Answer readBack = read(store, key);
        VERIFY_ANSWER(readBack, Outcome::Ok);
        QCOMPARE(readBack.secret, secret);
        const Answer missing = read(store, key + u"-other"_s);
        VERIFY_ANSWER(missing, Outcome::NotFound);
        VERIFY_ANSWER(remove(store, key), Outcome::Ok);
        QCOMPARE(lookup(key).exitCode, 1);
        QCOMPARE(itemCount(key), 0);
        QVERIFY2(!store.isSessionOnly(), qPrintable(store.sessionOnlyReason()));
        QCOMPARE(sessionOnly.size(), 0);
    }
    FallbackCredentialStore store(std::make_unique<KeychainCredentialStore>());
    VERIFY_ANSWER(read(store, key), Outcome::NotFound);
    QVERIFY(!store.isSessionOnly());
}

void TestKeychain::dialogKeepsThePasswordInTheKeychainOnly()
{
    const QString password = unicodePassword() + u"-dialog"_s;
    const QByteArray encoded = QUrl::toPercentEncoding(password);
    const QString settingsFile = QDir(m_sandbox->path()).filePath(u"config/salesbot/salesbot-console.conf"_s);
    auto makeProfiles = [&] {
        return std::make_unique<ConnectionProfiles>(
            std::make_unique<QSettings>(settingsFile, QSettings::IniFormat));
    };
    auto profiles = makeProfiles();
    QString key;
    {
        FallbackCredentialStore store(std::make_unique<KeychainCredentialStore>());
        ConnectionDialog dialog(*profiles, store);
        dialog.show();
        QVERIFY(dialog.importDatabaseUrl(u"postgres://anna:%1@db.example.com:5433/shop?sslmode=require"_s.arg(
            QString::fromLatin1(encoded))));
        QCOMPARE(dialog.currentSettings().password, password);
        dialog.saveProfile(); // "remember the password" is ticked by the import
        profiles->setLastUsed(dialog.currentProfile().name);
        profiles->sync();
        key = dialog.currentProfile().credentialKey();
        QTRY_COMPARE_WITH_TIMEOUT(lookup(key).out, password.toUtf8(), SignalTimeoutMs);
        QVERIFY2(!store.isSessionOnly(), qPrintable(store.sessionOnlyReason()));
        QVERIFY2(dialog.keychainNotice().isEmpty(), qPrintable(dialog.keychainNotice()));
    }

    // Not in the settings file, nor anywhere else on disk outside the encrypted keyring.
    const QByteArray settingsBytes = fileBytes(settingsFile);
    QVERIFY2(settingsBytes.contains("db.example.com"),
             settingsBytes.constData()); // the file is the one written
    const QStringList leaks =
        filesContaining({password.toUtf8(), encoded, password.toUtf8().toBase64(), u"Пароль"_s.toUtf8()});
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));

    // The next start: the profile opens with its password from the keyring, and no keychain notice.
    {
        profiles = makeProfiles();
        FallbackCredentialStore store(std::make_unique<KeychainCredentialStore>());
        ConnectionDialog again(*profiles, store);
        again.show();
        QTRY_COMPARE_WITH_TIMEOUT(again.currentSettings().password, password, SignalTimeoutMs);
        QCOMPARE(again.currentSettings().host, u"db.example.com"_s);
        QVERIFY(again.keychainNotice().isEmpty());
        auto* notice = again.findChild<QLabel*>(u"keychainNotice"_s);
        QVERIFY(notice);
        QVERIFY(!notice->isVisible());

        // Unticking "remember" deletes it from the keyring.
        auto* remember = again.findChild<QCheckBox*>(u"rememberPassword"_s);
        QVERIFY(remember);
        QVERIFY(remember->isChecked());
        remember->setChecked(false);
        again.saveProfile();
        QTRY_COMPARE_WITH_TIMEOUT(itemCount(key), 0, SignalTimeoutMs);
        QVERIFY(!store.isSessionOnly());
    }
}

QTEST_MAIN(TestKeychain)
#include "tst_keychain.moc"
