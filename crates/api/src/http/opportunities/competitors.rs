//! Competitors in a deal: who else is bidding, their strengths and
//! weaknesses here, their status, and what they did.

use super::{changeable, reply, write_part};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::extract::{Body, IfMatch, id};
use crate::http::wire::opportunities::{
    CompetitorActivityBody, DealCompetitorBody, OpportunityDetail,
};
use crate::repo::opportunities as store;
use crate::repo::pipelines;
use crate::state::AppState;
use actix_web::{HttpResponse, http::StatusCode, web};
use kehu_domain::FieldError;
use kehu_domain::date::Date;
use kehu_domain::error::Collector;
use kehu_domain::text;

const STATUSES: [&str; 4] = ["active", "won", "lost", "withdrawn"];
const NOTE_MAX: usize = 2000;

/// Strengths, weaknesses and status as sent, checked; `None` keeps `cur`.
fn terms(
    w: &DealCompetitorBody,
    cur: (Option<String>, Option<String>, String),
) -> Result<(Option<String>, Option<String>, String), ApiError> {
    let mut c = Collector::new();
    let mut out = cur;
    if let Some(s) = &w.strengths {
        out.0 = c
            .take(text::optional_multiline(
                "strengths",
                s.as_deref(),
                NOTE_MAX,
            ))
            .flatten();
    }
    if let Some(s) = &w.weaknesses {
        out.1 = c
            .take(text::optional_multiline(
                "weaknesses",
                s.as_deref(),
                NOTE_MAX,
            ))
            .flatten();
    }
    if let Some(s) = &w.status {
        if STATUSES.contains(&s.as_str()) {
            out.2 = s.clone();
        } else {
            c.push(FieldError::new(
                "status",
                "invalid_choice",
                "must be active, won, lost or withdrawn",
            ));
        }
    }
    c.finish()?;
    Ok(out)
}

/// Add a competitor from the list to the deal.
#[utoipa::path(post, path = "/api/v1/opportunities/{id}/competitors", tag = "opportunities", request_body = DealCompetitorBody,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 201, description = "Added", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The competitor is already in the deal", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown competitor or a field invalid", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_competitor(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<DealCompetitorBody>,
) -> Result<HttpResponse, ApiError> {
    let oid = id(&path)?;
    let w = body.0;
    let k = w
        .competitor_id
        .clone()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("competitor_id", "required", "is required"))?;
    let (strengths, weaknesses, status) = terms(&w, (None, None, "active".into()))?;
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        let known = id(&k)
            .ok()
            .map(|k| pipelines::competitor(c, &k))
            .transpose()?
            .flatten();
        let Some(comp) = known else {
            return Err(ApiError::invalid(
                "competitor_id",
                "not_found",
                "no such competitor in the list",
            ));
        };
        if store::has_competitor(c, &oid, &comp.id)? {
            return Err(ApiError::conflict_field(
                "competitor_id",
                "already_added",
                "this competitor is already in the deal",
            ));
        }
        write_part(c, &auth, &cur, |c, now| {
            store::add_competitor(
                c,
                &oid,
                &comp.id,
                strengths.as_deref().or(comp.strengths.as_deref()),
                weaknesses.as_deref().or(comp.weaknesses.as_deref()),
                &status,
                now,
            )?;
            Ok(())
        })
    })
    .await?;
    Ok(reply(StatusCode::CREATED, d))
}

/// Change a competitor's strengths, weaknesses or status in the deal.
#[utoipa::path(patch, path = "/api/v1/opportunities/{id}/competitors/{competitor_id}", tag = "opportunities", request_body = DealCompetitorBody,
    params(("id" = String, Path), ("competitor_id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Changed", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal, or the competitor is not in it", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_competitor(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Body<DealCompetitorBody>,
) -> Result<HttpResponse, ApiError> {
    let (oid, k) = path.into_inner();
    let (oid, k) = (id(&oid)?, id(&k)?);
    let w = body.0;
    if w.competitor_id.is_some() {
        return Err(ApiError::invalid(
            "competitor_id",
            "read_only",
            "is set by the address; remove it and add the other competitor instead",
        ));
    }
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        let comps = store::competitors_of(c, &oid)?;
        let x = comps
            .into_iter()
            .find(|x| x.competitor_id == k)
            .ok_or_else(|| ApiError::not_found("competitor in this deal"))?;
        let (s, wk, st) = terms(&w, (x.strengths, x.weaknesses, x.status))?;
        write_part(c, &auth, &cur, |c, _| {
            store::update_competitor(c, &oid, &k, s.as_deref(), wk.as_deref(), &st)?;
            Ok(())
        })
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}

/// Take a competitor out of the deal, with its activity records.
#[utoipa::path(delete, path = "/api/v1/opportunities/{id}/competitors/{competitor_id}", tag = "opportunities",
    params(("id" = String, Path), ("competitor_id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Visible, but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal, or the competitor is not in it", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn remove_competitor(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let (oid, k) = path.into_inner();
    let (oid, k) = (id(&oid)?, id(&k)?);
    db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        if !store::has_competitor(c, &oid, &k)? {
            return Err(ApiError::not_found("competitor in this deal"));
        }
        write_part(c, &auth, &cur, |c, _| {
            store::remove_competitor(c, &oid, &k)?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Record something a competitor did in the deal (a visit, a discount offered).
#[utoipa::path(post, path = "/api/v1/opportunities/{id}/competitors/{competitor_id}/activities", tag = "opportunities", request_body = CompetitorActivityBody,
    params(("id" = String, Path), ("competitor_id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 201, description = "Recorded", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal, or the competitor is not in it", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Day or note invalid", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_competitor_activity(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Body<CompetitorActivityBody>,
) -> Result<HttpResponse, ApiError> {
    let (oid, k) = path.into_inner();
    let (oid, k) = (id(&oid)?, id(&k)?);
    let w = body.0;
    let mut col = Collector::new();
    let day = match &w.happened_on {
        None => {
            col.push(FieldError::new("happened_on", "required", "is required"));
            None
        }
        Some(d) => col.take(Date::parse("happened_on", d)),
    };
    let note = col.take(text::required(
        "note",
        w.note.as_deref().unwrap_or(""),
        NOTE_MAX,
    ));
    col.finish()?;
    let (day, note) = (day.expect("checked"), note.expect("checked"));
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        if !store::has_competitor(c, &oid, &k)? {
            return Err(ApiError::not_found("competitor in this deal"));
        }
        write_part(c, &auth, &cur, |c, now| {
            store::add_competitor_activity(
                c,
                &oid,
                &k,
                &day.to_string(),
                &note,
                Some(auth.user_id()),
                now,
            )?;
            Ok(())
        })
    })
    .await?;
    Ok(reply(StatusCode::CREATED, d))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/opportunities/{id}/competitors")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(add_competitor)),
    )
    .service(
        web::resource("/opportunities/{id}/competitors/{competitor_id}")
            .default_service(crate::http::allow("PATCH, DELETE"))
            .route(web::patch().to(update_competitor))
            .route(web::delete().to(remove_competitor)),
    )
    .service(
        web::resource("/opportunities/{id}/competitors/{competitor_id}/activities")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(add_competitor_activity)),
    );
}
