#include "CsvWriter.h"

#include <QCoreApplication>
#include <QSaveFile>

#include <utility>

using namespace Qt::StringLiterals;

namespace salesbot {

CsvWriter::CsvWriter(QChar separator)
    : m_separator(separator)
{}

QChar CsvWriter::separatorFor(const QLocale& locale)
{
    return locale.decimalPoint() == ","_L1 ? u';' : u',';
}

QString CsvWriter::escape(const QString& cell) const
{
    QString value = cell;
    // A cell starting with = + - @ (or a tab or CR that hides one) is a formula to Excel: hostile text from a
    // chat must stay text. Phone numbers ("+7…") then keep their plus sign instead of becoming numbers.
    if (!value.isEmpty()) {
        const QChar first = value.front();
        if (first == u'=' || first == u'+' || first == u'-' || first == u'@' || first == u'\t' ||
            first == u'\r')
            value.prepend(u'\'');
    }
    const bool quote = value.contains(m_separator) || value.contains(u'"') || value.contains(u'\n') ||
                       value.contains(u'\r') || value.startsWith(u' ') || value.endsWith(u' ');
    if (!quote)
        return value;
    value.replace(u"\""_s, u"\"\""_s);
    return u'"' + value + u'"';
}

void CsvWriter::addRow(const QStringList& cells)
{
    QStringList escaped;
    escaped.reserve(cells.size());
    for (const QString& cell : cells)
        escaped.append(escape(cell));
    m_text += escaped.join(m_separator);
    m_text += u"\r\n"_s;
}

QByteArray CsvWriter::data() const
{
    return QByteArray("\xEF\xBB\xBF") + m_text.toUtf8();
}

QString CsvWriter::takeRows()
{
    return std::exchange(m_text, QString());
}

bool CsvWriter::save(const QString& path, QString* error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data()) < 0 || !file.commit()) {
        if (error)
            *error =
                QCoreApplication::translate("CsvWriter", "Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace salesbot
