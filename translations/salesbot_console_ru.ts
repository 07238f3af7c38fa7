<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
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
    <name>salesbot::BarChart</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
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
        <source>Funnel</source>
        <translation>Воронка</translation>
    </message>
    <message>
        <source>Nobody used the bot in this period.</source>
        <translation>За этот период ботом никто не пользовался.</translation>
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
        <source>Salesbot console</source>
        <translation>Консоль salesbot</translation>
    </message>
    <message>
        <source>This view is not built yet.</source>
        <translation>Этот раздел пока не реализован.</translation>
    </message>
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
        <source>Not connected</source>
        <translation>Нет подключения</translation>
    </message>
</context>
<context>
    <name>salesbot::TimeSeriesChart</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
</TS>
