//! "My day": a user's home screen — what is due today, what is late, which
//! follow-ups have come, and the customers they worked on lately.

use super::super::customers::Scoped;
use super::super::wire::activities::{ActivityOut, MyDay, RecentCustomer};
use crate::auth::Auth;
use crate::db::schema::{audit_log as al, customers};
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::access_sql::customer_condition;
use crate::repo::activities::{self as store, ActivityFilter, from_secs, micros};
use crate::state::AppState;
use crate::zone;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use kehu_domain::access::Action;
use kehu_domain::activity;
use kehu_domain::date::Date;
use serde::Deserialize;
use utoipa::IntoParams;

/// How many of each list the screen shows.
const SHOWN: i64 = 50;
const RECENT: usize = 10;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// The day, `YYYY-MM-DD`; default today in the caller's time zone.
    #[param(example = "2026-11-30", pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub date: Option<String>,
}

/// The caller's day: activities due that day, overdue ones, follow-ups whose
/// day has come, and recently touched customers, all within their scope.
#[utoipa::path(get, path = "/api/v1/me/day", tag = "activities", params(DayQuery),
    responses(
        (status = 200, description = "The day", body = MyDay),
        (status = 400, description = "The date is malformed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn my_day(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<DayQuery>,
) -> Result<HttpResponse, ApiError> {
    let asked = super::super::extract::non_empty(q.into_inner().date)
        .map(|d| Date::parse("date", &d))
        .transpose()
        .map_err(|e| {
            let f = &e.0[0];
            ApiError::bad_field(&f.field, f.code, f.message.clone())
        })?;
    let day = db::run(&state.pool, move |c| build(c, &auth, asked)).await?;
    Ok(HttpResponse::Ok().json(day))
}

fn build(c: &mut DbConnection, auth: &Auth, asked: Option<Date>) -> Result<MyDay, ApiError> {
    let me = auth.user_id().to_owned();
    let (now, offset) = super::clock(c, auth)?;
    let tz = zone::of_user(c, &me)?;
    let day = asked.unwrap_or_else(|| zone::today(tz, now / kehu_domain::activity::MICROS));
    let (start, end) = zone::day_bounds(tz, day);
    let read = Scoped::new(auth, Action::Read);
    let scope = read.predicate();
    let out = |rows: Vec<store::ActivityRecord>| -> Vec<ActivityOut> {
        rows.into_iter()
            .map(|r| ActivityOut::new(r, now, offset))
            .collect()
    };

    // due that day: timed ones within the local day, all-day ones of that date
    let mut today = store::list(
        c,
        scope,
        &ActivityFilter {
            involving: Some(me.clone()),
            sort_from: Some(from_secs(start)),
            sort_to: Some(from_secs(end)),
            skip_open_all_day: true,
            ascending: true,
            ..Default::default()
        },
        None,
        SHOWN,
    )?;
    today.extend(store::list(
        c,
        scope,
        &ActivityFilter {
            involving: Some(me.clone()),
            open_all_day_on: Some(from_secs(day.start_unix())),
            ascending: true,
            ..Default::default()
        },
        None,
        SHOWN,
    )?);
    // all-day items first (they have no hour), then by time
    today.sort_by_key(|r| (!(r.row.all_day && r.row.done_at.is_none()), r.row.sort_at));

    // overdue: mine, open, due before that day
    let overdue: Vec<ActivityOut> = out(store::list(
        c,
        scope,
        &ActivityFilter {
            owner_id: Some(me.clone()),
            done: Some(false),
            due_before: Some(from_secs(start.max(day.start_unix()))),
            ascending: true,
            ..Default::default()
        },
        None,
        SHOWN,
    )?)
    .into_iter()
    .filter(|a| {
        a.due_at
            .is_some_and(|d| activity::due_before_day(d.timestamp_micros(), a.all_day, day, start))
    })
    .collect();

    // follow-ups: mine, whose day has come, with nothing logged or planned on the customer since
    let candidates = store::list(
        c,
        scope,
        &ActivityFilter {
            owner_id: Some(me.clone()),
            follow_up_by: Some(day.to_string()),
            ..Default::default()
        },
        None,
        200,
    )?;
    let cids: Vec<String> = candidates
        .iter()
        .map(|r| r.row.customer_id.clone())
        .collect();
    let latest = store::latest_per_customer(c, &cids)?;
    let mut follow_ups: Vec<store::ActivityRecord> = candidates
        .into_iter()
        .filter(|r| {
            activity::follow_up_waits(
                micros(r.row.created_at),
                latest.get(&r.row.customer_id).map(|t| micros(*t)),
            )
        })
        .collect();
    follow_ups.sort_by(|a, b| {
        (&a.row.next_follow_up_on, a.row.sort_at).cmp(&(&b.row.next_follow_up_on, b.row.sort_at))
    });
    follow_ups.truncate(SHOWN as usize);

    Ok(MyDay {
        date: day.to_string(),
        time_zone: tz.name().to_owned(),
        today: out(today),
        overdue,
        follow_ups: out(follow_ups),
        recent_customers: recent(c, auth, &me)?,
        reminders: crate::repo::notifications::list(c, &me, true, None, SHOWN)?
            .into_iter()
            .map(Into::into)
            .collect(),
    })
}

/// The customers `me` logged an activity on or changed last, newest first,
/// that they still see.
fn recent(c: &mut DbConnection, auth: &Auth, me: &str) -> Result<Vec<RecentCustomer>, ApiError> {
    let touched: Vec<(Option<String>, chrono::NaiveDateTime)> = al::table
        .filter(al::user_id.eq(me.to_owned()))
        .filter(al::customer_id.is_not_null())
        .order((al::at.desc(), al::id.desc()))
        .select((al::customer_id, al::at))
        .limit(200)
        .load(c)?;
    let mut seen: Vec<(String, chrono::NaiveDateTime)> = Vec::new();
    for (cid, at) in touched {
        if let Some(cid) = cid
            && !seen.iter().any(|(s, _)| *s == cid)
        {
            seen.push((cid, at));
        }
    }
    let ids: Vec<String> = seen.iter().map(|(s, _)| s.clone()).collect();
    let cond = customer_condition(Scoped::new(auth, Action::Read).predicate());
    let names: Vec<(String, String)> = customers::table
        .filter(customers::id.eq_any(&ids))
        .filter(customers::deleted_at.is_null())
        .filter(cond)
        .select((customers::id, customers::name))
        .load(c)?;
    Ok(seen
        .into_iter()
        .filter_map(|(id, at)| {
            names
                .iter()
                .find(|(n, _)| *n == id)
                .map(|(_, name)| RecentCustomer {
                    id,
                    name: name.clone(),
                    at: at.and_utc(),
                })
        })
        .take(RECENT)
        .collect())
}
