//! Leads for one customer in five, made by the database from the customers
//! (INSERT … SELECT, as the deals are): the person behind the company,
//! spread over the statuses, the sources and the people of the
//! organisation — the customer's owner, or a team's queue for one lead in
//! three — with creation times over the last two years, so lead lists have
//! realistic work for every scope.

use crate::db::DbConnection;
use diesel::connection::SimpleConnection;

const COLUMNS: &str = "id, name, company, phone, email, industry, region_id, product_line_id, \
    source, campaign, notes, status, score, activity_count, form_submissions, owner_id, team_id, \
    partner_id, form_id, rule_id, search_text, converted_customer_id, converted_contact_id, \
    converted_opportunity_id, converted_at, created_by, api_key_id, created_at, updated_by, \
    updated_at, deleted_at, version";

/// Of the leads still worked: their statuses, in turn.
const STATUSES: [&str; 4] = ["new", "contacted", "qualified", "unqualified"];
const SOURCES: [&str; 4] = ["manual", "web_form", "import", "referral"];

fn case(k: &str, n: usize, values: &[&str]) -> String {
    let arms: String = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!(" WHEN {i} THEN '{v}'"))
        .collect();
    format!("(CASE ({k}) % {n}{arms} END)")
}

pub fn seed(c: &mut DbConnection) -> Result<(), String> {
    let (source, created) = match c {
        DbConnection::Sqlite(_) => (
            "(SELECT cu.id, cu.name, cu.owner_id, cu.team_id, cu.region_id, cu.partner_id, \
             u.team_id AS owner_team, cu.rowid AS k FROM customers cu LEFT JOIN users u ON u.id = cu.owner_id)",
            "strftime('%Y-%m-%d %H:%M:%f', '2026-11-30', '-' || ((k * 131) % 1051200) || ' minutes')",
        ),
        DbConnection::Pg(_) => (
            "(SELECT cu.id, cu.name, cu.owner_id, cu.team_id, cu.region_id, cu.partner_id, \
             u.team_id AS owner_team, row_number() OVER (ORDER BY cu.id) AS k FROM customers cu \
             LEFT JOIN users u ON u.id = cu.owner_id)",
            "(TIMESTAMP '2026-11-30' - ((k * 131) % 1051200) * INTERVAL '1 minute')",
        ),
    };
    // the n-th lead (k / 5): one in five converted by its customer's owner,
    // else one in three (and those of pool customers) new in a team's queue,
    // the others with the owner in a status by turns
    let converted = "((k / 5) % 5 = 4 AND c.owner_id IS NOT NULL)";
    let queued = format!("(NOT {converted} AND ((k / 5) % 3 = 0 OR c.owner_id IS NULL))");
    let status = format!(
        "CASE WHEN {converted} THEN 'converted' WHEN {queued} THEN 'new' ELSE {} END",
        case("k / 5", STATUSES.len(), &STATUSES)
    );
    let lead_source = case("k / 7", SOURCES.len(), &SOURCES);
    let sql = format!(
        "INSERT INTO leads ({COLUMNS}) SELECT 'lead-' || c.id, '联系人' || k, c.name, NULL, \
         'lead' || k || '@seed.example', NULL, c.region_id, NULL, {lead_source}, NULL, NULL, \
         {status}, (k * 17) % 101, 0, 0, \
         CASE WHEN {queued} THEN NULL ELSE c.owner_id END, \
         CASE WHEN {queued} THEN COALESCE(c.team_id, c.owner_team) ELSE c.owner_team END, \
         c.partner_id, NULL, NULL, lower('联系人' || k || ' ' || c.name || ' lead' || k || '@seed.example'), \
         CASE WHEN {converted} THEN c.id END, NULL, NULL, CASE WHEN {converted} THEN {created} END, \
         NULL, NULL, {created}, NULL, {created}, NULL, 1 FROM {source} c WHERE k % 5 = 0;
         ANALYZE leads;"
    );
    c.batch_execute(&sql)
        .map_err(|e| format!("seeding leads: {e}"))
}
