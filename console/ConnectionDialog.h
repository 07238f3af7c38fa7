#pragma once

// Where an operator picks or enters a database connection, tests it without freezing the window (the probe
// runs on a thread of its own) and connects; passwords go to the credential store, never to the settings.

#include "ConnectionProbe.h"
#include "ConnectionProfiles.h"
#include "CredentialStore.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QTimer>

#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTextBrowser;

namespace salesbot {

class ConnectionDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionDialog)

public:
    // Neither `profiles` nor `store` is owned; both must outlive the dialog.
    ConnectionDialog(ConnectionProfiles& profiles, CredentialStore& store, QWidget* parent = nullptr);
    ~ConnectionDialog() override;

    // After accept(): what to connect to, password included, and the profile it was saved as.
    ConnectionSettings settings() const { return m_accepted; }
    QString profileName() const { return m_acceptedProfile; }

    // How long Test connection waits for an unresponsive server (default 10 s).
    void setProbeTimeout(int seconds) { m_probeTimeout = seconds; }
    void selectProfile(const QString& name);

    // What the form says now (the password from the password field).
    ConnectionProfile currentProfile() const;
    ConnectionSettings currentSettings() const;

    bool isTesting() const { return m_testing; }
    const std::optional<ConnectionReport>& lastReport() const { return m_lastReport; }
    // The report as the operator reads it, one line per check.
    QString reportText() const;
    // The keychain notice as shown (empty and hidden while the keychain works).
    QString keychainNotice() const;

    // The lines of a report, each starting with ✓ or ✗, then the failure's message, advice and details.
    static QStringList reportLines(const ConnectionReport& report);

public Q_SLOTS:
    void testConnection();
    // Fills the form from a pasted DATABASE_URL; false (and the reason shown) when it does not parse.
    bool importDatabaseUrl(const QString& url);
    void saveProfile();

Q_SIGNALS:
    void testFinished(const salesbot::ConnectionReport& report);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildUi();
    void reloadProfiles(const QString& select);
    void showProfile(const ConnectionProfile& profile);
    void newProfile();
    void deleteProfile();
    void onPasswordRead(const QString& key, CredentialStore::Outcome outcome, const QString& secret);
    void onTestFinished(const ConnectionReport& report);
    void updateTestStatus();
    void updateKeychainNotice();
    void updateTypePage();
    bool validate();
    void rememberPassword(const ConnectionProfile& profile);
    void connectAndAccept();

    ConnectionProfiles& m_profiles;
    CredentialStore& m_store;
    int m_probeTimeout = 10;

    QListWidget* m_profileList = nullptr;
    QPushButton* m_newProfile = nullptr;
    QPushButton* m_deleteProfile = nullptr;
    QLineEdit* m_url = nullptr;
    QPushButton* m_importUrl = nullptr;
    QLabel* m_urlError = nullptr;
    QLineEdit* m_name = nullptr;
    QComboBox* m_type = nullptr;
    QStackedWidget* m_pages = nullptr;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QLineEdit* m_database = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    QCheckBox* m_remember = nullptr;
    QComboBox* m_sslMode = nullptr;
    QLineEdit* m_sqlitePath = nullptr;
    QPushButton* m_browse = nullptr;
    QLabel* m_formError = nullptr;
    QLabel* m_keychainNotice = nullptr;
    QPushButton* m_test = nullptr;
    QLabel* m_testStatus = nullptr;
    QTextBrowser* m_report = nullptr;
    QDialogButtonBox* m_buttons = nullptr;

    QString m_passwordKey; // whose stored password the form is waiting for
    bool m_testing = false;
    QElapsedTimer m_testClock;
    QTimer m_testTicker;
    std::optional<ConnectionReport> m_lastReport;
    ConnectionSettings m_accepted;
    QString m_acceptedProfile;
};

} // namespace salesbot
