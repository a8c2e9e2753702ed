//! Customers: rows, writes, and scoped reads.
//!
//! Every read and write takes the caller's access condition and puts it in
//! the WHERE clause, so a hidden customer is indistinguishable from a missing one.

use super::access_sql::CustomerCondition;
use crate::db::schema::{customer_collaborators, customer_product_lines, customers, users};
use crate::db::{Db, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use kehu_domain::access::RecordFacts;
use kehu_domain::customer::{Customer, CustomerKind, LifecycleStage};
use kehu_domain::text::{Email, Phone, Tag};

pub mod dedup;
mod list;
pub mod merge;
pub mod owners;
pub mod search;
pub mod stages;
mod write;
pub use list::{
    After, CursorValue, CustomerFilter, OwnerFilter, Sort, SortKey, count, count_queries, list,
    list_branches, list_queries,
};
pub use search::like_pattern;
pub use write::{WriteOutcome, add_collaborator, insert, insert_new, set_deleted, update};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customers)]
pub struct CustomerRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub industry: Option<String>,
    pub source: Option<String>,
    pub region_id: Option<String>,
    pub owner_id: Option<String>,
    pub team_id: Option<String>,
    pub partner_id: Option<String>,
    pub lifecycle_stage: String,
    pub tags: String,
    pub phones: String,
    pub emails: String,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub version: i64,
    pub last_activity_at: Option<NaiveDateTime>,
    pub renewal_on: Option<NaiveDate>,
    pub maintenance_on: Option<NaiveDate>,
}

/// A customer row with its product lines.
#[derive(Debug, Clone)]
pub struct CustomerRecord {
    pub row: CustomerRow,
    pub product_line_ids: Vec<String>,
}

impl CustomerRecord {
    /// Back to the domain value, for patching. Stored values were validated on the way in.
    pub fn to_domain(&self) -> Customer {
        let r = &self.row;
        let strings = |s: &str| serde_json::from_str::<Vec<String>>(s).unwrap_or_default();
        Customer {
            name: r.name.clone(),
            kind: CustomerKind::parse(&r.kind).unwrap_or(CustomerKind::Company),
            industry: r.industry.clone(),
            source: r.source.clone(),
            region_id: r.region_id.clone(),
            product_line_ids: self.product_line_ids.clone(),
            owner_id: r.owner_id.clone(),
            team_id: r.team_id.clone(),
            partner_id: r.partner_id.clone(),
            lifecycle_stage: LifecycleStage::parse(&r.lifecycle_stage)
                .unwrap_or(LifecycleStage::Prospect),
            tags: strings(&r.tags)
                .iter()
                .filter_map(|t| Tag::parse("tags", t).ok())
                .collect(),
            phones: strings(&r.phones)
                .iter()
                .filter_map(|t| Phone::parse("phones", t).ok())
                .collect(),
            emails: strings(&r.emails)
                .iter()
                .filter_map(|t| Email::parse("emails", t).ok())
                .collect(),
            address: r.address.clone(),
            notes: r.notes.clone(),
            renewal_on: r.renewal_on.and_then(crate::db::to_date),
            maintenance_on: r.maintenance_on.and_then(crate::db::to_date),
        }
    }
}

/// The access facts a customer would have, for checking a write before it happens.
pub fn facts_of(c: &mut DbConnection, id: Option<&str>, v: &Customer) -> QueryResult<RecordFacts> {
    let owner_team_id = match &v.owner_id {
        Some(o) => users::table
            .filter(users::id.eq(o))
            .select(users::team_id)
            .first(c)
            .optional()?
            .flatten(),
        None => None,
    };
    let collaborator_ids = match id {
        Some(id) => customer_collaborators::table
            .filter(customer_collaborators::customer_id.eq(id))
            .select(customer_collaborators::user_id)
            .load::<String>(c)?
            .into_iter()
            .collect(),
        None => Default::default(),
    };
    Ok(RecordFacts {
        owner_id: v.owner_id.clone(),
        owner_team_id,
        team_id: v.team_id.clone(),
        collaborator_ids,
        region_id: v.region_id.clone(),
        product_line_ids: v.product_line_ids.iter().cloned().collect(),
        partner_id: v.partner_id.clone(),
    })
}

fn product_lines_of(c: &mut DbConnection, ids: &[&String]) -> QueryResult<Vec<(String, String)>> {
    customer_product_lines::table
        .filter(customer_product_lines::customer_id.eq_any(ids))
        .select((
            customer_product_lines::customer_id,
            customer_product_lines::product_line_id,
        ))
        .order((
            customer_product_lines::customer_id,
            customer_product_lines::product_line_id,
        ))
        .load(c)
}

pub(crate) fn records(
    c: &mut DbConnection,
    rows: Vec<CustomerRow>,
) -> QueryResult<Vec<CustomerRecord>> {
    let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
    let pls = product_lines_of(c, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| CustomerRecord {
            product_line_ids: pls
                .iter()
                .filter(|(cid, _)| *cid == row.id)
                .map(|(_, p)| p.clone())
                .collect(),
            row,
        })
        .collect())
}

/// Whether the trash or the live records are meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    Live,
    Deleted,
}

pub fn visible(
    cond: CustomerCondition,
    id: &str,
    l: Liveness,
) -> customers::BoxedQuery<'static, Db> {
    let q = customers::table
        .filter(customers::id.eq(id.to_owned()))
        .filter(cond)
        .into_boxed();
    match l {
        Liveness::Live => q.filter(customers::deleted_at.is_null()),
        // a merged record is retired, not in the trash: it cannot come back
        Liveness::Deleted => q
            .filter(customers::deleted_at.is_not_null())
            .filter(customers::merged_into_id.is_null()),
    }
}

/// The customer if it exists, is live (or deleted, as asked) and the condition allows it.
pub fn get(
    c: &mut DbConnection,
    id: &str,
    cond: CustomerCondition,
    l: Liveness,
) -> QueryResult<Option<CustomerRecord>> {
    let row: Option<CustomerRow> = visible(cond, id, l)
        .select(CustomerRow::as_select())
        .first(c)
        .optional()?;
    match row {
        Some(r) => Ok(records(c, vec![r])?.pop()),
        None => Ok(None),
    }
}

pub fn exists_visible(
    c: &mut DbConnection,
    id: &str,
    cond: CustomerCondition,
) -> QueryResult<bool> {
    Ok(visible(cond, id, Liveness::Live)
        .select(customers::id)
        .first::<String>(c)
        .optional()?
        .is_some())
}

pub(super) fn current_version(
    c: &mut DbConnection,
    id: &str,
    cond: CustomerCondition,
    l: Liveness,
) -> QueryResult<Option<i64>> {
    visible(cond, id, l)
        .select(customers::version)
        .first(c)
        .optional()
}

pub fn count_all(c: &mut DbConnection) -> QueryResult<i64> {
    customers::table.count().get_result(c)
}
