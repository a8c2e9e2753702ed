//! Saved mappings: a user's own, listed, saved and deleted.

use super::super::extract::{Body, id};
use super::super::wire::imports::{ColumnMapping, TemplateCreate, TemplateList, TemplateOut};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::repo::imports::{self as store, TemplateRow};
use crate::state::AppState;
use actix_web::{HttpResponse, http::header, web};
use kehu_domain::import::mapping::{ColumnField, Mapping};
use kehu_domain::import::plan::Policy;

fn template_out(r: TemplateRow) -> TemplateOut {
    let mapping: Vec<ColumnField> = serde_json::from_str(&r.mapping).unwrap_or_default();
    TemplateOut {
        id: r.id,
        name: r.name,
        mapping: mapping.iter().map(ColumnMapping::from).collect(),
        policy: Policy::parse(&r.policy).unwrap_or(Policy::Skip).into(),
        created_at: db::to_utc(r.created_at),
    }
}

/// The caller's saved mappings, by name.
#[utoipa::path(get, path = "/api/v1/import-templates", tag = "imports",
    responses((status = 200, description = "The caller's templates", body = TemplateList)))]
pub async fn list_templates(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    let user = auth.user_id().to_owned();
    let rows = db::run(&state.pool, move |c| Ok(store::list_templates(c, &user)?)).await?;
    Ok(HttpResponse::Ok().json(TemplateList {
        data: rows.into_iter().map(template_out).collect(),
    }))
}

/// Save a mapping under a name, to apply to the next file of the same shape.
#[utoipa::path(post, path = "/api/v1/import-templates", tag = "imports", request_body = TemplateCreate,
    responses(
        (status = 201, description = "Saved", body = TemplateOut, headers(("Location" = String, description = "The template"))),
        (status = 409, description = "The caller has a template of this name (`errors` names `name`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or mapping", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_template(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<TemplateCreate>,
) -> Result<HttpResponse, ApiError> {
    let t = body.0;
    let name = kehu_domain::text::required("name", &t.name, 100)?;
    let raw: Vec<ColumnField> = t.mapping.iter().map(ColumnField::from).collect();
    // checked against its own columns: single fields once, and a name
    let columns: Vec<String> = raw.iter().map(|m| m.column.clone()).collect();
    Mapping::parse(&columns, &raw)?;
    let policy: Policy = t.policy.into();
    let row = TemplateRow {
        id: db::new_id(),
        name,
        mapping: serde_json::to_string(&raw).unwrap_or_default(),
        policy: policy.as_str().to_owned(),
        created_at: db::now(),
    };
    let user = auth.user_id().to_owned();
    let saved = row.clone();
    db::run(&state.pool, move |c| {
        if store::insert_template(c, &user, &saved)? {
            Ok(())
        } else {
            Err(ApiError::conflict_field(
                "name",
                "taken",
                "you have a template of this name already",
            ))
        }
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/import-templates/{}", row.id),
        ))
        .json(template_out(row)))
}

/// Delete one of the caller's templates.
#[utoipa::path(delete, path = "/api/v1/import-templates/{id}", tag = "imports", params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such template, or another user's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_template(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tid = id(&path)?;
    let user = auth.user_id().to_owned();
    db::run(&state.pool, move |c| {
        if store::delete_template(c, &user, &tid)? {
            Ok(())
        } else {
            Err(ApiError::not_found("template"))
        }
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
