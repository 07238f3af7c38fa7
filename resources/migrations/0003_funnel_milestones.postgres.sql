-- Schema version 3: the dashboard's funnel follows the users who came in the period (a cohort): of the people
-- who first wrote to the bot in the period, how many viewed a package, started the form and filed an
-- application. Each user row keeps the time of the first event of each of those steps, kept by a trigger on
-- bot_metrics whoever records the event (the bot, the shell, a fixture), so the funnel reads the users of the
-- period through one index instead of counting distinct users over every event of the period.
-- Twin: 0003_funnel_milestones.sqlite.sql.

ALTER TABLE users
    ADD COLUMN first_package_view_at timestamptz,
    ADD COLUMN first_apply_start_at timestamptz,
    ADD COLUMN first_application_created_at timestamptz;

UPDATE users u
SET first_package_view_at = m.package_view,
    first_apply_start_at = m.apply_start,
    first_application_created_at = m.application_created
FROM (SELECT telegram_id,
             MIN(created_at) FILTER (WHERE action = 'package_view') AS package_view,
             MIN(created_at) FILTER (WHERE action = 'apply_start') AS apply_start,
             MIN(created_at) FILTER (WHERE action = 'application_created') AS application_created
      FROM bot_metrics
      WHERE action IN ('package_view', 'apply_start', 'application_created')
      GROUP BY telegram_id) m
WHERE u.telegram_id = m.telegram_id;

CREATE FUNCTION salesbot_user_milestone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.action = 'package_view' THEN
        UPDATE users SET first_package_view_at = NEW.created_at
        WHERE telegram_id = NEW.telegram_id
          AND (first_package_view_at IS NULL OR first_package_view_at > NEW.created_at);
    ELSIF NEW.action = 'apply_start' THEN
        UPDATE users SET first_apply_start_at = NEW.created_at
        WHERE telegram_id = NEW.telegram_id
          AND (first_apply_start_at IS NULL OR first_apply_start_at > NEW.created_at);
    ELSE
        UPDATE users SET first_application_created_at = NEW.created_at
        WHERE telegram_id = NEW.telegram_id
          AND (first_application_created_at IS NULL OR first_application_created_at > NEW.created_at);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER bot_metrics_user_milestone AFTER INSERT ON bot_metrics
    FOR EACH ROW WHEN (NEW.action IN ('package_view', 'apply_start', 'application_created'))
    EXECUTE FUNCTION salesbot_user_milestone();

-- The funnel and the new users per day read this index alone; it replaces users_created_at_idx.
CREATE INDEX users_created_milestones_idx ON users (created_at)
    INCLUDE (first_package_view_at, first_apply_start_at, first_application_created_at);
DROP INDEX users_created_at_idx;
