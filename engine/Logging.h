#pragma once

// The engine's log: one line per message on stderr, as text or JSON, at the level LOG_LEVEL sets,
// with the bot token redacted from every line whatever wrote it.

#include "Config.h"

namespace salesbot {

class Logging
{
public:
    static void install(Config::LogLevel level, Config::LogFormat format, const QString& token);
    // Formats one line as the handler would (for tests).
    static QString formatLine(QtMsgType type, const char* category, const QString& message,
                              Config::LogFormat format);
};

} // namespace salesbot
