-- Indexes that let every list, filter and access query start from the rows
-- it needs instead of scanning customers (see tests/api/query_plans.rs).
-- Lists sort by (updated_at, id) by default, so each filter column carries
-- the sort columns: a filtered page is then one index range read in order.
DROP INDEX customers_owner;
DROP INDEX customers_region;
DROP INDEX customers_team;
DROP INDEX customers_partner;
DROP INDEX customers_stage;
DROP INDEX customers_industry;
CREATE INDEX customers_owner_updated ON customers (owner_id, updated_at, id);
-- a rep's own list is the most used scoped list; it sorts by all three keys
CREATE INDEX customers_owner_created ON customers (owner_id, created_at, id);
CREATE INDEX customers_owner_name ON customers (owner_id, name, id);
CREATE INDEX customers_region_updated ON customers (region_id, updated_at, id);
CREATE INDEX customers_team_updated ON customers (team_id, updated_at, id);
CREATE INDEX customers_partner_updated ON customers (partner_id, updated_at, id);
CREATE INDEX customers_stage_updated ON customers (lifecycle_stage, updated_at, id);
CREATE INDEX customers_industry_updated ON customers (industry, updated_at, id);
-- The trash is small; without this its list would walk every live customer.
CREATE INDEX customers_trash ON customers (updated_at, id) WHERE deleted_at IS NOT NULL;
-- A user's collaborations and a tag's customers, answered from the index alone.
DROP INDEX customer_collaborators_user;
CREATE INDEX customer_collaborators_user ON customer_collaborators (user_id, customer_id);
DROP INDEX customer_tags_tag;
CREATE INDEX customer_tags_tag ON customer_tags (tag, customer_id);
