//! Opportunities (商机): deals through the funnel. Read and written under
//! the caller's opportunity scope, checked in SQL; hidden deals are 404,
//! visible ones the caller may not change 403.

use super::cursor;
use super::customers::changed_by;
use super::extract::{Body, IfMatch, check_query_text, etag, id, non_empty, opt_id};
use super::idempotency::{self, Created, IdempotencyKey};
use super::org::stale;
use super::wire::opportunities::*;
use super::wire::time;
use crate::auth::{Auth, Via};
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::access_sql::{OpportunityCondition, opportunity_condition};
use crate::repo::opportunities::{
    self as store, Author, NewOpportunity, OpportunityFilter, OpportunityRecord, OpportunityRow,
};
use crate::repo::pipelines::{self, PipelineRecord, StageRecord};
use crate::repo::{self, org::UnitKind};
use crate::state::AppState;
use crate::zone;
use actix_web::{HttpResponse, http::StatusCode, web};
use kehu_domain::FieldError;
use kehu_domain::access::{self, Action, Predicate, Resource};
use kehu_domain::audit::Action as Did;
use kehu_domain::date::Date;
use kehu_domain::error::Collector;
use kehu_domain::opportunity::{self as deal, RawOpportunity, Status, Terms};
use kehu_domain::paging::Limit;
use kehu_domain::pipeline::{self, MoveRefused, Probability, StageKind};
use kehu_domain::text;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use utoipa::IntoParams;

mod answer;
pub(crate) mod audit;
pub mod board;
pub mod close;
pub mod competitors;
pub mod create;
pub mod list;
pub mod setup;
pub mod stages;

pub(crate) use answer::{detail, out, pipeline_of, pipeline_out, reply, today};
pub(crate) use create::{check_refs, ids_of};
pub(crate) use list::filter_of;
pub(crate) use stages::{checklist_incomplete, write_part};

/// The caller's scope over deals for one action.
pub(crate) fn scope(auth: &Auth, action: Action) -> Predicate {
    access::predicate(&auth.subject, Resource::Opportunity, action)
}

pub(crate) fn cond(auth: &Auth, action: Action) -> OpportunityCondition {
    opportunity_condition(&scope(auth, action))
}

pub(crate) fn author(auth: &Auth) -> Author<'_> {
    Author {
        user_id: Some(auth.user_id()),
        api_key_id: match &auth.via {
            Via::ApiKey { id } => Some(id),
            Via::Session => None,
        },
    }
}

/// The deal, if the caller may see it.
pub(crate) fn visible(
    c: &mut DbConnection,
    auth: &Auth,
    oid: &str,
) -> Result<OpportunityRecord, ApiError> {
    store::get(c, oid, cond(auth, Action::Read))?.ok_or_else(|| ApiError::not_found("opportunity"))
}

/// The deal, if the caller may change it: 404 when hidden, 403 when only visible.
pub(crate) fn changeable(
    c: &mut DbConnection,
    auth: &Auth,
    oid: &str,
    if_match: &IfMatch,
) -> Result<OpportunityRecord, ApiError> {
    let cur = visible(c, auth, oid)?;
    if !store::allows(c, oid, cond(auth, Action::Update))? {
        return Err(ApiError::forbidden(
            "Your roles do not allow you to change this opportunity.",
        ));
    }
    let expected = if_match.against(cur.row.version);
    if cur.row.version != expected {
        return Err(stale(cur.row.version));
    }
    Ok(cur)
}

/// After a write that may have moved the deal (a new owner, region or
/// product line): the caller must still be allowed to change it, or the
/// write is refused and rolled back.
pub(crate) fn still_in_reach(c: &mut DbConnection, auth: &Auth, oid: &str) -> Result<(), ApiError> {
    if store::allows(c, oid, cond(auth, Action::Update))? {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "Your roles do not allow you to give an opportunity this owner, region or product line.",
        ))
    }
}

/// Recomputes what a deal counts with from its stage and values.
pub(crate) fn derive(row: &mut OpportunityRow, stage: &StageRecord) {
    let status = Status::parse(&row.status).unwrap_or(Status::Open);
    let over = row
        .probability_override
        .and_then(|p| Probability::new(i64::from(p)));
    let (p, category) =
        deal::effective(status, stage.row.probability(), stage.row.category(), over);
    row.probability = p.percent() as i32;
    row.forecast_category = category.as_str().to_owned();
    row.weighted_minor = pipeline::weighted(row.amount_minor, p);
    row.forecast_on = match status {
        Status::Open => row.expected_close_on.clone(),
        _ => row
            .closed_on
            .clone()
            .unwrap_or_else(|| row.expected_close_on.clone()),
    };
}

/// Get a deal with its checklist, history and competitors.
#[utoipa::path(get, path = "/api/v1/opportunities/{id}", tag = "opportunities", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Found", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such deal, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let oid = id(&path)?;
    let d = db::run(&state.pool, move |c| {
        let r = visible(c, &auth, &oid)?;
        detail(c, &auth, r)
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}

/// Saves a changed row in a transaction that also runs `then` and records
/// the change as `did` in the deal's history, and answers with the deal as
/// it is now.
pub(crate) fn save_and_answer(
    c: &mut DbConnection,
    auth: &Auth,
    cur: &OpportunityRecord,
    next: &OpportunityRow,
    did: kehu_domain::audit::Action,
    then: impl FnOnce(&mut DbConnection) -> Result<(), ApiError>,
) -> Result<OpportunityDetail, ApiError> {
    db::write_tx(c, |c| {
        if !store::save(c, next, cur.row.version)? {
            let v = store::get(c, &cur.row.id, cond(auth, Action::Read))?
                .map_or(cur.row.version, |r| r.row.version);
            return Err(stale(v));
        }
        then(c)?;
        let contacts = store::contact_ids(c, &cur.row.id)?;
        audit::record(
            c,
            auth,
            &cur.row.id,
            did,
            &audit::fields(&cur.row, &cur.contact_ids),
            &audit::fields(next, &contacts),
        )?;
        still_in_reach(c, auth, &cur.row.id)
    })?;
    let r = visible(c, auth, &cur.row.id)?;
    detail(c, auth, r)
}

/// Change a deal's values: amount, close date, probability (`null`: the
/// stage's again), owner, contacts, team, region, product line.
#[utoipa::path(patch, path = "/api/v1/opportunities/{id}", tag = "opportunities", request_body = OpportunityUpdate,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Updated", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it, or not give it these values", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<OpportunityUpdate>,
) -> Result<HttpResponse, ApiError> {
    let oid = id(&path)?;
    let w = body.0;
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        let r = &cur.row;
        let before = Terms {
            name: r.name.clone(),
            amount_minor: r.amount_minor,
            currency: deal::Currency::parse("currency", &r.currency)?,
            expected_close_on: Date::parse("expected_close_on", &r.expected_close_on)?,
            probability_override: r
                .probability_override
                .and_then(|p| Probability::new(i64::from(p))),
            campaign: r.campaign.clone(),
        };
        let mut col = Collector::new();
        let terms = col.take(before.patch(RawOpportunity {
            name: w.name.clone(),
            amount_minor: w.amount_minor,
            currency: w.currency.clone(),
            expected_close_on: w.expected_close_on.clone(),
            probability: w.probability,
            campaign: w.campaign.clone(),
        }));
        let contact_ids = w
            .contact_ids
            .as_ref()
            .map(|ids| ids_of(&mut col, "contact_ids", ids));
        if w.owner_id.as_deref().is_some_and(|o| o.trim().is_empty()) {
            col.push(FieldError::new("owner_id", "required", "must not be empty"));
        }
        col.finish()?;
        let terms = terms.expect("checked");
        let mut next = r.clone();
        next.name = terms.name;
        next.amount_minor = terms.amount_minor;
        next.currency = terms.currency.as_str().to_owned();
        next.expected_close_on = terms.expected_close_on.to_string();
        next.probability_override = terms.probability_override.map(|p| p.percent() as i32);
        next.campaign = terms.campaign;
        if let Some(o) = &w.owner_id {
            next.owner_id = o.trim().to_owned();
        }
        let opt = |x: &Option<Option<String>>, cur: &Option<String>| match x {
            None => cur.clone(),
            Some(v) => v.clone().filter(|s| !s.trim().is_empty()),
        };
        next.team_id = opt(&w.team_id, &r.team_id);
        next.region_id = opt(&w.region_id, &r.region_id);
        next.product_line_id = opt(&w.product_line_id, &r.product_line_id);
        next.updated_at = db::now();
        let p = pipeline_of(c, &r.pipeline_id)?;
        if let Some(stage) = p.stage(&r.stage_id) {
            derive(&mut next, stage);
        }
        check_refs(c, &next)?;
        if let Some(ids) = &contact_ids {
            let missing = store::foreign_contacts(c, &r.customer_id, ids)?;
            if let Some(m) = missing.first() {
                let i = ids.iter().position(|k| k == m).unwrap_or(0);
                return Err(ApiError::invalid(
                    &format!("contact_ids[{i}]"),
                    "not_found",
                    "no such contact of this customer",
                ));
            }
        }
        let oid2 = oid.clone();
        save_and_answer(c, &auth, &cur, &next, Did::Update, move |c| {
            if let Some(ids) = &contact_ids {
                store::set_contacts(c, &oid2, ids)?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    setup::configure(cfg);
    cfg.service(
        web::resource("/opportunities")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list::list))
            .route(web::post().to(create::create)),
    )
    .service(
        web::resource("/opportunities/board")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(board::board)),
    )
    .service(
        web::resource("/opportunities/{id}")
            .default_service(crate::http::allow("GET, PATCH"))
            .route(web::get().to(get))
            .route(web::patch().to(update)),
    )
    .service(
        web::resource("/opportunities/{id}/move")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(stages::move_stage)),
    )
    .service(
        web::resource("/opportunities/{id}/checklist/{item_id}")
            .default_service(crate::http::allow("PUT"))
            .route(web::put().to(stages::tick)),
    )
    .service(
        web::resource("/opportunities/{id}/win")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(close::win)),
    )
    .service(
        web::resource("/opportunities/{id}/lose")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(close::lose)),
    )
    .service(
        web::resource("/opportunities/{id}/reopen")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(close::reopen)),
    );
    competitors::configure(cfg);
}

/// Who changed the customer, for the automatic lifecycle move of a win.
pub(crate) fn by(auth: &Auth) -> crate::repo::customers::stages::ChangedBy<'_> {
    changed_by(auth)
}
