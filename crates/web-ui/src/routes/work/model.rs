//! What the work screens read from and send to the API (see the wire
//! contract in docs/API.md: activities, timeline, my day, notifications).

use serde::{Deserialize, Serialize};

use crate::api::{ApiError, Call};
use crate::components::customers::model::Allowed;
use crate::i18n::I18n;
use crate::session::Session;

/// A user (`display_name` on the wire), contact or team (`name`) as records name them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Ref {
    pub id: String,
    #[serde(default, alias = "display_name")]
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Place {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Activity {
    pub id: String,
    pub customer_id: String,
    #[serde(default)]
    pub customer_name: String,
    pub kind: String,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub contact: Option<Ref>,
    #[serde(default)]
    pub owner: Option<Ref>,
    #[serde(default)]
    pub participants: Vec<Ref>,
    #[serde(default)]
    pub due_at: Option<String>,
    #[serde(default)]
    pub all_day: bool,
    #[serde(default)]
    pub done_at: Option<String>,
    /// `open`, `done` or `overdue`.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub place: Option<Place>,
    #[serde(default)]
    pub next_follow_up_on: Option<String>,
    #[serde(default)]
    pub created_by: Option<Ref>,
    #[serde(default)]
    pub version: i64,
    /// Only single activities say; lists leave it out.
    #[serde(default)]
    pub allowed: Option<Allowed>,
}

impl Activity {
    pub fn etag(&self) -> String {
        format!("\"{}\"", self.version)
    }

    pub fn is_open(&self) -> bool {
        self.done_at.is_none()
    }

    /// Whether `me` may change it: as the API says, or in a list (where it
    /// does not say) when it is theirs; the API still decides on the write.
    pub fn may_update(&self, me: &str) -> bool {
        match self.allowed {
            Some(a) => a.update,
            None => self.owner.as_ref().is_some_and(|o| o.id == me),
        }
    }
}

/// The body of a new activity or of a change to one. `None` leaves a field
/// out; on a change every optional field is sent, `null` clearing it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ActivityBody {
    pub kind: String,
    pub subject: Option<String>,
    pub notes: Option<String>,
    pub contact_id: Option<String>,
    /// Absent: unchanged; `Some(None)`: cleared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_at: Option<Option<String>>,
    pub all_day: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_at: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done: Option<bool>,
    pub outcome: Option<String>,
    pub place: Option<Place>,
    pub next_follow_up_on: Option<String>,
}

#[derive(Serialize)]
struct DoneNow {
    done: bool,
}

/// Marks an open activity done now.
pub async fn mark_done(session: Session, a: &Activity) -> Result<Activity, ApiError> {
    let call = Call::patch(
        format!("/activities/{}", a.id),
        &a.etag(),
        &DoneNow { done: true },
    );
    session
        .send_versioned::<Activity>(&call)
        .await
        .map(|v| v.data)
}

/// A deal's step on the customer's timeline.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DealStep {
    pub opportunity_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub from_stage: Option<String>,
    /// A default stage's key (`identify` … `lost`), named in the reader's language.
    #[serde(default)]
    pub from_stage_key: Option<String>,
    #[serde(default)]
    pub to_stage: String,
    #[serde(default)]
    pub to_stage_key: Option<String>,
    #[serde(default)]
    pub to_kind: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StageChange {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OwnerChange {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub from: Option<Ref>,
    #[serde(default)]
    pub to: Option<Ref>,
    #[serde(default)]
    pub to_team: Option<Ref>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Merge {
    #[serde(default)]
    pub merged_name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Import {
    #[serde(default)]
    pub file_name: String,
    #[serde(default)]
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Change {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TimelineEntry {
    pub id: String,
    pub kind: String,
    pub at: String,
    #[serde(default)]
    pub person: Option<Ref>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub activity: Option<Activity>,
    #[serde(default)]
    pub stage_change: Option<StageChange>,
    #[serde(default)]
    pub owner_change: Option<OwnerChange>,
    #[serde(default)]
    pub merge: Option<Merge>,
    #[serde(default)]
    pub import: Option<Import>,
    #[serde(default)]
    pub change: Option<Change>,
    #[serde(default)]
    pub deal: Option<DealStep>,
}

/// What a notification points at.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Record {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Notification {
    pub id: String,
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub record: Option<Record>,
    #[serde(default)]
    pub customer_id: Option<String>,
    #[serde(default)]
    pub due_at: Option<String>,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub read_at: Option<String>,
    #[serde(default)]
    pub params: Option<NotificationParams>,
}

/// What a notification's title is made of (see docs/API.md).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct NotificationParams {
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub activity_kind: Option<String>,
    #[serde(default)]
    pub age: Option<u32>,
}

impl Notification {
    /// The title and body in the reader's language, worded from the kind
    /// and what it is made of; the server's English where the kind is not
    /// one the app knows, or the notification predates `params`.
    pub fn wording(&self, i18n: I18n) -> (String, Option<String>) {
        let server = || (self.title.clone(), self.body.clone());
        let Some(p) = &self.params else {
            return server();
        };
        let lang = i18n.lang().code();
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let day =
            p.on.as_deref()
                .map(|d| crate::time::date_label(d, lang))
                .unwrap_or_default();
        let what = || {
            p.subject
                .clone()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| i18n.t(&format!("activity-kind-{}", s(&p.activity_kind))))
        };
        let args = |extra: &[(&'static str, String)]| {
            let mut a: Vec<(&str, fluent_bundle::FluentValue<'static>)> = vec![
                ("customer", s(&p.customer).into()),
                ("date", day.clone().into()),
            ];
            a.extend(extra.iter().map(|(k, v)| (*k, v.clone().into())));
            a
        };
        match self.kind.as_str() {
            k @ ("renewal" | "maintenance") => (
                i18n.t_args(&format!("notification-title-{k}"), &args(&[])),
                None,
            ),
            "birthday" => (
                i18n.t_args(
                    "notification-title-birthday",
                    &args(&[("contact", s(&p.contact))]),
                ),
                p.age
                    .map(|a| i18n.t_args("notification-body-birthday", &[("age", a.into())])),
            ),
            "activity_due" => {
                let when = match &p.at {
                    Some(at) => crate::time::date_time(at, lang),
                    None => day.clone(),
                };
                (
                    i18n.t_args(
                        "notification-title-activity_due",
                        &args(&[("what", what()), ("when", when)]),
                    ),
                    None,
                )
            }
            "follow_up" => (
                i18n.t_args("notification-title-follow_up", &args(&[])),
                Some(i18n.t_args("notification-body-follow_up", &[("what", what().into())])),
            ),
            _ => server(),
        }
    }

    /// The app's address of the record it is about.
    pub fn href(&self) -> Option<String> {
        let r = self.record.as_ref();
        match r.map(|r| r.kind.as_str()) {
            Some("activity") => r.map(|r| format!("/activities/{}", r.id)),
            Some("customer") => r.map(|r| format!("/customers/{}", r.id)),
            _ => self.customer_id.as_ref().map(|c| format!("/customers/{c}")),
        }
    }
}

/// Marks a notification read.
pub async fn mark_read(session: Session, id: &str) -> Result<(), ApiError> {
    session
        .send(&post_empty(format!("/notifications/{id}/read")))
        .await
}

/// A POST without a body (an action on a record).
pub fn post_empty(path: String) -> Call {
    let mut c = Call::get(path);
    c.method = gloo_net::http::Method::POST;
    c
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecentCustomer {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Day {
    pub date: String,
    #[serde(default)]
    pub today: Vec<Activity>,
    #[serde(default)]
    pub overdue: Vec<Activity>,
    #[serde(default)]
    pub follow_ups: Vec<Activity>,
    #[serde(default)]
    pub reminders: Vec<Notification>,
    #[serde(default)]
    pub recent_customers: Vec<RecentCustomer>,
}

/// The part of a customer the work screens show.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CustomerName {
    pub id: String,
    pub name: String,
}

/// A customer's contact, to link an activity to.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ContactName {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
}
