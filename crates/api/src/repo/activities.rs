//! Activities: read and written through their customer's access condition,
//! like contacts, and kept in time order by `sort_at`.

use super::access_sql::{self as scope, CustomerCondition};
use super::customers::WriteOutcome;
use crate::db::schema::{activities, activity_participants, contacts, customers, users};
use crate::db::{Db, DbConnection};
use chrono::{DateTime, NaiveDateTime};
use diesel::prelude::*;
use kehu_domain::access::Predicate;
use kehu_domain::activity::{Activity, Kind, Place};
use kehu_domain::date::Date;
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = activities)]
pub struct ActivityRow {
    pub id: String,
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub kind: String,
    pub subject: Option<String>,
    pub notes: Option<String>,
    pub owner_id: String,
    pub due_at: Option<NaiveDateTime>,
    pub all_day: bool,
    pub done_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub place: Option<String>,
    pub next_follow_up_on: Option<String>,
    pub sort_at: NaiveDateTime,
    pub created_by: Option<String>,
    pub api_key_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// A stored time as the domain counts it: microseconds since the epoch.
pub fn micros(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

pub fn from_micros(t: i64) -> NaiveDateTime {
    DateTime::from_timestamp_micros(t)
        .unwrap_or_default()
        .naive_utc()
}

/// Seconds since the epoch as a stored time.
pub fn from_secs(t: i64) -> NaiveDateTime {
    from_micros(t.saturating_mul(kehu_domain::activity::MICROS))
}

/// An activity with what its answer names: participants, and the names of
/// people, contact and customer.
#[derive(Debug, Clone)]
pub struct ActivityRecord {
    pub row: ActivityRow,
    pub participant_ids: Vec<String>,
    pub customer_name: String,
    pub contact_name: Option<String>,
    /// Display names of the owner, participants and author.
    pub names: HashMap<String, String>,
}

impl ActivityRecord {
    /// Back to the domain value, for patching. Stored values were validated on the way in.
    pub fn to_domain(&self) -> Activity {
        let r = &self.row;
        Activity {
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Note),
            subject: r.subject.clone(),
            notes: r.notes.clone(),
            contact_id: r.contact_id.clone(),
            owner_id: r.owner_id.clone(),
            participant_ids: self.participant_ids.clone(),
            due_at: r.due_at.map(micros),
            all_day: r.all_day,
            done_at: r.done_at.map(micros),
            outcome: r.outcome.clone(),
            place: r
                .place
                .as_deref()
                .and_then(|p| serde_json::from_str::<Place>(p).ok()),
            next_follow_up_on: r
                .next_follow_up_on
                .as_deref()
                .and_then(|d| Date::parse("next_follow_up_on", d).ok()),
        }
    }
}

/// Which activities a list shows, besides the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub customer_id: Option<String>,
    pub owner_id: Option<String>,
    /// Activities this user takes part in (not as owner).
    pub participant: Option<String>,
    /// Owner or participant: "mine".
    pub involving: Option<String>,
    pub kinds: Vec<String>,
    pub done: Option<bool>,
    /// Open ones due before this instant.
    pub due_before: Option<NaiveDateTime>,
    pub sort_from: Option<NaiveDateTime>,
    pub sort_to: Option<NaiveDateTime>,
    /// Leave out open all-day items: their time is a date, not an instant
    /// within a local day.
    pub skip_open_all_day: bool,
    /// Only open all-day items of this day (midnight UTC).
    pub open_all_day_on: Option<NaiveDateTime>,
    /// Only those with a follow-up day on or before this one.
    pub follow_up_by: Option<String>,
    /// Oldest first (a plan for the days ahead) instead of newest first.
    pub ascending: bool,
}

/// One branch's query of a list of activities.
pub type Boxed = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<
        diesel::dsl::InnerJoin<activities::table, customers::table>,
        diesel::dsl::AsSelect<ActivityRow, Db>,
    >,
    Db,
>;

fn participating(
    user: &str,
) -> diesel::dsl::Select<
    diesel::dsl::Filter<
        activity_participants::table,
        diesel::dsl::Eq<activity_participants::user_id, String>,
    >,
    activity_participants::activity_id,
> {
    activity_participants::table
        .filter(activity_participants::user_id.eq(user.to_owned()))
        .select(activity_participants::activity_id)
}

/// The queries of one page of [`list`]: one per branch of the caller's
/// scope (see [`scope::branches`]), so that a narrow branch (own, team,
/// partner, collaborations) starts from its customers and their
/// activities, and a broad one (everything, whole regions) walks the time
/// index until its page is full.
pub fn list_queries(
    scope: &Predicate,
    f: &ActivityFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Vec<Boxed> {
    scope::branches(scope)
        .iter()
        .map(|b| list_query(b, f, after.clone(), limit))
        .collect()
}

/// One branch's query: its activities in time order after the keyset
/// (`sort_at`, `id`) when given.
fn list_query(
    scope: &Predicate,
    f: &ActivityFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Boxed {
    let mut q = activities::table
        .inner_join(customers::table)
        .filter(customers::deleted_at.is_null())
        .filter(scope::activity_customer_condition(scope))
        .select(ActivityRow::as_select())
        .into_boxed();
    if let Some(cid) = &f.customer_id {
        q = q.filter(activities::customer_id.eq(cid.clone()));
    }
    if let Some(o) = &f.owner_id {
        q = q.filter(activities::owner_id.eq(o.clone()));
    }
    if let Some(p) = &f.participant {
        q = q.filter(activities::id.eq_any(participating(p)));
    }
    if let Some(u) = &f.involving {
        q = q.filter(
            activities::owner_id
                .eq(u.clone())
                .or(activities::id.eq_any(participating(u))),
        );
    }
    if !f.kinds.is_empty() {
        q = q.filter(activities::kind.eq_any(f.kinds.clone()));
    }
    match f.done {
        Some(true) => q = q.filter(activities::done_at.is_not_null()),
        Some(false) => q = q.filter(activities::done_at.is_null()),
        None => {}
    }
    if let Some(t) = f.due_before {
        q = q
            .filter(activities::done_at.is_null())
            .filter(activities::due_at.lt(t));
    }
    if f.skip_open_all_day {
        q = q.filter(
            activities::all_day
                .eq(false)
                .or(activities::done_at.is_not_null()),
        );
    }
    if let Some(d) = f.open_all_day_on {
        q = q
            .filter(activities::all_day.eq(true))
            .filter(activities::done_at.is_null())
            .filter(activities::due_at.eq(d));
    }
    if let Some(d) = &f.follow_up_by {
        q = q.filter(activities::next_follow_up_on.le(d.clone()));
    }
    if let Some(t) = f.sort_from {
        q = q.filter(activities::sort_at.ge(t));
    }
    if let Some(t) = f.sort_to {
        q = q.filter(activities::sort_at.lt(t));
    }
    if f.ascending {
        if let Some((at, id)) = after {
            q = q.filter(
                activities::sort_at
                    .gt(at)
                    .or(activities::sort_at.eq(at).and(activities::id.gt(id))),
            );
        }
        q.order((activities::sort_at.asc(), activities::id.asc()))
            .limit(limit)
    } else {
        if let Some((at, id)) = after {
            q = q.filter(
                activities::sort_at
                    .lt(at)
                    .or(activities::sort_at.eq(at).and(activities::id.lt(id))),
            );
        }
        q.order((activities::sort_at.desc(), activities::id.desc()))
            .limit(limit)
    }
}

/// Up to `limit` activities `scope` lets the caller see, in time order.
pub fn list(
    c: &mut DbConnection,
    scope: &Predicate,
    f: &ActivityFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<ActivityRecord>> {
    let mut rows: Vec<ActivityRow> = Vec::new();
    for q in list_queries(scope, f, after, limit) {
        rows.extend(q.load::<ActivityRow>(c)?);
    }
    rows.sort_by(|a, b| (a.sort_at, &a.id).cmp(&(b.sort_at, &b.id)));
    if !f.ascending {
        rows.reverse();
    }
    rows.dedup_by(|a, b| a.id == b.id);
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    records(c, rows)
}

/// The activity, if its live customer is one the condition allows.
pub fn get(
    c: &mut DbConnection,
    id: &str,
    cond: CustomerCondition,
) -> QueryResult<Option<ActivityRecord>> {
    let row: Option<ActivityRow> = activities::table
        .filter(activities::id.eq(id.to_owned()))
        .select(ActivityRow::as_select())
        .first(c)
        .optional()?;
    match row {
        Some(r) if super::customers::exists_visible(c, &r.customer_id, cond)? => {
            Ok(records(c, vec![r])?.pop())
        }
        _ => Ok(None),
    }
}

/// Rows with their participants and names, in the same order.
pub fn records(c: &mut DbConnection, rows: Vec<ActivityRow>) -> QueryResult<Vec<ActivityRecord>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let parts: Vec<(String, String)> = activity_participants::table
        .filter(activity_participants::activity_id.eq_any(&ids))
        .select((
            activity_participants::activity_id,
            activity_participants::user_id,
        ))
        .order((
            activity_participants::activity_id,
            activity_participants::user_id,
        ))
        .load(c)?;
    let mut people: Vec<String> = parts.iter().map(|(_, u)| u.clone()).collect();
    for r in &rows {
        people.push(r.owner_id.clone());
        people.extend(r.created_by.clone());
    }
    people.sort();
    people.dedup();
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(&people))
        .select((users::id, users::display_name))
        .load::<(String, String)>(c)?
        .into_iter()
        .collect();
    let mut cids: Vec<String> = rows.iter().map(|r| r.customer_id.clone()).collect();
    cids.sort();
    cids.dedup();
    let customer_names: HashMap<String, String> = customers::table
        .filter(customers::id.eq_any(&cids))
        .select((customers::id, customers::name))
        .load::<(String, String)>(c)?
        .into_iter()
        .collect();
    let kids: Vec<String> = rows.iter().filter_map(|r| r.contact_id.clone()).collect();
    let contact_names: HashMap<String, String> = if kids.is_empty() {
        HashMap::new()
    } else {
        contacts::table
            .filter(contacts::id.eq_any(&kids))
            .select((contacts::id, contacts::name))
            .load::<(String, String)>(c)?
            .into_iter()
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let participant_ids: Vec<String> = parts
                .iter()
                .filter(|(a, _)| *a == row.id)
                .map(|(_, u)| u.clone())
                .collect();
            let mut mine: HashMap<String, String> = HashMap::new();
            for u in participant_ids
                .iter()
                .chain(std::iter::once(&row.owner_id))
                .chain(row.created_by.iter())
            {
                if let Some(n) = names.get(u) {
                    mine.insert(u.clone(), n.clone());
                }
            }
            ActivityRecord {
                customer_name: customer_names
                    .get(&row.customer_id)
                    .cloned()
                    .unwrap_or_default(),
                contact_name: row
                    .contact_id
                    .as_ref()
                    .and_then(|k| contact_names.get(k).cloned()),
                participant_ids,
                names: mine,
                row,
            }
        })
        .collect())
}

/// Whether `contact_id` is a live contact of `customer_id`.
pub fn contact_of(c: &mut DbConnection, customer_id: &str, contact_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        contacts::table
            .filter(contacts::id.eq(contact_id))
            .filter(contacts::customer_id.eq(customer_id))
            .filter(contacts::deleted_at.is_null()),
    ))
    .get_result(c)
}

/// Who wrote it, for the record.
pub struct Author<'a> {
    pub user_id: Option<&'a str>,
    pub api_key_id: Option<&'a str>,
}

fn set_participants(c: &mut DbConnection, id: &str, v: &Activity) -> QueryResult<()> {
    diesel::delete(activity_participants::table.filter(activity_participants::activity_id.eq(id)))
        .execute(c)?;
    for u in &v.participant_ids {
        diesel::insert_into(activity_participants::table)
            .values((
                activity_participants::activity_id.eq(id),
                activity_participants::user_id.eq(u),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// The columns an activity's own fields set, shared by insert and update.
macro_rules! fields {
    ($v:expr, $created:expr) => {
        (
            activities::kind.eq($v.kind.as_str()),
            activities::subject.eq(&$v.subject),
            activities::notes.eq(&$v.notes),
            activities::contact_id.eq(&$v.contact_id),
            activities::owner_id.eq(&$v.owner_id),
            activities::due_at.eq($v.due_at.map(from_micros)),
            activities::all_day.eq($v.all_day),
            activities::done_at.eq($v.done_at.map(from_micros)),
            activities::outcome.eq(&$v.outcome),
            activities::place.eq($v
                .place
                .as_ref()
                .and_then(|p| serde_json::to_string(p).ok())),
            activities::next_follow_up_on.eq($v.next_follow_up_on.map(|d| d.to_string())),
            activities::sort_at.eq(from_micros($v.sort_at(micros($created)))),
        )
    };
}

pub fn insert(
    c: &mut DbConnection,
    id: &str,
    customer_id: &str,
    v: &Activity,
    by: Author<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(activities::table)
        .values((
            activities::id.eq(id),
            activities::customer_id.eq(customer_id),
            fields!(v, now),
            activities::created_by.eq(by.user_id),
            activities::api_key_id.eq(by.api_key_id),
            activities::created_at.eq(now),
            activities::updated_at.eq(now),
            activities::version.eq(1i64),
        ))
        .execute(c)?;
    set_participants(c, id, v)?;
    refresh_last_activity(c, customer_id)
}

/// Writes `v` over the activity if it is still at `expected_version`.
pub fn update(
    c: &mut DbConnection,
    cur: &ActivityRow,
    expected_version: i64,
    v: &Activity,
    now: NaiveDateTime,
) -> QueryResult<WriteOutcome<()>> {
    if cur.version != expected_version {
        return Ok(WriteOutcome::Stale(cur.version));
    }
    let n = diesel::update(
        activities::table
            .filter(activities::id.eq(&cur.id))
            .filter(activities::version.eq(expected_version)),
    )
    .set((
        fields!(v, cur.created_at),
        activities::updated_at.eq(now),
        activities::version.eq(expected_version + 1),
    ))
    .execute(c)?;
    if n == 0 {
        return Ok(WriteOutcome::Stale(expected_version + 1));
    }
    set_participants(c, &cur.id, v)?;
    refresh_last_activity(c, &cur.customer_id)?;
    Ok(WriteOutcome::Done(()))
}

pub fn delete(c: &mut DbConnection, cur: &ActivityRow) -> QueryResult<()> {
    diesel::delete(activities::table.filter(activities::id.eq(&cur.id))).execute(c)?;
    refresh_last_activity(c, &cur.customer_id)
}

/// Sets the customer's last activity to the latest done one. Not a change
/// of the customer (its version and ETag stay): it is derived.
pub fn refresh_last_activity(c: &mut DbConnection, customer_id: &str) -> QueryResult<()> {
    // Two activities written at once on PostgreSQL would each read the
    // latest without the other's and the last to write would win; holding
    // the customer row first makes the second read after the first commits.
    // NO KEY UPDATE, because the activity's foreign key already holds KEY
    // SHARE on that row, and FOR UPDATE would deadlock two such writers.
    // (SQLite writes one transaction at a time already.)
    if let DbConnection::Pg(pg) = c {
        customers::table
            .filter(customers::id.eq(customer_id))
            .select(customers::id)
            .for_no_key_update()
            .load::<String>(pg)?;
    }
    let last: Option<NaiveDateTime> = activities::table
        .filter(activities::customer_id.eq(customer_id))
        .select(diesel::dsl::max(activities::done_at))
        .first(c)?;
    diesel::update(customers::table.filter(customers::id.eq(customer_id)))
        .set(customers::last_activity_at.eq(last))
        .execute(c)
        .map(drop)
}

/// A merge: the retired customer's activities now belong to the survivor.
pub fn move_to(c: &mut DbConnection, other: &str, survivor: &str) -> QueryResult<()> {
    diesel::update(activities::table.filter(activities::customer_id.eq(other)))
        .set((
            activities::customer_id.eq(survivor),
            activities::version.eq(activities::version + 1),
        ))
        .execute(c)?;
    refresh_last_activity(c, survivor)?;
    refresh_last_activity(c, other)
}

/// A hand-over: open activities the old owner had planned on the customer
/// go to the new owner, so no promise is left with someone who no longer
/// looks after it. Done ones stay with who did them.
pub fn hand_over_open(
    c: &mut DbConnection,
    customer_id: &str,
    from: &str,
    to: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        activities::table
            .filter(activities::customer_id.eq(customer_id))
            .filter(activities::owner_id.eq(from))
            .filter(activities::done_at.is_null()),
    )
    .set((
        activities::owner_id.eq(to),
        activities::updated_at.eq(now),
        activities::version.eq(activities::version + 1),
    ))
    .execute(c)?;
    // the new owner takes part as owner, not twice
    diesel::delete(
        activity_participants::table
            .filter(activity_participants::user_id.eq(to))
            .filter(
                activity_participants::activity_id.eq_any(
                    activities::table
                        .filter(activities::customer_id.eq(customer_id))
                        .filter(activities::owner_id.eq(to))
                        .select(activities::id),
                ),
            ),
    )
    .execute(c)
}

/// When the newest activity of each of these customers was written (logged
/// or planned), for telling which follow-ups a newer one took care of.
pub fn latest_per_customer(
    c: &mut DbConnection,
    customer_ids: &[String],
) -> QueryResult<HashMap<String, NaiveDateTime>> {
    let rows: Vec<(String, Option<NaiveDateTime>)> = activities::table
        .filter(activities::customer_id.eq_any(customer_ids))
        .group_by(activities::customer_id)
        .select((
            activities::customer_id,
            diesel::dsl::max(activities::created_at),
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(c, t)| t.map(|t| (c, t)))
        .collect())
}
