// Splitting migration scripts into statements: quotes, dollar quotes, comments and trigger bodies.

#include "SqlScript.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using salesbot::SqlScript;

class TestSqlScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void split_data();
    void split();
};

void TestSqlScript::split_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("statements");
    QTest::newRow("empty") << QString() << QStringList{};
    QTest::newRow("comments only") << u"-- nothing; here\n/* nor; here */\n"_s << QStringList{};
    QTest::newRow("two") << u"CREATE TABLE a (x int);\nCREATE TABLE b (y int);"_s
                         << QStringList{u"CREATE TABLE a (x int)"_s, u"CREATE TABLE b (y int)"_s};
    QTest::newRow("no final semicolon")
        << u"SELECT 1;SELECT 2"_s << QStringList{u"SELECT 1"_s, u"SELECT 2"_s};
    QTest::newRow("quoted semicolon")
        << u"INSERT INTO t VALUES ('a;b', 'it''s; ok');SELECT 1;"_s
        << QStringList{u"INSERT INTO t VALUES ('a;b', 'it''s; ok')"_s, u"SELECT 1"_s};
    QTest::newRow("quoted identifier")
        << u"SELECT \"we;ird\" FROM t;"_s << QStringList{u"SELECT \"we;ird\" FROM t"_s};
    QTest::newRow("line comment semicolon")
        << u"SELECT 1 -- not; the end\n+ 1;"_s << QStringList{u"SELECT 1 -- not; the end\n+ 1"_s};
    QTest::newRow("dollar quoted body")
        << u"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM 1;\n  RETURN NULL;\nEND;\n$$;\nSELECT 2;"_s
        << QStringList{
               u"CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM 1;\n  RETURN NULL;\nEND;\n$$"_s,
               u"SELECT 2"_s};
    QTest::newRow("tagged dollar quote") << u"SELECT $tag$ a;b $$ c $tag$;SELECT 3"_s
                                         << QStringList{u"SELECT $tag$ a;b $$ c $tag$"_s, u"SELECT 3"_s};
    QTest::newRow("positional parameter is not a dollar quote")
        << u"PREPARE p AS SELECT $1;SELECT 4"_s << QStringList{u"PREPARE p AS SELECT $1"_s, u"SELECT 4"_s};
    QTest::newRow("sqlite trigger")
        << u"CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n  DELETE FROM c;\nEND;\nSELECT 5;"_s
        << QStringList{
               u"CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n  DELETE FROM c;\nEND"_s,
               u"SELECT 5"_s};
}

void TestSqlScript::split()
{
    QFETCH(QString, script);
    QFETCH(QStringList, statements);
    QCOMPARE(SqlScript::split(script), statements);
}

QTEST_GUILESS_MAIN(TestSqlScript)
#include "tst_sqlscript.moc"
