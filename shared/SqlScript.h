#pragma once

// Splits a SQL script into statements, respecting quotes, dollar quotes, comments and trigger bodies.

#include <QStringList>

namespace salesbot {

class SqlScript
{
public:
    // Statements without their terminating semicolon; comments-only fragments are dropped.
    static QStringList split(const QString& script);
};

} // namespace salesbot
