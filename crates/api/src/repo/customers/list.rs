//! Listing customers: filters, search, sort and keyset paging.

use super::{CustomerRecord, CustomerRow, records, search};
use crate::db::schema::{customer_tags, customers};
use crate::db::{Backend, Db, DbConnection};
use crate::repo::access_sql::{self as scope, CustomerCondition, customer_condition};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::access::Predicate;

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

fn filtered(
    backend: Backend,
    cond: CustomerCondition,
    f: &CustomerFilter,
) -> customers::BoxedQuery<'static, Db> {
    let mut q = customers::table.filter(cond).into_boxed();
    q = if f.deleted {
        // merged records are retired, not in the trash
        q.filter(customers::deleted_at.is_not_null())
            .filter(customers::merged_into_id.is_null())
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
        q = q.filter(search::condition(backend, text));
    }
    q
}

macro_rules! keyset {
    ($q:ident, $col:expr, $v:expr, $id:expr, $desc:expr) => {
        // the bound on the column alone is implied; said outright, the
        // sort index starts the page there instead of skipping to it
        if $desc {
            $q.filter($col.le($v.clone())).filter(
                $col.lt($v.clone())
                    .or($col.eq($v).and(customers::id.lt($id))),
            )
        } else {
            $q.filter($col.ge($v.clone())).filter(
                $col.gt($v.clone())
                    .or($col.eq($v).and(customers::id.gt($id))),
            )
        }
    };
}

/// The query of one scope branch for a page: every filter, the cursor, the
/// order and the limit, so that it is read in order from an index of its
/// own; and, when `until` is given, only rows up to that sort value (rows
/// past it cannot make the page: the branches read before have filled it).
fn branch_query(
    backend: Backend,
    branch: &Predicate,
    f: &CustomerFilter,
    sort: Sort,
    after: Option<&After>,
    until: Option<&CursorValue>,
    limit: i64,
) -> customers::BoxedQuery<'static, Db> {
    let mut q = filtered(backend, customer_condition(branch), f);
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
    q = match (until, sort.key, sort.desc) {
        (Some(CursorValue::Time(t)), SortKey::UpdatedAt, true) => {
            q.filter(customers::updated_at.ge(*t))
        }
        (Some(CursorValue::Time(t)), SortKey::UpdatedAt, false) => {
            q.filter(customers::updated_at.le(*t))
        }
        (Some(CursorValue::Time(t)), SortKey::CreatedAt, true) => {
            q.filter(customers::created_at.ge(*t))
        }
        (Some(CursorValue::Time(t)), SortKey::CreatedAt, false) => {
            q.filter(customers::created_at.le(*t))
        }
        (Some(CursorValue::Text(s)), SortKey::Name, true) => {
            q.filter(customers::name.ge(s.clone()))
        }
        (Some(CursorValue::Text(s)), SortKey::Name, false) => {
            q.filter(customers::name.le(s.clone()))
        }
        _ => q,
    };
    q = match (sort.key, sort.desc) {
        (SortKey::UpdatedAt, true) => q.order((customers::updated_at.desc(), customers::id.desc())),
        (SortKey::UpdatedAt, false) => q.order((customers::updated_at.asc(), customers::id.asc())),
        (SortKey::CreatedAt, true) => q.order((customers::created_at.desc(), customers::id.desc())),
        (SortKey::CreatedAt, false) => q.order((customers::created_at.asc(), customers::id.asc())),
        (SortKey::Name, true) => q.order((customers::name.desc(), customers::id.desc())),
        (SortKey::Name, false) => q.order((customers::name.asc(), customers::id.asc())),
    };
    q.limit(limit)
}

/// The branches of `scope` in the order [`list`] reads them: narrow ones
/// (own, team, partner, the pool) first, from their own indexes, so that the
/// broad ones after them are bounded by a page already full.
fn reading_order(scope: &Predicate) -> Vec<Predicate> {
    let (mut narrow, broad): (Vec<_>, Vec<_>) = scope::branches(scope)
        .into_iter()
        .partition(|b| !scope::broad(b));
    narrow.extend(broad);
    narrow
}

/// The queries of one page, one per branch of the caller's scope (see
/// [`scope::branches`]) in reading order, each as [`list`] first runs it
/// (without the bound later branches get from earlier ones).
pub fn list_queries(
    backend: Backend,
    scope: &Predicate,
    f: &CustomerFilter,
    sort: Sort,
    after: Option<&After>,
    limit: i64,
) -> Vec<customers::BoxedQuery<'static, Db>> {
    reading_order(scope)
        .iter()
        .map(|branch| branch_query(backend, branch, f, sort, after, None, limit))
        .collect()
}

/// The branches of `scope` in the order of [`list_queries`].
pub fn list_branches(scope: &Predicate) -> Vec<Predicate> {
    reading_order(scope)
}

fn sort_value(r: &CustomerRow, key: SortKey) -> CursorValue {
    match key {
        SortKey::UpdatedAt => CursorValue::Time(r.updated_at),
        SortKey::CreatedAt => CursorValue::Time(r.created_at),
        SortKey::Name => CursorValue::Text(r.name.clone()),
    }
}

/// One page of the customers `scope` allows and `f` selects, in `sort` order after `after`.
///
/// Each scope branch yields at most `limit` rows in order; the page is the
/// first `limit` of their merge, without the rows two branches share. Once
/// the rows read fill a page, later branches read only rows up to the last
/// one's sort value, which their index serves as a range: usually few rows.
pub fn list(
    c: &mut DbConnection,
    scope: &Predicate,
    f: &CustomerFilter,
    sort: Sort,
    after: Option<&After>,
    limit: i64,
) -> QueryResult<Vec<CustomerRecord>> {
    let page = usize::try_from(limit).unwrap_or(0);
    let mut rows: Vec<CustomerRow> = Vec::new();
    for branch in reading_order(scope) {
        let until = (page > 0 && rows.len() == page).then(|| sort_value(&rows[page - 1], sort.key));
        let q = branch_query(c.backend(), &branch, f, sort, after, until.as_ref(), limit);
        rows.extend(q.select(CustomerRow::as_select()).load::<CustomerRow>(c)?);
        rows.sort_by(|a, b| {
            let o = match sort.key {
                SortKey::UpdatedAt => a.updated_at.cmp(&b.updated_at),
                SortKey::CreatedAt => a.created_at.cmp(&b.created_at),
                SortKey::Name => a.name.cmp(&b.name),
            }
            .then_with(|| a.id.cmp(&b.id));
            if sort.desc { o.reverse() } else { o }
        });
        rows.dedup_by(|a, b| a.id == b.id);
        rows.truncate(page);
    }
    records(c, rows)
}

/// The queries whose counts add up to the number of customers `scope`
/// allows and `f` selects: branch i counts the rows of branch i that no
/// earlier branch has, so no row is counted twice and each count starts
/// from its branch's index.
pub fn count_queries(
    backend: Backend,
    scope: &Predicate,
    f: &CustomerFilter,
) -> Vec<customers::BoxedQuery<'static, Db>> {
    let branches = scope::branches(scope);
    (0..branches.len())
        .map(|i| {
            let earlier = branches[..i].iter().map(scope::not_in);
            let cond = earlier.fold(customer_condition(&branches[i]), |a, b| {
                Box::new(a.and(b)) as CustomerCondition
            });
            filtered(backend, cond, f)
        })
        .collect()
}

pub fn count(c: &mut DbConnection, scope: &Predicate, f: &CustomerFilter) -> QueryResult<i64> {
    let mut n = 0;
    for q in count_queries(c.backend(), scope, f) {
        n += q.count().get_result::<i64>(c)?;
    }
    Ok(n)
}
