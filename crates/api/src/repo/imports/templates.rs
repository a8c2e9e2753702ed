//! Saved mappings, each the property of one user.

use crate::db::DbConnection;
use crate::db::schema::import_templates as t;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct TemplateRow {
    pub id: String,
    pub name: String,
    pub mapping: String,
    pub policy: String,
    pub created_at: NaiveDateTime,
}

pub fn list_templates(c: &mut DbConnection, user_id: &str) -> QueryResult<Vec<TemplateRow>> {
    t::table
        .filter(t::user_id.eq(user_id))
        .order((t::name, t::id))
        .select((t::id, t::name, t::mapping, t::policy, t::created_at))
        .load(c)
}

/// Saves a template; false when the user has one of that name already.
pub fn insert_template(
    c: &mut DbConnection,
    user_id: &str,
    row: &TemplateRow,
) -> QueryResult<bool> {
    let taken = t::table
        .filter(t::user_id.eq(user_id))
        .filter(t::name.eq(&row.name))
        .select(t::id)
        .first::<String>(c)
        .optional()?
        .is_some();
    if taken {
        return Ok(false);
    }
    diesel::insert_into(t::table)
        .values((
            t::id.eq(&row.id),
            t::user_id.eq(user_id),
            t::name.eq(&row.name),
            t::mapping.eq(&row.mapping),
            t::policy.eq(&row.policy),
            t::created_at.eq(row.created_at),
        ))
        .execute(c)?;
    Ok(true)
}

/// Deletes one of the user's templates; false when they have none by that id.
pub fn delete_template(c: &mut DbConnection, user_id: &str, id: &str) -> QueryResult<bool> {
    let n =
        diesel::delete(t::table.filter(t::id.eq(id)).filter(t::user_id.eq(user_id))).execute(c)?;
    Ok(n == 1)
}
