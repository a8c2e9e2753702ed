DROP INDEX imports_running;
ALTER TABLE imports DROP COLUMN heartbeat_at;
