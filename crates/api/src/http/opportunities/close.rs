//! Closing a deal as won or lost, and reopening it, by the domain's rules.

use super::{
    author, by, changeable, checklist_incomplete, derive, pipeline_of, reply, save_and_answer,
    today,
};
use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::http::extract::{Body, IfMatch, id};
use crate::http::wire::opportunities::{LoseBody, OpportunityDetail, ReopenBody, WinBody};
use crate::repo::customers::stages;
use crate::repo::opportunities as store;
use crate::repo::pipelines;
use crate::state::AppState;
use actix_web::{HttpResponse, http::StatusCode, web};
use diesel::prelude::*;
use kehu_domain::audit::Action as Did;
use kehu_domain::customer::LifecycleStage;
use kehu_domain::date::Date;
use kehu_domain::lifecycle::{self, Cause};
use kehu_domain::opportunity::{self as deal, Refused, Status};
use kehu_domain::pipeline::{self, MoveRefused, StageKind};
use std::collections::BTreeSet;

fn refused(r: Refused) -> ApiError {
    ApiError::conflict_field("status", r.code, r.message)
}

/// A won deal makes its customer a customer (成交): the lifecycle's
/// automatic move, recorded in the customer's stage history.
fn customer_won(
    c: &mut DbConnection,
    auth: &Auth,
    customer_id: &str,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    use crate::db::schema::customers;
    let cur: Option<(String, i64)> = customers::table
        .find(customer_id)
        .select((customers::lifecycle_stage, customers::version))
        .first(c)
        .optional()?;
    let Some((stage, version)) = cur else {
        return Ok(());
    };
    let Some(from) = LifecycleStage::parse(&stage) else {
        return Ok(());
    };
    let t = lifecycle::transition(from, LifecycleStage::Customer, Cause::DealWon)
        .map_err(|r| ApiError::conflict(r.message))?;
    if let Some(t) = t {
        diesel::update(customers::table.find(customer_id))
            .set((
                customers::lifecycle_stage.eq(t.to.as_str()),
                customers::updated_at.eq(now),
                customers::version.eq(version + 1),
            ))
            .execute(c)?;
        stages::record(c, customer_id, &t, by(auth), now)?;
    }
    Ok(())
}

/// Close a deal as won: its amount and day are recorded (default: the
/// deal's amount, today), and its customer becomes a customer.
#[utoipa::path(post, path = "/api/v1/opportunities/{id}/win", tag = "opportunities", request_body = WinBody,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Won", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already closed", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Amount or day invalid (a win is not dated in the future), or required checklist items undone", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn win(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<WinBody>,
) -> Result<HttpResponse, ApiError> {
    let oid = id(&path)?;
    let w = body.0;
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        let status = Status::parse(&cur.row.status).unwrap_or(Status::Open);
        let day = today(c, &auth)?;
        let won = deal::win(
            status,
            cur.row.amount_minor,
            w.amount_minor,
            w.closed_on.as_deref(),
            day,
        )
        .map_err(refused)??;
        let p = pipeline_of(c, &cur.row.pipeline_id)?;
        let done: BTreeSet<String> = store::ticks(c, &oid)?.into_iter().map(|t| t.0).collect();
        if let Err(MoveRefused::ChecklistIncomplete(items)) =
            pipeline::check_win(&p.rules(), &cur.row.stage_id, &done)
        {
            return Err(checklist_incomplete(&p, &items));
        }
        let stage = p
            .of_kind(StageKind::Won)
            .ok_or_else(|| ApiError::internal("a pipeline without a won stage"))?
            .clone();
        close(c, &auth, cur, stage, |row| {
            row.status = Status::Won.as_str().to_owned();
            row.amount_minor = won.amount_minor;
            row.closed_on = Some(won.closed_on.to_string());
        })
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}

fn close(
    c: &mut DbConnection,
    auth: &Auth,
    cur: store::OpportunityRecord,
    stage: pipelines::StageRecord,
    set: impl FnOnce(&mut store::OpportunityRow),
) -> Result<OpportunityDetail, ApiError> {
    let now = db::now();
    let mut next = cur.row.clone();
    set(&mut next);
    next.stage_id = stage.row.id.clone();
    next.stage_entered_at = now;
    next.closed_at = Some(now);
    next.updated_at = now;
    derive(&mut next, &stage);
    let won = next.status == Status::Won.as_str();
    let (oid, from, to, cid) = (
        cur.row.id.clone(),
        cur.row.stage_id.clone(),
        stage.row.id.clone(),
        cur.row.customer_id.clone(),
    );
    let a = auth.clone();
    let did = if won { Did::Win } else { Did::Lose };
    save_and_answer(c, auth, &cur, &next, did, move |c| {
        store::enter_stage(c, &oid, Some(&from), &to, now, author(&a))?;
        if won {
            customer_won(c, &a, &cid, now)?;
        }
        Ok(())
    })
}

/// Close a deal as lost: a reason from the loss-reason list is required,
/// the competitor who won and notes are optional.
#[utoipa::path(post, path = "/api/v1/opportunities/{id}/lose", tag = "opportunities", request_body = LoseBody,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Lost", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already closed", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, an unknown or inactive reason, or an unknown competitor", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn lose(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<LoseBody>,
) -> Result<HttpResponse, ApiError> {
    let oid = id(&path)?;
    let w = body.0;
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        let status = Status::parse(&cur.row.status).unwrap_or(Status::Open);
        let loss = deal::lose(
            status,
            w.reason_id.as_deref(),
            w.competitor_id.as_deref(),
            w.notes.as_deref(),
        )
        .map_err(refused)??;
        if !pipelines::loss_reason(c, &loss.reason_id)?.is_some_and(|r| r.active) {
            return Err(ApiError::invalid(
                "reason_id",
                "not_found",
                "must be one of the active loss reasons",
            ));
        }
        if let Some(k) = &loss.competitor_id
            && pipelines::competitor(c, k)?.is_none()
        {
            return Err(ApiError::invalid(
                "competitor_id",
                "not_found",
                "no such competitor in the list",
            ));
        }
        let p = pipeline_of(c, &cur.row.pipeline_id)?;
        let stage = p
            .of_kind(StageKind::Lost)
            .ok_or_else(|| ApiError::internal("a pipeline without a lost stage"))?
            .clone();
        let day = today(c, &auth)?;
        let winner = loss.competitor_id.clone();
        let oid2 = oid.clone();
        let d = close(c, &auth, cur, stage, |row| {
            row.status = Status::Lost.as_str().to_owned();
            row.closed_on = Some(day.to_string());
            row.loss_reason_id = Some(loss.reason_id.clone());
            row.lost_to_competitor_id = loss.competitor_id.clone();
            row.close_notes = loss.notes.clone();
        })?;
        // the competitor who took the deal is marked so in the deal's list
        if let Some(k) = winner
            && store::has_competitor(c, &oid2, &k)?
        {
            let comps = store::competitors_of(c, &oid2)?;
            if let Some(x) = comps.iter().find(|x| x.competitor_id == k) {
                store::update_competitor(
                    c,
                    &oid2,
                    &k,
                    x.strengths.as_deref(),
                    x.weaknesses.as_deref(),
                    "won",
                )?;
            }
            let r = super::visible(c, &auth, &oid2)?;
            return super::detail(c, &auth, r);
        }
        Ok(d)
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}

/// Reopen a closed deal: back to the last open stage it was in. A lost deal
/// may always come back; a won one only within 30 days of its close.
#[utoipa::path(post, path = "/api/v1/opportunities/{id}/reopen", tag = "opportunities", request_body = ReopenBody,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Reopened", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Open already, won more than 30 days ago (`won_in_the_books`), or its customer is in the trash (`customer_deleted`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reopen(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    _body: Body<ReopenBody>,
) -> Result<HttpResponse, ApiError> {
    let oid = id(&path)?;
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        let status = Status::parse(&cur.row.status).unwrap_or(Status::Open);
        let closed_on = cur
            .row
            .closed_on
            .as_deref()
            .and_then(|d| Date::parse("closed_on", d).ok());
        deal::may_reopen(status, closed_on, today(c, &auth)?).map_err(refused)?;
        deal::may_reopen_for(cur.customer_deleted).map_err(refused)?;
        let p = pipeline_of(c, &cur.row.pipeline_id)?;
        let stays = store::history(c, &oid)?;
        let visited: Vec<&str> = stays.iter().map(|s| s.stage_id.as_str()).collect();
        let open: Vec<&str> = p
            .stages
            .iter()
            .filter(|s| s.row.kind() == StageKind::Open)
            .map(|s| s.row.id.as_str())
            .collect();
        let back = deal::reopen_stage(&visited, &open)
            .ok_or_else(|| ApiError::internal("a pipeline without an open stage"))?
            .to_owned();
        let stage = p.stage(&back).expect("an open stage").clone();
        let now = db::now();
        let mut next = cur.row.clone();
        next.status = Status::Open.as_str().to_owned();
        next.stage_id = back.clone();
        next.stage_entered_at = now;
        next.closed_on = None;
        next.closed_at = None;
        next.loss_reason_id = None;
        next.lost_to_competitor_id = None;
        next.close_notes = None;
        next.updated_at = now;
        derive(&mut next, &stage);
        let from = cur.row.stage_id.clone();
        let a = auth.clone();
        save_and_answer(c, &auth, &cur, &next, Did::Reopen, move |c| {
            store::enter_stage(c, &oid, Some(&from), &back, now, author(&a))?;
            Ok(())
        })
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}
