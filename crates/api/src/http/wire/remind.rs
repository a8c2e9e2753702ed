//! Notifications, reminders set by hand, preferences and the calendar feed on the wire.

use crate::repo::notifications::{NotificationRow, Params};
use crate::repo::reminders::ReminderRow;
use chrono::{DateTime, Utc};
use kehu_domain::remind::{Kind, Preferences};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// What a notification is about.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"type": "contact", "id": "0193a5c8-7d10-7c3e-9a41-2f6b1c0d9e80"}))]
pub struct RecordRef {
    /// `customer`, `contact` or `activity`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

/// What a notification's title is made of, so a screen can word it in its
/// reader's language. Which fields are set depends on `kind`: `renewal` and
/// `maintenance`: `customer`, `on`; `birthday`: `contact`, `customer`, `on`,
/// `age` when the year of birth is known; `activity_due`: `customer`,
/// `activity_kind`, `subject` if it has one, and `on` (all-day) or `at`;
/// `follow_up`: `customer`, `on`, and the `activity_kind` and `subject` of the
/// activity it follows.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"customer": "上海华联超市有限公司", "contact": "王芳", "on": "2026-12-01", "age": 41}))]
pub struct NotificationParams {
    /// The customer's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// The contact's name (birthdays).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The day it is about, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "2026-12-01")]
    pub on: Option<String>,
    /// A timed activity's due time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    /// The activity's subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The activity's kind: `call`, `visit`, `meeting`, `email`, `task` or `note`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_kind: Option<String>,
    /// The age a contact turns (birthdays with a year).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
}

impl From<Params> for NotificationParams {
    fn from(p: Params) -> Self {
        Self {
            customer: p.customer,
            contact: p.contact,
            on: p.on,
            at: p.at,
            subject: p.subject,
            activity_kind: p.activity_kind,
            age: p.age,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a5c8-7d10-7c3e-9a41-2f6b1c0d9e81", "kind": "birthday", "title": "Birthday: 王芳 (上海华联超市有限公司) on 2026-12-01", "body": "Turns 41.", "params": {"customer": "上海华联超市有限公司", "contact": "王芳", "on": "2026-12-01", "age": 41}, "record": {"type": "contact", "id": "0193a5c8-7d10-7c3e-9a41-2f6b1c0d9e80"}, "customer_id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f60", "due_at": "2026-11-30T16:00:00Z", "created_at": "2026-11-30T16:00:05Z", "read_at": null}))]
pub struct NotificationOut {
    pub id: String,
    /// `birthday`, `follow_up`, `renewal`, `maintenance`, `manual` or `activity_due`.
    pub kind: String,
    /// One line in English for API users; screens may build their own from `kind` and `record`.
    pub title: String,
    pub body: Option<String>,
    /// What `title` and `body` are made of, to word them in the reader's
    /// language; null for reminders set by hand (their title is the user's
    /// own note) and for notifications made before this field existed.
    pub params: Option<NotificationParams>,
    /// The record to open.
    pub record: Option<RecordRef>,
    pub customer_id: Option<String>,
    /// When the thing it is about is due (a date's start in the user's zone).
    pub due_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<NotificationRow> for NotificationOut {
    fn from(r: NotificationRow) -> Self {
        Self {
            params: r.params().map(NotificationParams::from),
            record: match (r.record_type, r.record_id) {
                (Some(kind), Some(id)) => Some(RecordRef { kind, id }),
                _ => None,
            },
            id: r.id,
            kind: r.kind,
            title: r.title,
            body: r.body,
            customer_id: r.customer_id,
            due_at: super::time(r.due_at),
            created_at: super::time(r.created_at),
            read_at: r.read_at.map(super::time),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationPage {
    pub data: Vec<NotificationOut>,
    pub next_cursor: Option<String>,
    /// The caller's unread notifications (all of them, not only this page's).
    #[schema(example = 3)]
    pub unread_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"count": 3}))]
pub struct UnreadCount {
    pub count: i64,
}

/// A reminder to set for oneself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"remind_at": "2026-12-01T01:30:00Z", "note": "给王总回电话，确认报价", "customer_id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f60"}))]
pub struct ReminderCreate {
    /// When (UTC, RFC 3339); at most a few minutes in the past.
    #[schema(value_type = String, format = DateTime)]
    pub remind_at: String,
    /// What to be reminded of; 1 to 2000 characters, the first line is its title.
    pub note: String,
    /// A customer it is about; the caller must be able to read it.
    pub customer_id: Option<String>,
    /// An activity it is about; the caller must be able to read its customer.
    pub activity_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a5c8-7d10-7c3e-9a41-2f6b1c0d9e82", "remind_at": "2026-12-01T01:30:00Z", "note": "给王总回电话，确认报价", "customer_id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f60", "activity_id": null, "fired_at": null}))]
pub struct ReminderOut {
    pub id: String,
    pub remind_at: DateTime<Utc>,
    pub note: String,
    pub customer_id: Option<String>,
    pub activity_id: Option<String>,
    /// When its notification was made; null while it is upcoming.
    pub fired_at: Option<DateTime<Utc>>,
}

impl From<ReminderRow> for ReminderOut {
    fn from(r: ReminderRow) -> Self {
        Self {
            id: r.id,
            remind_at: super::time(r.remind_at),
            note: r.note,
            customer_id: r.customer_id,
            activity_id: r.activity_id,
            fired_at: r.fired_at.map(super::time),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderPage {
    pub data: Vec<ReminderOut>,
    pub next_cursor: Option<String>,
}

/// Hours in the user's zone when no e-mail is sent (it waits until they end).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"start": "22:00", "end": "08:00"}))]
pub struct QuietHoursWire {
    /// `HH:MM`
    pub start: String,
    /// `HH:MM`; may be earlier than `start` (the hours wrap midnight).
    pub end: String,
}

/// What the user wants to be told, how and when.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"time_zone": "Asia/Shanghai", "in_app": true, "email": true, "quiet_hours": {"start": "22:00", "end": "08:00"}, "kinds": {"birthday": true, "follow_up": true, "renewal": true, "maintenance": true, "manual": true, "activity_due": true}, "birthday_days_before": 0, "renewal_days_before": 30, "maintenance_days_before": 7}))]
pub struct PreferencesOut {
    /// IANA time zone: the user's days, quiet hours and all-day items are in it.
    pub time_zone: String,
    /// Notifications in the app (the bell).
    pub in_app: bool,
    /// Notifications by e-mail (when the server has SMTP configured).
    pub email: bool,
    pub quiet_hours: Option<QuietHoursWire>,
    /// Every kind, on or off: `birthday`, `follow_up`, `renewal`, `maintenance`, `manual`, `activity_due`.
    #[schema(value_type = Object)]
    pub kinds: BTreeMap<String, bool>,
    /// Days ahead a contact's birthday is announced (0 to 30; 0 = on the day).
    pub birthday_days_before: u16,
    /// Days ahead a customer's renewal date is announced (0 to 365).
    pub renewal_days_before: u16,
    /// Days ahead a customer's maintenance date is announced (0 to 365).
    pub maintenance_days_before: u16,
}

impl From<Preferences> for PreferencesOut {
    fn from(p: Preferences) -> Self {
        Self {
            kinds: Kind::ALL
                .into_iter()
                .map(|k| (k.as_str().to_owned(), p.wants(k)))
                .collect(),
            time_zone: p.time_zone,
            in_app: p.in_app,
            email: p.email,
            quiet_hours: p.quiet_hours.map(|q| QuietHoursWire {
                start: q.start.to_string(),
                end: q.end.to_string(),
            }),
            birthday_days_before: p.birthday_days_before,
            renewal_days_before: p.renewal_days_before,
            maintenance_days_before: p.maintenance_days_before,
        }
    }
}

/// A change of preferences: fields not sent stay as they are; `quiet_hours: null` turns them off.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"time_zone": "Europe/Berlin", "email": false, "quiet_hours": null, "kinds": {"birthday": false}, "renewal_days_before": 60}))]
pub struct PreferencesUpdate {
    pub time_zone: Option<String>,
    pub in_app: Option<bool>,
    pub email: Option<bool>,
    #[serde(default, deserialize_with = "crate::http::extract::double_option")]
    pub quiet_hours: Option<Option<QuietHoursWire>>,
    /// Kinds to switch on or off; kinds not named stay as they are.
    #[schema(value_type = Option<Object>)]
    pub kinds: Option<BTreeMap<String, bool>>,
    pub birthday_days_before: Option<i64>,
    pub renewal_days_before: Option<i64>,
    pub maintenance_days_before: Option<i64>,
}

impl From<PreferencesUpdate> for kehu_domain::remind::prefs::RawPreferences {
    fn from(b: PreferencesUpdate) -> Self {
        Self {
            time_zone: b.time_zone,
            in_app: b.in_app,
            email: b.email,
            quiet_hours: b.quiet_hours.map(|q| q.map(|q| (q.start, q.end))),
            kinds: b.kinds.unwrap_or_default().into_iter().collect(),
            birthday_days_before: b.birthday_days_before,
            renewal_days_before: b.renewal_days_before,
            maintenance_days_before: b.maintenance_days_before,
        }
    }
}

/// The user's calendar subscription.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"active": true, "url": null, "created_at": "2026-11-30T08:00:00Z"}))]
pub struct CalendarOut {
    pub active: bool,
    /// Only the answer to POST carries the address: the server keeps a hash
    /// of its secret, not the secret. Null here.
    pub url: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"url": "https://crm.example.com/api/v1/calendar/6Jp3mQ0rZ5yX8kV1uT9wB2nC4dF7gH0aL3sE6iO9pR1.ics"}))]
pub struct CalendarCreated {
    /// The subscription address (webcal clients take it as is); keep it secret.
    pub url: String,
}
