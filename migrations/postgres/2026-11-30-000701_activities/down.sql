DROP INDEX customers_recycle;
ALTER TABLE customers DROP COLUMN owned_since;
ALTER TABLE customers DROP COLUMN last_activity_at;
DROP TABLE activity_participants;
DROP TABLE activities;
