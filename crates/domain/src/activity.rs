//! 活动: what a rep did or will do with a customer — calls, visits,
//! meetings, e-mails, tasks and notes — and the rules of their times.
//!
//! Times are microseconds since the Unix epoch (UTC), the precision both
//! databases store, so an activity logged "now" sorts exactly among the
//! other records of that moment. Zone offsets are seconds east of UTC. An
//! all-day activity holds a floating date: its day is the same wherever it
//! is read, so `due_at` is kept at midnight UTC of that day and is never
//! converted to a zone.

use crate::date::{Date, SECONDS_PER_DAY};

/// Microseconds in a second.
pub const MICROS: i64 = 1_000_000;

fn day_of(t: i64) -> Date {
    Date::of_unix(t.div_euclid(MICROS))
}
use crate::error::{Collector, FieldError, Invalid};
use crate::text;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Call,
    Visit,
    Meeting,
    Email,
    Task,
    Note,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Call,
        Kind::Visit,
        Kind::Meeting,
        Kind::Email,
        Kind::Task,
        Kind::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Call => "call",
            Kind::Visit => "visit",
            Kind::Meeting => "meeting",
            Kind::Email => "email",
            Kind::Task => "task",
            Kind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A note records something known; it has no plan and is done when written.
    pub fn always_done(self) -> bool {
        self == Kind::Note
    }
}

/// Whether an activity still has to happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Done,
    Overdue,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
            Status::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Status::Open, Status::Done, Status::Overdue]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// Where a visit or meeting took place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub label: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

pub const SUBJECT_MAX: usize = 200;
pub const OUTCOME_MAX: usize = 2_000;
pub const MAX_PARTICIPANTS: usize = 50;
/// Clocks of phones differ; a few minutes ahead is not "in the future".
pub const CLOCK_SKEW: i64 = 300 * MICROS;

/// An activity as sent; `None` = not sent, `Some(None)` = clear.
#[derive(Debug, Clone, Default)]
pub struct RawActivity {
    pub kind: Option<String>,
    pub subject: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub contact_id: Option<Option<String>>,
    pub owner_id: Option<String>,
    pub participant_ids: Option<Vec<String>>,
    pub due_at: Option<Option<i64>>,
    pub all_day: Option<bool>,
    pub done_at: Option<Option<i64>>,
    pub done: Option<bool>,
    pub outcome: Option<Option<String>>,
    pub place: Option<Option<Place>>,
    pub next_follow_up_on: Option<Option<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub kind: Kind,
    pub subject: Option<String>,
    pub notes: Option<String>,
    pub contact_id: Option<String>,
    pub owner_id: String,
    pub participant_ids: Vec<String>,
    pub due_at: Option<i64>,
    pub all_day: bool,
    pub done_at: Option<i64>,
    pub outcome: Option<String>,
    pub place: Option<Place>,
    pub next_follow_up_on: Option<Date>,
}

impl Activity {
    /// A new activity by `me` at `now`; the owner defaults to `me`.
    pub fn create(raw: RawActivity, me: &str, now: i64) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        let kind = match raw.kind.as_deref() {
            None => {
                c.push(FieldError::new("kind", "required", "is required"));
                Kind::Note
            }
            Some(k) => Kind::parse(k).unwrap_or_else(|| {
                c.push(kind_error());
                Kind::Note
            }),
        };
        let blank = Activity {
            kind,
            subject: None,
            notes: None,
            contact_id: None,
            owner_id: me.to_owned(),
            participant_ids: Vec::new(),
            due_at: None,
            all_day: false,
            done_at: None,
            outcome: None,
            place: None,
            next_follow_up_on: None,
        };
        blank.patch_into(RawActivity { kind: None, ..raw }, now, c)
    }

    pub fn patch(&self, raw: RawActivity, now: i64) -> Result<Self, Invalid> {
        self.patch_into(raw, now, Collector::new())
    }

    fn patch_into(&self, raw: RawActivity, now: i64, mut c: Collector) -> Result<Self, Invalid> {
        let mut next = self.clone();
        if let Some(k) = raw.kind.as_deref() {
            match Kind::parse(k) {
                Some(k) => next.kind = k,
                None => c.push(kind_error()),
            }
        }
        if let Some(s) = &raw.subject {
            next.subject = c
                .take(text::optional("subject", s.as_deref(), SUBJECT_MAX))
                .flatten();
        }
        if let Some(n) = &raw.notes {
            next.notes = c
                .take(text::optional_multiline(
                    "notes",
                    n.as_deref(),
                    text::NOTES_MAX,
                ))
                .flatten();
        }
        if let Some(o) = &raw.outcome {
            next.outcome = c
                .take(text::optional_multiline(
                    "outcome",
                    o.as_deref(),
                    OUTCOME_MAX,
                ))
                .flatten();
        }
        if let Some(k) = &raw.contact_id {
            next.contact_id = k
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
        }
        if let Some(o) = &raw.owner_id {
            match o.trim() {
                "" => c.push(FieldError::new("owner_id", "required", "must not be empty")),
                o => next.owner_id = o.to_owned(),
            }
        }
        if let Some(ps) = &raw.participant_ids {
            next.participant_ids = participants(&mut c, ps);
        }
        // the owner takes part anyway; listing them again says nothing
        let owner = next.owner_id.clone();
        next.participant_ids.retain(|p| *p != owner);
        if let Some(a) = raw.all_day {
            next.all_day = a;
        }
        if let Some(d) = raw.due_at {
            next.due_at = d;
        }
        if next.all_day {
            match next.due_at {
                Some(d) => next.due_at = Some(day_of(d).start_unix() * MICROS),
                None => c.push(FieldError::new(
                    "all_day",
                    "requires_due_at",
                    "an all-day activity needs the day in due_at",
                )),
            }
        }
        match (raw.done_at, raw.done) {
            (Some(d), _) => next.done_at = d,
            (None, Some(true)) if next.done_at.is_none() => next.done_at = Some(now),
            (None, Some(false)) => next.done_at = None,
            _ => {}
        }
        if next.kind.always_done() && next.done_at.is_none() {
            next.done_at = Some(now);
        }
        if let Some(d) = next.done_at
            && d > now + CLOCK_SKEW
        {
            c.push(FieldError::new(
                "done_at",
                "in_future",
                "cannot be in the future: plan it with due_at instead",
            ));
        }
        if let Some(p) = &raw.place {
            next.place = match p {
                None => None,
                Some(p) => c.take(place(p)).flatten(),
            };
        }
        if let Some(f) = &raw.next_follow_up_on {
            next.next_follow_up_on = match f.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(s) => c.take(Date::parse("next_follow_up_on", s)),
            };
        }
        c.finish()?;
        Ok(next)
    }

    /// Where it sits in time order: when it happened, else when it is due,
    /// else when it was written.
    pub fn sort_at(&self, created_at: i64) -> i64 {
        self.done_at.or(self.due_at).unwrap_or(created_at)
    }

    /// Open, done or overdue at `now` for someone whose zone is `offset`
    /// seconds east of UTC: an all-day item is overdue only once its day is
    /// over there, a timed one once its time has passed.
    pub fn status(&self, now: i64, offset: i64) -> Status {
        status(self.done_at, self.due_at, self.all_day, now, offset)
    }

    /// The fields its history shows.
    pub fn audit_fields(&self) -> crate::audit::Fields {
        vec![
            ("kind", Some(self.kind.as_str().to_owned())),
            ("subject", self.subject.clone()),
            ("owner_id", Some(self.owner_id.clone())),
            ("contact_id", self.contact_id.clone()),
            ("participant_ids", crate::audit::list(&self.participant_ids)),
            (
                "due_at",
                self.due_at.map(|t| {
                    if self.all_day {
                        day_of(t).to_string()
                    } else {
                        crate::date::format_utc(t.div_euclid(MICROS))
                    }
                }),
            ),
            (
                "done_at",
                self.done_at
                    .map(|t| crate::date::format_utc(t.div_euclid(MICROS))),
            ),
            ("outcome", self.outcome.clone()),
            (
                "next_follow_up_on",
                self.next_follow_up_on.map(|d| d.to_string()),
            ),
        ]
    }
}

/// See [`Activity::status`].
pub fn status(
    done_at: Option<i64>,
    due_at: Option<i64>,
    all_day: bool,
    now: i64,
    offset: i64,
) -> Status {
    match (done_at, due_at) {
        (Some(_), _) => Status::Done,
        (None, Some(d)) if all_day && day_of(d) < Date::local(now.div_euclid(MICROS), offset) => {
            Status::Overdue
        }
        (None, Some(d)) if !all_day && d < now => Status::Overdue,
        _ => Status::Open,
    }
}

/// The UTC instants `[start, end)` of `day` in a zone `offset` seconds east
/// of UTC, for "what is due today"; in seconds, like the offset.
pub fn day_bounds(day: Date, offset: i64) -> (i64, i64) {
    let start = day.start_unix() - offset;
    (start, start + SECONDS_PER_DAY)
}

/// Whether an open item was due before `day`, whose first local instant is
/// `day_start` (seconds): an all-day item by its date, a timed one by its
/// time. `due_at` in microseconds, as everywhere here.
pub fn due_before_day(due_at: i64, all_day: bool, day: Date, day_start: i64) -> bool {
    if all_day {
        day_of(due_at) < day
    } else {
        due_at < day_start * MICROS
    }
}

/// Whether a follow-up written at `written` (any unit) still waits: nothing
/// was logged or planned on its customer after it (`newest_on_customer`).
pub fn follow_up_waits(written: i64, newest_on_customer: Option<i64>) -> bool {
    newest_on_customer.is_none_or(|n| n <= written)
}

/// Who may change or delete an activity: its owner or its author while they
/// still see the customer, and anyone who may change the customer.
pub fn may_change(
    is_owner_or_author: bool,
    sees_customer: bool,
    may_update_customer: bool,
) -> bool {
    may_update_customer || (is_owner_or_author && sees_customer)
}

fn kind_error() -> FieldError {
    FieldError::new(
        "kind",
        "invalid_choice",
        "must be one of: call, visit, meeting, email, task, note",
    )
}

fn participants(c: &mut Collector, raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, p) in raw.iter().enumerate() {
        let p = p.trim();
        if p.is_empty() {
            c.push(FieldError::new(
                format!("participant_ids[{i}]"),
                "required",
                "must not be empty",
            ));
        } else if !out.iter().any(|x| x == p) {
            out.push(p.to_owned());
        }
    }
    if out.len() > MAX_PARTICIPANTS {
        c.push(FieldError::new(
            "participant_ids",
            "too_many",
            format!("at most {MAX_PARTICIPANTS} participants"),
        ));
    }
    out
}

fn place(p: &Place) -> Result<Option<Place>, Invalid> {
    let mut c = Collector::new();
    let label = c
        .take(text::optional(
            "place.label",
            p.label.as_deref(),
            text::ADDRESS_MAX,
        ))
        .flatten();
    match (p.lat, p.lon) {
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) {
                c.push(FieldError::new(
                    "place.lat",
                    "out_of_range",
                    "must be between -90 and 90",
                ));
            }
            if !(-180.0..=180.0).contains(&lon) {
                c.push(FieldError::new(
                    "place.lon",
                    "out_of_range",
                    "must be between -180 and 180",
                ));
            }
        }
        (None, None) => {}
        (None, Some(_)) => c.push(FieldError::new(
            "place.lat",
            "required",
            "lat and lon go together",
        )),
        (Some(_), None) => c.push(FieldError::new(
            "place.lon",
            "required",
            "lat and lon go together",
        )),
    }
    c.finish()?;
    let some = label.is_some() || p.lat.is_some();
    Ok(some.then_some(Place {
        label,
        lat: p.lat,
        lon: p.lon,
    }))
}

#[cfg(test)]
mod tests;
