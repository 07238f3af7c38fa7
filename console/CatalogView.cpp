#include "CatalogView.h"

#include "ConsoleSession.h"
#include "PackageRepository.h"
#include "PackagesModel.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTextDocument>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

// The packages.code CHECK of the schema.
const QRegularExpression CodePattern(u"^[a-z][a-z0-9_]{0,31}$"_s);
constexpr int MaxTitleLength = 64; // packages.title CHECK, in characters

// The text as typed: QTextDocument keeps paragraph breaks as U+2029 and toPlainText() would also turn
// non-breaking spaces into plain ones.
QString rawText(const QPlainTextEdit* edit)
{
    QString text = edit->document()->toRawText();
    text.replace(QChar::ParagraphSeparator, u'\n');
    return text;
}

} // namespace

CatalogView::CatalogView(ConsoleSession& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new PackagesModel(this))
{
    m_table = new QTableView(this);
    m_table->setObjectName(u"catalogTable"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);

    m_notice = new QFrame(this);
    m_notice->setObjectName(u"catalogChangedNotice"_s);
    m_notice->setFrameShape(QFrame::StyledPanel);
    m_notice->setStyleSheet(u"#catalogChangedNotice { background: #fff4ce; color: #3b2f00; }"_s);
    auto* noticeText =
        new QLabel(tr("The catalog was changed elsewhere. Reload it? Your unsaved edit will be "
                      "lost."),
                   m_notice);
    noticeText->setWordWrap(true);
    auto* reloadButton = new QPushButton(tr("Reload"), m_notice);
    auto* keepButton = new QPushButton(tr("Keep editing"), m_notice);
    auto* noticeLayout = new QHBoxLayout(m_notice);
    noticeLayout->addWidget(noticeText, 1);
    noticeLayout->addWidget(reloadButton);
    noticeLayout->addWidget(keepButton);
    m_notice->hide();
    connect(reloadButton, &QPushButton::clicked, this, &CatalogView::reloadDiscardingEdits);
    connect(keepButton, &QPushButton::clicked, m_notice, &QWidget::hide);

    auto* form = new QWidget(this);
    m_code = new QLineEdit(form);
    m_code->setObjectName(u"packageCode"_s);
    m_code->setValidator(new QRegularExpressionValidator(CodePattern, m_code));
    m_code->setToolTip(tr("Latin lowercase letters, digits and _; starts with a letter; fixed once saved"));
    m_title = new QLineEdit(form);
    m_title->setObjectName(u"packageTitle"_s);
    m_title->setMaxLength(MaxTitleLength);
    m_summary = new QPlainTextEdit(form);
    m_summary->setObjectName(u"packageSummary"_s);
    m_summary->setTabChangesFocus(true);
    m_summary->setFixedHeight(m_summary->fontMetrics().lineSpacing() * 3 + 12);
    m_features = new QPlainTextEdit(form);
    m_features->setObjectName(u"packageFeatures"_s);
    m_features->setTabChangesFocus(true);
    m_features->setPlaceholderText(tr("One feature per line"));
    m_price = new QLineEdit(form);
    m_price->setObjectName(u"packagePrice"_s);
    m_price->setPlaceholderText(tr("e.g. 15000"));
    m_timeline = new QLineEdit(form);
    m_timeline->setObjectName(u"packageTimeline"_s);
    m_timeline->setPlaceholderText(tr("e.g. 2–3 weeks"));
    m_sortOrder = new QSpinBox(form);
    m_sortOrder->setObjectName(u"packageSortOrder"_s);
    m_sortOrder->setRange(-1000000, 1000000);
    m_sortOrder->setToolTip(tr("Packages are shown in ascending order"));
    m_active = new QCheckBox(tr("Shown to customers"), form);
    m_active->setObjectName(u"packageActive"_s);

    auto* fields = new QFormLayout;
    fields->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    fields->addRow(tr("Code"), m_code);
    fields->addRow(tr("Title"), m_title);
    fields->addRow(tr("Summary"), m_summary);
    fields->addRow(tr("Features"), m_features);
    fields->addRow(tr("Price from, RUB"), m_price);
    fields->addRow(tr("Timeline"), m_timeline);
    fields->addRow(tr("Order"), m_sortOrder);
    fields->addRow(tr("Active"), m_active);

    m_message = new QLabel(form);
    m_message->setObjectName(u"catalogMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_saveButton = new QPushButton(tr("Save"), form);
    m_saveButton->setObjectName(u"catalogSave"_s);
    m_saveButton->setDefault(true);
    m_saveButton->setShortcut(QKeySequence::Save);
    m_revertButton = new QPushButton(tr("Revert"), form);
    m_revertButton->setObjectName(u"catalogRevert"_s);
    m_newButton = new QPushButton(tr("New package"), form);
    m_newButton->setObjectName(u"catalogNew"_s);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_newButton);
    buttons->addStretch(1);
    buttons->addWidget(m_revertButton);
    buttons->addWidget(m_saveButton);

    auto* formLayout = new QVBoxLayout(form);
    formLayout->setContentsMargins(8, 0, 0, 0);
    formLayout->addLayout(fields);
    formLayout->addWidget(m_message);
    formLayout->addStretch(1);
    formLayout->addLayout(buttons);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(form);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_notice);
    layout->addWidget(splitter, 1);

    connect(m_saveButton, &QPushButton::clicked, this, [this] { save(); });
    connect(m_revertButton, &QPushButton::clicked, this, &CatalogView::revert);
    connect(m_newButton, &QPushButton::clicked, this, &CatalogView::newPackage);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CatalogView::onCurrentRowChanged);
    connect(&m_session, &ConsoleSession::catalogChanged, this, &CatalogView::onCatalogChanged);
    for (QLineEdit* edit : {m_code, m_title, m_price, m_timeline})
        connect(edit, &QLineEdit::textChanged, this, &CatalogView::updateButtons);
    for (QPlainTextEdit* edit : {m_summary, m_features})
        connect(edit, &QPlainTextEdit::textChanged, this, &CatalogView::updateButtons);
    connect(m_sortOrder, &QSpinBox::valueChanged, this, &CatalogView::updateButtons);
    connect(m_active, &QCheckBox::toggled, this, &CatalogView::updateButtons);

    fillForm(Package{}, true);
    m_original.reset();
    refresh();
}

QStringList CatalogView::snapshot() const
{
    return {m_code->text(),
            m_title->text(),
            rawText(m_summary),
            rawText(m_features),
            m_price->text(),
            m_timeline->text(),
            QString::number(m_sortOrder->value()),
            m_active->isChecked() ? u"1"_s : u"0"_s};
}

void CatalogView::markClean()
{
    m_clean = snapshot();
    updateButtons();
}

bool CatalogView::isDirty() const
{
    return snapshot() != m_clean;
}

void CatalogView::updateButtons()
{
    const bool dirty = isDirty();
    m_saveButton->setEnabled(!m_saving && (dirty || m_isNew) && m_original.has_value());
    m_revertButton->setEnabled(!m_saving && dirty);
    m_newButton->setEnabled(!m_saving);
}

void CatalogView::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #b3261e;"_s : QString());
}

QString CatalogView::message() const
{
    return m_message->text();
}

bool CatalogView::isChangedElsewhereNoticeVisible() const
{
    return !m_notice->isHidden();
}

void CatalogView::fillForm(const Package& p, bool isNew)
{
    m_original = p;
    m_isNew = isNew;
    m_code->setText(p.code);
    m_code->setReadOnly(!isNew);
    m_title->setText(p.title);
    m_summary->setPlainText(p.summary);
    m_features->setPlainText(p.features.join(u'\n'));
    m_price->setText(isNew && p.priceFrom == 0 && p.title.isEmpty() ? QString()
                                                                    : QString::number(p.priceFrom));
    m_timeline->setText(p.timeline);
    m_sortOrder->setValue(p.sortOrder);
    m_active->setChecked(p.active);
    showMessage(isNew ? tr("New package: fill in the form and save.") : QString(), false);
    markClean();
}

std::optional<Package> CatalogView::readForm(QString* error) const
{
    auto refuse = [error](const QString& why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    Package p = m_original.value_or(Package{});
    p.code = m_isNew ? m_code->text().trimmed() : p.code;
    if (!CodePattern.match(p.code).hasMatch())
        return refuse(tr("The code must start with a Latin lowercase letter and contain only a–z, 0–9 and _ "
                         "(at most 32 characters)."));
    if (m_isNew && m_model->rowOf(p.code) >= 0)
        return refuse(tr("A package with the code “%1” already exists.").arg(p.code));
    p.title = m_title->text().trimmed();
    if (p.title.isEmpty())
        return refuse(tr("The title must not be empty."));
    if (p.title.toUcs4().size() > MaxTitleLength)
        return refuse(tr("The title is longer than %1 characters.").arg(MaxTitleLength));
    QString price = m_price->text();
    price.remove(QRegularExpression(u"\\s"_s)); // "15 000" as the table shows it
    bool ok = false;
    const qlonglong roubles = price.toLongLong(&ok);
    if (!ok || roubles < 0 || roubles > std::numeric_limits<int>::max())
        return refuse(tr("The price must be a whole number of roubles, 0 or more."));
    p.priceFrom = int(roubles);
    p.summary = rawText(m_summary);
    p.features.clear();
    for (const QString& line : rawText(m_features).split(u'\n')) {
        if (!line.trimmed().isEmpty())
            p.features.append(line.trimmed());
    }
    p.timeline = m_timeline->text().trimmed();
    p.sortOrder = m_sortOrder->value();
    p.active = m_active->isChecked();
    return p;
}

bool CatalogView::save()
{
    if (m_saving || !m_original)
        return false;
    QString error;
    const std::optional<Package> package = readForm(&error);
    if (!package) {
        showMessage(error, true);
        Q_EMIT saveFailed(error);
        return false;
    }
    m_saving = true;
    updateButtons();
    showMessage(tr("Saving…"), false);
    m_session.call(
        this,
        [p = *package, isNew = m_isNew](DbConnection& db) {
            return isNew ? PackageRepository(db).create(p) : PackageRepository(db).save(p);
        },
        [this](Expected<Package, DbError> result) {
            m_saving = false;
            if (!result) {
                m_afterSaveCode.clear();
                const QString why = tr("Could not save the package: %1").arg(result.error().message());
                showMessage(why, true);
                updateButtons();
                Q_EMIT saveFailed(why);
                return;
            }
            m_model->upsert(*result);
            const QString next = std::exchange(m_afterSaveCode, QString());
            const int nextRow = next.isEmpty() ? -1 : m_model->rowOf(next);
            if (nextRow >= 0)
                fillForm(m_model->package(nextRow), false);
            else
                fillForm(*result, false);
            showMessage(tr("Saved “%1”.").arg(result->title), false);
            selectCode(m_original->code);
            Q_EMIT saved(*result);
        });
    return true;
}

void CatalogView::revert()
{
    if (!m_original)
        return;
    fillForm(*m_original, m_isNew);
}

QString CatalogView::suggestCode() const
{
    for (int n = int(m_model->rowCount()) + 1;; ++n) {
        const QString code = u"package_%1"_s.arg(n);
        if (m_model->rowOf(code) < 0)
            return code;
    }
}

void CatalogView::newPackage()
{
    if (isDirty()) {
        const UnsavedChoice choice = askAboutUnsavedChanges();
        if (choice == UnsavedChoice::Cancel)
            return;
        if (choice == UnsavedChoice::Save) {
            save();
            return; // the new form would replace the edit before it is saved; the operator clicks again
        }
    }
    Package p;
    p.code = suggestCode();
    int maxOrder = 0;
    for (const Package& existing : m_model->packages())
        maxOrder = qMax(maxOrder, existing.sortOrder);
    p.sortOrder = maxOrder + 10;
    p.active = false; // a new package is hidden from customers until the manager switches it on
    fillForm(p, true);
    {
        const QSignalBlocker block(m_table->selectionModel());
        m_table->clearSelection();
        m_table->selectionModel()->setCurrentIndex({}, QItemSelectionModel::NoUpdate);
    }
    m_title->setFocus();
}

void CatalogView::refresh()
{
    if (m_loading)
        return;
    m_loading = true;
    m_session.call(
        this, [](DbConnection& db) { return PackageRepository(db).list(true); },
        [this](Expected<QList<Package>, DbError> packages) {
            m_loading = false;
            if (!packages) {
                showMessage(tr("Could not load the catalog: %1").arg(packages.error().message()), true);
                return;
            }
            const bool dirty = isDirty();
            const QString code = m_original && !m_isNew ? m_original->code : QString();
            {
                const QSignalBlocker block(m_table->selectionModel());
                m_model->setPackages(*packages);
            }
            const int row = code.isEmpty() ? -1 : m_model->rowOf(code);
            if (dirty) {
                // Keep the edit; tell the operator when the package they edit changed underneath.
                if (row >= 0 && m_model->package(row) != *m_original)
                    m_notice->show();
                else if (row < 0 && !m_isNew)
                    m_notice->show();
            } else if (row >= 0) {
                fillForm(m_model->package(row), false);
                m_notice->hide();
            } else if (!m_isNew || !m_original) {
                if (m_model->rowCount() > 0)
                    fillForm(m_model->package(0), false);
                m_notice->hide();
            }
            if (m_original && !m_isNew)
                selectCode(m_original->code);
            m_table->resizeColumnsToContents();
            m_table->horizontalHeader()->setSectionResizeMode(PackagesModel::Title, QHeaderView::Stretch);
            updateButtons();
            Q_EMIT loaded();
        });
}

void CatalogView::reloadDiscardingEdits()
{
    m_notice->hide();
    if (m_original)
        fillForm(*m_original, m_isNew); // clean, so refresh() takes the stored version
    refresh();
}

void CatalogView::onCatalogChanged()
{
    // refresh() keeps an unsaved edit and raises the notice when the edited package changed.
    refresh();
}

void CatalogView::selectCode(const QString& code)
{
    const int row = m_model->rowOf(code);
    const QSignalBlocker block(m_table->selectionModel());
    if (row < 0) {
        m_table->clearSelection();
        return;
    }
    m_table->selectionModel()->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::ClearAndSelect |
                                                                           QItemSelectionModel::Rows);
    m_table->scrollTo(m_model->index(row, 0));
}

CatalogView::UnsavedChoice CatalogView::askAboutUnsavedChanges()
{
    QMessageBox box(QMessageBox::Question, tr("Unsaved changes"),
                    tr("The package “%1” has unsaved changes.").arg(m_title->text()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setInformativeText(tr("Save them before switching?"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return UnsavedChoice::Save;
    case QMessageBox::Discard:
        return UnsavedChoice::Discard;
    default:
        return UnsavedChoice::Cancel;
    }
}

void CatalogView::onCurrentRowChanged(const QModelIndex& current, const QModelIndex&)
{
    if (!current.isValid())
        return;
    const Package& target = m_model->package(current.row());
    if (m_original && !m_isNew && target.code == m_original->code)
        return;
    if (isDirty() || m_saving) {
        const UnsavedChoice choice = m_saving ? UnsavedChoice::Cancel : askAboutUnsavedChanges();
        if (choice == UnsavedChoice::Discard) {
            fillForm(target, false);
            return;
        }
        if (choice == UnsavedChoice::Save) {
            m_afterSaveCode = target.code;
            if (save())
                return; // the form moves to the target once the save is done
            m_afterSaveCode.clear();
        }
        // Stay on the edited package.
        selectCode(m_original && !m_isNew ? m_original->code : QString());
        return;
    }
    fillForm(target, false);
}

} // namespace salesbot
