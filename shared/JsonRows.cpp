#include "JsonRows.h"

#include <QJsonDocument>

namespace salesbot {

JsonRows::JsonRows(qsizetype reserve)
{
    m_text.reserve(reserve);
    m_text += u'[';
}

void JsonRows::beginRow()
{
    if (m_rows++ > 0)
        m_text += u',';
    m_text += u'{';
    m_firstField = true;
}

void JsonRows::endRow()
{
    m_text += u'}';
}

void JsonRows::key(QLatin1StringView key)
{
    if (!m_firstField)
        m_text += u',';
    m_firstField = false;
    m_text += u'"';
    m_text += key;
    m_text += u"\":";
}

void JsonRows::add(QLatin1StringView name, qint64 value)
{
    key(name);
    m_text += QString::number(value);
}

void JsonRows::add(QLatin1StringView name, bool value)
{
    key(name);
    m_text += value ? QLatin1StringView("true") : QLatin1StringView("false");
}

void JsonRows::add(QLatin1StringView name, QStringView value)
{
    key(name);
    appendString(m_text, value);
}

void JsonRows::addOrNull(QLatin1StringView name, QStringView value)
{
    key(name);
    if (value.isEmpty())
        m_text += QLatin1StringView("null");
    else
        appendString(m_text, value);
}

void JsonRows::add(QLatin1StringView name, const QJsonObject& object)
{
    key(name);
    if (object.isEmpty())
        m_text += QLatin1StringView("{}");
    else
        m_text += QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void JsonRows::addJson(QLatin1StringView name, QByteArrayView json)
{
    key(name);
    m_text += QString::fromUtf8(json);
}

QString JsonRows::take()
{
    m_text += u']';
    QString text = std::move(m_text);
    m_text = QString();
    m_text += u'[';
    m_rows = 0;
    return text;
}

void JsonRows::appendString(QString& out, QStringView value)
{
    static constexpr char16_t hex[] = u"0123456789abcdef";
    out += u'"';
    qsizetype plain = 0; // start of the run of characters copied as they are
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char16_t c = value[i].unicode();
        if (c >= 0x20 && c != u'"' && c != u'\\')
            continue;
        out += value.mid(plain, i - plain);
        plain = i + 1;
        if (c == 0) {
            // PostgreSQL's text and jsonb cannot hold U+0000 (it refuses \u0000): the replacement character.
            out += QChar::ReplacementCharacter;
            continue;
        }
        out += u'\\';
        switch (c) {
        case u'"':
            out += u'"';
            break;
        case u'\\':
            out += u'\\';
            break;
        case u'\n':
            out += u'n';
            break;
        case u'\r':
            out += u'r';
            break;
        case u'\t':
            out += u't';
            break;
        case u'\b':
            out += u'b';
            break;
        case u'\f':
            out += u'f';
            break;
        default:
            out += u"u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    out += value.mid(plain);
    out += u'"';
}

} // namespace salesbot
