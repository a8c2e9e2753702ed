//! A person at a customer whom the company deals with.

use crate::error::{Collector, FieldError, Invalid};
use crate::remind::Birthday;
use crate::text::{self, Email, Phone};
use serde::{Deserialize, Serialize};

/// A way of reaching a contact that they may refuse (勿扰).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Call,
    Email,
    Sms,
    Mail,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Call, Channel::Email, Channel::Sms, Channel::Mail];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Mail => "mail",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Who marks a channel as not to be used, and when (UTC, RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DncBy {
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub api_key_id: Option<String>,
    pub at: String,
}

/// One channel the contact must not be reached by, with who set it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DncMark {
    pub channel: Channel,
    #[serde(flatten)]
    pub by: DncBy,
}

/// Whether `ch` may be used to reach a contact with these marks. Everything
/// that calls, mails or messages a contact asks this first.
pub fn may_contact(marks: &[DncMark], ch: Channel) -> bool {
    !marks.iter().any(|m| m.channel == ch)
}

/// The channels as sent, each once, in a stable order.
fn parse_channels(c: &mut Collector, raw: &[String]) -> Vec<Channel> {
    let mut out = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        match Channel::parse(s) {
            Some(ch) if !out.contains(&ch) => out.push(ch),
            Some(_) => {}
            None => c.push(FieldError::new(
                format!("do_not_contact[{i}]"),
                "invalid_choice",
                "must be one of: call, email, sms, mail",
            )),
        }
    }
    out.sort();
    out
}

/// The marks for `wanted`: those already set keep who set them and when;
/// new ones are set by `by`.
pub fn mark(existing: &[DncMark], wanted: &[Channel], by: &DncBy) -> Vec<DncMark> {
    wanted
        .iter()
        .map(|ch| {
            existing
                .iter()
                .find(|m| m.channel == *ch)
                .cloned()
                .unwrap_or_else(|| DncMark {
                    channel: *ch,
                    by: by.clone(),
                })
        })
        .collect()
}

pub const MAX_PHONES: usize = 10;
pub const MAX_EMAILS: usize = 10;

/// A contact as sent; `None` = not sent, `Some(None)` = clear.
#[derive(Debug, Clone, Default)]
pub struct RawContact {
    pub name: Option<String>,
    pub title: Option<Option<String>>,
    pub phones: Option<Vec<String>>,
    pub emails: Option<Vec<String>>,
    pub notes: Option<Option<String>>,
    /// The channels the contact must not be reached by (replaces the set).
    pub do_not_contact: Option<Vec<String>>,
    /// `YYYY-MM-DD`, or `--MM-DD` without the year; null clears it.
    pub birthday: Option<Option<String>>,
    /// Who is changing the contact, for newly set do-not-contact marks.
    pub by: DncBy,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    pub name: String,
    pub title: Option<String>,
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
    pub notes: Option<String>,
    pub do_not_contact: Vec<DncMark>,
    pub birthday: Option<Birthday>,
}

impl Contact {
    pub fn create(raw: RawContact) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        if raw.name.is_none() {
            c.push(FieldError::new("name", "required", "is required"));
        }
        Contact::default().patch_into(raw, c)
    }

    pub fn patch(&self, raw: RawContact) -> Result<Self, Invalid> {
        self.patch_into(raw, Collector::new())
    }

    fn patch_into(&self, raw: RawContact, mut c: Collector) -> Result<Self, Invalid> {
        let mut next = self.clone();
        if let Some(n) = raw.name.as_deref()
            && let Some(n) = c.take(text::required("name", n, text::NAME_MAX))
        {
            next.name = n;
        }
        if let Some(t) = &raw.title {
            next.title = c
                .take(text::optional("title", t.as_deref(), text::SHORT_MAX))
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
        if let Some(p) = &raw.phones {
            next.phones = c
                .take(text::list(
                    "phones",
                    p,
                    MAX_PHONES,
                    Phone::parse,
                    Phone::key,
                ))
                .unwrap_or_default();
        }
        if let Some(e) = &raw.emails {
            next.emails = c
                .take(text::list(
                    "emails",
                    e,
                    MAX_EMAILS,
                    Email::parse,
                    Email::key,
                ))
                .unwrap_or_default();
        }
        if let Some(b) = &raw.birthday {
            next.birthday = match b.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(b) => c.take(Birthday::parse("birthday", b)),
            };
        }
        if let Some(d) = &raw.do_not_contact {
            let wanted = parse_channels(&mut c, d);
            next.do_not_contact = mark(&self.do_not_contact, &wanted, &raw.by);
        }
        c.finish()?;
        Ok(next)
    }

    pub fn search_text(&self) -> String {
        text::search_text(&self.name, &self.phones, &self.emails)
    }

    /// The fields its history shows.
    pub fn audit_fields(&self) -> crate::audit::Fields {
        use crate::audit::list;
        vec![
            ("name", Some(self.name.clone())),
            ("title", self.title.clone()),
            (
                "phones",
                list(&self.phones.iter().map(|p| p.as_str()).collect::<Vec<_>>()),
            ),
            (
                "emails",
                list(&self.emails.iter().map(|e| e.as_str()).collect::<Vec<_>>()),
            ),
            ("notes", self.notes.clone()),
            (
                "do_not_contact",
                list(
                    &self
                        .do_not_contact
                        .iter()
                        .map(|m| m.channel.as_str())
                        .collect::<Vec<_>>(),
                ),
            ),
            ("birthday", self.birthday.map(|b| b.to_string())),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthday_with_or_without_year_and_cleared_by_null() {
        let c = Contact::create(RawContact {
            name: Some("王芳".into()),
            birthday: Some(Some("--02-29".into())),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            c.birthday.map(|b| b.to_string()).as_deref(),
            Some("--02-29")
        );
        let e = c
            .patch(RawContact {
                birthday: Some(Some("1990-02-30".into())),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "birthday");
        let cleared = c
            .patch(RawContact {
                birthday: Some(None),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(cleared.birthday, None);
    }

    #[test]
    fn a_contact_needs_a_name() {
        let e = Contact::create(RawContact::default()).unwrap_err();
        assert_eq!(e.0[0].field, "name");
        let c = Contact::create(RawContact {
            name: Some("王小明".into()),
            phones: Some(vec!["13800138000".into()]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.name, "王小明");
    }

    #[test]
    fn a_missing_name_and_a_bad_email_are_both_reported() {
        let e = Contact::create(RawContact {
            emails: Some(vec!["nope".into()]),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "emails[0]"]);
    }

    fn by(who: &str, at: &str) -> DncBy {
        DncBy {
            user_id: Some(who.into()),
            at: at.into(),
            ..Default::default()
        }
    }

    #[test]
    fn do_not_contact_marks_keep_who_set_them_and_when() {
        let c = Contact::create(RawContact {
            name: Some("王小明".into()),
            do_not_contact: Some(vec!["call".into(), "sms".into(), "call".into()]),
            by: by("u1", "2026-11-01T00:00:00Z"),
            ..Default::default()
        })
        .unwrap();
        let chans: Vec<Channel> = c.do_not_contact.iter().map(|m| m.channel).collect();
        assert_eq!(chans, [Channel::Call, Channel::Sms]);
        assert!(!may_contact(&c.do_not_contact, Channel::Call));
        assert!(may_contact(&c.do_not_contact, Channel::Email));

        // a later edit adds e-mail and drops SMS: the call mark is the first one still
        let later = c
            .patch(RawContact {
                do_not_contact: Some(vec!["email".into(), "call".into()]),
                by: by("u2", "2026-11-30T00:00:00Z"),
                ..Default::default()
            })
            .unwrap();
        let marks: Vec<(Channel, &str)> = later
            .do_not_contact
            .iter()
            .map(|m| (m.channel, m.by.user_id.as_deref().unwrap()))
            .collect();
        assert_eq!(marks, [(Channel::Call, "u1"), (Channel::Email, "u2")]);
        // an edit that does not send the list leaves it alone
        let same = later.patch(RawContact::default()).unwrap();
        assert_eq!(same.do_not_contact, later.do_not_contact);
    }

    #[test]
    fn an_unknown_channel_is_named() {
        let e = Contact::create(RawContact {
            name: Some("x".into()),
            do_not_contact: Some(vec!["fax".into()]),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.0[0].field, "do_not_contact[0]");
        assert_eq!(e.0[0].code, "invalid_choice");
    }
}
