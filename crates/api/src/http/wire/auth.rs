use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "admin@example.com", "password": "kehu-demo"}))]
pub struct LoginRequest {
    /// The user's e-mail address (case does not matter).
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh; it is spent by this call.
    pub refresh_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserRef {
    pub id: String,
    #[schema(example = "rep.east@example.com")]
    pub email: String,
    #[schema(example = "陈东")]
    pub display_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Short-lived JWT for `Authorization: Bearer`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Single-use token for `POST /api/v1/auth/refresh`; each refresh returns a new one.
    pub refresh_token: String,
    pub user: UserRef,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleRef {
    #[schema(example = "sales_rep")]
    pub id: String,
    #[schema(example = "Sales rep")]
    pub name: String,
}

/// What a user may do with one kind of record.
#[derive(Debug, Serialize, ToSchema)]
pub struct Permission {
    #[schema(example = "customer")]
    pub resource: String,
    #[schema(example = "read")]
    pub action: String,
    /// The scopes granted (several roles may grant different ones): own, team, region or all.
    #[schema(example = json!(["region"]))]
    pub scopes: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<RoleRef>,
    pub team_id: Option<String>,
    /// The user's own regions; region scope also covers the regions below them.
    pub region_ids: Vec<String>,
    /// Product lines the user is limited to; empty means all.
    pub product_line_ids: Vec<String>,
    pub partner_id: Option<String>,
    /// Preferred language (`zh-CN`, `zh-TW`, `en`), remembered for the user; null: not chosen.
    #[schema(example = "zh-CN")]
    pub locale: Option<String>,
    /// The user's IANA time zone (change it with PUT /me/preferences); their
    /// days, reminders and quiet hours are in it.
    #[schema(example = "Asia/Shanghai")]
    pub time_zone: String,
    /// How the request was authenticated: `session` or `api_key`.
    #[schema(example = "session")]
    pub authenticated_via: String,
    pub permissions: Vec<Permission>,
}

/// The signed-in user's own preferences.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"locale": "en"}))]
pub struct MeUpdate {
    /// Preferred language: `zh-CN`, `zh-TW` or `en`; null forgets the choice.
    #[serde(default, deserialize_with = "crate::http::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Option<String>>,
}
