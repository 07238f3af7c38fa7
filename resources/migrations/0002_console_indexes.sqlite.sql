-- Schema version 2: the console's sort orders walk an index (twin of 0002_console_indexes.postgres.sql;
-- SQLite has no trigram indexes, so its search scans, which is fine at the sizes SQLite serves).

CREATE INDEX applications_name_idx ON applications (name, id);
CREATE INDEX applications_phone_idx ON applications (phone, id);
CREATE INDEX applications_updated_idx ON applications (updated_at DESC, id DESC);
CREATE INDEX applications_package_sort_idx ON applications (COALESCE(package_code, ''), id);
CREATE INDEX applications_assignee_sort_idx ON applications (COALESCE(assignee, ''), id);
CREATE INDEX applications_status_rank_idx ON applications (
    (CASE status WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'done' THEN 2 ELSE 3 END), id);

DROP INDEX bot_metrics_action_created_idx;
CREATE INDEX bot_metrics_action_package_created_idx ON bot_metrics (action, package_code, created_at);
DROP INDEX bot_metrics_created_idx;
CREATE INDEX bot_metrics_created_covering_idx ON bot_metrics (created_at, telegram_id, action);
