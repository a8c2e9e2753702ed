//! Batched reads for an import: one query per few hundred keys or ids
//! instead of one per row, which is most of what makes an import fast.

use crate::db::DbConnection;
use crate::db::schema::{customer_keys, customers, users};
use crate::repo::access_sql::CustomerCondition;
use diesel::prelude::*;
use kehu_domain::dedup::Match;
use std::collections::HashSet;

/// Values bound in one `IN (…)`: well below SQLite's and PostgreSQL's limits.
const CHUNK: usize = 500;

/// (key, customer id) of every live customer holding one of `keys` of `kind`.
pub fn holders(
    c: &mut DbConnection,
    kind: Match,
    keys: &[&str],
) -> QueryResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(CHUNK) {
        out.extend(
            customer_keys::table
                .inner_join(customers::table)
                .filter(customer_keys::kind.eq(kind.as_str()))
                .filter(customer_keys::key.eq_any(chunk))
                .filter(customers::deleted_at.is_null())
                .select((customer_keys::key, customer_keys::customer_id))
                .load::<(String, String)>(c)?,
        );
    }
    Ok(out)
}

/// Of `ids`, those the condition allows (made once per chunk).
pub fn ids_within(
    c: &mut DbConnection,
    ids: &[&str],
    cond: impl Fn() -> CustomerCondition,
) -> QueryResult<HashSet<String>> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(
            customers::table
                .filter(customers::id.eq_any(chunk))
                .filter(customers::deleted_at.is_null())
                .filter(cond())
                .select(customers::id)
                .load::<String>(c)?,
        );
    }
    Ok(out)
}

/// Active users by e-mail key (lower case): (key, id, team).
pub fn users_by_email(
    c: &mut DbConnection,
    keys: &[&str],
) -> QueryResult<Vec<(String, String, Option<String>)>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(CHUNK) {
        out.extend(
            users::table
                .filter(users::email_key.eq_any(chunk))
                .filter(users::is_active.eq(true))
                .select((users::email_key, users::id, users::team_id))
                .load(c)?,
        );
    }
    Ok(out)
}
