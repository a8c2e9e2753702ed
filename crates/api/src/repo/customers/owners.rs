//! Customers' owners: moving a customer into and out of the company pool,
//! the record of every owner change, and the facts the claim limits need.

use super::stages::ChangedBy;
use crate::db::schema::{customer_owner_changes as coc, customers, settings, users};
use crate::db::{Db, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::ownership::OwnerChangeKind;
use kehu_domain::pool::PoolRules;
use std::collections::BTreeMap;

/// One owner change to record.
pub struct OwnerChange<'a> {
    pub kind: OwnerChangeKind,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub reason: Option<&'a str>,
    /// Set when the customers went to a team's pool: the team before and after.
    pub team: Option<(Option<&'a str>, &'a str)>,
}

/// Records `ch` for `customer_id`; part of the transaction that makes it.
pub fn record(
    c: &mut DbConnection,
    customer_id: &str,
    ch: &OwnerChange<'_>,
    by: ChangedBy<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    // an owner set by an edit is in that edit's audit entry already
    if ch.kind != OwnerChangeKind::Assign {
        let mut changes = vec![kehu_domain::audit::FieldChange {
            field: "owner_id".into(),
            old: ch.from.map(str::to_owned),
            new: ch.to.map(str::to_owned),
        }];
        if let Some((old, new)) = ch.team.filter(|(old, new)| *old != Some(*new)) {
            changes.push(kehu_domain::audit::FieldChange {
                field: "team_id".into(),
                old: old.map(str::to_owned),
                new: Some(new.to_owned()),
            });
        }
        crate::repo::audit::record(
            c,
            crate::repo::audit::Entity::Customer,
            customer_id,
            customer_id,
            kehu_domain::audit::Action::Update,
            &changes,
            by,
            now,
        )?;
    }
    diesel::insert_into(coc::table)
        .values((
            coc::id.eq(crate::db::new_id()),
            coc::customer_id.eq(customer_id),
            coc::kind.eq(ch.kind.as_str()),
            coc::from_owner_id.eq(ch.from),
            coc::to_owner_id.eq(ch.to),
            coc::reason.eq(ch.reason),
            coc::to_team_id.eq(ch.team.map(|(_, t)| t)),
            coc::changed_by.eq(by.user_id),
            coc::api_key_id.eq(by.api_key_id),
            coc::changed_at.eq(now),
        ))
        .execute(c)?;
    // the new owner's time to make progress starts now (pool recycling)
    diesel::update(customers::table.filter(customers::id.eq(customer_id)))
        .set(customers::owned_since.eq(Some(now)))
        .execute(c)
        .map(drop)
}

/// Sets the owner (and, for a claim, the claimer's team) of a live customer
/// whose owner is still `expected_owner`. `false`: someone else changed the
/// owner first, and nothing was written.
pub fn set_owner(
    c: &mut DbConnection,
    id: &str,
    expected_owner: Option<&str>,
    owner: Option<&str>,
    team: Option<Option<&str>>,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let live = customers::table
        .filter(customers::id.eq(id))
        .filter(customers::deleted_at.is_null());
    let changes = (
        customers::owner_id.eq(owner),
        customers::updated_by.eq(by),
        customers::updated_at.eq(now),
        customers::version.eq(customers::version + 1),
    );
    let n = match (expected_owner, team) {
        (None, Some(t)) => diesel::update(live.filter(customers::owner_id.is_null()))
            .set((changes, customers::team_id.eq(t)))
            .execute(c)?,
        (None, None) => diesel::update(live.filter(customers::owner_id.is_null()))
            .set(changes)
            .execute(c)?,
        (Some(o), Some(t)) => diesel::update(live.filter(customers::owner_id.eq(o)))
            .set((changes, customers::team_id.eq(t)))
            .execute(c)?,
        (Some(o), None) => diesel::update(live.filter(customers::owner_id.eq(o)))
            .set(changes)
            .execute(c)?,
    };
    Ok(n == 1)
}

/// Holds the claimer's user row until the transaction ends, so two claims by
/// one user are counted one after the other: on PostgreSQL both would
/// otherwise count the same claims and owned customers and pass a limit
/// together. (SQLite writes one transaction at a time already.)
pub fn lock_claimer(c: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    match c {
        DbConnection::Pg(pg) => users::table
            .filter(users::id.eq(user_id))
            .select(users::id)
            .for_update()
            .load::<String>(pg)
            .map(drop),
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// The query of [`owned_count`], before counting.
pub fn owned_query(user_id: &str) -> customers::BoxedQuery<'static, Db> {
    customers::table
        .filter(customers::owner_id.eq(user_id.to_owned()))
        .filter(customers::deleted_at.is_null())
        .into_boxed()
}

/// Live customers `user_id` owns.
pub fn owned_count(c: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    owned_query(user_id).count().get_result(c)
}

/// The query of [`claims_since`], before counting.
pub fn claims_query(user_id: &str, since: NaiveDateTime) -> coc::BoxedQuery<'static, Db> {
    coc::table
        .filter(coc::to_owner_id.eq(user_id.to_owned()))
        .filter(coc::kind.eq(OwnerChangeKind::Claim.as_str()))
        .filter(coc::changed_at.ge(since))
        .into_boxed()
}

/// Claims `user_id` made since `since`.
pub fn claims_since(c: &mut DbConnection, user_id: &str, since: NaiveDateTime) -> QueryResult<i64> {
    claims_query(user_id, since).count().get_result(c)
}

/// The query of [`last_lost`].
pub fn last_lost_query(user_id: &str, customer_id: &str) -> coc::BoxedQuery<'static, Db> {
    coc::table
        .filter(coc::from_owner_id.eq(user_id.to_owned()))
        .filter(coc::customer_id.eq(customer_id.to_owned()))
        .order(coc::changed_at.desc())
        .into_boxed()
}

/// When `user_id` last stopped owning `customer_id`, if ever.
pub fn last_lost(
    c: &mut DbConnection,
    user_id: &str,
    customer_id: &str,
) -> QueryResult<Option<NaiveDateTime>> {
    last_lost_query(user_id, customer_id)
        .select(coc::changed_at)
        .first(c)
        .optional()
}

#[derive(Debug, Clone, Queryable)]
pub struct OwnerChangeRow {
    pub id: String,
    pub kind: String,
    pub from_owner_id: Option<String>,
    pub to_owner_id: Option<String>,
    pub reason: Option<String>,
    pub changed_by: Option<String>,
    pub api_key_id: Option<String>,
    pub changed_at: NaiveDateTime,
    pub to_team_id: Option<String>,
}

/// The query of [`list`].
pub fn list_query(customer_id: &str, limit: i64) -> coc::BoxedQuery<'static, Db> {
    coc::table
        .filter(coc::customer_id.eq(customer_id.to_owned()))
        .order((coc::changed_at.desc(), coc::id.desc()))
        .limit(limit)
        .into_boxed()
}

/// The newest `limit` owner changes of one customer, newest first, with the
/// display names of the users they name. The caller has checked the
/// customer is within their scope.
pub fn list(
    c: &mut DbConnection,
    customer_id: &str,
    limit: i64,
) -> QueryResult<(Vec<OwnerChangeRow>, BTreeMap<String, String>)> {
    let rows: Vec<OwnerChangeRow> = list_query(customer_id, limit)
        .select((
            coc::id,
            coc::kind,
            coc::from_owner_id,
            coc::to_owner_id,
            coc::reason,
            coc::changed_by,
            coc::api_key_id,
            coc::changed_at,
            coc::to_team_id,
        ))
        .load(c)?;
    let ids: Vec<&String> = rows
        .iter()
        .flat_map(|r| [&r.from_owner_id, &r.to_owner_id, &r.changed_by])
        .flatten()
        .collect();
    let names = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(c)?
        .into_iter();
    let teams: Vec<&String> = rows.iter().filter_map(|r| r.to_team_id.as_ref()).collect();
    let team_names = crate::db::schema::org_units::table
        .filter(crate::db::schema::org_units::id.eq_any(teams))
        .select((
            crate::db::schema::org_units::id,
            crate::db::schema::org_units::name,
        ))
        .load::<(String, String)>(c)?;
    // ids are unique across users and teams, so one map names both
    let names = names.chain(team_names).collect();
    Ok((rows, names))
}

/// No progress since `cutoff`: no activity done since, and the owner has had
/// it since before (a customer never handed over counts from its creation).
fn without_progress_since(
    cutoff: NaiveDateTime,
) -> Box<dyn BoxableExpression<customers::table, Db, SqlType = diesel::sql_types::Bool>> {
    Box::new(
        customers::owned_since
            .lt(cutoff)
            .or(customers::owned_since
                .is_null()
                .and(customers::created_at.lt(cutoff)))
            .assume_not_null()
            .and(
                customers::last_activity_at
                    .is_null()
                    .or(customers::last_activity_at.lt(cutoff))
                    .assume_not_null(),
            ),
    )
}

/// Owned live customers in `stage` without progress since `cutoff`, those
/// held longest first: those a recycle rule returns to the pool.
pub fn due_query(
    stage: &str,
    cutoff: NaiveDateTime,
    batch: i64,
) -> customers::BoxedQuery<'static, Db> {
    customers::table
        .filter(customers::lifecycle_stage.eq(stage.to_owned()))
        .filter(customers::owner_id.is_not_null())
        .filter(customers::deleted_at.is_null())
        .filter(without_progress_since(cutoff))
        .order((customers::owned_since, customers::id))
        .limit(batch)
        .into_boxed()
}

/// Returns to the pool up to `batch` owned customers per rule whose last
/// progress (an activity done, or the owner taking it) is older than the rule allows, and records
/// each as recycled. Safe on several nodes at once: a customer is written
/// only if its version is still the one read, so each is recycled and
/// recorded once. Returns how many it returned.
pub fn recycle(
    c: &mut DbConnection,
    rules: &PoolRules,
    now: NaiveDateTime,
    batch: i64,
) -> QueryResult<usize> {
    let mut done = 0;
    for rule in &rules.recycle {
        let cutoff = chrono::DateTime::from_timestamp(
            kehu_domain::pool::recycle_cutoff(rule, now.and_utc().timestamp()),
            0,
        )
        .map(|t| t.naive_utc())
        .unwrap_or(now);
        let due: Vec<(String, Option<String>, i64)> = due_query(rule.stage.as_str(), cutoff, batch)
            .select((customers::id, customers::owner_id, customers::version))
            .load(c)?;
        for (id, owner, version) in due {
            let recycled = crate::db::write_tx(c, |c| {
                let n = diesel::update(
                    customers::table
                        .filter(customers::id.eq(&id))
                        .filter(customers::version.eq(version))
                        .filter(customers::owner_id.eq(owner.as_deref()))
                        .filter(without_progress_since(cutoff)),
                )
                .set((
                    customers::owner_id.eq(None::<String>),
                    customers::updated_at.eq(now),
                    customers::version.eq(version + 1),
                ))
                .execute(c)?;
                if n == 1 {
                    let change = OwnerChange {
                        kind: OwnerChangeKind::Recycle,
                        from: owner.as_deref(),
                        to: None,
                        reason: None,
                        team: None,
                    };
                    record(c, &id, &change, ChangedBy::default(), now)?;
                }
                Ok::<_, diesel::result::Error>(n == 1)
            })?;
            done += usize::from(recycled);
        }
    }
    Ok(done)
}

/// The query of [`transferable`].
pub fn transferable_query(
    from: &str,
    ids: Option<&[String]>,
    cond: crate::repo::access_sql::CustomerCondition,
    limit: i64,
) -> customers::BoxedQuery<'static, Db> {
    let mut q = customers::table
        .filter(customers::owner_id.eq(from.to_owned()))
        .filter(customers::deleted_at.is_null())
        .filter(cond)
        .into_boxed();
    if let Some(ids) = ids {
        q = q.filter(customers::id.eq_any(ids.to_vec()));
    }
    q.order(customers::id).limit(limit)
}

/// Live customers of `from` that `cond` lets the caller edit, all or those
/// in `ids`, in id order; at most `limit`.
pub fn transferable(
    c: &mut DbConnection,
    from: &str,
    ids: Option<&[String]>,
    cond: crate::repo::access_sql::CustomerCondition,
    limit: i64,
) -> QueryResult<Vec<super::CustomerRecord>> {
    let rows = transferable_query(from, ids, cond, limit)
        .select(super::CustomerRow::as_select())
        .load(c)?;
    super::records(c, rows)
}

/// The access facts each of `records` would have with `owner` as its owner
/// and `team` as its team (`None`: each keeps its own), in two queries
/// however many there are.
pub fn facts_with_owner(
    c: &mut DbConnection,
    records: &[super::CustomerRecord],
    owner: Option<&str>,
    team: Option<Option<&str>>,
) -> QueryResult<Vec<kehu_domain::access::RecordFacts>> {
    use crate::db::schema::customer_collaborators as cc;
    let ids: Vec<&String> = records.iter().map(|r| &r.row.id).collect();
    let collaborators: Vec<(String, String)> = cc::table
        .filter(cc::customer_id.eq_any(ids))
        .select((cc::customer_id, cc::user_id))
        .load(c)?;
    Ok(records
        .iter()
        .map(|r| kehu_domain::access::RecordFacts {
            owner_id: owner.map(str::to_owned),
            owner_team_id: owner.and(team.flatten()).map(str::to_owned),
            team_id: match team {
                Some(t) => t.map(str::to_owned),
                None => r.row.team_id.clone(),
            },
            collaborator_ids: collaborators
                .iter()
                .filter(|(cid, _)| *cid == r.row.id)
                .map(|(_, u)| u.clone())
                .collect(),
            region_id: r.row.region_id.clone(),
            product_line_ids: r.product_line_ids.iter().cloned().collect(),
            partner_id: r.row.partner_id.clone(),
        })
        .collect())
}

const POOL_RULES: &str = "pool_rules";

/// The pool's rules: the administrators' if they set any, else the defaults.
pub fn rules(c: &mut DbConnection) -> QueryResult<PoolRules> {
    Ok(crate::repo::settings::get(c, POOL_RULES)?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

pub fn set_rules(c: &mut DbConnection, r: &PoolRules) -> QueryResult<()> {
    let v = serde_json::to_string(r).unwrap_or_default();
    crate::db::write_tx(c, |c| {
        let n = diesel::update(settings::table.filter(settings::key.eq(POOL_RULES)))
            .set(settings::value.eq(&v))
            .execute(c)?;
        if n == 0 {
            diesel::insert_into(settings::table)
                .values((settings::key.eq(POOL_RULES), settings::value.eq(&v)))
                .execute(c)?;
        }
        Ok(())
    })
}
