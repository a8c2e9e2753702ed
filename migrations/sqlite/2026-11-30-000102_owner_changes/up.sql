-- Every change of a customer's owner: claimed from the company pool (公海),
-- released to it, or assigned by someone who may edit the customer. Who
-- owned it before, who after, why, by whom (and through which API key), when.
-- The claim limits read it: claims per day by to_owner_id, and the cool-down
-- before a former owner may reclaim by from_owner_id.
CREATE TABLE customer_owner_changes (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    from_owner_id TEXT REFERENCES users (id),
    to_owner_id TEXT REFERENCES users (id),
    reason TEXT,
    changed_by TEXT REFERENCES users (id),
    api_key_id TEXT REFERENCES api_keys (id),
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_owner_changes_customer ON customer_owner_changes (customer_id, changed_at, id);
CREATE INDEX customer_owner_changes_claims ON customer_owner_changes (to_owner_id, kind, changed_at);
CREATE INDEX customer_owner_changes_from ON customer_owner_changes (from_owner_id, customer_id, changed_at);
CREATE INDEX customer_owner_changes_changed_by ON customer_owner_changes (changed_by);
CREATE INDEX customer_owner_changes_api_key ON customer_owner_changes (api_key_id);
