//! The lead score's weights (sales setup): how much each source, target
//! industry, completed field and sign of engagement counts.

use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::http::wire::leads::ScoreRulesBody;
use crate::repo::leads as store;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::{Action, Resource};

/// The score weights in force.
#[utoipa::path(get, path = "/api/v1/lead-score-rules", tag = "leads",
    responses(
        (status = 200, description = "The weights", body = ScoreRulesBody),
        (status = 403, description = "The caller may not read the sales setup", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_score_rules(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Read)?;
    let r = db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(store::score_rules(c)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ScoreRulesBody::of(r)))
}

/// Replace the score weights; fields left out take their default. Every
/// lead is scored again with them.
#[utoipa::path(put, path = "/api/v1/lead-score-rules", tag = "leads", request_body = ScoreRulesBody,
    responses(
        (status = 200, description = "Saved", body = ScoreRulesBody),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A weight is above its group's ceiling, or a key is unusable", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_score_rules(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<ScoreRulesBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Update)?;
    let rules = body.0.into_rules().check()?;
    let saved = rules.clone();
    db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            Ok::<_, ApiError>(store::save_score_rules(c, &saved, db::now())?)
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(ScoreRulesBody::of(rules)))
}
