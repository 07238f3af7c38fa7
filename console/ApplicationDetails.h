#pragma once

// The pane beside the applications table: who the customer is (copy the phone, open the chat), what they
// want, the status with its history and the customer's activity in the bot, and the manager's note and
// assignee. Edits carry the version the manager saw; a conflicting edit by someone else is refused with a
// message and a reload, and a note being typed is never thrown away (drafts survive switching rows).

#include "Application.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QToolButton;
class QTreeWidget;

namespace salesbot {

class ConsoleSession;
class DbError;

class ApplicationDetails final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApplicationDetails)

public:
    explicit ApplicationDetails(ConsoleSession& session, QWidget* parent = nullptr);

    // Shows `application` at once and loads its history and the customer's activity; nullopt clears.
    void showApplication(const std::optional<Application>& application);
    // A newer state of the shown application arrived (a live update): refresh unless it is older.
    void applicationUpdated(const Application& application);
    std::optional<Application> current() const { return m_current; }
    void setPackageTitles(const QHash<QString, QString>& titles) { m_packageTitles = titles; }

    // The actions behind the buttons, for keyboard users and tests.
    void changeStatus(ApplicationStatus status, bool notifyCustomer);
    void saveNote();
    bool hasUnsavedNote() const;
    QString noteDraft() const;
    void setNoteDraft(const QString& note, const QString& assignee);
    QString bannerText() const;
    int historyCount() const;
    int activityCount() const;

Q_SIGNALS:
    // An edit was stored: the table updates its row.
    void applicationChanged(const salesbot::Application& application);
    // A line for the status bar.
    void message(const QString& text);
    // The history and activity of the shown application are in place.
    void detailsLoaded();

private:
    void buildUi();
    void fill();
    void loadExtras();
    void loadActivity(quint64 generation);
    void showBanner(const QString& text, bool error);
    void handleEditError(const DbError& error, const QString& what);
    void rememberDraft();
    void updateNoteButtons();
    QString packageTitle(const QString& code) const;

    ConsoleSession& m_session;
    std::optional<Application> m_current;
    QHash<QString, QString> m_packageTitles;
    struct Draft
    {
        QString note;
        QString assignee;
    };
    QHash<qint64, Draft> m_drafts; // unsaved notes by application id
    quint64 m_extrasGeneration = 0;
    bool m_filling = false;

    QLabel* m_title = nullptr;
    QLabel* m_statusChip = nullptr;
    QLabel* m_banner = nullptr;
    QLabel* m_name = nullptr;
    QLabel* m_phone = nullptr;
    QToolButton* m_copyPhone = nullptr;
    QLabel* m_telegram = nullptr;
    QLabel* m_package = nullptr;
    QLabel* m_dates = nullptr;
    QComboBox* m_nextStatus = nullptr;
    QCheckBox* m_notify = nullptr;
    QPushButton* m_applyStatus = nullptr;
    QLineEdit* m_assignee = nullptr;
    QPlainTextEdit* m_note = nullptr;
    QPushButton* m_saveNote = nullptr;
    QPushButton* m_revertNote = nullptr;
    QTreeWidget* m_history = nullptr;
    QTreeWidget* m_activity = nullptr;
    QWidget* m_content = nullptr;
    QLabel* m_placeholder = nullptr;
};

} // namespace salesbot
