<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
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
</TS>
