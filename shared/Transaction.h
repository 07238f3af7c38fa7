#pragma once

// RAII transaction guard: begins on construction and rolls back on destruction unless committed.

#include <QtGlobal>

namespace salesbot {

class DbConnection;

class Transaction final
{
public:
    // Begins a transaction, or a savepoint when one is already open; throws DbException on failure.
    explicit Transaction(DbConnection& connection);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    // Commits (or releases the savepoint); throws DbException when the database refuses.
    void commit();
    void rollback();
    bool isActive() const { return m_active; }

private:
    DbConnection& m_connection;
    bool m_active = false;
};

} // namespace salesbot
