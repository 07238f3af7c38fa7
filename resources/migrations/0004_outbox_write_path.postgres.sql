-- Schema version 4: the outbox as the engine writes it. Every reply is an outbox row written twice, queued and
-- then marked sent, and marking it sent changes its status, so the new row version goes into every index whose
-- key or condition holds for it. Two indexes held every row for no reader that needed them:
-- - outbox_status_created_idx (status, created_at): nothing reads the outbox by status and time (the engine's
--   statistics count all rows; the connection test's pending count walks outbox_due_idx, which holds exactly
--   the unfinished rows);
-- - the unique dedupe_key constraint also indexed the NULL key of every reply: the same rule now holds for the
--   rows that have a key only (ON CONFLICT names the condition).
-- A reply now costs three index entries (the key twice, outbox_due_idx once) instead of seven.
-- Twin: 0004_outbox_write_path.sqlite.sql.

DROP INDEX outbox_status_created_idx;
ALTER TABLE outbox DROP CONSTRAINT outbox_dedupe_key_key;
CREATE UNIQUE INDEX outbox_dedupe_key_idx ON outbox (dedupe_key) WHERE dedupe_key IS NOT NULL;
