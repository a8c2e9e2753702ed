//! A user's calendar feed: their reminders as timed events, their
//! customers' renewal and maintenance days as all-day events.

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
    Ok(ical::calendar(&format!("Kehu – {name}"), &events))
}
