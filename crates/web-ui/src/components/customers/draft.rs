//! A customer being written: the form's values, the checks the client can do
//! itself (with the domain's own rules), and the JSON sent to the API.

use kehu_domain::Invalid;
use kehu_domain::text::{self, Email};
use leptos::prelude::*;
use serde_json::{Map, Value, json};

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
    pub notes: RwSignal<String>,
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
            notes: RwSignal::new(String::new()),
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
        self.notes.set(opt(&c.notes));
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
    pub fn body(&self, sections: &[Section], create: bool, may_assign: bool) -> Value {
        let mut m = Map::new();
        let opt = |s: RwSignal<String>| {
            let v = s.get_untracked().trim().to_owned();
            if v.is_empty() { Value::Null } else { json!(v) }
        };
        if sections.contains(&Section::Profile) {
            m.insert("name".into(), json!(self.name.get_untracked().trim()));
            m.insert("kind".into(), json!(self.kind.get_untracked()));
            m.insert("lifecycle_stage".into(), json!(self.stage.get_untracked()));
            m.insert("industry".into(), opt(self.industry));
            m.insert("source".into(), opt(self.source));
            let region = opt(self.region);
            if !(create && region.is_null()) {
                m.insert("region_id".into(), region);
            }
            m.insert(
                "product_line_ids".into(),
                json!(self.product_lines.get_untracked()),
            );
            let tags: Vec<String> = self
                .tags
                .get_untracked()
                .split([',', '，'])
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect();
            m.insert("tags".into(), json!(tags));
            let owner = self.owner.get_untracked();
            if may_assign && !owner.is_empty() {
                let v = if owner == "none" {
                    Value::Null
                } else {
                    json!(owner)
                };
                m.insert("owner_id".into(), v);
            }
        }
        if sections.contains(&Section::Reach) {
            m.insert("phones".into(), json!(compact(self.phones)));
            m.insert("emails".into(), json!(compact(self.emails)));
            m.insert("address".into(), opt(self.address));
        }
        if sections.contains(&Section::Notes) {
            m.insert("notes".into(), opt(self.notes));
        }
        Value::Object(m)
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
