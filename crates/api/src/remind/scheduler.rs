//! The scheduler: every node runs it; what is due becomes a notification
//! exactly once, because each has a unique key per user and occurrence and
//! is inserted only when absent. Its rules look at a window around now
//! (`kehu_domain::remind::rules`), so a tick after downtime still delivers
//! what fell due meanwhile.

use super::zone;
use crate::db::{self, DbConnection};
use crate::repo::notifications::{self as store, New, Params};
use crate::repo::preferences::{self, Recipient};
use crate::repo::reminders::{self, CustomerDate};
use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;
use kehu_domain::date::{Date, UtcSeconds, local};
use kehu_domain::remind::birthday::keys_celebrated_on;
use kehu_domain::remind::prefs::{MAX_BIRTHDAY_DAYS_BEFORE, MAX_DATE_DAYS_BEFORE};
use kehu_domain::remind::rules::{self, GRACE_DAYS};
use kehu_domain::remind::{Birthday, Kind};
use std::collections::{HashMap, HashSet};

/// Reminders set by hand handled per round trip.
const BATCH: i64 = 500;

struct Tick<'a> {
    c: &'a mut DbConnection,
    now: NaiveDateTime,
    at: UtcSeconds,
    mail: bool,
    made: usize,
}

/// One thing that may become a notification.
struct Candidate {
    user_id: String,
    kind: Kind,
    key: String,
    title: String,
    body: Option<String>,
    record: Option<(&'static str, String)>,
    customer_id: Option<String>,
    due_at: NaiveDateTime,
    /// What the title is made of, for screens in other languages.
    params: Option<Params>,
}

/// Makes every notification due at `now`; `mail`: whether e-mail can go
/// out (SMTP is configured). Returns how many were made.
pub fn tick(c: &mut DbConnection, now: NaiveDateTime, mail: bool) -> QueryResult<usize> {
    let mut t = Tick {
        c,
        now,
        at: db::to_seconds(now),
        mail,
        made: 0,
    };
    t.customer_dates(CustomerDate::Renewal)?;
    t.customer_dates(CustomerDate::Maintenance)?;
    t.birthdays()?;
    t.by_hand()?;
    t.activities_due()?;
    t.follow_ups()?;
    Ok(t.made)
}

impl Tick<'_> {
    fn today_utc(&self) -> Date {
        self.at.date()
    }

    fn local_today(&self, r: &Recipient) -> Date {
        local(&zone::named(&r.prefs.time_zone), self.at).date
    }

    fn customer_dates(&mut self, which: CustomerDate) -> QueryResult<()> {
        let kind = match which {
            CustomerDate::Renewal => Kind::Renewal,
            CustomerDate::Maintenance => Kind::Maintenance,
        };
        let ahead = preferences::max_days_before(self.c, kind)?.min(MAX_DATE_DAYS_BEFORE);
        let (lo, hi) = rules::candidate_range(self.today_utc(), ahead);
        let rows =
            reminders::customers_dated(self.c, which, db::from_date(lo), db::from_date(hi), None)?;
        let owners: Vec<String> = rows.iter().map(|r| r.owner_id.clone()).collect();
        let people = preferences::recipients(self.c, &dedup(owners))?;
        let mut out = Vec::new();
        for r in rows {
            let (Some(p), Some(on)) = (people.get(&r.owner_id), db::to_date(r.on)) else {
                continue;
            };
            if !rules::date_due(on, p.prefs.days_before(kind), self.local_today(p)) {
                continue;
            }
            let what = match kind {
                Kind::Renewal => "Renewal",
                _ => "Maintenance",
            };
            out.push(Candidate {
                user_id: r.owner_id.clone(),
                kind,
                key: rules::key(kind, &r.id, &on.to_string()),
                title: format!("{what}: {} on {on}", r.name),
                body: None,
                params: Some(Params {
                    customer: Some(r.name.clone()),
                    on: Some(on.to_string()),
                    ..Params::default()
                }),
                record: Some(("customer", r.id.clone())),
                customer_id: Some(r.id),
                due_at: db::from_seconds(rules::start_of_day(on, &zone::named(&p.prefs.time_zone))),
            });
        }
        self.deliver(out, &people)
    }

    fn birthdays(&mut self) -> QueryResult<()> {
        // every month-day celebrated on a date that may be due somewhere today
        let ahead =
            preferences::max_days_before(self.c, Kind::Birthday)?.min(MAX_BIRTHDAY_DAYS_BEFORE);
        let (lo, hi) = rules::candidate_range(self.today_utc(), ahead);
        let mut keys = Vec::new();
        let mut d = lo;
        while d <= hi {
            keys.extend(keys_celebrated_on(d));
            d = d.add_days(1);
        }
        let rows = reminders::birthdays(self.c, &dedup(keys))?;
        let owners: Vec<String> = rows.iter().map(|r| r.owner_id.clone()).collect();
        let people = preferences::recipients(self.c, &dedup(owners))?;
        let mut out = Vec::new();
        for r in rows {
            let (Some(p), Ok(b)) = (
                people.get(&r.owner_id),
                Birthday::parse("birthday", &r.birthday),
            ) else {
                continue;
            };
            let Some(on) =
                rules::birthday_due(b, p.prefs.birthday_days_before, self.local_today(p))
            else {
                continue;
            };
            out.push(Candidate {
                user_id: r.owner_id.clone(),
                kind: Kind::Birthday,
                key: rules::key(Kind::Birthday, &r.contact_id, &on.to_string()),
                title: format!("Birthday: {} ({}) on {on}", r.contact_name, r.customer_name),
                body: b.age_on(on).map(|a| format!("Turns {a}.")),
                params: Some(Params {
                    customer: Some(r.customer_name.clone()),
                    contact: Some(r.contact_name.clone()),
                    on: Some(on.to_string()),
                    age: b.age_on(on).and_then(|a| u32::try_from(a).ok()),
                    ..Params::default()
                }),
                record: Some(("contact", r.contact_id)),
                customer_id: Some(r.customer_id),
                due_at: db::from_seconds(rules::start_of_day(on, &zone::named(&p.prefs.time_zone))),
            });
        }
        self.deliver(out, &people)
    }

    fn by_hand(&mut self) -> QueryResult<()> {
        loop {
            let due = reminders::due(self.c, self.now, BATCH)?;
            if due.is_empty() {
                return Ok(());
            }
            let people = preferences::recipients(
                self.c,
                &dedup(due.iter().map(|r| r.user_id.clone()).collect()),
            )?;
            let out = due
                .iter()
                .map(|r| Candidate {
                    user_id: r.user_id.clone(),
                    kind: Kind::Manual,
                    key: rules::key(Kind::Manual, &r.id, "once"),
                    title: r
                        .note
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .chars()
                        .take(200)
                        .collect(),
                    body: (r.note.contains('\n') || r.note.chars().count() > 200)
                        .then(|| r.note.clone()),
                    record: match (&r.activity_id, &r.customer_id) {
                        (Some(a), _) => Some(("activity", a.clone())),
                        (None, Some(c)) => Some(("customer", c.clone())),
                        _ => None,
                    },
                    customer_id: r.customer_id.clone(),
                    due_at: r.remind_at,
                    // the user's own words: nothing to translate
                    params: None,
                })
                .collect();
            self.deliver(out, &people)?;
            // only after its notification exists: a node dying in between leaves it due
            for r in &due {
                reminders::mark_fired(self.c, &r.id, self.now)?;
            }
            if (due.len() as i64) < BATCH {
                return Ok(());
            }
        }
    }

    /// The names of the live customers and the owners, of activities.
    fn customers_and_owners<'a>(
        &mut self,
        pairs: impl Iterator<Item = (&'a String, &'a String)>,
    ) -> QueryResult<(HashMap<String, String>, HashMap<String, Recipient>)> {
        let (customers, owners): (Vec<String>, Vec<String>) =
            pairs.map(|(c, o)| (c.clone(), o.clone())).unzip();
        Ok((
            reminders::live_customer_names(self.c, &dedup(customers))?,
            preferences::recipients(self.c, &dedup(owners))?,
        ))
    }

    fn activities_due(&mut self) -> QueryResult<()> {
        // an all-day activity's day starts at most 14 hours before its stored midnight
        let from = self.now - Duration::days(GRACE_DAYS);
        let to = self.now + Duration::days(1);
        let rows = reminders::open_due(self.c, from, to)?;
        let (names, people) =
            self.customers_and_owners(rows.iter().map(|r| (&r.customer_id, &r.owner_id)))?;
        let mut out = Vec::new();
        for r in rows {
            let (Some(p), Some(customer)) = (people.get(&r.owner_id), names.get(&r.customer_id))
            else {
                continue;
            };
            let due = db::to_seconds(r.due_at);
            let alert = rules::activity_alert_at(due, r.all_day, &zone::named(&p.prefs.time_zone));
            if !rules::alert_due(alert, self.at) {
                continue;
            }
            let what = r
                .subject
                .clone()
                .unwrap_or_else(|| kind_label(&r.kind).to_owned());
            let when = if r.all_day {
                format!("on {}", due.date())
            } else {
                format!("at {}", db::to_utc(r.due_at).format("%Y-%m-%d %H:%M UTC"))
            };
            let params = Params {
                customer: Some(customer.clone()),
                subject: r.subject.clone(),
                activity_kind: Some(r.kind.clone()),
                on: r.all_day.then(|| due.date().to_string()),
                at: (!r.all_day).then(|| db::to_utc(r.due_at)),
                ..Params::default()
            };
            out.push(Candidate {
                params: Some(params),
                user_id: r.owner_id.clone(),
                kind: Kind::ActivityDue,
                // a new due time is a new occurrence
                key: rules::key(Kind::ActivityDue, &r.id, &due.0.to_string()),
                title: format!("Due: {what} – {customer} {when}"),
                body: None,
                record: Some(("activity", r.id)),
                customer_id: Some(r.customer_id),
                due_at: r.due_at,
            });
        }
        self.deliver(out, &people)
    }

    fn follow_ups(&mut self) -> QueryResult<()> {
        let (lo, hi) = rules::candidate_range(self.today_utc(), 0);
        let rows = reminders::follow_ups(self.c, &lo.to_string(), &hi.to_string())?;
        let (names, people) =
            self.customers_and_owners(rows.iter().map(|r| (&r.customer_id, &r.owner_id)))?;
        let mut out = Vec::new();
        for r in rows {
            let (Some(p), Some(customer), Ok(on)) = (
                people.get(&r.owner_id),
                names.get(&r.customer_id),
                Date::parse("next_follow_up_on", &r.on),
            ) else {
                continue;
            };
            if !rules::date_due(on, 0, self.local_today(p)) {
                continue;
            }
            let after = r
                .subject
                .clone()
                .unwrap_or_else(|| kind_label(&r.kind).to_owned());
            out.push(Candidate {
                user_id: r.owner_id.clone(),
                kind: Kind::FollowUp,
                key: rules::key(Kind::FollowUp, &r.id, &on.to_string()),
                title: format!("Follow up: {customer} on {on}"),
                body: Some(format!("After: {after}")),
                params: Some(Params {
                    customer: Some(customer.clone()),
                    on: Some(on.to_string()),
                    subject: r.subject.clone(),
                    activity_kind: Some(r.kind.clone()),
                    ..Params::default()
                }),
                record: Some(("customer", r.customer_id.clone())),
                customer_id: Some(r.customer_id),
                due_at: db::from_seconds(rules::start_of_day(on, &zone::named(&p.prefs.time_zone))),
            });
        }
        self.deliver(out, &people)
    }

    /// Makes the candidates that are wanted and not made yet.
    fn deliver(
        &mut self,
        all: Vec<Candidate>,
        people: &HashMap<String, Recipient>,
    ) -> QueryResult<()> {
        if all.is_empty() {
            return Ok(());
        }
        let users = dedup(all.iter().map(|x| x.user_id.clone()).collect());
        let keys: Vec<String> = all.iter().map(|x| x.key.clone()).collect();
        let made: HashSet<(String, String)> = store::existing(self.c, &users, &keys)?
            .into_iter()
            .collect();
        for x in all {
            let Some(p) = people.get(&x.user_id) else {
                continue;
            };
            if !p.prefs.wants(x.kind) || made.contains(&(x.user_id.clone(), x.key.clone())) {
                continue;
            }
            let email = self.mail && p.prefs.email;
            if !p.prefs.in_app && !email {
                continue;
            }
            let email_after = email.then(|| {
                let z = zone::named(&p.prefs.time_zone);
                let at = match p.prefs.quiet_hours {
                    Some(q) => q.next_allowed(&z, self.at),
                    None => self.at,
                };
                if at == self.at {
                    self.now
                } else {
                    db::from_seconds(at)
                }
            });
            let n = New {
                user_id: x.user_id,
                kind: x.kind.as_str(),
                key: x.key,
                title: x.title,
                body: x.body,
                record: x.record,
                customer_id: x.customer_id,
                due_at: x.due_at,
                params: x.params,
                shown: p.prefs.in_app,
                email_after,
            };
            if store::insert_once(self.c, &n, self.now)? {
                self.made += 1;
            }
        }
        Ok(())
    }
}

/// An activity's kind as English words, for titles.
pub fn kind_label(kind: &str) -> &str {
    match kind {
        "call" => "Call",
        "visit" => "Visit",
        "meeting" => "Meeting",
        "email" => "E-mail",
        "task" => "Task",
        "note" => "Note",
        other => other,
    }
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// How far back the rules look, for documentation and tests.
pub const CATCH_UP_DAYS: i64 = GRACE_DAYS;
