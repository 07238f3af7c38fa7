#pragma once

// The base of every repository: the connection it works on and the boundary where DbException becomes
// Expected.

#include "DbConnection.h"
#include "DbError.h"
#include "Expected.h"

#include <type_traits>

namespace salesbot {

class Repository
{
public:
    explicit Repository(DbConnection& connection)
        : m_db(connection)
    {}
    DbConnection& connection() { return m_db; }

    // Inside a transaction that several repositories share: an error becomes a DbException again, so the
    // whole transaction rolls back at the one boundary that catches it.
    template <typename T>
    static T require(Expected<T, DbError>&& result)
    {
        if (!result)
            throw DbException(result.error());
        return std::move(result).value();
    }
    static void require(Expected<void, DbError>&& result)
    {
        if (!result)
            throw DbException(result.error());
    }

    // An empty text is stored as NULL (optional columns).
    static QVariant textOrNull(const QString& value)
    {
        return value.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(value);
    }

protected:
    // Case-insensitive "contains" for every script: ILIKE on PostgreSQL, a Unicode case-folding function on
    // SQLite. containsSql(expression) takes one parameter, containsPattern(text) (wildcards escaped).
    QString containsSql(const QString& expression) const
    {
        return m_db.dialect() == Dialect::PostgreSql
                   ? expression + QStringLiteral(" ILIKE ? ESCAPE '\\'")
                   : QStringLiteral("salesbot_fold(%1) LIKE ? ESCAPE '\\'").arg(expression);
    }
    QString containsPattern(const QString& text) const
    {
        return QLatin1Char('%') +
               escapeLike(m_db.dialect() == Dialect::PostgreSql ? text : text.toCaseFolded()) +
               QLatin1Char('%');
    }
    // % _ and \ stand for themselves in a LIKE ... ESCAPE '\' pattern.
    static QString escapeLike(const QString& text)
    {
        QString result;
        result.reserve(text.size() + 8);
        for (const QChar c : text) {
            if (c == u'\\' || c == u'%' || c == u'_')
                result += u'\\';
            result += c;
        }
        return result;
    }

    // Runs `body`; a DbException thrown inside becomes the error of the returned Expected.
    template <typename F>
    auto guard(F&& body) -> Expected<std::invoke_result_t<F>, DbError>
    {
        try {
            if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
                body();
                return {};
            } else {
                return body();
            }
        } catch (const DbException& e) {
            return unexpected(e.error());
        }
    }

    DbConnection& m_db;
};

} // namespace salesbot
