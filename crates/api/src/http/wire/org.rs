use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A team, region, product line or partner.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a3f0-7c4e-7d2a-9b1e-2f4c6a8e0b1d", "name": "上海", "parent_id": "0193a3f0-7c4e-7d2a-9b1e-2f4c6a8e0b00", "created_at": "2026-11-23T08:00:00Z", "updated_at": "2026-11-23T08:00:00Z", "version": 1}))]
pub struct OrgUnit {
    pub id: String,
    pub name: String,
    /// The unit above this one (teams and regions only); null for a top-level unit.
    pub parent_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgUnitList {
    pub data: Vec<OrgUnit>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "上海", "parent_id": null}))]
pub struct OrgUnitCreate {
    pub name: String,
    /// Teams and regions only.
    #[serde(default)]
    pub parent_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgUnitUpdate {
    pub name: Option<String>,
    /// Move below another unit; null makes it top-level.
    #[serde(default, deserialize_with = "crate::http::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub parent_id: Option<Option<String>>,
}

impl From<crate::repo::org::UnitRow> for OrgUnit {
    fn from(r: crate::repo::org::UnitRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            parent_id: r.parent_id,
            created_at: super::time(r.created_at),
            updated_at: super::time(r.updated_at),
            version: r.version,
        }
    }
}
