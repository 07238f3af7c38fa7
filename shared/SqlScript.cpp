#include "SqlScript.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace salesbot {

namespace {

bool isTriggerStatement(const QString& statement)
{
    static const QRegularExpression trigger(u"^\\s*CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    return trigger.match(statement).hasMatch();
}

bool endsWithEnd(const QString& statement)
{
    static const QRegularExpression end(u"\\bEND\\s*$"_s, QRegularExpression::CaseInsensitiveOption);
    return end.match(statement).hasMatch();
}

bool hasCode(const QString& statement)
{
    // Anything left once comments are removed?
    QString stripped = statement;
    static const QRegularExpression lineComments(u"--[^\\n]*"_s);
    static const QRegularExpression blockComments(u"/\\*.*?\\*/"_s,
                                                  QRegularExpression::DotMatchesEverythingOption);
    stripped.remove(lineComments);
    stripped.remove(blockComments);
    return !stripped.trimmed().isEmpty();
}

} // namespace

QStringList SqlScript::split(const QString& script)
{
    QStringList statements;
    QString current;
    const qsizetype n = script.size();
    qsizetype i = 0;
    auto flush = [&] {
        const QString statement = current.trimmed();
        if (hasCode(statement))
            statements.append(statement);
        current.clear();
    };
    while (i < n) {
        const QChar c = script.at(i);
        const QChar next = i + 1 < n ? script.at(i + 1) : QChar();
        if (c == u'-' && next == u'-') {
            const qsizetype end = script.indexOf(u'\n', i);
            const qsizetype stop = end < 0 ? n : end;
            current += script.mid(i, stop - i);
            i = stop;
        } else if (c == u'/' && next == u'*') {
            const qsizetype end = script.indexOf("*/"_L1, i + 2);
            const qsizetype stop = end < 0 ? n : end + 2;
            current += script.mid(i, stop - i);
            i = stop;
        } else if (c == u'\'' || c == u'"') {
            // Quoted literal or identifier; a doubled quote is an escaped quote and simply continues it.
            qsizetype j = i + 1;
            while (j < n) {
                if (script.at(j) == c) {
                    if (j + 1 < n && script.at(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            const qsizetype stop = j < n ? j + 1 : n;
            current += script.mid(i, stop - i);
            i = stop;
        } else if (c == u'$') {
            // PostgreSQL dollar quoting: $tag$ ... $tag$
            static const QRegularExpression tag(u"\\$[A-Za-z_]?[A-Za-z0-9_]*\\$"_s);
            const auto m = tag.match(script, i, QRegularExpression::NormalMatch,
                                     QRegularExpression::AnchorAtOffsetMatchOption);
            if (m.hasMatch()) {
                const QString delimiter = m.captured();
                const qsizetype end = script.indexOf(delimiter, i + delimiter.size());
                const qsizetype stop = end < 0 ? n : end + delimiter.size();
                current += script.mid(i, stop - i);
                i = stop;
            } else {
                current += c;
                ++i;
            }
        } else if (c == u';') {
            // Inside a SQLite trigger body, statements end with ';' too: only "END;" ends the trigger.
            if (isTriggerStatement(current) && !endsWithEnd(current)) {
                current += c;
            } else {
                flush();
            }
            ++i;
        } else {
            current += c;
            ++i;
        }
    }
    flush();
    return statements;
}

} // namespace salesbot
