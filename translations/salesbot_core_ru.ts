<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ApplicationStatuses</name>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Config</name>
    <message>
        <source>the value given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BOT_TOKEN: does not look like a token from @BotFather (expected &lt;digits&gt;:&lt;letters&gt;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TELEGRAM_API_URL: must be an http:// or https:// URL with a host and without a query, e.g. https://api.telegram.org</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MANAGER_CHAT_ID: %1 is not a Telegram chat id (expected a whole number such as 123456789, or -1001234567890 for a group)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WEBHOOK_URL: must be an https:// (or http://) URL with a host and without a query, e.g. https://bot.example.com/telegram</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PORT: %1 is not a port number (expected 1 to 65535)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WEBHOOK_SECRET: must be 1 to %1 characters, each A-Z, a-z, 0-9, _ or - (Telegram&apos;s rule for secret_token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LOG_LEVEL: %1 is not a log level (expected debug, info, warning or error)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LOG_FORMAT: %1 is not a log format (expected text or json)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DatabaseUrl</name>
    <message>
        <source>DATABASE_URL: is empty; expected postgres://user:password@host:port/dbname or sqlite:///path/to/file.db</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: is longer than %1 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: does not start with a scheme; use postgres://, postgresql:// or sqlite:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: unsupported scheme &quot;%1&quot;; use postgres://, postgresql:// or sqlite:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: is not a valid database URL; expected postgres://user:password@host:port/dbname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: expected &quot;//&quot; after the scheme, as in postgres://user:password@host:port/dbname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: the user name or password contains &apos;/&apos;, &apos;?&apos; or &apos;#&apos; that is not percent-encoded (write %2F, %3F, %23)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: the user name has a malformed percent-encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: the password has a malformed percent-encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: several hosts are not supported; give one host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: an IPv6 host is missing its closing &apos;]&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: unexpected text after the IPv6 host; expected [address]:port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: the IPv6 host in brackets is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: an IPv6 host must be written in brackets, e.g. [::1]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: the host has a malformed percent-encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: no host; expected postgres://user:password@host:port/dbname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: the port must be a number from 1 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: a fragment (#...) is not allowed; percent-encode &apos;#&apos; as %23</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: the database name must not contain &apos;/&apos; (write %2F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: the database name has a malformed percent-encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: no database name; expected postgres://user:password@host:port/dbname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: a parameter has a malformed percent-encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: parameter &quot;%1&quot; is given twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: a parameter is given twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: sslmode%1 is not one of disable, allow, prefer, require, verify-ca, verify-full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: connect_timeout must be a whole number of seconds from 0 to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: unknown parameter &quot;%1&quot;; supported are sslmode, connect_timeout and application_name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: unknown parameter; supported are sslmode, connect_timeout and application_name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: sqlite: takes no parameters; percent-encode &apos;?&apos; and &apos;#&apos; in a file name (%3F, %23)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: sqlite://host/... is not supported; use sqlite:///absolute/path.db or sqlite:relative/path.db</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: the SQLite path has a malformed percent-encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: an in-memory SQLite database is not supported (the data must survive a restart); give a file, e.g. sqlite:///var/lib/salesbot/salesbot.db</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: no SQLite file name; use sqlite:///absolute/path.db or sqlite:relative/path.db</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: &apos;~&apos; is not expanded in a SQLite path; use an absolute path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATABASE_URL: the SQLite path contains a NUL character</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PersonName</name>
    <message>
        <source>Please write your name, for example Anna.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This name is too long. Please write a name of up to %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name needs at least one letter. Please write your name, for example Anna.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please write your name on one line, without special characters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhoneNumber</name>
    <message>
        <source>Please send your phone number, for example +7 916 123-45-67 or 8 916 123-45-67.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A phone number may contain only digits, a + at the start, spaces, dashes and brackets, for example +7 916 123-45-67.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number is too short. Please send the full number with the country code, for example +7 916 123-45-67 (a number has 8 to 15 digits).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number is too long. Please send one number with the country code, for example +7 916 123-45-67 (a number has 8 to 15 digits).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please add the country code with a + at the start, for example +7 916 123-45-67 or +44 20 7946 0958. A Russian number may also start with 8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please send your phone number, for example +7 916 123-45-67.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
