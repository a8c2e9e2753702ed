-- Every change of a customer's lifecycle stage (客户生命周期): from, to, why,
-- by whom (a user, through the UI or one of their API keys) and when, or that
-- Kehu made it by itself (a won deal).
CREATE TABLE customer_stage_changes (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    from_stage TEXT NOT NULL,
    to_stage TEXT NOT NULL,
    reason TEXT,
    automatic BOOLEAN NOT NULL DEFAULT 0,
    changed_by TEXT REFERENCES users (id),
    api_key_id TEXT REFERENCES api_keys (id),
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_stage_changes_customer ON customer_stage_changes (customer_id, changed_at, id);
CREATE INDEX customer_stage_changes_changed_by ON customer_stage_changes (changed_by);
CREATE INDEX customer_stage_changes_api_key ON customer_stage_changes (api_key_id);
