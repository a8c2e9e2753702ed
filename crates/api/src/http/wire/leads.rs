//! Leads, assignment rules and web forms on the wire.

use super::time;
use crate::http::extract::double_option;
use crate::repo::leads::LeadRow;
use crate::repo::leads::forms::FormRow;
use crate::repo::leads::rules::RuleRow;
use chrono::{DateTime, Utc};
use kehu_domain::lead::RawLead;
use kehu_domain::lead::score::Score;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a lead stands in qualification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatusWire {
    New,
    Contacted,
    Qualified,
    Unqualified,
    Converted,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "王经理", "company": "上海某某机械有限公司", "phone": "13800138000", "email": "wang@example.com", "industry": "制造业", "source": "referral", "campaign": "2026 秋季展会"}))]
pub struct LeadCreate {
    /// The person who enquired; at most 200 characters.
    pub name: String,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub industry: Option<String>,
    pub region_id: Option<String>,
    pub product_line_id: Option<String>,
    /// A source key such as `referral`, `web_form`, `import`, `event`; default `manual`.
    #[schema(example = "referral")]
    pub source: Option<String>,
    pub campaign: Option<String>,
    pub notes: Option<String>,
    /// Give the lead to this user instead of running the assignment rules.
    pub owner_id: Option<String>,
}

impl From<LeadCreate> for RawLead {
    fn from(b: LeadCreate) -> Self {
        RawLead {
            name: Some(b.name),
            company: Some(b.company),
            phone: Some(b.phone),
            email: Some(b.email),
            industry: Some(b.industry),
            region_id: Some(b.region_id),
            product_line_id: Some(b.product_line_id),
            source: b.source,
            campaign: Some(b.campaign),
            notes: Some(b.notes),
        }
    }
}

/// A partial change: fields not sent stay; `null` clears.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "contacted", "phone": "13900139000"}))]
pub struct LeadUpdate {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub company: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub industry: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub region_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub product_line_id: Option<Option<String>>,
    pub source: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub campaign: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    /// new, contacted, qualified or unqualified; converted is reached only by converting.
    pub status: Option<LeadStatusWire>,
    /// Hand the lead to this user; `null` puts it back in its team's queue.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub owner_id: Option<Option<String>>,
    /// The queue (team) the lead waits in while it has no owner.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub team_id: Option<Option<String>>,
}

impl LeadUpdate {
    pub fn raw(&self) -> RawLead {
        RawLead {
            name: self.name.clone(),
            company: self.company.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            industry: self.industry.clone(),
            region_id: self.region_id.clone(),
            product_line_id: self.product_line_id.clone(),
            source: self.source.clone(),
            campaign: self.campaign.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// One rule's contribution to the score.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"rule": "source", "points": 25, "value": "referral", "reason": "source referral is worth 25"}))]
pub struct ScorePartOut {
    /// Stable key: `completeness.company`, `completeness.phone`, `completeness.email`,
    /// `completeness.industry`, `completeness.region`, `source`, `industry`,
    /// `engagement.activities`, `engagement.form_submissions`.
    pub rule: String,
    pub points: u8,
    /// What the rule looked at (a source, an industry, a count).
    pub value: Option<String>,
    /// Readable English explanation; screens translate by `rule`.
    pub reason: String,
}

/// What a user may do with a lead now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeadAllowed {
    pub update: bool,
    pub delete: bool,
    /// Convert it: it is open and the caller may change it.
    pub convert: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadOut {
    pub id: String,
    pub name: String,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub industry: Option<String>,
    pub region_id: Option<String>,
    pub product_line_id: Option<String>,
    pub source: String,
    pub campaign: Option<String>,
    pub notes: Option<String>,
    pub status: LeadStatusWire,
    /// 0 to 100.
    pub score: i32,
    /// How the score came about, rule by rule (on single-lead answers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_parts: Option<Vec<ScorePartOut>>,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    /// The queue (team) it waits in while unowned, else its owner's team.
    pub team_id: Option<String>,
    pub partner_id: Option<String>,
    /// The web form it came in through.
    pub form_id: Option<String>,
    /// The assignment rule that placed it.
    pub rule_id: Option<String>,
    pub form_submissions: i32,
    pub converted_customer_id: Option<String>,
    pub converted_contact_id: Option<String>,
    pub converted_opportunity_id: Option<String>,
    pub converted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<LeadAllowed>,
}

fn status_wire(s: kehu_domain::lead::LeadStatus) -> LeadStatusWire {
    use kehu_domain::lead::LeadStatus as S;
    match s {
        S::New => LeadStatusWire::New,
        S::Contacted => LeadStatusWire::Contacted,
        S::Qualified => LeadStatusWire::Qualified,
        S::Unqualified => LeadStatusWire::Unqualified,
        S::Converted => LeadStatusWire::Converted,
    }
}

impl LeadStatusWire {
    pub fn domain(self) -> kehu_domain::lead::LeadStatus {
        use kehu_domain::lead::LeadStatus as S;
        match self {
            LeadStatusWire::New => S::New,
            LeadStatusWire::Contacted => S::Contacted,
            LeadStatusWire::Qualified => S::Qualified,
            LeadStatusWire::Unqualified => S::Unqualified,
            LeadStatusWire::Converted => S::Converted,
        }
    }
}

impl LeadOut {
    pub fn new(r: LeadRow, owner_name: Option<String>) -> Self {
        Self {
            status: status_wire(r.status()),
            id: r.id,
            name: r.name,
            company: r.company,
            phone: r.phone,
            email: r.email,
            industry: r.industry,
            region_id: r.region_id,
            product_line_id: r.product_line_id,
            source: r.source,
            campaign: r.campaign,
            notes: r.notes,
            score: r.score,
            score_parts: None,
            owner_id: r.owner_id,
            owner_name,
            team_id: r.team_id,
            partner_id: r.partner_id,
            form_id: r.form_id,
            rule_id: r.rule_id,
            form_submissions: r.form_submissions,
            converted_customer_id: r.converted_customer_id,
            converted_contact_id: r.converted_contact_id,
            converted_opportunity_id: r.converted_opportunity_id,
            converted_at: r.converted_at.map(time),
            created_at: time(r.created_at),
            updated_at: time(r.updated_at),
            version: r.version,
            allowed: None,
        }
    }

    pub fn with_score(mut self, s: Score) -> Self {
        self.score = i32::from(s.total);
        self.score_parts = Some(
            s.parts
                .into_iter()
                .map(|p| ScorePartOut {
                    rule: p.rule.to_owned(),
                    points: p.points,
                    value: p.value,
                    reason: p.reason,
                })
                .collect(),
        );
        self
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadPage {
    pub data: Vec<LeadOut>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// Customer part of a conversion.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertCustomer {
    /// Name of the new customer; default: the lead's company, else its name.
    pub name: Option<String>,
    /// Attach to this existing customer instead of creating one.
    pub existing_customer_id: Option<String>,
    /// Create the customer although it looks like an existing one: why (recorded).
    pub duplicate_reason: Option<String>,
}

/// Opportunity part of a conversion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertOpportunity {
    pub name: String,
    /// Integer minor units (分).
    pub amount_minor: i64,
    #[schema(example = "CNY")]
    pub currency: String,
    /// `YYYY-MM-DD`.
    #[schema(example = "2027-03-31")]
    pub expected_close_on: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"customer": {"name": "上海某某机械有限公司"}, "contact": true}))]
pub struct LeadConvert {
    #[serde(default)]
    pub customer: ConvertCustomer,
    /// Also make the lead's person a contact of the customer (default true).
    pub contact: Option<bool>,
    pub opportunity: Option<ConvertOpportunity>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadConverted {
    pub lead: LeadOut,
    pub customer_id: String,
    /// Whether the customer was created now (false: attached to an existing one).
    pub customer_created: bool,
    pub contact_id: Option<String>,
    pub opportunity_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadImported {
    /// How many leads were created.
    pub created: usize,
    /// Their ids, in file order.
    pub ids: Vec<String>,
}

/// An assignment rule as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"position": 10, "region_id": null, "industry": "制造业", "method": "round_robin", "user_ids": ["u1", "u2"], "capacity": 30, "fallback_team_id": null}))]
pub struct RuleBody {
    /// Rules are tried in ascending position; 0 to 10000.
    pub position: Option<i64>,
    /// Only leads of this region.
    pub region_id: Option<String>,
    /// Only leads of this industry (case-insensitive).
    pub industry: Option<String>,
    /// Only leads of this product line.
    pub product_line_id: Option<String>,
    /// `round_robin` (default) or `least_loaded`.
    pub method: Option<String>,
    /// The candidates; or give `team_id` to offer the team's active members.
    #[serde(default)]
    pub user_ids: Vec<String>,
    pub team_id: Option<String>,
    /// Most open leads a candidate may hold; null = no limit.
    pub capacity: Option<i64>,
    /// The queue a lead waits in when no candidate has room; default the rule's
    /// team, else the default queue.
    pub fallback_team_id: Option<String>,
    /// Default true.
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleOut {
    pub id: String,
    pub position: i32,
    pub region_id: Option<String>,
    pub industry: Option<String>,
    pub product_line_id: Option<String>,
    /// `round_robin` or `least_loaded`.
    pub method: String,
    pub user_ids: Vec<String>,
    pub team_id: Option<String>,
    pub capacity: Option<i32>,
    pub fallback_team_id: Option<String>,
    pub active: bool,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<RuleRow> for RuleOut {
    fn from(r: RuleRow) -> Self {
        Self {
            user_ids: r.user_ids(),
            method: r.method().as_str().to_owned(),
            id: r.id,
            position: r.position,
            region_id: r.region_id,
            industry: r.industry,
            product_line_id: r.product_line_id,
            team_id: r.team_id,
            capacity: r.capacity,
            fallback_team_id: r.fallback_team_id,
            active: r.active,
            updated_at: time(r.updated_at),
            version: r.version,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "官网咨询表单", "source": "web_form", "campaign": "2026 官网", "team_id": null, "active": true, "allowed_origins": ["https://www.example.com"]}))]
pub struct FormCreate {
    pub name: String,
    /// Source key of the leads it makes; default `web_form`.
    pub source: Option<String>,
    pub campaign: Option<String>,
    /// The team whose queue its leads wait in when no assignment rule places them.
    pub team_id: Option<String>,
    /// Default true.
    pub active: Option<bool>,
    /// The sites (origins: scheme, host, port) whose pages may post to it
    /// from a browser; at most 20. Empty or left out: any site.
    #[serde(default)]
    #[schema(example = json!(["https://www.example.com"]))]
    pub allowed_origins: Vec<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormUpdate {
    pub name: Option<String>,
    pub source: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub campaign: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub team_id: Option<Option<String>>,
    pub active: Option<bool>,
    /// Replaces the list of sites that may post to it; `[]`: any site.
    pub allowed_origins: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormOut {
    pub id: String,
    pub name: String,
    pub source: String,
    pub campaign: Option<String>,
    pub team_id: Option<String>,
    pub active: bool,
    /// The sites whose pages may post to it, as origins; empty: any site.
    pub allowed_origins: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
    /// Only in the answer to its creation: the secret token and the address
    /// to post submissions to. Only a hash is kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submit_url: Option<String>,
}

impl From<FormRow> for FormOut {
    fn from(r: FormRow) -> Self {
        let allowed_origins = r.origins();
        Self {
            id: r.id,
            name: r.name,
            source: r.source,
            campaign: r.campaign,
            team_id: r.team_id,
            active: r.active,
            allowed_origins,
            created_at: time(r.created_at),
            version: r.version,
            token: None,
            submit_url: None,
        }
    }
}

/// A public web-form submission (JSON or form-urlencoded).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"name": "李女士", "company": "杭州某某科技", "phone": "13700137000", "email": "li@example.com", "message": "想了解报价", "consent": true}))]
pub struct FormSubmission {
    pub name: Option<String>,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub industry: Option<String>,
    /// Stored as the lead's notes.
    pub message: Option<String>,
    /// Must be true: the visitor agreed to be contacted.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub consent: Option<bool>,
    /// Leave empty: a field hidden from people, which only robots fill in.
    pub website: Option<String>,
}

/// `true`, `"true"`, `"on"`, `"1"`, `"yes"` from a form or JSON.
fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Sent {
        Flag(bool),
        Text(String),
        Number(i64),
    }
    Ok(match Option::<Sent>::deserialize(d)? {
        None => None,
        Some(Sent::Flag(b)) => Some(b),
        Some(Sent::Number(n)) => Some(n == 1),
        Some(Sent::Text(s)) => Some(matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "true" | "on" | "1" | "yes"
        )),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormAccepted {
    /// Always true: the submission was received.
    pub accepted: bool,
}

/// The lead score's weights. Each group has a ceiling (completeness 40 in
/// all, source 25, industry 15, engagement 20); fields left out keep their
/// default.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"company": 10, "phone": 10, "email": 10, "industry_known": 5, "region": 5, "sources": {"referral": 25, "web_form": 15, "import": 5}, "other_source": 5, "industries": {"制造业": 15}, "per_activity": 4, "activities_max": 12, "per_submission": 4, "submissions_max": 8}))]
pub struct ScoreRulesBody {
    pub company: Option<u8>,
    pub phone: Option<u8>,
    pub email: Option<u8>,
    pub industry_known: Option<u8>,
    pub region: Option<u8>,
    /// Points per source key (0 to 25).
    pub sources: Option<std::collections::BTreeMap<String, u8>>,
    /// Points for sources not listed.
    pub other_source: Option<u8>,
    /// Points per target industry (0 to 15), matched case-insensitively.
    pub industries: Option<std::collections::BTreeMap<String, u8>>,
    pub per_activity: Option<u8>,
    pub activities_max: Option<u8>,
    pub per_submission: Option<u8>,
    pub submissions_max: Option<u8>,
}

impl ScoreRulesBody {
    pub fn into_rules(self) -> kehu_domain::lead::score::ScoreRules {
        let d = kehu_domain::lead::score::ScoreRules::default();
        kehu_domain::lead::score::ScoreRules {
            company: self.company.unwrap_or(d.company),
            phone: self.phone.unwrap_or(d.phone),
            email: self.email.unwrap_or(d.email),
            industry_known: self.industry_known.unwrap_or(d.industry_known),
            region: self.region.unwrap_or(d.region),
            sources: self.sources.unwrap_or(d.sources),
            other_source: self.other_source.unwrap_or(d.other_source),
            industries: self.industries.unwrap_or(d.industries),
            per_activity: self.per_activity.unwrap_or(d.per_activity),
            activities_max: self.activities_max.unwrap_or(d.activities_max),
            per_submission: self.per_submission.unwrap_or(d.per_submission),
            submissions_max: self.submissions_max.unwrap_or(d.submissions_max),
        }
    }

    pub fn of(r: kehu_domain::lead::score::ScoreRules) -> Self {
        Self {
            company: Some(r.company),
            phone: Some(r.phone),
            email: Some(r.email),
            industry_known: Some(r.industry_known),
            region: Some(r.region),
            sources: Some(r.sources),
            other_source: Some(r.other_source),
            industries: Some(r.industries),
            per_activity: Some(r.per_activity),
            activities_max: Some(r.activities_max),
            per_submission: Some(r.per_submission),
            submissions_max: Some(r.submissions_max),
        }
    }
}
