//! 审计 for the organisation: users, roles, units and API keys are records
//! too, and who changed a role's rights or a user's region matters as much as
//! who changed a customer. Entries have no customer, so only the whole log
//! (`/api/v1/audit`, administrators) shows them.

use crate::auth::Auth;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::repo::audit::{Entity, record_without_customer};
use crate::repo::org::UnitKind;
use crate::repo::users::UserValues;
use kehu_domain::access::RoleGrants;
use kehu_domain::audit::{self, Action, Fields, list};

/// Records `action` on an organisation record in the caller's name: the
/// fields that differ between `before` and `after` (empty before: created;
/// empty after: deleted, with what it was).
pub fn record(
    c: &mut DbConnection,
    auth: &Auth,
    entity: Entity,
    id: &str,
    action: Action,
    before: &Fields,
    after: &Fields,
) -> Result<(), ApiError> {
    let changes = audit::diff(before, after);
    let by = crate::http::customers::changed_by(auth);
    Ok(record_without_customer(
        c,
        entity,
        id,
        action,
        &changes,
        by,
        crate::db::now(),
    )?)
}

pub fn unit_entity(kind: UnitKind) -> Entity {
    match kind {
        UnitKind::Team => Entity::Team,
        UnitKind::Region => Entity::Region,
        UnitKind::ProductLine => Entity::ProductLine,
        UnitKind::Partner => Entity::Partner,
    }
}

pub fn unit_fields(name: &str, parent_id: Option<&str>) -> Fields {
    vec![
        ("name", Some(name.to_owned())),
        ("parent_id", parent_id.map(str::to_owned)),
    ]
}

/// A user's fields as the log shows them; never the password.
pub fn user_fields(v: &UserValues) -> Fields {
    vec![
        ("email", Some(v.email.clone())),
        ("display_name", Some(v.display_name.clone())),
        ("is_active", Some(v.is_active.to_string())),
        ("team_id", v.team_id.clone()),
        ("partner_id", v.partner_id.clone()),
        ("locale", v.locale.clone()),
        ("role_ids", list(&v.role_ids)),
        ("region_ids", list(&v.region_ids)),
        ("product_line_ids", list(&v.product_line_ids)),
    ]
}

/// A role's fields; each grant as `resource.action: scope`.
pub fn role_fields(name: &str, description: Option<&str>, grants: &RoleGrants) -> Fields {
    let grants: Vec<String> = grants
        .iter()
        .map(|((r, a), s)| format!("{}.{}: {}", r.as_str(), a.as_str(), s.as_str()))
        .collect();
    vec![
        ("name", Some(name.to_owned())),
        ("description", description.map(str::to_owned)),
        ("grants", list(&grants)),
    ]
}

pub fn api_key_fields(name: &str, user_id: &str, expires_at: Option<String>) -> Fields {
    vec![
        ("name", Some(name.to_owned())),
        ("user_id", Some(user_id.to_owned())),
        ("expires_at", expires_at),
    ]
}
