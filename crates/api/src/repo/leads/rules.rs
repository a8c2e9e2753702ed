//! Assignment rules, and running them for a new lead.

use crate::db::DbConnection;
use crate::db::schema::{lead_assignment_rules as rules, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::lead::assign::{self, Assignment, LeadFacts, Method, Rule, RuleSettings};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rules)]
pub struct RuleRow {
    pub id: String,
    pub position: i32,
    pub region_id: Option<String>,
    pub industry: Option<String>,
    pub product_line_id: Option<String>,
    pub method: String,
    pub user_ids: String,
    pub team_id: Option<String>,
    pub capacity: Option<i32>,
    pub fallback_team_id: Option<String>,
    pub active: bool,
    pub last_user_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl RuleRow {
    pub fn user_ids(&self) -> Vec<String> {
        serde_json::from_str(&self.user_ids).unwrap_or_default()
    }

    pub fn method(&self) -> Method {
        Method::parse(&self.method).unwrap_or(Method::RoundRobin)
    }
}

/// Every rule in the order they are tried.
pub fn list(c: &mut DbConnection) -> QueryResult<Vec<RuleRow>> {
    rules::table
        .order((
            rules::position.asc(),
            rules::created_at.asc(),
            rules::id.asc(),
        ))
        .select(RuleRow::as_select())
        .load(c)
}

pub fn get(c: &mut DbConnection, id: &str) -> QueryResult<Option<RuleRow>> {
    rules::table
        .filter(rules::id.eq(id))
        .select(RuleRow::as_select())
        .first(c)
        .optional()
}

pub fn insert(
    c: &mut DbConnection,
    id: &str,
    s: &RuleSettings,
    now: NaiveDateTime,
) -> QueryResult<RuleRow> {
    diesel::insert_into(rules::table)
        .values((
            rules::id.eq(id),
            rules::position.eq(s.position),
            rules::region_id.eq(&s.matches.region_id),
            rules::industry.eq(&s.matches.industry),
            rules::product_line_id.eq(&s.matches.product_line_id),
            rules::method.eq(s.method.as_str()),
            rules::user_ids.eq(serde_json::to_string(&s.user_ids).unwrap_or_default()),
            rules::team_id.eq(&s.team_id),
            rules::capacity.eq(s.capacity.map(|n| n as i32)),
            rules::fallback_team_id.eq(&s.fallback_team_id),
            rules::active.eq(s.active),
            rules::created_at.eq(now),
            rules::updated_at.eq(now),
            rules::version.eq(1i64),
        ))
        .execute(c)?;
    rules::table
        .filter(rules::id.eq(id))
        .select(RuleRow::as_select())
        .first(c)
}

/// Replaces a rule's settings; `None` when there is no such rule.
pub fn replace(
    c: &mut DbConnection,
    id: &str,
    s: &RuleSettings,
    now: NaiveDateTime,
) -> QueryResult<Option<RuleRow>> {
    let n = diesel::update(rules::table.filter(rules::id.eq(id)))
        .set((
            rules::position.eq(s.position),
            rules::region_id.eq(&s.matches.region_id),
            rules::industry.eq(&s.matches.industry),
            rules::product_line_id.eq(&s.matches.product_line_id),
            rules::method.eq(s.method.as_str()),
            rules::user_ids.eq(serde_json::to_string(&s.user_ids).unwrap_or_default()),
            rules::team_id.eq(&s.team_id),
            rules::capacity.eq(s.capacity.map(|n| n as i32)),
            rules::fallback_team_id.eq(&s.fallback_team_id),
            rules::active.eq(s.active),
            rules::updated_at.eq(now),
            rules::version.eq(rules::version + 1),
        ))
        .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    get(c, id)
}

pub fn delete(c: &mut DbConnection, id: &str) -> QueryResult<bool> {
    Ok(diesel::delete(rules::table.filter(rules::id.eq(id))).execute(c)? > 0)
}

/// Runs the active rules for a lead and remembers whom round robin gave it
/// to. Team rules offer the team's active members, in id order.
pub fn run(
    c: &mut DbConnection,
    lead: &LeadFacts<'_>,
    default_team_id: Option<&str>,
) -> QueryResult<Assignment> {
    // Two leads created at once must not both read the same round-robin
    // turn and capacity: on PostgreSQL the rules are locked for the rest of
    // the transaction (SQLite's write transactions already run one at a time).
    if c.backend() == crate::db::Backend::Postgres {
        diesel::sql_query("SELECT id FROM lead_assignment_rules FOR UPDATE").execute(c)?;
    }
    let mut domain = Vec::new();
    for r in list(c)?.into_iter().filter(|r| r.active) {
        let candidates = match &r.team_id {
            Some(t) => users::table
                .filter(users::team_id.eq(t))
                .filter(users::is_active.eq(true))
                .order(users::id.asc())
                .select(users::id)
                .load::<String>(c)?,
            None => r.user_ids(),
        };
        domain.push(Rule {
            id: r.id.clone(),
            matches: assign::Match {
                region_id: r.region_id.clone(),
                industry: r.industry.clone(),
                product_line_id: r.product_line_id.clone(),
            },
            method: r.method(),
            candidates,
            capacity: r.capacity.map(|n| n.max(0) as u32),
            fallback_team_id: r.fallback_team_id.clone().or(r.team_id.clone()),
            last_user_id: r.last_user_id.clone(),
        });
    }
    let matched: Vec<String> = domain
        .iter()
        .find(|r| r.matches.accepts(lead))
        .map(|r| r.candidates.clone())
        .unwrap_or_default();
    let open = super::open_counts(c, &matched)?;
    let out = assign::assign(&domain, lead, &open, default_team_id);
    if let Assignment::User { user_id, rule_id } = &out {
        diesel::update(rules::table.filter(rules::id.eq(rule_id)))
            .set(rules::last_user_id.eq(user_id))
            .execute(c)?;
    }
    Ok(out)
}
