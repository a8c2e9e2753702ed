//! Notifications: made once per user and occurrence, read by their user,
//! their e-mail claimed with a lease so one node sends it.

use crate::db::DbConnection;
use crate::db::schema::notifications as n;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = n)]
pub struct NotificationRow {
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub title: String,
    pub body: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub customer_id: Option<String>,
    pub due_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
    /// [`Params`] as JSON.
    pub params: Option<String>,
}

impl NotificationRow {
    /// What the title is made of; none for older notifications.
    pub fn params(&self) -> Option<Params> {
        self.params
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
    }
}

/// What a notification's title is made of, kept beside the English title
/// so a screen can word it in its reader's language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Params {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// A day, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    /// A timed activity's due time (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
}

pub mod mail_state {
    pub const NONE: &str = "none";
    pub const PENDING: &str = "pending";
    pub const SENT: &str = "sent";
    pub const FAILED: &str = "failed";
}

/// A notification to make.
#[derive(Debug, Clone)]
pub struct New {
    pub user_id: String,
    pub kind: &'static str,
    /// Unique per user: the same key is never made twice.
    pub key: String,
    pub title: String,
    pub body: Option<String>,
    pub record: Option<(&'static str, String)>,
    pub customer_id: Option<String>,
    pub due_at: NaiveDateTime,
    pub params: Option<Params>,
    /// Shown in the app (false: the user wants e-mail only).
    pub shown: bool,
    /// When to e-mail it (after quiet hours); none: no e-mail.
    pub email_after: Option<NaiveDateTime>,
}

/// Makes the notification unless one with its key exists; whether it did.
/// Not inside a transaction: on PostgreSQL a refused insert would spoil it.
pub fn insert_once(c: &mut DbConnection, v: &New, now: NaiveDateTime) -> QueryResult<bool> {
    let r = diesel::insert_into(n::table)
        .values((
            n::id.eq(crate::db::new_id()),
            n::user_id.eq(&v.user_id),
            n::kind.eq(v.kind),
            n::dedup_key.eq(&v.key),
            n::title.eq(&v.title),
            n::body.eq(&v.body),
            n::record_type.eq(v.record.as_ref().map(|r| r.0)),
            n::record_id.eq(v.record.as_ref().map(|r| r.1.clone())),
            n::customer_id.eq(&v.customer_id),
            n::due_at.eq(v.due_at),
            n::created_at.eq(now),
            n::shown.eq(v.shown),
            n::email_state.eq(if v.email_after.is_some() {
                mail_state::PENDING
            } else {
                mail_state::NONE
            }),
            n::email_after.eq(v.email_after),
            n::email_attempts.eq(0),
            n::params.eq(v
                .params
                .as_ref()
                .and_then(|p| serde_json::to_string(p).ok())),
        ))
        .execute(c);
    match r {
        Ok(_) => Ok(true),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// A page of a user's notifications, newest first.
pub fn list(
    c: &mut DbConnection,
    user_id: &str,
    unread_only: bool,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    let mut q = n::table
        .filter(n::user_id.eq(user_id.to_owned()))
        .filter(n::shown.eq(true))
        .select(NotificationRow::as_select())
        .order((n::created_at.desc(), n::id.desc()))
        .limit(limit)
        .into_boxed();
    if unread_only {
        q = q.filter(n::read_at.is_null());
    }
    if let Some((at, id)) = before {
        q = q.filter(
            n::created_at
                .lt(at)
                .or(n::created_at.eq(at).and(n::id.lt(id))),
        );
    }
    q.load(c)
}

pub fn unread_count(c: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    n::table
        .filter(n::user_id.eq(user_id))
        .filter(n::shown.eq(true))
        .filter(n::read_at.is_null())
        .count()
        .get_result(c)
}

/// Marks one of the user's notifications read; false when it is not theirs.
pub fn mark_read(
    c: &mut DbConnection,
    user_id: &str,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let mine = n::table
        .filter(n::id.eq(id))
        .filter(n::user_id.eq(user_id))
        .filter(n::shown.eq(true))
        .count()
        .get_result::<i64>(c)?;
    if mine == 0 {
        return Ok(false);
    }
    diesel::update(n::table.filter(n::id.eq(id)).filter(n::read_at.is_null()))
        .set(n::read_at.eq(now))
        .execute(c)?;
    Ok(true)
}

pub fn read_all(c: &mut DbConnection, user_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        n::table
            .filter(n::user_id.eq(user_id))
            .filter(n::read_at.is_null()),
    )
    .set(n::read_at.eq(now))
    .execute(c)
}

/// A notification whose e-mail this node has claimed.
#[derive(Debug, Clone)]
pub struct Mail {
    pub id: String,
    pub user_id: String,
    pub title: String,
    pub body: Option<String>,
    pub customer_id: Option<String>,
    pub attempts: i32,
}

/// Claims up to `limit` e-mails due at `now` until `lease_until`. A claim is
/// a conditional update: of several nodes, exactly one gets each row, and a
/// node that dies mid-send leaves a lease that runs out for another to retry.
pub fn claim_mail(
    c: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Mail>> {
    let free = || {
        n::email_lease_until
            .is_null()
            .or(n::email_lease_until.lt(now))
    };
    type Due = (String, String, String, Option<String>, Option<String>, i32);
    let due: Vec<Due> = n::table
        .filter(n::email_state.eq(mail_state::PENDING))
        .filter(n::email_after.le(now))
        .filter(free())
        .select((
            n::id,
            n::user_id,
            n::title,
            n::body,
            n::customer_id,
            n::email_attempts,
        ))
        .order(n::email_after)
        .limit(limit)
        .load(c)?;
    let mut out = Vec::new();
    for (id, user_id, title, body, customer_id, attempts) in due {
        let got = diesel::update(
            n::table
                .filter(n::id.eq(&id))
                .filter(n::email_state.eq(mail_state::PENDING))
                .filter(free()),
        )
        .set(n::email_lease_until.eq(lease_until))
        .execute(c)?;
        if got == 1 {
            out.push(Mail {
                id,
                user_id,
                title,
                body,
                customer_id,
                attempts,
            });
        }
    }
    Ok(out)
}

/// The e-mail went out.
pub fn mail_sent(c: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(n::table.filter(n::id.eq(id)))
        .set((
            n::email_state.eq(mail_state::SENT),
            n::email_sent_at.eq(now),
            n::email_lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(c)
        .map(drop)
}

/// The e-mail is no longer wanted (the user turned e-mail off, or left).
pub fn mail_dropped(c: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(n::table.filter(n::id.eq(id)))
        .set((
            n::email_state.eq(mail_state::NONE),
            n::email_lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(c)
        .map(drop)
}

/// The e-mail could not go out: try again at `retry_at`, or give up.
pub fn mail_failed(
    c: &mut DbConnection,
    id: &str,
    attempts: i32,
    retry_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(n::table.filter(n::id.eq(id)))
        .set((
            n::email_state.eq(if retry_at.is_some() {
                mail_state::PENDING
            } else {
                mail_state::FAILED
            }),
            n::email_attempts.eq(attempts),
            n::email_after.eq(retry_at),
            n::email_lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(c)
        .map(drop)
}

/// The (user, key) pairs among `keys` already made, to skip them cheaply.
pub fn existing(
    c: &mut DbConnection,
    users: &[String],
    keys: &[String],
) -> QueryResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(500) {
        out.extend(
            n::table
                .filter(n::user_id.eq_any(users))
                .filter(n::dedup_key.eq_any(chunk))
                .select((n::user_id, n::dedup_key))
                .load::<(String, String)>(c)?,
        );
    }
    Ok(out)
}
