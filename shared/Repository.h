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

protected:
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
