//! The audit log on the wire.

use super::customers::UserRef;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// One field's value before and after a change (`null`: empty).
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChangeOut {
    #[schema(example = "industry")]
    pub field: String,
    pub old: Option<String>,
    #[schema(example = "零售")]
    pub new: Option<String>,
}

/// One change to a record.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a5c8-7d10-7c3e-9a41-2f6b1c0d9e80", "entity": "customer", "entity_id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f60", "customer_id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f60", "action": "update", "changes": [{"field": "industry", "old": null, "new": "零售"}], "changed_by": {"id": "0193a5c8-0000-7000-8000-000000000002", "display_name": "陈东"}, "api_key_id": null, "at": "2026-11-30T08:30:00Z", "import_id": null}))]
pub struct AuditEntryOut {
    pub id: String,
    /// `customer`, `contact`, `activity`, `opportunity`, `lead`, or a record
    /// of the organisation: `user`, `role`, `team`, `region`,
    /// `product_line`, `partner`, `api_key`.
    pub entity: String,
    pub entity_id: String,
    /// The customer the record concerns; null for deals and leads (read by
    /// their own scope) and the organisation's records.
    pub customer_id: Option<String>,
    /// `create`, `update`, `delete`, `restore` or `merge` (on the survivor:
    /// the fields the merge changed and `merged_from`; on the retired record:
    /// `merged_into`); for deals also `move`, `win`, `lose` and `reopen`
    /// (the fields they changed: `stage_id`, `status`, `closed_on`, …), for
    /// leads `convert` (`status` and the `converted_*` ids).
    pub action: String,
    /// For create and update: each field that changed (for create: every field set).
    pub changes: Vec<FieldChangeOut>,
    /// The user; `null` for a change Kehu made by itself (pool recycling).
    pub changed_by: Option<UserRef>,
    /// Set when the change came through an API key rather than the UI.
    pub api_key_id: Option<String>,
    pub at: DateTime<Utc>,
    /// Set when an import made the change (`/api/v1/imports/{id}`).
    pub import_id: Option<String>,
}

/// A page of audit entries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub data: Vec<AuditEntryOut>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}
