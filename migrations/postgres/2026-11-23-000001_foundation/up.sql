-- Ids are text (UUIDv7 strings, or stable keys for built-in roles); see docs/ARCHITECTURE.md.
-- Times are UTC, TIMESTAMP without zone, written by the application with microsecond precision.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Teams, regions, product lines and partners: one table, told apart by kind.
-- Teams and regions are trees (parent_id); product lines and partners are flat.
CREATE TABLE org_units (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('team', 'region', 'product_line', 'partner')),
    name TEXT NOT NULL,
    parent_id TEXT REFERENCES org_units (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX org_units_kind_parent_name ON org_units (kind, COALESCE(parent_id, ''), name);
CREATE INDEX org_units_parent ON org_units (parent_id);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    team_id TEXT REFERENCES org_units (id),
    partner_id TEXT REFERENCES org_units (id),
    locale TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX users_team ON users (team_id);
CREATE INDEX users_partner ON users (partner_id);

CREATE TABLE roles (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    is_builtin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE role_grants (
    role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    resource TEXT NOT NULL,
    action TEXT NOT NULL,
    scope TEXT NOT NULL,
    PRIMARY KEY (role_id, resource, action)
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id TEXT NOT NULL REFERENCES roles (id),
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role ON user_roles (role_id);

CREATE TABLE user_regions (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    region_id TEXT NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (user_id, region_id)
);
CREATE INDEX user_regions_region ON user_regions (region_id);

CREATE TABLE user_product_lines (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_line_id TEXT NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (user_id, product_line_id)
);
CREATE INDEX user_product_lines_pl ON user_product_lines (product_line_id);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX api_keys_user ON api_keys (user_id);
CREATE INDEX api_keys_created_by ON api_keys (created_by);

CREATE TABLE login_failures (
    email_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT
);

CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    industry TEXT,
    source TEXT,
    region_id TEXT REFERENCES org_units (id),
    owner_id TEXT REFERENCES users (id),
    team_id TEXT REFERENCES org_units (id),
    partner_id TEXT REFERENCES org_units (id),
    lifecycle_stage TEXT NOT NULL,
    tags TEXT NOT NULL,
    phones TEXT NOT NULL,
    emails TEXT NOT NULL,
    address TEXT,
    notes TEXT,
    search_text TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX customers_owner ON customers (owner_id);
CREATE INDEX customers_region ON customers (region_id);
CREATE INDEX customers_team ON customers (team_id);
CREATE INDEX customers_partner ON customers (partner_id);
CREATE INDEX customers_created_by ON customers (created_by);
CREATE INDEX customers_updated_by ON customers (updated_by);
CREATE INDEX customers_updated ON customers (updated_at, id);
CREATE INDEX customers_created ON customers (created_at, id);
CREATE INDEX customers_name ON customers (name, id);
CREATE INDEX customers_stage ON customers (lifecycle_stage);
CREATE INDEX customers_industry ON customers (industry);

CREATE TABLE customer_product_lines (
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    product_line_id TEXT NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (customer_id, product_line_id)
);
CREATE INDEX customer_product_lines_pl ON customer_product_lines (product_line_id);

CREATE TABLE customer_tags (
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (customer_id, tag)
);
CREATE INDEX customer_tags_tag ON customer_tags (tag);

CREATE TABLE customer_collaborators (
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (customer_id, user_id)
);
CREATE INDEX customer_collaborators_user ON customer_collaborators (user_id);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    name TEXT NOT NULL,
    title TEXT,
    phones TEXT NOT NULL,
    emails TEXT NOT NULL,
    notes TEXT,
    search_text TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX contacts_customer ON contacts (customer_id, name, id);
CREATE INDEX contacts_created_by ON contacts (created_by);
CREATE INDEX contacts_updated_by ON contacts (updated_by);
