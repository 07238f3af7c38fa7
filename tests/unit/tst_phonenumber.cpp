// Tests PhoneNumber::normalize against the dialog spec's phone rules and hostile input.

#include "PhoneNumber.h"

#include <QElapsedTimer>
#include <QMetaEnum>
#include <QTest>

using namespace Qt::StringLiterals;
using salesbot::PhoneNumber;

class TestPhoneNumber : public QObject
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

void TestPhoneNumber::accepted_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    const QString moscow = u"+79161234567"_s;
    // Russian formats
    QTest::newRow("8 with brackets and dashes") << u"8 (916) 123-45-67"_s << moscow;
    QTest::newRow("+7 with spaces") << u"+7 916 123 45 67"_s << moscow;
    QTest::newRow("7 digits only") << u"79161234567"_s << moscow;
    QTest::newRow("8 digits only") << u"89161234567"_s << moscow;
    QTest::newRow("8 with dashes") << u"8-916-123-45-67"_s << moscow;
    QTest::newRow("+7 brackets no spaces") << u"+7(916)1234567"_s << moscow;
    QTest::newRow("+7 with dots") << u"+7.916.123.45.67"_s << moscow;
    QTest::newRow("+79 compact") << u"+79161234567"_s << moscow;
    QTest::newRow("8 800 toll free") << u"8 800 555-35-35"_s << u"+78005553535"_s;
    QTest::newRow("Kazakhstan +7 7xx") << u"+7 701 123 4567"_s << u"+77011234567"_s;
    // International
    QTest::newRow("UK") << u"+44 20 7946 0958"_s << u"+442079460958"_s;
    QTest::newRow("US") << u"+1 415 555 2671"_s << u"+14155552671"_s;
    QTest::newRow("US with brackets") << u"+1 (415) 555-2671"_s << u"+14155552671"_s;
    QTest::newRow("Ukraine") << u"+380 44 123 4567"_s << u"+380441234567"_s;
    QTest::newRow("Germany short") << u"+49 30 123456"_s << u"+4930123456"_s;
    QTest::newRow("8 digits minimum") << u"+1234 5678"_s << u"+12345678"_s;
    QTest::newRow("15 digits maximum") << u"+123456789012345"_s << u"+123456789012345"_s;
    // Whitespace and separators
    QTest::newRow("tabs") << u"+7\t916\t123\t45\t67"_s << moscow;
    QTest::newRow("no-break spaces") << u"+7\u00A0916\u00A0123\u00A045\u00A067"_s << moscow;
    QTest::newRow("narrow no-break spaces") << u"+7\u202F916\u202F123\u202F45\u202F67"_s << moscow;
    QTest::newRow("en dashes") << u"8\u2013916\u2013123\u201345\u201367"_s << moscow;
    QTest::newRow("em dashes") << u"8\u2014916\u2014123\u201445\u201467"_s << moscow;
    QTest::newRow("minus signs") << u"8\u2212916\u22121234567"_s << moscow;
    QTest::newRow("outer spaces") << u"   +7 916 123 45 67   "_s << moscow;
    QTest::newRow("blank before plus") << u"\u00A0\t+7 916 123 45 67"_s << moscow;
    QTest::newRow("trailing line break trimmed") << u"+79161234567\n"_s << moscow;
    QTest::newRow("exactly 64 characters") << (u"+7 916 123 45 67"_s + QString(48, u' ')) << moscow;
}

void TestPhoneNumber::accepted()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const auto result = PhoneNumber::normalize(input);
    if (!result)
        QFAIL(qPrintable(u"rejected with "_s +
                         QString::fromLatin1(QMetaEnum::fromType<PhoneNumber::Error>().valueToKey(
                             static_cast<int>(result.error())))));
    QCOMPARE(*result, expected);
}

void TestPhoneNumber::rejected_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<PhoneNumber::Error>("error");

    using E = PhoneNumber::Error;
    // Empty
    QTest::newRow("empty") << QString() << E::Empty;
    QTest::newRow("spaces") << u"    "_s << E::Empty;
    QTest::newRow("tabs and nbsp") << u"\t\u00A0 \t"_s << E::Empty;
    QTest::newRow("line break only") << u"\n"_s << E::Empty;
    QTest::newRow("separators only") << u"(--)"_s << E::Empty;
    QTest::newRow("lone plus") << u"+"_s << E::Empty;
    // Invalid characters
    QTest::newRow("letters") << u"+7 916 ABC 45 67"_s << E::InvalidCharacters;
    QTest::newRow("cyrillic letters") << u"восемь 916 123 45 67"_s << E::InvalidCharacters;
    QTest::newRow("word instead") << u"my phone"_s << E::InvalidCharacters;
    QTest::newRow("extension") << u"+7 916 123 45 67 ext 12"_s << E::InvalidCharacters;
    QTest::newRow("emoji") << u"📞 +79161234567"_s << E::InvalidCharacters;
    QTest::newRow("emoji inside") << u"+7916☎1234567"_s << E::InvalidCharacters;
    QTest::newRow("line break inside") << u"+7916\n1234567"_s << E::InvalidCharacters;
    QTest::newRow("carriage return inside") << u"+7916\r1234567"_s << E::InvalidCharacters;
    QTest::newRow("NUL inside") << QString(u"+7916"_s + QChar(0) + u"1234567"_s) << E::InvalidCharacters;
    QTest::newRow("NUL at end") << QString(u"+79161234567"_s + QChar(0)) << E::InvalidCharacters;
    QTest::newRow("ANSI escape") << u"\x1b[31m+79161234567"_s << E::InvalidCharacters;
    QTest::newRow("DEL") << QString(u"+7916"_s + QChar(0x7f) + u"1234567"_s) << E::InvalidCharacters;
    QTest::newRow("bidi override") << u"\u202E+79161234567"_s << E::InvalidCharacters;
    QTest::newRow("zero-width space") << u"+7916\u200B1234567"_s << E::InvalidCharacters;
    QTest::newRow("SQL injection") << u"'; DROP TABLE users;--"_s << E::InvalidCharacters;
    QTest::newRow("SQL tautology") << u"1 OR 1=1"_s << E::InvalidCharacters;
    QTest::newRow("SQL after number") << u"+79161234567'--"_s << E::InvalidCharacters;
    QTest::newRow("HTML") << u"<b>+79161234567</b>"_s << E::InvalidCharacters;
    QTest::newRow("double plus") << u"++79161234567"_s << E::InvalidCharacters;
    QTest::newRow("plus in the middle") << u"7+9161234567"_s << E::InvalidCharacters;
    QTest::newRow("plus at the end") << u"79161234567+"_s << E::InvalidCharacters;
    QTest::newRow("plus inside brackets") << u"(+7) 916 123 45 67"_s << E::InvalidCharacters;
    QTest::newRow("slash") << u"8/916/1234567"_s << E::InvalidCharacters;
    QTest::newRow("hash and star") << u"*100#"_s << E::InvalidCharacters;
    QTest::newRow("fullwidth digits") << u"＋７９１６１２３４５６７"_s << E::InvalidCharacters;
    QTest::newRow("arabic-indic digits") << u"+٧٩١٦١٢٣٤٥٦٧"_s << E::InvalidCharacters;
    QTest::newRow("lone surrogate") << QString(u"+7916"_s + QChar(0xD800) + u"1234567"_s)
                                    << E::InvalidCharacters;
    // Too short
    QTest::newRow("123") << u"123"_s << E::TooShort;
    QTest::newRow("+1234567 (7 digits)") << u"+1234567"_s << E::TooShort;
    QTest::newRow("7 digits without plus") << u"1234567"_s << E::TooShort;
    QTest::newRow("+7 with 10 digits") << u"+7 916 123 45 6"_s << E::TooShort;
    QTest::newRow("+7 alone") << u"+7"_s << E::TooShort;
    // Too long
    QTest::newRow("16 digits with plus") << u"+1234567890123456"_s << E::TooLong;
    QTest::newRow("16 digits without plus") << u"1234567890123456"_s << E::TooLong;
    QTest::newRow("+7 with 12 digits") << u"+7 916 123 45 678"_s << E::TooLong;
    QTest::newRow("two numbers") << u"+79161234567 +79161234568"_s << E::InvalidCharacters;
    QTest::newRow("two numbers without plus") << u"89161234567 89161234568"_s << E::TooLong;
    QTest::newRow("65 characters") << (u"+7 916 123 45 67"_s + QString(49, u' ')) << E::TooLong;
    QTest::newRow("65 letters") << QString(65, u'x') << E::TooLong;
    // Needs a country code
    QTest::newRow("10-digit Russian") << u"916 123-45-67"_s << E::NeedsCountryCode;
    QTest::newRow("10-digit Russian compact") << u"9161234567"_s << E::NeedsCountryCode;
    QTest::newRow("UK without plus") << u"44 20 7946 0958"_s << E::NeedsCountryCode;
    QTest::newRow("00 prefix") << u"0044 20 7946 0958"_s << E::NeedsCountryCode;
    QTest::newRow("8 digits without plus") << u"12345678"_s << E::NeedsCountryCode;
    QTest::newRow("11 digits starting with 9") << u"99161234567"_s << E::NeedsCountryCode;
    QTest::newRow("plus zero") << u"+0 20 7946 0958"_s << E::NeedsCountryCode;
}

void TestPhoneNumber::rejected()
{
    QFETCH(QString, input);
    QFETCH(PhoneNumber::Error, error);
    const auto result = PhoneNumber::normalize(input);
    if (result)
        QFAIL(qPrintable(u"accepted as "_s + *result));
    QCOMPARE(result.error(), error);
}

void TestPhoneNumber::hugeInputIsCheap()
{
    const QString megabyte = QString(1024 * 1024, u'7');
    const QString megabyteOfSpaces = QString(1024 * 1024, u' ');
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 1000; ++i) {
        const auto digits = PhoneNumber::normalize(megabyte);
        QVERIFY(!digits);
        QCOMPARE(digits.error(), PhoneNumber::Error::TooLong);
        const auto spaces = PhoneNumber::normalize(megabyteOfSpaces);
        QVERIFY(!spaces);
        QCOMPARE(spaces.error(), PhoneNumber::Error::TooLong);
    }
    // 2000 rejections of a megabyte: a scan would take seconds, the size check takes microseconds.
    QVERIFY2(timer.elapsed() < 500, qPrintable(QString::number(timer.elapsed()) + u" ms"_s));
}

void TestPhoneNumber::explainCoversEveryError()
{
    const QMetaEnum errors = QMetaEnum::fromType<PhoneNumber::Error>();
    QVERIFY(errors.keyCount() >= 5);
    QStringList seen;
    for (int i = 0; i < errors.keyCount(); ++i) {
        const auto error = static_cast<PhoneNumber::Error>(errors.value(i));
        const QString text = PhoneNumber::explain(error);
        QVERIFY2(text.size() > 10, errors.key(i));
        QVERIFY2(!seen.contains(text), errors.key(i));
        seen.append(text);
    }
}

QTEST_GUILESS_MAIN(TestPhoneNumber)
#include "tst_phonenumber.moc"
