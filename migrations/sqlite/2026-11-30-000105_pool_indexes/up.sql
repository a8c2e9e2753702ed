-- The company pool as a rep sees it (no owner, no partner, live, in their
-- regions), read in list order without touching owned customers: one index
-- walked in order of the newest change, one per region for narrow
-- territories. The planner picks; both hold only pool rows, so they are small.
CREATE INDEX customers_pool_updated ON customers (updated_at, id)
    WHERE owner_id IS NULL AND partner_id IS NULL AND deleted_at IS NULL;
CREATE INDEX customers_pool_region_updated ON customers (region_id, updated_at, id)
    WHERE owner_id IS NULL AND partner_id IS NULL AND deleted_at IS NULL;
