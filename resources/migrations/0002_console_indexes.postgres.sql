-- Schema version 2: the console at scale (a million applications). Every column the table sorts by walks an
-- index, so a sort change reads one page instead of sorting the table; free-text search uses trigram
-- indexes when pg_trgm is available (Debian's postgresql, Heroku and most managed services ship it; without
-- it search still works, by scanning). Twin: 0002_console_indexes.sqlite.sql.

CREATE INDEX applications_name_idx ON applications (name, id);
CREATE INDEX applications_phone_idx ON applications (phone, id);
CREATE INDEX applications_updated_idx ON applications (updated_at DESC, id DESC);
CREATE INDEX applications_package_sort_idx ON applications ((COALESCE(package_code, '')), id);
CREATE INDEX applications_assignee_sort_idx ON applications ((COALESCE(assignee, '')), id);
-- The same expression as the workflow-order sort in ApplicationRepository.
CREATE INDEX applications_status_rank_idx ON applications (
    (CASE status WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'done' THEN 2 ELSE 3 END), id);

-- The dashboard's aggregates read bot_metrics through indexes alone (no table visits): package views per
-- package, and the funnel's distinct users per step. These replace the two narrower indexes of version 1, so
-- the bot writes no more index entries per event than before.
DROP INDEX bot_metrics_action_created_idx;
CREATE INDEX bot_metrics_action_package_created_idx ON bot_metrics (action, package_code, created_at);
DROP INDEX bot_metrics_created_idx;
CREATE INDEX bot_metrics_created_covering_idx ON bot_metrics (created_at) INCLUDE (telegram_id, action);

DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX applications_name_trgm_idx ON applications USING gin (name gin_trgm_ops);
    CREATE INDEX applications_phone_trgm_idx ON applications USING gin (phone gin_trgm_ops);
    CREATE INDEX applications_number_trgm_idx ON applications USING gin ((CAST(number AS text)) gin_trgm_ops);
    CREATE INDEX users_username_trgm_idx ON users USING gin (username gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    -- No pg_trgm (or no right to create it): the console's search scans instead. Nothing else depends on it.
    RAISE NOTICE 'salesbot: trigram search indexes not created: %', SQLERRM;
END;
$$;
