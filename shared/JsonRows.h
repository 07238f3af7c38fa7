#pragma once

#include <QJsonObject>
#include <QString>

namespace salesbot {

// Writes a JSON array of flat objects straight into a QString, for statements that take their rows as one
// JSON parameter (json_to_recordset, json_each). The engine sends a few such arrays per group of updates;
// building them as QJsonObjects and serializing those was about 6 % of its CPU. Strings are escaped as JSON
// requires (quote, backslash, control characters), except U+0000, which PostgreSQL's text cannot hold: it
// becomes U+FFFD. Keys are the caller's literals and are written as they are.
class JsonRows
{
public:
    explicit JsonRows(qsizetype reserve = 256);

    void beginRow();
    void endRow();

    void add(QLatin1StringView key, qint64 value);
    void add(QLatin1StringView key, bool value);
    void add(QLatin1StringView key, QStringView value);
    void addOrNull(QLatin1StringView key, QStringView value); // an empty string is written as null
    void add(QLatin1StringView key, const QJsonObject& object);
    // A value that is JSON already (UTF-8), written as it is.
    void addJson(QLatin1StringView key, QByteArrayView json);
    void add(QLatin1StringView key, const char* value) = delete; // would be taken for the bool

    bool isEmpty() const { return m_rows == 0; }
    qsizetype rows() const { return m_rows; }
    // The array; the writer is empty ("[]" if nothing was added) afterwards.
    QString take();

    static void appendString(QString& out, QStringView value);

private:
    void key(QLatin1StringView key);

    QString m_text;
    qsizetype m_rows = 0;
    bool m_firstField = true;
};

} // namespace salesbot
