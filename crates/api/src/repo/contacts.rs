//! Contacts: always read and written through their customer's access condition.

use super::access_sql::CustomerCondition;
use super::customers::WriteOutcome;
use crate::db::schema::contacts;
use crate::db::{Db, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::contact::{Contact, DncMark};
use kehu_domain::text::{Email, Phone};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contacts)]
pub struct ContactRow {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub title: Option<String>,
    pub phones: String,
    pub emails: String,
    pub notes: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub version: i64,
    /// JSON list of the do-not-contact marks.
    pub do_not_contact: String,
}

impl ContactRow {
    /// The do-not-contact marks. Stored values were validated on the way in.
    pub fn marks(&self) -> Vec<DncMark> {
        serde_json::from_str(&self.do_not_contact).unwrap_or_default()
    }

    pub fn to_domain(&self) -> Contact {
        let strings = |s: &str| serde_json::from_str::<Vec<String>>(s).unwrap_or_default();
        Contact {
            name: self.name.clone(),
            title: self.title.clone(),
            phones: strings(&self.phones)
                .iter()
                .filter_map(|p| Phone::parse("phones", p).ok())
                .collect(),
            emails: strings(&self.emails)
                .iter()
                .filter_map(|e| Email::parse("emails", e).ok())
                .collect(),
            notes: self.notes.clone(),
            do_not_contact: self.marks(),
        }
    }
}

fn json<T: serde::Serialize>(v: &[T]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn liveness(
    q: contacts::BoxedQuery<'static, Db>,
    deleted: bool,
) -> contacts::BoxedQuery<'static, Db> {
    if deleted {
        q.filter(contacts::deleted_at.is_not_null())
    } else {
        q.filter(contacts::deleted_at.is_null())
    }
}

/// The query of [`list_for_customer`], once the customer is known to be visible.
pub fn list_query(
    customer_id: &str,
    deleted: bool,
    after: Option<(String, String)>,
    limit: i64,
) -> contacts::BoxedQuery<'static, Db> {
    let mut q = liveness(
        contacts::table
            .filter(contacts::customer_id.eq(customer_id.to_owned()))
            .into_boxed(),
        deleted,
    );
    if let Some((name, id)) = after {
        q = q.filter(
            contacts::name
                .gt(name.clone())
                .or(contacts::name.eq(name).and(contacts::id.gt(id))),
        );
    }
    q.order((contacts::name, contacts::id)).limit(limit)
}

/// Contacts of one customer, which the caller must already have been shown to see.
pub fn list_for_customer(
    c: &mut DbConnection,
    customer_id: &str,
    cond: CustomerCondition,
    deleted: bool,
    after: Option<(String, String)>,
    limit: i64,
) -> QueryResult<Vec<ContactRow>> {
    if !super::customers::exists_visible(c, customer_id, cond)? {
        return Ok(Vec::new());
    }
    list_query(customer_id, deleted, after, limit)
        .select(ContactRow::as_select())
        .load(c)
}

/// How many contacts one page request reads at most while looking for
/// visible ones; past it the page ends early, with a cursor to continue.
const SCAN_CHUNK: i64 = 250;
const SCAN_CHUNKS: usize = 16;

/// Up to `limit` live contacts of live customers the condition allows, newest
/// first (ids are time-ordered), after the id `before` when given; and the id
/// to continue after when the scan stopped before the end.
///
/// The condition cannot go into a subquery through the multi-backend
/// connection, so contacts are read in chunks and each chunk's customers are
/// checked with one query.
pub fn list_visible(
    c: &mut DbConnection,
    cond: impl Fn() -> CustomerCondition,
    mut before: Option<String>,
    limit: i64,
) -> QueryResult<(Vec<ContactRow>, Option<String>)> {
    use crate::db::schema::customers;
    let mut out = Vec::new();
    for _ in 0..SCAN_CHUNKS {
        let mut q = contacts::table
            .filter(contacts::deleted_at.is_null())
            .into_boxed();
        if let Some(id) = before.take() {
            q = q.filter(contacts::id.lt(id));
        }
        let chunk: Vec<ContactRow> = q
            .select(ContactRow::as_select())
            .order(contacts::id.desc())
            .limit(SCAN_CHUNK)
            .load(c)?;
        let ids: Vec<String> = chunk.iter().map(|r| r.customer_id.clone()).collect();
        let visible: std::collections::HashSet<String> = customers::table
            .filter(customers::id.eq_any(ids))
            .filter(customers::deleted_at.is_null())
            .filter(cond())
            .select(customers::id)
            .load::<String>(c)?
            .into_iter()
            .collect();
        let full = chunk.len() as i64 == SCAN_CHUNK;
        for r in chunk {
            before = Some(r.id.clone());
            if visible.contains(&r.customer_id) {
                out.push(r);
                if out.len() as i64 == limit {
                    return Ok((out, before));
                }
            }
        }
        if !full {
            return Ok((out, None));
        }
    }
    Ok((out, before))
}

/// The contact, if its live customer is one the condition allows.
pub fn get(
    c: &mut DbConnection,
    id: &str,
    cond: CustomerCondition,
    deleted: bool,
) -> QueryResult<Option<ContactRow>> {
    let row: Option<ContactRow> = liveness(
        contacts::table
            .filter(contacts::id.eq(id.to_owned()))
            .into_boxed(),
        deleted,
    )
    .select(ContactRow::as_select())
    .first(c)
    .optional()?;
    match row {
        Some(r) if super::customers::exists_visible(c, &r.customer_id, cond)? => Ok(Some(r)),
        _ => Ok(None),
    }
}

pub fn insert(
    c: &mut DbConnection,
    id: &str,
    customer_id: &str,
    v: &Contact,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<ContactRow> {
    diesel::insert_into(contacts::table)
        .values((
            contacts::id.eq(id),
            contacts::customer_id.eq(customer_id),
            contacts::name.eq(&v.name),
            contacts::title.eq(&v.title),
            contacts::phones.eq(json(&v.phones)),
            contacts::emails.eq(json(&v.emails)),
            contacts::notes.eq(&v.notes),
            contacts::search_text.eq(v.search_text()),
            contacts::do_not_contact.eq(json(&v.do_not_contact)),
            contacts::created_by.eq(by),
            contacts::created_at.eq(now),
            contacts::updated_by.eq(by),
            contacts::updated_at.eq(now),
            contacts::version.eq(1i64),
        ))
        .execute(c)?;
    contacts::table
        .filter(contacts::id.eq(id))
        .select(ContactRow::as_select())
        .first(c)
}

pub fn update(
    c: &mut DbConnection,
    id: &str,
    expected_version: i64,
    v: &Contact,
    cond: impl Fn() -> CustomerCondition,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<WriteOutcome<ContactRow>> {
    crate::db::write_tx(c, |c| {
        let Some(current) = get(c, id, cond(), false)? else {
            return Ok(WriteOutcome::NotFound);
        };
        if current.version != expected_version {
            return Ok(WriteOutcome::Stale(current.version));
        }
        let n = diesel::update(
            contacts::table
                .filter(contacts::id.eq(id))
                .filter(contacts::version.eq(expected_version)),
        )
        .set((
            contacts::name.eq(&v.name),
            contacts::title.eq(&v.title),
            contacts::phones.eq(json(&v.phones)),
            contacts::emails.eq(json(&v.emails)),
            contacts::notes.eq(&v.notes),
            contacts::search_text.eq(v.search_text()),
            contacts::do_not_contact.eq(json(&v.do_not_contact)),
            contacts::updated_by.eq(by),
            contacts::updated_at.eq(now),
            contacts::version.eq(expected_version + 1),
        ))
        .execute(c)?;
        if n == 0 {
            return Ok(WriteOutcome::Stale(expected_version + 1));
        }
        Ok(WriteOutcome::Done(
            contacts::table
                .filter(contacts::id.eq(id))
                .select(ContactRow::as_select())
                .first(c)?,
        ))
    })
}

pub fn set_deleted(
    c: &mut DbConnection,
    id: &str,
    to_trash: bool,
    cond: impl Fn() -> CustomerCondition,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<WriteOutcome<ContactRow>> {
    crate::db::write_tx(c, |c| {
        let Some(current) = get(c, id, cond(), !to_trash)? else {
            return Ok(WriteOutcome::NotFound);
        };
        diesel::update(
            contacts::table
                .filter(contacts::id.eq(id))
                .filter(contacts::version.eq(current.version)),
        )
        .set((
            contacts::deleted_at.eq(to_trash.then_some(now)),
            contacts::updated_by.eq(by),
            contacts::updated_at.eq(now),
            contacts::version.eq(current.version + 1),
        ))
        .execute(c)?;
        Ok(WriteOutcome::Done(
            contacts::table
                .filter(contacts::id.eq(id))
                .select(ContactRow::as_select())
                .first(c)?,
        ))
    })
}

/// The live contacts of these customers (already checked to be visible), by
/// customer and name.
pub fn of_customers(c: &mut DbConnection, customer_ids: &[String]) -> QueryResult<Vec<ContactRow>> {
    contacts::table
        .filter(contacts::customer_id.eq_any(customer_ids))
        .filter(contacts::deleted_at.is_null())
        .select(ContactRow::as_select())
        .order((contacts::customer_id, contacts::name, contacts::id))
        .load(c)
}
