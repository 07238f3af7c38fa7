#pragma once

// CSV that spreadsheet programs open as the operator expects: UTF-8 with a byte-order mark (so Excel reads
// Cyrillic correctly), the list separator of the locale (';' where the decimal point is a comma, as in
// Russian Excel), RFC 4180 quoting, and cells that would start a formula defused with a leading apostrophe.

#include <QByteArray>
#include <QChar>
#include <QLocale>
#include <QStringList>

namespace salesbot {

class CsvWriter final
{
public:
    explicit CsvWriter(QChar separator = u',');
    // ';' when `locale` writes decimals with a comma, ',' otherwise.
    static QChar separatorFor(const QLocale& locale);

    void addRow(const QStringList& cells);
    // The document so far, BOM first.
    QByteArray data() const;
    // The rows added since the last call, without a BOM, and forgets them: for streaming a long list.
    QString takeRows();
    // Writes atomically (a temporary file renamed into place); false with `error` set on failure.
    bool save(const QString& path, QString* error) const;

    // One cell as it appears in the file.
    QString escape(const QString& cell) const;

private:
    QChar m_separator;
    QString m_text;
};

} // namespace salesbot
