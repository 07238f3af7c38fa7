#include "Transaction.h"

#include "DbConnection.h"

namespace salesbot {

Transaction::Transaction(DbConnection& connection)
    : m_connection(connection)
{
    m_connection.begin();
    m_active = true;
}

Transaction::~Transaction()
{
    if (m_active)
        rollback();
}

void Transaction::commit()
{
    Q_ASSERT(m_active);
    m_active = false;
    m_connection.commit();
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    m_connection.rollback();
}

} // namespace salesbot
