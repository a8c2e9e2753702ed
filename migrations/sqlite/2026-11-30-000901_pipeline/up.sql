-- The sales pipeline (销售漏斗): pipelines and their stages with checklists,
-- loss reasons, the competitor list, opportunities (商机) with their stage
-- history, checklist ticks and competitors, and quotas.
CREATE TABLE pipelines (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    team_id TEXT REFERENCES org_units (id),
    product_line_id TEXT REFERENCES org_units (id),
    is_default BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE pipeline_stages (
    id TEXT PRIMARY KEY,
    pipeline_id TEXT NOT NULL REFERENCES pipelines (id),
    stage_key TEXT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    probability INTEGER NOT NULL,
    forecast_category TEXT NOT NULL,
    stale_after_days INTEGER,
    -- a stage taken out of a pipeline keeps its history; no deal enters it again
    retired BOOLEAN NOT NULL
);
CREATE INDEX pipeline_stages_pipeline ON pipeline_stages (pipeline_id, position);

CREATE TABLE stage_checklist_items (
    id TEXT PRIMARY KEY,
    stage_id TEXT NOT NULL REFERENCES pipeline_stages (id),
    label TEXT NOT NULL,
    required BOOLEAN NOT NULL,
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL
);
CREATE INDEX stage_checklist_items_stage ON stage_checklist_items (stage_id, position);

CREATE TABLE loss_reasons (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE competitors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    website TEXT,
    strengths TEXT,
    weaknesses TEXT,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Scope columns (owner, team, region, product line, partner) are the deal's
-- own, so a deal is read exactly as a customer is. `probability`,
-- `forecast_category` and `weighted_minor` are what the deal counts with
-- (stage default or override; won 100, lost 0), kept on the row so the
-- forecast is one indexed aggregate. `forecast_on` is the day the deal
-- counts on: the expected close while open, the close day once closed.
CREATE TABLE opportunities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    pipeline_id TEXT NOT NULL REFERENCES pipelines (id),
    stage_id TEXT NOT NULL REFERENCES pipeline_stages (id),
    status TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users (id),
    team_id TEXT REFERENCES org_units (id),
    region_id TEXT REFERENCES org_units (id),
    product_line_id TEXT REFERENCES org_units (id),
    partner_id TEXT REFERENCES org_units (id),
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    expected_close_on TEXT NOT NULL,
    probability INTEGER NOT NULL,
    probability_override INTEGER,
    forecast_category TEXT NOT NULL,
    weighted_minor BIGINT NOT NULL,
    forecast_on TEXT NOT NULL,
    -- a lead has no foreign key here: leads may be purged after conversion
    source_lead_id TEXT,
    campaign TEXT,
    stage_entered_at TIMESTAMP NOT NULL,
    closed_on TEXT,
    closed_at TIMESTAMP,
    loss_reason_id TEXT REFERENCES loss_reasons (id),
    lost_to_competitor_id TEXT REFERENCES competitors (id),
    close_notes TEXT,
    created_by TEXT REFERENCES users (id),
    api_key_id TEXT REFERENCES api_keys (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX opportunities_customer ON opportunities (customer_id, expected_close_on, id);
CREATE INDEX opportunities_owner ON opportunities (owner_id, expected_close_on, id);
CREATE INDEX opportunities_close ON opportunities (expected_close_on, id);
CREATE INDEX opportunities_stage ON opportunities (stage_id, expected_close_on, id);
CREATE INDEX opportunities_region ON opportunities (region_id);
CREATE INDEX opportunities_team ON opportunities (team_id);
CREATE INDEX opportunities_partner ON opportunities (partner_id);
-- The forecast reads (currency, day) ranges and sums from the index alone.
CREATE INDEX opportunities_forecast ON opportunities
    (currency, forecast_on, status, forecast_category, owner_id, team_id, region_id,
     product_line_id, amount_minor, weighted_minor);

CREATE TABLE opportunity_contacts (
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    PRIMARY KEY (opportunity_id, contact_id)
);
CREATE INDEX opportunity_contacts_contact ON opportunity_contacts (contact_id);

-- One row per stay in a stage; `left_at` is NULL for the current one.
CREATE TABLE opportunity_stage_history (
    id TEXT PRIMARY KEY,
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    from_stage_id TEXT REFERENCES pipeline_stages (id),
    stage_id TEXT NOT NULL REFERENCES pipeline_stages (id),
    entered_at TIMESTAMP NOT NULL,
    left_at TIMESTAMP,
    by_user_id TEXT REFERENCES users (id),
    api_key_id TEXT REFERENCES api_keys (id)
);
CREATE INDEX opportunity_stage_history_deal ON opportunity_stage_history (opportunity_id, entered_at);
CREATE INDEX opportunity_stage_history_stage ON opportunity_stage_history (stage_id, entered_at);

CREATE TABLE opportunity_checklist (
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL REFERENCES stage_checklist_items (id),
    done_at TIMESTAMP NOT NULL,
    done_by TEXT REFERENCES users (id),
    api_key_id TEXT REFERENCES api_keys (id),
    PRIMARY KEY (opportunity_id, item_id)
);

CREATE TABLE opportunity_competitors (
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    competitor_id TEXT NOT NULL REFERENCES competitors (id),
    strengths TEXT,
    weaknesses TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (opportunity_id, competitor_id)
);
CREATE INDEX opportunity_competitors_competitor ON opportunity_competitors (competitor_id);

CREATE TABLE competitor_activities (
    id TEXT PRIMARY KEY,
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    competitor_id TEXT NOT NULL REFERENCES competitors (id),
    happened_on TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX competitor_activities_deal ON competitor_activities (opportunity_id, competitor_id, happened_on);

-- A quota is for a user or a team, for one month or quarter.
CREATE TABLE quotas (
    id TEXT PRIMARY KEY,
    user_id TEXT REFERENCES users (id),
    team_id TEXT REFERENCES org_units (id),
    period_kind TEXT NOT NULL,
    period_start TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX quotas_user ON quotas (user_id, period_kind, period_start, currency) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX quotas_team ON quotas (team_id, period_kind, period_start, currency) WHERE team_id IS NOT NULL;
