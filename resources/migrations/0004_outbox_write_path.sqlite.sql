-- Schema version 4 (SQLite twin of 0004_outbox_write_path.postgres.sql): the index that nothing reads goes.
-- The dedupe_key uniqueness stays a column constraint here (SQLite cannot drop one without copying the table);
-- the insert's ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL matches it as well.

DROP INDEX outbox_status_created_idx;
