//! Installation-wide values kept in the database.

use crate::db::DbConnection;
use crate::db::schema::settings;
use diesel::prelude::*;

pub fn get(c: &mut DbConnection, key: &str) -> QueryResult<Option<String>> {
    settings::table
        .filter(settings::key.eq(key))
        .select(settings::value)
        .first(c)
        .optional()
}

/// Stores `value` unless the key is already set, and returns what is stored.
/// Safe when several API nodes start at once: the first writer wins.
pub fn get_or_init(c: &mut DbConnection, key: &str, value: &str) -> QueryResult<String> {
    if let Some(v) = get(c, key)? {
        return Ok(v);
    }
    let inserted = diesel::insert_into(settings::table)
        .values((settings::key.eq(key), settings::value.eq(value)))
        .execute(c);
    match inserted {
        Ok(_) => Ok(value.to_owned()),
        Err(e) if super::is_unique_violation(&e) => get(c, key).map(Option::unwrap_or_default),
        Err(e) => Err(e),
    }
}
