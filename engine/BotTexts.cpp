#include "BotTexts.h"

using namespace Qt::StringLiterals;

namespace salesbot {

BotTexts::BotTexts(QTimeZone timeZone)
    : m_russian(std::make_unique<QTranslator>())
    , m_timeZone(timeZone.isValid() ? timeZone : QTimeZone::utc())
{
    m_russianLoaded = m_russian->load(u":/i18n/salesbot_engine_ru.qm"_s);
}

BotTexts::~BotTexts() = default;

Language BotTexts::languageFor(const QString& languageCode)
{
    return languageCode.startsWith("en"_L1, Qt::CaseInsensitive) ? Language::English : Language::Russian;
}

QString BotTexts::code(Language language)
{
    return language == Language::English ? u"en"_s : u"ru"_s;
}

QString BotTexts::text(Language language, const char* context, const char* source) const
{
    if (language == Language::Russian && m_russianLoaded) {
        const QString translated = m_russian->translate(context, source);
        if (!translated.isEmpty())
            return translated;
    }
    return QString::fromUtf8(source);
}

QString BotTexts::price(int roubles)
{
    QString digits = QString::number(qAbs(roubles));
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u' ');
    return roubles < 0 ? u"-"_s + digits : digits;
}

QString BotTexts::date(const QDateTime& utc) const
{
    return utc.toTimeZone(m_timeZone).toString(u"dd.MM.yyyy"_s);
}

QString BotTexts::dateTime(const QDateTime& utc) const
{
    return utc.toTimeZone(m_timeZone).toString(u"dd.MM.yyyy HH:mm"_s);
}

} // namespace salesbot
