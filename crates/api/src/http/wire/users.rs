use crate::repo;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    pub id: String,
    pub email: String,
    pub display_name: String,
    /// Deactivated users cannot sign in; their sessions and API keys end at once.
    pub is_active: bool,
    pub team_id: Option<String>,
    pub partner_id: Option<String>,
    /// Preferred language, e.g. `zh-CN` or `en`.
    pub locale: Option<String>,
    pub role_ids: Vec<String>,
    pub region_ids: Vec<String>,
    pub product_line_ids: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<repo::users::User> for UserOut {
    fn from(u: repo::users::User) -> Self {
        let r = u.row;
        Self {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            is_active: r.is_active,
            team_id: r.team_id,
            partner_id: r.partner_id,
            locale: r.locale,
            role_ids: u.role_ids,
            region_ids: u.region_ids,
            product_line_ids: u.product_line_ids,
            created_at: super::time(r.created_at),
            updated_at: super::time(r.updated_at),
            version: r.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub data: Vec<UserOut>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "rep.north@example.com", "display_name": "赵北", "password": "a-long-secret", "role_ids": ["sales_rep"], "region_ids": []}))]
pub struct UserCreate {
    pub email: String,
    pub display_name: String,
    /// At least 8 characters.
    pub password: String,
    #[serde(default)]
    pub role_ids: Vec<String>,
    #[serde(default)]
    pub team_id: Option<String>,
    #[serde(default)]
    pub region_ids: Vec<String>,
    #[serde(default)]
    pub product_line_ids: Vec<String>,
    /// Makes the user a partner (dealer) user, confined to this partner's records.
    #[serde(default)]
    pub partner_id: Option<String>,
    #[serde(default)]
    pub locale: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    pub email: Option<String>,
    pub display_name: Option<String>,
    /// Sets a new password.
    pub password: Option<String>,
    /// `false` deactivates the user and ends their sessions and API keys.
    pub is_active: Option<bool>,
    pub role_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::http::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub team_id: Option<Option<String>>,
    pub region_ids: Option<Vec<String>>,
    pub product_line_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::http::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub partner_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Option<String>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantWire {
    /// customer, user, role, team, region, product_line, partner, api_key
    #[schema(example = "customer")]
    pub resource: String,
    /// read, create, update, delete
    #[schema(example = "read")]
    pub action: String,
    /// none, own, team, region, all
    #[schema(example = "team")]
    pub scope: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleOut {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// Built-in roles cannot be changed or deleted.
    pub is_builtin: bool,
    pub grants: Vec<GrantWire>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<repo::roles::Role> for RoleOut {
    fn from(r: repo::roles::Role) -> Self {
        Self {
            grants: r
                .grants
                .iter()
                .map(|(&(res, act), &s)| GrantWire {
                    resource: res.as_str().into(),
                    action: act.as_str().into(),
                    scope: s.as_str().into(),
                })
                .collect(),
            id: r.row.id,
            name: r.row.name,
            description: r.row.description,
            is_builtin: r.row.is_builtin,
            created_at: super::time(r.row.created_at),
            updated_at: super::time(r.row.updated_at),
            version: r.row.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    pub data: Vec<RoleOut>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Key account manager", "grants": [{"resource": "customer", "action": "read", "scope": "team"}]}))]
pub struct RoleCreate {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub grants: Vec<GrantWire>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleUpdate {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// Replaces all grants.
    pub grants: Option<Vec<GrantWire>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyOut {
    pub id: String,
    pub name: String,
    /// The user the key acts as.
    pub user_id: String,
    /// The first characters of the key, to recognise it.
    #[schema(example = "kehu_Ab3dE9")]
    pub prefix: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<repo::api_keys::ApiKeyRow> for ApiKeyOut {
    fn from(k: repo::api_keys::ApiKeyRow) -> Self {
        Self {
            id: k.id,
            name: k.name,
            user_id: k.user_id,
            prefix: k.prefix,
            expires_at: k.expires_at.map(super::time),
            revoked_at: k.revoked_at.map(super::time),
            last_used_at: k.last_used_at.map(super::time),
            created_by: k.created_by,
            created_at: super::time(k.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyList {
    pub data: Vec<ApiKeyOut>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "ERP sync", "user_id": "0193a3f0-7c4e-7d2a-9b1e-2f4c6a8e0b1d", "expires_at": "2027-12-31T00:00:00Z"}))]
pub struct ApiKeyCreate {
    pub name: String,
    /// The user the key acts as; its rights are that user's.
    pub user_id: String,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyCreated {
    /// The key itself. It is shown only in this response; store it now.
    #[schema(example = "kehu_Ab3dE9xY...")]
    pub key: String,
    pub api_key: ApiKeyOut,
}
