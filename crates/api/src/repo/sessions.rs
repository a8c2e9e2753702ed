//! Refresh tokens (rotating, stored hashed) and sign-in throttling.

use crate::db::DbConnection;
use crate::db::schema::{login_failures, refresh_tokens, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::user::LoginFailures;

pub fn create(
    c: &mut DbConnection,
    user_id: &str,
    family_id: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(crate::db::new_id()),
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::expires_at.eq(expires_at),
            refresh_tokens::created_at.eq(now),
        ))
        .execute(c)
        .map(|_| ())
}

pub enum Rotation {
    /// The token was valid and is now spent; issue a successor in the same family.
    Rotated { user_id: String, family_id: String },
    /// Unknown, expired, or the user is deactivated.
    Invalid,
    /// A spent token came back: someone kept a copy. The whole family is revoked.
    Reused,
}

/// Spends a refresh token. Exactly one of two concurrent refreshes with the same token wins.
pub fn rotate(c: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<Rotation> {
    crate::db::write_tx(c, |c| {
        let row: Option<(
            String,
            String,
            String,
            NaiveDateTime,
            Option<NaiveDateTime>,
            bool,
        )> = refresh_tokens::table
            .inner_join(users::table.on(users::id.eq(refresh_tokens::user_id)))
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .select((
                refresh_tokens::id,
                refresh_tokens::user_id,
                refresh_tokens::family_id,
                refresh_tokens::expires_at,
                refresh_tokens::revoked_at,
                users::is_active,
            ))
            .first(c)
            .optional()?;
        let Some((id, user_id, family_id, expires_at, revoked_at, active)) = row else {
            return Ok(Rotation::Invalid);
        };
        if revoked_at.is_some() {
            revoke_family(c, &family_id, now)?;
            return Ok(Rotation::Reused);
        }
        if expires_at <= now || !active {
            return Ok(Rotation::Invalid);
        }
        let spent = diesel::update(
            refresh_tokens::table
                .filter(refresh_tokens::id.eq(&id))
                .filter(refresh_tokens::revoked_at.is_null()),
        )
        .set(refresh_tokens::revoked_at.eq(now))
        .execute(c)?;
        if spent == 0 {
            revoke_family(c, &family_id, now)?;
            return Ok(Rotation::Reused);
        }
        Ok(Rotation::Rotated { user_id, family_id })
    })
}

pub fn revoke_family(
    c: &mut DbConnection,
    family_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(c)
}

/// Ends the session the token belongs to (its whole rotation family).
pub fn revoke_by_token(
    c: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let family: Option<String> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(refresh_tokens::family_id)
        .first(c)
        .optional()?;
    match family {
        Some(f) => revoke_family(c, &f, now).map(|_| true),
        None => Ok(false),
    }
}

pub fn revoke_all_for_user(
    c: &mut DbConnection,
    user_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(c)
}

pub fn failures(c: &mut DbConnection, email_key: &str) -> QueryResult<LoginFailures> {
    let row: Option<(i32, i64, Option<i64>)> = login_failures::table
        .filter(login_failures::email_key.eq(email_key))
        .select((
            login_failures::failures,
            login_failures::window_start,
            login_failures::locked_until,
        ))
        .first(c)
        .optional()?;
    Ok(row
        .map(|(count, window_start, locked_until)| LoginFailures {
            count,
            window_start,
            locked_until,
        })
        .unwrap_or_default())
}

pub fn save_failures(c: &mut DbConnection, email_key: &str, f: LoginFailures) -> QueryResult<()> {
    crate::db::write_tx(c, |c| {
        diesel::delete(login_failures::table.filter(login_failures::email_key.eq(email_key)))
            .execute(c)?;
        diesel::insert_into(login_failures::table)
            .values((
                login_failures::email_key.eq(email_key),
                login_failures::failures.eq(f.count),
                login_failures::window_start.eq(f.window_start),
                login_failures::locked_until.eq(f.locked_until),
            ))
            .execute(c)
            .map(|_| ())
    })
}

pub fn clear_failures(c: &mut DbConnection, email_key: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::email_key.eq(email_key)))
        .execute(c)
        .map(|_| ())
}
