<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>Dialog</name>
    <message>
        <source>📦 Package changed</source>
        <translation>📦 Изменён пакет</translation>
    </message>
    <message>
        <source>✏️ Contacts updated</source>
        <translation>✏️ Обновлены контакты</translation>
    </message>
    <message>
        <source>🆕 New application</source>
        <translation>🆕 Новая заявка</translation>
    </message>
    <message>
        <source>no package chosen</source>
        <translation>пакет не выбран</translation>
    </message>
    <message>
        <source>Name: %1</source>
        <translation>Имя: %1</translation>
    </message>
    <message>
        <source>Phone: %1</source>
        <translation>Телефон: %1</translation>
    </message>
    <message>
        <source>User: %1</source>
        <translation>Пользователь: %1</translation>
    </message>
    <message>
        <source>Package: %1</source>
        <translation>Пакет: %1</translation>
    </message>
    <message>
        <source>Time: %1</source>
        <translation>Время: %1</translation>
    </message>
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
    <message>
        <source>📦 Service packages</source>
        <translation>📦 Пакеты услуг</translation>
    </message>
    <message>
        <source>📝 Apply</source>
        <translation>📝 Оставить заявку</translation>
    </message>
    <message>
        <source>🔎 My application</source>
        <translation>🔎 Моя заявка</translation>
    </message>
    <message>
        <source>ℹ️ About us</source>
        <translation>ℹ️ О компании</translation>
    </message>
    <message>
        <source>📞 Contacts</source>
        <translation>📞 Контакты</translation>
    </message>
    <message>
        <source>❌ Cancel</source>
        <translation>❌ Отмена</translation>
    </message>
    <message>
        <source>friend</source>
        <translation>друг</translation>
    </message>
    <message>
        <source>Hello, %1! AI-Solutions builds chat-bots for businesses: from bots that answer frequent questions and take orders to AI assistants trained on your documents.

What are you interested in?</source>
        <translation>Здравствуйте, %1! Компания «AI-решения» создаёт чат-ботов для бизнеса: от ботов, которые отвечают на частые вопросы и принимают заказы, до AI-ассистентов, обученных на ваших документах.

Что вас интересует?</translation>
    </message>
    <message>
        <source>%1 — from %2 ₽</source>
        <translation>%1 — от %2 ₽</translation>
    </message>
    <message>
        <source>⬅️ Back</source>
        <translation>⬅️ Назад</translation>
    </message>
    <message>
        <source>Choose a package to learn more:</source>
        <translation>Выберите пакет, чтобы узнать подробности:</translation>
    </message>
    <message>
        <source>This package is no longer in the catalog.</source>
        <translation>Этого пакета больше нет в каталоге.</translation>
    </message>
    <message>
        <source>Timeline: %1</source>
        <translation>Сроки: %1</translation>
    </message>
    <message>
        <source>Price: from %1 ₽</source>
        <translation>Стоимость: от %1 ₽</translation>
    </message>
    <message>
        <source>📝 Apply for this package</source>
        <translation>📝 Оставить заявку на этот пакет</translation>
    </message>
    <message>
        <source>⬅️ To packages</source>
        <translation>⬅️ К пакетам</translation>
    </message>
    <message>
        <source>🏠 Main menu</source>
        <translation>🏠 Главное меню</translation>
    </message>
    <message>
        <source>&lt;b&gt;AI-Solutions&lt;/b&gt; designs and builds chat-bots for businesses in Telegram, WhatsApp and on websites: bots that answer customers around the clock, take orders and bookings, accept payments, talk to your CRM, and AI assistants that know your products.</source>
        <translation>Компания &lt;b&gt;«AI-решения»&lt;/b&gt; проектирует и создаёт чат-ботов для бизнеса в Telegram, WhatsApp и на сайтах. Наши боты круглосуточно отвечают клиентам, принимают заказы, записи и оплату, работают с вашей CRM. А AI-ассистенты знают всё о ваших продуктах.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Contacts&lt;/b&gt;
Phone: %1
E-mail: %2
Site: %3
Working hours: %4</source>
        <translation>&lt;b&gt;Контакты&lt;/b&gt;
Телефон: %1
E-mail: %2
Сайт: %3
Часы работы: %4</translation>
    </message>
    <message>
        <source>You have no applications yet.</source>
        <translation>У вас пока нет заявок.</translation>
    </message>
    <message>
        <source>Application №%1 of %2
Package: %3
Status: %4</source>
        <translation>Заявка №%1 от %2
Пакет: %3
Статус: %4</translation>
    </message>
    <message>
        <source>I answer through the menu below. If you would like a manager to talk to you personally, leave an application and they will get in touch.</source>
        <translation>Я отвечаю через меню ниже. Если хотите пообщаться с менеджером лично, оставьте заявку — он свяжется с вами.</translation>
    </message>
    <message>
        <source>✏️ Update contacts</source>
        <translation>✏️ Обновить контакты</translation>
    </message>
    <message>
        <source>📦 Switch package to «%1»</source>
        <translation>📦 Сменить пакет на «%1»</translation>
    </message>
    <message>
        <source>You already have application №%1 of %2.
Package: %3
Status: %4

A second one is not needed: a manager is already working on it.</source>
        <translation>У вас уже есть заявка №%1 от %2.
Пакет: %3
Статус: %4

Вторая заявка не нужна: менеджер уже работает с ней.</translation>
    </message>
    <message>
        <source>The menu has changed: you have no open application.</source>
        <translation>Меню изменилось: у вас нет открытой заявки.</translation>
    </message>
    <message>
        <source>The menu has changed.</source>
        <translation>Меню изменилось.</translation>
    </message>
    <message>
        <source>The package of application №%1 is now «%2».</source>
        <translation>Пакет заявки №%1 изменён на «%2».</translation>
    </message>
    <message>
        <source>Application cancelled.</source>
        <translation>Заявка отменена.</translation>
    </message>
    <message>
        <source>How should we address you? Please write your name.</source>
        <translation>Как к вам обращаться? Напишите, пожалуйста, ваше имя.</translation>
    </message>
    <message>
        <source>📱 Share my number</source>
        <translation>📱 Отправить номер</translation>
    </message>
    <message>
        <source>Leave a phone number to contact you: press the button below or type the number.</source>
        <translation>Оставьте номер телефона для связи: нажмите кнопку ниже или введите номер вручную.</translation>
    </message>
    <message>
        <source>That looks like a command. I am waiting for your name.</source>
        <translation>Похоже, это команда. Сейчас я жду ваше имя.</translation>
    </message>
    <message>
        <source>That looks like a command. I am waiting for your phone number.</source>
        <translation>Похоже, это команда. Сейчас я жду ваш номер телефона.</translation>
    </message>
    <message>
        <source>Please write your name as a text message.</source>
        <translation>Пожалуйста, напишите имя текстовым сообщением.</translation>
    </message>
    <message>
        <source>This is someone else&apos;s contact. Please share your own number or type it.</source>
        <translation>Это чужой контакт. Отправьте, пожалуйста, свой номер или введите его вручную.</translation>
    </message>
    <message>
        <source>Please share your number with the button below or type it.</source>
        <translation>Пожалуйста, отправьте номер кнопкой ниже или введите его вручную.</translation>
    </message>
    <message>
        <source>The contact details of application №%1 have been updated.</source>
        <translation>Контактные данные по заявке №%1 обновлены.</translation>
    </message>
    <message>
        <source>Your contacts were not saved as a new application.</source>
        <translation>Ваши контакты не были сохранены как новая заявка.</translation>
    </message>
    <message>
        <source>Thank you, %1! Your application №%2 has been accepted.
Package: %3

A manager will contact you soon. To check the status, send /status.</source>
        <translation>Спасибо, %1! Ваша заявка №%2 принята.
Пакет: %3

Менеджер свяжется с вами в ближайшее время. Чтобы узнать статус заявки, отправьте /status.</translation>
    </message>
    <message>
        <source>There is nothing to cancel.</source>
        <translation>Отменять нечего.</translation>
    </message>
    <message>
        <source>The menu has changed. Here is the current one.</source>
        <translation>Меню изменилось. Вот актуальное.</translation>
    </message>
    <message>
        <source>Sorry, something went wrong on our side. Please try again in a minute or send /start to open the menu.</source>
        <translation>Извините, у нас что-то пошло не так. Попробуйте ещё раз через минуту или отправьте /start, чтобы открыть меню.</translation>
    </message>
</context>
<context>
    <name>EngineCli</name>
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
        <translation>salesbot-engine: BOT_TOKEN не задан: создайте бота через @BotFather в Telegram (/newbot) и запустите снова с BOT_TOKEN=&lt;токен&gt;; или попробуйте бота в этом терминале: salesbot-engine shell</translation>
    </message>
    <message>
        <source>guest</source>
        <translation>гость</translation>
    </message>
    <message>
        <source>Telegram: %1</source>
        <translation>Telegram: %1</translation>
    </message>
    <message>
        <source>Telegram: reachable, the bot is @%1.</source>
        <translation>Telegram: доступен, бот — @%1.</translation>
    </message>
    <message>
        <source>Usage: salesbot-engine [command] [options]

The Telegram sales bot of AI-Solutions and its admin commands.

Commands:
  run        run the bot (the default)
  migrate    bring the database schema up to date and exit
  check      check the database and the schema version
  stats      applications and package interest for the last days (--days N, default 7)
  applications  list applications, newest first: --status new,in_progress,done,rejected
             --package CODE, --days N, --search TEXT (number, name, phone, username),
             --limit N (default 100 in a table, all in CSV and JSON), --format table|csv|json
  activity   active users per day and the funnel of the new users (--days N, default 7)
  shell      talk to the bot in this terminal, no Telegram needed
             (SHELL_USER_ID, SHELL_LANGUAGE=en)

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

Exit codes: 0 ok, 1 failure, 2 usage, 3 configuration, 4 database unreachable,
5 Telegram unreachable.
</source>
        <translation>Использование: salesbot-engine [команда] [параметры]

Telegram-бот продаж компании «AI-решения» и его административные команды.

Команды:
  run        запустить бота (по умолчанию)
  migrate    обновить схему базы данных до актуальной версии и выйти
  check      проверить базу данных и версию схемы
  stats      заявки и интерес к пакетам за последние дни (--days N, по умолчанию 7)
  applications  список заявок, новые сверху: --status new,in_progress,done,rejected
             --package КОД, --days N, --search ТЕКСТ (номер, имя, телефон, username),
             --limit N (по умолчанию 100 в таблице, все в CSV и JSON), --format table|csv|json
  activity   активные пользователи по дням и воронка новых пользователей (--days N, по умолчанию 7)
  shell      поговорить с ботом в этом терминале, без Telegram
             (SHELL_USER_ID, SHELL_LANGUAGE=en)

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

Коды завершения: 0 — успешно, 1 — ошибка, 2 — ошибка вызова, 3 — ошибка конфигурации,
4 — база данных недоступна, 5 — Telegram недоступен.
</translation>
    </message>
    <message>
        <source>--status takes new, in_progress, done or rejected, separated by commas</source>
        <translation>--status принимает new, in_progress, done или rejected через запятую</translation>
    </message>
    <message>
        <source>--format takes table, csv or json</source>
        <translation>--format принимает table, csv или json</translation>
    </message>
    <message>
        <source>--limit needs a positive number</source>
        <translation>для --limit укажите положительное число</translation>
    </message>
    <message>
        <source>number</source>
        <translation>номер</translation>
    </message>
    <message>
        <source>created (UTC)</source>
        <translation>создана (UTC)</translation>
    </message>
    <message>
        <source>status</source>
        <translation>статус</translation>
    </message>
    <message>
        <source>name</source>
        <translation>имя</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <source>telegram</source>
        <translation>telegram</translation>
    </message>
    <message>
        <source>%1 of %2 shown; --limit N shows more.</source>
        <translation>Показано %1 из %2; --limit N покажет больше.</translation>
    </message>
    <message numerus="yes">
        <source>%n application(s).</source>
        <translation>
            <numerusform>%n заявка.</numerusform>
            <numerusform>%n заявки.</numerusform>
            <numerusform>%n заявок.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Active users per day, last %n day(s) (UTC):</source>
        <translation>
            <numerusform>Активные пользователи по дням за последний %n день (UTC):</numerusform>
            <numerusform>Активные пользователи по дням за последние %n дня (UTC):</numerusform>
            <numerusform>Активные пользователи по дням за последние %n дней (UTC):</numerusform>
        </translation>
    </message>
    <message>
        <source>Funnel of the users who first came in this period:</source>
        <translation>Воронка пользователей, впервые пришедших за этот период:</translation>
    </message>
    <message>
        <source>came to the bot</source>
        <translation>пришли к боту</translation>
    </message>
    <message>
        <source>viewed a package</source>
        <translation>смотрели пакет</translation>
    </message>
    <message>
        <source>started the form</source>
        <translation>начали заявку</translation>
    </message>
    <message>
        <source>filed an application</source>
        <translation>подали заявку</translation>
    </message>
</context>
</TS>
