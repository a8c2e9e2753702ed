//! What the work screens read from and send to the API (see the wire
//! contract in docs/API.md: activities, timeline, my day, notifications).

use serde::{Deserialize, Serialize};

use crate::api::{ApiError, Call};
use crate::components::customers::model::Allowed;
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
    #[serde(default)]
    pub to_stage: String,
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
}

impl Notification {
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
