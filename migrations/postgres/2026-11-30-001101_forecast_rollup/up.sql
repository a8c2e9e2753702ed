-- The forecast's rollup: per currency, month, pipeline, owner, team,
-- region, product line, partner, forecast category and status, how many
-- deals count there and their amount and weighted amount. Broad scopes
-- (everything, regions, teams, product lines, a partner's) sum a few
-- thousand cells here instead of half a million deals. A trigger keeps it
-- in the same transaction as every deal write, whichever code path makes
-- it, so it can never drift from the deals. Lost deals are not in the
-- forecast and so not here. An absent org unit is '' because a key column
-- must not be NULL (NULLs never conflict in a unique index).
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
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;

-- Takes a deal's row out of its cell (sign -1) or puts it in (sign 1).
CREATE FUNCTION forecast_cell_add(d opportunities, sign BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF d.status = 'lost' THEN
        RETURN;
    END IF;
    INSERT INTO forecast_cells VALUES (d.currency, substr(d.forecast_on, 1, 7), d.pipeline_id,
        d.owner_id, COALESCE(d.team_id, ''), COALESCE(d.region_id, ''),
        COALESCE(d.product_line_id, ''), COALESCE(d.partner_id, ''), d.forecast_category,
        d.status, sign, sign * d.amount_minor, sign * d.weighted_minor)
    ON CONFLICT (currency, month, owner_id, forecast_category, status, pipeline_id, team_id,
        region_id, product_line_id, partner_id)
    DO UPDATE SET deals = forecast_cells.deals + excluded.deals,
        amount_minor = forecast_cells.amount_minor + excluded.amount_minor,
        weighted_minor = forecast_cells.weighted_minor + excluded.weighted_minor;
    IF sign < 0 THEN
        DELETE FROM forecast_cells
        WHERE deals = 0 AND currency = d.currency AND month = substr(d.forecast_on, 1, 7)
            AND pipeline_id = d.pipeline_id AND owner_id = d.owner_id
            AND team_id = COALESCE(d.team_id, '') AND region_id = COALESCE(d.region_id, '')
            AND product_line_id = COALESCE(d.product_line_id, '')
            AND partner_id = COALESCE(d.partner_id, '')
            AND forecast_category = d.forecast_category AND status = d.status;
    END IF;
END $$;

-- A move takes the deal out of one cell and into another; the two are
-- always touched in the order of their keys, so two deals moving between
-- the same two cells in opposite directions cannot deadlock.
CREATE FUNCTION opportunities_cells() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_key TEXT;
    new_key TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM forecast_cell_add(NEW, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM forecast_cell_add(OLD, -1);
    ELSE
        IF (OLD.currency, OLD.forecast_on, OLD.pipeline_id, OLD.owner_id, OLD.team_id,
            OLD.region_id, OLD.product_line_id, OLD.partner_id, OLD.forecast_category,
            OLD.status, OLD.amount_minor, OLD.weighted_minor)
            IS NOT DISTINCT FROM
           (NEW.currency, NEW.forecast_on, NEW.pipeline_id, NEW.owner_id, NEW.team_id,
            NEW.region_id, NEW.product_line_id, NEW.partner_id, NEW.forecast_category,
            NEW.status, NEW.amount_minor, NEW.weighted_minor) THEN
            RETURN NULL;
        END IF;
        old_key := concat_ws('|', OLD.currency, substr(OLD.forecast_on, 1, 7), OLD.pipeline_id,
            OLD.owner_id, OLD.team_id, OLD.region_id, OLD.product_line_id, OLD.partner_id,
            OLD.forecast_category, OLD.status);
        new_key := concat_ws('|', NEW.currency, substr(NEW.forecast_on, 1, 7), NEW.pipeline_id,
            NEW.owner_id, NEW.team_id, NEW.region_id, NEW.product_line_id, NEW.partner_id,
            NEW.forecast_category, NEW.status);
        IF old_key <= new_key THEN
            PERFORM forecast_cell_add(OLD, -1);
            PERFORM forecast_cell_add(NEW, 1);
        ELSE
            PERFORM forecast_cell_add(NEW, 1);
            PERFORM forecast_cell_add(OLD, -1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER opportunities_cells AFTER INSERT OR UPDATE OR DELETE ON opportunities
    FOR EACH ROW EXECUTE FUNCTION opportunities_cells();
