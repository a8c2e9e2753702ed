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
    /// `claim` (taken from the pool), `release` (given back to it),
    /// `recycle` (returned to it by the pool rules), `assign` (set by someone
    /// who may edit the customer), `transfer` (handed over with others) or
    /// `merge` (the owner of a record merged into this one was kept).
    pub kind: String,
    /// The owner before; null: the pool.
    pub from: Option<UserRef>,
    /// The owner after; null: the pool.
    pub to: Option<UserRef>,
    /// The team whose pool the customer went to (a transfer to a team).
    pub to_team: Option<TeamRef>,
    pub reason: Option<String>,
    pub changed_by: Option<UserRef>,
    /// Set when the change came through an API key.
    pub api_key_id: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// A team, named.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamRef {
    pub id: String,
    #[schema(example = "华东一组")]
    pub name: String,
}

/// A customer's owner changes, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnerChangeList {
    pub data: Vec<OwnerChangeOut>,
}

/// Moving customers from one owner in one step: all of theirs that you may
/// edit, or the ones listed; to another user or to the pool.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"from_owner_id": "0193a5c8-0000-7000-8000-000000000002", "to_owner_id": "0193a5c8-0000-7000-8000-000000000003", "reason": "陈东调往华南，客户交接给李明", "preview": true}))]
pub struct TransferBody {
    pub from_owner_id: String,
    /// Only these of `from_owner_id`'s customers (1–10000); left out: all of
    /// them that you may edit.
    #[schema(max_items = 10000)]
    pub customer_ids: Option<Vec<String>>,
    /// The new owner; `null` or left out (and no `to_team_id`): the company pool.
    pub to_owner_id: Option<String>,
    /// Instead of a new owner, the pool of this team (部门公海): the
    /// customers lose their owner and join the team, whose members may claim
    /// them and whose managers may assign them.
    pub to_team_id: Option<String>,
    /// Why: required, at most 500 characters; recorded on every customer.
    #[schema(max_length = 500)]
    pub reason: Option<String>,
    /// `true`: say what would move, and move nothing.
    #[serde(default)]
    pub preview: bool,
}

/// What a transfer moved, or would move.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"moved": 0, "would_move": 42, "skipped": 0, "sample": [{"id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f60", "name": "上海华联超市有限公司"}], "preview": true}))]
pub struct TransferOut {
    /// Customers moved (0 in a preview).
    pub moved: usize,
    /// Customers the transfer takes (in a preview: would take).
    pub would_move: usize,
    /// Customers whose owner changed between reading and writing; not moved.
    pub skipped: usize,
    /// The first 20 of them, to check before confirming.
    pub sample: Vec<CustomerName>,
    pub preview: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerName {
    pub id: String,
    pub name: String,
}
