<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>EngineCli</name>
    <message>
        <source>Usage: salesbot-engine [command] [options]

The Telegram sales bot of AI-Solutions and its admin commands.

Commands:
  run        run the bot (the default)
  migrate    bring the database schema up to date and exit
  check      check the database and the schema version
  stats      applications and package interest for the last days (--days N, default 7)

Options:
  -h, --help     show this help
  -v, --version  show the version

Environment:
  BOT_TOKEN         the bot&apos;s token from @BotFather
  DATABASE_URL      postgres://user:password@host:port/db?sslmode=require or sqlite:///path;
                    unset: a SQLite file in the user&apos;s data directory
  TELEGRAM_API_URL  the Bot API server (default https://api.telegram.org)
  MANAGER_CHAT_ID   the chat that receives new applications
  LOG_LEVEL         debug, info, warning or error (default info)

Exit codes: 0 ok, 2 usage, 3 configuration, 4 database unreachable, 5 Telegram unreachable.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>salesbot-engine: %1 (see salesbot-engine --help)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>salesbot-engine: unknown command &quot;%1&quot; (see salesbot-engine --help)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>salesbot-engine: --days needs a number of days from 1 to 3660</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>salesbot-engine: configuration error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>salesbot-engine: cannot open the database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>salesbot-engine: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database %1: schema brought from version %2 to %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database %1: schema is up to date (version %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: reachable (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema: version %1, as this build expects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema: version %1, older than this build&apos;s %2; run salesbot-engine migrate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema: version %1, newer than this build&apos;s %2; upgrade salesbot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Telegram: BOT_TOKEN is not set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Package interest, last %n day(s) (UTC):</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>views</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>conversion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By day:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>salesbot-engine: BOT_TOKEN is not set: create a bot with @BotFather in Telegram (/newbot) and run again with BOT_TOKEN=&lt;token&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is ready. The Telegram bot itself is not built yet: this build would now poll %1 for updates.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
