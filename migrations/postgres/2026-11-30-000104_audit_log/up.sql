-- 审计: every change to customers and contacts, field by field: what was
-- before and after (a JSON list of {field, old, new}), who made it, through
-- the UI or which API key, and when. customer_id is the customer a record
-- concerns (itself, or a contact's customer), so that a customer's history
-- shows its contacts' changes too and is scoped like the customer.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    customer_id TEXT,
    action TEXT NOT NULL,
    changes TEXT NOT NULL,
    user_id TEXT REFERENCES users (id),
    api_key_id TEXT REFERENCES api_keys (id),
    at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at, id);
CREATE INDEX audit_log_customer ON audit_log (customer_id, at, id);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_user ON audit_log (user_id, at, id);
CREATE INDEX audit_log_api_key ON audit_log (api_key_id, at, id);
