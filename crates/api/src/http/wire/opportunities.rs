//! Pipelines, opportunities, the board and the sales setup on the wire.

use crate::http::extract::double_option;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One item of a stage's checklist.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "stage-qualify-1", "label": "Budget confirmed", "required": true, "position": 0}))]
pub struct ChecklistItemOut {
    pub id: String,
    pub label: String,
    /// Must be done before a deal leaves the stage forward.
    pub required: bool,
    pub position: i32,
}

/// A stage of a pipeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "stage-qualify", "key": "qualify", "name": "Qualify", "position": 1, "kind": "open", "probability": 25, "forecast_category": "pipeline", "stale_after_days": 21, "checklist": []}))]
pub struct StageOut {
    pub id: String,
    /// For the default pipeline's stages: identify, qualify, plan, proposal, won, lost.
    pub key: Option<String>,
    pub name: String,
    pub position: i32,
    /// `open`, `won` or `lost`.
    pub kind: String,
    /// Default chance of winning, 0 to 100.
    pub probability: i32,
    /// `pipeline`, `best_case`, `commit`, `closed` or `omitted`.
    pub forecast_category: String,
    /// A deal longer than this in the stage counts as stuck.
    pub stale_after_days: Option<i32>,
    pub checklist: Vec<ChecklistItemOut>,
}

/// A pipeline with its stages in funnel order: open stages, then won, then lost.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PipelineOut {
    pub id: String,
    pub name: String,
    /// The team whose deals use it by default.
    pub team_id: Option<String>,
    /// The product line whose deals use it by default.
    pub product_line_id: Option<String>,
    pub is_default: bool,
    pub version: i64,
    pub stages: Vec<StageOut>,
}

/// A checklist item as written; `id` keeps an existing item (and its ticks).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItemBody {
    pub id: Option<String>,
    pub label: Option<String>,
    pub required: Option<bool>,
}

/// A stage as written; `id` keeps an existing stage (deals in it stay).
/// Stages left out are retired: their history remains.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageBody {
    pub id: Option<String>,
    pub name: Option<String>,
    /// `open` (default), `won` or `lost`.
    pub kind: Option<String>,
    /// Required for open stages; won is always 100, lost 0.
    pub probability: Option<i64>,
    /// `pipeline` (default), `best_case`, `commit` or `omitted`.
    pub forecast_category: Option<String>,
    pub stale_after_days: Option<i32>,
    #[serde(default)]
    pub checklist: Vec<ChecklistItemBody>,
}

/// A pipeline as written: its name, whose it is, and every stage in order.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Projects", "team_id": null, "product_line_id": null, "stages": [
    {"name": "Survey", "probability": 20, "checklist": [{"label": "Site visited", "required": true}]},
    {"name": "Offer", "probability": 60, "forecast_category": "commit"},
    {"name": "Won", "kind": "won"}, {"name": "Lost", "kind": "lost"}]}))]
pub struct PipelineBody {
    pub name: Option<String>,
    pub team_id: Option<String>,
    pub product_line_id: Option<String>,
    pub stages: Vec<StageBody>,
}

/// A reason a deal was lost.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "price", "label": "Price", "active": true, "position": 0}))]
pub struct LossReasonOut {
    pub id: String,
    pub label: String,
    /// Inactive reasons stay on old deals but are not offered.
    pub active: bool,
    pub position: i32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LossReasonBody {
    pub label: Option<String>,
    pub active: Option<bool>,
}

/// A competitor from the company's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193…", "name": "Acme Boilers", "website": "https://acme.example", "strengths": "Cheap", "weaknesses": "Slow service", "active": true}))]
pub struct CompetitorOut {
    pub id: String,
    pub name: String,
    pub website: Option<String>,
    pub strengths: Option<String>,
    pub weaknesses: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetitorBody {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    pub strengths: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    pub weaknesses: Option<Option<String>>,
    pub active: Option<bool>,
}

/// What the caller may do with a deal now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DealAllowed {
    /// Edit it, move it, tick its checklist, record competitors.
    pub update: bool,
    /// Close it as won or lost.
    pub close: bool,
    /// Reopen it (closed, within the rules).
    pub reopen: bool,
}

/// An opportunity (商机).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193…", "name": "Boiler retrofit", "customer_id": "0192…", "customer_name": "上海华东制造有限公司", "customer_deleted": false,
    "pipeline_id": "default", "stage_id": "stage-qualify", "stage_name": "Qualify", "status": "open",
    "owner_id": "u1", "owner_name": "Li Wei", "team_id": null, "region_id": null, "product_line_id": null,
    "amount_minor": 12000000, "currency": "CNY", "weighted_minor": 3000000, "probability": 25, "probability_overridden": false,
    "forecast_category": "pipeline", "expected_close_on": "2026-12-31", "source_lead_id": null, "campaign": null, "contact_ids": [],
    "stage_entered_at": "2026-11-30T08:00:00Z", "closed_on": null, "loss_reason_id": null, "lost_to_competitor_id": null, "close_notes": null,
    "created_at": "2026-11-30T08:00:00Z", "updated_at": "2026-11-30T08:00:00Z", "version": 1}))]
pub struct OpportunityOut {
    pub id: String,
    pub name: String,
    pub customer_id: String,
    pub customer_name: String,
    /// The customer is in the trash: a won or lost deal stays in the books
    /// (and readable) after its customer is deleted.
    pub customer_deleted: bool,
    pub pipeline_id: String,
    pub stage_id: String,
    pub stage_name: String,
    /// `open`, `won` or `lost`.
    pub status: String,
    pub owner_id: String,
    pub owner_name: String,
    pub team_id: Option<String>,
    pub region_id: Option<String>,
    pub product_line_id: Option<String>,
    /// Integer minor units (fen for CNY).
    pub amount_minor: i64,
    /// ISO 4217.
    pub currency: String,
    /// Amount × probability, rounded to a minor unit.
    pub weighted_minor: i64,
    pub probability: i32,
    /// Whether the probability is the rep's own rather than the stage's.
    pub probability_overridden: bool,
    pub forecast_category: String,
    /// `YYYY-MM-DD`.
    pub expected_close_on: String,
    pub source_lead_id: Option<String>,
    pub campaign: Option<String>,
    pub contact_ids: Vec<String>,
    pub stage_entered_at: chrono::DateTime<chrono::Utc>,
    pub closed_on: Option<String>,
    pub loss_reason_id: Option<String>,
    pub lost_to_competitor_id: Option<String>,
    pub close_notes: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

/// A checklist item on a deal, with who ticked it and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DealChecklistItem {
    pub item_id: String,
    pub stage_id: String,
    pub label: String,
    pub required: bool,
    pub done_at: Option<chrono::DateTime<chrono::Utc>>,
    pub done_by_id: Option<String>,
    pub done_by_name: Option<String>,
}

/// One stay of the deal in a stage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageStay {
    pub from_stage_id: Option<String>,
    pub from_stage_name: Option<String>,
    pub stage_id: String,
    pub stage_name: String,
    pub entered_at: chrono::DateTime<chrono::Utc>,
    /// `null` while the deal is still there.
    pub left_at: Option<chrono::DateTime<chrono::Utc>>,
    pub seconds_in_stage: i64,
    pub by_id: Option<String>,
    pub by_name: Option<String>,
}

/// Something a competitor did in this deal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompetitorActivityOut {
    pub id: String,
    pub happened_on: String,
    pub note: String,
    pub by_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A competitor in a deal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DealCompetitorOut {
    pub competitor_id: String,
    pub name: String,
    pub strengths: Option<String>,
    pub weaknesses: Option<String>,
    /// `active`, `won` (they took the deal), `lost` or `withdrawn`.
    pub status: String,
    pub activities: Vec<CompetitorActivityOut>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactRef {
    pub id: String,
    pub name: String,
}

/// A deal with everything its page shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpportunityDetail {
    #[serde(flatten)]
    pub deal: OpportunityOut,
    /// Every item of the pipeline's stages, in funnel order.
    pub checklist: Vec<DealChecklistItem>,
    /// Oldest first.
    pub history: Vec<StageStay>,
    pub competitors: Vec<DealCompetitorOut>,
    pub contacts: Vec<ContactRef>,
    pub allowed: DealAllowed,
}

/// A page of deals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpportunityPage {
    pub data: Vec<OpportunityOut>,
    /// Pass as `cursor` for the next page; `null` at the end.
    pub next_cursor: Option<String>,
}

/// Sums of one currency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurrencySum {
    pub currency: String,
    pub amount_minor: i64,
    pub weighted_minor: i64,
}

/// A column of the board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardColumn {
    pub stage_id: String,
    /// All the column's deals, not only those shown.
    pub count: i64,
    pub sums: Vec<CurrencySum>,
    /// The first 50 by expected close.
    pub items: Vec<OpportunityOut>,
}

/// A pipeline's kanban board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Board {
    pub pipeline: PipelineOut,
    pub columns: Vec<BoardColumn>,
}

/// A new deal.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Boiler retrofit", "customer_id": "0192…", "amount_minor": 12000000, "currency": "CNY", "expected_close_on": "2026-12-31"}))]
pub struct OpportunityCreate {
    pub name: Option<String>,
    pub customer_id: Option<String>,
    /// Default: the product line's, else the owner's team's, else the default pipeline.
    pub pipeline_id: Option<String>,
    /// An open stage of the pipeline; default its first.
    pub stage_id: Option<String>,
    /// Default: the caller.
    pub owner_id: Option<String>,
    /// Default: the owner's team.
    pub team_id: Option<String>,
    /// Default: the customer's region.
    pub region_id: Option<String>,
    /// Default: the customer's product line when it has exactly one.
    pub product_line_id: Option<String>,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    /// `YYYY-MM-DD`.
    pub expected_close_on: Option<String>,
    /// 0 to 100; default the stage's.
    pub probability: Option<i64>,
    #[serde(default)]
    pub contact_ids: Vec<String>,
    pub campaign: Option<String>,
    pub source_lead_id: Option<String>,
}

/// Changes to a deal; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"amount_minor": 15000000, "probability": 40}))]
pub struct OpportunityUpdate {
    pub name: Option<String>,
    pub owner_id: Option<String>,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub expected_close_on: Option<String>,
    /// `null` goes back to the stage's default.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub probability: Option<Option<i64>>,
    pub contact_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub campaign: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub team_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub region_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub product_line_id: Option<Option<String>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"stage_id": "stage-plan"}))]
pub struct MoveBody {
    pub stage_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"done": true}))]
pub struct TickBody {
    pub done: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"amount_minor": 11500000, "closed_on": "2026-11-30"}))]
pub struct WinBody {
    /// Default: the deal's amount.
    pub amount_minor: Option<i64>,
    /// Default: today. Not in the future.
    pub closed_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason_id": "price", "competitor_id": null, "notes": "Went with the cheaper offer"}))]
pub struct LoseBody {
    /// Required: one of the active loss reasons.
    pub reason_id: Option<String>,
    /// The competitor who won it, from the competitor list.
    pub competitor_id: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenBody {}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"competitor_id": "0193…", "strengths": "Local service team", "weaknesses": "Older technology", "status": "active"}))]
pub struct DealCompetitorBody {
    /// Only when adding.
    pub competitor_id: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub strengths: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub weaknesses: Option<Option<String>>,
    /// `active` (default), `won`, `lost` or `withdrawn`.
    pub status: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"happened_on": "2026-11-28", "note": "Offered a 10 % discount"}))]
pub struct CompetitorActivityBody {
    pub happened_on: Option<String>,
    pub note: Option<String>,
}
