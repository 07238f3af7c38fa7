<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ApplicationEditor</name>
    <message>
        <source>the customer is unknown</source>
        <translation>клиент неизвестен</translation>
    </message>
    <message>
        <source>the customer has blocked the bot</source>
        <translation>клиент заблокировал бота</translation>
    </message>
</context>
<context>
    <name>ApplicationStatuses</name>
    <message>
        <source>New</source>
        <translation>Новая</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>В работе</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Завершена</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Отклонена</translation>
    </message>
</context>
<context>
    <name>Config</name>
    <message>
        <source>the value given</source>
        <translation>указанное значение</translation>
    </message>
    <message>
        <source>BOT_TOKEN: does not look like a token from @BotFather (expected &lt;digits&gt;:&lt;letters&gt;)</source>
        <translation>BOT_TOKEN: значение не похоже на токен от @BotFather (ожидается формат &lt;цифры&gt;:&lt;буквы&gt;)</translation>
    </message>
    <message>
        <source>TELEGRAM_API_URL: must be an http:// or https:// URL with a host and without a query, e.g. https://api.telegram.org</source>
        <translation>TELEGRAM_API_URL: требуется адрес http:// или https:// с именем хоста и без параметров запроса, например https://api.telegram.org</translation>
    </message>
    <message>
        <source>MANAGER_CHAT_ID: %1 is not a Telegram chat id (expected a whole number such as 123456789, or -1001234567890 for a group)</source>
        <translation>MANAGER_CHAT_ID: %1 не является идентификатором чата Telegram (ожидается целое число, например 123456789, или -1001234567890 для группы)</translation>
    </message>
    <message>
        <source>WEBHOOK_URL: must be an https:// (or http://) URL with a host and without a query, e.g. https://bot.example.com/telegram</source>
        <translation>WEBHOOK_URL: требуется адрес https:// (или http://) с именем хоста и без параметров запроса, например https://bot.example.com/telegram</translation>
    </message>
    <message>
        <source>PORT: %1 is not a port number (expected 1 to 65535)</source>
        <translation>PORT: %1 не является номером порта (ожидается число от 1 до 65535)</translation>
    </message>
    <message>
        <source>WEBHOOK_SECRET: must be 1 to %1 characters, each A-Z, a-z, 0-9, _ or - (Telegram&apos;s rule for secret_token)</source>
        <translation>WEBHOOK_SECRET: требуется от 1 до %1 символов, каждый из которых — A-Z, a-z, 0-9, _ или - (правило Telegram для secret_token)</translation>
    </message>
    <message>
        <source>LOG_LEVEL: %1 is not a log level (expected debug, info, warning or error)</source>
        <translation>LOG_LEVEL: %1 не является уровнем журналирования (ожидается debug, info, warning или error)</translation>
    </message>
    <message>
        <source>LOG_FORMAT: %1 is not a log format (expected text or json)</source>
        <translation>LOG_FORMAT: %1 не является форматом журнала (ожидается text или json)</translation>
    </message>
</context>
<context>
    <name>ConnectionProbe</name>
    <message>
        <source>The server name &quot;%1&quot; could not be found.</source>
        <translation>Сервер с именем «%1» не найден.</translation>
    </message>
    <message>
        <source>%1 refused the connection on port %2: no database server is listening there.</source>
        <translation>%1 отклонил подключение к порту %2: там не работает сервер базы данных.</translation>
    </message>
    <message>
        <source>%1 did not answer on port %2 in time.</source>
        <translation>%1 не ответил на порту %2 за отведённое время.</translation>
    </message>
    <message>
        <source>The server asks for a password, but none was given.</source>
        <translation>Сервер требует пароль, но он не указан.</translation>
    </message>
    <message>
        <source>The server did not accept the user name &quot;%1&quot; or its password.</source>
        <translation>Сервер не принял имя пользователя «%1» или его пароль.</translation>
    </message>
    <message>
        <source>This profile requires an encrypted (SSL) connection, but the server does not support SSL.</source>
        <translation>Профиль требует зашифрованного подключения (SSL), но сервер не поддерживает SSL.</translation>
    </message>
    <message>
        <source>The server refused a connection without encryption (SSL).</source>
        <translation>Сервер отклонил подключение без шифрования (SSL).</translation>
    </message>
    <message>
        <source>The database file %1 does not exist.</source>
        <translation>Файл базы данных %1 не существует.</translation>
    </message>
    <message>
        <source>The database %1 does not exist on this server.</source>
        <translation>На этом сервере нет базы данных %1.</translation>
    </message>
    <message>
        <source>The database has no salesbot tables yet (this console needs schema version %1).</source>
        <translation>В базе данных ещё нет таблиц salesbot (консоли нужна схема версии %1).</translation>
    </message>
    <message>
        <source>The database is at schema version %1; this console needs version %2.</source>
        <translation>Схема базы данных версии %1, а консоли нужна версия %2.</translation>
    </message>
    <message>
        <source>The database is at schema version %1, newer than this console knows (%2).</source>
        <translation>Схема базы данных версии %1 — новее, чем знает эта консоль (%2).</translation>
    </message>
    <message>
        <source>The Qt database driver %1 is not installed.</source>
        <translation>Драйвер баз данных Qt %1 не установлен.</translation>
    </message>
    <message>
        <source>The server&apos;s access rules (pg_hba.conf) do not allow this computer, user or database.</source>
        <translation>Правила доступа сервера (pg_hba.conf) не разрешают подключение с этого компьютера, для этого пользователя или к этой базе.</translation>
    </message>
    <message>
        <source>The connection failed.</source>
        <translation>Подключиться не удалось.</translation>
    </message>
    <message>
        <source>Check the host name for typos (copy it from DATABASE_URL or the provider&apos;s dashboard) and that this computer is online.</source>
        <translation>Проверьте имя сервера на опечатки (скопируйте его из DATABASE_URL или из панели провайдера) и что компьютер подключён к сети.</translation>
    </message>
    <message>
        <source>Check the port, and that PostgreSQL runs on that host and accepts TCP connections (listen_addresses); a firewall may be rejecting the connection.</source>
        <translation>Проверьте порт, а также что PostgreSQL запущен на этом сервере и принимает TCP-подключения (listen_addresses); подключение может отклонять брандмауэр.</translation>
    </message>
    <message>
        <source>The host may be down, a firewall may drop the traffic, or the address is wrong. Check the host and port, your network or VPN, and try again.</source>
        <translation>Сервер может быть выключен, брандмауэр может отбрасывать трафик, или адрес указан неверно. Проверьте сервер и порт, сеть или VPN и попробуйте ещё раз.</translation>
    </message>
    <message>
        <source>Enter the password for this user.</source>
        <translation>Введите пароль этого пользователя.</translation>
    </message>
    <message>
        <source>Check the user name and password (passwords are case-sensitive); when the database is on Heroku, copy them again from DATABASE_URL: Heroku rotates credentials.</source>
        <translation>Проверьте имя пользователя и пароль (в пароле важен регистр букв); если база на Heroku, скопируйте их заново из DATABASE_URL: Heroku периодически меняет учётные данные.</translation>
    </message>
    <message>
        <source>On a local or otherwise trusted network set the SSL mode to &quot;prefer&quot; or &quot;disable&quot;; otherwise ask the administrator to enable SSL on the server.</source>
        <translation>В локальной или иной доверенной сети выберите режим SSL «prefer» или «disable»; иначе попросите администратора включить SSL на сервере.</translation>
    </message>
    <message>
        <source>Set the SSL mode to &quot;require&quot;: hosted databases such as Heroku Postgres accept only encrypted connections. If that does not help, ask the administrator to allow your address in pg_hba.conf.</source>
        <translation>Выберите режим SSL «require»: облачные базы, например Heroku Postgres, принимают только зашифрованные подключения. Если это не поможет, попросите администратора разрешить ваш адрес в pg_hba.conf.</translation>
    </message>
    <message>
        <source>Check the path. The engine creates the file when it first starts (salesbot-engine migrate).</source>
        <translation>Проверьте путь. Файл создаёт движок при первом запуске (salesbot-engine migrate).</translation>
    </message>
    <message>
        <source>Check the database name (the part after the last &quot;/&quot; in DATABASE_URL), or create the database and run salesbot-engine migrate.</source>
        <translation>Проверьте имя базы данных (часть после последней «/» в DATABASE_URL) или создайте базу и выполните salesbot-engine migrate.</translation>
    </message>
    <message>
        <source>Run &quot;salesbot-engine migrate&quot; against this database (the engine also migrates when it starts), then test again.</source>
        <translation>Выполните «salesbot-engine migrate» для этой базы (движок делает это и при запуске), затем проверьте снова.</translation>
    </message>
    <message>
        <source>Install the salesbot console of the same version as the engine that upgraded this database.</source>
        <translation>Установите консоль salesbot той же версии, что и движок, обновивший эту базу.</translation>
    </message>
    <message>
        <source>Install the package libqt6sql6-psql (PostgreSQL) or libqt6sql6-sqlite (SQLite) and restart the console.</source>
        <translation>Установите пакет libqt6sql6-psql (PostgreSQL) или libqt6sql6-sqlite (SQLite) и перезапустите консоль.</translation>
    </message>
    <message>
        <source>Ask the database administrator to allow your address, user and database in pg_hba.conf.</source>
        <translation>Попросите администратора базы данных разрешить ваш адрес, пользователя и базу в pg_hba.conf.</translation>
    </message>
    <message>
        <source>Read the details below, check the connection settings and ask the administrator if the problem stays.</source>
        <translation>Прочитайте подробности ниже, проверьте параметры подключения и, если ошибка не исчезнет, обратитесь к администратору.</translation>
    </message>
</context>
<context>
    <name>CsvWriter</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Не удалось записать %1: %2</translation>
    </message>
</context>
<context>
    <name>DatabaseUrl</name>
    <message>
        <source>DATABASE_URL: is empty; expected postgres://user:password@host:port/dbname or sqlite:///path/to/file.db</source>
        <translation>DATABASE_URL: значение пустое; ожидается postgres://user:password@host:port/dbname или sqlite:///path/to/file.db</translation>
    </message>
    <message>
        <source>DATABASE_URL: is longer than %1 characters</source>
        <translation>DATABASE_URL: значение длиннее %1 символов</translation>
    </message>
    <message>
        <source>DATABASE_URL: does not start with a scheme; use postgres://, postgresql:// or sqlite:</source>
        <translation>DATABASE_URL: в начале не указана схема; используйте postgres://, postgresql:// или sqlite:</translation>
    </message>
    <message>
        <source>DATABASE_URL: unsupported scheme &quot;%1&quot;; use postgres://, postgresql:// or sqlite:</source>
        <translation>DATABASE_URL: неподдерживаемая схема &quot;%1&quot;; используйте postgres://, postgresql:// или sqlite:</translation>
    </message>
    <message>
        <source>DATABASE_URL: is not a valid database URL; expected postgres://user:password@host:port/dbname</source>
        <translation>DATABASE_URL: недопустимый адрес базы данных; ожидается postgres://user:password@host:port/dbname</translation>
    </message>
    <message>
        <source>DATABASE_URL: expected &quot;//&quot; after the scheme, as in postgres://user:password@host:port/dbname</source>
        <translation>DATABASE_URL: после схемы ожидается &quot;//&quot;, как в postgres://user:password@host:port/dbname</translation>
    </message>
    <message>
        <source>DATABASE_URL: the user name or password contains &apos;/&apos;, &apos;?&apos; or &apos;#&apos; that is not percent-encoded (write %2F, %3F, %23)</source>
        <translation>DATABASE_URL: имя пользователя или пароль содержит символ &apos;/&apos;, &apos;?&apos; или &apos;#&apos; без процентного кодирования (запишите его как %2F, %3F, %23)</translation>
    </message>
    <message>
        <source>DATABASE_URL: the user name has a malformed percent-encoding</source>
        <translation>DATABASE_URL: в имени пользователя некорректное процентное кодирование</translation>
    </message>
    <message>
        <source>DATABASE_URL: the password has a malformed percent-encoding</source>
        <translation>DATABASE_URL: в пароле некорректное процентное кодирование</translation>
    </message>
    <message>
        <source>DATABASE_URL: several hosts are not supported; give one host</source>
        <translation>DATABASE_URL: несколько хостов не поддерживаются; укажите один хост</translation>
    </message>
    <message>
        <source>DATABASE_URL: an IPv6 host is missing its closing &apos;]&apos;</source>
        <translation>DATABASE_URL: у хоста IPv6 нет закрывающей скобки &apos;]&apos;</translation>
    </message>
    <message>
        <source>DATABASE_URL: unexpected text after the IPv6 host; expected [address]:port</source>
        <translation>DATABASE_URL: лишний текст после хоста IPv6; ожидается [адрес]:порт</translation>
    </message>
    <message>
        <source>DATABASE_URL: the IPv6 host in brackets is empty</source>
        <translation>DATABASE_URL: хост IPv6 в квадратных скобках не указан</translation>
    </message>
    <message>
        <source>DATABASE_URL: an IPv6 host must be written in brackets, e.g. [::1]</source>
        <translation>DATABASE_URL: хост IPv6 нужно записывать в квадратных скобках, например [::1]</translation>
    </message>
    <message>
        <source>DATABASE_URL: the host has a malformed percent-encoding</source>
        <translation>DATABASE_URL: в имени хоста некорректное процентное кодирование</translation>
    </message>
    <message>
        <source>DATABASE_URL: no host; expected postgres://user:password@host:port/dbname</source>
        <translation>DATABASE_URL: не указан хост; ожидается postgres://user:password@host:port/dbname</translation>
    </message>
    <message>
        <source>DATABASE_URL: the port must be a number from 1 to 65535</source>
        <translation>DATABASE_URL: порт должен быть числом от 1 до 65535</translation>
    </message>
    <message>
        <source>DATABASE_URL: a fragment (#...) is not allowed; percent-encode &apos;#&apos; as %23</source>
        <translation>DATABASE_URL: фрагмент (#...) не допускается; закодируйте &apos;#&apos; как %23</translation>
    </message>
    <message>
        <source>DATABASE_URL: the database name must not contain &apos;/&apos; (write %2F)</source>
        <translation>DATABASE_URL: имя базы данных не должно содержать &apos;/&apos; (запишите %2F)</translation>
    </message>
    <message>
        <source>DATABASE_URL: the database name has a malformed percent-encoding</source>
        <translation>DATABASE_URL: в имени базы данных некорректное процентное кодирование</translation>
    </message>
    <message>
        <source>DATABASE_URL: no database name; expected postgres://user:password@host:port/dbname</source>
        <translation>DATABASE_URL: не указано имя базы данных; ожидается postgres://user:password@host:port/dbname</translation>
    </message>
    <message>
        <source>DATABASE_URL: a parameter has a malformed percent-encoding</source>
        <translation>DATABASE_URL: в параметре некорректное процентное кодирование</translation>
    </message>
    <message>
        <source>DATABASE_URL: parameter &quot;%1&quot; is given twice</source>
        <translation>DATABASE_URL: параметр &quot;%1&quot; указан дважды</translation>
    </message>
    <message>
        <source>DATABASE_URL: a parameter is given twice</source>
        <translation>DATABASE_URL: один из параметров указан дважды</translation>
    </message>
    <message>
        <source>DATABASE_URL: sslmode%1 is not one of disable, allow, prefer, require, verify-ca, verify-full</source>
        <translation>DATABASE_URL: недопустимое значение sslmode%1; допустимы disable, allow, prefer, require, verify-ca, verify-full</translation>
    </message>
    <message>
        <source>DATABASE_URL: connect_timeout must be a whole number of seconds from 0 to %1</source>
        <translation>DATABASE_URL: connect_timeout должен быть целым числом секунд от 0 до %1</translation>
    </message>
    <message>
        <source>DATABASE_URL: unknown parameter &quot;%1&quot;; supported are sslmode, connect_timeout and application_name</source>
        <translation>DATABASE_URL: неизвестный параметр &quot;%1&quot;; поддерживаются sslmode, connect_timeout и application_name</translation>
    </message>
    <message>
        <source>DATABASE_URL: unknown parameter; supported are sslmode, connect_timeout and application_name</source>
        <translation>DATABASE_URL: неизвестный параметр; поддерживаются sslmode, connect_timeout и application_name</translation>
    </message>
    <message>
        <source>DATABASE_URL: sqlite: takes no parameters; percent-encode &apos;?&apos; and &apos;#&apos; in a file name (%3F, %23)</source>
        <translation>DATABASE_URL: sqlite: не принимает параметров; закодируйте &apos;?&apos; и &apos;#&apos; в имени файла (%3F, %23)</translation>
    </message>
    <message>
        <source>DATABASE_URL: sqlite://host/... is not supported; use sqlite:///absolute/path.db or sqlite:relative/path.db</source>
        <translation>DATABASE_URL: sqlite://host/... не поддерживается; используйте sqlite:///absolute/path.db или sqlite:relative/path.db</translation>
    </message>
    <message>
        <source>DATABASE_URL: the SQLite path has a malformed percent-encoding</source>
        <translation>DATABASE_URL: в пути SQLite некорректное процентное кодирование</translation>
    </message>
    <message>
        <source>DATABASE_URL: an in-memory SQLite database is not supported (the data must survive a restart); give a file, e.g. sqlite:///var/lib/salesbot/salesbot.db</source>
        <translation>DATABASE_URL: база данных SQLite в памяти не поддерживается (данные должны сохраняться после перезапуска); укажите файл, например sqlite:///var/lib/salesbot/salesbot.db</translation>
    </message>
    <message>
        <source>DATABASE_URL: no SQLite file name; use sqlite:///absolute/path.db or sqlite:relative/path.db</source>
        <translation>DATABASE_URL: не указано имя файла SQLite; используйте sqlite:///absolute/path.db или sqlite:relative/path.db</translation>
    </message>
    <message>
        <source>DATABASE_URL: &apos;~&apos; is not expanded in a SQLite path; use an absolute path</source>
        <translation>DATABASE_URL: символ &apos;~&apos; в пути SQLite не раскрывается; укажите абсолютный путь</translation>
    </message>
    <message>
        <source>DATABASE_URL: the SQLite path contains a NUL character</source>
        <translation>DATABASE_URL: путь SQLite содержит символ NUL</translation>
    </message>
</context>
<context>
    <name>PersonName</name>
    <message>
        <source>Please write your name, for example Anna.</source>
        <translation>Пожалуйста, напишите ваше имя, например Анна.</translation>
    </message>
    <message>
        <source>This name is too long. Please write a name of up to %1 characters.</source>
        <translation>Это имя слишком длинное. Пожалуйста, напишите имя длиной не более %1 символов.</translation>
    </message>
    <message>
        <source>A name needs at least one letter. Please write your name, for example Anna.</source>
        <translation>В имени должна быть хотя бы одна буква. Пожалуйста, напишите ваше имя, например Анна.</translation>
    </message>
    <message>
        <source>Please write your name on one line, without special characters.</source>
        <translation>Пожалуйста, напишите имя одной строкой, без специальных символов.</translation>
    </message>
</context>
<context>
    <name>PhoneNumber</name>
    <message>
        <source>Please send your phone number, for example +7 916 123-45-67 or 8 916 123-45-67.</source>
        <translation>Пожалуйста, отправьте ваш номер телефона, например +7 916 123-45-67 или 8 916 123-45-67.</translation>
    </message>
    <message>
        <source>A phone number may contain only digits, a + at the start, spaces, dashes and brackets, for example +7 916 123-45-67.</source>
        <translation>Номер телефона может содержать только цифры, знак + в начале, пробелы, дефисы и скобки, например +7 916 123-45-67.</translation>
    </message>
    <message>
        <source>This number is too short. Please send the full number with the country code, for example +7 916 123-45-67 (a number has 8 to 15 digits).</source>
        <translation>Этот номер слишком короткий. Пожалуйста, отправьте полный номер с кодом страны, например +7 916 123-45-67 (в номере должно быть от 8 до 15 цифр).</translation>
    </message>
    <message>
        <source>This number is too long. Please send one number with the country code, for example +7 916 123-45-67 (a number has 8 to 15 digits).</source>
        <translation>Этот номер слишком длинный. Пожалуйста, отправьте один номер с кодом страны, например +7 916 123-45-67 (в номере должно быть от 8 до 15 цифр).</translation>
    </message>
    <message>
        <source>Please add the country code with a + at the start, for example +7 916 123-45-67 or +44 20 7946 0958. A Russian number may also start with 8.</source>
        <translation>Пожалуйста, укажите код страны со знаком + в начале, например +7 916 123-45-67 или +44 20 7946 0958. Российский номер также может начинаться с 8.</translation>
    </message>
    <message>
        <source>Please send your phone number, for example +7 916 123-45-67.</source>
        <translation>Пожалуйста, отправьте ваш номер телефона, например +7 916 123-45-67.</translation>
    </message>
</context>
</TS>
