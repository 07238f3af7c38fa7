#include "ConnectionDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QThread>
#include <QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

const QString Tick = u"✓"_s;
const QString Cross = u"✗"_s;

QString line(bool good, const QString& text)
{
    return (good ? Tick : Cross) + u' ' + text;
}

QString ageText(double seconds)
{
    const qint64 s = qint64(seconds);
    if (s < 90)
        return ConnectionDialog::tr("%1 s ago").arg(qMax<qint64>(s, 0));
    if (s < 90 * 60)
        return ConnectionDialog::tr("%1 min ago").arg(s / 60);
    if (s < 48 * 3600)
        return ConnectionDialog::tr("%1 h ago").arg(s / 3600);
    return ConnectionDialog::tr("%1 days ago").arg(s / 86400);
}

} // namespace

ConnectionDialog::ConnectionDialog(ConnectionProfiles& profiles, CredentialStore& store, QWidget* parent)
    : QDialog(parent)
    , m_profiles(profiles)
    , m_store(store)
{
    buildUi();
    connect(&m_store, &CredentialStore::readFinished, this,
            [this](const QString& key, CredentialStore::Outcome outcome, const QString& secret,
                   const QString&) { onPasswordRead(key, outcome, secret); });
    connect(&m_store, &CredentialStore::sessionOnlyChanged, this, [this] { updateKeychainNotice(); });
    m_testTicker.setInterval(100);
    connect(&m_testTicker, &QTimer::timeout, this, [this] { updateTestStatus(); });
    updateKeychainNotice();

    const QString last = m_profiles.lastUsed();
    reloadProfiles(last.isEmpty() && !m_profiles.names().isEmpty() ? m_profiles.names().constFirst() : last);
    if (m_profileList->count() == 0)
        newProfile();
}

ConnectionDialog::~ConnectionDialog()
{
    // A running probe finishes on its own thread and then deletes itself; its result goes nowhere.
    m_password->clear();
}

void ConnectionDialog::buildUi()
{
    setWindowTitle(tr("Connect to the database"));
    setMinimumSize(880, 660);
    resize(920, 720);

    // Left: the saved profiles.
    m_profileList = new QListWidget;
    m_profileList->setMinimumWidth(200);
    m_newProfile = new QPushButton(tr("New"));
    m_deleteProfile = new QPushButton(tr("Delete"));
    auto* listButtons = new QHBoxLayout;
    listButtons->addWidget(m_newProfile);
    listButtons->addWidget(m_deleteProfile);
    auto* left = new QVBoxLayout;
    auto* profilesLabel = new QLabel(tr("&Profiles"));
    profilesLabel->setBuddy(m_profileList);
    left->addWidget(profilesLabel);
    left->addWidget(m_profileList, 1);
    left->addLayout(listButtons);

    // Right: DATABASE_URL import, then the fields.
    m_url = new QLineEdit;
    m_url->setObjectName(u"databaseUrl"_s);
    m_url->setEchoMode(QLineEdit::PasswordEchoOnEdit); // it usually carries the password
    m_url->setPlaceholderText(u"postgres://user:password@host:5432/dbname?sslmode=require"_s);
    m_url->installEventFilter(this);
    m_importUrl = new QPushButton(tr("Fill in"));
    m_urlError = new QLabel;
    m_urlError->setObjectName(u"databaseUrlError"_s);
    m_urlError->setWordWrap(true);
    m_urlError->setStyleSheet(u"color: #b00020;"_s);
    m_urlError->hide();
    auto* urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(m_importUrl);
    auto* urlBox = new QGroupBox(tr("Paste DATABASE_URL"));
    auto* urlLayout = new QVBoxLayout(urlBox);
    urlLayout->addLayout(urlRow);
    urlLayout->addWidget(m_urlError);

    m_name = new QLineEdit;
    m_name->setObjectName(u"profileName"_s);
    m_type = new QComboBox;
    m_type->addItem(u"PostgreSQL"_s);
    m_type->addItem(u"SQLite"_s);

    m_host = new QLineEdit;
    m_port = new QSpinBox;
    m_port->setRange(1, 65535);
    m_port->setValue(5432);
    m_port->setGroupSeparatorShown(false);
    m_database = new QLineEdit;
    m_user = new QLineEdit;
    m_password = new QLineEdit;
    m_password->setObjectName(u"password"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_remember = new QCheckBox(tr("Remember the password"));
    m_remember->setObjectName(u"rememberPassword"_s);
    m_sslMode = new QComboBox;
    m_sslMode->addItem(tr("default (prefer)"), QString());
    for (const QString& mode : ConnectionProfiles::sslModes())
        m_sslMode->addItem(mode, mode);
    auto* hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    hostRow->addWidget(new QLabel(tr("Port")));
    hostRow->addWidget(m_port);
    auto* postgresPage = new QWidget;
    auto* postgresForm = new QFormLayout(postgresPage);
    postgresForm->setContentsMargins(0, 0, 0, 0);
    auto* hostLabel = new QLabel(tr("&Host"));
    hostLabel->setBuddy(m_host); // a row holding a layout gets no buddy of its own
    postgresForm->addRow(hostLabel, hostRow);
    postgresForm->addRow(tr("&Database"), m_database);
    postgresForm->addRow(tr("&User"), m_user);
    postgresForm->addRow(tr("Pass&word"), m_password);
    postgresForm->addRow(QString(), m_remember);
    postgresForm->addRow(tr("&SSL mode"), m_sslMode);

    m_sqlitePath = new QLineEdit;
    m_browse = new QPushButton(tr("Browse…"));
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_sqlitePath, 1);
    pathRow->addWidget(m_browse);
    auto* sqlitePage = new QWidget;
    auto* sqliteForm = new QFormLayout(sqlitePage);
    sqliteForm->setContentsMargins(0, 0, 0, 0);
    auto* fileLabel = new QLabel(tr("&File"));
    fileLabel->setBuddy(m_sqlitePath);
    sqliteForm->addRow(fileLabel, pathRow);

    m_pages = new QStackedWidget;
    m_pages->addWidget(postgresPage);
    m_pages->addWidget(sqlitePage);

    auto* fieldsBox = new QGroupBox(tr("Connection"));
    auto* fields = new QFormLayout;
    fields->addRow(tr("&Name"), m_name);
    fields->addRow(tr("&Type"), m_type);
    auto* fieldsLayout = new QVBoxLayout(fieldsBox);
    fieldsLayout->addLayout(fields);
    fieldsLayout->addWidget(m_pages);

    m_formError = new QLabel;
    m_formError->setWordWrap(true);
    m_formError->setStyleSheet(u"color: #b00020;"_s);
    m_formError->hide();

    m_keychainNotice = new QLabel;
    m_keychainNotice->setObjectName(u"keychainNotice"_s);
    m_keychainNotice->setWordWrap(true);
    m_keychainNotice->setStyleSheet(
        u"QLabel { background: #fff4ce; border: 1px solid #e0c060; border-radius: 4px; padding: 6px; }"_s);
    m_keychainNotice->hide();

    // The test and its report.
    m_test = new QPushButton(tr("&Test connection"));
    m_test->setObjectName(u"testConnection"_s);
    m_testStatus = new QLabel;
    m_testStatus->setObjectName(u"testStatus"_s);
    auto* testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_testStatus, 1);
    m_report = new QTextBrowser;
    m_report->setObjectName(u"report"_s);
    m_report->setOpenLinks(false);
    m_report->setMinimumHeight(170);
    m_report->setPlaceholderText(
        tr("Test the connection to see whether the console can work with this database."));

    auto* right = new QVBoxLayout;
    right->addWidget(urlBox);
    right->addWidget(fieldsBox);
    right->addWidget(m_formError);
    right->addWidget(m_keychainNotice);
    right->addLayout(testRow);
    right->addWidget(m_report, 1);

    m_buttons = new QDialogButtonBox;
    m_buttons->setObjectName(u"buttons"_s);
    QPushButton* connectButton = m_buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setDefault(true);
    QPushButton* saveButton = m_buttons->addButton(tr("&Save profile"), QDialogButtonBox::ApplyRole);
    m_buttons->addButton(QDialogButtonBox::Cancel);

    auto* columns = new QHBoxLayout;
    columns->addLayout(left);
    columns->addLayout(right, 1);
    auto* root = new QVBoxLayout(this);
    root->addLayout(columns, 1);
    root->addWidget(m_buttons);

    connect(m_profileList, &QListWidget::currentTextChanged, this, [this](const QString& name) {
        if (auto profile = m_profiles.profile(name))
            showProfile(*profile);
        m_deleteProfile->setEnabled(!name.isEmpty());
    });
    connect(m_newProfile, &QPushButton::clicked, this, [this] { newProfile(); });
    connect(m_deleteProfile, &QPushButton::clicked, this, [this] { deleteProfile(); });
    connect(m_importUrl, &QPushButton::clicked, this, [this] { importDatabaseUrl(m_url->text()); });
    connect(m_url, &QLineEdit::textChanged, this, [this](const QString& text) {
        // A paste arrives whole: take it as soon as it parses. While typing, wait for Enter or the button.
        if (text.contains(u"://"_s) && ConnectionProfiles::parseDatabaseUrl(text))
            importDatabaseUrl(text);
        else if (text.isEmpty())
            m_urlError->hide();
    });
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] { updateTypePage(); });
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("SQLite database"), m_sqlitePath->text(),
                                         tr("SQLite databases (*.sqlite3 *.sqlite *.db);;All files (*)"));
        if (!path.isEmpty())
            m_sqlitePath->setText(path);
    });
    connect(m_test, &QPushButton::clicked, this, [this] { testConnection(); });
    connect(saveButton, &QPushButton::clicked, this, [this] { saveProfile(); });
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] { connectAndAccept(); });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateTypePage();
}

bool ConnectionDialog::eventFilter(QObject* watched, QEvent* event)
{
    // Enter in the URL field fills the form; it must not press Connect.
    if (watched == m_url && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            importDatabaseUrl(m_url->text());
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void ConnectionDialog::reloadProfiles(const QString& select)
{
    QSignalBlocker blocker(m_profileList);
    m_profileList->clear();
    m_profileList->addItems(m_profiles.names());
    blocker.unblock();
    selectProfile(select);
}

void ConnectionDialog::selectProfile(const QString& name)
{
    const QList<QListWidgetItem*> items = m_profileList->findItems(name, Qt::MatchExactly);
    if (!items.isEmpty())
        m_profileList->setCurrentItem(items.constFirst());
    m_deleteProfile->setEnabled(m_profileList->currentItem() != nullptr);
}

void ConnectionDialog::showProfile(const ConnectionProfile& profile)
{
    m_name->setText(profile.name);
    m_type->setCurrentIndex(profile.dialect == Dialect::Sqlite ? 1 : 0);
    m_host->setText(profile.host);
    m_port->setValue(profile.port);
    m_database->setText(profile.database);
    m_user->setText(profile.user);
    m_sslMode->setCurrentIndex(qMax(0, m_sslMode->findData(profile.sslMode)));
    m_sqlitePath->setText(profile.sqlitePath);
    m_password->clear();
    m_remember->setChecked(false);
    m_formError->hide();
    m_passwordKey = profile.credentialKey();
    if (!m_passwordKey.isEmpty())
        m_store.read(m_passwordKey);
}

void ConnectionDialog::newProfile()
{
    m_profileList->clearSelection();
    m_profileList->setCurrentItem(nullptr);
    ConnectionProfile blank;
    blank.host = u"localhost"_s;
    showProfile(blank);
    m_passwordKey.clear();
    m_name->setFocus();
}

void ConnectionDialog::deleteProfile()
{
    const QListWidgetItem* item = m_profileList->currentItem();
    if (!item)
        return;
    const QString name = item->text();
    const auto answer = QMessageBox::question(
        this, tr("Delete profile"), tr("Delete the profile \"%1\" and its saved password?").arg(name));
    if (answer != QMessageBox::Yes)
        return;
    if (auto profile = m_profiles.profile(name); profile && !profile->credentialKey().isEmpty())
        m_store.remove(profile->credentialKey());
    m_profiles.remove(name);
    m_profiles.sync();
    reloadProfiles(m_profiles.names().value(0));
    if (m_profileList->count() == 0)
        newProfile();
}

void ConnectionDialog::onPasswordRead(const QString& key, CredentialStore::Outcome outcome,
                                      const QString& secret)
{
    if (key != m_passwordKey || outcome != CredentialStore::Outcome::Ok)
        return;
    // Whatever the operator has typed meanwhile wins.
    if (m_password->text().isEmpty())
        m_password->setText(secret);
    m_remember->setChecked(true);
}

ConnectionProfile ConnectionDialog::currentProfile() const
{
    ConnectionProfile p;
    p.name = m_name->text().trimmed();
    p.dialect = m_type->currentIndex() == 1 ? Dialect::Sqlite : Dialect::PostgreSql;
    p.host = m_host->text().trimmed();
    p.port = m_port->value();
    p.database = m_database->text().trimmed();
    p.user = m_user->text().trimmed();
    p.sslMode = m_sslMode->currentData().toString();
    p.sqlitePath = m_sqlitePath->text().trimmed();
    return p;
}

ConnectionSettings ConnectionDialog::currentSettings() const
{
    return currentProfile().toSettings(m_password->text());
}

bool ConnectionDialog::importDatabaseUrl(const QString& url)
{
    auto imported = ConnectionProfiles::parseDatabaseUrl(url, m_name->text());
    if (!imported) {
        m_urlError->setText(imported.error());
        m_urlError->show();
        return false;
    }
    m_urlError->hide();
    showProfile(imported->profile);
    if (!imported->password.isEmpty()) {
        m_password->setText(imported->password);
        m_remember->setChecked(true);
    }
    // The URL holds the password: do not leave it in a visible field.
    const QSignalBlocker blocker(m_url);
    m_url->clear();
    return true;
}

bool ConnectionDialog::validate()
{
    const ConnectionProfile profile = currentProfile();
    QString problem = profile.validationError();
    if (problem.isEmpty() && profile.name.isEmpty())
        problem = tr("Give the profile a name.");
    m_formError->setText(problem);
    m_formError->setVisible(!problem.isEmpty());
    return problem.isEmpty();
}

void ConnectionDialog::rememberPassword(const ConnectionProfile& profile)
{
    const QString key = profile.credentialKey();
    if (key.isEmpty())
        return;
    if (m_remember->isChecked() && !m_password->text().isEmpty())
        m_store.write(key, m_password->text());
    else if (!m_remember->isChecked())
        m_store.remove(key);
}

void ConnectionDialog::saveProfile()
{
    if (!validate())
        return;
    const ConnectionProfile profile = currentProfile();
    m_profiles.save(profile);
    m_profiles.sync();
    rememberPassword(profile);
    m_passwordKey = profile.credentialKey();
    const QSignalBlocker blocker(m_profileList); // the form already shows it: do not reload the password
    m_profileList->clear();
    m_profileList->addItems(m_profiles.names());
    const QList<QListWidgetItem*> items = m_profileList->findItems(profile.name, Qt::MatchExactly);
    if (!items.isEmpty())
        m_profileList->setCurrentItem(items.constFirst());
    m_deleteProfile->setEnabled(true);
}

void ConnectionDialog::connectAndAccept()
{
    if (!validate())
        return;
    saveProfile();
    const ConnectionProfile profile = currentProfile();
    m_profiles.setLastUsed(profile.name);
    m_profiles.sync();
    m_accepted = currentSettings();
    m_acceptedProfile = profile.name;
    accept();
}

void ConnectionDialog::testConnection()
{
    if (m_testing || !validate())
        return;
    m_testing = true;
    m_test->setEnabled(false);
    m_report->clear();
    m_testClock.start();
    m_testTicker.start();
    updateTestStatus();

    // A one-off thread: the probe opens and closes its own connection there. The thread deletes itself when
    // done; if the dialog is gone by then, the result is simply dropped.
    auto result = std::make_shared<ConnectionReport>();
    const ConnectionSettings settings = currentSettings();
    const int timeout = m_probeTimeout;
    QThread* thread =
        QThread::create([result, settings, timeout] { *result = ConnectionProbe::run(settings, timeout); });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, result] { onTestFinished(*result); });
    thread->start();
}

void ConnectionDialog::onTestFinished(const ConnectionReport& report)
{
    m_testing = false;
    m_testTicker.stop();
    m_test->setEnabled(true);
    m_lastReport = report;
    m_testStatus->setText(report.ok() ? tr("The console can work with this database.")
                                      : tr("The console cannot work with this database yet."));

    QString html;
    for (const QString& text : reportLines(report)) {
        const QString escaped = text.toHtmlEscaped();
        if (text.startsWith(Tick))
            html +=
                u"<div><span style='color:#1b7f3b'>%1</span>%2</div>"_s.arg(Tick, escaped.mid(Tick.size()));
        else if (text.startsWith(Cross))
            html +=
                u"<div><span style='color:#b00020'>%1</span>%2</div>"_s.arg(Cross, escaped.mid(Cross.size()));
        else
            html += u"<p>%1</p>"_s.arg(escaped);
    }
    m_report->setHtml(html);
    if (report.failure == ConnectionFailure::WrongPassword)
        m_password->setFocus();
    Q_EMIT testFinished(report);
}

void ConnectionDialog::updateTestStatus()
{
    const double seconds = double(m_testClock.elapsed()) / 1000.0;
    m_testStatus->setText(tr("Testing… %1 s").arg(QLocale().toString(seconds, 'f', 1)));
}

void ConnectionDialog::updateKeychainNotice()
{
    const bool sessionOnly = m_store.isSessionOnly();
    m_keychainNotice->setText(sessionOnly ? m_store.sessionOnlyReason() : QString());
    m_keychainNotice->setVisible(sessionOnly);
    m_remember->setText(sessionOnly ? tr("Remember the password until the console is closed")
                                    : tr("Remember the password"));
}

void ConnectionDialog::updateTypePage()
{
    m_pages->setCurrentIndex(m_type->currentIndex());
}

QString ConnectionDialog::reportText() const
{
    return m_report->toPlainText();
}

QString ConnectionDialog::keychainNotice() const
{
    return m_keychainNotice->isVisible() || !m_keychainNotice->isHidden() ? m_keychainNotice->text()
                                                                          : QString();
}

QStringList ConnectionDialog::reportLines(const ConnectionReport& report)
{
    const QLocale locale;
    const ConnectionSettings& s = report.settings;
    const bool sqlite = s.dialect == Dialect::Sqlite;
    QStringList lines;
    if (sqlite)
        lines << line(report.reachable, report.reachable
                                            ? tr("Database file found: %1").arg(s.sqlitePath)
                                            : tr("Database file not found: %1").arg(s.sqlitePath));
    else
        lines << line(report.reachable, report.reachable
                                            ? tr("Server reachable: %1:%2").arg(s.host).arg(s.port)
                                            : tr("Server not reachable: %1:%2").arg(s.host).arg(s.port));
    if (report.reachable && !sqlite)
        lines << line(report.authenticated, report.authenticated ? tr("Logged in as %1").arg(s.user)
                                                                 : tr("Not logged in as %1").arg(s.user));
    if (report.sslInUse.has_value())
        lines << line(*report.sslInUse, *report.sslInUse ? tr("Encrypted connection (SSL)")
                                                         : tr("Not encrypted: SSL is not in use"));
    if (!report.serverVersion.isEmpty())
        lines << line(true, tr("Server version: %1").arg(report.serverVersion));
    if (report.roundTripMs >= 0)
        lines << line(true, tr("Round trip: %1 ms").arg(locale.toString(report.roundTripMs, 'f', 1)));
    switch (report.schema) {
    case SchemaComparison::Same:
        lines << line(true, tr("Schema version %1, as this console expects").arg(report.schemaVersion));
        break;
    case SchemaComparison::Older:
        lines << line(false, tr("Schema version %1, older than this console expects (%2)")
                                 .arg(report.schemaVersion)
                                 .arg(report.expectedSchemaVersion));
        break;
    case SchemaComparison::Newer:
        lines << line(false, tr("Schema version %1, newer than this console expects (%2)")
                                 .arg(report.schemaVersion)
                                 .arg(report.expectedSchemaVersion));
        break;
    case SchemaComparison::Unknown:
        break;
    }
    if (report.users >= 0) {
        lines << line(true,
                      tr("Users: %1, applications: %2, bot actions: %3, messages waiting to be sent: %4")
                          .arg(locale.toString(report.users), locale.toString(report.applications),
                               locale.toString(report.botMetrics), locale.toString(report.outboxPending)));
    }
    if (report.schemaVersion > 0) {
        if (!report.engine)
            lines << line(false, tr("Engine: none has run against this database yet"));
        else if (report.engineAlive)
            lines << line(true, tr("Engine online (%1, last heartbeat %2)")
                                    .arg(report.engine->host, ageText(report.engine->ageSeconds)));
        else
            lines << line(false, tr("Engine offline (%1, last heartbeat %2)")
                                     .arg(report.engine->host, ageText(report.engine->ageSeconds)));
    }
    if (!report.ok()) {
        lines << line(false, report.message);
        if (!report.advice.isEmpty())
            lines << tr("What to do: %1").arg(report.advice);
        if (!report.detail.isEmpty())
            lines << tr("Details: %1").arg(report.detail);
    }
    lines << tr("Checked in %1 s").arg(locale.toString(double(report.elapsedMs) / 1000.0, 'f', 1));
    return lines;
}

} // namespace salesbot
