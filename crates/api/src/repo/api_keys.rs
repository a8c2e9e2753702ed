//! API keys for integrations: stored hashed, acting as a named user.

use crate::db::DbConnection;
use crate::db::schema::{api_keys, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    pub user_id: String,
    pub prefix: String,
    pub expires_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub struct NewApiKey<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub user_id: &'a str,
    pub prefix: &'a str,
    pub key_hash: &'a str,
    pub expires_at: Option<NaiveDateTime>,
    pub created_by: &'a str,
    pub now: NaiveDateTime,
}

pub fn insert(c: &mut DbConnection, k: NewApiKey<'_>) -> QueryResult<ApiKeyRow> {
    diesel::insert_into(api_keys::table)
        .values((
            api_keys::id.eq(k.id),
            api_keys::name.eq(k.name),
            api_keys::user_id.eq(k.user_id),
            api_keys::prefix.eq(k.prefix),
            api_keys::key_hash.eq(k.key_hash),
            api_keys::expires_at.eq(k.expires_at),
            api_keys::created_by.eq(k.created_by),
            api_keys::created_at.eq(k.now),
        ))
        .execute(c)?;
    get(c, k.id).map(|r| r.expect("just inserted"))
}

pub fn get(c: &mut DbConnection, id: &str) -> QueryResult<Option<ApiKeyRow>> {
    api_keys::table
        .filter(api_keys::id.eq(id))
        .select(ApiKeyRow::as_select())
        .first(c)
        .optional()
}

pub fn list(c: &mut DbConnection) -> QueryResult<Vec<ApiKeyRow>> {
    api_keys::table
        .select(ApiKeyRow::as_select())
        .order((api_keys::created_at.desc(), api_keys::id.desc()))
        .load(c)
}

pub fn revoke(c: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        api_keys::table
            .filter(api_keys::id.eq(id))
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(now))
    .execute(c)
}

pub fn revoke_all_for_user(
    c: &mut DbConnection,
    user_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        api_keys::table
            .filter(api_keys::user_id.eq(user_id))
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(now))
    .execute(c)
}

/// A usable key, as the caller cache keeps it.
#[derive(Debug, Clone)]
pub struct ActiveKey {
    pub id: String,
    pub user_id: String,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

impl ActiveKey {
    pub fn expired(&self, now: NaiveDateTime) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }

    /// Recording every use would turn each read into a write; a minute's precision is enough.
    pub fn due_for_touch(&self, now: NaiveDateTime) -> bool {
        self.last_used_at
            .is_none_or(|t| (now - t).num_seconds() >= 60)
    }
}

/// The key with this hash if it is usable: not revoked, not expired, its user active.
pub fn find_active(
    c: &mut DbConnection,
    key_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<ActiveKey>> {
    let row: Option<(String, String, Option<NaiveDateTime>, Option<NaiveDateTime>)> =
        api_keys::table
            .inner_join(users::table.on(users::id.eq(api_keys::user_id)))
            .filter(api_keys::key_hash.eq(key_hash))
            .filter(api_keys::revoked_at.is_null())
            .filter(users::is_active.eq(true))
            .filter(
                api_keys::expires_at
                    .is_null()
                    .or(api_keys::expires_at.gt(now)),
            )
            .select((
                api_keys::id,
                api_keys::user_id,
                api_keys::expires_at,
                api_keys::last_used_at,
            ))
            .first(c)
            .optional()?;
    Ok(
        row.map(|(id, user_id, expires_at, last_used_at)| ActiveKey {
            id,
            user_id,
            expires_at,
            last_used_at,
        }),
    )
}

/// Records that the key was used now.
pub fn touch(c: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(api_keys::table.filter(api_keys::id.eq(id)))
        .set(api_keys::last_used_at.eq(now))
        .execute(c)
        .map(drop)
}
