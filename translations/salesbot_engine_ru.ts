<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>Dialog</name>
    <message>
        <source>📦 Package changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✏️ Contacts updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>🆕 New application</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no package chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Package: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
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
        <translation>Использование: salesbot-engine [команда] [параметры]

Telegram-бот продаж компании «AI-решения» и его административные команды.

Команды:
  run        запустить бота (по умолчанию)
  migrate    обновить схему базы данных до актуальной версии и выйти
  check      проверить базу данных и версию схемы
  stats      заявки и интерес к пакетам за последние дни (--days N, по умолчанию 7)

Параметры:
  -h, --help     показать эту справку
  -v, --version  показать версию

Переменные окружения:
  BOT_TOKEN         токен бота от @BotFather
  DATABASE_URL      postgres://user:password@host:port/db?sslmode=require или sqlite:///path;
                    если не задана: файл SQLite в каталоге данных пользователя
  TELEGRAM_API_URL  сервер Bot API (по умолчанию https://api.telegram.org)
  MANAGER_CHAT_ID   чат, в который приходят новые заявки
  LOG_LEVEL         debug, info, warning или error (по умолчанию info)

Коды завершения: 0 — успешно, 2 — ошибка вызова, 3 — ошибка конфигурации, 4 — база данных недоступна, 5 — Telegram недоступен.
</translation>
    </message>
    <message>
        <source>salesbot-engine: %1 (see salesbot-engine --help)</source>
        <translation>salesbot-engine: %1 (см. salesbot-engine --help)</translation>
    </message>
    <message>
        <source>salesbot-engine: unknown command &quot;%1&quot; (see salesbot-engine --help)</source>
        <translation>salesbot-engine: неизвестная команда &quot;%1&quot; (см. salesbot-engine --help)</translation>
    </message>
    <message>
        <source>salesbot-engine: --days needs a number of days from 1 to 3660</source>
        <translation>salesbot-engine: для --days укажите число дней от 1 до 3660</translation>
    </message>
    <message>
        <source>salesbot-engine: configuration error: %1</source>
        <translation>salesbot-engine: ошибка конфигурации: %1</translation>
    </message>
    <message>
        <source>salesbot-engine: cannot open the database: %1</source>
        <translation>salesbot-engine: не удалось открыть базу данных: %1</translation>
    </message>
    <message>
        <source>salesbot-engine: %1</source>
        <translation>salesbot-engine: %1</translation>
    </message>
    <message>
        <source>Database %1: schema brought from version %2 to %3.</source>
        <translation>База данных %1: схема обновлена с версии %2 до версии %3.</translation>
    </message>
    <message>
        <source>Database %1: schema is up to date (version %2).</source>
        <translation>База данных %1: схема актуальна (версия %2).</translation>
    </message>
    <message>
        <source>Database: reachable (%1).</source>
        <translation>База данных: доступна (%1).</translation>
    </message>
    <message>
        <source>Schema: version %1, as this build expects.</source>
        <translation>Схема: версия %1, как и ожидает эта сборка.</translation>
    </message>
    <message>
        <source>Schema: version %1, older than this build&apos;s %2; run salesbot-engine migrate.</source>
        <translation>Схема: версия %1, более старая, чем версия %2 этой сборки; выполните salesbot-engine migrate.</translation>
    </message>
    <message>
        <source>Schema: version %1, newer than this build&apos;s %2; upgrade salesbot.</source>
        <translation>Схема: версия %1, более новая, чем версия %2 этой сборки; обновите salesbot.</translation>
    </message>
    <message>
        <source>Telegram: BOT_TOKEN is not set.</source>
        <translation>Telegram: BOT_TOKEN не задан.</translation>
    </message>
    <message numerus="yes">
        <source>Package interest, last %n day(s) (UTC):</source>
        <translation>
            <numerusform>Интерес к пакетам за последний %n день (UTC):</numerusform>
            <numerusform>Интерес к пакетам за последние %n дня (UTC):</numerusform>
            <numerusform>Интерес к пакетам за последние %n дней (UTC):</numerusform>
        </translation>
    </message>
    <message>
        <source>package</source>
        <translation>пакет</translation>
    </message>
    <message>
        <source>views</source>
        <translation>показы</translation>
    </message>
    <message>
        <source>applications</source>
        <translation>заявки</translation>
    </message>
    <message>
        <source>conversion</source>
        <translation>конверсия</translation>
    </message>
    <message>
        <source>By day:</source>
        <translation>По дням:</translation>
    </message>
    <message>
        <source>day</source>
        <translation>день</translation>
    </message>
    <message>
        <source>new users</source>
        <translation>новички</translation>
    </message>
    <message>
        <source>salesbot-engine: BOT_TOKEN is not set: create a bot with @BotFather in Telegram (/newbot) and run again with BOT_TOKEN=&lt;token&gt;; or try the bot in this terminal: salesbot-engine shell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>guest</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
