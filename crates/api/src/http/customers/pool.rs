//! 公海: claiming customers from the company pool, releasing them to it, the
//! pool's rules, and each customer's owner history.

use super::{changed_by, load_for, out_of_reach};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::extract::{Body, id};
use crate::http::wire::customers::{CustomerOut, UserRef};
use crate::http::wire::pool::{
    OwnerChangeList, OwnerChangeOut, PoolRulesBody, ReleaseBody, TeamRef,
};
use crate::repo::customers::owners::{self, OwnerChange};
use crate::repo::customers::{self as store, Liveness};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use kehu_domain::access::{self, Action, Resource};
use kehu_domain::ownership::{self, OwnerChangeKind};
use kehu_domain::paging::Limit;
use kehu_domain::pool::{self, ClaimFacts, ClaimRefused, PoolRules};

fn secs(t: chrono::NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

fn window_start(now: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    chrono::DateTime::from_timestamp(pool::claims_window_start(secs(now)), 0)
        .map(|t| t.naive_utc())
        .unwrap_or(now)
}

fn refused(r: ClaimRefused) -> ApiError {
    let mut message = r.message();
    if let ClaimRefused::CoolingDown { until } = r
        && let Some(t) = chrono::DateTime::from_timestamp(until, 0)
    {
        message = format!(
            "{message} (from {})",
            t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
    }
    ApiError::conflict_field("owner_id", r.code(), message)
}

/// Claim a customer from the company pool: you become its owner. Within your
/// scope only, and within the pool's limits (customers owned, claims per
/// day, the cool-down before reclaiming one you gave up).
#[utoipa::path(post, path = "/api/v1/customers/{id}/claim", tag = "pool",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Claimed: you own it now", body = CustomerOut, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "As its owner it would be outside what your roles let you edit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer, or not within your scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in the pool (`not_in_pool`), or a limit (`too_many_owned`, `too_many_claims`, `cooling_down`) on `owner_id`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn claim(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let asker = auth.clone();
    let r = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let cur = load_for(c, &auth, &cid, Action::Read, Liveness::Live)?;
            let me = auth.user_id().to_owned();
            owners::lock_claimer(c, &me)?;
            let now = db::now();
            let facts = ClaimFacts {
                owner_id: cur.row.owner_id.clone(),
                owned_now: owners::owned_count(c, &me)? as u32,
                claims_last_day: owners::claims_since(c, &me, window_start(now))? as u32,
                claimer_lost_it_at: owners::last_lost(c, &me, &cid)?.map(secs),
                now: secs(now),
            };
            pool::check_claim(&owners::rules(c)?, &facts).map_err(refused)?;
            let mut next = cur.to_domain();
            next.owner_id = Some(me.clone());
            next.team_id = auth.team_id.clone();
            let after = store::facts_of(c, Some(&cid), &next)?;
            if !access::may(&auth.subject, Resource::Customer, Action::Update, &after) {
                return Err(out_of_reach("claim"));
            }
            let team = auth.team_id.as_deref();
            if !owners::set_owner(c, &cid, None, Some(&me), Some(team), &me, now)? {
                // another claim won the race
                return Err(refused(ClaimRefused::NotInPool));
            }
            owners::record(
                c,
                &cid,
                &OwnerChange {
                    kind: OwnerChangeKind::Claim,
                    from: None,
                    to: Some(&me),
                    reason: None,
                    team: None,
                },
                changed_by(&auth),
                now,
            )?;
            store::get(
                c,
                &cid,
                super::Scoped::new(&auth, Action::Read).cond(),
                Liveness::Live,
            )?
            .ok_or_else(|| ApiError::not_found("customer"))
        })
    })
    .await?;
    super::respond_allowed(&state, asker, StatusCode::OK, r).await
}

/// Give a customer back to the company pool, saying why. Needs the right to
/// edit it (its owner has it).
#[utoipa::path(post, path = "/api/v1/customers/{id}/release", tag = "pool",
    request_body = ReleaseBody, params(("id" = String, Path)),
    responses(
        (status = 200, description = "In the pool now", body = CustomerOut, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but you may not edit it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer, or not within your scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already in the pool (`not_owned` on `owner_id`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or one over 500 characters", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn release(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    body: Body<ReleaseBody>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let reason = ownership::release_reason(body.0.reason.as_deref())?;
    let asker = auth.clone();
    let r = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let cur = load_for(c, &auth, &cid, Action::Update, Liveness::Live)?;
            let Some(owner) = cur.row.owner_id.clone() else {
                return Err(ApiError::conflict_field(
                    "owner_id",
                    "not_owned",
                    "this customer is in the company pool already",
                ));
            };
            let now = db::now();
            if !owners::set_owner(c, &cid, Some(&owner), None, None, auth.user_id(), now)? {
                return Err(ApiError::conflict_field(
                    "owner_id",
                    "not_owned",
                    "its owner changed meanwhile; reload",
                ));
            }
            owners::record(
                c,
                &cid,
                &OwnerChange {
                    kind: OwnerChangeKind::Release,
                    from: Some(&owner),
                    to: None,
                    reason: Some(&reason),
                    team: None,
                },
                changed_by(&auth),
                now,
            )?;
            store::get(
                c,
                &cid,
                super::Scoped::new(&auth, Action::Read).cond(),
                Liveness::Live,
            )?
            .ok_or_else(|| ApiError::not_found("customer"))
        })
    })
    .await?;
    super::respond_allowed(&state, asker, StatusCode::OK, r).await
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OwnerChangeQuery {
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// A customer's owner changes, newest first: claimed, released, assigned;
/// from whom, to whom, why, by whom and when.
#[utoipa::path(get, path = "/api/v1/customers/{id}/owner-changes", tag = "pool",
    params(("id" = String, Path), OwnerChangeQuery),
    responses(
        (status = 200, description = "The changes, newest first", body = OwnerChangeList),
        (status = 404, description = "No such customer, or not within your scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn owner_changes(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    q: web::Query<OwnerChangeQuery>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let limit = Limit::parse(q.limit)?.get() as i64;
    let (rows, names) = db::run(&state.pool, move |c| {
        load_for(c, &auth, &cid, Action::Read, Liveness::Live)?;
        Ok::<_, ApiError>(owners::list(c, &cid, limit)?)
    })
    .await?;
    let user = |id: Option<String>| {
        id.map(|id| UserRef {
            display_name: names.get(&id).cloned().unwrap_or_default(),
            id,
        })
    };
    let data = rows
        .into_iter()
        .map(|r| OwnerChangeOut {
            id: r.id,
            kind: r.kind,
            from: user(r.from_owner_id),
            to: user(r.to_owner_id),
            to_team: r.to_team_id.map(|id| TeamRef {
                name: names.get(&id).cloned().unwrap_or_default(),
                id,
            }),
            reason: r.reason,
            changed_by: user(r.changed_by),
            api_key_id: r.api_key_id,
            changed_at: db::to_utc(r.changed_at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(OwnerChangeList { data }))
}

/// The company pool's claim limits (every signed-in user may read them).
#[utoipa::path(get, path = "/api/v1/pool/rules", tag = "pool",
    responses((status = 200, description = "The rules in force", body = PoolRulesBody)))]
pub async fn get_rules(state: web::Data<AppState>, _auth: Auth) -> Result<HttpResponse, ApiError> {
    let r = db::run(&state.pool, |c| Ok::<_, ApiError>(owners::rules(c)?)).await?;
    Ok(HttpResponse::Ok().json(PoolRulesBody::from(r)))
}

/// Set the company pool's claim limits (administrators: those who may edit roles).
#[utoipa::path(put, path = "/api/v1/pool/rules", tag = "pool", request_body = PoolRulesBody,
    responses(
        (status = 200, description = "The rules in force now", body = PoolRulesBody),
        (status = 403, description = "Only administrators set the rules", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A limit out of range", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_rules(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<PoolRulesBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Role, Action::Update)?;
    let b = body.0;
    let rules = PoolRules::parse(
        b.max_owned,
        b.max_claims_per_day,
        b.reclaim_cooldown_days,
        &b.recycle_pairs(),
    )?;
    let stored = rules.clone();
    db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(owners::set_rules(c, &stored)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PoolRulesBody::from(rules)))
}
