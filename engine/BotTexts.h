#pragma once

// The bot's words in the user's language: Russian by default, English for `en` users, from the
// embedded translations, plus the formatting every message shares (prices, dates, HTML escaping).

#include <QDateTime>
#include <QString>
#include <QTimeZone>
#include <QTranslator>

#include <memory>

namespace salesbot {

enum class Language
{
    Russian,
    English,
};

class BotTexts final
{
public:
    // Loads the Russian translation embedded in the binary; `timeZone` is where dates are shown.
    explicit BotTexts(QTimeZone timeZone = QTimeZone(QByteArrayLiteral("Europe/Moscow")));
    ~BotTexts();
    Q_DISABLE_COPY_MOVE(BotTexts)

    bool hasRussian() const { return m_russianLoaded; }
    static Language languageFor(const QString& languageCode);
    static QString code(Language language);

    // `source` must be marked with QT_TRANSLATE_NOOP(context, ...) so lupdate sees it.
    QString text(Language language, const char* context, const char* source) const;

    // 15000 → "15 000" (thousands separated by spaces, as the catalog buttons show them).
    static QString price(int roubles);
    QString date(const QDateTime& utc) const;
    QString dateTime(const QDateTime& utc) const;
    static QString html(const QString& text) { return text.toHtmlEscaped(); }

private:
    std::unique_ptr<QTranslator> m_russian;
    bool m_russianLoaded = false;
    QTimeZone m_timeZone;
};

} // namespace salesbot
