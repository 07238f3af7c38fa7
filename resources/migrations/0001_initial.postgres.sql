-- salesbot schema, version 1 (PostgreSQL). Its SQLite twin is 0001_initial.sqlite.sql: keep them in step.

CREATE TABLE packages (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
    title       text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 64),
    summary     text NOT NULL DEFAULT '',
    features    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(features) = 'array'),
    price_from  integer NOT NULL CHECK (price_from >= 0),
    timeline    text NOT NULL DEFAULT '',
    sort_order  integer NOT NULL DEFAULT 0,
    active      boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    telegram_id    bigint NOT NULL UNIQUE,
    username       text,
    first_name     text NOT NULL DEFAULT '',
    last_name      text,
    language_code  text,
    phone          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    blocked_at     timestamptz
);
CREATE INDEX users_created_at_idx ON users (created_at);
CREATE INDEX users_last_seen_at_idx ON users (last_seen_at);

CREATE SEQUENCE application_number_seq START WITH 1001;

CREATE TABLE applications (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number        bigint NOT NULL DEFAULT nextval('application_number_seq'),
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 64),
    phone         text NOT NULL CHECK (phone ~ '^\+[0-9]{8,15}$'),
    package_code  text REFERENCES packages (code) ON UPDATE CASCADE ON DELETE RESTRICT,
    status        text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'done', 'rejected')),
    manager_note  text NOT NULL DEFAULT '' CHECK (char_length(manager_note) <= 10000),
    assignee      text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT applications_number_key UNIQUE (number)
);
ALTER SEQUENCE application_number_seq OWNED BY applications.number;
-- The rule the bot lives by: at most one open application per user, enforced here and not only in code.
CREATE UNIQUE INDEX applications_one_open_per_user ON applications (user_id) WHERE status IN ('new', 'in_progress');
-- The console lists newest first with filters; keyset paging continues on (created_at, id).
CREATE INDEX applications_created_idx ON applications (created_at DESC, id DESC);
CREATE INDEX applications_status_created_idx ON applications (status, created_at DESC, id DESC);
CREATE INDEX applications_package_created_idx ON applications (package_code, created_at DESC, id DESC);
CREATE INDEX applications_user_created_idx ON applications (user_id, created_at DESC);

CREATE TABLE application_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  bigint NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    actor           text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('created', 'status_changed', 'contacts_updated',
                                                  'package_changed', 'note_changed', 'assignee_changed')),
    old_value       text,
    new_value       text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_events_application_idx ON application_events (application_id, created_at, id);

CREATE TABLE dialog_states (
    telegram_id  bigint PRIMARY KEY REFERENCES users (telegram_id) ON DELETE CASCADE,
    state        text NOT NULL,
    data         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bot_metrics (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    telegram_id   bigint NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    action        text NOT NULL CHECK (action ~ '^[a-z][a-z_]{0,39}$'),
    package_code  text,
    data          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bot_metrics_action_created_idx ON bot_metrics (action, created_at);
CREATE INDEX bot_metrics_created_idx ON bot_metrics (created_at);
CREATE INDEX bot_metrics_user_created_idx ON bot_metrics (telegram_id, created_at);

CREATE TABLE outbox (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chat_id          bigint NOT NULL,
    method           text NOT NULL CHECK (method ~ '^[a-zA-Z]{1,64}$'),
    payload          jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    proactive        boolean NOT NULL DEFAULT false,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    lease_until      timestamptz,
    dedupe_key       text UNIQUE,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_status_created_idx ON outbox (status, created_at);

CREATE TABLE processed_updates (
    update_id     bigint PRIMARY KEY,
    processed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_updates_processed_at_idx ON processed_updates (processed_at);

CREATE TABLE engine_instances (
    id          text PRIMARY KEY,
    host        text NOT NULL,
    pid         bigint NOT NULL,
    mode        text NOT NULL CHECK (mode IN ('polling', 'webhook', 'standby', 'shell')),
    version     text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    seen_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX engine_instances_seen_at_idx ON engine_instances (seen_at);

-- Live updates: the engine's outbox sender and the consoles listen; payloads stay tiny.
CREATE FUNCTION salesbot_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('salesbot_outbox', NEW.id::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH ROW WHEN (NEW.status = 'pending') EXECUTE FUNCTION salesbot_notify_outbox();

CREATE FUNCTION salesbot_notify_applications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('salesbot_applications', json_build_object('op', lower(TG_OP), 'id', NEW.id,
                                                                 'number', NEW.number, 'version', NEW.version)::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER applications_notify AFTER INSERT OR UPDATE ON applications
    FOR EACH ROW EXECUTE FUNCTION salesbot_notify_applications();

CREATE FUNCTION salesbot_notify_catalog() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('salesbot_catalog', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER packages_notify AFTER INSERT OR UPDATE OR DELETE ON packages
    FOR EACH STATEMENT EXECUTE FUNCTION salesbot_notify_catalog();

-- The default catalog from the dialog specification; the console edits it afterwards.
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
