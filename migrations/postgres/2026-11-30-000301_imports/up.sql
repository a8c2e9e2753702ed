-- Imports of customers from files. The file is kept, read into rows, until
-- the import is undone or deleted, so its mapping can be changed and dry-run
-- as often as wanted and any API node can run it. Progress and counts live
-- here, so any node can show them while one node runs the import.
CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    created_by TEXT NOT NULL REFERENCES users (id),
    api_key_id TEXT REFERENCES api_keys (id),
    file_name TEXT,
    kind TEXT NOT NULL,
    encoding TEXT NOT NULL,
    column_names TEXT NOT NULL,
    source TEXT NOT NULL,
    mapping TEXT NOT NULL,
    policy TEXT NOT NULL,
    status TEXT NOT NULL,
    total_rows BIGINT NOT NULL,
    done_rows BIGINT NOT NULL,
    created_count BIGINT NOT NULL,
    updated_count BIGINT NOT NULL,
    skipped_count BIGINT NOT NULL,
    failed_count BIGINT NOT NULL,
    error TEXT,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    undone_at TIMESTAMP,
    version BIGINT NOT NULL
);
CREATE INDEX imports_created_by ON imports (created_by, created_at, id);

-- What happened to each row: its outcome, the reason (code, column, words)
-- and the record written. `before` holds an updated customer's fields as
-- they were and `customer_version` the version the import left, so undo
-- can restore them, and refuse when someone changed the record since.
CREATE TABLE import_rows (
    import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    line BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    code TEXT,
    column_name TEXT,
    message TEXT,
    customer_id TEXT,
    contact_id TEXT,
    customer_version BIGINT,
    before TEXT,
    PRIMARY KEY (import_id, seq)
);
CREATE INDEX import_rows_outcome ON import_rows (import_id, outcome, seq);

-- A user's saved mappings, for files that come in the same shape each month.
CREATE TABLE import_templates (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    mapping TEXT NOT NULL,
    policy TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, name)
);

-- Which import made a change, so its history says so.
ALTER TABLE audit_log ADD COLUMN import_id TEXT REFERENCES imports (id);
