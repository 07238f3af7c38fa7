// Tests PersonName::validate against the dialog spec's name rules and hostile input.

#include "PersonName.h"

#include <QElapsedTimer>
#include <QMetaEnum>
#include <QTest>

using namespace Qt::StringLiterals;
using salesbot::PersonName;

namespace {

QString repeated(const QString& piece, int times)
{
    QString result;
    for (int i = 0; i < times; ++i)
        result += piece;
    return result;
}

} // namespace

class TestPersonName : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data();
    void accepted();
    void rejected_data();
    void rejected();
    void hugeInputIsCheap();
    void explainCoversEveryError();
};

void TestPersonName::accepted_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("cyrillic") << u"Анна"_s << u"Анна"_s;
    QTest::newRow("cyrillic with spaces") << u"  Иван  Петров  "_s << u"Иван Петров"_s;
    QTest::newRow("three words") << u"Иван   Иванович\u00A0\u00A0Петров"_s << u"Иван Иванович Петров"_s;
    QTest::newRow("outer tabs and line breaks trimmed") << u"\t\nОльга\n"_s << u"Ольга"_s;
    QTest::newRow("yo") << u"Пётр"_s << u"Пётр"_s;
    QTest::newRow("latin") << u"John Smith"_s << u"John Smith"_s;
    QTest::newRow("latin diacritics") << u"José Müller"_s << u"José Müller"_s;
    QTest::newRow("hyphen") << u"Мария-Луиза"_s << u"Мария-Луиза"_s;
    QTest::newRow("apostrophe") << u"O'Brien"_s << u"O'Brien"_s;
    QTest::newRow("typographic apostrophe") << u"D’Artagnan"_s << u"D’Artagnan"_s;
    QTest::newRow("initials with dots") << u"A. S. Pushkin"_s << u"A. S. Pushkin"_s;
    QTest::newRow("single letter") << u"Я"_s << u"Я"_s;
    QTest::newRow("chinese") << u"王小明"_s << u"王小明"_s;
    QTest::newRow("japanese") << u"やまだ たろう"_s << u"やまだ たろう"_s;
    QTest::newRow("arabic") << u"محمد"_s << u"محمد"_s;
    QTest::newRow("supplementary CJK letter") << u"𠀋子"_s << u"𠀋子"_s;
    QTest::newRow("emoji with letters") << u"Анна 🌸"_s << u"Анна 🌸"_s;
    QTest::newRow("emoji ZWJ sequence with letters")
        << u"Папа 👨‍👩‍👧"_s << u"Папа 👨‍👩‍👧"_s;
    QTest::newRow("digits with a letter") << u"Agent 007"_s << u"Agent 007"_s;
    QTest::newRow("exactly 64 code points") << QString(64, u'я') << QString(64, u'я');
    QTest::newRow("64 with surrogate pairs")
        << (u"A"_s + repeated(u"😀"_s, 63)) << (u"A"_s + repeated(u"😀"_s, 63));
    QTest::newRow("64 supplementary letters") << repeated(u"𠀋"_s, 64) << repeated(u"𠀋"_s, 64);
    QTest::newRow("collapsing brings it to 64") << (QString(32, u'a') + QString(10, u' ') + QString(31, u'b'))
                                                << (QString(32, u'a') + u' ' + QString(31, u'b'));
    QTest::newRow("padding does not count")
        << (QString(400, u' ') + u"Анна"_s + QString(400, u' ')) << u"Анна"_s;
    // Accepted as data: binding keeps SQL out of queries, renderers escape HTML.
    QTest::newRow("SQL fragment") << u"Robert'); DROP TABLE applications;--"_s
                                  << u"Robert'); DROP TABLE applications;--"_s;
    QTest::newRow("HTML") << u"<script>alert(1)</script>"_s << u"<script>alert(1)</script>"_s;
    QTest::newRow("left-to-right mark") << u"\u200EАнна"_s << u"\u200EАнна"_s;
}

void TestPersonName::accepted()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const auto result = PersonName::validate(input);
    if (!result)
        QFAIL(QMetaEnum::fromType<PersonName::Error>().valueToKey(static_cast<int>(result.error())));
    QCOMPARE(*result, expected);
}

void TestPersonName::rejected_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<PersonName::Error>("error");

    using E = PersonName::Error;
    QTest::newRow("empty") << QString() << E::Empty;
    QTest::newRow("spaces only") << u"     "_s << E::Empty;
    QTest::newRow("whitespace mix") << u" \t\n\u00A0\u3000 "_s << E::Empty;
    QTest::newRow("emoji only") << u"😀😀"_s << E::NoLetter;
    QTest::newRow("emoji ZWJ only") << u"👨‍👩‍👧"_s << E::NoLetter;
    QTest::newRow("digits only") << u"12345"_s << E::NoLetter;
    QTest::newRow("punctuation only") << u"-- ''' ..."_s << E::NoLetter;
    QTest::newRow("65 code points") << QString(65, u'я') << E::TooLong;
    QTest::newRow("65 with surrogate pairs") << (u"A"_s + repeated(u"😀"_s, 64)) << E::TooLong;
    QTest::newRow("65 after collapsing") << (QString(32, u'a') + u"  "_s + QString(32, u'b')) << E::TooLong;
    QTest::newRow("1025 code units") << QString(1025, u' ') << E::TooLong;
    QTest::newRow("line break inside") << u"Иван\nПетров"_s << E::ControlCharacters;
    QTest::newRow("carriage return inside") << u"Иван\rПетров"_s << E::ControlCharacters;
    QTest::newRow("tab inside") << u"Иван\tПетров"_s << E::ControlCharacters;
    QTest::newRow("NUL") << QString(u"Анна"_s + QChar(0)) << E::ControlCharacters;
    QTest::newRow("NUL first") << QString(QChar(0) + u"Анна"_s) << E::ControlCharacters;
    QTest::newRow("ESC colour") << u"\x1b[31mАнна"_s << E::ControlCharacters;
    QTest::newRow("DEL") << QString(u"Ан"_s + QChar(0x7f) + u"на"_s) << E::ControlCharacters;
    QTest::newRow("C1 control") << QString(u"Ан"_s + QChar(0x9b) + u"на"_s) << E::ControlCharacters;
    QTest::newRow("bidi override U+202E") << u"Анна\u202Eanna"_s << E::ControlCharacters;
    QTest::newRow("bidi embedding U+202A") << u"\u202AАнна"_s << E::ControlCharacters;
    QTest::newRow("bidi isolate U+2066") << u"Анна\u2066x\u2069"_s << E::ControlCharacters;
    QTest::newRow("pop isolate U+2069") << u"Анна\u2069"_s << E::ControlCharacters;
    QTest::newRow("line separator") << u"Анна\u2028Иван"_s << E::ControlCharacters;
    QTest::newRow("lone high surrogate") << QString(u"Анна"_s + QChar(0xD83D)) << E::ControlCharacters;
    QTest::newRow("lone low surrogate") << QString(QChar(0xDE00) + u"Анна"_s) << E::ControlCharacters;
    QTest::newRow("control beats length")
        << (QString(100, u'a') + u"\n"_s + QString(100, u'b')) << E::ControlCharacters;
}

void TestPersonName::rejected()
{
    QFETCH(QString, input);
    QFETCH(PersonName::Error, error);
    const auto result = PersonName::validate(input);
    if (result)
        QFAIL(qPrintable(u"accepted as "_s + *result));
    QCOMPARE(result.error(), error);
}

void TestPersonName::hugeInputIsCheap()
{
    const QString megabyte = QString(1024 * 1024, u'я');
    const QString megabyteOfSpaces = QString(1024 * 1024, u' ') + u"Анна"_s;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 1000; ++i) {
        const auto letters = PersonName::validate(megabyte);
        QVERIFY(!letters);
        QCOMPARE(letters.error(), PersonName::Error::TooLong);
        const auto spaces = PersonName::validate(megabyteOfSpaces);
        QVERIFY(!spaces);
        QCOMPARE(spaces.error(), PersonName::Error::TooLong);
    }
    QVERIFY2(timer.elapsed() < 500, qPrintable(QString::number(timer.elapsed()) + u" ms"_s));
}

void TestPersonName::explainCoversEveryError()
{
    const QMetaEnum errors = QMetaEnum::fromType<PersonName::Error>();
    QVERIFY(errors.keyCount() >= 4);
    QStringList seen;
    for (int i = 0; i < errors.keyCount(); ++i) {
        const QString text = PersonName::explain(static_cast<PersonName::Error>(errors.value(i)));
        QVERIFY2(text.size() > 10, errors.key(i));
        QVERIFY2(!seen.contains(text), errors.key(i));
        seen.append(text);
    }
}

QTEST_GUILESS_MAIN(TestPersonName)
#include "tst_personname.moc"
