//! Reminders people set for themselves.

use crate::db::DbConnection;
use crate::db::schema::{calendar_tokens as ct, reminders as r};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = r)]
pub struct ReminderRow {
    pub id: String,
    pub user_id: String,
    pub remind_at: NaiveDateTime,
    pub note: String,
    pub customer_id: Option<String>,
    pub activity_id: Option<String>,
    pub fired_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn insert(c: &mut DbConnection, v: &ReminderRow) -> QueryResult<()> {
    diesel::insert_into(r::table)
        .values((
            r::id.eq(&v.id),
            r::user_id.eq(&v.user_id),
            r::remind_at.eq(v.remind_at),
            r::note.eq(&v.note),
            r::customer_id.eq(&v.customer_id),
            r::activity_id.eq(&v.activity_id),
            r::created_at.eq(v.created_at),
        ))
        .execute(c)
        .map(drop)
}

/// A page of the user's reminders, soonest first.
pub fn list_mine(
    c: &mut DbConnection,
    user_id: &str,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<ReminderRow>> {
    let mut q = r::table
        .filter(r::user_id.eq(user_id.to_owned()))
        .select(ReminderRow::as_select())
        .order((r::remind_at, r::id))
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = after {
        q = q.filter(
            r::remind_at
                .gt(at)
                .or(r::remind_at.eq(at).and(r::id.gt(id))),
        );
    }
    q.load(c)
}

/// The user's reminders between two instants, for the calendar feed.
pub fn between(
    c: &mut DbConnection,
    user_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<ReminderRow>> {
    r::table
        .filter(r::user_id.eq(user_id))
        .filter(r::remind_at.ge(from))
        .filter(r::remind_at.lt(to))
        .select(ReminderRow::as_select())
        .order((r::remind_at, r::id))
        .limit(limit)
        .load(c)
}

/// Deletes one of the user's reminders; false when there is none of theirs.
pub fn delete_mine(c: &mut DbConnection, user_id: &str, id: &str) -> QueryResult<bool> {
    Ok(
        diesel::delete(r::table.filter(r::id.eq(id)).filter(r::user_id.eq(user_id))).execute(c)?
            > 0,
    )
}

/// Reminders whose time has come and that no node has fired yet.
pub fn due(c: &mut DbConnection, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<ReminderRow>> {
    r::table
        .filter(r::fired_at.is_null())
        .filter(r::remind_at.le(now))
        .select(ReminderRow::as_select())
        .order((r::remind_at, r::id))
        .limit(limit)
        .load(c)
}

pub fn mark_fired(c: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(r::table.filter(r::id.eq(id)).filter(r::fired_at.is_null()))
        .set(r::fired_at.eq(now))
        .execute(c)
        .map(drop)
}

/// The user whose calendar feed has this token hash.
pub fn calendar_owner(c: &mut DbConnection, token_hash: &str) -> QueryResult<Option<String>> {
    ct::table
        .filter(ct::token_hash.eq(token_hash))
        .select(ct::user_id)
        .first(c)
        .optional()
}

/// When the user's current calendar secret was made, if they have one.
pub fn calendar_since(c: &mut DbConnection, user_id: &str) -> QueryResult<Option<NaiveDateTime>> {
    ct::table
        .filter(ct::user_id.eq(user_id))
        .select(ct::created_at)
        .first(c)
        .optional()
}

/// Replaces the user's calendar secret (the old one stops working).
pub fn set_calendar(
    c: &mut DbConnection,
    user_id: &str,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::write_tx(c, |c| {
        diesel::delete(ct::table.filter(ct::user_id.eq(user_id))).execute(c)?;
        diesel::insert_into(ct::table)
            .values((
                ct::user_id.eq(user_id),
                ct::token_hash.eq(token_hash),
                ct::created_at.eq(now),
            ))
            .execute(c)
            .map(drop)
    })
}

pub fn revoke_calendar(c: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    diesel::delete(ct::table.filter(ct::user_id.eq(user_id)))
        .execute(c)
        .map(drop)
}

/// A customer's date a reminder may be about.
#[derive(Debug, Clone)]
pub struct DatedCustomer {
    pub id: String,
    pub name: String,
    pub owner_id: String,
    pub on: chrono::NaiveDate,
}

/// Which of a customer's dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerDate {
    Renewal,
    Maintenance,
}

/// Live customers with an owner whose renewal (or maintenance) date lies
/// in `[from, to]`, and of one owner when given: the query, for EXPLAIN.
pub fn customers_dated_query(
    which: CustomerDate,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    user_id: Option<&str>,
) -> crate::db::schema::customers::BoxedQuery<'static, crate::db::Db> {
    use crate::db::schema::customers as cu;
    let mut q = cu::table
        .filter(cu::deleted_at.is_null())
        .filter(cu::owner_id.is_not_null())
        .into_boxed();
    q = match which {
        CustomerDate::Renewal => q
            .filter(cu::renewal_on.ge(from))
            .filter(cu::renewal_on.le(to)),
        CustomerDate::Maintenance => q
            .filter(cu::maintenance_on.ge(from))
            .filter(cu::maintenance_on.le(to)),
    };
    if let Some(u) = user_id {
        q = q.filter(cu::owner_id.eq(u.to_owned()));
    }
    q
}

pub fn customers_dated(
    c: &mut DbConnection,
    which: CustomerDate,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    user_id: Option<&str>,
) -> QueryResult<Vec<DatedCustomer>> {
    use crate::db::schema::customers as cu;
    let q = customers_dated_query(which, from, to, user_id);
    let rows: Vec<(String, String, Option<String>, Option<chrono::NaiveDate>)> = match which {
        CustomerDate::Renewal => q
            .select((cu::id, cu::name, cu::owner_id, cu::renewal_on))
            .load(c)?,
        CustomerDate::Maintenance => q
            .select((cu::id, cu::name, cu::owner_id, cu::maintenance_on))
            .load(c)?,
    };
    Ok(rows
        .into_iter()
        .filter_map(|(id, name, owner, on)| {
            Some(DatedCustomer {
                id,
                name,
                owner_id: owner?,
                on: on?,
            })
        })
        .collect())
}

/// A contact's birthday a reminder may be about.
#[derive(Debug, Clone)]
pub struct ContactBirthday {
    pub contact_id: String,
    pub contact_name: String,
    pub birthday: String,
    pub customer_id: String,
    pub customer_name: String,
    pub owner_id: String,
}

/// Live contacts whose birthday is on one of `month_days` (`MM-DD`): the query, for EXPLAIN.
pub fn birthdays_query(
    month_days: &[String],
) -> crate::db::schema::contacts::BoxedQuery<'static, crate::db::Db> {
    use crate::db::schema::contacts as k;
    k::table
        .filter(k::birthday_md.eq_any(month_days.to_vec()))
        .filter(k::deleted_at.is_null())
        .into_boxed()
}

/// Live contacts of live customers with an owner whose birthday is on one
/// of `month_days` (`MM-DD`).
pub fn birthdays(c: &mut DbConnection, month_days: &[String]) -> QueryResult<Vec<ContactBirthday>> {
    use crate::db::schema::{contacts as k, customers as cu};
    let contacts: Vec<(String, String, Option<String>, String)> = birthdays_query(month_days)
        .select((k::id, k::name, k::birthday, k::customer_id))
        .load(c)?;
    let mut out = Vec::new();
    for chunk in contacts.chunks(500) {
        let ids: Vec<&String> = chunk.iter().map(|x| &x.3).collect();
        let customers: std::collections::HashMap<String, (String, String)> = cu::table
            .filter(cu::id.eq_any(ids))
            .filter(cu::deleted_at.is_null())
            .filter(cu::owner_id.is_not_null())
            .select((cu::id, cu::name, cu::owner_id))
            .load::<(String, String, Option<String>)>(c)?
            .into_iter()
            .filter_map(|(id, name, owner)| Some((id, (name, owner?))))
            .collect();
        for (contact_id, contact_name, birthday, customer_id) in chunk {
            let (Some(birthday), Some((customer_name, owner_id))) =
                (birthday, customers.get(customer_id))
            else {
                continue;
            };
            out.push(ContactBirthday {
                contact_id: contact_id.clone(),
                contact_name: contact_name.clone(),
                birthday: birthday.clone(),
                customer_id: customer_id.clone(),
                customer_name: customer_name.clone(),
                owner_id: owner_id.clone(),
            });
        }
    }
    Ok(out)
}

/// An open activity whose due time is near.
#[derive(Debug, Clone)]
pub struct DueActivity {
    pub id: String,
    pub customer_id: String,
    pub kind: String,
    pub subject: Option<String>,
    pub owner_id: String,
    pub due_at: NaiveDateTime,
    pub all_day: bool,
}

/// Open activities due in `[from, to]`: the query, for EXPLAIN. An open
/// activity's `sort_at` is its due time, so the time-order index serves it.
pub fn open_due_query(
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> crate::db::schema::activities::BoxedQuery<'static, crate::db::Db> {
    use crate::db::schema::activities as a;
    a::table
        .filter(a::sort_at.ge(from))
        .filter(a::sort_at.le(to))
        .filter(a::done_at.is_null())
        .filter(a::due_at.ge(from))
        .filter(a::due_at.le(to))
        .into_boxed()
}

pub fn open_due(
    c: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<DueActivity>> {
    use crate::db::schema::activities as a;
    type Row = (
        String,
        String,
        String,
        Option<String>,
        String,
        Option<NaiveDateTime>,
        bool,
    );
    let rows: Vec<Row> = open_due_query(from, to)
        .select((
            a::id,
            a::customer_id,
            a::kind,
            a::subject,
            a::owner_id,
            a::due_at,
            a::all_day,
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, customer_id, kind, subject, owner_id, due, all_day)| {
            Some(DueActivity {
                id,
                customer_id,
                kind,
                subject,
                owner_id,
                due_at: due?,
                all_day,
            })
        })
        .collect())
}

/// An activity with a next follow-up date.
#[derive(Debug, Clone)]
pub struct FollowUp {
    pub id: String,
    pub customer_id: String,
    pub kind: String,
    pub subject: Option<String>,
    pub owner_id: String,
    pub on: String,
    pub created_at: NaiveDateTime,
}

/// Activities whose next follow-up date lies in `[from, to]` (`YYYY-MM-DD`): the query, for EXPLAIN.
pub fn follow_ups_query(
    from: &str,
    to: &str,
) -> crate::db::schema::activities::BoxedQuery<'static, crate::db::Db> {
    use crate::db::schema::activities as a;
    a::table
        .filter(a::next_follow_up_on.ge(from.to_owned()))
        .filter(a::next_follow_up_on.le(to.to_owned()))
        .into_boxed()
}

/// Follow-ups in the window not yet overtaken by a later activity on the
/// same customer (as my day counts them).
pub fn follow_ups(c: &mut DbConnection, from: &str, to: &str) -> QueryResult<Vec<FollowUp>> {
    use crate::db::schema::activities as a;
    type Row = (
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        NaiveDateTime,
    );
    let rows: Vec<Row> = follow_ups_query(from, to)
        .select((
            a::id,
            a::customer_id,
            a::kind,
            a::subject,
            a::owner_id,
            a::next_follow_up_on,
            a::created_at,
        ))
        .load(c)?;
    let cids: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
    let latest = super::activities::latest_per_customer(c, &cids)?;
    Ok(rows
        .into_iter()
        .filter(|r| latest.get(&r.1).is_none_or(|t| *t <= r.6))
        .filter_map(
            |(id, customer_id, kind, subject, owner_id, on, created_at)| {
                Some(FollowUp {
                    id,
                    customer_id,
                    kind,
                    subject,
                    owner_id,
                    on: on?,
                    created_at,
                })
            },
        )
        .collect())
}

/// Names of the live customers among `ids`.
pub fn live_customer_names(
    c: &mut DbConnection,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    use crate::db::schema::customers as cu;
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        out.extend(
            cu::table
                .filter(cu::id.eq_any(chunk))
                .filter(cu::deleted_at.is_null())
                .select((cu::id, cu::name))
                .load::<(String, String)>(c)?,
        );
    }
    Ok(out)
}

/// A user's activities (owned or taking part) for the calendar feed.
#[derive(Debug, Clone)]
pub struct CalendarActivity {
    pub id: String,
    pub customer_id: String,
    pub kind: String,
    pub subject: Option<String>,
    pub notes: Option<String>,
    pub owner_id: String,
    pub due_at: Option<NaiveDateTime>,
    pub done_at: Option<NaiveDateTime>,
    pub all_day: bool,
}

pub fn calendar_activities(
    c: &mut DbConnection,
    user_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<CalendarActivity>> {
    use crate::db::schema::{activities as a, activity_participants as ap};
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        bool,
    );
    let cols = (
        a::id,
        a::customer_id,
        a::kind,
        a::subject,
        a::notes,
        a::owner_id,
        a::due_at,
        a::done_at,
        a::all_day,
    );
    let mut rows: Vec<Row> = a::table
        .filter(a::owner_id.eq(user_id))
        .filter(a::sort_at.ge(from))
        .filter(a::sort_at.lt(to))
        .select(cols)
        .order((a::sort_at, a::id))
        .limit(limit)
        .load(c)?;
    let part: Vec<String> = ap::table
        .filter(ap::user_id.eq(user_id))
        .select(ap::activity_id)
        .load(c)?;
    for chunk in part.chunks(500) {
        rows.extend(
            a::table
                .filter(a::id.eq_any(chunk))
                .filter(a::owner_id.ne(user_id))
                .filter(a::sort_at.ge(from))
                .filter(a::sort_at.lt(to))
                .select(cols)
                .load::<Row>(c)?,
        );
    }
    Ok(rows
        .into_iter()
        .map(
            |(id, customer_id, kind, subject, notes, owner_id, due_at, done_at, all_day)| {
                CalendarActivity {
                    id,
                    customer_id,
                    kind,
                    subject,
                    notes,
                    owner_id,
                    due_at,
                    done_at,
                    all_day,
                }
            },
        )
        .collect())
}

/// The customer of a live activity, for checking that a reminder about it may be set.
pub fn activity_customer(c: &mut DbConnection, activity_id: &str) -> QueryResult<Option<String>> {
    use crate::db::schema::activities as a;
    a::table
        .filter(a::id.eq(activity_id))
        .select(a::customer_id)
        .first(c)
        .optional()
}
