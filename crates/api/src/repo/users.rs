//! Users and what they are assigned: roles, regions, product lines.

use crate::db::DbConnection;
use crate::db::schema::{user_product_lines, user_regions, user_roles, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub is_active: bool,
    pub team_id: Option<String>,
    pub partner_id: Option<String>,
    pub locale: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    /// IANA zone: the user's days and hours for reminders.
    pub time_zone: String,
}

/// A user with their assignments.
#[derive(Debug, Clone)]
pub struct User {
    pub row: UserRow,
    pub role_ids: Vec<String>,
    pub region_ids: Vec<String>,
    pub product_line_ids: Vec<String>,
}

/// What a new user or an update sets.
#[derive(Debug, Clone)]
pub struct UserValues {
    pub email: String,
    pub email_key: String,
    pub display_name: String,
    pub is_active: bool,
    pub team_id: Option<String>,
    pub partner_id: Option<String>,
    pub locale: Option<String>,
    pub role_ids: Vec<String>,
    pub region_ids: Vec<String>,
    pub product_line_ids: Vec<String>,
}

fn with_assignments(c: &mut DbConnection, rows: Vec<UserRow>) -> QueryResult<Vec<User>> {
    let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
    let roles: Vec<(String, String)> = user_roles::table
        .filter(user_roles::user_id.eq_any(&ids))
        .select((user_roles::user_id, user_roles::role_id))
        .order((user_roles::user_id, user_roles::role_id))
        .load(c)?;
    let regions: Vec<(String, String)> = user_regions::table
        .filter(user_regions::user_id.eq_any(&ids))
        .select((user_regions::user_id, user_regions::region_id))
        .order((user_regions::user_id, user_regions::region_id))
        .load(c)?;
    let pls: Vec<(String, String)> = user_product_lines::table
        .filter(user_product_lines::user_id.eq_any(&ids))
        .select((
            user_product_lines::user_id,
            user_product_lines::product_line_id,
        ))
        .order((
            user_product_lines::user_id,
            user_product_lines::product_line_id,
        ))
        .load(c)?;
    let pick = |v: &[(String, String)], id: &str| {
        v.iter()
            .filter(|(u, _)| u == id)
            .map(|(_, x)| x.clone())
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|row| User {
            role_ids: pick(&roles, &row.id),
            region_ids: pick(&regions, &row.id),
            product_line_ids: pick(&pls, &row.id),
            row,
        })
        .collect())
}

pub fn get(c: &mut DbConnection, id: &str) -> QueryResult<Option<User>> {
    let row: Option<UserRow> = users::table
        .filter(users::id.eq(id))
        .select(UserRow::as_select())
        .first(c)
        .optional()?;
    match row {
        Some(r) => Ok(with_assignments(c, vec![r])?.pop()),
        None => Ok(None),
    }
}

pub struct UserFilter {
    pub q: Option<String>,
    pub active: Option<bool>,
    pub team_id: Option<String>,
    /// Continue after this e-mail key (keyset paging in e-mail order).
    pub after: Option<String>,
    pub limit: i64,
}

pub fn list(c: &mut DbConnection, f: &UserFilter) -> QueryResult<Vec<User>> {
    let mut q = users::table.select(UserRow::as_select()).into_boxed();
    if let Some(s) = &f.q {
        let pat = super::customers::like_pattern(&s.to_lowercase());
        q = q.filter(
            users::email_key
                .like(pat.clone())
                .escape('\\')
                .or(users::display_name.like(pat).escape('\\')),
        );
    }
    if let Some(a) = f.active {
        q = q.filter(users::is_active.eq(a));
    }
    if let Some(t) = &f.team_id {
        q = q.filter(users::team_id.eq(t.clone()));
    }
    if let Some(after) = &f.after {
        q = q.filter(users::email_key.gt(after.clone()));
    }
    let rows = q.order(users::email_key).limit(f.limit).load(c)?;
    with_assignments(c, rows)
}

pub fn email_key_of(c: &mut DbConnection, id: &str) -> QueryResult<Option<String>> {
    users::table
        .filter(users::id.eq(id))
        .select(users::email_key)
        .first(c)
        .optional()
}

pub fn id_by_email_key(c: &mut DbConnection, email_key: &str) -> QueryResult<Option<String>> {
    users::table
        .filter(users::email_key.eq(email_key))
        .select(users::id)
        .first(c)
        .optional()
}

/// Id, password hash and active flag for sign-in.
pub fn credentials(
    c: &mut DbConnection,
    email_key: &str,
) -> QueryResult<Option<(String, String, bool)>> {
    users::table
        .filter(users::email_key.eq(email_key))
        .select((users::id, users::password_hash, users::is_active))
        .first(c)
        .optional()
}

pub fn count(c: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(c)
}

/// Which of the ids are not users.
pub fn missing(c: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<String> = users::table
        .filter(users::id.eq_any(ids))
        .select(users::id)
        .load(c)?;
    Ok(ids.iter().filter(|i| !found.contains(i)).cloned().collect())
}

fn set_assignments(c: &mut DbConnection, id: &str, v: &UserValues) -> QueryResult<()> {
    diesel::delete(user_roles::table.filter(user_roles::user_id.eq(id))).execute(c)?;
    diesel::delete(user_regions::table.filter(user_regions::user_id.eq(id))).execute(c)?;
    diesel::delete(user_product_lines::table.filter(user_product_lines::user_id.eq(id)))
        .execute(c)?;
    // one row per insert: multi-row inserts do not compile over the multi-backend connection
    for r in &v.role_ids {
        diesel::insert_into(user_roles::table)
            .values((user_roles::user_id.eq(id), user_roles::role_id.eq(r)))
            .execute(c)?;
    }
    for r in &v.region_ids {
        diesel::insert_into(user_regions::table)
            .values((user_regions::user_id.eq(id), user_regions::region_id.eq(r)))
            .execute(c)?;
    }
    for p in &v.product_line_ids {
        diesel::insert_into(user_product_lines::table)
            .values((
                user_product_lines::user_id.eq(id),
                user_product_lines::product_line_id.eq(p),
            ))
            .execute(c)?;
    }
    Ok(())
}

pub fn insert(
    c: &mut DbConnection,
    id: &str,
    v: &UserValues,
    password_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<User> {
    crate::db::write_tx(c, |c| {
        diesel::insert_into(users::table)
            .values((
                users::id.eq(id),
                users::email.eq(&v.email),
                users::email_key.eq(&v.email_key),
                users::display_name.eq(&v.display_name),
                users::password_hash.eq(password_hash),
                users::is_active.eq(v.is_active),
                users::team_id.eq(&v.team_id),
                users::partner_id.eq(&v.partner_id),
                users::locale.eq(&v.locale),
                users::created_at.eq(now),
                users::updated_at.eq(now),
                users::version.eq(1i64),
            ))
            .execute(c)?;
        set_assignments(c, id, v)?;
        Ok(get(c, id)?.expect("just inserted"))
    })
}

/// Updates if the version matches; `None` when someone else changed the user first.
pub fn update(
    c: &mut DbConnection,
    id: &str,
    expected_version: i64,
    v: &UserValues,
    password_hash: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<Option<User>> {
    crate::db::write_tx(c, |c| {
        let n = diesel::update(
            users::table
                .filter(users::id.eq(id))
                .filter(users::version.eq(expected_version)),
        )
        .set((
            users::email.eq(&v.email),
            users::email_key.eq(&v.email_key),
            users::display_name.eq(&v.display_name),
            users::is_active.eq(v.is_active),
            users::team_id.eq(&v.team_id),
            users::partner_id.eq(&v.partner_id),
            users::locale.eq(&v.locale),
            users::updated_at.eq(now),
            users::version.eq(expected_version + 1),
        ))
        .execute(c)?;
        if n == 0 {
            return Ok(None);
        }
        if let Some(h) = password_hash {
            diesel::update(users::table.filter(users::id.eq(id)))
                .set(users::password_hash.eq(h))
                .execute(c)?;
        }
        set_assignments(c, id, v)?;
        get(c, id)
    })
}

/// Sets the user's preferred language (their own preference; no version check needed).
pub fn set_locale(
    c: &mut DbConnection,
    id: &str,
    locale: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.filter(users::id.eq(id)))
        .set((
            users::locale.eq(locale),
            users::updated_at.eq(now),
            users::version.eq(users::version + 1),
        ))
        .execute(c)
}

/// Every user's display name, by id (for showing owners in exports).
pub fn names(c: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    users::table
        .select((users::id, users::display_name))
        .load(c)
}
