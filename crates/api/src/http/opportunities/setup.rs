//! How the company sells: pipelines and their stages, loss reasons and the
//! competitor list. Everyone who works deals reads them; managers change them.

use super::pipeline_out;
use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::http::extract::{Body, IfMatch, etag, id, non_empty};
use crate::http::org::stale;
use crate::http::wire::opportunities::{
    CompetitorBody, CompetitorOut, LossReasonBody, LossReasonOut, PipelineBody, PipelineOut,
};
use crate::repo::pipelines::{self as store, CompetitorRow, PipelineValues, StageWrite};
use crate::repo::{self, org::UnitKind};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::{Action, Resource};
use kehu_domain::error::Collector;
use kehu_domain::pipeline::{self, RawItem, RawStage};
use kehu_domain::text;

const NAME_MAX: usize = 80;
const NOTES_MAX: usize = 2000;

/// The pipelines, default first, each with its stages and checklists.
#[utoipa::path(get, path = "/api/v1/pipelines", tag = "pipelines",
    responses(
        (status = 200, description = "The pipelines", body = Vec<PipelineOut>),
        (status = 403, description = "The caller may not read the sales setup", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_pipelines(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Read)?;
    let out: Vec<PipelineOut> = db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(store::all(c)?.iter().map(pipeline_out).collect())
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Checks a pipeline body; the stage and item ids given are kept for matching.
fn parse(w: &PipelineBody) -> Result<(String, Vec<StageWrite>), ApiError> {
    let mut col = Collector::new();
    let name = col.take(text::required(
        "name",
        w.name.as_deref().unwrap_or(""),
        NAME_MAX,
    ));
    let raw: Vec<RawStage> = w
        .stages
        .iter()
        .map(|s| RawStage {
            name: s.name.clone(),
            kind: s.kind.clone(),
            probability: s.probability,
            forecast_category: s.forecast_category.clone(),
            stale_after_days: s.stale_after_days,
            checklist: Some(
                s.checklist
                    .iter()
                    .map(|i| RawItem {
                        label: i.label.clone(),
                        required: i.required,
                    })
                    .collect(),
            ),
        })
        .collect();
    let defs = col.take(pipeline::check_stages(&raw));
    col.finish()?;
    let defs = defs.expect("checked");
    Ok((
        name.expect("checked"),
        defs.into_iter()
            .zip(&w.stages)
            .map(|(d, s)| {
                (
                    s.id.clone(),
                    d,
                    s.checklist.iter().map(|i| i.id.clone()).collect(),
                )
            })
            .collect(),
    ))
}

fn check_units(c: &mut DbConnection, w: &PipelineBody) -> Result<(), ApiError> {
    let mut col = Collector::new();
    let one = |x: &Option<String>| non_empty(x.clone()).into_iter().collect::<Vec<_>>();
    repo::org::check_refs(
        c,
        &mut col,
        [
            ("team_id", UnitKind::Team, one(&w.team_id)),
            (
                "product_line_id",
                UnitKind::ProductLine,
                one(&w.product_line_id),
            ),
        ],
    )?;
    Ok(col.finish()?)
}

/// Create a pipeline for a team or product line.
#[utoipa::path(post, path = "/api/v1/pipelines", tag = "pipelines", request_body = PipelineBody,
    responses(
        (status = 201, description = "Created", body = PipelineOut, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid: e.g. no open stage, not exactly one won and one lost stage, probabilities falling along the funnel", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_pipeline(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<PipelineBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Create)?;
    let w = body.0;
    let (name, stages) = parse(&w)?;
    let out = db::run(&state.pool, move |c| {
        check_units(c, &w)?;
        let pid = db::new_id();
        db::write_tx(c, |c| {
            store::insert(
                c,
                &pid,
                &PipelineValues {
                    name: &name,
                    team_id: non_empty(w.team_id.clone()).as_deref(),
                    product_line_id: non_empty(w.product_line_id.clone()).as_deref(),
                },
                false,
                db::now(),
            )?;
            // ids sent for a new pipeline name nothing of it: all new
            let fresh: Vec<_> = stages
                .into_iter()
                .map(|(_, d, items)| (None, d, vec![None; items.len()]))
                .collect();
            store::write_stages(c, &pid, &fresh)?;
            Ok::<_, ApiError>(())
        })?;
        let p =
            store::get(c, &pid)?.ok_or_else(|| ApiError::internal("the new pipeline vanished"))?;
        Ok::<_, ApiError>(pipeline_out(&p))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(out.version))
        .insert_header(("Location", format!("/api/v1/pipelines/{}", out.id)))
        .json(out))
}

/// Replace a pipeline's name, owner and stages. Stages and items sent with
/// their id keep it (and the deals and ticks on them); those left out are
/// retired, and a stage that still holds open deals may not be left out.
#[utoipa::path(put, path = "/api/v1/pipelines/{id}", tag = "pipelines", request_body = PipelineBody,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Replaced", body = PipelineOut, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A stage left out still holds open deals", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid stages", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn replace_pipeline(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<PipelineBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Update)?;
    let pid = id(&path)?;
    let w = body.0;
    let (name, stages) = parse(&w)?;
    let out = db::run(&state.pool, move |c| {
        let cur = store::get(c, &pid)?.ok_or_else(|| ApiError::not_found("pipeline"))?;
        let expected = if_match.against(cur.row.version);
        if expected != cur.row.version {
            return Err(stale(cur.row.version));
        }
        check_units(c, &w)?;
        let kept: Vec<&str> = stages.iter().filter_map(|s| s.0.as_deref()).collect();
        for s in &cur.stages {
            if !kept.contains(&s.row.id.as_str())
                && crate::repo::opportunities::open_in_stage(c, &s.row.id)? > 0
            {
                return Err(ApiError::conflict_field(
                    "stages",
                    "stage_in_use",
                    format!(
                        "the stage “{}” still holds open deals; move them before removing it",
                        s.row.name
                    ),
                ));
            }
        }
        db::write_tx(c, |c| {
            if !store::update(
                c,
                &pid,
                expected,
                &PipelineValues {
                    name: &name,
                    team_id: non_empty(w.team_id.clone()).as_deref(),
                    product_line_id: non_empty(w.product_line_id.clone()).as_deref(),
                },
                db::now(),
            )? {
                return Err(stale(expected + 1));
            }
            store::write_stages(c, &pid, &stages)?;
            Ok::<_, ApiError>(())
        })?;
        let p = store::get(c, &pid)?.ok_or_else(|| ApiError::not_found("pipeline"))?;
        Ok::<_, ApiError>(pipeline_out(&p))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(out.version))
        .json(out))
}

fn reason_out(r: store::LossReasonRow) -> LossReasonOut {
    LossReasonOut {
        id: r.id,
        label: r.label,
        active: r.active,
        position: r.position,
    }
}

/// The loss reasons, in order; inactive ones are kept for old deals.
#[utoipa::path(get, path = "/api/v1/loss-reasons", tag = "pipelines",
    responses(
        (status = 200, description = "The reasons", body = Vec<LossReasonOut>),
        (status = 403, description = "The caller may not read the sales setup", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_reasons(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Read)?;
    let out: Vec<LossReasonOut> = db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(
            store::loss_reasons(c)?
                .into_iter()
                .map(reason_out)
                .collect(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Add a loss reason.
#[utoipa::path(post, path = "/api/v1/loss-reasons", tag = "pipelines", request_body = LossReasonBody,
    responses(
        (status = 201, description = "Added", body = LossReasonOut),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A reason with this label exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Label missing or too long", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_reason(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<LossReasonBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Create)?;
    let label = text::required("label", body.0.label.as_deref().unwrap_or(""), NAME_MAX)?;
    let out = db::run(&state.pool, move |c| {
        let rid = db::new_id();
        db::write_tx(c, |c| {
            if store::loss_reasons(c)?
                .iter()
                .any(|r| r.label.to_lowercase() == label.to_lowercase())
            {
                return Err(ApiError::conflict_field(
                    "label",
                    "taken",
                    "a loss reason with this label exists",
                ));
            }
            store::insert_loss_reason(c, &rid, &label)?;
            Ok::<_, ApiError>(())
        })?;
        let r = store::loss_reason(c, &rid)?.ok_or_else(|| ApiError::internal("vanished"))?;
        Ok::<_, ApiError>(reason_out(r))
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Rename a loss reason, or stop offering it (`active: false`).
#[utoipa::path(patch, path = "/api/v1/loss-reasons/{id}", tag = "pipelines", request_body = LossReasonBody,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Changed", body = LossReasonOut),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reason", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Label empty or too long", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_reason(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    body: Body<LossReasonBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Update)?;
    let rid = id(&path)?;
    let w = body.0;
    let label = w
        .label
        .as_deref()
        .map(|l| text::required("label", l, NAME_MAX))
        .transpose()?;
    let out = db::run(&state.pool, move |c| {
        let cur = store::loss_reason(c, &rid)?.ok_or_else(|| ApiError::not_found("loss reason"))?;
        store::update_loss_reason(
            c,
            &rid,
            label.as_deref().unwrap_or(&cur.label),
            w.active.unwrap_or(cur.active),
        )?;
        let r = store::loss_reason(c, &rid)?.ok_or_else(|| ApiError::not_found("loss reason"))?;
        Ok::<_, ApiError>(reason_out(r))
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

fn competitor_out(r: CompetitorRow) -> CompetitorOut {
    CompetitorOut {
        id: r.id,
        name: r.name,
        website: r.website,
        strengths: r.strengths,
        weaknesses: r.weaknesses,
        active: r.active,
    }
}

/// The competitor list.
#[utoipa::path(get, path = "/api/v1/competitors", tag = "pipelines",
    responses(
        (status = 200, description = "The competitors, by name", body = Vec<CompetitorOut>),
        (status = 403, description = "The caller may not read the sales setup", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_competitors(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Read)?;
    let out: Vec<CompetitorOut> = db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(
            store::competitors(c)?
                .into_iter()
                .map(competitor_out)
                .collect(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Applies a body to a competitor; every field error at once.
fn apply(w: &CompetitorBody, r: &mut CompetitorRow) -> Result<(), ApiError> {
    let mut col = Collector::new();
    if let Some(n) = &w.name
        && let Some(n) = col.take(text::required("name", n, NAME_MAX))
    {
        r.name = n;
    }
    let mut opt = |field: &str, v: &Option<Option<String>>, into: &mut Option<String>, max| {
        if let Some(v) = v {
            *into = col
                .take(text::optional_multiline(field, v.as_deref(), max))
                .flatten();
        }
    };
    opt("website", &w.website, &mut r.website, 500);
    opt("strengths", &w.strengths, &mut r.strengths, NOTES_MAX);
    opt("weaknesses", &w.weaknesses, &mut r.weaknesses, NOTES_MAX);
    if let Some(a) = w.active {
        r.active = a;
    }
    Ok(col.finish()?)
}

/// Add a competitor to the list.
#[utoipa::path(post, path = "/api/v1/competitors", tag = "pipelines", request_body = CompetitorBody,
    responses(
        (status = 201, description = "Added", body = CompetitorOut),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A competitor with this name exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_competitor(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<CompetitorBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Create)?;
    let w = body.0;
    let now = db::now();
    let mut r = CompetitorRow {
        id: db::new_id(),
        name: String::new(),
        website: None,
        strengths: None,
        weaknesses: None,
        active: true,
        created_at: now,
        updated_at: now,
    };
    if w.name.is_none() {
        return Err(ApiError::invalid("name", "required", "is required"));
    }
    apply(&w, &mut r)?;
    let out = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            if store::competitor_name_taken(c, &r.name, None)? {
                return Err(ApiError::conflict_field(
                    "name",
                    "taken",
                    "a competitor with this name is in the list",
                ));
            }
            store::save_competitor(c, &r, true)?;
            Ok::<_, ApiError>(())
        })?;
        Ok::<_, ApiError>(competitor_out(r))
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Change a competitor in the list.
#[utoipa::path(patch, path = "/api/v1/competitors/{id}", tag = "pipelines", request_body = CompetitorBody,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Changed", body = CompetitorOut),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such competitor", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another competitor has this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_competitor(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    body: Body<CompetitorBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Update)?;
    let kid = id(&path)?;
    let w = body.0;
    let out = db::run(&state.pool, move |c| {
        let mut r = store::competitor(c, &kid)?.ok_or_else(|| ApiError::not_found("competitor"))?;
        apply(&w, &mut r)?;
        r.updated_at = db::now();
        db::write_tx(c, |c| {
            if store::competitor_name_taken(c, &r.name, Some(&kid))? {
                return Err(ApiError::conflict_field(
                    "name",
                    "taken",
                    "a competitor with this name is in the list",
                ));
            }
            store::save_competitor(c, &r, false)?;
            Ok::<_, ApiError>(())
        })?;
        Ok::<_, ApiError>(competitor_out(r))
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/pipelines")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list_pipelines))
            .route(web::post().to(create_pipeline)),
    )
    .service(
        web::resource("/pipelines/{id}")
            .default_service(crate::http::allow("PUT"))
            .route(web::put().to(replace_pipeline)),
    )
    .service(
        web::resource("/loss-reasons")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list_reasons))
            .route(web::post().to(create_reason)),
    )
    .service(
        web::resource("/loss-reasons/{id}")
            .default_service(crate::http::allow("PATCH"))
            .route(web::patch().to(update_reason)),
    )
    .service(
        web::resource("/competitors")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list_competitors))
            .route(web::post().to(create_competitor)),
    )
    .service(
        web::resource("/competitors/{id}")
            .default_service(crate::http::allow("PATCH"))
            .route(web::patch().to(update_competitor)),
    );
}
