//! The company pool on the wire: its rules, claims, releases, owner history.

use super::customers::{Stage, UserRef};
use chrono::{DateTime, Utc};
use kehu_domain::customer::LifecycleStage;
use kehu_domain::pool::PoolRules;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The pool's claim limits. `null` means no limit.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"max_owned": 300, "max_claims_per_day": 10, "reclaim_cooldown_days": 14, "recycle": [{"stage": "prospect", "days_without_progress": 30}, {"stage": "interested", "days_without_progress": 60}]}))]
pub struct PoolRulesBody {
    /// At most this many live customers owned by one user for a claim to go
    /// through (1–100000); assignments by managers are not limited.
    #[schema(minimum = 1, maximum = 100000)]
    pub max_owned: Option<i64>,
    /// At most this many claims by one user in any 24 hours (1–10000).
    #[schema(minimum = 1, maximum = 10000)]
    pub max_claims_per_day: Option<i64>,
    /// Days before a former owner may claim a customer again (0–3650).
    #[schema(minimum = 0, maximum = 3650)]
    pub reclaim_cooldown_days: i64,
    /// Return owned customers of a stage to the pool after this many days
    /// without a change; at most one rule per stage. Kehu applies them every
    /// few minutes.
    #[serde(default)]
    pub recycle: Vec<RecycleRuleBody>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecycleRuleBody {
    pub stage: Stage,
    /// 1–3650.
    #[schema(minimum = 1, maximum = 3650)]
    pub days_without_progress: i64,
}

impl PoolRulesBody {
    pub fn recycle_pairs(&self) -> Vec<(LifecycleStage, i64)> {
        self.recycle
            .iter()
            .map(|r| (LifecycleStage::from(r.stage), r.days_without_progress))
            .collect()
    }
}

impl From<PoolRules> for PoolRulesBody {
    fn from(r: PoolRules) -> Self {
        PoolRulesBody {
            max_owned: r.max_owned.map(i64::from),
            max_claims_per_day: r.max_claims_per_day.map(i64::from),
            reclaim_cooldown_days: i64::from(r.reclaim_cooldown_days),
            recycle: r
                .recycle
                .iter()
                .map(|r| RecycleRuleBody {
                    stage: Stage::from(r.stage),
                    days_without_progress: i64::from(r.days_without_progress),
                })
                .collect(),
        }
    }
}

/// Giving a customer back to the pool.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "客户已搬迁到外地，不在我的区域"}))]
pub struct ReleaseBody {
    /// Why: required, at most 500 characters; the next owner reads it.
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// One change of a customer's owner.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a5c8-7d10-7c3e-9a41-2f6b1c0d9e78", "kind": "release", "from": {"id": "0193a5c8-0000-7000-8000-000000000002", "display_name": "陈东"}, "to": null, "reason": "客户已搬迁", "changed_by": {"id": "0193a5c8-0000-7000-8000-000000000002", "display_name": "陈东"}, "api_key_id": null, "changed_at": "2026-11-30T08:30:00Z"}))]
pub struct OwnerChangeOut {
    pub id: String,
    /// `claim` (taken from the pool), `release` (given back to it) or
    /// `assign` (set by someone who may edit the customer).
    pub kind: String,
    /// The owner before; null: the pool.
    pub from: Option<UserRef>,
    /// The owner after; null: the pool.
    pub to: Option<UserRef>,
    pub reason: Option<String>,
    pub changed_by: Option<UserRef>,
    /// Set when the change came through an API key.
    pub api_key_id: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// A customer's owner changes, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnerChangeList {
    pub data: Vec<OwnerChangeOut>,
}
