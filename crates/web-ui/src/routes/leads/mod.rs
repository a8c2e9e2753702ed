//! Leads (销售线索): the list with its queues, a new lead, one lead with its
//! score explained rule by rule, status changes and conversion, and the
//! setup of web forms and assignment rules. Its own wasm module (see
//! `src/bin/leads.rs`), so the other screens do not carry it.

pub mod detail;
pub mod list;
pub mod new;
mod rules;
pub mod scoring;
pub mod setup;

use leptos::prelude::*;
use serde::Deserialize;

use crate::i18n::I18n;

/// The statuses a lead may be set to by hand (converted comes from converting).
pub const STATUSES: [&str; 4] = ["new", "contacted", "qualified", "unqualified"];

/// Source keys offered when a lead is entered by hand.
pub const SOURCES: [&str; 7] = [
    "manual",
    "referral",
    "event",
    "web_form",
    "partner",
    "cold_call",
    "import",
];

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Lead {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub industry: Option<String>,
    pub source: String,
    #[serde(default)]
    pub campaign: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    pub status: String,
    pub score: i32,
    #[serde(default)]
    pub score_parts: Vec<ScorePart>,
    #[serde(default)]
    pub owner_name: Option<String>,
    #[serde(default)]
    pub team_id: Option<String>,
    #[serde(default)]
    pub converted_customer_id: Option<String>,
    #[serde(default)]
    pub converted_opportunity_id: Option<String>,
    #[serde(default)]
    pub allowed: Option<Allowed>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ScorePart {
    pub rule: String,
    pub points: i32,
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
pub struct Allowed {
    pub update: bool,
    pub delete: bool,
    pub convert: bool,
}

/// A status, in the reader's language.
pub fn status_label(i18n: I18n, s: &str) -> String {
    i18n.try_t(&format!("lead-status-{s}"))
        .unwrap_or_else(|| s.to_owned())
}

/// A source key, in the reader's language where it is a known one.
pub fn source_label(i18n: I18n, s: &str) -> String {
    i18n.try_t(&format!("lead-source-{s}"))
        .unwrap_or_else(|| s.to_owned())
}

/// The status as a badge.
pub fn status_badge(i18n: I18n, s: &str) -> impl IntoView + use<> {
    view! { <span class=format!("act-status lead-status lead-status--{s}") data-testid="lead-status">{status_label(i18n, s)}</span> }
}
