-- Schema version 6 (SQLite twin of 0006_lighter_statistics.postgres.sql): nothing to change. SQLite has no
-- per-column statistics targets and no autovacuum; the version number stays in step with PostgreSQL's.
SELECT 1;
