<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ConnectionProfiles</name>
    <message>
        <source>Choose the database file.</source>
        <translation>Выберите файл базы данных.</translation>
    </message>
    <message>
        <source>Enter the server&apos;s host name.</source>
        <translation>Введите имя сервера.</translation>
    </message>
    <message>
        <source>The port must be between 1 and 65535.</source>
        <translation>Порт должен быть от 1 до 65535.</translation>
    </message>
    <message>
        <source>Enter the database name.</source>
        <translation>Введите имя базы данных.</translation>
    </message>
    <message>
        <source>Enter the user name.</source>
        <translation>Введите имя пользователя.</translation>
    </message>
    <message>
        <source>Unknown SSL mode &quot;%1&quot;.</source>
        <translation>Неизвестный режим SSL «%1».</translation>
    </message>
</context>
<context>
    <name>DashboardData</name>
    <message>
        <source>Started the bot</source>
        <translation>Запустили бота</translation>
    </message>
    <message>
        <source>Viewed a package</source>
        <translation>Посмотрели пакет</translation>
    </message>
    <message>
        <source>Started the form</source>
        <translation>Начали заявку</translation>
    </message>
    <message>
        <source>Filed an application</source>
        <translation>Отправили заявку</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <source>Package interest</source>
        <translation>Интерес к пакетам</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Пакет</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Код</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Просмотры</translation>
    </message>
    <message>
        <source>Applications</source>
        <translation>Заявки</translation>
    </message>
    <message>
        <source>Conversion, %</source>
        <translation>Конверсия, %</translation>
    </message>
    <message>
        <source>Daily volume</source>
        <translation>Заявки и пользователи по дням</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>New users</source>
        <translation>Новые пользователи</translation>
    </message>
    <message>
        <source>Funnel</source>
        <translation>Воронка</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Шаг</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Пользователи</translation>
    </message>
    <message>
        <source>Of the first step, %</source>
        <translation>От первого шага, %</translation>
    </message>
</context>
<context>
    <name>salesbot::ActivityView</name>
    <message>
        <source>Search by name, @username or Telegram ID</source>
        <translation>Поиск по имени, @username или Telegram ID</translation>
    </message>
    <message numerus="yes">
        <source>Active users per day, last %n day(s)</source>
        <translation>
            <numerusform>Активные пользователи по дням, последний %n день</numerusform>
            <numerusform>Активные пользователи по дням, последние %n дня</numerusform>
            <numerusform>Активные пользователи по дням, последние %n дней</numerusform>
        </translation>
    </message>
    <message>
        <source>No activity in these days</source>
        <translation>В эти дни активности не было</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>Active users</source>
        <translation>Активные пользователи</translation>
    </message>
    <message>
        <source>%1 users shown, scroll for more</source>
        <translation>Показано пользователей: %1, прокрутите, чтобы загрузить ещё</translation>
    </message>
    <message numerus="yes">
        <source>%n user(s)</source>
        <translation>
            <numerusform>%n пользователь</numerusform>
            <numerusform>%n пользователя</numerusform>
            <numerusform>%n пользователей</numerusform>
        </translation>
    </message>
    <message>
        <source>The bot has met no users yet.</source>
        <translation>У бота пока нет пользователей.</translation>
    </message>
    <message>
        <source>No users match the search.</source>
        <translation>Никто не найден.</translation>
    </message>
    <message>
        <source>Select a user to see their timeline.</source>
        <translation>Выберите пользователя, чтобы увидеть его действия.</translation>
    </message>
    <message>
        <source>ID %1</source>
        <translation>ID %1</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s)</source>
        <translation>
            <numerusform>%n действие</numerusform>
            <numerusform>%n действия</numerusform>
            <numerusform>%n действий</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not load the activity: %1</source>
        <translation>Не удалось загрузить активность: %1</translation>
    </message>
</context>
<context>
    <name>salesbot::ApplicationDetails</name>
    <message>
        <source>Select an application to see its details.</source>
        <translation>Выберите заявку, чтобы увидеть подробности.</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Имя:</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <source>Copy the phone number to the clipboard</source>
        <translation>Скопировать номер телефона в буфер обмена</translation>
    </message>
    <message>
        <source>Phone number %1 copied</source>
        <translation>Номер %1 скопирован</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>Телефон:</translation>
    </message>
    <message>
        <source>Telegram:</source>
        <translation>Telegram:</translation>
    </message>
    <message>
        <source>Package:</source>
        <translation>Пакет:</translation>
    </message>
    <message>
        <source>Dates:</source>
        <translation>Даты:</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Notify the customer in Telegram</source>
        <translation>Сообщить клиенту в Telegram</translation>
    </message>
    <message>
        <source>Change status</source>
        <translation>Сменить статус</translation>
    </message>
    <message>
        <source>Manager&apos;s note</source>
        <translation>Заметка менеджера</translation>
    </message>
    <message>
        <source>Who works on it</source>
        <translation>Кто ведёт заявку</translation>
    </message>
    <message>
        <source>Assignee:</source>
        <translation>Ответственный:</translation>
    </message>
    <message>
        <source>Agreements, next steps, call results…</source>
        <translation>Договорённости, следующие шаги, итоги звонков…</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Отменить правки</translation>
    </message>
    <message>
        <source>Save note</source>
        <translation>Сохранить заметку</translation>
    </message>
    <message>
        <source>Save the note and assignee (Ctrl+Enter)</source>
        <translation>Сохранить заметку и ответственного (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Кто</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Что</translation>
    </message>
    <message>
        <source>Activity in the bot</source>
        <translation>Действия в боте</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Пакет</translation>
    </message>
    <message>
        <source>not chosen</source>
        <translation>не выбран</translation>
    </message>
    <message>
        <source>Application №%1</source>
        <translation>Заявка №%1</translation>
    </message>
    <message>
        <source>Open the chat with the customer</source>
        <translation>Открыть чат с клиентом</translation>
    </message>
    <message>
        <source>created %1, updated %2</source>
        <translation>создана %1, изменена %2</translation>
    </message>
    <message>
        <source>The status was not changed</source>
        <translation>Статус не изменён</translation>
    </message>
    <message>
        <source>Application №%1 is now «%2».</source>
        <translation>Заявка №%1 теперь «%2».</translation>
    </message>
    <message>
        <source>The customer will be notified in Telegram.</source>
        <translation>Клиент получит сообщение в Telegram.</translation>
    </message>
    <message>
        <source>The customer was not notified: %1.</source>
        <translation>Клиент не уведомлён: %1.</translation>
    </message>
    <message>
        <source>The note was not saved</source>
        <translation>Заметка не сохранена</translation>
    </message>
    <message>
        <source>The note is saved.</source>
        <translation>Заметка сохранена.</translation>
    </message>
    <message>
        <source>Note for application №%1 saved</source>
        <translation>Заметка к заявке №%1 сохранена</translation>
    </message>
    <message>
        <source>%1: another manager changed this application a moment ago. The current state is shown below; your unsaved note is kept — review it and save again.</source>
        <translation>%1: другой менеджер только что изменил эту заявку. Ниже — её текущее состояние; ваша несохранённая заметка осталась в поле — проверьте её и сохраните снова.</translation>
    </message>
    <message>
        <source>status: %1 → %2</source>
        <translation>статус: %1 → %2</translation>
    </message>
    <message>
        <source>application filed</source>
        <translation>заявка подана</translation>
    </message>
    <message>
        <source>contacts updated: %1</source>
        <translation>контакты обновлены: %1</translation>
    </message>
    <message>
        <source>package: %1 → %2</source>
        <translation>пакет: %1 → %2</translation>
    </message>
    <message>
        <source>note changed</source>
        <translation>заметка изменена</translation>
    </message>
    <message>
        <source>assignee: %1</source>
        <translation>ответственный: %1</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>никто</translation>
    </message>
</context>
<context>
    <name>salesbot::ApplicationsModel</name>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>№</source>
        <translation>№</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Создана</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Пакет</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Изменена</translation>
    </message>
</context>
<context>
    <name>salesbot::ApplicationsView</name>
    <message>
        <source>Could not load the applications: %1</source>
        <translation>Не удалось загрузить заявки: %1</translation>
    </message>
    <message>
        <source>New application №%1</source>
        <translation>Новая заявка №%1</translation>
    </message>
    <message>
        <source>Search: number, name, phone, @username (Ctrl+F)</source>
        <translation>Поиск: номер, имя, телефон, @username (Ctrl+F)</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Все статусы</translation>
    </message>
    <message>
        <source>Open (new and in progress)</source>
        <translation>Открытые (новые и в работе)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>All packages</source>
        <translation>Все пакеты</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Пакет</translation>
    </message>
    <message>
        <source>From</source>
        <translation>С</translation>
    </message>
    <message>
        <source>Filed on or after this day</source>
        <translation>Поданные в этот день или позже</translation>
    </message>
    <message>
        <source>to</source>
        <translation>по</translation>
    </message>
    <message>
        <source>Filed on or before this day</source>
        <translation>Поданные в этот день или раньше</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Сбросить</translation>
    </message>
    <message>
        <source>Clear all filters</source>
        <translation>Сбросить все фильтры</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Экспорт CSV…</translation>
    </message>
    <message>
        <source>Save every application of the current filter for Excel</source>
        <translation>Сохранить все заявки текущего фильтра для Excel</translation>
    </message>
    <message>
        <source>No package</source>
        <translation>Без пакета</translation>
    </message>
    <message>
        <source>Shown %1 of %2</source>
        <translation>Показано %1 из %2</translation>
    </message>
    <message>
        <source>Export applications</source>
        <translation>Экспорт заявок</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Создана</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Ответственный</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Изменена</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Экспорт…</translation>
    </message>
    <message>
        <source>Exported %1 applications to %2</source>
        <translation>Выгружено заявок: %1 в %2</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Экспорт не удался: %1</translation>
    </message>
</context>
<context>
    <name>salesbot::BarChart</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>salesbot::CatalogView</name>
    <message>
        <source>The catalog was changed elsewhere. Reload it? Your unsaved edit will be lost.</source>
        <translation>Каталог изменён в другом месте. Перезагрузить? Несохранённая правка будет потеряна.</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Перезагрузить</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>Продолжить правку</translation>
    </message>
    <message>
        <source>Latin lowercase letters, digits and _; starts with a letter; fixed once saved</source>
        <translation>Строчные латинские буквы, цифры и _; начинается с буквы; после сохранения не меняется</translation>
    </message>
    <message>
        <source>One feature per line</source>
        <translation>Одна возможность на строку</translation>
    </message>
    <message>
        <source>e.g. 15000</source>
        <translation>например, 15000</translation>
    </message>
    <message>
        <source>e.g. 2–3 weeks</source>
        <translation>например, 2–3 недели</translation>
    </message>
    <message>
        <source>Packages are shown in ascending order</source>
        <translation>Пакеты показываются по возрастанию порядка</translation>
    </message>
    <message>
        <source>Shown to customers</source>
        <translation>Показывать клиентам</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Код</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Описание</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>Возможности</translation>
    </message>
    <message>
        <source>Price from, RUB</source>
        <translation>Цена от, ₽</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Срок</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Порядок</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Активен</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Отменить правку</translation>
    </message>
    <message>
        <source>New package</source>
        <translation>Новый пакет</translation>
    </message>
    <message>
        <source>New package: fill in the form and save.</source>
        <translation>Новый пакет: заполните форму и сохраните.</translation>
    </message>
    <message>
        <source>The code must start with a Latin lowercase letter and contain only a–z, 0–9 and _ (at most 32 characters).</source>
        <translation>Код должен начинаться со строчной латинской буквы и содержать только a–z, 0–9 и _ (не длиннее 32 символов).</translation>
    </message>
    <message>
        <source>A package with the code “%1” already exists.</source>
        <translation>Пакет с кодом «%1» уже есть.</translation>
    </message>
    <message>
        <source>The title must not be empty.</source>
        <translation>Название не может быть пустым.</translation>
    </message>
    <message>
        <source>The title is longer than %1 characters.</source>
        <translation>Название длиннее %1 символов.</translation>
    </message>
    <message>
        <source>The price must be a whole number of roubles, 0 or more.</source>
        <translation>Цена — целое число рублей, 0 или больше.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <source>Could not save the package: %1</source>
        <translation>Не удалось сохранить пакет: %1</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>«%1» сохранён.</translation>
    </message>
    <message>
        <source>Could not load the catalog: %1</source>
        <translation>Не удалось загрузить каталог: %1</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Несохранённые изменения</translation>
    </message>
    <message>
        <source>The package “%1” has unsaved changes.</source>
        <translation>В пакете «%1» есть несохранённые изменения.</translation>
    </message>
    <message>
        <source>Save them before switching?</source>
        <translation>Сохранить их перед переходом?</translation>
    </message>
</context>
<context>
    <name>salesbot::ChartWidget</name>
    <message>
        <source>Could not write the image to %1.</source>
        <translation>Не удалось записать изображение в %1.</translation>
    </message>
</context>
<context>
    <name>salesbot::ConnectionDialog</name>
    <message>
        <source>%1 s ago</source>
        <translation>%1 с назад</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>%1 мин назад</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>%1 ч назад</translation>
    </message>
    <message>
        <source>%1 days ago</source>
        <translation>%1 дн. назад</translation>
    </message>
    <message>
        <source>Connect to the database</source>
        <translation>Подключение к базе данных</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Новый</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>&amp;Profiles</source>
        <translation>&amp;Профили</translation>
    </message>
    <message>
        <source>Fill in</source>
        <translation>Заполнить</translation>
    </message>
    <message>
        <source>Paste DATABASE_URL</source>
        <translation>Вставьте DATABASE_URL</translation>
    </message>
    <message>
        <source>Remember the password</source>
        <translation>Запомнить пароль</translation>
    </message>
    <message>
        <source>default (prefer)</source>
        <translation>по умолчанию (prefer)</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <source>&amp;Host</source>
        <translation>&amp;Сервер</translation>
    </message>
    <message>
        <source>&amp;Database</source>
        <translation>&amp;База данных</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>По&amp;льзователь</translation>
    </message>
    <message>
        <source>Pass&amp;word</source>
        <translation>Пар&amp;оль</translation>
    </message>
    <message>
        <source>&amp;SSL mode</source>
        <translation>Режим SS&amp;L</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Название</translation>
    </message>
    <message>
        <source>&amp;Type</source>
        <translation>&amp;Тип</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Про&amp;верить подключение</translation>
    </message>
    <message>
        <source>Test the connection to see whether the console can work with this database.</source>
        <translation>Проверьте подключение, чтобы узнать, сможет ли консоль работать с этой базой.</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>Под&amp;ключиться</translation>
    </message>
    <message>
        <source>&amp;Save profile</source>
        <translation>Со&amp;хранить профиль</translation>
    </message>
    <message>
        <source>SQLite database</source>
        <translation>База данных SQLite</translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite3 *.sqlite *.db);;All files (*)</source>
        <translation>Базы данных SQLite (*.sqlite3 *.sqlite *.db);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>Удаление профиля</translation>
    </message>
    <message>
        <source>Delete the profile &quot;%1&quot; and its saved password?</source>
        <translation>Удалить профиль «%1» и сохранённый пароль?</translation>
    </message>
    <message>
        <source>Give the profile a name.</source>
        <translation>Дайте профилю название.</translation>
    </message>
    <message>
        <source>The console can work with this database.</source>
        <translation>Консоль может работать с этой базой данных.</translation>
    </message>
    <message>
        <source>The console cannot work with this database yet.</source>
        <translation>Консоль пока не может работать с этой базой данных.</translation>
    </message>
    <message>
        <source>Testing… %1 s</source>
        <translation>Проверка… %1 с</translation>
    </message>
    <message>
        <source>Remember the password until the console is closed</source>
        <translation>Запомнить пароль до закрытия консоли</translation>
    </message>
    <message>
        <source>Database file found: %1</source>
        <translation>Файл базы данных найден: %1</translation>
    </message>
    <message>
        <source>Database file not found: %1</source>
        <translation>Файл базы данных не найден: %1</translation>
    </message>
    <message>
        <source>Server reachable: %1:%2</source>
        <translation>Сервер доступен: %1:%2</translation>
    </message>
    <message>
        <source>Server not reachable: %1:%2</source>
        <translation>Сервер недоступен: %1:%2</translation>
    </message>
    <message>
        <source>Logged in as %1</source>
        <translation>Вход выполнен как %1</translation>
    </message>
    <message>
        <source>Not logged in as %1</source>
        <translation>Войти как %1 не удалось</translation>
    </message>
    <message>
        <source>Encrypted connection (SSL)</source>
        <translation>Соединение зашифровано (SSL)</translation>
    </message>
    <message>
        <source>Not encrypted: SSL is not in use</source>
        <translation>Без шифрования: SSL не используется</translation>
    </message>
    <message>
        <source>Server version: %1</source>
        <translation>Версия сервера: %1</translation>
    </message>
    <message>
        <source>Round trip: %1 ms</source>
        <translation>Время отклика: %1 мс</translation>
    </message>
    <message>
        <source>Schema version %1, as this console expects</source>
        <translation>Схема версии %1, как и ожидает консоль</translation>
    </message>
    <message>
        <source>Schema version %1, older than this console expects (%2)</source>
        <translation>Схема версии %1 — старее, чем ожидает консоль (%2)</translation>
    </message>
    <message>
        <source>Schema version %1, newer than this console expects (%2)</source>
        <translation>Схема версии %1 — новее, чем ожидает консоль (%2)</translation>
    </message>
    <message>
        <source>Users: %1, applications: %2, bot actions: %3, messages waiting to be sent: %4</source>
        <translation>Пользователей: %1, заявок: %2, действий в боте: %3, сообщений в очереди на отправку: %4</translation>
    </message>
    <message>
        <source>Engine: none has run against this database yet</source>
        <translation>Движок: с этой базой ещё ни один не работал</translation>
    </message>
    <message>
        <source>Engine online (%1, last heartbeat %2)</source>
        <translation>Движок работает (%1, последний сигнал %2)</translation>
    </message>
    <message>
        <source>Engine offline (%1, last heartbeat %2)</source>
        <translation>Движок не работает (%1, последний сигнал %2)</translation>
    </message>
    <message>
        <source>What to do: %1</source>
        <translation>Что сделать: %1</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Подробности: %1</translation>
    </message>
    <message>
        <source>Checked in %1 s</source>
        <translation>Проверено за %1 с</translation>
    </message>
</context>
<context>
    <name>salesbot::DashboardView</name>
    <message>
        <source>Last 7 days</source>
        <translation>Последние 7 дней</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Последние 30 дней</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Последние 90 дней</translation>
    </message>
    <message>
        <source>Custom period</source>
        <translation>Произвольный период</translation>
    </message>
    <message>
        <source>The operator&apos;s local days, today included</source>
        <translation>Дни по местному времени, включая сегодня</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Load the period again (F5)</source>
        <translation>Загрузить период заново (F5)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
    <message>
        <source>Dashboard as PNG…</source>
        <translation>Сводка в PNG…</translation>
    </message>
    <message>
        <source>Package interest as PNG…</source>
        <translation>Интерес к пакетам в PNG…</translation>
    </message>
    <message>
        <source>Daily volume as PNG…</source>
        <translation>Заявки по дням в PNG…</translation>
    </message>
    <message>
        <source>Funnel as PNG…</source>
        <translation>Воронка в PNG…</translation>
    </message>
    <message>
        <source>Data as CSV…</source>
        <translation>Данные в CSV…</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Период:</translation>
    </message>
    <message>
        <source>Package views</source>
        <translation>Просмотры пакетов</translation>
    </message>
    <message>
        <source>Applications</source>
        <translation>Заявки</translation>
    </message>
    <message>
        <source>Conversion</source>
        <translation>Конверсия</translation>
    </message>
    <message>
        <source>New users</source>
        <translation>Новые пользователи</translation>
    </message>
    <message>
        <source>How often packages were opened in the bot</source>
        <translation>Сколько раз пакеты открывали в боте</translation>
    </message>
    <message>
        <source>Applications filed in the period</source>
        <translation>Заявки, поданные за период</translation>
    </message>
    <message>
        <source>Applications per package view</source>
        <translation>Заявок на один просмотр пакета</translation>
    </message>
    <message>
        <source>Users who first wrote to the bot</source>
        <translation>Пользователи, впервые написавшие боту</translation>
    </message>
    <message>
        <source>Package interest</source>
        <translation>Интерес к пакетам</translation>
    </message>
    <message>
        <source>No package was viewed and no application filed in this period.</source>
        <translation>За этот период пакеты не просматривали и заявок не было.</translation>
    </message>
    <message>
        <source>Applications and new users per day</source>
        <translation>Заявки и новые пользователи по дням</translation>
    </message>
    <message>
        <source>No data for this period.</source>
        <translation>Нет данных за этот период.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Просмотры</translation>
    </message>
    <message>
        <source>conversion %1</source>
        <translation>конверсия %1</translation>
    </message>
    <message>
        <source>%1 – %2, updated at %3</source>
        <translation>%1 – %2, обновлено в %3</translation>
    </message>
    <message>
        <source>Not updated</source>
        <translation>Не обновлено</translation>
    </message>
    <message>
        <source>The dashboard could not be loaded: %1
Check the connection and press Refresh.</source>
        <translation>Не удалось загрузить сводку: %1
Проверьте подключение и нажмите «Обновить».</translation>
    </message>
    <message>
        <source>Could not write the image to %1.</source>
        <translation>Не удалось записать изображение в %1.</translation>
    </message>
    <message>
        <source>Save as PNG</source>
        <translation>Сохранить в PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Изображения PNG (*.png)</translation>
    </message>
    <message>
        <source>Save as CSV</source>
        <translation>Сохранить в CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>Funnel of the new users</source>
        <translation>Воронка новых пользователей</translation>
    </message>
    <message>
        <source>Nobody new came to the bot in this period.</source>
        <translation>За этот период новых пользователей не было.</translation>
    </message>
</context>
<context>
    <name>salesbot::FallbackCredentialStore</name>
    <message>
        <source>no secret service answered</source>
        <translation>служба хранения паролей не ответила</translation>
    </message>
    <message>
        <source>The system keychain is not available (%1). Passwords are kept only until the console is closed and will have to be entered again next time.</source>
        <translation>Системное хранилище паролей недоступно (%1). Пароли хранятся только до закрытия консоли, в следующий раз их придётся ввести снова.</translation>
    </message>
</context>
<context>
    <name>salesbot::FunnelChart</name>
    <message>
        <source>Users: %1</source>
        <translation>Пользователей: %1</translation>
    </message>
    <message>
        <source>Of the first step: %1</source>
        <translation>От первого шага: %1</translation>
    </message>
    <message>
        <source>Of the previous step: %1</source>
        <translation>От предыдущего шага: %1</translation>
    </message>
</context>
<context>
    <name>salesbot::MainWindow</name>
    <message>
        <source>Applications</source>
        <translation>Заявки</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Сводка</translation>
    </message>
    <message>
        <source>Users and activity</source>
        <translation>Пользователи и активность</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>Каталог</translation>
    </message>
    <message>
        <source>Salesbot — sales console</source>
        <translation>Salesbot — консоль продаж</translation>
    </message>
    <message>
        <source>Waiting for the database</source>
        <translation>Ждём ответа базы данных</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>Export applications to CSV…</source>
        <translation>Экспорт заявок в CSV…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>Search applications</source>
        <translation>Поиск заявок</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>About</source>
        <translation>О программе</translation>
    </message>
    <message>
        <source>About Salesbot console</source>
        <translation>О консоли Salesbot</translation>
    </message>
    <message>
        <source>&lt;b&gt;Salesbot console&lt;/b&gt; %1&lt;br&gt;The operator console of the «AI-решения» sales bot.&lt;br&gt;Qt %2</source>
        <translation>&lt;b&gt;Консоль Salesbot&lt;/b&gt; %1&lt;br&gt;Консоль менеджеров бота продаж «AI-решения».&lt;br&gt;Qt %2</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Подключение к %1…</translation>
    </message>
    <message>
        <source>No connection</source>
        <translation>Нет соединения</translation>
    </message>
    <message>
        <source>Connected: %1</source>
        <translation>Подключено: %1</translation>
    </message>
    <message>
        <source>Schema %1</source>
        <translation>Схема %1</translation>
    </message>
    <message>
        <source>Schema %1 (this console expects %2)</source>
        <translation>Схема %1 (консоль ожидает %2)</translation>
    </message>
    <message>
        <source>● Bot online</source>
        <translation>● Бот работает</translation>
    </message>
    <message>
        <source>Engine on %1 (pid %2), heard from %3 s ago</source>
        <translation>Движок на %1 (pid %2), отзывался %3 с назад</translation>
    </message>
    <message>
        <source>● Bot offline</source>
        <translation>● Бот не работает</translation>
    </message>
    <message>
        <source>Last heard from %1 min ago</source>
        <translation>Последний сигнал %1 мин назад</translation>
    </message>
    <message>
        <source>No engine has run on this database yet</source>
        <translation>С этой базой ещё не работал ни один движок</translation>
    </message>
    <message>
        <source>Unsaved note</source>
        <translation>Несохранённая заметка</translation>
    </message>
    <message>
        <source>The note of the open application is not saved. Close anyway and lose it?</source>
        <translation>Заметка открытой заявки не сохранена. Закрыть и потерять её?</translation>
    </message>
    <message>
        <source>Connect to another database…</source>
        <translation>Подключиться к другой базе…</translation>
    </message>
</context>
<context>
    <name>salesbot::PackagesModel</name>
    <message>
        <source>%1 RUB</source>
        <translation>%1 ₽</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Да</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Нет</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Порядок</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Код</translation>
    </message>
    <message>
        <source>Price from</source>
        <translation>Цена от</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Срок</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Активен</translation>
    </message>
</context>
<context>
    <name>salesbot::SessionCredentialStore</name>
    <message>
        <source>Passwords are kept only until the console is closed.</source>
        <translation>Пароли хранятся только до закрытия консоли.</translation>
    </message>
</context>
<context>
    <name>salesbot::TimeSeriesChart</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>salesbot::TimelineModel</name>
    <message>
        <source>Started the bot</source>
        <translation>Запустил бота</translation>
    </message>
    <message>
        <source>Opened the menu</source>
        <translation>Открыл меню</translation>
    </message>
    <message>
        <source>Opened the packages</source>
        <translation>Открыл пакеты</translation>
    </message>
    <message>
        <source>Viewed a package</source>
        <translation>Посмотрел пакет</translation>
    </message>
    <message>
        <source>Read about us</source>
        <translation>Прочитал «О нас»</translation>
    </message>
    <message>
        <source>Opened the contacts</source>
        <translation>Открыл контакты</translation>
    </message>
    <message>
        <source>Checked the application status</source>
        <translation>Проверил статус заявки</translation>
    </message>
    <message>
        <source>Wrote a message</source>
        <translation>Написал сообщение</translation>
    </message>
    <message>
        <source>Tried a second application</source>
        <translation>Попытался подать вторую заявку</translation>
    </message>
    <message>
        <source>Started the form</source>
        <translation>Начал заполнять заявку</translation>
    </message>
    <message>
        <source>Entered the name</source>
        <translation>Ввёл имя</translation>
    </message>
    <message>
        <source>Entered the phone</source>
        <translation>Ввёл телефон</translation>
    </message>
    <message>
        <source>Filed an application</source>
        <translation>Подал заявку</translation>
    </message>
    <message>
        <source>Updated the application</source>
        <translation>Изменил заявку</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменил</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Пакет</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Подробности</translation>
    </message>
</context>
<context>
    <name>salesbot::UsersModel</name>
    <message>
        <source>#%1 · %2</source>
        <translation>№%1 · %2</translation>
    </message>
    <message>
        <source>#%1</source>
        <translation>№%1</translation>
    </message>
    <message>
        <source>Blocked the bot on %1</source>
        <translation>Заблокировал бота %1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Telegram ID</source>
        <translation>Telegram ID</translation>
    </message>
    <message>
        <source>First seen</source>
        <translation>Впервые</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Последний визит</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Действий</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Заявка</translation>
    </message>
</context>
</TS>
