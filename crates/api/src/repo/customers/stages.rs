//! The record of each customer's lifecycle stage changes.

use crate::db::DbConnection;
use crate::db::schema::{customer_stage_changes as csc, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::lifecycle::Transition;

/// Who made a change: a user, directly or through one of their API keys.
/// Both `None` for a change Kehu made by itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChangedBy<'a> {
    pub user_id: Option<&'a str>,
    pub api_key_id: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable)]
pub struct StageChangeRow {
    pub id: String,
    pub from_stage: String,
    pub to_stage: String,
    pub reason: Option<String>,
    pub automatic: bool,
    pub changed_by: Option<String>,
    pub changed_by_name: Option<String>,
    pub api_key_id: Option<String>,
    pub changed_at: NaiveDateTime,
}

/// Records `t` for `customer_id`; part of the same transaction as the change.
pub fn record(
    c: &mut DbConnection,
    customer_id: &str,
    t: &Transition,
    by: ChangedBy<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(csc::table)
        .values((
            csc::id.eq(crate::db::new_id()),
            csc::customer_id.eq(customer_id),
            csc::from_stage.eq(t.from.as_str()),
            csc::to_stage.eq(t.to.as_str()),
            csc::reason.eq(&t.reason),
            csc::automatic.eq(t.automatic),
            csc::changed_by.eq(by.user_id),
            csc::api_key_id.eq(by.api_key_id),
            csc::changed_at.eq(now),
        ))
        .execute(c)
        .map(drop)
}

/// The query of [`list`].
#[diesel::dsl::auto_type(no_type_alias)]
pub fn list_query(customer_id: String, limit: i64) -> _ {
    csc::table
        .left_join(users::table.on(users::id.nullable().eq(csc::changed_by)))
        .filter(csc::customer_id.eq(customer_id))
        .order((csc::changed_at.desc(), csc::id.desc()))
        .limit(limit)
}

/// The newest `limit` changes of one customer, newest first. The caller has
/// already checked that the customer is within their scope.
pub fn list(
    c: &mut DbConnection,
    customer_id: &str,
    limit: i64,
) -> QueryResult<Vec<StageChangeRow>> {
    list_query(customer_id.to_owned(), limit)
        .select((
            csc::id,
            csc::from_stage,
            csc::to_stage,
            csc::reason,
            csc::automatic,
            csc::changed_by,
            users::display_name.nullable(),
            csc::api_key_id,
            csc::changed_at,
        ))
        .load(c)
}
