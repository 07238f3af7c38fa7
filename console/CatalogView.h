#pragma once

// The Catalog tab: the packages in a table and an editor form for one of them (new packages too), saved
// through PackageRepository; an unsaved edit is never lost to a row switch or to a change made elsewhere.

#include "Package.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace salesbot {

class ConsoleSession;
class PackagesModel;

class CatalogView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CatalogView)

public:
    explicit CatalogView(ConsoleSession& session, QWidget* parent = nullptr);

    // Reloads the catalog; the package in the form stays selected. An unsaved edit is kept as it is.
    void refresh();

    // The form: fill it from a record, read a record back (nullopt and `error` set when it is invalid).
    void fillForm(const Package& package, bool isNew);
    std::optional<Package> readForm(QString* error) const;
    bool isDirty() const;
    bool isNew() const { return m_isNew; }
    // Validates and saves asynchronously (saved() or saveFailed() follows); false when refused at once.
    bool save();
    void revert();
    // Starts a new package with a free code; asks first when there is an unsaved edit.
    void newPackage();
    // Discards any edit and reloads (the "changed elsewhere" notice's button).
    void reloadDiscardingEdits();

    PackagesModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QString message() const;
    bool isChangedElsewhereNoticeVisible() const;

    enum class UnsavedChoice
    {
        Save,
        Discard,
        Cancel,
    };

Q_SIGNALS:
    // The catalog is on screen (after every refresh).
    void loaded();
    void saved(const salesbot::Package& package);
    void saveFailed(const QString& message);

private:
    void onCatalogChanged();
    void onCurrentRowChanged(const QModelIndex& current, const QModelIndex& previous);
    void selectCode(const QString& code);
    UnsavedChoice askAboutUnsavedChanges();
    QStringList snapshot() const;
    void markClean();
    void updateButtons();
    void showMessage(const QString& text, bool error);
    QString suggestCode() const;

    ConsoleSession& m_session;
    PackagesModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QFrame* m_notice = nullptr;
    QLineEdit* m_code = nullptr;
    QLineEdit* m_title = nullptr;
    QPlainTextEdit* m_summary = nullptr;
    QPlainTextEdit* m_features = nullptr;
    QLineEdit* m_price = nullptr;
    QLineEdit* m_timeline = nullptr;
    QSpinBox* m_sortOrder = nullptr;
    QCheckBox* m_active = nullptr;
    QPushButton* m_saveButton = nullptr;
    QPushButton* m_revertButton = nullptr;
    QPushButton* m_newButton = nullptr;
    QLabel* m_message = nullptr;

    std::optional<Package> m_original; // what the form was filled from (nullopt: nothing yet)
    bool m_isNew = false;
    QStringList m_clean; // the form's texts when it was filled or saved
    bool m_saving = false;
    bool m_loading = false;
    bool m_selecting = false; // the selection is being changed by code, not by the operator
    QString m_afterSaveCode;  // the row the operator asked for while an edit was being saved
};

} // namespace salesbot
