#include "ApplicationDetails.h"

#include "ActivityRepository.h"
#include "ApplicationEditor.h"
#include "ApplicationRepository.h"
#include "ConsoleSession.h"
#include "DisplayFormat.h"
#include "TimelineModel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

// The latest actions are what a manager reads before calling; the Users tab has the whole timeline.
constexpr int ActivityRows = 30;

QTreeWidget* makeList(const QStringList& headers)
{
    auto* list = new QTreeWidget;
    list->setHeaderLabels(headers);
    list->setRootIsDecorated(false);
    list->setAlternatingRowColors(true);
    list->setUniformRowHeights(true);
    list->setSelectionMode(QAbstractItemView::NoSelection);
    list->header()->setStretchLastSection(true);
    list->setMinimumHeight(110);
    return list;
}

} // namespace

ApplicationDetails::ApplicationDetails(ConsoleSession& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
{
    buildUi();
    showApplication(std::nullopt);
}

void ApplicationDetails::buildUi()
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_placeholder = new QLabel(tr("Select an application to see its details."));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setEnabled(false);
    outer->addWidget(m_placeholder);

    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_content = new QWidget;
    scroll->setWidget(m_content);
    outer->addWidget(scroll, 1);
    auto* layout = new QVBoxLayout(m_content);

    auto* header = new QHBoxLayout;
    m_title = new QLabel;
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusChip = new QLabel;
    m_statusChip->setMargin(4);
    header->addWidget(m_title);
    header->addWidget(m_statusChip);
    header->addStretch();
    layout->addLayout(header);

    m_banner = new QLabel;
    m_banner->setWordWrap(true);
    m_banner->setMargin(6);
    m_banner->hide();
    layout->addWidget(m_banner);

    auto* contacts = new QGroupBox(tr("Customer"));
    auto* form = new QFormLayout(contacts);
    m_name = new QLabel;
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_name->setTextFormat(Qt::PlainText);
    form->addRow(tr("Name:"), m_name);
    auto* phoneRow = new QHBoxLayout;
    m_phone = new QLabel;
    m_phone->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_copyPhone = new QToolButton;
    m_copyPhone->setText(tr("Copy"));
    m_copyPhone->setToolTip(tr("Copy the phone number to the clipboard"));
    connect(m_copyPhone, &QToolButton::clicked, this, [this] {
        if (!m_current)
            return;
        QApplication::clipboard()->setText(m_current->phone);
        Q_EMIT message(tr("Phone number %1 copied").arg(m_current->phone));
    });
    phoneRow->addWidget(m_phone);
    phoneRow->addWidget(m_copyPhone);
    phoneRow->addStretch();
    form->addRow(tr("Phone:"), phoneRow);
    m_telegram = new QLabel;
    m_telegram->setTextFormat(Qt::RichText);
    m_telegram->setOpenExternalLinks(true);
    m_telegram->setTextInteractionFlags(Qt::TextBrowserInteraction);
    form->addRow(tr("Telegram:"), m_telegram);
    m_package = new QLabel;
    form->addRow(tr("Package:"), m_package);
    m_dates = new QLabel;
    form->addRow(tr("Dates:"), m_dates);
    layout->addWidget(contacts);

    auto* statusBox = new QGroupBox(tr("Status"));
    auto* statusRow = new QHBoxLayout(statusBox);
    m_nextStatus = new QComboBox;
    m_notify = new QCheckBox(tr("Notify the customer in Telegram"));
    m_applyStatus = new QPushButton(tr("Change status"));
    connect(m_applyStatus, &QPushButton::clicked, this, [this] {
        const QVariant code = m_nextStatus->currentData();
        if (auto status = ApplicationStatuses::fromCode(code.toString()))
            changeStatus(*status, m_notify->isChecked());
    });
    statusRow->addWidget(m_nextStatus, 1);
    statusRow->addWidget(m_notify);
    statusRow->addWidget(m_applyStatus);
    layout->addWidget(statusBox);

    auto* noteBox = new QGroupBox(tr("Manager's note"));
    auto* noteLayout = new QVBoxLayout(noteBox);
    auto* assigneeRow = new QFormLayout;
    m_assignee = new QLineEdit;
    m_assignee->setPlaceholderText(tr("Who works on it"));
    m_assignee->setMaxLength(200);
    assigneeRow->addRow(tr("Assignee:"), m_assignee);
    noteLayout->addLayout(assigneeRow);
    m_note = new QPlainTextEdit;
    m_note->setPlaceholderText(tr("Agreements, next steps, call results…"));
    m_note->setTabChangesFocus(true);
    m_note->setMinimumHeight(70);
    noteLayout->addWidget(m_note);
    auto* noteButtons = new QHBoxLayout;
    noteButtons->addStretch();
    m_revertNote = new QPushButton(tr("Revert"));
    m_saveNote = new QPushButton(tr("Save note"));
    m_saveNote->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_saveNote->setToolTip(tr("Save the note and assignee (Ctrl+Enter)"));
    noteButtons->addWidget(m_revertNote);
    noteButtons->addWidget(m_saveNote);
    noteLayout->addLayout(noteButtons);
    connect(m_saveNote, &QPushButton::clicked, this, &ApplicationDetails::saveNote);
    connect(m_revertNote, &QPushButton::clicked, this, [this] {
        if (!m_current)
            return;
        m_drafts.remove(m_current->id);
        fill();
    });
    connect(m_note, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_filling)
            rememberDraft();
    });
    connect(m_assignee, &QLineEdit::textChanged, this, [this] {
        if (!m_filling)
            rememberDraft();
    });
    layout->addWidget(noteBox);

    auto* historyBox = new QGroupBox(tr("History"));
    auto* historyLayout = new QVBoxLayout(historyBox);
    m_history = makeList({tr("When"), tr("Who"), tr("What")});
    historyLayout->addWidget(m_history);
    layout->addWidget(historyBox);

    auto* activityBox = new QGroupBox(tr("Activity in the bot"));
    auto* activityLayout = new QVBoxLayout(activityBox);
    m_activity = makeList({tr("When"), tr("Action"), tr("Package")});
    activityLayout->addWidget(m_activity);
    layout->addWidget(activityBox);
    layout->addStretch();
}

QString ApplicationDetails::packageTitle(const QString& code) const
{
    if (code.isEmpty())
        return tr("not chosen");
    return m_packageTitles.value(code, code);
}

void ApplicationDetails::showApplication(const std::optional<Application>& application)
{
    const bool sameApplication = application && m_current && application->id == m_current->id;
    m_current = application;
    m_placeholder->setVisible(!m_current);
    m_content->parentWidget()->parentWidget()->setVisible(bool(m_current)); // the scroll area
    if (!sameApplication)
        m_banner->hide();
    if (!m_current)
        return;
    fill();
    loadExtras();
}

void ApplicationDetails::applicationUpdated(const Application& application)
{
    if (!m_current || application.id != m_current->id || application.version < m_current->version)
        return;
    const bool changed = application.version != m_current->version;
    m_current = application;
    fill();
    if (changed)
        loadExtras();
}

void ApplicationDetails::fill()
{
    const Application& a = *m_current;
    m_filling = true;
    m_title->setText(tr("Application №%1").arg(a.number));
    m_statusChip->setText(ApplicationStatuses::displayName(a.status));
    m_statusChip->setStyleSheet(
        ApplicationStatuses::isOpen(a.status)
            ? u"QLabel { background: #fff3e0; color: #e65100; border-radius: 4px; }"_s
            : u"QLabel { background: #eeeeee; color: #424242; border-radius: 4px; }"_s);
    m_name->setText(a.name);
    m_phone->setText(a.phone);
    const QString link = u"tg://user?id=%1"_s.arg(a.telegramId);
    const QString shown = a.username.isEmpty() ? link : u"@"_s + a.username;
    const QString target = a.username.isEmpty() ? link : u"https://t.me/"_s + a.username;
    m_telegram->setText(u"<a href=\"%1\">%2</a>"_s.arg(target.toHtmlEscaped(), shown.toHtmlEscaped()));
    m_telegram->setToolTip(tr("Open the chat with the customer"));
    m_package->setText(packageTitle(a.packageCode));
    m_dates->setText(
        tr("created %1, updated %2").arg(localDateTime(a.createdAt), localDateTime(a.updatedAt)));

    m_nextStatus->clear();
    for (ApplicationStatus status : ApplicationStatuses::all()) {
        if (ApplicationStatuses::canChange(a.status, status))
            m_nextStatus->addItem(ApplicationStatuses::displayName(status),
                                  ApplicationStatuses::code(status));
    }
    m_nextStatus->setEnabled(m_nextStatus->count() > 0);
    m_applyStatus->setEnabled(m_nextStatus->count() > 0);

    const auto draft = m_drafts.constFind(a.id);
    m_note->setPlainText(draft != m_drafts.cend() ? draft->note : a.managerNote);
    m_assignee->setText(draft != m_drafts.cend() ? draft->assignee : a.assignee);
    m_filling = false;
    updateNoteButtons();
}

void ApplicationDetails::rememberDraft()
{
    if (!m_current)
        return;
    const QString note = m_note->toPlainText();
    const QString assignee = m_assignee->text().trimmed();
    if (note == m_current->managerNote && assignee == m_current->assignee)
        m_drafts.remove(m_current->id);
    else
        m_drafts.insert(m_current->id, {note, assignee});
    updateNoteButtons();
}

void ApplicationDetails::updateNoteButtons()
{
    const bool dirty = hasUnsavedNote();
    m_saveNote->setEnabled(dirty);
    m_revertNote->setEnabled(dirty);
}

bool ApplicationDetails::hasUnsavedNote() const
{
    return m_current && m_drafts.contains(m_current->id);
}

QString ApplicationDetails::noteDraft() const
{
    return m_note->toPlainText();
}

void ApplicationDetails::setNoteDraft(const QString& note, const QString& assignee)
{
    m_note->setPlainText(note);
    m_assignee->setText(assignee);
}

QString ApplicationDetails::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

int ApplicationDetails::historyCount() const
{
    return m_history->topLevelItemCount();
}

int ApplicationDetails::activityCount() const
{
    return m_activity->topLevelItemCount();
}

void ApplicationDetails::showBanner(const QString& text, bool error)
{
    m_banner->setText(text);
    m_banner->setStyleSheet(error ? u"QLabel { background: #ffebee; color: #b71c1c; border-radius: 4px; }"_s
                                  : u"QLabel { background: #e8f5e9; color: #1b5e20; border-radius: 4px; }"_s);
    m_banner->show();
}

void ApplicationDetails::changeStatus(ApplicationStatus status, bool notifyCustomer)
{
    if (!m_current)
        return;
    const Application seen = *m_current;
    const QString actor = m_session.actor();
    m_applyStatus->setEnabled(false);
    m_session.call(
        this,
        [seen, status, actor, notifyCustomer](DbConnection& db) {
            return ApplicationEditor(db).changeStatus(seen.id, seen.version, status, actor, notifyCustomer);
        },
        [this, notifyCustomer](Expected<StatusChangeResult, DbError> result) {
            m_applyStatus->setEnabled(true);
            if (!result) {
                handleEditError(result.error(), tr("The status was not changed"));
                return;
            }
            const Application& a = result.value().application;
            QString text = tr("Application №%1 is now «%2».")
                               .arg(a.number)
                               .arg(ApplicationStatuses::displayName(a.status));
            if (notifyCustomer) {
                text += u' ';
                text += result.value().noticeId > 0
                            ? tr("The customer will be notified in Telegram.")
                            : tr("The customer was not notified: %1.").arg(result.value().noticeSkipped);
            }
            if (m_current && m_current->id == a.id) {
                m_current = a;
                fill();
                loadExtras();
                showBanner(text, false);
            }
            Q_EMIT message(text);
            Q_EMIT applicationChanged(a);
        });
}

void ApplicationDetails::saveNote()
{
    if (!m_current || !hasUnsavedNote())
        return;
    const Application seen = *m_current;
    const QString note = m_note->toPlainText();
    const QString assignee = m_assignee->text().trimmed();
    const QString actor = m_session.actor();
    m_saveNote->setEnabled(false);
    m_session.call(
        this,
        [seen, note, assignee, actor](DbConnection& db) {
            return ApplicationRepository(db).updateNote(seen.id, seen.version, note, assignee, actor);
        },
        [this, note, assignee](Expected<Application, DbError> result) {
            if (!result) {
                updateNoteButtons();
                handleEditError(result.error(), tr("The note was not saved"));
                return;
            }
            const Application& a = result.value();
            // Saved what was sent; anything typed since stays a draft.
            auto draft = m_drafts.find(a.id);
            if (draft != m_drafts.end() && draft->note == note && draft->assignee == assignee)
                m_drafts.erase(draft);
            if (m_current && m_current->id == a.id) {
                m_current = a;
                fill();
                loadExtras();
                showBanner(tr("The note is saved."), false);
            }
            Q_EMIT message(tr("Note for application №%1 saved").arg(a.number));
            Q_EMIT applicationChanged(a);
        });
}

void ApplicationDetails::handleEditError(const DbError& error, const QString& what)
{
    if (error.kind() != DbError::Kind::Conflict) {
        showBanner(u"%1: %2"_s.arg(what, error.message()), true);
        return;
    }
    // Someone else changed it first: show their version, keep ours as a draft, overwrite nothing.
    showBanner(tr("%1: another manager changed this application a moment ago. The current state is shown "
                  "below; your unsaved note is kept — review it and save again.")
                   .arg(what),
               true);
    if (!m_current)
        return;
    const qint64 id = m_current->id;
    m_session.call(
        this, [id](DbConnection& db) { return ApplicationRepository(db).findById(id); },
        [this](Expected<std::optional<Application>, DbError> found) {
            if (!found || !found.value())
                return;
            applicationUpdated(*found.value());
            Q_EMIT applicationChanged(*found.value());
        });
}

void ApplicationDetails::loadExtras()
{
    if (!m_current)
        return;
    const quint64 generation = ++m_extrasGeneration;
    const qint64 id = m_current->id;
    m_session.call(
        this, [id](DbConnection& db) { return ApplicationRepository(db).events(id); },
        [this, generation](Expected<QList<ApplicationEvent>, DbError> events) {
            if (generation != m_extrasGeneration)
                return;
            m_history->clear();
            if (!events) {
                showBanner(events.error().message(), true);
                Q_EMIT detailsLoaded();
                return;
            }
            // Newest first: what happened last is what the manager wants to see.
            for (auto it = events.value().crbegin(); it != events.value().crend(); ++it) {
                QString what = it->kind;
                if (it->kind == "status_changed"_L1) {
                    auto from = ApplicationStatuses::fromCode(it->oldValue);
                    auto to = ApplicationStatuses::fromCode(it->newValue);
                    what = tr("status: %1 → %2")
                               .arg(from ? ApplicationStatuses::displayName(*from) : it->oldValue,
                                    to ? ApplicationStatuses::displayName(*to) : it->newValue);
                } else if (it->kind == "created"_L1) {
                    what = tr("application filed");
                } else if (it->kind == "contacts_updated"_L1) {
                    what = tr("contacts updated: %1").arg(it->newValue);
                } else if (it->kind == "package_changed"_L1) {
                    what = tr("package: %1 → %2").arg(packageTitle(it->oldValue), packageTitle(it->newValue));
                } else if (it->kind == "note_changed"_L1) {
                    what = tr("note changed");
                } else if (it->kind == "assignee_changed"_L1) {
                    what = tr("assignee: %1").arg(it->newValue.isEmpty() ? tr("nobody") : it->newValue);
                }
                auto* item = new QTreeWidgetItem({localDateTime(it->createdAt), it->actor, what});
                item->setToolTip(2, what);
                m_history->addTopLevelItem(item);
            }
            m_history->resizeColumnToContents(0);
            m_history->resizeColumnToContents(1);
            loadActivity(generation);
        });
}

void ApplicationDetails::loadActivity(quint64 generation)
{
    const qint64 telegramId = m_current ? m_current->telegramId : 0;
    m_session.call(
        this,
        [telegramId](DbConnection& db) {
            return ActivityRepository(db).timeline(telegramId, {}, ActivityRows);
        },
        [this, generation](Expected<TimelinePage, DbError> page) {
            if (generation != m_extrasGeneration)
                return;
            m_activity->clear();
            if (!page) {
                showBanner(page.error().message(), true);
                Q_EMIT detailsLoaded(); // loaded, with the reason shown instead of the activity
                return;
            }
            for (const TimelineEvent& event : std::as_const(page.value().rows)) {
                auto* item = new QTreeWidgetItem(
                    {localDateTime(event.at), TimelineModel::actionName(event.action),
                     event.packageCode.isEmpty() ? QString() : packageTitle(event.packageCode)});
                item->setToolTip(1, ActivityRepository::summarize(event.data));
                m_activity->addTopLevelItem(item);
            }
            m_activity->resizeColumnToContents(0);
            m_activity->resizeColumnToContents(1);
            Q_EMIT detailsLoaded();
        });
}

} // namespace salesbot
