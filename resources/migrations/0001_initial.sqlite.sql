-- salesbot schema, version 1 (SQLite). Its PostgreSQL twin is 0001_initial.postgres.sql: keep them in step.
-- Differences: timestamps are ISO 8601 UTC text ("2026-11-25T10:00:00.000Z"), JSON is checked text,
-- booleans are 0/1, patterns use GLOB, application numbers come from the INSERT (no sequences), no NOTIFY.

CREATE TABLE packages (
    code        TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 32 AND substr(code, 1, 1) GLOB '[a-z]'
                                        AND code NOT GLOB '*[^a-z0-9_]*'),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 64),
    summary     TEXT NOT NULL DEFAULT '',
    features    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(features) AND json_type(features) = 'array'),
    price_from  INTEGER NOT NULL CHECK (price_from >= 0),
    timeline    TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    telegram_id    INTEGER NOT NULL UNIQUE,
    username       TEXT,
    first_name     TEXT NOT NULL DEFAULT '',
    last_name      TEXT,
    language_code  TEXT,
    phone          TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    last_seen_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    blocked_at     TEXT
);
CREATE INDEX users_created_at_idx ON users (created_at);
CREATE INDEX users_last_seen_at_idx ON users (last_seen_at);

CREATE TABLE applications (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    number        INTEGER NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    phone         TEXT NOT NULL CHECK (length(phone) BETWEEN 9 AND 16 AND phone GLOB '+[0-9]*'
                                      AND substr(phone, 2) NOT GLOB '*[^0-9]*'),
    package_code  TEXT REFERENCES packages (code) ON UPDATE CASCADE ON DELETE RESTRICT,
    status        TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'done', 'rejected')),
    manager_note  TEXT NOT NULL DEFAULT '' CHECK (length(manager_note) <= 10000),
    assignee      TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT applications_number_key UNIQUE (number)
);
CREATE UNIQUE INDEX applications_one_open_per_user ON applications (user_id) WHERE status IN ('new', 'in_progress');
CREATE INDEX applications_created_idx ON applications (created_at DESC, id DESC);
CREATE INDEX applications_status_created_idx ON applications (status, created_at DESC, id DESC);
CREATE INDEX applications_package_created_idx ON applications (package_code, created_at DESC, id DESC);
CREATE INDEX applications_user_created_idx ON applications (user_id, created_at DESC);

CREATE TABLE application_events (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    actor           TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('created', 'status_changed', 'contacts_updated',
                                                  'package_changed', 'note_changed', 'assignee_changed')),
    old_value       TEXT,
    new_value       TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX application_events_application_idx ON application_events (application_id, created_at, id);

CREATE TABLE dialog_states (
    telegram_id  INTEGER PRIMARY KEY REFERENCES users (telegram_id) ON DELETE CASCADE,
    state        TEXT NOT NULL,
    data         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data) AND json_type(data) = 'object'),
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE bot_metrics (
    id            INTEGER PRIMARY KEY,
    telegram_id   INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    action        TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 40 AND action NOT GLOB '*[^a-z_]*'),
    package_code  TEXT,
    data          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data) AND json_type(data) = 'object'),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX bot_metrics_action_created_idx ON bot_metrics (action, created_at);
CREATE INDEX bot_metrics_created_idx ON bot_metrics (created_at);
CREATE INDEX bot_metrics_user_created_idx ON bot_metrics (telegram_id, created_at);

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id          INTEGER NOT NULL,
    method           TEXT NOT NULL CHECK (length(method) BETWEEN 1 AND 64 AND method NOT GLOB '*[^a-zA-Z]*'),
    payload          TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
    proactive        INTEGER NOT NULL DEFAULT 0 CHECK (proactive IN (0, 1)),
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    lease_until      TEXT,
    dedupe_key       TEXT UNIQUE,
    error            TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    sent_at          TEXT
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_status_created_idx ON outbox (status, created_at);

CREATE TABLE processed_updates (
    update_id     INTEGER PRIMARY KEY,
    processed_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX processed_updates_processed_at_idx ON processed_updates (processed_at);

CREATE TABLE engine_instances (
    id          TEXT PRIMARY KEY,
    host        TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('polling', 'webhook', 'standby', 'shell')),
    version     TEXT NOT NULL,
    started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    seen_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX engine_instances_seen_at_idx ON engine_instances (seen_at);

INSERT INTO packages (code, title, summary, features, price_from, timeline, sort_order) VALUES
('basic', 'Базовый', 'Бот для ответов на частые вопросы и приёма заявок',
 '["Меню и кнопки", "До 20 сценариев", "Приём заявок с уведомлением менеджеру", "1 месяц поддержки"]',
 15000, '5 рабочих дней', 10),
('advanced', 'Продвинутый', 'Бот для продаж с интеграциями',
 '["Всё из «Базового»", "Интеграция с CRM (amoCRM, Bitrix24)", "Онлайн-оплата", "Запись на услуги", "Рассылки", "Аналитика", "3 месяца поддержки"]',
 45000, '2–3 недели', 20),
('premium', 'Премиум', 'AI-ассистент на базе нейросети',
 '["Всё из «Продвинутого»", "Ответы на естественном языке по вашей базе знаний", "Обучение на ваших документах", "Telegram + WhatsApp + сайт", "Персональный менеджер", "6 месяцев поддержки"]',
 120000, '4–6 недель', 30);
