-- Sales leads (销售线索). A lead is scoped like a customer: by its owner,
-- the owner's team, its own team (the queue it waits in while unowned),
-- region, product line and partner. `score` is kept for sorting; the rules
-- that made it are recomputed on read.
CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    company TEXT,
    phone TEXT,
    email TEXT,
    industry TEXT,
    region_id TEXT REFERENCES org_units (id),
    product_line_id TEXT REFERENCES org_units (id),
    source TEXT NOT NULL,
    campaign TEXT,
    notes TEXT,
    status TEXT NOT NULL,
    score INTEGER NOT NULL,
    activity_count INTEGER NOT NULL,
    form_submissions INTEGER NOT NULL,
    owner_id TEXT REFERENCES users (id),
    team_id TEXT REFERENCES org_units (id),
    partner_id TEXT REFERENCES org_units (id),
    form_id TEXT,
    rule_id TEXT,
    search_text TEXT NOT NULL,
    converted_customer_id TEXT REFERENCES customers (id),
    converted_contact_id TEXT REFERENCES contacts (id),
    converted_opportunity_id TEXT,
    converted_at TIMESTAMP,
    created_by TEXT REFERENCES users (id),
    api_key_id TEXT REFERENCES api_keys (id),
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL
);
-- lists: newest first, narrowed by owner, queue, region or partner
CREATE INDEX leads_created ON leads (created_at, id);
CREATE INDEX leads_owner ON leads (owner_id, created_at, id);
CREATE INDEX leads_queue ON leads (team_id, created_at, id) WHERE owner_id IS NULL;
CREATE INDEX leads_region ON leads (region_id, created_at, id);
CREATE INDEX leads_partner ON leads (partner_id, created_at, id);
-- capacity: a user's open leads
CREATE INDEX leads_open_owner ON leads (owner_id, status)
    WHERE deleted_at IS NULL AND owner_id IS NOT NULL;
-- a returning web-form visitor adds to their open lead
CREATE INDEX leads_email ON leads (email) WHERE email IS NOT NULL;

-- Who gets a new lead: tried in `position` order; `user_ids` is a JSON list.
CREATE TABLE lead_assignment_rules (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    region_id TEXT REFERENCES org_units (id),
    industry TEXT,
    product_line_id TEXT REFERENCES org_units (id),
    method TEXT NOT NULL,
    user_ids TEXT NOT NULL,
    team_id TEXT REFERENCES org_units (id),
    capacity INTEGER,
    fallback_team_id TEXT REFERENCES org_units (id),
    active BOOLEAN NOT NULL,
    last_user_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);

-- Public web forms: the token is shown once, only its hash is kept.
CREATE TABLE lead_forms (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    campaign TEXT,
    team_id TEXT REFERENCES org_units (id),
    active BOOLEAN NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);

-- Submissions per form and client address, for the rate limit; kept in
-- the database so that it holds across every node.
CREATE TABLE lead_form_hits (
    id TEXT PRIMARY KEY,
    form_id TEXT NOT NULL REFERENCES lead_forms (id) ON DELETE CASCADE,
    client TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX lead_form_hits_client ON lead_form_hits (form_id, client, at);
