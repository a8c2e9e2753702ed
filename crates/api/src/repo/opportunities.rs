//! Opportunities (商机): read and written under their own access condition,
//! with their stage history, checklist ticks, contacts and competitors.

use super::access_sql::{OpportunityCondition, branches, opportunity_condition};
use crate::db::schema::{
    contacts, customers, opportunities, opportunity_contacts, opportunity_stage_history, users,
};
use crate::db::{self, Db, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::access::Predicate;
use std::collections::HashMap;

mod deal_competitors;
mod stays;
pub use deal_competitors::*;
pub use stays::*;

diesel::define_sql_function! {
    /// Both backends' `lower`: search terms are lower case.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = opportunities)]
pub struct OpportunityRow {
    pub id: String,
    pub name: String,
    pub customer_id: String,
    pub pipeline_id: String,
    pub stage_id: String,
    pub status: String,
    pub owner_id: String,
    pub team_id: Option<String>,
    pub region_id: Option<String>,
    pub product_line_id: Option<String>,
    pub partner_id: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    pub expected_close_on: String,
    pub probability: i32,
    pub probability_override: Option<i32>,
    pub forecast_category: String,
    pub weighted_minor: i64,
    pub forecast_on: String,
    pub source_lead_id: Option<String>,
    pub campaign: Option<String>,
    pub stage_entered_at: NaiveDateTime,
    pub closed_on: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub loss_reason_id: Option<String>,
    pub lost_to_competitor_id: Option<String>,
    pub close_notes: Option<String>,
    pub created_by: Option<String>,
    pub api_key_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// A deal with the names its answer shows.
#[derive(Debug, Clone)]
pub struct OpportunityRecord {
    pub row: OpportunityRow,
    pub customer_name: String,
    /// The customer is in the trash (a merged one's deals have moved on).
    pub customer_deleted: bool,
    pub owner_name: String,
    pub stage_name: String,
    pub contact_ids: Vec<String>,
}

/// Which deals a list shows, besides the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct OpportunityFilter {
    pub pipeline_id: Option<String>,
    pub stage_id: Option<String>,
    pub status: Option<String>,
    pub owner_id: Option<String>,
    pub customer_id: Option<String>,
    pub close_from: Option<String>,
    pub close_to: Option<String>,
    /// Closed on or after this day (won and lost columns of the board).
    pub closed_since: Option<String>,
    pub terms: Vec<String>,
}

pub type Boxed = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<opportunities::table, diesel::dsl::AsSelect<OpportunityRow, Db>>,
    Db,
>;

fn filtered(cond: OpportunityCondition, f: &OpportunityFilter) -> Boxed {
    let mut q = opportunities::table
        .select(OpportunityRow::as_select())
        .into_boxed()
        .filter(cond);
    if let Some(p) = &f.pipeline_id {
        q = q.filter(opportunities::pipeline_id.eq(p.clone()));
    }
    if let Some(s) = &f.stage_id {
        q = q.filter(opportunities::stage_id.eq(s.clone()));
    }
    if let Some(s) = &f.status {
        q = q.filter(opportunities::status.eq(s.clone()));
    }
    if let Some(o) = &f.owner_id {
        q = q.filter(opportunities::owner_id.eq(o.clone()));
    }
    if let Some(cu) = &f.customer_id {
        q = q.filter(opportunities::customer_id.eq(cu.clone()));
    }
    if let Some(d) = &f.close_from {
        q = q.filter(opportunities::expected_close_on.ge(d.clone()));
    }
    if let Some(d) = &f.close_to {
        q = q.filter(opportunities::expected_close_on.le(d.clone()));
    }
    if let Some(d) = &f.closed_since {
        q = q.filter(
            opportunities::status
                .eq("open")
                .or(opportunities::closed_on.ge(d.clone())),
        );
    }
    for t in &f.terms {
        q = q.filter(lower(opportunities::name).like(format!("%{t}%")));
    }
    q
}

/// One query per scope branch, so each reads its own index: the deals of
/// the filter in `(expected_close_on, id)` order after `after`.
pub fn list_queries(
    scope: &Predicate,
    f: &OpportunityFilter,
    after: Option<(String, String)>,
    limit: i64,
) -> Vec<Boxed> {
    branches(scope)
        .iter()
        .map(|b| {
            let mut q = filtered(opportunity_condition(b), f);
            if let Some((d, id)) = &after {
                q = q.filter(
                    opportunities::expected_close_on.gt(d.clone()).or(
                        opportunities::expected_close_on
                            .eq(d.clone())
                            .and(opportunities::id.gt(id.clone())),
                    ),
                );
            }
            q.order((opportunities::expected_close_on, opportunities::id))
                .limit(limit)
        })
        .collect()
}

/// A page of deals, the branches' queries merged.
pub fn list(
    c: &mut DbConnection,
    scope: &Predicate,
    f: &OpportunityFilter,
    after: Option<(String, String)>,
    limit: i64,
) -> QueryResult<Vec<OpportunityRecord>> {
    let mut rows: Vec<OpportunityRow> = Vec::new();
    for q in list_queries(scope, f, after, limit) {
        rows.extend(q.load::<OpportunityRow>(c)?);
    }
    rows.sort_by(|a, b| (&a.expected_close_on, &a.id).cmp(&(&b.expected_close_on, &b.id)));
    rows.dedup_by(|a, b| a.id == b.id);
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    records(c, rows)
}

/// `(stage, currency, count, amount, weighted)`.
pub type StageSum = (String, String, i64, i64, i64);

/// Per stage of one pipeline: how many deals the filter holds and their
/// sums per currency.
pub fn stage_sums(
    c: &mut DbConnection,
    scope: &Predicate,
    f: &OpportunityFilter,
) -> QueryResult<Vec<StageSum>> {
    // Summed in Rust: each scope branch is read on its own, and the
    // branches may overlap, so the rows are deduplicated before counting.
    let mut seen = std::collections::HashSet::new();
    let mut sums: HashMap<(String, String), (i64, i64, i64)> = HashMap::new();
    for b in branches(scope) {
        let rows: Vec<(String, String, String, i64, i64)> = filtered(opportunity_condition(&b), f)
            .select((
                opportunities::id,
                opportunities::stage_id,
                opportunities::currency,
                opportunities::amount_minor,
                opportunities::weighted_minor,
            ))
            .load(c)?;
        for (id, stage, cur, a, w) in rows {
            if seen.insert(id) {
                let e = sums.entry((stage, cur)).or_default();
                e.0 += 1;
                e.1 += a;
                e.2 += w;
            }
        }
    }
    let mut out: Vec<_> = sums
        .into_iter()
        .map(|((s, cur), (n, a, w))| (s, cur, n, a, w))
        .collect();
    out.sort();
    Ok(out)
}

/// The deal, if the condition allows it.
pub fn get(
    c: &mut DbConnection,
    id: &str,
    cond: OpportunityCondition,
) -> QueryResult<Option<OpportunityRecord>> {
    let row: Option<OpportunityRow> = opportunities::table
        .filter(opportunities::id.eq(id.to_owned()))
        .filter(cond)
        .select(OpportunityRow::as_select())
        .first(c)
        .optional()?;
    Ok(match row {
        Some(r) => records(c, vec![r])?.pop(),
        None => None,
    })
}

/// Whether the condition allows the deal.
pub fn allows(c: &mut DbConnection, id: &str, cond: OpportunityCondition) -> QueryResult<bool> {
    Ok(opportunities::table
        .filter(opportunities::id.eq(id.to_owned()))
        .filter(cond)
        .select(opportunities::id)
        .first::<String>(c)
        .optional()?
        .is_some())
}

/// Rows with names and contacts, in the same order.
pub fn records(
    c: &mut DbConnection,
    rows: Vec<OpportunityRow>,
) -> QueryResult<Vec<OpportunityRecord>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let cust_ids: Vec<String> = rows.iter().map(|r| r.customer_id.clone()).collect();
    let owner_ids: Vec<String> = rows.iter().map(|r| r.owner_id.clone()).collect();
    let stage_ids: Vec<String> = rows.iter().map(|r| r.stage_id.clone()).collect();
    let customers: HashMap<String, (String, bool)> = customers::table
        .filter(customers::id.eq_any(&cust_ids))
        .select((customers::id, customers::name, customers::deleted_at))
        .load::<(String, String, Option<NaiveDateTime>)>(c)?
        .into_iter()
        .map(|(id, name, deleted)| (id, (name, deleted.is_some())))
        .collect();
    let names = user_names(c, &owner_ids)?;
    let stages: HashMap<String, String> = super::pipelines::stage_names(c, &stage_ids)?
        .into_iter()
        .collect();
    let mut contacts: HashMap<String, Vec<String>> = HashMap::new();
    for (o, k) in opportunity_contacts::table
        .filter(opportunity_contacts::opportunity_id.eq_any(&ids))
        .order((
            opportunity_contacts::opportunity_id,
            opportunity_contacts::contact_id,
        ))
        .select((
            opportunity_contacts::opportunity_id,
            opportunity_contacts::contact_id,
        ))
        .load::<(String, String)>(c)?
    {
        contacts.entry(o).or_default().push(k);
    }
    Ok(rows
        .into_iter()
        .map(|row| OpportunityRecord {
            customer_name: customers
                .get(&row.customer_id)
                .map(|c| c.0.clone())
                .unwrap_or_default(),
            customer_deleted: customers.get(&row.customer_id).is_some_and(|c| c.1),
            owner_name: names.get(&row.owner_id).cloned().unwrap_or_default(),
            stage_name: stages.get(&row.stage_id).cloned().unwrap_or_default(),
            contact_ids: contacts.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

pub fn user_names(c: &mut DbConnection, ids: &[String]) -> QueryResult<HashMap<String, String>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(c)?
        .into_iter()
        .collect())
}

/// Who wrote: a user, and the API key when through one.
#[derive(Debug, Clone, Copy)]
pub struct Author<'a> {
    pub user_id: Option<&'a str>,
    pub api_key_id: Option<&'a str>,
}

/// Everything about a new deal, decided by the handler.
pub struct NewOpportunity<'a> {
    pub row: &'a OpportunityRow,
    pub contact_ids: &'a [String],
    pub by: Author<'a>,
}

/// Inserts a deal with its first stay in a stage. Runs inside the caller's
/// transaction (a lead's conversion writes a customer in the same one).
pub fn insert(c: &mut DbConnection, n: &NewOpportunity) -> QueryResult<()> {
    let r = n.row;
    diesel::insert_into(opportunities::table)
        .values((
            (
                opportunities::id.eq(&r.id),
                opportunities::name.eq(&r.name),
                opportunities::customer_id.eq(&r.customer_id),
                opportunities::pipeline_id.eq(&r.pipeline_id),
                opportunities::stage_id.eq(&r.stage_id),
                opportunities::status.eq(&r.status),
                opportunities::owner_id.eq(&r.owner_id),
                opportunities::team_id.eq(&r.team_id),
                opportunities::region_id.eq(&r.region_id),
                opportunities::product_line_id.eq(&r.product_line_id),
                opportunities::partner_id.eq(&r.partner_id),
                opportunities::amount_minor.eq(r.amount_minor),
                opportunities::currency.eq(&r.currency),
                opportunities::expected_close_on.eq(&r.expected_close_on),
                opportunities::probability.eq(r.probability),
                opportunities::probability_override.eq(r.probability_override),
            ),
            (
                opportunities::forecast_category.eq(&r.forecast_category),
                opportunities::weighted_minor.eq(r.weighted_minor),
                opportunities::forecast_on.eq(&r.forecast_on),
                opportunities::source_lead_id.eq(&r.source_lead_id),
                opportunities::campaign.eq(&r.campaign),
                opportunities::stage_entered_at.eq(r.stage_entered_at),
                opportunities::closed_on.eq(&r.closed_on),
                opportunities::closed_at.eq(r.closed_at),
                opportunities::loss_reason_id.eq(&r.loss_reason_id),
                opportunities::lost_to_competitor_id.eq(&r.lost_to_competitor_id),
                opportunities::close_notes.eq(&r.close_notes),
                opportunities::created_by.eq(&r.created_by),
                opportunities::api_key_id.eq(&r.api_key_id),
                opportunities::created_at.eq(r.created_at),
                opportunities::updated_at.eq(r.updated_at),
                opportunities::version.eq(r.version),
            ),
        ))
        .execute(c)?;
    set_contacts(c, &r.id, n.contact_ids)?;
    enter_stage(c, &r.id, None, &r.stage_id, r.stage_entered_at, n.by)
}

pub fn set_contacts(c: &mut DbConnection, id: &str, contact_ids: &[String]) -> QueryResult<()> {
    diesel::delete(opportunity_contacts::table.filter(opportunity_contacts::opportunity_id.eq(id)))
        .execute(c)?;
    for k in contact_ids {
        diesel::insert_into(opportunity_contacts::table)
            .values((
                opportunity_contacts::opportunity_id.eq(id),
                opportunity_contacts::contact_id.eq(k),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// Closes the current stay and opens one in `to`.
pub fn enter_stage(
    c: &mut DbConnection,
    id: &str,
    from: Option<&str>,
    to: &str,
    at: NaiveDateTime,
    by: Author,
) -> QueryResult<()> {
    diesel::update(
        opportunity_stage_history::table
            .filter(opportunity_stage_history::opportunity_id.eq(id))
            .filter(opportunity_stage_history::left_at.is_null()),
    )
    .set(opportunity_stage_history::left_at.eq(Some(at)))
    .execute(c)?;
    diesel::insert_into(opportunity_stage_history::table)
        .values((
            opportunity_stage_history::id.eq(db::new_id()),
            opportunity_stage_history::opportunity_id.eq(id),
            opportunity_stage_history::from_stage_id.eq(from),
            opportunity_stage_history::stage_id.eq(to),
            opportunity_stage_history::entered_at.eq(at),
            opportunity_stage_history::left_at.eq(None::<NaiveDateTime>),
            opportunity_stage_history::by_user_id.eq(by.user_id),
            opportunity_stage_history::api_key_id.eq(by.api_key_id),
        ))
        .execute(c)
        .map(|_| ())
}

/// Writes the row's changeable columns when the version still matches;
/// false when someone else changed the deal first.
pub fn save(c: &mut DbConnection, r: &OpportunityRow, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(
        opportunities::table
            .filter(opportunities::id.eq(&r.id))
            .filter(opportunities::version.eq(expected)),
    )
    .set((
        (
            opportunities::name.eq(&r.name),
            opportunities::pipeline_id.eq(&r.pipeline_id),
            opportunities::stage_id.eq(&r.stage_id),
            opportunities::status.eq(&r.status),
            opportunities::owner_id.eq(&r.owner_id),
            opportunities::team_id.eq(&r.team_id),
            opportunities::region_id.eq(&r.region_id),
            opportunities::product_line_id.eq(&r.product_line_id),
            opportunities::partner_id.eq(&r.partner_id),
            opportunities::amount_minor.eq(r.amount_minor),
            opportunities::currency.eq(&r.currency),
            opportunities::expected_close_on.eq(&r.expected_close_on),
            opportunities::probability.eq(r.probability),
            opportunities::probability_override.eq(r.probability_override),
            opportunities::forecast_category.eq(&r.forecast_category),
        ),
        (
            opportunities::weighted_minor.eq(r.weighted_minor),
            opportunities::forecast_on.eq(&r.forecast_on),
            opportunities::campaign.eq(&r.campaign),
            opportunities::stage_entered_at.eq(r.stage_entered_at),
            opportunities::closed_on.eq(&r.closed_on),
            opportunities::closed_at.eq(r.closed_at),
            opportunities::loss_reason_id.eq(&r.loss_reason_id),
            opportunities::lost_to_competitor_id.eq(&r.lost_to_competitor_id),
            opportunities::close_notes.eq(&r.close_notes),
            opportunities::updated_at.eq(r.updated_at),
            opportunities::version.eq(expected + 1),
        ),
    ))
    .execute(c)?;
    Ok(n == 1)
}

/// Bumps the version after a change to a part of the deal (a tick, a
/// competitor), so that an ETag read before it no longer matches.
pub fn touch(
    c: &mut DbConnection,
    id: &str,
    expected: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        opportunities::table
            .filter(opportunities::id.eq(id))
            .filter(opportunities::version.eq(expected)),
    )
    .set((
        opportunities::updated_at.eq(now),
        opportunities::version.eq(expected + 1),
    ))
    .execute(c)?;
    Ok(n == 1)
}

/// Which of these contacts are not the customer's.
pub fn foreign_contacts(
    c: &mut DbConnection,
    customer_id: &str,
    ids: &[String],
) -> QueryResult<Vec<String>> {
    let found: Vec<String> = contacts::table
        .filter(contacts::customer_id.eq(customer_id))
        .filter(contacts::id.eq_any(ids))
        .filter(contacts::deleted_at.is_null())
        .select(contacts::id)
        .load(c)?;
    Ok(ids.iter().filter(|i| !found.contains(i)).cloned().collect())
}

/// A merge: the retired customer's deals now belong to the survivor.
pub fn move_to(c: &mut DbConnection, other: &str, survivor: &str) -> QueryResult<usize> {
    let partner: Option<String> = customers::table
        .find(survivor)
        .select(customers::partner_id)
        .first(c)?;
    diesel::update(opportunities::table.filter(opportunities::customer_id.eq(other)))
        .set((
            opportunities::customer_id.eq(survivor),
            opportunities::partner_id.eq(partner),
            opportunities::version.eq(opportunities::version + 1),
        ))
        .execute(c)
}

/// A customer's partner changed: its deals follow, so a dealer sees
/// exactly the deals of the customers they see.
pub fn follow_partner(
    c: &mut DbConnection,
    customer_id: &str,
    partner_id: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(opportunities::table.filter(opportunities::customer_id.eq(customer_id)))
        .set(opportunities::partner_id.eq(partner_id))
        .execute(c)
}

/// A hand-over: the old owner's open deals with the customer go to the new
/// owner with it; won and lost ones stay with who closed them (their
/// results are that rep's).
pub fn hand_over_open(
    c: &mut DbConnection,
    customer_id: &str,
    from: &str,
    to: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        opportunities::table
            .filter(opportunities::customer_id.eq(customer_id))
            .filter(opportunities::owner_id.eq(from))
            .filter(opportunities::status.eq("open")),
    )
    .set((
        opportunities::owner_id.eq(to),
        opportunities::updated_at.eq(now),
        opportunities::version.eq(opportunities::version + 1),
    ))
    .execute(c)
}

/// The contacts a deal names, in id order.
pub fn contact_ids(c: &mut DbConnection, id: &str) -> QueryResult<Vec<String>> {
    opportunity_contacts::table
        .filter(opportunity_contacts::opportunity_id.eq(id))
        .order(opportunity_contacts::contact_id)
        .select(opportunity_contacts::contact_id)
        .load(c)
}

/// `(id, name)` of these contacts, in name order.
pub fn contact_names(c: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    contacts::table
        .filter(contacts::id.eq_any(ids))
        .order((contacts::name, contacts::id))
        .select((contacts::id, contacts::name))
        .load(c)
}

/// The team of a user, for a deal's default team.
pub fn team_of(c: &mut DbConnection, user_id: &str) -> QueryResult<Option<String>> {
    Ok(users::table
        .find(user_id)
        .select(users::team_id)
        .first::<Option<String>>(c)
        .optional()?
        .flatten())
}

/// How many open deals a customer has, whoever may see them (a customer
/// with open deals stays out of the trash).
pub fn open_of_customer(c: &mut DbConnection, customer_id: &str) -> QueryResult<i64> {
    opportunities::table
        .filter(opportunities::customer_id.eq(customer_id))
        .filter(opportunities::status.eq("open"))
        .count()
        .get_result(c)
}

/// How many open deals sit in a stage (a stage in use is not removed).
pub fn open_in_stage(c: &mut DbConnection, stage_id: &str) -> QueryResult<i64> {
    opportunities::table
        .filter(opportunities::stage_id.eq(stage_id))
        .filter(opportunities::status.eq("open"))
        .count()
        .get_result(c)
}
