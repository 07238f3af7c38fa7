#pragma once

// A keyset sort order shared by the paged lists (applications, users): the sort expression, ties broken by
// id, the column that becomes the next page's cursor, and the condition that continues after a cursor.

#include "ApplicationQuery.h"
#include "ConnectionSettings.h"

#include <QString>
#include <QVariantList>

namespace salesbot {

struct KeysetOrder
{
    QString expression;
    bool timestamp = false;

    // What to select as the cursor value: timestamps as text on PostgreSQL, so the cursor keeps microseconds.
    QString cursorColumn(Dialect dialect) const
    {
        return timestamp && dialect == Dialect::PostgreSql
                   ? QStringLiteral("CAST(%1 AS TEXT)").arg(expression)
                   : expression;
    }

    // "expr <= ? AND (expr, id) < (?, ?)" (">" ascending), appending its values. The plain bound lets the
    // planner start the index range at the cursor; the row comparison breaks ties by id.
    QString after(const QString& idColumn, bool descending, const PageCursor& cursor,
                  QVariantList& values) const
    {
        const QString mark = timestamp ? QStringLiteral("{ts}") : QStringLiteral("?");
        const QString op = descending ? QStringLiteral("<") : QStringLiteral(">");
        values << cursor.sortValue << cursor.sortValue << cursor.id;
        return QStringLiteral("%1 %2= %3 AND (%1, %4) %2 (%3, ?)").arg(expression, op, mark, idColumn);
    }
};

} // namespace salesbot
