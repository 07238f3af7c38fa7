-- Schema version 3: each user row keeps the time of its first package view, form start and application, kept
-- by triggers on bot_metrics, so the dashboard's funnel (the users who came in the period and how far they
-- got) reads the users of the period only. Twin of 0003_funnel_milestones.postgres.sql.

ALTER TABLE users ADD COLUMN first_package_view_at TEXT;
ALTER TABLE users ADD COLUMN first_apply_start_at TEXT;
ALTER TABLE users ADD COLUMN first_application_created_at TEXT;

UPDATE users
SET first_package_view_at = (SELECT MIN(m.created_at) FROM bot_metrics m
                             WHERE m.telegram_id = users.telegram_id AND m.action = 'package_view'),
    first_apply_start_at = (SELECT MIN(m.created_at) FROM bot_metrics m
                            WHERE m.telegram_id = users.telegram_id AND m.action = 'apply_start'),
    first_application_created_at = (SELECT MIN(m.created_at) FROM bot_metrics m
                                    WHERE m.telegram_id = users.telegram_id
                                      AND m.action = 'application_created');

CREATE TRIGGER bot_metrics_first_package_view AFTER INSERT ON bot_metrics
WHEN NEW.action = 'package_view'
BEGIN
    UPDATE users SET first_package_view_at = NEW.created_at
    WHERE telegram_id = NEW.telegram_id
      AND (first_package_view_at IS NULL OR first_package_view_at > NEW.created_at);
END;

CREATE TRIGGER bot_metrics_first_apply_start AFTER INSERT ON bot_metrics
WHEN NEW.action = 'apply_start'
BEGIN
    UPDATE users SET first_apply_start_at = NEW.created_at
    WHERE telegram_id = NEW.telegram_id
      AND (first_apply_start_at IS NULL OR first_apply_start_at > NEW.created_at);
END;

CREATE TRIGGER bot_metrics_first_application_created AFTER INSERT ON bot_metrics
WHEN NEW.action = 'application_created'
BEGIN
    UPDATE users SET first_application_created_at = NEW.created_at
    WHERE telegram_id = NEW.telegram_id
      AND (first_application_created_at IS NULL OR first_application_created_at > NEW.created_at);
END;

CREATE INDEX users_created_milestones_idx ON users (
    created_at, first_package_view_at, first_apply_start_at, first_application_created_at);
DROP INDEX users_created_at_idx;
