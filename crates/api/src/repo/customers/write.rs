//! Writing customers: create, update, trash and restore, collaborators.

use super::{CustomerRecord, CustomerRow, Liveness, current_version, records};
use crate::db::DbConnection;
use crate::db::schema::{
    customer_collaborators, customer_keys, customer_product_lines, customer_tags, customers,
};
use crate::repo::access_sql::CustomerCondition;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::customer::Customer;

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
            customers::renewal_on.eq($v.renewal_on.map(crate::db::from_date)),
            customers::maintenance_on.eq($v.maintenance_on.map(crate::db::from_date)),
        )
    };
}

fn json_list<T: serde::Serialize>(v: &[T]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
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

/// Writes a new customer with its tags, product lines and duplicate keys,
/// within the caller's transaction. A new record has no children to clear,
/// so this is the fast path an import takes row after row.
pub fn insert_new(
    c: &mut DbConnection,
    id: &str,
    v: &Customer,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(customers::table)
        .values((
            customers::id.eq(id),
            fields!(v),
            customers::created_by.eq(by),
            customers::created_at.eq(now),
            customers::updated_by.eq(by),
            customers::updated_at.eq(now),
            customers::version.eq(1i64),
            customers::keys_version.eq(kehu_domain::dedup::KEYS_VERSION),
        ))
        .execute(c)?;
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
    let keys = v.dedup_keys();
    for (kind, key) in keys.entries() {
        diesel::insert_into(customer_keys::table)
            .values((
                customer_keys::customer_id.eq(id),
                customer_keys::kind.eq(kind.as_str()),
                customer_keys::key.eq(key),
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
        insert_new(c, id, v, by, now)?;
        let row = customers::table
            .filter(customers::id.eq(id))
            .select(CustomerRow::as_select())
            .first(c)?;
        Ok(records(c, vec![row])?.remove(0))
    })
}

pub enum WriteOutcome<T> {
    Done(T),
    /// Visible, but the version differs: carries the current version.
    Stale(i64),
    NotFound,
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
        super::dedup::set_keys(c, id, &v.dedup_keys())?;
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
