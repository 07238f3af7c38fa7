// The Catalog tab against a real database: PackagesModel under QAbstractItemModelTester, the edit round trip
// through the form, hostile text stored verbatim, invalid input refused with a message, the unsaved-changes
// guard, and reloads when the catalog changes elsewhere (a real NOTIFY on PostgreSQL).

#include "CatalogView.h"
#include "ConsoleSession.h"
#include "PackageRepository.h"
#include "PackagesModel.h"
#include "TestDatabase.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace salesbot;
using namespace salesbot::test;

class TestCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void modelPassesTesterAndShowsTheCatalog();
    void editRoundTrip();
    void hostileTextIsStoredVerbatim();
    void invalidInputIsRefused_data();
    void invalidInputIsRefused();
    void newPackageGetsAValidCode();
    void revertRestoresTheRecord();
    void unsavedEditSurvivesARowSwitch();
    void changeElsewhereReloadsACleanForm();
    void changeElsewhereDuringAnEditShowsANotice();

private:
    std::unique_ptr<CatalogView> makeView();
    Package stored(const QString& code);
    void selectRow(CatalogView& view, const QString& code);
    // Clicks `button` in the message box that the next action opens.
    void answerNextMessageBox(QMessageBox::StandardButton button);
    template <typename T>
    T* field(CatalogView& view, const char* name)
    {
        T* widget = view.findChild<T*>(QString::fromLatin1(name));
        if (!widget)
            qFatal("no field %s", name);
        return widget;
    }
    bool saveAndWait(CatalogView& view);
    void saveShot(QWidget& widget, const QString& name);

    std::unique_ptr<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db;
    std::unique_ptr<ConsoleSession> m_session;
};

void TestCatalog::init()
{
    auto created = TestDatabase::create();
    QVERIFY2(created, qPrintable(created ? QString() : created.error()));
    m_database = std::move(created.value());
    m_db = m_database->connectMigrated();
    QVERIFY(m_db);
    m_session = std::make_unique<ConsoleSession>(m_database->settings());
}

void TestCatalog::cleanup()
{
    m_session.reset();
    m_db.reset();
    m_database.reset();
}

std::unique_ptr<CatalogView> TestCatalog::makeView()
{
    auto view = std::make_unique<CatalogView>(*m_session);
    QSignalSpy loaded(view.get(), &CatalogView::loaded);
    view->resize(1200, 800);
    view->show();
    if (!loaded.wait(10000))
        qWarning("the catalog did not load");
    return view;
}

Package TestCatalog::stored(const QString& code)
{
    auto found = PackageRepository(*m_db).find(code);
    if (!found || !found.value())
        return {};
    return *found.value();
}

void TestCatalog::selectRow(CatalogView& view, const QString& code)
{
    const int row = view.model()->rowOf(code);
    QVERIFY(row >= 0);
    view.table()->selectRow(row);
}

void TestCatalog::answerNextMessageBox(QMessageBox::StandardButton button)
{
    QTimer::singleShot(0, this, [button] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) {
            qWarning("no message box");
            return;
        }
        box->button(button)->click();
    });
}

bool TestCatalog::saveAndWait(CatalogView& view)
{
    QSignalSpy saved(&view, &CatalogView::saved);
    if (!view.save())
        return false;
    return saved.wait(10000);
}

void TestCatalog::saveShot(QWidget& widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("SALESBOT_SHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QVERIFY(widget.grab().save(QDir(dir).filePath(name + u"-"_s + TestDatabase::backendName() + u".png"_s)));
}

void TestCatalog::modelPassesTesterAndShowsTheCatalog()
{
    CatalogView view(*m_session);
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&view, &CatalogView::loaded);
    view.resize(1200, 800);
    view.show();
    QVERIFY(loaded.wait(10000));
    const QList<Package> expected = PackageRepository(*m_db).list(true).value();
    QCOMPARE(view.model()->rowCount(), int(expected.size()));
    QCOMPARE(view.model()->packages(), expected);
    QCOMPARE(view.model()->index(0, PackagesModel::Title).data().toString(), u"Базовый"_s);
    QCOMPARE(view.model()->index(0, PackagesModel::Code).data(Qt::UserRole).toString(), u"basic"_s);
    // The first package is in the form, clean.
    QCOMPARE(field<QLineEdit>(view, "packageTitle")->text(), u"Базовый"_s);
    QVERIFY(field<QLineEdit>(view, "packageCode")->isReadOnly());
    QVERIFY(!view.isDirty());
    QCOMPARE(view.readForm(nullptr).value(), expected.at(0));
    // upsert keeps the model consistent for the tester.
    Package extra = expected.at(1);
    extra.title = u"Изменён"_s;
    QCOMPARE(view.model()->upsert(extra), 1);
    extra.code = u"zzz"_s;
    QCOMPARE(view.model()->upsert(extra), 3);
    QCOMPARE(view.model()->rowCount(), 4);
    saveShot(view, u"catalog"_s);
}

void TestCatalog::editRoundTrip()
{
    auto view = makeView();
    selectRow(*view, u"advanced"_s);
    QCOMPARE(field<QLineEdit>(*view, "packageTitle")->text(), u"Продвинутый"_s);
    field<QLineEdit>(*view, "packageTitle")->setText(u"Продвинутый+"_s);
    field<QPlainTextEdit>(*view, "packageSummary")->setPlainText(u"Бот для продаж\nс интеграциями"_s);
    field<QPlainTextEdit>(*view, "packageFeatures")->setPlainText(u"  CRM  \n\nОплата\nРассылки\n"_s);
    field<QLineEdit>(*view, "packagePrice")->setText(u"49 900"_s);
    field<QLineEdit>(*view, "packageTimeline")->setText(u"3 недели"_s);
    field<QSpinBox>(*view, "packageSortOrder")->setValue(5);
    field<QCheckBox>(*view, "packageActive")->setChecked(false);
    QVERIFY(view->isDirty());
    const Package edited = view->readForm(nullptr).value();
    QVERIFY(saveAndWait(*view));
    QVERIFY(!view->isDirty());

    const Package back = stored(u"advanced"_s);
    QCOMPARE(back.title, u"Продвинутый+"_s);
    QCOMPARE(back.summary, u"Бот для продаж\nс интеграциями"_s);
    QCOMPARE(back.features, (QStringList{u"CRM"_s, u"Оплата"_s, u"Рассылки"_s}));
    QCOMPARE(back.priceFrom, 49900);
    QCOMPARE(back.timeline, u"3 недели"_s);
    QCOMPARE(back.sortOrder, 5);
    QCOMPARE(back.active, false);
    Package withoutTime = back;
    withoutTime.updatedAt = edited.updatedAt;
    QCOMPARE(withoutTime, edited);
    // The table shows the stored record, and the form was refilled from it.
    const int row = view->model()->rowOf(u"advanced"_s);
    QCOMPARE(view->model()->package(row), back);
    QCOMPARE(view->readForm(nullptr).value(), back);
    QCOMPARE(PackageRepository(*m_db).list(true).value().size(), 3);
}

void TestCatalog::hostileTextIsStoredVerbatim()
{
    auto view = makeView();
    selectRow(*view, u"premium"_s);
    const QString title = u"'); DROP TABLE packages; -- <b>x</b> \u0007 🤖"_s;
    const QString summary =
        u"<script>alert(1)</script>\n\"quoted\" 'single' \\ back\\slash\ttab\u00a0nbsp \u200f\u202e rtl % _ \u001b[31m"_s;
    const QStringList features{u"<i>HTML</i> & entities &amp;"_s, u"Robert'); DROP TABLE users;--"_s,
                               u"{\"json\": [1, 2]}"_s, u"ctrl\u0001\u0002"_s};
    const QString timeline = u"${HOME} $(rm -rf /) %s %n"_s;
    field<QLineEdit>(*view, "packageTitle")->setText(title);
    field<QPlainTextEdit>(*view, "packageSummary")->setPlainText(summary);
    field<QPlainTextEdit>(*view, "packageFeatures")->setPlainText(features.join(u'\n'));
    field<QLineEdit>(*view, "packageTimeline")->setText(timeline);
    QVERIFY(saveAndWait(*view));
    const Package back = stored(u"premium"_s);
    QCOMPARE(back.title, title);
    QCOMPARE(back.summary, summary);
    QCOMPARE(back.features, features);
    QCOMPARE(back.timeline, timeline);
    QCOMPARE(PackageRepository(*m_db).list(true).value().size(), 3);
    // Shown as text, never as markup.
    QCOMPARE(view->model()->index(view->model()->rowOf(u"premium"_s), PackagesModel::Title).data().toString(),
             title);
}

void TestCatalog::invalidInputIsRefused_data()
{
    QTest::addColumn<QString>("fieldName");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("negative price") << u"packagePrice"_s << u"-5"_s << u"price"_s;
    QTest::newRow("text price") << u"packagePrice"_s << u"дорого"_s << u"price"_s;
    QTest::newRow("fractional price") << u"packagePrice"_s << u"1.5"_s << u"price"_s;
    QTest::newRow("huge price") << u"packagePrice"_s << u"99999999999"_s << u"price"_s;
    QTest::newRow("empty price") << u"packagePrice"_s << QString() << u"price"_s;
    QTest::newRow("blank title") << u"packageTitle"_s << u"   "_s << u"title"_s;
}

void TestCatalog::invalidInputIsRefused()
{
    QFETCH(QString, fieldName);
    QFETCH(QString, value);
    QFETCH(QString, messagePart);
    auto view = makeView();
    const Package before = stored(u"basic"_s);
    QLineEdit* edit = view->findChild<QLineEdit*>(fieldName);
    QVERIFY(edit);
    edit->setText(value);
    QSignalSpy failed(view.get(), &CatalogView::saveFailed);
    QString error;
    QVERIFY(!view->readForm(&error));
    QVERIFY(!view->save());
    QCOMPARE(failed.size(), 1);
    QVERIFY2(view->message().contains(messagePart, Qt::CaseInsensitive), qPrintable(view->message()));
    QCOMPARE(view->message(), error);
    QVERIFY(view->isDirty()); // the edit stays for the operator to fix
    QTest::qWait(50);
    QCOMPARE(stored(u"basic"_s), before);
}

void TestCatalog::newPackageGetsAValidCode()
{
    auto view = makeView();
    view->newPackage();
    QVERIFY(view->isNew());
    QLineEdit* code = field<QLineEdit>(*view, "packageCode");
    QVERIFY(!code->isReadOnly());
    QVERIFY(QRegularExpression(u"^[a-z][a-z0-9_]{0,31}$"_s).match(code->text()).hasMatch());
    QCOMPARE(view->model()->rowOf(code->text()), -1);

    // Codes the database would refuse, or one that exists, are refused here with a message.
    field<QLineEdit>(*view, "packageTitle")->setText(u"Консультация"_s);
    field<QLineEdit>(*view, "packagePrice")->setText(u"5000"_s);
    code->setText(u"basic"_s);
    QVERIFY(!view->save());
    QVERIFY2(view->message().contains(u"basic"_s), qPrintable(view->message()));
    QCOMPARE(stored(u"basic"_s).title, u"Базовый"_s);
    code->setText(QString());
    QVERIFY(!view->save());
    QVERIFY(!view->message().isEmpty());

    code->setText(u"consulting_1"_s);
    QVERIFY(saveAndWait(*view));
    const Package back = stored(u"consulting_1"_s);
    QCOMPARE(back.title, u"Консультация"_s);
    QCOMPARE(back.priceFrom, 5000);
    QCOMPARE(back.active, false); // hidden until switched on
    QVERIFY(!view->isNew());
    QVERIFY(code->isReadOnly());
    QCOMPARE(view->model()->rowCount(), 4);
    QCOMPARE(view->table()->currentIndex().row(), view->model()->rowOf(u"consulting_1"_s));
}

void TestCatalog::revertRestoresTheRecord()
{
    auto view = makeView();
    const Package basic = stored(u"basic"_s);
    field<QLineEdit>(*view, "packageTitle")->setText(u"Другое"_s);
    field<QCheckBox>(*view, "packageActive")->setChecked(false);
    QVERIFY(view->isDirty());
    view->revert();
    QVERIFY(!view->isDirty());
    QCOMPARE(view->readForm(nullptr).value(), basic);
}

void TestCatalog::unsavedEditSurvivesARowSwitch()
{
    auto view = makeView();
    QLineEdit* title = field<QLineEdit>(*view, "packageTitle");
    title->setText(u"Базовый (черновик)"_s);

    // Cancel: the selection goes back and the edit stays.
    answerNextMessageBox(QMessageBox::Cancel);
    selectRow(*view, u"premium"_s);
    QCOMPARE(view->table()->currentIndex().row(), view->model()->rowOf(u"basic"_s));
    QCOMPARE(title->text(), u"Базовый (черновик)"_s);
    QVERIFY(view->isDirty());

    // Save: the edit is stored, then the form moves on.
    answerNextMessageBox(QMessageBox::Save);
    QSignalSpy saved(view.get(), &CatalogView::saved);
    selectRow(*view, u"premium"_s);
    QVERIFY(saved.wait(10000));
    QCOMPARE(stored(u"basic"_s).title, u"Базовый (черновик)"_s);
    QCOMPARE(title->text(), u"Премиум"_s);
    QCOMPARE(view->table()->currentIndex().row(), view->model()->rowOf(u"premium"_s));

    // Discard: the edit goes, the other row comes.
    title->setText(u"Премиум (черновик)"_s);
    answerNextMessageBox(QMessageBox::Discard);
    selectRow(*view, u"advanced"_s);
    QCOMPARE(title->text(), u"Продвинутый"_s);
    QVERIFY(!view->isDirty());
    QCOMPARE(stored(u"premium"_s).title, u"Премиум"_s);
}

void TestCatalog::changeElsewhereReloadsACleanForm()
{
    auto view = makeView();
    QCOMPARE(field<QLineEdit>(*view, "packageTitle")->text(), u"Базовый"_s);
    QSignalSpy loaded(view.get(), &CatalogView::loaded);
    QSignalSpy changed(m_session.get(), &ConsoleSession::catalogChanged);
    // Another console (its own connection) edits the package this form shows.
    PackageRepository other(*m_db);
    Package basic = stored(u"basic"_s);
    if (TestDatabase::backend() == Dialect::PostgreSql) {
        // The real path: the trigger NOTIFYs salesbot_catalog, the session's listener emits catalogChanged.
        m_session->start(60000, 60000);
        // The listener subscribes on its own thread; keep changing until a notice comes through.
        for (int attempt = 0; attempt < 40 && changed.isEmpty(); ++attempt) {
            basic.title = u"Базовый %1"_s.arg(attempt);
            QVERIFY(other.save(basic));
            changed.wait(250);
        }
        QVERIFY2(!changed.isEmpty(), "no catalog notification arrived");
    } else {
        basic.title = u"Базовый 0"_s;
        QVERIFY(other.save(basic));
        Q_EMIT m_session->catalogChanged(); // what polling does on SQLite
    }
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 10000);
    const QString latest = stored(u"basic"_s).title;
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->package(view->model()->rowOf(u"basic"_s)).title, latest, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(field<QLineEdit>(*view, "packageTitle")->text(), latest, 10000);
    QVERIFY(!view->isDirty());
    QVERIFY(!view->isChangedElsewhereNoticeVisible());
}

void TestCatalog::changeElsewhereDuringAnEditShowsANotice()
{
    auto view = makeView();
    QLineEdit* title = field<QLineEdit>(*view, "packageTitle");
    title->setText(u"Моя правка"_s);
    Package basic = stored(u"basic"_s);
    basic.priceFrom = 17000;
    QVERIFY(PackageRepository(*m_db).save(basic));
    QSignalSpy loaded(view.get(), &CatalogView::loaded);
    Q_EMIT m_session->catalogChanged();
    QVERIFY(loaded.wait(10000));
    QVERIFY(view->isChangedElsewhereNoticeVisible());
    QCOMPARE(title->text(), u"Моя правка"_s); // nothing lost
    QVERIFY(view->isDirty());
    saveShot(*view, u"catalog-changed-elsewhere"_s);

    // The notice's Reload drops the edit and shows the stored version.
    loaded.clear();
    view->reloadDiscardingEdits();
    QVERIFY(loaded.wait(10000));
    QVERIFY(!view->isChangedElsewhereNoticeVisible());
    QCOMPARE(title->text(), u"Базовый"_s);
    QCOMPARE(field<QLineEdit>(*view, "packagePrice")->text(), u"17000"_s);
    QVERIFY(!view->isDirty());
}

QTEST_MAIN(TestCatalog)
#include "tst_catalog.moc"
