DROP INDEX customers_team_pool;
DROP INDEX customer_owner_changes_to_team;
ALTER TABLE customer_owner_changes DROP COLUMN to_team_id;
