//! A user's calendar feed: their activities (owned or taking part) and
//! reminders as timed or all-day events, their customers' renewal and
//! maintenance days as all-day events.

use crate::db::{self, DbConnection};
use crate::repo::reminders::{self, CustomerDate};
use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;
use kehu_domain::date::UtcSeconds;
use kehu_domain::remind::ical::{self, Event, Moment};

/// How far back and ahead the feed reaches.
const PAST_DAYS: i64 = 30;
const AHEAD_DAYS: i64 = 365;
/// At most this many events of each kind, the soonest.
const MAX_EVENTS: i64 = 2000;
/// A reminder shows as a short event.
const REMINDER_MINUTES: i64 = 15;
/// An activity without an end shows as half an hour.
const ACTIVITY_MINUTES: i64 = 30;

pub fn text(
    c: &mut DbConnection,
    user_id: &str,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let stamp = db::to_seconds(now);
    let (from, to) = (
        now - Duration::days(PAST_DAYS),
        now + Duration::days(AHEAD_DAYS),
    );
    let mut events = Vec::new();
    for r in reminders::between(c, user_id, from, to, MAX_EVENTS)? {
        let at = db::to_seconds(r.remind_at);
        events.push(Event {
            uid: format!("reminder-{}@kehu", r.id),
            summary: r.note.lines().next().unwrap_or_default().to_owned(),
            description: Some(r.note.clone()).filter(|n| n.contains('\n')),
            start: Moment::At(at),
            end: Moment::At(UtcSeconds(at.0 + REMINDER_MINUTES * 60)),
            stamp,
        });
    }
    for (which, what, tag) in [
        (CustomerDate::Renewal, "Renewal", "renewal"),
        (CustomerDate::Maintenance, "Maintenance", "maintenance"),
    ] {
        let rows = reminders::customers_dated(c, which, from.date(), to.date(), Some(user_id))?;
        for r in rows.into_iter().take(MAX_EVENTS as usize) {
            let Some(day) = db::to_date(r.on) else {
                continue;
            };
            events.push(Event {
                uid: format!("{tag}-{}-{day}@kehu", r.id),
                summary: format!("{what}: {}", r.name),
                description: None,
                start: Moment::Day(day),
                end: Moment::Day(day.add_days(1)),
                stamp,
            });
        }
    }
    let acts = reminders::calendar_activities(c, user_id, from, to, MAX_EVENTS)?;
    let names = reminders::live_customer_names(
        c,
        &acts
            .iter()
            .map(|a| a.customer_id.clone())
            .collect::<Vec<_>>(),
    )?;
    for a in acts {
        // notes record what happened; the calendar shows what is planned and held
        let (Some(customer), Some(at), false) = (
            names.get(&a.customer_id),
            a.due_at.or(a.done_at),
            a.kind == "note",
        ) else {
            continue;
        };
        let at = db::to_seconds(at);
        let (start, end) = if a.all_day && a.due_at.is_some() {
            // an all-day activity keeps its date as midnight UTC of that date
            (Moment::Day(at.date()), Moment::Day(at.date().add_days(1)))
        } else {
            (
                Moment::At(at),
                Moment::At(UtcSeconds(at.0 + ACTIVITY_MINUTES * 60)),
            )
        };
        let what = a
            .subject
            .clone()
            .unwrap_or_else(|| super::scheduler::kind_label(&a.kind).to_owned());
        events.push(Event {
            uid: format!("activity-{}@kehu", a.id),
            summary: format!("{what} – {customer}"),
            description: a.notes.clone(),
            start,
            end,
            stamp,
        });
    }
    Ok(ical::calendar(&format!("Kehu – {name}"), &events))
}
