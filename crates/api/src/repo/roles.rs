//! Roles and their grants.

use crate::db::DbConnection;
use crate::db::schema::{role_grants, roles, user_roles};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::access::{Action, BuiltinRole, Resource, RoleGrants, Scope, builtin_grants};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = roles)]
pub struct RoleRow {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub is_builtin: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub row: RoleRow,
    pub grants: RoleGrants,
}

fn grants_of(
    c: &mut DbConnection,
    ids: &[&String],
) -> QueryResult<Vec<(String, Resource, Action, Scope)>> {
    let rows: Vec<(String, String, String, String)> = role_grants::table
        .filter(role_grants::role_id.eq_any(ids))
        .select((
            role_grants::role_id,
            role_grants::resource,
            role_grants::action,
            role_grants::scope,
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, r, a, s)| {
            Some((
                id,
                Resource::parse(&r)?,
                Action::parse(&a)?,
                Scope::parse(&s)?,
            ))
        })
        .collect())
}

fn with_grants(c: &mut DbConnection, rows: Vec<RoleRow>) -> QueryResult<Vec<Role>> {
    let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
    let g = grants_of(c, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| Role {
            grants: g
                .iter()
                .filter(|(id, ..)| *id == row.id)
                .map(|&(_, r, a, s)| ((r, a), s))
                .collect(),
            row,
        })
        .collect())
}

pub fn list(c: &mut DbConnection) -> QueryResult<Vec<Role>> {
    let rows = roles::table
        .select(RoleRow::as_select())
        .order((roles::is_builtin.desc(), roles::name))
        .load(c)?;
    with_grants(c, rows)
}

pub fn get(c: &mut DbConnection, id: &str) -> QueryResult<Option<Role>> {
    let row: Option<RoleRow> = roles::table
        .filter(roles::id.eq(id))
        .select(RoleRow::as_select())
        .first(c)
        .optional()?;
    match row {
        Some(r) => Ok(with_grants(c, vec![r])?.pop()),
        None => Ok(None),
    }
}

pub fn missing(c: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<String> = roles::table
        .filter(roles::id.eq_any(ids))
        .select(roles::id)
        .load(c)?;
    Ok(ids.iter().filter(|i| !found.contains(i)).cloned().collect())
}

pub fn name_taken(c: &mut DbConnection, name: &str, except: Option<&str>) -> QueryResult<bool> {
    let mut q = roles::table
        .filter(roles::name.eq(name))
        .select(roles::id)
        .into_boxed();
    if let Some(x) = except {
        q = q.filter(roles::id.ne(x.to_owned()));
    }
    Ok(q.first::<String>(c).optional()?.is_some())
}

fn set_grants(c: &mut DbConnection, id: &str, grants: &RoleGrants) -> QueryResult<()> {
    diesel::delete(role_grants::table.filter(role_grants::role_id.eq(id))).execute(c)?;
    for (&(r, a), &s) in grants {
        diesel::insert_into(role_grants::table)
            .values((
                role_grants::role_id.eq(id),
                role_grants::resource.eq(r.as_str()),
                role_grants::action.eq(a.as_str()),
                role_grants::scope.eq(s.as_str()),
            ))
            .execute(c)?;
    }
    Ok(())
}

pub struct RoleValues<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub grants: &'a RoleGrants,
}

pub fn insert(
    c: &mut DbConnection,
    id: &str,
    v: &RoleValues<'_>,
    builtin: bool,
    now: NaiveDateTime,
) -> QueryResult<Role> {
    crate::db::write_tx(c, |c| {
        diesel::insert_into(roles::table)
            .values((
                roles::id.eq(id),
                roles::name.eq(v.name),
                roles::description.eq(v.description),
                roles::is_builtin.eq(builtin),
                roles::created_at.eq(now),
                roles::updated_at.eq(now),
                roles::version.eq(1i64),
            ))
            .execute(c)?;
        set_grants(c, id, v.grants)?;
        Ok(get(c, id)?.expect("just inserted"))
    })
}

pub fn update(
    c: &mut DbConnection,
    id: &str,
    expected_version: i64,
    v: &RoleValues<'_>,
    now: NaiveDateTime,
) -> QueryResult<Option<Role>> {
    crate::db::write_tx(c, |c| {
        let n = diesel::update(
            roles::table
                .filter(roles::id.eq(id))
                .filter(roles::version.eq(expected_version)),
        )
        .set((
            roles::name.eq(v.name),
            roles::description.eq(v.description),
            roles::updated_at.eq(now),
            roles::version.eq(expected_version + 1),
        ))
        .execute(c)?;
        if n == 0 {
            return Ok(None);
        }
        set_grants(c, id, v.grants)?;
        get(c, id)
    })
}

pub fn holders(c: &mut DbConnection, id: &str) -> QueryResult<i64> {
    user_roles::table
        .filter(user_roles::role_id.eq(id))
        .count()
        .get_result(c)
}

pub fn delete(c: &mut DbConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(
        roles::table
            .filter(roles::id.eq(id))
            .filter(roles::is_builtin.eq(false)),
    )
    .execute(c)
}

/// Creates the built-in roles and brings their grants in line with the code,
/// so an upgrade that changes a built-in role takes effect on start.
pub fn ensure_builtin(c: &mut DbConnection, now: NaiveDateTime) -> QueryResult<()> {
    crate::db::write_tx(c, |c| {
        for role in BuiltinRole::ALL {
            let grants = builtin_grants(role);
            if get(c, role.key())?.is_some() {
                set_grants(c, role.key(), &grants)?;
            } else {
                let v = RoleValues {
                    name: role.name(),
                    description: None,
                    grants: &grants,
                };
                insert(c, role.key(), &v, true, now)?;
            }
        }
        Ok(())
    })
}
