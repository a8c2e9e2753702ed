//! Contacts: always read and written through their customer's access condition.

use super::access_sql::{self as scope, CustomerCondition};
use super::customers::WriteOutcome;
use crate::db::schema::contacts;
use crate::db::{Db, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::access::Predicate;
use kehu_domain::contact::{Contact, DncMark};
use kehu_domain::remind::Birthday;
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
    pub birthday: Option<String>,
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
            birthday: self
                .birthday
                .as_deref()
                .and_then(|b| Birthday::parse("birthday", b).ok()),
        }
    }
}

/// A list column as stored: JSON text.
pub(crate) fn json<T: serde::Serialize>(v: &[T]) -> String {
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

/// The queries of one page of [`list_visible`]: one per branch of the
/// caller's scope (see [`scope::branches`]), each the contacts joined to
/// their customers, newest first after `before`, at most `limit`. The join
/// lets the planner start from either side: a narrow branch (own, team,
/// partner) from its customers and their contacts, a broad one (everything,
/// whole regions) from the newest contacts, looking up each one's customer,
/// until the page is full.
pub fn visible_queries(scope: &Predicate, before: Option<&str>, limit: i64) -> Vec<VisibleQuery> {
    scope::branches(scope)
        .iter()
        .map(|branch| visible_query(branch, before, None, limit))
        .collect()
}

/// One branch's query; with `until`, only contacts from that id on (those
/// past it cannot make a page the branches read before have filled).
fn visible_query(
    branch: &Predicate,
    before: Option<&str>,
    until: Option<&str>,
    limit: i64,
) -> VisibleQuery {
    use crate::db::schema::customers;
    let mut q = contacts::table
        .inner_join(customers::table)
        .filter(contacts::deleted_at.is_null())
        .filter(customers::deleted_at.is_null())
        .filter(scope::contact_customer_condition(branch))
        .select(ContactRow::as_select())
        .into_boxed();
    if let Some(id) = before {
        q = q.filter(contacts::id.lt(id.to_owned()));
    }
    if let Some(id) = until {
        q = q.filter(contacts::id.ge(id.to_owned()));
    }
    q.order(contacts::id.desc()).limit(limit)
}

/// One query of [`visible_queries`].
pub type VisibleQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<
        diesel::dsl::InnerJoin<contacts::table, crate::db::schema::customers::table>,
        diesel::dsl::AsSelect<ContactRow, Db>,
    >,
    Db,
>;

/// Up to `limit` live contacts of live customers the scope allows, newest
/// first (ids are time-ordered), after the id `before` when given; and the
/// id to continue after when the page is full.
pub fn list_visible(
    c: &mut DbConnection,
    scope: &Predicate,
    before: Option<String>,
    limit: i64,
) -> QueryResult<(Vec<ContactRow>, Option<String>)> {
    let page = usize::try_from(limit).unwrap_or(0);
    let mut rows: Vec<ContactRow> = Vec::new();
    for branch in scope::branches(scope) {
        let until = (page > 0 && rows.len() == page).then(|| rows[page - 1].id.clone());
        let q = visible_query(&branch, before.as_deref(), until.as_deref(), limit);
        rows.extend(q.load::<ContactRow>(c)?);
        rows.sort_by(|a, b| b.id.cmp(&a.id));
        rows.dedup_by(|a, b| a.id == b.id);
        rows.truncate(page);
    }
    let next = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|r| r.id.clone()))
        .flatten();
    Ok((rows, next))
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
            contacts::birthday.eq(v.birthday.map(|b| b.to_string())),
            contacts::birthday_md.eq(v.birthday.map(|b| b.month_day())),
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
            contacts::birthday.eq(v.birthday.map(|b| b.to_string())),
            contacts::birthday_md.eq(v.birthday.map(|b| b.month_day())),
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
    of_customers_query(customer_ids)
        .select(ContactRow::as_select())
        .load(c)
}

/// The query of [`of_customers`].
pub fn of_customers_query(customer_ids: &[String]) -> contacts::BoxedQuery<'static, Db> {
    contacts::table
        .filter(contacts::customer_id.eq_any(customer_ids.to_vec()))
        .filter(contacts::deleted_at.is_null())
        .order((contacts::customer_id, contacts::name, contacts::id))
        .into_boxed()
}
