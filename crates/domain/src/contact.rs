//! A person at a customer whom the company deals with.

use crate::error::{Collector, FieldError, Invalid};
use crate::text::{self, Email, Phone};

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
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    pub name: String,
    pub title: Option<String>,
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
    pub notes: Option<String>,
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
        c.finish()?;
        Ok(next)
    }

    pub fn search_text(&self) -> String {
        text::search_text(&self.name, &self.phones, &self.emails)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
