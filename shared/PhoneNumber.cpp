#include "PhoneNumber.h"

namespace salesbot {

namespace {

// Blanks may stand before the leading '+'.
bool isBlank(char16_t c)
{
    return c == u' ' || c == u'\t' || c == u'\u00A0' || c == u'\u2007' || c == u'\u202F';
}

bool isSeparator(char16_t c)
{
    switch (c) {
    case u'-':
    case u'(':
    case u')':
    case u'.':
    case u'\u2010': // hyphen
    case u'\u2011': // non-breaking hyphen
    case u'\u2012': // figure dash
    case u'\u2013': // en dash
    case u'\u2014': // em dash
    case u'\u2015': // horizontal bar
    case u'\u2212': // minus sign
        return true;
    default:
        return isBlank(c);
    }
}

} // namespace

Expected<QString, PhoneNumber::Error> PhoneNumber::normalize(QStringView input)
{
    if (input.size() > MaxInputLength)
        return unexpected(Error::TooLong);
    const QStringView text = input.trimmed();
    if (text.isEmpty())
        return unexpected(Error::Empty);

    bool hasPlus = false;
    bool seenNonBlank = false;
    QString digits;
    digits.reserve(text.size());
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        if (c >= u'0' && c <= u'9') {
            digits.append(ch);
            seenNonBlank = true;
        } else if (c == u'+') {
            if (seenNonBlank)
                return unexpected(Error::InvalidCharacters);
            hasPlus = true;
            seenNonBlank = true;
        } else if (isBlank(c)) {
            // removed
        } else if (isSeparator(c)) {
            seenNonBlank = true;
        } else {
            return unexpected(Error::InvalidCharacters);
        }
    }

    const qsizetype count = digits.size();
    if (count == 0)
        return unexpected(Error::Empty);

    if (hasPlus) {
        if (digits.front() == u'0')
            return unexpected(Error::NeedsCountryCode);
        const qsizetype required = digits.front() == u'7' ? 11 : 0;
        if (required != 0 && count < required)
            return unexpected(Error::TooShort);
        if (required != 0 && count > required)
            return unexpected(Error::TooLong);
        if (count < 8)
            return unexpected(Error::TooShort);
        if (count > 15)
            return unexpected(Error::TooLong);
        return QString(QLatin1Char('+') + digits);
    }

    if (count == 11 && (digits.front() == u'8' || digits.front() == u'7'))
        return QString(QStringLiteral("+7") + digits.mid(1));
    if (count < 8)
        return unexpected(Error::TooShort);
    if (count > 15)
        return unexpected(Error::TooLong);
    return unexpected(Error::NeedsCountryCode);
}

QString PhoneNumber::explain(Error error)
{
    switch (error) {
    case Error::Empty:
        return tr("Please send your phone number, for example +7 916 123-45-67 or 8 916 123-45-67.");
    case Error::InvalidCharacters:
        return tr("A phone number may contain only digits, a + at the start, spaces, dashes and brackets, "
                  "for example +7 916 123-45-67.");
    case Error::TooShort:
        return tr("This number is too short. Please send the full number with the country code, "
                  "for example +7 916 123-45-67 (a number has 8 to 15 digits).");
    case Error::TooLong:
        return tr("This number is too long. Please send one number with the country code, "
                  "for example +7 916 123-45-67 (a number has 8 to 15 digits).");
    case Error::NeedsCountryCode:
        return tr("Please add the country code with a + at the start, for example +7 916 123-45-67 "
                  "or +44 20 7946 0958. A Russian number may also start with 8.");
    }
    return tr("Please send your phone number, for example +7 916 123-45-67.");
}

} // namespace salesbot
