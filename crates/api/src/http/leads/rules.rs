//! Assignment rules: how the company hands new leads out (sales setup).

use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::http::extract::{Body, id};
use crate::http::wire::leads::{RuleBody, RuleOut};
use crate::repo::leads::rules as store;
use crate::repo::{self, org::UnitKind};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::FieldError;
use kehu_domain::access::{Action, Resource};
use kehu_domain::error::Collector;
use kehu_domain::lead::assign::{RawRule, RuleSettings};

fn settings(b: RuleBody) -> Result<RuleSettings, ApiError> {
    Ok(RuleSettings::parse(RawRule {
        position: b.position,
        region_id: b.region_id,
        industry: b.industry,
        product_line_id: b.product_line_id,
        method: b.method,
        user_ids: b.user_ids,
        team_id: b.team_id,
        capacity: b.capacity,
        fallback_team_id: b.fallback_team_id,
        active: b.active,
    })?)
}

fn check_refs(c: &mut DbConnection, s: &RuleSettings) -> Result<(), ApiError> {
    let mut col = Collector::new();
    let one = |x: &Option<String>| x.iter().cloned().collect::<Vec<_>>();
    repo::org::check_refs(
        c,
        &mut col,
        [
            ("region_id", UnitKind::Region, one(&s.matches.region_id)),
            (
                "product_line_id",
                UnitKind::ProductLine,
                one(&s.matches.product_line_id),
            ),
            ("team_id", UnitKind::Team, one(&s.team_id)),
            ("fallback_team_id", UnitKind::Team, one(&s.fallback_team_id)),
        ],
    )?;
    for m in repo::users::missing(c, &s.user_ids)? {
        let i = s.user_ids.iter().position(|u| *u == m).unwrap_or(0);
        col.push(FieldError::new(
            format!("user_ids[{i}]"),
            "not_found",
            format!("no user {m}"),
        ));
    }
    Ok(col.finish()?)
}

/// The assignment rules in the order they are tried.
#[utoipa::path(get, path = "/api/v1/lead-assignment-rules", tag = "leads",
    responses(
        (status = 200, description = "Rules, in position order", body = [RuleOut]),
        (status = 403, description = "The caller may not read the sales setup", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_rules(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Read)?;
    let rows = db::run(&state.pool, move |c| Ok::<_, ApiError>(store::list(c)?)).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(RuleOut::from).collect::<Vec<_>>()))
}

/// Add an assignment rule.
#[utoipa::path(post, path = "/api/v1/lead-assignment-rules", tag = "leads", request_body = RuleBody,
    responses(
        (status = 201, description = "Created", body = RuleOut),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_rule(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<RuleBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Create)?;
    let s = settings(body.0)?;
    let row = db::run(&state.pool, move |c| {
        check_refs(c, &s)?;
        Ok::<_, ApiError>(store::insert(c, &db::new_id(), &s, db::now())?)
    })
    .await?;
    Ok(HttpResponse::Created().json(RuleOut::from(row)))
}

/// Replace an assignment rule's settings.
#[utoipa::path(put, path = "/api/v1/lead-assignment-rules/{id}", tag = "leads", request_body = RuleBody,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Saved", body = RuleOut),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn replace_rule(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    body: Body<RuleBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Update)?;
    let rid = id(&path)?;
    let s = settings(body.0)?;
    let row = db::run(&state.pool, move |c| {
        check_refs(c, &s)?;
        store::replace(c, &rid, &s, db::now())?
            .ok_or_else(|| ApiError::not_found("assignment rule"))
    })
    .await?;
    Ok(HttpResponse::Ok().json(RuleOut::from(row)))
}

/// Remove an assignment rule.
#[utoipa::path(delete, path = "/api/v1/lead-assignment-rules/{id}", tag = "leads",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_rule(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Delete)?;
    let rid = id(&path)?;
    db::run(&state.pool, move |c| {
        if store::delete(c, &rid)? {
            Ok(())
        } else {
            Err(ApiError::not_found("assignment rule"))
        }
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
