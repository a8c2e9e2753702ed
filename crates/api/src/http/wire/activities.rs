//! Activities, the customer timeline and "my day" on the wire.

use super::customers::{Allowed, UserRef};
use crate::http::extract::double_option;
use crate::repo::activities::ActivityRecord;
use chrono::{DateTime, Utc};
use kehu_domain::activity::{Place, RawActivity};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What kind of interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Call,
    Visit,
    Meeting,
    Email,
    Task,
    Note,
}

impl ActivityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Visit => "visit",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Email => "email",
            ActivityKind::Task => "task",
            ActivityKind::Note => "note",
        }
    }
}

/// Where a visit or meeting took place: a label, coordinates, or both.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"label": "上海市浦东新区世纪大道 100 号", "lat": 31.2397, "lon": 121.4998}))]
pub struct PlaceBody {
    pub label: Option<String>,
    /// Degrees, -90 to 90; given together with `lon`.
    pub lat: Option<f64>,
    /// Degrees, -180 to 180; given together with `lat`.
    pub lon: Option<f64>,
}

impl From<PlaceBody> for Place {
    fn from(p: PlaceBody) -> Self {
        Place {
            label: p.label,
            lat: p.lat,
            lon: p.lon,
        }
    }
}

impl From<Place> for PlaceBody {
    fn from(p: Place) -> Self {
        PlaceBody {
            label: p.label,
            lat: p.lat,
            lon: p.lon,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "visit", "subject": "季度回访", "done": true, "outcome": "客户同意试用新型号", "next_follow_up_on": "2026-12-07", "place": {"label": "客户总部"}}))]
pub struct ActivityCreate {
    pub kind: ActivityKind,
    /// At most 200 characters; screens show the kind when it is empty.
    pub subject: Option<String>,
    pub notes: Option<String>,
    /// A live contact of this customer.
    pub contact_id: Option<String>,
    /// An active user; default: the caller.
    pub owner_id: Option<String>,
    /// Other users taking part, at most 50.
    pub participant_ids: Option<Vec<String>>,
    /// When it is planned. With `all_day`, only its date counts
    /// (send `YYYY-MM-DDT00:00:00Z`).
    pub due_at: Option<DateTime<Utc>>,
    pub all_day: Option<bool>,
    /// When it happened; absent means it is still to be done. Not in the future.
    pub done_at: Option<DateTime<Utc>>,
    /// Done now (ignored when `done_at` is given).
    pub done: Option<bool>,
    #[schema(max_length = 2000)]
    pub outcome: Option<String>,
    pub place: Option<PlaceBody>,
    /// The day to follow up on, `YYYY-MM-DD`.
    #[schema(example = "2026-12-07")]
    pub next_follow_up_on: Option<String>,
}

/// Any field of an activity; `null` clears an optional one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"done": true, "outcome": "已报价"}))]
pub struct ActivityUpdate {
    pub kind: Option<ActivityKind>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub subject: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub contact_id: Option<Option<String>>,
    pub owner_id: Option<String>,
    pub participant_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub due_at: Option<Option<DateTime<Utc>>>,
    pub all_day: Option<bool>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub done_at: Option<Option<DateTime<Utc>>>,
    /// `true`: done now; `false`: open again.
    pub done: Option<bool>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub outcome: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<PlaceBody>)]
    pub place: Option<Option<PlaceBody>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub next_follow_up_on: Option<Option<String>>,
}

fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

impl From<ActivityCreate> for RawActivity {
    fn from(b: ActivityCreate) -> Self {
        RawActivity {
            kind: Some(b.kind.as_str().to_owned()),
            subject: b.subject.map(Some),
            notes: b.notes.map(Some),
            contact_id: b.contact_id.map(Some),
            owner_id: b.owner_id,
            participant_ids: b.participant_ids,
            due_at: b.due_at.map(|t| Some(micros(t))),
            all_day: b.all_day,
            done_at: b.done_at.map(|t| Some(micros(t))),
            done: b.done,
            outcome: b.outcome.map(Some),
            place: b.place.map(|p| Some(p.into())),
            next_follow_up_on: b.next_follow_up_on.map(Some),
        }
    }
}

impl From<ActivityUpdate> for RawActivity {
    fn from(b: ActivityUpdate) -> Self {
        RawActivity {
            kind: b.kind.map(|k| k.as_str().to_owned()),
            subject: b.subject,
            notes: b.notes,
            contact_id: b.contact_id,
            owner_id: b.owner_id,
            participant_ids: b.participant_ids,
            due_at: b.due_at.map(|t| t.map(micros)),
            all_day: b.all_day,
            done_at: b.done_at.map(|t| t.map(micros)),
            done: b.done,
            outcome: b.outcome,
            place: b.place.map(|p| p.map(Into::into)),
            next_follow_up_on: b.next_follow_up_on,
        }
    }
}

/// A contact or customer named in an answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedRef {
    pub id: String,
    pub name: String,
}

/// Open (to do), done, or overdue (open and past due; an all-day item
/// once its day is over in the caller's time zone).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    Open,
    Done,
    Overdue,
}

impl From<kehu_domain::activity::Status> for ActivityStatus {
    fn from(s: kehu_domain::activity::Status) -> Self {
        use kehu_domain::activity::Status as S;
        match s {
            S::Open => ActivityStatus::Open,
            S::Done => ActivityStatus::Done,
            S::Overdue => ActivityStatus::Overdue,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5c8-7d10-7c3e-9a41-2f6b1c0d9e70", "customer_id": "0193a5c8-7d10-7c3e-9a41-2f6b1c0d9e77",
    "customer_name": "上海华联超市", "kind": "visit", "subject": "季度回访", "notes": null,
    "contact": {"id": "0193a5c8-7d10-7c3e-9a41-2f6b1c0d9e78", "name": "王小明"},
    "owner": {"id": "0193a5c8-0000-7000-8000-000000000002", "display_name": "陈东"}, "participants": [],
    "due_at": null, "all_day": false, "done_at": "2026-11-30T06:00:00Z", "status": "done",
    "outcome": "客户同意试用新型号", "place": {"label": "客户总部", "lat": null, "lon": null},
    "next_follow_up_on": "2026-12-07",
    "created_by": {"id": "0193a5c8-0000-7000-8000-000000000002", "display_name": "陈东"},
    "created_at": "2026-11-30T06:01:00Z", "updated_at": "2026-11-30T06:01:00Z", "version": 1,
    "allowed": {"update": true, "delete": true}}))]
pub struct ActivityOut {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub kind: ActivityKind,
    pub subject: Option<String>,
    pub notes: Option<String>,
    pub contact: Option<NamedRef>,
    pub owner: UserRef,
    pub participants: Vec<UserRef>,
    pub due_at: Option<DateTime<Utc>>,
    /// `due_at` is a date: show its UTC date, in no time zone.
    pub all_day: bool,
    pub done_at: Option<DateTime<Utc>>,
    pub status: ActivityStatus,
    pub outcome: Option<String>,
    pub place: Option<PlaceBody>,
    pub next_follow_up_on: Option<String>,
    pub created_by: Option<UserRef>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// What the caller may do with it now (absent in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Allowed>,
}

impl ActivityOut {
    /// The answer for `r`, its status as seen at `now` (microseconds) from a
    /// zone `offset` seconds east of UTC.
    pub fn new(r: ActivityRecord, now: i64, offset: i64) -> Self {
        let d = r.to_domain();
        let person = |id: &str| UserRef {
            id: id.to_owned(),
            display_name: r.names.get(id).cloned().unwrap_or_default(),
        };
        let kind = match d.kind {
            kehu_domain::activity::Kind::Call => ActivityKind::Call,
            kehu_domain::activity::Kind::Visit => ActivityKind::Visit,
            kehu_domain::activity::Kind::Meeting => ActivityKind::Meeting,
            kehu_domain::activity::Kind::Email => ActivityKind::Email,
            kehu_domain::activity::Kind::Task => ActivityKind::Task,
            kehu_domain::activity::Kind::Note => ActivityKind::Note,
        };
        let row = &r.row;
        ActivityOut {
            id: row.id.clone(),
            customer_id: row.customer_id.clone(),
            customer_name: r.customer_name.clone(),
            kind,
            subject: row.subject.clone(),
            notes: row.notes.clone(),
            contact: match (&row.contact_id, &r.contact_name) {
                (Some(id), Some(name)) => Some(NamedRef {
                    id: id.clone(),
                    name: name.clone(),
                }),
                _ => None,
            },
            owner: person(&row.owner_id),
            participants: r.participant_ids.iter().map(|p| person(p)).collect(),
            due_at: row.due_at.map(super::time),
            all_day: row.all_day,
            done_at: row.done_at.map(super::time),
            status: d.status(now, offset).into(),
            outcome: row.outcome.clone(),
            place: d.place.map(Into::into),
            next_follow_up_on: row.next_follow_up_on.clone(),
            created_by: row.created_by.as_deref().map(person),
            created_at: super::time(row.created_at),
            updated_at: super::time(row.updated_at),
            version: row.version,
            allowed: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityPage {
    pub data: Vec<ActivityOut>,
    pub next_cursor: Option<String>,
}

/// What a timeline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    Activity,
    StageChange,
    OwnerChange,
    Merge,
    Import,
    Change,
    /// A deal with the customer created, moved, won, lost or reopened.
    Deal,
}

/// A deal's step on the customer's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineDeal {
    pub opportunity_id: String,
    pub name: String,
    /// `null` when the deal was created.
    #[schema(example = "Identify")]
    pub from_stage: Option<String>,
    /// The key of the stage left, for a default stage (`identify`, `qualify`,
    /// `plan`, `proposal`, `won`, `lost`), so a screen can name it in the
    /// reader's language; `null` for stages a company added, and on creation.
    #[schema(example = "identify")]
    pub from_stage_key: Option<String>,
    #[schema(example = "Qualify")]
    pub to_stage: String,
    /// The key of the stage entered, for a default stage (see `from_stage_key`).
    #[schema(example = "qualify")]
    pub to_stage_key: Option<String>,
    /// `open`, `won` or `lost`: the kind of the stage entered.
    pub to_kind: String,
}

/// A lifecycle stage change on the timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineStageChange {
    pub from: String,
    pub to: String,
    pub reason: Option<String>,
    pub automatic: bool,
}

/// An owner change on the timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineOwnerChange {
    /// assign, claim, release, recycle, transfer or merge.
    pub kind: String,
    pub from: Option<UserRef>,
    pub to: Option<UserRef>,
    /// The team whose pool it went to.
    pub to_team: Option<NamedRef>,
    pub reason: Option<String>,
}

/// Another customer merged into this one (or this one into another).
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineMerge {
    /// The fields the merge changed, by name.
    pub fields: Vec<String>,
}

/// A row of an import created or updated the record.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineImport {
    pub import_id: String,
    /// customer or contact.
    pub entity: String,
    /// create or update.
    pub action: String,
}

/// A change to the customer or one of its contacts, field by field.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineChange {
    /// customer or contact.
    pub entity: String,
    pub entity_id: String,
    /// create, update, delete or restore.
    pub action: String,
    pub fields: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "activity:0193a5c8-7d10-7c3e-9a41-2f6b1c0d9e70", "kind": "activity", "at": "2026-11-30T06:00:00Z",
    "person": {"id": "0193a5c8-0000-7000-8000-000000000002", "display_name": "陈东"}, "summary": "Visit: 季度回访"}))]
pub struct TimelineEntry {
    /// `<source>:<id>`, unique within the timeline.
    pub id: String,
    pub kind: TimelineKind,
    pub at: DateTime<Utc>,
    /// Who did it; null when Kehu did it by itself.
    pub person: Option<UserRef>,
    /// One line in English, for API clients without their own wording.
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage_change: Option<TimelineStageChange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_change: Option<TimelineOwnerChange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge: Option<TimelineMerge>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<TimelineImport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<TimelineChange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deal: Option<TimelineDeal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelinePage {
    pub data: Vec<TimelineEntry>,
    pub next_cursor: Option<String>,
}

/// A customer the user worked on lately.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecentCustomer {
    pub id: String,
    pub name: String,
    pub at: DateTime<Utc>,
}

/// A user's day: what is due, what is late, what to follow up, what was touched.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyDay {
    #[schema(example = "2026-11-30")]
    pub date: String,
    #[schema(example = "Asia/Shanghai")]
    pub time_zone: String,
    /// Activities due that day that the user owns or takes part in, in time order.
    pub today: Vec<ActivityOut>,
    /// The user's open activities due before that day, oldest first.
    pub overdue: Vec<ActivityOut>,
    /// The user's activities whose follow-up day has come, with nothing
    /// logged or planned on the customer since.
    pub follow_ups: Vec<ActivityOut>,
    /// Customers the user logged an activity on or changed lately, newest first.
    pub recent_customers: Vec<RecentCustomer>,
    /// The user's unread notifications (birthdays, renewals, reminders…), newest first.
    pub reminders: Vec<super::remind::NotificationOut>,
}
