#pragma once

// Turns a phone number as a user typed it into E.164 (a '+' and digits) or says why it cannot.

#include "Expected.h"

#include <QCoreApplication>
#include <QObject>
#include <QString>
#include <QStringView>

namespace salesbot {

// Rules (bot-dialog.md, "Phone") and the edge cases decided here:
// - Input longer than MaxInputLength UTF-16 code units is TooLong before any other work, so a hostile
//   megabyte costs nothing. Leading and trailing whitespace (QChar::isSpace, a pasted line break too)
//   is trimmed; nothing left is Empty.
// - Separators are removed wherever they stand: space, tab, no-break spaces (U+00A0, U+2007, U+202F),
//   '-', '(', ')', '.', and the dashes U+2010-U+2015 and U+2212. Their placement is not checked.
// - '+' is allowed once, only as the first character after leading blanks; "++7...", "(+7)..." and a
//   '+' in the middle are InvalidCharacters. Anything else (letters, emoji, a line break or other
//   control character inside, '/', '*', '#', non-ASCII digits such as Arabic-Indic or fullwidth ones,
//   SQL or HTML fragments) is InvalidCharacters: we do not guess what the user meant.
// - Separators only, or a lone '+', have no digits: Empty.
// - Without '+': exactly 11 digits starting with 8 or 7 is Russian and becomes "+7" and the last ten
//   digits (this also turns "8 800 ..." into "+7800..."). Otherwise fewer than 8 digits is TooShort,
//   more than 15 TooLong, and 8-15 digits NeedsCountryCode (a 10-digit Russian "916 123-45-67" too).
// - The international prefix "00" is not rewritten to '+': "0044 20 7946 0958" is NeedsCountryCode,
//   whose explanation asks for the '+' form. Likewise "+0..." (no country code starts with 0).
// - With "+7" exactly 11 digits are required (fewer: TooShort, more: TooLong); other '+' numbers need
//   8-15 digits. Country codes are not checked against the ITU list.
class PhoneNumber
{
    Q_GADGET
    Q_DECLARE_TR_FUNCTIONS(PhoneNumber)
public:
    enum class Error
    {
        Empty,
        InvalidCharacters,
        TooShort,
        TooLong,
        NeedsCountryCode,
    };
    Q_ENUM(Error)

    // Longest input looked at; anything longer is TooLong at once.
    static constexpr qsizetype MaxInputLength = 64;

    // The number in E.164 form, e.g. "+79161234567", or why the input is not a usable number.
    static Expected<QString, Error> normalize(QStringView input);
    // A sentence for the user saying what is wrong and what format is expected.
    static QString explain(Error error);
};

} // namespace salesbot
