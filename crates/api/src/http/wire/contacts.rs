//! Contacts on the wire: the person, their ways of reaching them, and the
//! channels they refused.

use super::customers::UserRef;
use crate::http::extract::double_option;
use crate::repo::contacts::ContactRow;
use chrono::{DateTime, Utc};
use kehu_domain::contact::RawContact;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactOut {
    pub id: String,
    pub customer_id: String,
    #[schema(example = "王小明")]
    pub name: String,
    #[schema(example = "采购经理")]
    pub title: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub notes: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub version: i64,
    /// 勿扰: channels this contact must not be reached by, with who set each
    /// and when. Whatever calls, e-mails, texts or posts to a contact honours them.
    pub do_not_contact: Vec<DoNotContactOut>,
    /// `YYYY-MM-DD`, or `--MM-DD` when the year is not known. The customer's
    /// owner is reminded on the day in their own time zone (29 February on
    /// the 28th in other years).
    #[schema(example = "--07-14")]
    pub birthday: Option<String>,
}

/// A channel the contact must not be reached by.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"channel": "call", "set_by": {"id": "0193a5c8-0000-7000-8000-000000000002", "display_name": "陈东"}, "api_key_id": null, "set_at": "2026-11-30T08:00:00Z"}))]
pub struct DoNotContactOut {
    pub channel: Channel,
    pub set_by: Option<UserRef>,
    /// Set when the mark came through an API key.
    pub api_key_id: Option<String>,
    pub set_at: String,
}

/// A way of reaching a contact.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Call,
    Email,
    Sms,
    Mail,
}

impl From<kehu_domain::contact::Channel> for Channel {
    fn from(c: kehu_domain::contact::Channel) -> Self {
        use kehu_domain::contact::Channel as D;
        match c {
            D::Call => Channel::Call,
            D::Email => Channel::Email,
            D::Sms => Channel::Sms,
            D::Mail => Channel::Mail,
        }
    }
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Mail => "mail",
        }
    }
}

fn channel_names(v: Option<Vec<Channel>>) -> Option<Vec<String>> {
    v.map(|cs| cs.into_iter().map(|c| c.as_str().to_owned()).collect())
}

impl From<ContactRow> for ContactOut {
    fn from(r: ContactRow) -> Self {
        let do_not_contact = r
            .marks()
            .into_iter()
            .map(|m| DoNotContactOut {
                channel: m.channel.into(),
                set_by: m.by.user_id.map(|id| UserRef {
                    id,
                    display_name: m.by.user_name.unwrap_or_default(),
                }),
                api_key_id: m.by.api_key_id,
                set_at: m.by.at,
            })
            .collect();
        Self {
            do_not_contact,
            birthday: r.birthday,
            id: r.id,
            customer_id: r.customer_id,
            name: r.name,
            title: r.title,
            phones: super::strings(&r.phones),
            emails: super::strings(&r.emails),
            notes: r.notes,
            created_by: r.created_by,
            created_at: super::time(r.created_at),
            updated_by: r.updated_by,
            updated_at: super::time(r.updated_at),
            deleted_at: r.deleted_at.map(super::time),
            version: r.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactPage {
    pub data: Vec<ContactOut>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "王小明", "title": "采购经理", "phones": ["13800138000"], "emails": ["wang@example.com"]}))]
pub struct ContactCreate {
    pub name: String,
    pub title: Option<String>,
    pub phones: Option<Vec<String>>,
    pub emails: Option<Vec<String>>,
    pub notes: Option<String>,
    /// Channels the contact must not be reached by (勿扰).
    pub do_not_contact: Option<Vec<Channel>>,
    /// `YYYY-MM-DD`, or `--MM-DD` without the year.
    #[schema(example = "1985-07-14")]
    pub birthday: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactUpdate {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub title: Option<Option<String>>,
    pub phones: Option<Vec<String>>,
    pub emails: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    /// The channels the contact must not be reached by, replacing the set:
    /// marks already set keep who set them and when.
    pub do_not_contact: Option<Vec<Channel>>,
    /// `YYYY-MM-DD`, or `--MM-DD` without the year; null clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, example = "--07-14")]
    pub birthday: Option<Option<String>>,
}

impl From<ContactCreate> for RawContact {
    fn from(b: ContactCreate) -> Self {
        RawContact {
            name: Some(b.name),
            title: b.title.map(Some),
            phones: b.phones,
            emails: b.emails,
            notes: b.notes.map(Some),
            birthday: b.birthday.map(Some),
            do_not_contact: channel_names(b.do_not_contact),
            by: Default::default(),
        }
    }
}

impl From<ContactUpdate> for RawContact {
    fn from(b: ContactUpdate) -> Self {
        RawContact {
            name: b.name,
            title: b.title,
            phones: b.phones,
            emails: b.emails,
            notes: b.notes,
            birthday: b.birthday,
            do_not_contact: channel_names(b.do_not_contact),
            by: Default::default(),
        }
    }
}
