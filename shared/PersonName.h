#pragma once

// Checks and tidies the name a user gives in the application form ("Как к вам обращаться?").

#include "Expected.h"

#include <QCoreApplication>
#include <QObject>
#include <QString>
#include <QStringView>

namespace salesbot {

// Rules (bot-dialog.md, "Name") and the edge cases decided here:
// - Input longer than MaxInputLength UTF-16 code units is TooLong before any other work (a megabyte
//   of text, even of spaces, costs nothing). No genuine name with padding comes near that.
// - Leading and trailing whitespace (QChar::isSpace, so an outer line break or tab too) is trimmed;
//   nothing left is Empty.
// - ControlCharacters: a category Cc character that is left (a line break or tab inside, NUL, ESC,
//   DEL...), a line or paragraph separator (U+2028, U+2029), the bidi embeddings, overrides and
//   isolates U+202A-U+202E and U+2066-U+2069 (they can make a name display as something else), and an
//   unpaired surrogate (not text). Other format characters stay: the zero-width joiner is part of many
//   emoji, and the direction marks U+200E/U+200F are harmless.
// - Runs of inner spaces (any Unicode space separator, e.g. U+00A0) become one ordinary space.
// - Length is counted in code points (a surrogate pair is one) on the tidied text, so what is stored
//   is at most MaxLength code points; more is TooLong.
// - At least one letter (QChar::isLetter on the code point: Cyrillic, Latin, CJK...) else NoLetter;
//   emoji or digits alone are not a name, emoji next to letters are accepted.
// - Checks run in this order: TooLong (raw size), Empty, ControlCharacters, TooLong, NoLetter.
// - Quotes, brackets, ';', '<', '>' are allowed: "Robert'); DROP TABLE applications;--" and
//   "<script>alert(1)</script>" are accepted as text. SQL goes through bound parameters and output is
//   escaped where it is rendered (HTML for the manager chat), so the text is stored as data, verbatim.
class PersonName
{
    Q_GADGET
    Q_DECLARE_TR_FUNCTIONS(PersonName)
public:
    enum class Error
    {
        Empty,
        TooLong,
        NoLetter,
        ControlCharacters,
    };
    Q_ENUM(Error)

    // Longest accepted name, in Unicode code points.
    static constexpr qsizetype MaxLength = 64;
    // Longest input looked at, in UTF-16 code units; anything longer is TooLong at once.
    static constexpr qsizetype MaxInputLength = 1024;

    // The trimmed name with inner space runs collapsed, or why it is not accepted.
    static Expected<QString, Error> validate(QStringView input);
    // A sentence for the user saying what is wrong and what is expected.
    static QString explain(Error error);
};

} // namespace salesbot
