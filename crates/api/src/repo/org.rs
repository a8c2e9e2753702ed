//! Teams, regions, product lines and partners (one table, `kind` tells them apart).

use crate::db::DbConnection;
use crate::db::schema::{
    customer_product_lines, customers, org_units, user_product_lines, user_regions, users,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The four kinds of organisation unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Team,
    Region,
    ProductLine,
    Partner,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Team => "team",
            UnitKind::Region => "region",
            UnitKind::ProductLine => "product_line",
            UnitKind::Partner => "partner",
        }
    }

    /// Teams and regions nest; product lines and partners are flat lists.
    pub fn is_tree(self) -> bool {
        matches!(self, UnitKind::Team | UnitKind::Region)
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Team => "team",
            UnitKind::Region => "region",
            UnitKind::ProductLine => "product line",
            UnitKind::Partner => "partner",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = org_units)]
pub struct UnitRow {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

pub fn list(c: &mut DbConnection, kind: UnitKind) -> QueryResult<Vec<UnitRow>> {
    org_units::table
        .filter(org_units::kind.eq(kind.as_str()))
        .select(UnitRow::as_select())
        .order((org_units::name, org_units::id))
        .load(c)
}

pub fn get(c: &mut DbConnection, kind: UnitKind, id: &str) -> QueryResult<Option<UnitRow>> {
    org_units::table
        .filter(org_units::kind.eq(kind.as_str()))
        .filter(org_units::id.eq(id))
        .select(UnitRow::as_select())
        .first(c)
        .optional()
}

/// Which of `ids` are not units of `kind`.
pub fn missing(c: &mut DbConnection, kind: UnitKind, ids: &[String]) -> QueryResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<String> = org_units::table
        .filter(org_units::kind.eq(kind.as_str()))
        .filter(org_units::id.eq_any(ids))
        .select(org_units::id)
        .load(c)?;
    Ok(ids.iter().filter(|i| !found.contains(i)).cloned().collect())
}

/// Adds a `not_found` error at its field for each id in `refs` that names
/// no unit of its kind: the check of a record's references to the organisation.
pub fn check_refs<'a>(
    c: &mut DbConnection,
    col: &mut kehu_domain::error::Collector,
    refs: impl IntoIterator<Item = (&'a str, UnitKind, Vec<String>)>,
) -> QueryResult<()> {
    for (field, kind, ids) in refs {
        for m in missing(c, kind, &ids)? {
            col.push(kehu_domain::FieldError::new(
                field,
                "not_found",
                format!("no {} {m}", kind.label()),
            ));
        }
    }
    Ok(())
}

pub fn name_taken(
    c: &mut DbConnection,
    kind: UnitKind,
    parent: Option<&str>,
    name: &str,
    except: Option<&str>,
) -> QueryResult<bool> {
    let mut q = org_units::table
        .filter(org_units::kind.eq(kind.as_str()))
        .filter(org_units::name.eq(name))
        .select(org_units::id)
        .into_boxed();
    q = match parent {
        Some(p) => q.filter(org_units::parent_id.eq(p.to_owned())),
        None => q.filter(org_units::parent_id.is_null()),
    };
    if let Some(x) = except {
        q = q.filter(org_units::id.ne(x.to_owned()));
    }
    Ok(q.first::<String>(c).optional()?.is_some())
}

pub fn insert(
    c: &mut DbConnection,
    kind: UnitKind,
    id: &str,
    name: &str,
    parent: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<UnitRow> {
    diesel::insert_into(org_units::table)
        .values((
            org_units::id.eq(id),
            org_units::kind.eq(kind.as_str()),
            org_units::name.eq(name),
            org_units::parent_id.eq(parent),
            org_units::created_at.eq(now),
            org_units::updated_at.eq(now),
            org_units::version.eq(1i64),
        ))
        .execute(c)?;
    Ok(get(c, kind, id)?.expect("just inserted"))
}

/// Updates if the version still matches; `None` when it does not.
pub fn update(
    c: &mut DbConnection,
    kind: UnitKind,
    id: &str,
    expected_version: i64,
    name: &str,
    parent: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<Option<UnitRow>> {
    let n = diesel::update(
        org_units::table
            .filter(org_units::kind.eq(kind.as_str()))
            .filter(org_units::id.eq(id))
            .filter(org_units::version.eq(expected_version)),
    )
    .set((
        org_units::name.eq(name),
        org_units::parent_id.eq(parent),
        org_units::updated_at.eq(now),
        org_units::version.eq(expected_version + 1),
    ))
    .execute(c)?;
    if n == 0 { Ok(None) } else { get(c, kind, id) }
}

/// What still refers to a unit, in words, so a refused delete can say why.
pub fn usage(c: &mut DbConnection, kind: UnitKind, id: &str) -> QueryResult<Vec<String>> {
    use diesel::dsl::count_star;
    let mut used = Vec::new();
    let children: i64 = org_units::table
        .filter(org_units::parent_id.eq(id))
        .select(count_star())
        .first(c)?;
    if children > 0 {
        used.push(format!("{children} sub-units"));
    }
    let (users_n, customers_n): (i64, i64) = match kind {
        UnitKind::Team => (
            users::table
                .filter(users::team_id.eq(id))
                .select(count_star())
                .first(c)?,
            customers::table
                .filter(customers::team_id.eq(id))
                .select(count_star())
                .first(c)?,
        ),
        UnitKind::Partner => (
            users::table
                .filter(users::partner_id.eq(id))
                .select(count_star())
                .first(c)?,
            customers::table
                .filter(customers::partner_id.eq(id))
                .select(count_star())
                .first(c)?,
        ),
        UnitKind::Region => (
            user_regions::table
                .filter(user_regions::region_id.eq(id))
                .select(count_star())
                .first(c)?,
            customers::table
                .filter(customers::region_id.eq(id))
                .select(count_star())
                .first(c)?,
        ),
        UnitKind::ProductLine => (
            user_product_lines::table
                .filter(user_product_lines::product_line_id.eq(id))
                .select(count_star())
                .first(c)?,
            customer_product_lines::table
                .filter(customer_product_lines::product_line_id.eq(id))
                .select(count_star())
                .first(c)?,
        ),
    };
    if users_n > 0 {
        used.push(format!("{users_n} users"));
    }
    if customers_n > 0 {
        used.push(format!("{customers_n} customers"));
    }
    Ok(used)
}

pub fn delete(c: &mut DbConnection, kind: UnitKind, id: &str) -> QueryResult<usize> {
    diesel::delete(
        org_units::table
            .filter(org_units::kind.eq(kind.as_str()))
            .filter(org_units::id.eq(id)),
    )
    .execute(c)
}

/// Every unit of a kind's name, by id (for showing regions in exports).
pub fn names(c: &mut DbConnection, kind: UnitKind) -> QueryResult<Vec<(String, String)>> {
    org_units::table
        .filter(org_units::kind.eq(kind.as_str()))
        .select((org_units::id, org_units::name))
        .load(c)
}
