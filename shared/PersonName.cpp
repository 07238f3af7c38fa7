#include "PersonName.h"

namespace salesbot {

namespace {

bool isForbiddenControl(char32_t cp)
{
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
        return true;
    switch (QChar::category(cp)) {
    case QChar::Other_Control:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
    case QChar::Other_Surrogate:
        return true;
    default:
        return false;
    }
}

} // namespace

Expected<QString, PersonName::Error> PersonName::validate(QStringView input)
{
    if (input.size() > MaxInputLength)
        return unexpected(Error::TooLong);
    const QStringView text = input.trimmed();
    if (text.isEmpty())
        return unexpected(Error::Empty);

    QString result;
    result.reserve(text.size());
    qsizetype codePoints = 0;
    bool hasLetter = false;
    bool previousWasSpace = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text[i];
        char32_t cp = ch.unicode();
        qsizetype units = 1;
        if (ch.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            cp = QChar::surrogateToUcs4(ch, text[i + 1]);
            units = 2;
        }
        // A lone surrogate keeps its own value, whose category is Other_Surrogate.
        if (isForbiddenControl(cp))
            return unexpected(Error::ControlCharacters);
        if (QChar::isSpace(cp)) {
            if (!previousWasSpace) {
                result.append(QLatin1Char(' '));
                ++codePoints;
            }
            previousWasSpace = true;
            continue;
        }
        previousWasSpace = false;
        hasLetter = hasLetter || QChar::isLetter(cp);
        result.append(text.mid(i, units));
        ++codePoints;
        i += units - 1;
    }

    if (codePoints > MaxLength)
        return unexpected(Error::TooLong);
    if (!hasLetter)
        return unexpected(Error::NoLetter);
    return result;
}

QString PersonName::explain(Error error)
{
    switch (error) {
    case Error::Empty:
        return tr("Please write your name, for example Anna.");
    case Error::TooLong:
        return tr("This name is too long. Please write a name of up to %1 characters.").arg(MaxLength);
    case Error::NoLetter:
        return tr("A name needs at least one letter. Please write your name, for example Anna.");
    case Error::ControlCharacters:
        return tr("Please write your name on one line, without special characters.");
    }
    return tr("Please write your name, for example Anna.");
}

} // namespace salesbot
