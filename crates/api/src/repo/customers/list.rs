//! Listing customers: filters, search, sort and keyset paging.

use super::{CustomerRecord, CustomerRow, like_pattern, records};
use crate::db::schema::{customer_tags, customers};
use crate::db::{Db, DbConnection};
use crate::repo::access_sql::CustomerCondition;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerFilter {
    /// The company pool: customers without an owner.
    Pool,
    User(String),
}

#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub owner: Option<OwnerFilter>,
    pub team_id: Option<String>,
    /// A region and every region below it.
    pub region_ids: Option<Vec<String>>,
    pub stage: Option<String>,
    pub industry: Option<String>,
    pub tag: Option<String>,
    pub updated_since: Option<NaiveDateTime>,
    /// Lower-cased search text.
    pub q: Option<String>,
    /// List the trash instead of live customers.
    pub deleted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    UpdatedAt,
    CreatedAt,
    Name,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub desc: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorValue {
    Time(NaiveDateTime),
    Text(String),
}

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    pub value: CursorValue,
    pub id: String,
}

fn filtered(cond: CustomerCondition, f: &CustomerFilter) -> customers::BoxedQuery<'static, Db> {
    let mut q = customers::table.filter(cond).into_boxed();
    q = if f.deleted {
        q.filter(customers::deleted_at.is_not_null())
    } else {
        q.filter(customers::deleted_at.is_null())
    };
    match &f.owner {
        Some(OwnerFilter::Pool) => q = q.filter(customers::owner_id.is_null()),
        Some(OwnerFilter::User(u)) => q = q.filter(customers::owner_id.eq(u.clone())),
        None => {}
    }
    if let Some(t) = &f.team_id {
        q = q.filter(customers::team_id.eq(t.clone()));
    }
    if let Some(rs) = &f.region_ids {
        q = q.filter(customers::region_id.eq_any(rs.clone()));
    }
    if let Some(s) = &f.stage {
        q = q.filter(customers::lifecycle_stage.eq(s.clone()));
    }
    if let Some(i) = &f.industry {
        q = q.filter(customers::industry.eq(i.clone()));
    }
    if let Some(t) = &f.tag {
        q = q.filter(
            customers::id.eq_any(
                customer_tags::table
                    .filter(customer_tags::tag.eq(t.clone()))
                    .select(customer_tags::customer_id),
            ),
        );
    }
    if let Some(s) = f.updated_since {
        q = q.filter(customers::updated_at.ge(s));
    }
    if let Some(text) = &f.q {
        // "138 0013 8000" should find "+86 13800138000": also match the digits alone.
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let looks_like_phone = digits.len() >= 3
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if looks_like_phone && digits != *text {
            q = q.filter(
                customers::search_text
                    .like(like_pattern(text))
                    .escape('\\')
                    .or(customers::search_text
                        .like(like_pattern(&digits))
                        .escape('\\')),
            );
        } else {
            q = q.filter(customers::search_text.like(like_pattern(text)).escape('\\'));
        }
    }
    q
}

macro_rules! keyset {
    ($q:ident, $col:expr, $v:expr, $id:expr, $desc:expr) => {
        if $desc {
            $q.filter(
                $col.lt($v.clone())
                    .or($col.eq($v).and(customers::id.lt($id))),
            )
        } else {
            $q.filter(
                $col.gt($v.clone())
                    .or($col.eq($v).and(customers::id.gt($id))),
            )
        }
    };
}

pub fn list(
    c: &mut DbConnection,
    cond: CustomerCondition,
    f: &CustomerFilter,
    sort: Sort,
    after: Option<&After>,
    limit: i64,
) -> QueryResult<Vec<CustomerRecord>> {
    let mut q = filtered(cond, f);
    if let Some(a) = after {
        let id = a.id.clone();
        q = match (&a.value, sort.key) {
            (CursorValue::Time(t), SortKey::UpdatedAt) => {
                keyset!(q, customers::updated_at, *t, id, sort.desc)
            }
            (CursorValue::Time(t), SortKey::CreatedAt) => {
                keyset!(q, customers::created_at, *t, id, sort.desc)
            }
            (CursorValue::Text(s), SortKey::Name) => {
                keyset!(q, customers::name, s.clone(), id, sort.desc)
            }
            // the HTTP layer only builds matching pairs
            _ => q,
        };
    }
    q = match (sort.key, sort.desc) {
        (SortKey::UpdatedAt, true) => q.order((customers::updated_at.desc(), customers::id.desc())),
        (SortKey::UpdatedAt, false) => q.order((customers::updated_at.asc(), customers::id.asc())),
        (SortKey::CreatedAt, true) => q.order((customers::created_at.desc(), customers::id.desc())),
        (SortKey::CreatedAt, false) => q.order((customers::created_at.asc(), customers::id.asc())),
        (SortKey::Name, true) => q.order((customers::name.desc(), customers::id.desc())),
        (SortKey::Name, false) => q.order((customers::name.asc(), customers::id.asc())),
    };
    let rows: Vec<CustomerRow> = q.select(CustomerRow::as_select()).limit(limit).load(c)?;
    records(c, rows)
}

pub fn count(
    c: &mut DbConnection,
    cond: CustomerCondition,
    f: &CustomerFilter,
) -> QueryResult<i64> {
    filtered(cond, f).count().get_result(c)
}
