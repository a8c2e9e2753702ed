-- The forecast's rollup: per currency, month, pipeline, owner, team,
-- region, product line, partner, forecast category and status, how many
-- deals count there and their amount and weighted amount. Broad scopes
-- (everything, regions, teams, product lines, a partner's) sum a few
-- thousand cells here instead of half a million deals. Triggers keep it in
-- the same transaction as every deal write, whichever code path makes it,
-- so it can never drift from the deals. Lost deals are not in the forecast
-- and so not here. An absent org unit is '' because a key column must not
-- be NULL (NULLs never conflict in a unique index).
CREATE TABLE forecast_cells (
    currency TEXT NOT NULL,
    month TEXT NOT NULL,
    pipeline_id TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    product_line_id TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    forecast_category TEXT NOT NULL,
    status TEXT NOT NULL,
    deals BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    weighted_minor BIGINT NOT NULL,
    -- in the order the default forecast (by owner) groups, so it reads the
    -- cells already grouped
    PRIMARY KEY (currency, month, owner_id, forecast_category, status, pipeline_id, team_id,
        region_id, product_line_id, partner_id)
);

-- a rep's or a team's cells, without walking every owner's
CREATE INDEX forecast_cells_owner ON forecast_cells (owner_id, currency, month);

INSERT INTO forecast_cells
SELECT currency, substr(forecast_on, 1, 7), pipeline_id, owner_id, COALESCE(team_id, ''),
    COALESCE(region_id, ''), COALESCE(product_line_id, ''), COALESCE(partner_id, ''),
    forecast_category, status, COUNT(*), SUM(amount_minor), SUM(weighted_minor)
FROM opportunities WHERE status <> 'lost'
GROUP BY currency, substr(forecast_on, 1, 7), pipeline_id, owner_id, COALESCE(team_id, ''),
    COALESCE(region_id, ''), COALESCE(product_line_id, ''), COALESCE(partner_id, ''),
    forecast_category, status;

CREATE TRIGGER opportunities_cells_insert AFTER INSERT ON opportunities
WHEN NEW.status <> 'lost'
BEGIN
    INSERT INTO forecast_cells VALUES (NEW.currency, substr(NEW.forecast_on, 1, 7),
        NEW.pipeline_id, NEW.owner_id, COALESCE(NEW.team_id, ''), COALESCE(NEW.region_id, ''),
        COALESCE(NEW.product_line_id, ''), COALESCE(NEW.partner_id, ''), NEW.forecast_category,
        NEW.status, 1, NEW.amount_minor, NEW.weighted_minor)
    ON CONFLICT (currency, month, owner_id, forecast_category, status, pipeline_id, team_id,
        region_id, product_line_id, partner_id)
    DO UPDATE SET deals = deals + 1, amount_minor = amount_minor + excluded.amount_minor,
        weighted_minor = weighted_minor + excluded.weighted_minor;
END;

-- An update that touches nothing the forecast counts (a name, a note, the
-- version) leaves the cells alone.
CREATE TRIGGER opportunities_cells_update AFTER UPDATE ON opportunities
WHEN OLD.currency IS NOT NEW.currency OR OLD.forecast_on IS NOT NEW.forecast_on
    OR OLD.pipeline_id IS NOT NEW.pipeline_id OR OLD.owner_id IS NOT NEW.owner_id
    OR OLD.team_id IS NOT NEW.team_id OR OLD.region_id IS NOT NEW.region_id
    OR OLD.product_line_id IS NOT NEW.product_line_id OR OLD.partner_id IS NOT NEW.partner_id
    OR OLD.forecast_category IS NOT NEW.forecast_category OR OLD.status IS NOT NEW.status
    OR OLD.amount_minor IS NOT NEW.amount_minor OR OLD.weighted_minor IS NOT NEW.weighted_minor
BEGIN
    UPDATE forecast_cells SET deals = deals - 1, amount_minor = amount_minor - OLD.amount_minor,
        weighted_minor = weighted_minor - OLD.weighted_minor
    WHERE OLD.status <> 'lost' AND currency = OLD.currency
        AND month = substr(OLD.forecast_on, 1, 7) AND pipeline_id = OLD.pipeline_id
        AND owner_id = OLD.owner_id AND team_id = COALESCE(OLD.team_id, '')
        AND region_id = COALESCE(OLD.region_id, '')
        AND product_line_id = COALESCE(OLD.product_line_id, '')
        AND partner_id = COALESCE(OLD.partner_id, '')
        AND forecast_category = OLD.forecast_category AND status = OLD.status;
    DELETE FROM forecast_cells
    WHERE deals = 0 AND currency = OLD.currency AND month = substr(OLD.forecast_on, 1, 7)
        AND pipeline_id = OLD.pipeline_id AND owner_id = OLD.owner_id
        AND team_id = COALESCE(OLD.team_id, '') AND region_id = COALESCE(OLD.region_id, '')
        AND product_line_id = COALESCE(OLD.product_line_id, '')
        AND partner_id = COALESCE(OLD.partner_id, '')
        AND forecast_category = OLD.forecast_category AND status = OLD.status;
    INSERT INTO forecast_cells SELECT NEW.currency, substr(NEW.forecast_on, 1, 7),
        NEW.pipeline_id, NEW.owner_id, COALESCE(NEW.team_id, ''), COALESCE(NEW.region_id, ''),
        COALESCE(NEW.product_line_id, ''), COALESCE(NEW.partner_id, ''), NEW.forecast_category,
        NEW.status, 1, NEW.amount_minor, NEW.weighted_minor
    WHERE NEW.status <> 'lost'
    ON CONFLICT (currency, month, owner_id, forecast_category, status, pipeline_id, team_id,
        region_id, product_line_id, partner_id)
    DO UPDATE SET deals = deals + 1, amount_minor = amount_minor + excluded.amount_minor,
        weighted_minor = weighted_minor + excluded.weighted_minor;
END;

CREATE TRIGGER opportunities_cells_delete AFTER DELETE ON opportunities
WHEN OLD.status <> 'lost'
BEGIN
    UPDATE forecast_cells SET deals = deals - 1, amount_minor = amount_minor - OLD.amount_minor,
        weighted_minor = weighted_minor - OLD.weighted_minor
    WHERE currency = OLD.currency
        AND month = substr(OLD.forecast_on, 1, 7) AND pipeline_id = OLD.pipeline_id
        AND owner_id = OLD.owner_id AND team_id = COALESCE(OLD.team_id, '')
        AND region_id = COALESCE(OLD.region_id, '')
        AND product_line_id = COALESCE(OLD.product_line_id, '')
        AND partner_id = COALESCE(OLD.partner_id, '')
        AND forecast_category = OLD.forecast_category AND status = OLD.status;
    DELETE FROM forecast_cells
    WHERE deals = 0 AND currency = OLD.currency AND month = substr(OLD.forecast_on, 1, 7)
        AND pipeline_id = OLD.pipeline_id AND owner_id = OLD.owner_id
        AND team_id = COALESCE(OLD.team_id, '') AND region_id = COALESCE(OLD.region_id, '')
        AND product_line_id = COALESCE(OLD.product_line_id, '')
        AND partner_id = COALESCE(OLD.partner_id, '')
        AND forecast_category = OLD.forecast_category AND status = OLD.status;
END;
