//! The forecast, quotas and rep performance on the wire.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One period of one group (or, in `totals`, of everyone shown).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"period": "2026-12", "period_start": "2026-12-01", "group_id": "u1", "group_name": "Li Wei",
    "count": 4, "amount_minor": 42000000, "weighted_minor": 18500000, "pipeline_minor": 12000000, "best_case_minor": 10000000,
    "commit_minor": 15000000, "closed_minor": 5000000, "omitted_minor": 0, "quota_minor": 20000000, "attainment_percent": 25}))]
pub struct ForecastRow {
    /// `2026-12` or `2026-Q4`.
    pub period: String,
    pub period_start: String,
    /// The owner, team, region or product line; `null` for deals without one, and in totals.
    pub group_id: Option<String>,
    pub group_name: Option<String>,
    /// Open and won deals counting on this period.
    pub count: i64,
    /// Open (not omitted) and won amounts.
    pub amount_minor: i64,
    /// Open deals × probability, plus won amounts.
    pub weighted_minor: i64,
    pub pipeline_minor: i64,
    pub best_case_minor: i64,
    pub commit_minor: i64,
    /// Won in the period.
    pub closed_minor: i64,
    /// Open deals their owners left out of the forecast.
    pub omitted_minor: i64,
    /// A user's quota (owner rows) or a team's (team rows).
    pub quota_minor: Option<i64>,
    /// Won against quota.
    pub attainment_percent: Option<i64>,
}

/// A forecast in one currency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Forecast {
    /// `month` or `quarter`.
    pub period: String,
    pub currency: String,
    /// Per period and group, periods in order.
    pub rows: Vec<ForecastRow>,
    /// One per period, every period asked for.
    pub totals: Vec<ForecastRow>,
}

/// A quota of a user or a team.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193…", "user_id": "u1", "team_id": null, "period": "quarter", "period_start": "2026-10-01", "amount_minor": 100000000, "currency": "CNY"}))]
pub struct QuotaOut {
    pub id: String,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    /// `month` or `quarter`.
    pub period: String,
    pub period_start: String,
    pub amount_minor: i64,
    pub currency: String,
}

/// Set a quota: exactly one of `user_id` and `team_id`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "u1", "period": "quarter", "period_start": "2026-10-01", "amount_minor": 100000000, "currency": "CNY"}))]
pub struct QuotaBody {
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    /// `month` or `quarter`.
    pub period: Option<String>,
    /// The first day of the month or quarter.
    pub period_start: Option<String>,
    pub amount_minor: Option<i64>,
    /// Default CNY.
    pub currency: Option<String>,
}

/// One rep's period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RepPerformance {
    pub user_id: String,
    pub name: String,
    /// Deals won with a close day in the period.
    pub won: i64,
    pub lost: i64,
    /// Won of won and lost; `null` when none closed.
    pub win_rate_percent: Option<i64>,
    /// Won amounts per currency.
    pub won_minor: Vec<(String, i64)>,
    /// Days from creation to win, on average; `null` without wins.
    pub avg_cycle_days: Option<i64>,
    /// Open deals now.
    pub open: i64,
    /// Activities done in the period.
    pub activities: i64,
    pub visits: i64,
    /// Activities per open deal, in tenths (25 = 2.5); `null` without open deals.
    pub activities_per_open_deal_tenths: Option<i64>,
    pub visits_per_open_deal_tenths: Option<i64>,
    /// Open deals that are stale now.
    pub stale: i64,
}

/// How many deals that entered a stage in the period went further.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Conversion {
    pub stage_id: String,
    pub stage_name: String,
    pub stage_key: Option<String>,
    pub entered: i64,
    /// Of those, reached a later stage or were won.
    pub advanced: i64,
    pub rate_percent: Option<i64>,
}

/// An open deal that needs a look.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaleDeal {
    pub opportunity_id: String,
    pub name: String,
    pub owner_name: String,
    pub stage_name: String,
    /// For the default pipeline's stages, for screens to translate.
    pub stage_key: Option<String>,
    /// Days since the customer's last activity; `null` if none ever.
    pub days_since_activity: Option<i64>,
    pub days_in_stage: i64,
    /// `no_activity` or `stuck` (longer in the stage than it allows).
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Performance {
    pub from: String,
    pub to: String,
    pub reps: Vec<RepPerformance>,
    /// The default pipeline's open stages.
    pub conversion: Vec<Conversion>,
    /// Longest in their stage first.
    pub stale: Vec<StaleDeal>,
}
