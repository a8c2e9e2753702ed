//! Stored first answers to creates sent with an Idempotency-Key.

use crate::db::DbConnection;
use crate::db::schema::idempotency_keys as k;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub struct Stored {
    pub request_hash: String,
    pub status: i32,
    pub body: String,
}

pub fn get(c: &mut DbConnection, user_id: &str, key: &str) -> QueryResult<Option<Stored>> {
    k::table
        .filter(k::user_id.eq(user_id))
        .filter(k::key.eq(key))
        .select((k::request_hash, k::status, k::body))
        .first::<(String, i32, String)>(c)
        .optional()
        .map(|r| {
            r.map(|(request_hash, status, body)| Stored {
                request_hash,
                status,
                body,
            })
        })
}

pub fn put(
    c: &mut DbConnection,
    user_id: &str,
    key: &str,
    s: &Stored,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(k::table)
        .values((
            k::user_id.eq(user_id),
            k::key.eq(key),
            k::request_hash.eq(&s.request_hash),
            k::status.eq(s.status),
            k::body.eq(&s.body),
            k::created_at.eq(now),
        ))
        .execute(c)
        .map(|_| ())
}
