// The JSON arrays the engine hands to its statements: what comes back out of a JSON parser is what went in.

#include "JsonRows.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace Qt::StringLiterals;
using salesbot::JsonRows;

class TestJsonRows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyIsAnEmptyArray();
    void valuesRoundTrip_data();
    void valuesRoundTrip();
    void rowsAndTypes();
    void controlCharactersAreEscaped();
};

void TestJsonRows::emptyIsAnEmptyArray()
{
    JsonRows rows;
    QVERIFY(rows.isEmpty());
    QCOMPARE(rows.take(), u"[]"_s);
}

void TestJsonRows::valuesRoundTrip_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("plain") << u"Иван"_s;
    QTest::newRow("quotes and backslashes") << u"a\"b\\c\\\"d\\"_s;
    QTest::newRow("sql") << u"'); DROP TABLE users; --"_s;
    QTest::newRow("html") << u"<b>bold</b> & <script>alert(1)</script>"_s;
    QTest::newRow("newlines and tabs") << u"line1\nline2\r\n\ttabbed\b\f"_s;
    QTest::newRow("control characters") << u"\u0001\u0007\u001b[31m\u001f\u007f"_s;
    QTest::newRow("emoji and rtl") << u"🤖 مرحبا \u202e txet"_s;
    QTest::newRow("long") << QString(70000, u'ж');
    QTest::newRow("escapes at both ends") << u"\"middle\""_s;
}

void TestJsonRows::valuesRoundTrip()
{
    QFETCH(QString, value);
    JsonRows rows;
    rows.beginRow();
    rows.add("text"_L1, value);
    rows.endRow();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(rows.take().toUtf8(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc.array().at(0).toObject().value(u"text"_s).toString(), value);
}

void TestJsonRows::rowsAndTypes()
{
    JsonRows rows;
    rows.beginRow();
    rows.add("id"_L1, qint64(-9007199254740993));
    rows.add("yes"_L1, true);
    rows.addOrNull("none"_L1, QString());
    rows.addOrNull("some"_L1, u"x"_s);
    rows.add("empty"_L1, QJsonObject());
    rows.add("object"_L1, QJsonObject{{u"package"_s, u"basic"_s}, {u"n"_s, 3}});
    rows.addJson("json"_L1, R"({"text":"Анна \"Q\"","k":[1]})");
    rows.endRow();
    rows.beginRow();
    rows.add("no"_L1, false);
    rows.endRow();
    QCOMPARE(rows.rows(), 2);
    const QString text = rows.take();
    QVERIFY2(text.contains(u"-9007199254740993"_s), qPrintable(text)); // exact: not a double on the way
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    QCOMPARE(array.size(), 2);
    const QJsonObject first = array.at(0).toObject();
    QCOMPARE(first.value(u"yes"_s), QJsonValue(true));
    QVERIFY(first.value(u"none"_s).isNull());
    QCOMPARE(first.value(u"some"_s).toString(), u"x"_s);
    QCOMPARE(first.value(u"empty"_s).toObject(), QJsonObject());
    QCOMPARE(first.value(u"object"_s).toObject(), (QJsonObject{{u"package"_s, u"basic"_s}, {u"n"_s, 3}}));
    QCOMPARE(first.value(u"json"_s).toObject(),
             (QJsonObject{{u"text"_s, u"Анна \"Q\""_s}, {u"k"_s, QJsonArray{1}}}));
    QCOMPARE(array.at(1).toObject().value(u"no"_s), QJsonValue(false));
    QVERIFY(rows.isEmpty());
}

void TestJsonRows::controlCharactersAreEscaped()
{
    QString out;
    JsonRows::appendString(out, u"a\u0000b\u0001\n\""_s);
    // U+0000 as U+FFFD: PostgreSQL refuses \u0000 in text and jsonb.
    QCOMPARE(out, u"\"a\uFFFDb\\u0001\\n\\\"\""_s);
    for (const QChar c : std::as_const(out))
        QVERIFY(c.unicode() >= 0x20);
}

QTEST_GUILESS_MAIN(TestJsonRows)
#include "tst_jsonrows.moc"
