-- Duplicate detection (客户查重): each customer's normalised name, phones and
-- e-mails (crates/domain/src/dedup.rs), looked up by (kind, key) when a
-- customer is created or edited. keys_version says which generation of the
-- normalisation rules made a customer's keys; kehu recomputes older ones at
-- start, so existing customers are covered without a data migration in SQL.
CREATE TABLE customer_keys (
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (customer_id, kind, key)
);
CREATE INDEX customer_keys_lookup ON customer_keys (kind, key, customer_id);
ALTER TABLE customers ADD COLUMN keys_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX customers_keys_version ON customers (keys_version);

-- A customer saved although it looked like a duplicate: who let it through,
-- why, and against which customers (a JSON list of ids).
CREATE TABLE customer_duplicate_overrides (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    candidate_ids TEXT NOT NULL,
    created_by TEXT REFERENCES users (id),
    api_key_id TEXT REFERENCES api_keys (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_duplicate_overrides_customer ON customer_duplicate_overrides (customer_id, created_at);
CREATE INDEX customer_duplicate_overrides_created_by ON customer_duplicate_overrides (created_by);
CREATE INDEX customer_duplicate_overrides_api_key ON customer_duplicate_overrides (api_key_id);
