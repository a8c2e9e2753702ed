//! What the sales screens read from and send to the API: pipelines and
//! their stages, opportunities (商机) and their details, the board, the
//! forecast, quotas and rep performance (see docs/API.md).

use serde::{Deserialize, Serialize};

use crate::api::{ApiError, Call, Versioned};
use crate::i18n::I18n;
use crate::session::Session;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ChecklistItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub label: String,
    pub required: bool,
    #[serde(default, skip_serializing)]
    pub position: i32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Stage {
    /// Absent for a stage added in the settings and not yet saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing)]
    pub position: i32,
    /// `open`, `won` or `lost`.
    pub kind: String,
    pub probability: u8,
    /// `pipeline`, `best_case`, `commit`, `closed` or `omitted`.
    pub forecast_category: String,
    #[serde(default)]
    pub stale_after_days: Option<u32>,
    #[serde(default)]
    pub checklist: Vec<ChecklistItem>,
    /// The default pipeline's stages: `identify` … `lost`, shown translated.
    #[serde(default, skip_serializing)]
    pub key: Option<String>,
}

impl Stage {
    pub fn id(&self) -> &str {
        self.id.as_deref().unwrap_or_default()
    }

    pub fn is_open(&self) -> bool {
        self.kind == "open"
    }

    /// The name in the reader's language for the default stages, else (and
    /// once renamed) as stored.
    pub fn label(&self, i18n: I18n) -> String {
        stage_name(i18n, self.key.as_deref(), &self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Pipeline {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub team_id: Option<String>,
    #[serde(default)]
    pub product_line_id: Option<String>,
    #[serde(default)]
    pub is_default: bool,
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub stages: Vec<Stage>,
}

impl Pipeline {
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id() == id)
    }

    pub fn open_stages(&self) -> impl Iterator<Item = &Stage> {
        self.stages.iter().filter(|s| s.is_open())
    }

    /// The label of checklist item `id`, in whichever stage it is.
    pub fn item_label(&self, id: &str) -> Option<String> {
        self.stages
            .iter()
            .flat_map(|s| s.checklist.iter())
            .find(|c| c.id.as_deref() == Some(id))
            .map(|c| c.label.clone())
    }

    /// The stage's name for the reader, or `fallback` (the name the record carries).
    pub fn stage_label(&self, i18n: I18n, id: &str, fallback: &str) -> String {
        self.stage(id)
            .map(|s| s.label(i18n))
            .unwrap_or_else(|| fallback.to_owned())
    }
}

/// A stage's name for the reader: a default stage's by its key, in the
/// reader's language, while it keeps its default name; else as stored.
pub fn stage_name(i18n: I18n, key: Option<&str>, name: &str) -> String {
    kehu_domain::pipeline::label_key(key, name)
        .and_then(|k| i18n.try_t(&format!("sales-stage-{k}")))
        .unwrap_or_else(|| name.to_owned())
}

/// The body of `PUT /pipelines/{id}`.
#[derive(Debug, Clone, Serialize)]
pub struct PipelineBody {
    pub name: String,
    pub team_id: Option<String>,
    pub product_line_id: Option<String>,
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Opportunity {
    pub id: String,
    pub name: String,
    pub customer_id: String,
    #[serde(default)]
    pub customer_name: String,
    /// The customer is in the trash: its closed deals stay in the books.
    #[serde(default)]
    pub customer_deleted: bool,
    pub pipeline_id: String,
    pub stage_id: String,
    #[serde(default)]
    pub stage_name: String,
    /// `open`, `won` or `lost`.
    pub status: String,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub owner_name: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    #[serde(default)]
    pub weighted_minor: i64,
    #[serde(default)]
    pub probability: u8,
    #[serde(default)]
    pub probability_overridden: bool,
    #[serde(default)]
    pub forecast_category: String,
    pub expected_close_on: String,
    #[serde(default)]
    pub campaign: Option<String>,
    #[serde(default)]
    pub stage_entered_at: Option<String>,
    #[serde(default)]
    pub closed_on: Option<String>,
    #[serde(default)]
    pub loss_reason_id: Option<String>,
    #[serde(default)]
    pub lost_to_competitor_id: Option<String>,
    #[serde(default)]
    pub close_notes: Option<String>,
    #[serde(default)]
    pub version: i64,
}

impl Opportunity {
    pub fn etag(&self) -> String {
        format!("\"{}\"", self.version)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DealChecklistItem {
    pub item_id: String,
    pub stage_id: String,
    pub label: String,
    pub required: bool,
    #[serde(default)]
    pub done_at: Option<String>,
    #[serde(default)]
    pub done_by_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StageVisit {
    #[serde(default)]
    pub from_stage_name: Option<String>,
    #[serde(default)]
    pub from_stage_id: Option<String>,
    pub stage_id: String,
    #[serde(default)]
    pub stage_name: String,
    pub entered_at: String,
    #[serde(default)]
    pub left_at: Option<String>,
    #[serde(default)]
    pub seconds_in_stage: i64,
    #[serde(default)]
    pub by_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CompetitorNote {
    pub id: String,
    pub happened_on: String,
    pub note: String,
    #[serde(default)]
    pub by_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DealCompetitor {
    pub competitor_id: String,
    pub name: String,
    #[serde(default)]
    pub strengths: Option<String>,
    #[serde(default)]
    pub weaknesses: Option<String>,
    /// `active`, `won`, `lost` or `withdrawn`.
    pub status: String,
    #[serde(default)]
    pub activities: Vec<CompetitorNote>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct DealAllowed {
    #[serde(default)]
    pub update: bool,
    #[serde(default)]
    pub close: bool,
    #[serde(default)]
    pub reopen: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NamedRef {
    pub id: String,
    pub name: String,
}

/// `GET /opportunities/{id}`: the deal with its checklist, history and competitors.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Detail {
    #[serde(flatten)]
    pub deal: Opportunity,
    #[serde(default)]
    pub checklist: Vec<DealChecklistItem>,
    #[serde(default)]
    pub history: Vec<StageVisit>,
    #[serde(default)]
    pub competitors: Vec<DealCompetitor>,
    #[serde(default)]
    pub contacts: Vec<NamedRef>,
    #[serde(default)]
    pub allowed: DealAllowed,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Sum {
    pub currency: String,
    pub amount_minor: i64,
    pub weighted_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Column {
    pub stage_id: String,
    pub count: i64,
    #[serde(default)]
    pub sums: Vec<Sum>,
    #[serde(default)]
    pub items: Vec<Opportunity>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Board {
    pub pipeline: Pipeline,
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OpportunityPage {
    #[serde(alias = "data")]
    pub items: Vec<Opportunity>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LossReason {
    pub id: String,
    pub label: String,
    #[serde(default = "yes")]
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Competitor {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub strengths: Option<String>,
    #[serde(default)]
    pub weaknesses: Option<String>,
    /// Lists that keep retired competitors say whether each is still offered.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Loss reasons and competitors: read by every deal page and the settings.
pub async fn loss_reasons(session: Session) -> Result<Vec<LossReason>, ApiError> {
    session.get_json("/loss-reasons").await
}

pub async fn competitors(session: Session) -> Result<Vec<Competitor>, ApiError> {
    session.get_json("/competitors").await
}

pub async fn pipelines(session: Session) -> Result<Vec<Pipeline>, ApiError> {
    session.get_json("/pipelines").await
}

/// The required checklist items a refused move names, as (item id, label
/// when the answer says it): the `missing` list, or the `checklist.<id>`
/// fields of a validation problem with the code `checklist_incomplete`.
pub fn missing_items(e: &ApiError) -> Vec<(String, Option<String>)> {
    let ApiError::Problem(p) = e else {
        return Vec::new();
    };
    if !p.missing.is_empty() {
        return p
            .missing
            .iter()
            .map(|m| (m.item_id.clone(), Some(m.label.clone())))
            .collect();
    }
    p.errors
        .iter()
        .filter(|f| f.code == "checklist_incomplete")
        .map(|f| {
            let id = f.field.strip_prefix("checklist.").unwrap_or_default();
            // the server's sentence quotes the label: “Budget confirmed” (Qualify) …
            let quoted = f
                .message
                .split_once('“')
                .and_then(|(_, rest)| rest.split_once('”'))
                .map(|(label, _)| label.to_owned());
            (id.to_owned(), quoted)
        })
        .collect()
}

/// A write to a deal that answers the changed deal (`If-Match` its version).
pub async fn change(
    session: Session,
    method: gloo_net::http::Method,
    path: String,
    etag: &str,
    body: &impl Serialize,
) -> Result<Versioned<Detail>, ApiError> {
    let call = Call {
        method,
        if_match: Some(etag.to_owned()),
        ..Call::post(path, body)
    };
    session.send_versioned::<Detail>(&call).await
}

#[derive(Serialize)]
struct MoveBody<'a> {
    stage_id: &'a str,
}

/// `POST /opportunities/{id}/move`.
pub async fn move_to(
    session: Session,
    id: &str,
    etag: &str,
    stage_id: &str,
) -> Result<Versioned<Detail>, ApiError> {
    change(
        session,
        gloo_net::http::Method::POST,
        format!("/opportunities/{}/move", crate::api::encode(id)),
        etag,
        &MoveBody { stage_id },
    )
    .await
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ForecastRow {
    pub period: String,
    pub period_start: String,
    #[serde(default)]
    pub group_id: Option<String>,
    #[serde(default)]
    pub group_name: Option<String>,
    #[serde(default)]
    pub count: i64,
    #[serde(default)]
    pub amount_minor: i64,
    #[serde(default)]
    pub weighted_minor: i64,
    #[serde(default)]
    pub pipeline_minor: i64,
    #[serde(default)]
    pub best_case_minor: i64,
    #[serde(default)]
    pub commit_minor: i64,
    #[serde(default)]
    pub closed_minor: i64,
    #[serde(default)]
    pub quota_minor: Option<i64>,
    #[serde(default)]
    pub attainment_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Forecast {
    pub period: String,
    pub currency: String,
    #[serde(default)]
    pub rows: Vec<ForecastRow>,
    #[serde(default)]
    pub totals: Vec<ForecastRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuotaBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    pub period: String,
    pub period_start: String,
    pub amount_minor: i64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RepRow {
    pub user_id: String,
    pub name: String,
    #[serde(default)]
    pub won: i64,
    #[serde(default)]
    pub lost: i64,
    #[serde(default)]
    pub win_rate_percent: Option<f64>,
    /// Won amounts per currency.
    #[serde(default)]
    pub won_minor: Vec<(String, i64)>,
    #[serde(default)]
    pub avg_cycle_days: Option<f64>,
    #[serde(default)]
    pub open: i64,
    #[serde(default)]
    pub activities: i64,
    #[serde(default)]
    pub visits: i64,
    /// Tenths: 25 is 2.5 activities per open deal.
    #[serde(default)]
    pub activities_per_open_deal_tenths: Option<i64>,
    #[serde(default)]
    pub visits_per_open_deal_tenths: Option<i64>,
    #[serde(default)]
    pub stale: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Conversion {
    pub stage_id: String,
    pub stage_name: String,
    /// The default pipeline's stages, shown translated.
    #[serde(default)]
    pub stage_key: Option<String>,
    #[serde(default)]
    pub entered: i64,
    #[serde(default)]
    pub advanced: i64,
    #[serde(default)]
    pub rate_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StaleDeal {
    pub opportunity_id: String,
    pub name: String,
    #[serde(default)]
    pub owner_name: Option<String>,
    #[serde(default)]
    pub stage_name: String,
    #[serde(default)]
    pub days_since_activity: Option<i64>,
    #[serde(default)]
    pub days_in_stage: i64,
    /// `no_activity` or `stuck`.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Performance {
    #[serde(default)]
    pub reps: Vec<RepRow>,
    #[serde(default)]
    pub conversion: Vec<Conversion>,
    #[serde(default)]
    pub stale: Vec<StaleDeal>,
}
