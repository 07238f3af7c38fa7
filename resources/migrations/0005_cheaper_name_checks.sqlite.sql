-- Schema version 5 (SQLite twin of 0005_cheaper_name_checks.postgres.sql): nothing to change. SQLite checks
-- these names with GLOB, which is already cheap; the version number stays in step with PostgreSQL's.
SELECT 1;
