use crate::http::extract::double_option;
use crate::repo::customers::CustomerRecord;
use chrono::{DateTime, Utc};
use kehu_domain::customer::{CustomerKind, LifecycleStage, RawCustomer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Company,
    Person,
}

impl From<Kind> for CustomerKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Company => CustomerKind::Company,
            Kind::Person => CustomerKind::Person,
        }
    }
}

/// 客户生命周期: prospect 潜在, interested 意向, customer 成交, vip 升级, churned 流失.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Prospect,
    Interested,
    Customer,
    Vip,
    Churned,
}

impl From<LifecycleStage> for Stage {
    fn from(s: LifecycleStage) -> Self {
        match s {
            LifecycleStage::Prospect => Stage::Prospect,
            LifecycleStage::Interested => Stage::Interested,
            LifecycleStage::Customer => Stage::Customer,
            LifecycleStage::Vip => Stage::Vip,
            LifecycleStage::Churned => Stage::Churned,
        }
    }
}

impl From<Stage> for LifecycleStage {
    fn from(s: Stage) -> Self {
        match s {
            Stage::Prospect => LifecycleStage::Prospect,
            Stage::Interested => LifecycleStage::Interested,
            Stage::Customer => LifecycleStage::Customer,
            Stage::Vip => LifecycleStage::Vip,
            Stage::Churned => LifecycleStage::Churned,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerOut {
    pub id: String,
    #[schema(example = "上海华联超市有限公司")]
    pub name: String,
    #[schema(example = "company")]
    pub kind: String,
    #[schema(example = "零售")]
    pub industry: Option<String>,
    #[schema(example = "展会")]
    pub source: Option<String>,
    pub region_id: Option<String>,
    pub product_line_ids: Vec<String>,
    /// null: the customer is in the company pool (公海).
    pub owner_id: Option<String>,
    pub team_id: Option<String>,
    /// The partner (dealer) the customer belongs to.
    pub partner_id: Option<String>,
    #[schema(example = "prospect")]
    pub lifecycle_stage: String,
    pub tags: Vec<String>,
    #[schema(example = json!(["+86 138 0013 8000"]))]
    pub phones: Vec<String>,
    #[schema(example = json!(["purchasing@example.com"]))]
    pub emails: Vec<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    /// The day the contract is up for renewal; its owner is reminded ahead.
    #[schema(value_type = Option<String>, pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", example = "2026-12-31")]
    pub renewal_on: Option<String>,
    /// The day the next maintenance is due; its owner is reminded ahead.
    #[schema(value_type = Option<String>, pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", example = "2027-03-01")]
    pub maintenance_on: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
    /// Set when the customer is in the trash; restore with POST …/restore.
    pub deleted_at: Option<DateTime<Utc>>,
    /// When the latest activity on it was done; the pool counts days
    /// without progress from it.
    pub last_activity_at: Option<DateTime<Utc>>,
    /// Also sent as the ETag; send it back in If-Match to update.
    pub version: i64,
    /// What you may do with this customer now, by the same checks the writes
    /// make: in every answer about one customer (create, GET, PATCH,
    /// restore, claim, release, merge); lists and exports leave it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Allowed>,
}

/// What the caller may do with one customer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"update": true, "delete": false}))]
pub struct Allowed {
    /// Edit it: its fields, stage, owner and contacts.
    pub update: bool,
    /// Put it in the trash, or retire it by merging it into another.
    pub delete: bool,
}

impl From<CustomerRecord> for CustomerOut {
    fn from(c: CustomerRecord) -> Self {
        let r = c.row;
        Self {
            id: r.id,
            name: r.name,
            kind: r.kind,
            industry: r.industry,
            source: r.source,
            region_id: r.region_id,
            product_line_ids: c.product_line_ids,
            owner_id: r.owner_id,
            team_id: r.team_id,
            partner_id: r.partner_id,
            lifecycle_stage: r.lifecycle_stage,
            tags: super::strings(&r.tags),
            phones: super::strings(&r.phones),
            emails: super::strings(&r.emails),
            address: r.address,
            notes: r.notes,
            renewal_on: r.renewal_on.map(|d| d.to_string()),
            maintenance_on: r.maintenance_on.map(|d| d.to_string()),
            created_by: r.created_by,
            created_at: super::time(r.created_at),
            updated_by: r.updated_by,
            updated_at: super::time(r.updated_at),
            deleted_at: r.deleted_at.map(super::time),
            last_activity_at: r.last_activity_at.map(super::time),
            version: r.version,
            allowed: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerPage {
    pub data: Vec<CustomerOut>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// Number of matching customers, only when `include_total=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

/// A new customer. Unsent owner, team, region and partner default to the
/// creator's; send `"owner_id": null` to put the customer in the company pool.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "上海华联超市有限公司", "kind": "company", "industry": "零售", "phones": ["021-6888 8888"], "emails": ["purchasing@example.com"], "tags": ["重点"]}))]
pub struct CustomerCreate {
    pub name: String,
    pub kind: Option<Kind>,
    pub industry: Option<String>,
    pub source: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub region_id: Option<Option<String>>,
    pub product_line_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub owner_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub team_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub partner_id: Option<Option<String>>,
    pub lifecycle_stage: Option<Stage>,
    pub tags: Option<Vec<String>>,
    pub phones: Option<Vec<String>>,
    pub emails: Option<Vec<String>>,
    pub address: Option<String>,
    pub notes: Option<String>,
    /// `YYYY-MM-DD`: the day the contract is up for renewal (empty: none).
    #[schema(value_type = Option<String>, pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", example = "2026-12-31")]
    pub renewal_on: Option<String>,
    /// `YYYY-MM-DD`: the day the next maintenance is due.
    #[schema(value_type = Option<String>, pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", example = "2027-03-01")]
    pub maintenance_on: Option<String>,
    /// Create it although it looks like an existing customer (after a 409
    /// `/problems/duplicate`): why it is a different customer; recorded.
    #[schema(example = "同名，但是另一家公司（不同城市）", max_length = 500)]
    pub duplicate_reason: Option<String>,
}

/// Changes to a customer: unsent fields stay; null clears a field.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"industry": "制造", "tags": ["重点", "华东"], "notes": null}))]
pub struct CustomerUpdate {
    pub name: Option<String>,
    pub kind: Option<Kind>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub industry: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub source: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub region_id: Option<Option<String>>,
    pub product_line_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub owner_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub team_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub partner_id: Option<Option<String>>,
    /// A change of stage must be one of the lifecycle's moves (422
    /// `transition_not_allowed` says why not) and is recorded in the
    /// customer's stage history.
    pub lifecycle_stage: Option<Stage>,
    /// Why the stage changes: required for every move except prospect →
    /// interested → customer (422 `reason_required`); at most 500 characters.
    #[schema(example = "年采购额超过一百万")]
    pub lifecycle_reason: Option<String>,
    pub tags: Option<Vec<String>>,
    pub phones: Option<Vec<String>>,
    pub emails: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    /// `YYYY-MM-DD`; null clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", example = "2026-12-31")]
    pub renewal_on: Option<Option<String>>,
    /// `YYYY-MM-DD`; null clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", example = "2027-03-01")]
    pub maintenance_on: Option<Option<String>>,
    /// Save the change although it makes the customer look like another
    /// (after a 409 `/problems/duplicate`): why; recorded.
    #[schema(max_length = 500)]
    pub duplicate_reason: Option<String>,
}

impl From<CustomerCreate> for RawCustomer {
    fn from(b: CustomerCreate) -> Self {
        RawCustomer {
            name: Some(b.name),
            kind: b.kind.map(|k| CustomerKind::from(k).as_str().to_owned()),
            industry: b.industry.map(Some),
            source: b.source.map(Some),
            region_id: b.region_id,
            product_line_ids: b.product_line_ids,
            owner_id: b.owner_id,
            team_id: b.team_id,
            partner_id: b.partner_id,
            lifecycle_stage: b
                .lifecycle_stage
                .map(|s| LifecycleStage::from(s).as_str().to_owned()),
            tags: b.tags,
            phones: b.phones,
            emails: b.emails,
            address: b.address.map(Some),
            notes: b.notes.map(Some),
            renewal_on: b.renewal_on.map(Some),
            maintenance_on: b.maintenance_on.map(Some),
        }
    }
}

impl From<CustomerUpdate> for RawCustomer {
    fn from(b: CustomerUpdate) -> Self {
        RawCustomer {
            name: b.name,
            kind: b.kind.map(|k| CustomerKind::from(k).as_str().to_owned()),
            industry: b.industry,
            source: b.source,
            region_id: b.region_id,
            product_line_ids: b.product_line_ids,
            owner_id: b.owner_id,
            team_id: b.team_id,
            partner_id: b.partner_id,
            lifecycle_stage: b
                .lifecycle_stage
                .map(|s| LifecycleStage::from(s).as_str().to_owned()),
            tags: b.tags,
            phones: b.phones,
            emails: b.emails,
            address: b.address,
            notes: b.notes,
            renewal_on: b.renewal_on,
            maintenance_on: b.maintenance_on,
        }
    }
}

/// One change of a customer's lifecycle stage.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a5c8-7d10-7c3e-9a41-2f6b1c0d9e77", "from": "customer", "to": "vip", "reason": "年采购额超过一百万", "automatic": false, "changed_by": {"id": "0193a5c8-0000-7000-8000-000000000001", "display_name": "王经理"}, "api_key_id": null, "changed_at": "2026-11-23T08:30:00Z"}))]
pub struct StageChangeOut {
    pub id: String,
    /// A lifecycle stage, as in `lifecycle_stage`.
    pub from: String,
    pub to: String,
    pub reason: Option<String>,
    /// Made by Kehu itself (e.g. a won deal), not by a person.
    pub automatic: bool,
    /// The user who made it; null when automatic.
    pub changed_by: Option<UserRef>,
    /// Set when the change came through an API key rather than the UI.
    pub api_key_id: Option<String>,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserRef {
    pub id: String,
    pub display_name: String,
}

/// A customer's stage changes, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageChangeList {
    pub data: Vec<StageChangeOut>,
}

impl From<crate::repo::customers::stages::StageChangeRow> for StageChangeOut {
    fn from(r: crate::repo::customers::stages::StageChangeRow) -> Self {
        StageChangeOut {
            from: r.from_stage,
            to: r.to_stage,
            changed_by: r.changed_by.map(|id| UserRef {
                id,
                display_name: r.changed_by_name.unwrap_or_default(),
            }),
            id: r.id,
            reason: r.reason,
            automatic: r.automatic,
            api_key_id: r.api_key_id,
            changed_at: r.changed_at.and_utc(),
        }
    }
}
