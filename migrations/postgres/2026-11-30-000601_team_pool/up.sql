-- A transfer may hand customers to a team's pool (部门公海) rather than to
-- a user: the owner history names the team they went to.
ALTER TABLE customer_owner_changes ADD COLUMN to_team_id TEXT REFERENCES org_units (id);
CREATE INDEX customer_owner_changes_to_team ON customer_owner_changes (to_team_id);
-- The pool of a team is read by its members: customers without an owner, by team.
CREATE INDEX customers_team_pool ON customers (team_id, updated_at, id)
    WHERE owner_id IS NULL AND deleted_at IS NULL;
