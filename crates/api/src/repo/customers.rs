//! Customers: rows, writes, and scoped reads.
//!
//! Every read and write takes the caller's access condition and puts it in
//! the WHERE clause, so a hidden customer is indistinguishable from a missing one.

use super::access_sql::CustomerCondition;
use crate::db::schema::{
    customer_collaborators, customer_product_lines, customer_tags, customers, users,
};
use crate::db::{Db, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::access::RecordFacts;
use kehu_domain::customer::{Customer, CustomerKind, LifecycleStage};
use kehu_domain::text::{Email, Phone, Tag};

mod list;
pub use list::{After, CursorValue, CustomerFilter, OwnerFilter, Sort, SortKey, count, list};

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
}

/// A customer row with its product lines.
#[derive(Debug, Clone)]
pub struct CustomerRecord {
    pub row: CustomerRow,
    pub product_line_ids: Vec<String>,
}

/// The columns a customer's own fields set, shared by insert and update.
macro_rules! fields {
    ($v:expr) => {
        (
            customers::name.eq(&$v.name),
            customers::kind.eq($v.kind.as_str()),
            customers::industry.eq(&$v.industry),
            customers::source.eq(&$v.source),
            customers::region_id.eq(&$v.region_id),
            customers::owner_id.eq(&$v.owner_id),
            customers::team_id.eq(&$v.team_id),
            customers::partner_id.eq(&$v.partner_id),
            customers::lifecycle_stage.eq($v.lifecycle_stage.as_str()),
            customers::tags.eq(json_list(&$v.tags)),
            customers::phones.eq(json_list(&$v.phones)),
            customers::emails.eq(json_list(&$v.emails)),
            customers::address.eq(&$v.address),
            customers::notes.eq(&$v.notes),
            customers::search_text.eq($v.search_text()),
        )
    };
}

/// A LIKE pattern matching `q` anywhere, with LIKE's wildcards taken literally.
pub fn like_pattern(q: &str) -> String {
    let mut p = String::with_capacity(q.len() + 2);
    p.push('%');
    for ch in q.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

fn json_list<T: serde::Serialize>(v: &[T]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
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

fn set_children(c: &mut DbConnection, id: &str, v: &Customer) -> QueryResult<()> {
    diesel::delete(
        customer_product_lines::table.filter(customer_product_lines::customer_id.eq(id)),
    )
    .execute(c)?;
    diesel::delete(customer_tags::table.filter(customer_tags::customer_id.eq(id))).execute(c)?;
    for p in &v.product_line_ids {
        diesel::insert_into(customer_product_lines::table)
            .values((
                customer_product_lines::customer_id.eq(id),
                customer_product_lines::product_line_id.eq(p),
            ))
            .execute(c)?;
    }
    for t in &v.tags {
        diesel::insert_into(customer_tags::table)
            .values((
                customer_tags::customer_id.eq(id),
                customer_tags::tag.eq(t.as_str()),
            ))
            .execute(c)?;
    }
    Ok(())
}

pub fn insert(
    c: &mut DbConnection,
    id: &str,
    v: &Customer,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<CustomerRecord> {
    crate::db::write_tx(c, |c| {
        diesel::insert_into(customers::table)
            .values((
                customers::id.eq(id),
                fields!(v),
                customers::created_by.eq(by),
                customers::created_at.eq(now),
                customers::updated_by.eq(by),
                customers::updated_at.eq(now),
                customers::version.eq(1i64),
            ))
            .execute(c)?;
        set_children(c, id, v)?;
        let row = customers::table
            .filter(customers::id.eq(id))
            .select(CustomerRow::as_select())
            .first(c)?;
        Ok(records(c, vec![row])?.remove(0))
    })
}

/// Whether the trash or the live records are meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    Live,
    Deleted,
}

fn visible(cond: CustomerCondition, id: &str, l: Liveness) -> customers::BoxedQuery<'static, Db> {
    let q = customers::table
        .filter(customers::id.eq(id.to_owned()))
        .filter(cond)
        .into_boxed();
    match l {
        Liveness::Live => q.filter(customers::deleted_at.is_null()),
        Liveness::Deleted => q.filter(customers::deleted_at.is_not_null()),
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

pub enum WriteOutcome<T> {
    Done(T),
    /// Visible, but the version differs: carries the current version.
    Stale(i64),
    NotFound,
}

fn current_version(
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

/// Writes `v` over the customer if the caller may (`cond`) and the version
/// matches (any version when `expected_version` is `None`).
pub fn update(
    c: &mut DbConnection,
    id: &str,
    expected_version: Option<i64>,
    v: &Customer,
    cond: impl Fn() -> CustomerCondition,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<WriteOutcome<CustomerRecord>> {
    crate::db::write_tx(c, |c| {
        // access is checked in SQL within this transaction; the version guards the row
        if current_version(c, id, cond(), Liveness::Live)?.is_none() {
            return Ok(WriteOutcome::NotFound);
        }
        // `None` (If-Match: *) writes over whatever version is current
        let changes = (
            fields!(v),
            customers::updated_by.eq(by),
            customers::updated_at.eq(now),
            customers::version.eq(customers::version + 1),
        );
        let live = customers::table
            .filter(customers::id.eq(id))
            .filter(customers::deleted_at.is_null());
        let n = match expected_version {
            Some(v) => diesel::update(live.filter(customers::version.eq(v)))
                .set(changes)
                .execute(c)?,
            None => diesel::update(live).set(changes).execute(c)?,
        };
        if n == 0 {
            return Ok(match current_version(c, id, cond(), Liveness::Live)? {
                Some(v) => WriteOutcome::Stale(v),
                None => WriteOutcome::NotFound,
            });
        }
        set_children(c, id, v)?;
        let row = customers::table
            .filter(customers::id.eq(id))
            .select(CustomerRow::as_select())
            .first(c)?;
        Ok(WriteOutcome::Done(records(c, vec![row])?.remove(0)))
    })
}

/// Moves a customer to the trash (`to_trash`) or back out of it.
pub fn set_deleted(
    c: &mut DbConnection,
    id: &str,
    to_trash: bool,
    expected_version: Option<i64>,
    cond: impl Fn() -> CustomerCondition,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<WriteOutcome<CustomerRecord>> {
    let from = if to_trash {
        Liveness::Live
    } else {
        Liveness::Deleted
    };
    crate::db::write_tx(c, |c| {
        let Some(current) = current_version(c, id, cond(), from)? else {
            return Ok(WriteOutcome::NotFound);
        };
        if expected_version.is_some_and(|e| e != current) {
            return Ok(WriteOutcome::Stale(current));
        }
        diesel::update(
            customers::table
                .filter(customers::id.eq(id))
                .filter(customers::version.eq(current)),
        )
        .set((
            customers::deleted_at.eq(to_trash.then_some(now)),
            customers::updated_by.eq(by),
            customers::updated_at.eq(now),
            customers::version.eq(current + 1),
        ))
        .execute(c)?;
        let row = customers::table
            .filter(customers::id.eq(id))
            .select(CustomerRow::as_select())
            .first(c)?;
        Ok(WriteOutcome::Done(records(c, vec![row])?.remove(0)))
    })
}

/// Adds a collaborator (used by fixtures and, later, by sharing).
pub fn add_collaborator(c: &mut DbConnection, customer_id: &str, user_id: &str) -> QueryResult<()> {
    diesel::insert_into(customer_collaborators::table)
        .values((
            customer_collaborators::customer_id.eq(customer_id),
            customer_collaborators::user_id.eq(user_id),
        ))
        .execute(c)
        .map(|_| ())
}

pub fn count_all(c: &mut DbConnection) -> QueryResult<i64> {
    customers::table.count().get_result(c)
}
