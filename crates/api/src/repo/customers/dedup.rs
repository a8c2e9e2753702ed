//! Stored duplicate keys of customers, their lookup, and overrides.

use super::CustomerRecord;
use super::stages::ChangedBy;
use crate::db::schema::{customer_duplicate_overrides as cdo, customer_keys, customers, users};
use crate::db::{Db, DbConnection};
use crate::repo::access_sql::CustomerCondition;
use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::query_builder::QueryFragment;
use diesel::query_dsl::LoadQuery;
use kehu_domain::dedup::{KEYS_VERSION, Keys, Match, OverrideReason};
use std::collections::BTreeMap;

/// At most this many customers are named as likely duplicates of one record:
/// enough to decide, and it bounds the work a very common key causes.
pub const MAX_CANDIDATES: i64 = 20;

/// Replaces the stored keys of `customer_id`; part of the writing transaction.
pub fn set_keys(c: &mut DbConnection, customer_id: &str, keys: &Keys) -> QueryResult<()> {
    diesel::delete(customer_keys::table.filter(customer_keys::customer_id.eq(customer_id)))
        .execute(c)?;
    for (kind, key) in keys.entries() {
        diesel::insert_into(customer_keys::table)
            .values((
                customer_keys::customer_id.eq(customer_id),
                customer_keys::kind.eq(kind.as_str()),
                customer_keys::key.eq(key),
            ))
            .execute(c)?;
    }
    diesel::update(customers::table.filter(customers::id.eq(customer_id)))
        .set(customers::keys_version.eq(KEYS_VERSION))
        .execute(c)?;
    Ok(())
}

/// The query of [`candidates`] for one kind of key: ids of live customers
/// (other than `except`) with one of `wanted`.
pub fn candidates_query<'a>(
    kind: Match,
    wanted: Vec<&'a str>,
    except: Option<&str>,
) -> diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::Select<
        diesel::dsl::InnerJoin<customer_keys::table, customers::table>,
        customer_keys::customer_id,
    >,
    crate::db::Db,
> {
    let mut q = customer_keys::table
        .inner_join(customers::table)
        .select(customer_keys::customer_id)
        .into_boxed::<Db>()
        .filter(customer_keys::kind.eq(kind.as_str()))
        .filter(customer_keys::key.eq_any(wanted))
        .filter(customers::deleted_at.is_null())
        .order(customer_keys::customer_id)
        .limit(MAX_CANDIDATES);
    if let Some(id) = except {
        q = q.filter(customer_keys::customer_id.ne(id.to_owned()));
    }
    q
}

/// Live customers other than `except` that share a key with `keys`, each
/// with the keys it shares, in a stable order (by id). Not scoped: the caller
/// splits them into those the user may see and those they may not.
pub fn candidates(
    c: &mut DbConnection,
    keys: &Keys,
    except: Option<&str>,
) -> QueryResult<Vec<(String, Vec<Match>)>> {
    let mut found: BTreeMap<String, Vec<Match>> = BTreeMap::new();
    for kind in [Match::Name, Match::Phone, Match::Email] {
        let wanted: Vec<&str> = keys
            .entries()
            .into_iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, key)| key)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let q = candidates_query(kind, wanted, except);
        for id in q.load::<String>(c)? {
            let m = found.entry(id).or_default();
            if !m.contains(&kind) {
                m.push(kind);
            }
        }
    }
    Ok(found.into_iter().take(MAX_CANDIDATES as usize).collect())
}

/// A likely duplicate the caller may see.
#[derive(Debug, Clone, Queryable)]
pub struct VisibleCandidate {
    pub id: String,
    pub name: String,
    pub lifecycle_stage: String,
    pub owner_id: Option<String>,
}

/// Of `ids`, those `cond` lets the caller read.
pub fn visible_of(
    c: &mut DbConnection,
    ids: &[String],
    cond: CustomerCondition,
) -> QueryResult<Vec<VisibleCandidate>> {
    customers::table
        .filter(customers::id.eq_any(ids))
        .filter(cond)
        .select((
            customers::id,
            customers::name,
            customers::lifecycle_stage,
            customers::owner_id,
        ))
        .order(customers::id)
        .load(c)
}

/// Who to ask about each of `ids`: the owner's name and e-mail, or `None` for
/// a customer in the company pool. Says nothing else about the customers.
pub fn owners_of(
    c: &mut DbConnection,
    ids: &[String],
) -> QueryResult<BTreeMap<String, Option<(String, String)>>> {
    let owners: Vec<(String, Option<String>)> = customers::table
        .filter(customers::id.eq_any(ids))
        .select((customers::id, customers::owner_id))
        .load(c)?;
    let user_ids: Vec<&String> = owners.iter().filter_map(|(_, o)| o.as_ref()).collect();
    let people: BTreeMap<String, (String, String)> = users::table
        .filter(users::id.eq_any(user_ids))
        .select((users::id, users::display_name, users::email))
        .load::<(String, String, String)>(c)?
        .into_iter()
        .map(|(id, name, email)| (id, (name, email)))
        .collect();
    Ok(owners
        .into_iter()
        .map(|(id, owner)| {
            let who = owner.and_then(|o| people.get(&o).cloned());
            (id, who)
        })
        .collect())
}

/// Records that `customer_id` was saved although it looked like `candidate_ids`.
pub fn record_override(
    c: &mut DbConnection,
    customer_id: &str,
    reason: &OverrideReason,
    candidate_ids: &[String],
    by: ChangedBy<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(cdo::table)
        .values((
            cdo::id.eq(crate::db::new_id()),
            cdo::customer_id.eq(customer_id),
            cdo::reason.eq(reason.as_str()),
            cdo::candidate_ids
                .eq(serde_json::to_string(candidate_ids).unwrap_or_else(|_| "[]".into())),
            cdo::created_by.eq(by.user_id),
            cdo::api_key_id.eq(by.api_key_id),
            cdo::created_at.eq(now),
        ))
        .execute(c)
        .map(drop)
}

/// The keys of a stored customer, as the domain computes them.
pub fn keys_of(r: &CustomerRecord) -> Keys {
    r.to_domain().dedup_keys()
}

/// Recomputes the keys of up to `batch` customers whose keys were made by
/// older rules (or never made, as for rows loaded by `kehu seed`). Returns
/// how many it did; 0 means all are current. Safe to run on several nodes at
/// once: each customer is claimed by bumping its `keys_version` first.
pub fn refresh_stale_keys(c: &mut DbConnection, batch: i64) -> QueryResult<usize> {
    crate::db::write_tx(c, |c| {
        let rows: Vec<super::CustomerRow> = customers::table
            .filter(customers::keys_version.lt(KEYS_VERSION))
            .select(super::CustomerRow::as_select())
            .order(customers::id)
            .limit(batch)
            .load(c)?;
        let mut done = 0;
        for r in super::records(c, rows)? {
            let claimed = diesel::update(
                customers::table
                    .filter(customers::id.eq(&r.row.id))
                    .filter(customers::keys_version.lt(KEYS_VERSION)),
            )
            .set(customers::keys_version.eq(KEYS_VERSION))
            .execute(c)?;
            if claimed == 1 {
                set_keys(c, &r.row.id, &keys_of(&r))?;
                done += 1;
            }
        }
        Ok(done)
    })
}

/// One group of the duplicates report: the customers that share one key.
#[derive(Debug, Clone)]
pub struct DuplicateGroup {
    pub kind: Match,
    pub key: String,
    pub customer_ids: Vec<String>,
}

/// Where a page of the report starts: after this (kind, key).
pub type ReportCursor = (String, String);

/// At most this many shared keys are looked at for one page, so a caller
/// whose scope holds few of the duplicates still gets a full page quickly.
const REPORT_SCAN: i64 = 500;

/// At most this many stored keys are examined for one page of the report,
/// so a page costs the same however rare duplicates are; a page with fewer
/// groups than asked (even none) says where to go on from.
const REPORT_WINDOW: i64 = 5000;

/// The keys after `after` in (kind, key) order; a condition the key index
/// can start from, not only test. (A macro: the same expression on the key
/// table alone and joined to customers.)
macro_rules! keys_after {
    ($after:expr) => {{
        let (kind, key): ReportCursor = $after.clone();
        customer_keys::kind.ge(kind.clone()).and(
            customer_keys::kind
                .gt(kind.clone())
                .or(customer_keys::kind.eq(kind).and(customer_keys::key.gt(key))),
        )
    }};
}

/// Where the window of one page ends: the (kind, key) of the
/// `REPORT_WINDOW`-th stored key after `after`, if there are that many.
pub fn report_window_query(
    after: &ReportCursor,
) -> impl QueryFragment<Db> + LoadQuery<'static, DbConnection, (String, String)> {
    customer_keys::table
        .filter(keys_after!(after))
        .select((customer_keys::kind, customer_keys::key))
        .order((customer_keys::kind, customer_keys::key))
        .offset(REPORT_WINDOW)
        .limit(1)
        .into_boxed::<Db>()
}

/// Keys shared by two or more live customers, after `after` and up to
/// `upto` (inclusive), in (kind, key) order; at most `limit`. Unscoped: the
/// scope condition is an expression on customers alone, so it cannot go into
/// this grouped query.
pub fn report_keys_query(
    after: &ReportCursor,
    upto: Option<&ReportCursor>,
    limit: i64,
) -> impl QueryFragment<Db> + LoadQuery<'static, DbConnection, (String, String)> {
    let mut q = customer_keys::table
        .inner_join(customers::table)
        .filter(customers::deleted_at.is_null())
        .filter(keys_after!(after))
        .group_by((customer_keys::kind, customer_keys::key))
        .having(count_star().gt(1))
        .select((customer_keys::kind, customer_keys::key))
        .order((customer_keys::kind, customer_keys::key))
        .limit(limit)
        .into_boxed::<Db>();
    if let Some((kind, key)) = upto.cloned() {
        q = q.filter(
            customer_keys::kind.le(kind.clone()).and(
                customer_keys::kind
                    .lt(kind.clone())
                    .or(customer_keys::kind.eq(kind).and(customer_keys::key.le(key))),
            ),
        );
    }
    q
}

/// The live customers holding any of `keys` of one kind.
pub fn report_members_query(
    kind: Match,
    keys: Vec<String>,
) -> impl QueryFragment<Db> + LoadQuery<'static, DbConnection, (String, String, String)> {
    customer_keys::table
        .inner_join(customers::table)
        .filter(customers::deleted_at.is_null())
        .filter(customer_keys::kind.eq(kind.as_str()))
        .filter(customer_keys::key.eq_any(keys))
        .select((
            customer_keys::kind,
            customer_keys::key,
            customer_keys::customer_id,
        ))
        .order(customer_keys::customer_id)
        .into_boxed::<Db>()
}

/// A page of the duplicates report: keys shared by two or more live
/// customers that the caller may read, in (kind, key) order after `after`,
/// each group listing only customers within the caller's scope. Returns the
/// groups and, when more keys remain, where the next page starts.
pub fn report(
    c: &mut DbConnection,
    cond: impl Fn() -> CustomerCondition,
    after: Option<ReportCursor>,
    limit: i64,
) -> QueryResult<(Vec<DuplicateGroup>, Option<ReportCursor>)> {
    let after = after.unwrap_or_default();
    let upto: Option<ReportCursor> = report_window_query(&after).load(c)?.pop();
    // unscoped candidates first, then their members filtered by the scope
    let cap = REPORT_SCAN.max(limit);
    let shared: Vec<(String, String)> = report_keys_query(&after, upto.as_ref(), cap).load(c)?;
    let mut members: Vec<(String, String, String)> = Vec::new();
    for kind in [Match::Name, Match::Phone, Match::Email] {
        let keys: Vec<String> = shared
            .iter()
            .filter(|(k, _)| k == kind.as_str())
            .map(|(_, key)| key.clone())
            .collect();
        if keys.is_empty() {
            continue;
        }
        members.extend(report_members_query(kind, keys).load(c)?);
    }
    let ids: Vec<&String> = members.iter().map(|(_, _, id)| id).collect();
    let visible: std::collections::HashSet<String> = customers::table
        .filter(customers::id.eq_any(ids))
        .filter(cond())
        .select(customers::id)
        .load::<String>(c)?
        .into_iter()
        .collect();
    let mut out = Vec::new();
    let mut last = None;
    for (kind, key) in &shared {
        if out.len() as i64 == limit {
            break;
        }
        last = Some((kind.clone(), key.clone()));
        let customer_ids: Vec<String> = members
            .iter()
            .filter(|(k, y, id)| k == kind && y == key && visible.contains(id))
            .map(|(_, _, id)| id.clone())
            .take(MAX_CANDIDATES as usize)
            .collect();
        if let (true, Some(kind)) = (customer_ids.len() > 1, Match::parse(kind)) {
            out.push(DuplicateGroup {
                kind,
                key: key.clone(),
                customer_ids,
            });
        }
    }
    // a full page goes on after the last key it examined, a short one
    // after its window
    let next = if out.len() as i64 == limit || shared.len() as i64 == cap {
        last
    } else {
        upto
    };
    Ok((out, next))
}
