//! The forecast's aggregate (from its rollup), quotas, and what rep
//! performance reads.

use super::access_sql::OpportunityCondition;
use crate::db::schema::{
    activities, customers, opportunities, opportunity_stage_history, org_units, quotas,
};
use crate::db::{self, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;

mod aggregate;
pub use aggregate::{Ask, Cell, GroupBy, Sources, cells, plans};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = quotas)]
pub struct QuotaRow {
    pub id: String,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub period_kind: String,
    pub period_start: String,
    pub amount_minor: i64,
    pub currency: String,
    pub updated_at: NaiveDateTime,
}

/// Quotas of one currency starting in `[from, to)`.
pub fn quotas_between(
    c: &mut DbConnection,
    currency: Option<&str>,
    from: &str,
    to: &str,
) -> QueryResult<Vec<QuotaRow>> {
    let mut q = quotas::table
        .filter(quotas::period_start.ge(from.to_owned()))
        .filter(quotas::period_start.lt(to.to_owned()))
        .select(QuotaRow::as_select())
        .order((quotas::period_start, quotas::id))
        .into_boxed();
    if let Some(cur) = currency {
        q = q.filter(quotas::currency.eq(cur.to_owned()));
    }
    q.load(c)
}

/// Sets the quota of a user or team for one period (replacing any).
pub fn put_quota(c: &mut DbConnection, q: &QuotaRow) -> QueryResult<String> {
    db::write_tx(c, |c| {
        let mut existing = quotas::table
            .filter(quotas::period_kind.eq(&q.period_kind))
            .filter(quotas::period_start.eq(&q.period_start))
            .filter(quotas::currency.eq(&q.currency))
            .select(quotas::id)
            .into_boxed();
        existing = match (&q.user_id, &q.team_id) {
            (Some(u), _) => existing.filter(quotas::user_id.eq(u.clone())),
            (None, Some(t)) => existing.filter(quotas::team_id.eq(t.clone())),
            (None, None) => existing.filter(quotas::id.eq("")),
        };
        match existing.first::<String>(c).optional()? {
            Some(id) => {
                diesel::update(quotas::table.find(&id))
                    .set((
                        quotas::amount_minor.eq(q.amount_minor),
                        quotas::updated_at.eq(q.updated_at),
                    ))
                    .execute(c)?;
                Ok(id)
            }
            None => {
                diesel::insert_into(quotas::table)
                    .values((
                        quotas::id.eq(&q.id),
                        quotas::user_id.eq(&q.user_id),
                        quotas::team_id.eq(&q.team_id),
                        quotas::period_kind.eq(&q.period_kind),
                        quotas::period_start.eq(&q.period_start),
                        quotas::amount_minor.eq(q.amount_minor),
                        quotas::currency.eq(&q.currency),
                        quotas::updated_at.eq(q.updated_at),
                    ))
                    .execute(c)?;
                Ok(q.id.clone())
            }
        }
    })
}

/// A deal as performance reads it.
#[derive(Debug, Clone, Queryable)]
pub struct DealFacts {
    pub id: String,
    pub name: String,
    pub owner_id: String,
    pub pipeline_id: String,
    pub stage_id: String,
    pub status: String,
    pub amount_minor: i64,
    pub currency: String,
    pub closed_on: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub stage_entered_at: NaiveDateTime,
    pub customer_last_activity: Option<NaiveDateTime>,
}

/// A deal's columns as read, its customer last.
type FactsRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<NaiveDateTime>,
    NaiveDateTime,
    NaiveDateTime,
    String,
);

/// The deals in scope that are open, or closed on or after `closed_from`.
pub fn deal_facts(
    c: &mut DbConnection,
    cond: OpportunityCondition,
    closed_from: &str,
) -> QueryResult<Vec<DealFacts>> {
    let rows: Vec<FactsRow> = opportunities::table
        .filter(cond)
        .filter(
            opportunities::status
                .eq("open")
                .or(opportunities::closed_on.ge(closed_from.to_owned())),
        )
        .select((
            opportunities::id,
            opportunities::name,
            opportunities::owner_id,
            opportunities::pipeline_id,
            opportunities::stage_id,
            opportunities::status,
            opportunities::amount_minor,
            opportunities::currency,
            opportunities::closed_on,
            opportunities::closed_at,
            opportunities::created_at,
            opportunities::stage_entered_at,
            opportunities::customer_id,
        ))
        .load(c)?;
    let cids: Vec<String> = rows.iter().map(|r| r.12.clone()).collect();
    let last: std::collections::HashMap<String, Option<NaiveDateTime>> = customers::table
        .filter(customers::id.eq_any(&cids))
        .select((customers::id, customers::last_activity_at))
        .load::<(String, Option<NaiveDateTime>)>(c)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| DealFacts {
            customer_last_activity: last.get(&r.12).cloned().flatten(),
            id: r.0,
            name: r.1,
            owner_id: r.2,
            pipeline_id: r.3,
            stage_id: r.4,
            status: r.5,
            amount_minor: r.6,
            currency: r.7,
            closed_on: r.8,
            closed_at: r.9,
            created_at: r.10,
            stage_entered_at: r.11,
        })
        .collect())
}

/// `(deal, stage, entered_at)` of the stays of these deals.
pub fn stays(
    c: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, String, NaiveDateTime)>> {
    opportunity_stage_history::table
        .filter(opportunity_stage_history::opportunity_id.eq_any(ids))
        .select((
            opportunity_stage_history::opportunity_id,
            opportunity_stage_history::stage_id,
            opportunity_stage_history::entered_at,
        ))
        .load(c)
}

/// Done activities per owner in `[from, to)`: `(owner, kind, count)`.
pub fn activity_counts(
    c: &mut DbConnection,
    owners: &[String],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(String, String, i64)>> {
    activities::table
        .filter(activities::owner_id.eq_any(owners))
        .filter(activities::done_at.ge(from))
        .filter(activities::done_at.lt(to))
        .group_by((activities::owner_id, activities::kind))
        .select((
            activities::owner_id,
            activities::kind,
            diesel::dsl::count_star(),
        ))
        .load(c)
}

/// Names of org units by id.
pub fn unit_names(c: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    org_units::table
        .filter(org_units::id.eq_any(ids))
        .select((org_units::id, org_units::name))
        .load(c)
}
