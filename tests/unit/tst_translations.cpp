// Every user-visible string has a Russian translation, and the .ts files are in step with the sources
// (a string added in code but not run through lupdate fails here).

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

struct Message
{
    QString context;
    QString source;
    QStringList translations;
    bool unfinished = false;
};

QList<Message> readTs(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<Message> result;
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == "name"_L1) {
                context = xml.readElementText();
            } else if (xml.name() == "message"_L1) {
                current = Message{context, {}, {}, false};
            } else if (xml.name() == "source"_L1) {
                current.source = xml.readElementText();
            } else if (xml.name() == "translation"_L1) {
                const auto type = xml.attributes().value("type"_L1);
                current.unfinished =
                    type == "unfinished"_L1 || type == "vanished"_L1 || type == "obsolete"_L1;
            } else if (xml.name() == "numerusform"_L1) {
                current.translations << xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == "message"_L1) {
            result << current;
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return result;
}

// The translation text of plain messages (QXmlStreamReader::readElementText would skip numerus forms).
QList<Message> readTsWithText(const QString& path, QString* error)
{
    QList<Message> messages = readTs(path, error);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return messages;
    QXmlStreamReader xml(&file);
    int index = -1;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == "message"_L1) {
            ++index;
        } else if (xml.isStartElement() && xml.name() == "translation"_L1 && index >= 0 &&
                   index < messages.size() && messages[index].translations.isEmpty()) {
            // readElementText fails on child elements; plain translations have none.
            const QString text = xml.readElementText(QXmlStreamReader::SkipChildElements);
            if (!text.trimmed().isEmpty())
                messages[index].translations << text;
        }
    }
    return messages;
}

QStringList placeholders(const QString& text)
{
    static const QRegularExpression pattern(u"%L?\\d+|%n"_s);
    QStringList result;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        result << it.next().captured();
    result.sort();
    return result;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyStringHasARussianTranslation_data();
    void everyStringHasARussianTranslation();
    void tsFilesAreInStepWithTheSources_data();
    void tsFilesAreInStepWithTheSources();
};

void TestTranslations::everyStringHasARussianTranslation_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(qEnvironmentVariable("SALESBOT_SOURCE_DIR") + u"/translations"_s);
    const QStringList files = dir.entryList({u"*_ru.ts"_s}, QDir::Files);
    QVERIFY2(files.size() >= 3, qPrintable(dir.path()));
    for (const QString& file : files)
        QTest::newRow(qPrintable(file)) << dir.filePath(file);
}

void TestTranslations::everyStringHasARussianTranslation()
{
    QFETCH(QString, path);
    QString error;
    const QList<Message> messages = readTsWithText(path, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList missing;
    for (const Message& m : messages) {
        const bool empty =
            m.translations.isEmpty() || std::any_of(m.translations.begin(), m.translations.end(),
                                                    [](const QString& t) { return t.trimmed().isEmpty(); });
        if (m.unfinished || empty) {
            missing << m.context + u": "_s + m.source.left(60);
            continue;
        }
        for (const QString& t : m.translations) {
            if (placeholders(t) != placeholders(m.source))
                missing << u"placeholders differ in "_s + m.context + u": "_s + m.source.left(60);
        }
    }
    QVERIFY2(missing.isEmpty(), qPrintable(u"untranslated or broken:\n  "_s + missing.join(u"\n  "_s)));
}

void TestTranslations::tsFilesAreInStepWithTheSources_data()
{
    QTest::addColumn<QString>("ts");
    QTest::addColumn<QString>("sources");
    QTest::newRow("core") << u"salesbot_core_ru.ts"_s << u"shared"_s;
    QTest::newRow("engine") << u"salesbot_engine_ru.ts"_s << u"engine"_s;
    QTest::newRow("console") << u"salesbot_console_ru.ts"_s << u"console"_s;
}

void TestTranslations::tsFilesAreInStepWithTheSources()
{
    QFETCH(QString, ts);
    QFETCH(QString, sources);
    const QString lupdate = qEnvironmentVariable("SALESBOT_LUPDATE");
    QVERIFY2(QFile::exists(lupdate), "SALESBOT_LUPDATE must name Qt's lupdate (set by CMake)");
    const QString root = qEnvironmentVariable("SALESBOT_SOURCE_DIR");
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString copy = tmp.filePath(ts);
    QVERIFY(QFile::copy(root + u"/translations/"_s + ts, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    QProcess process;
    process.start(lupdate, {u"-no-obsolete"_s, u"-locations"_s, u"none"_s, u"-silent"_s,
                            root + u'/' + sources, u"-ts"_s, copy});
    QVERIFY(process.waitForFinished(120'000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    QString error;
    auto keys = [](const QList<Message>& messages) {
        QSet<QString> result;
        for (const Message& m : messages)
            result.insert(m.context + u'\x1f' + m.source);
        return result;
    };
    const QSet<QString> committed = keys(readTs(root + u"/translations/"_s + ts, &error));
    const QSet<QString> current = keys(readTs(copy, &error));
    QStringList added;
    for (const QString& k : current - committed)
        added << k.section(u'\x1f', 1).left(60);
    QStringList removed;
    for (const QString& k : committed - current)
        removed << k.section(u'\x1f', 1).left(60);
    QVERIFY2(
        added.isEmpty() && removed.isEmpty(),
        qPrintable(
            u"run `cmake --build build --target update_translations` and translate; new: %1; gone: %2"_s.arg(
                added.join(u" | "_s), removed.join(u" | "_s))));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
