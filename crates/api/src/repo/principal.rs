//! Loading the acting user with their merged grants and expanded org trees.

use crate::auth::principal::{Auth, Via};
use crate::db::DbConnection;
use crate::db::schema::{
    access_epoch, org_units, role_grants, user_product_lines, user_regions, user_roles, users,
};
use crate::error::ApiError;
use diesel::prelude::*;
use kehu_domain::access::{Action, Grants, Resource, RoleGrants, Scope, Subject};
use kehu_domain::org::with_descendants;
use std::collections::BTreeMap;

/// The current access epoch (see `auth::cache`).
pub fn epoch(c: &mut DbConnection) -> QueryResult<i64> {
    access_epoch::table
        .filter(access_epoch::id.eq(1))
        .select(access_epoch::epoch)
        .first(c)
}

/// Parent links of all org units of one kind.
pub fn tree(c: &mut DbConnection, kind: &str) -> QueryResult<BTreeMap<String, Option<String>>> {
    Ok(org_units::table
        .filter(org_units::kind.eq(kind))
        .select((org_units::id, org_units::parent_id))
        .load::<(String, Option<String>)>(c)?
        .into_iter()
        .collect())
}

/// Merged grants of the given roles.
pub fn grants_of_roles(c: &mut DbConnection, role_ids: &[String]) -> QueryResult<Grants> {
    let rows: Vec<(String, String, String, String)> = role_grants::table
        .filter(role_grants::role_id.eq_any(role_ids))
        .select((
            role_grants::role_id,
            role_grants::resource,
            role_grants::action,
            role_grants::scope,
        ))
        .load(c)?;
    let mut per_role: BTreeMap<String, RoleGrants> = BTreeMap::new();
    for (role, res, act, scope) in rows {
        // Rows the code no longer understands grant nothing rather than failing sign-in.
        if let (Some(r), Some(a), Some(s)) = (
            Resource::parse(&res),
            Action::parse(&act),
            Scope::parse(&scope),
        ) {
            per_role.entry(role).or_default().insert((r, a), s);
        }
    }
    Ok(Grants::merge(per_role.values()))
}

#[derive(Queryable)]
struct PrincipalRow {
    id: String,
    email: String,
    display_name: String,
    team_id: Option<String>,
    partner_id: Option<String>,
}

/// The active user `user_id`, or `None` if there is none (or it is deactivated).
pub fn load(c: &mut DbConnection, user_id: &str, via: Via) -> Result<Option<Auth>, ApiError> {
    let user: Option<PrincipalRow> = users::table
        .filter(users::id.eq(user_id))
        .filter(users::is_active.eq(true))
        .select((
            users::id,
            users::email,
            users::display_name,
            users::team_id,
            users::partner_id,
        ))
        .first(c)
        .optional()?;
    let Some(PrincipalRow {
        id,
        email,
        display_name,
        team_id,
        partner_id,
    }) = user
    else {
        return Ok(None);
    };
    let role_ids: Vec<String> = user_roles::table
        .filter(user_roles::user_id.eq(&id))
        .select(user_roles::role_id)
        .order(user_roles::role_id)
        .load(c)?;
    let grants = grants_of_roles(c, &role_ids)?;
    let own_region_ids: Vec<String> = user_regions::table
        .filter(user_regions::user_id.eq(&id))
        .select(user_regions::region_id)
        .order(user_regions::region_id)
        .load(c)?;
    let product_line_ids = user_product_lines::table
        .filter(user_product_lines::user_id.eq(&id))
        .select(user_product_lines::product_line_id)
        .load::<String>(c)?
        .into_iter()
        .collect();
    let team_ids = match &team_id {
        Some(t) => with_descendants([t.as_str()], &tree(c, "team")?),
        None => Default::default(),
    };
    let region_ids = if own_region_ids.is_empty() {
        Default::default()
    } else {
        with_descendants(
            own_region_ids.iter().map(String::as_str),
            &tree(c, "region")?,
        )
    };
    Ok(Some(Auth {
        subject: Subject {
            user_id: id,
            team_ids,
            region_ids,
            product_line_ids,
            partner_id,
            grants,
        },
        email,
        display_name,
        team_id,
        own_region_ids,
        role_ids,
        via,
    }))
}
