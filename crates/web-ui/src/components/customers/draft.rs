//! A customer being written: the form's values, the checks the client can do
//! itself (with the domain's own rules), and the JSON sent to the API.

use kehu_domain::Invalid;
use kehu_domain::text::{self, Email};
use leptos::prelude::*;
use serde::Serialize;

use super::model::Customer;
use crate::api::{ApiError, FieldProblem};

/// Parts of a customer edited together on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Profile,
    Reach,
    Notes,
}

#[derive(Debug, Clone, Copy)]
pub struct Draft {
    pub name: RwSignal<String>,
    pub kind: RwSignal<String>,
    pub stage: RwSignal<String>,
    pub industry: RwSignal<String>,
    pub source: RwSignal<String>,
    pub region: RwSignal<String>,
    /// "" = me (unchanged on edit), "none" = the company pool, else a user id.
    pub owner: RwSignal<String>,
    pub product_lines: RwSignal<Vec<String>>,
    /// Comma-separated, as typed.
    pub tags: RwSignal<String>,
    pub phones: RwSignal<Vec<String>>,
    pub emails: RwSignal<Vec<String>>,
    pub address: RwSignal<String>,
    pub renewal_on: RwSignal<String>,
    pub maintenance_on: RwSignal<String>,
    pub notes: RwSignal<String>,
    /// Why the stage changes (edits only; some moves need one).
    pub stage_reason: RwSignal<String>,
}

impl Draft {
    pub fn new() -> Self {
        Self {
            name: RwSignal::new(String::new()),
            kind: RwSignal::new("company".into()),
            stage: RwSignal::new("prospect".into()),
            industry: RwSignal::new(String::new()),
            source: RwSignal::new(String::new()),
            region: RwSignal::new(String::new()),
            owner: RwSignal::new(String::new()),
            product_lines: RwSignal::new(Vec::new()),
            tags: RwSignal::new(String::new()),
            phones: RwSignal::new(vec![String::new()]),
            emails: RwSignal::new(vec![String::new()]),
            address: RwSignal::new(String::new()),
            renewal_on: RwSignal::new(String::new()),
            maintenance_on: RwSignal::new(String::new()),
            notes: RwSignal::new(String::new()),
            stage_reason: RwSignal::new(String::new()),
        }
    }

    /// Fills the form with a customer's current values.
    pub fn load(&self, c: &Customer) {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let list = |v: &Vec<String>| {
            if v.is_empty() {
                vec![String::new()]
            } else {
                v.clone()
            }
        };
        self.name.set(c.name.clone());
        self.kind.set(c.kind.clone());
        self.stage.set(c.lifecycle_stage.clone());
        self.industry.set(opt(&c.industry));
        self.source.set(opt(&c.source));
        self.region.set(opt(&c.region_id));
        self.owner
            .set(c.owner_id.clone().unwrap_or_else(|| "none".into()));
        self.product_lines.set(c.product_line_ids.clone());
        self.tags.set(c.tags.join(", "));
        self.phones.set(list(&c.phones));
        self.emails.set(list(&c.emails));
        self.address.set(opt(&c.address));
        self.renewal_on.set(opt(&c.renewal_on));
        self.maintenance_on.set(opt(&c.maintenance_on));
        self.notes.set(opt(&c.notes));
        self.stage_reason.set(String::new());
    }

    /// What the client can check itself: a name, and e-mail addresses (the
    /// server checks everything again, phones included).
    pub fn check(&self, sections: &[Section]) -> Option<ApiError> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<(), Invalid>| {
            if let Err(Invalid(es)) = r {
                errors.extend(es.into_iter().map(|e| FieldProblem {
                    field: e.field,
                    code: e.code.to_owned(),
                    message: e.message,
                }));
            }
        };
        if sections.contains(&Section::Profile) {
            keep(text::required("name", &self.name.get_untracked(), text::NAME_MAX).map(drop));
        }
        if sections.contains(&Section::Reach) {
            for (i, e) in compact(self.emails).iter().enumerate() {
                keep(Email::parse(&format!("emails[{i}]"), e).map(drop));
            }
        }
        (!errors.is_empty()).then(|| ApiError::invalid(errors))
    }

    /// The body of a POST (`create`) or PATCH of the given sections.
    pub fn body(&self, sections: &[Section], create: bool, may_assign: bool) -> Body {
        let mut b = Body::default();
        let opt = |s: RwSignal<String>| {
            let v = s.get_untracked().trim().to_owned();
            Some((!v.is_empty()).then_some(v))
        };
        if sections.contains(&Section::Profile) {
            b.name = Some(self.name.get_untracked().trim().to_owned());
            b.kind = Some(self.kind.get_untracked());
            b.lifecycle_stage = Some(self.stage.get_untracked());
            b.industry = opt(self.industry);
            b.source = opt(self.source);
            b.renewal_on = opt(self.renewal_on);
            b.maintenance_on = opt(self.maintenance_on);
            // a new customer without a region simply has none
            b.region_id = opt(self.region).filter(|r| !(create && r.is_none()));
            b.product_line_ids = Some(self.product_lines.get_untracked());
            b.tags = Some(
                self.tags
                    .get_untracked()
                    .split([',', '，'])
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .collect(),
            );
            if !create {
                b.lifecycle_reason = opt(self.stage_reason).flatten();
            }
            let owner = self.owner.get_untracked();
            if may_assign && !owner.is_empty() {
                b.owner_id = Some((owner != "none").then_some(owner));
            }
        }
        if sections.contains(&Section::Reach) {
            b.phones = Some(compact(self.phones));
            b.emails = Some(compact(self.emails));
            b.address = opt(self.address);
        }
        if sections.contains(&Section::Notes) {
            b.notes = opt(self.notes);
        }
        b
    }
}

/// What the customer forms send. A field left out (`None`) is not sent and so
/// not changed; `Some(None)` sends `null`, which clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lifecycle_stage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    industry: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region_id: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_line_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner_id: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phones: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    emails: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    renewal_on: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    maintenance_on: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<Option<String>>,
    /// Sent with every edit that has one; the API reads it only when the stage changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    lifecycle_reason: Option<String>,
    /// Saves although the API said it looks like an existing customer: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_reason: Option<String>,
}

impl Body {
    /// Only the fields whose value differs from `before`: an edit sends what
    /// the user changed, so it does not overwrite others' changes to the rest.
    pub fn changed_since(mut self, before: &Body) -> Body {
        macro_rules! keep_changed {
            ($($f:ident),*) => {$(
                if self.$f == before.$f {
                    self.$f = None;
                }
            )*};
        }
        keep_changed!(
            name,
            kind,
            lifecycle_stage,
            industry,
            source,
            region_id,
            product_line_ids,
            tags,
            owner_id,
            phones,
            emails,
            address,
            renewal_on,
            maintenance_on,
            notes
        );
        self
    }

    pub fn is_empty(&self) -> bool {
        *self == Body::default()
    }
}

/// Drops empty rows, so the API's `phones[i]` match the inputs shown.
pub fn compact(list: RwSignal<Vec<String>>) -> Vec<String> {
    let kept: Vec<String> = list
        .get_untracked()
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    list.set(if kept.is_empty() {
        vec![String::new()]
    } else {
        kept.clone()
    });
    kept
}
