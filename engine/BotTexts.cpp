#include "BotTexts.h"

#include <QHash>

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
    // Sources are string literals, so their addresses identify them; every worker thread keeps its own
    // cache, so lookups need no lock. Whatever BotTexts it was, the translation file is the same one.
    thread_local QHash<const char*, QString> cache[2];
    QHash<const char*, QString>& texts = cache[language == Language::Russian ? 0 : 1];
    if (const auto it = texts.constFind(source); it != texts.constEnd())
        return *it;
    QString result;
    if (language == Language::Russian && m_russianLoaded)
        result = m_russian->translate(context, source);
    if (result.isEmpty())
        result = QString::fromUtf8(source);
    texts.insert(source, result);
    return result;
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
