//! One opportunity per seeded customer, made by the database itself from
//! the customers (INSERT … SELECT): spread over the default funnel's
//! stages, two years of close dates around 2026, and amounts from 100 to
//! 50,000 yuan, so the forecast and the board have realistic work.

use crate::db::DbConnection;
use diesel::connection::SimpleConnection;

/// The columns, in the order both statements fill them.
const COLUMNS: &str = "id, name, customer_id, pipeline_id, stage_id, status, owner_id, team_id, \
    region_id, product_line_id, partner_id, amount_minor, currency, expected_close_on, probability, \
    probability_override, forecast_category, weighted_minor, forecast_on, source_lead_id, campaign, \
    stage_entered_at, closed_on, closed_at, loss_reason_id, lost_to_competitor_id, close_notes, \
    created_by, api_key_id, created_at, updated_at, version";

/// Per stage index (k % 6): stage, status, probability, category.
const STAGES: [(&str, &str, i64, &str); 6] = [
    ("stage-identify", "open", 10, "pipeline"),
    ("stage-qualify", "open", 25, "pipeline"),
    ("stage-plan", "open", 50, "best_case"),
    ("stage-proposal", "open", 75, "commit"),
    ("stage-won", "won", 100, "closed"),
    ("stage-lost", "lost", 0, "omitted"),
];

fn case(k: &str, pick: impl Fn(&(&str, &str, i64, &str)) -> String) -> String {
    let arms: String = STAGES
        .iter()
        .enumerate()
        .map(|(i, s)| format!(" WHEN {i} THEN {}", pick(s)))
        .collect();
    format!("(CASE ({k}) % 6{arms} END)")
}

pub fn seed(c: &mut DbConnection, admin: &str) -> Result<(), String> {
    // PostgreSQL's row trigger on deals costs more per row than the insert
    // itself: it is off for the load and the rollup made once, grouped, after
    // it (SQLite's trigger is cheap enough to keep)
    let (source, day, now, trigger_off, trigger_on) = match c {
        DbConnection::Sqlite(_) => (
            "(SELECT id, name, owner_id, region_id, partner_id, rowid AS k FROM customers)",
            "date('2025-12-01', '+' || ((k * 37) % 730) || ' days')",
            "strftime('%Y-%m-%d %H:%M:%f', 'now')",
            "",
            "",
        ),
        DbConnection::Pg(_) => (
            "(SELECT id, name, owner_id, region_id, partner_id, row_number() OVER (ORDER BY id) AS k FROM customers)",
            "to_char(DATE '2025-12-01' + ((k * 37) % 730)::int, 'YYYY-MM-DD')",
            "LOCALTIMESTAMP",
            "ALTER TABLE opportunities DISABLE TRIGGER opportunities_cells;",
            "ALTER TABLE opportunities ENABLE TRIGGER opportunities_cells;",
        ),
    };
    let q = |s: &str| format!("'{s}'");
    let stage = case("k", |s| q(s.0));
    let status = case("k", |s| q(s.1));
    let prob = case("k", |s| s.2.to_string());
    let category = case("k", |s| q(s.3));
    let amount = "(10000 + ((k * 7919) % 4990000))";
    let closed = format!("(CASE WHEN (k % 6) >= 4 THEN {day} END)");
    let sql = format!(
        "{trigger_off} INSERT INTO opportunities ({COLUMNS}) SELECT 'opp-' || c.id, c.name, c.id, 'default', {stage}, \
         {status}, COALESCE(c.owner_id, '{admin}'), NULL, c.region_id, NULL, c.partner_id, {amount}, 'CNY', \
         {day}, {prob}, NULL, {category}, ({amount} * {prob} + 50) / 100, {day}, NULL, NULL, {now}, \
         {closed}, CASE WHEN (k % 6) >= 4 THEN {now} END, CASE WHEN (k % 6) = 5 THEN 'price' END, NULL, NULL, \
         NULL, NULL, {now}, {now}, 1 FROM {source} c;
         INSERT INTO opportunity_stage_history (id, opportunity_id, from_stage_id, stage_id, entered_at, left_at, by_user_id, api_key_id)
         SELECT 'h-' || id, id, NULL, stage_id, stage_entered_at, NULL, NULL, NULL FROM opportunities;
         ANALYZE opportunities;"
    );
    c.batch_execute(&sql)
        .map_err(|e| format!("seeding opportunities: {e}"))?;
    if !trigger_off.is_empty() {
        crate::repo::forecast::rebuild_cells(c)
            .and_then(|()| c.batch_execute(trigger_on))
            .map_err(|e| format!("making the forecast's rollup: {e}"))?;
    }
    Ok(())
}
