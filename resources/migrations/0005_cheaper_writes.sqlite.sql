-- Schema version 5 (SQLite twin of 0005_cheaper_writes.postgres.sql): nothing to change. SQLite checks these
-- names with GLOB, which is already cheap, and has no BRIN indexes; the version number stays in step with
-- PostgreSQL's.
SELECT 1;
