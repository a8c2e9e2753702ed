//! API keys for integrations.

use super::extract::{Body, id};
use super::org_audit;
use super::wire::users::{ApiKeyCreate, ApiKeyCreated, ApiKeyList, ApiKeyOut};
use crate::auth::{Auth, tokens};
use crate::db;
use crate::error::{ApiError, Problem};
use crate::repo;
use crate::repo::api_keys::NewApiKey;
use crate::repo::audit::Entity;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::{Action, Resource};
use kehu_domain::audit::Action as Did;
use kehu_domain::text;

/// List API keys (never the keys themselves).
#[utoipa::path(get, path = "/api/v1/api-keys", tag = "api-keys",
    responses((status = 200, description = "Newest first", body = ApiKeyList)))]
pub async fn list(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::ApiKey, Action::Read)?;
    let keys = db::run(&state.pool, |c| Ok(repo::api_keys::list(c)?)).await?;
    Ok(HttpResponse::Ok().json(ApiKeyList {
        data: keys.into_iter().map(Into::into).collect(),
    }))
}

/// Create an API key acting as a user. The key is in this response only.
#[utoipa::path(post, path = "/api/v1/api-keys", tag = "api-keys", request_body = ApiKeyCreate,
    responses((status = 201, description = "Created; store the key now", body = ApiKeyCreated)))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<ApiKeyCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::ApiKey, Action::Create)?;
    let b = body.0;
    let name = text::required("name", &b.name, text::SHORT_MAX)?;
    let now = db::now();
    let expires_at = b.expires_at.map(|t| t.naive_utc());
    if expires_at.is_some_and(|t| t <= now) {
        return Err(ApiError::invalid(
            "expires_at",
            "in_past",
            "must be in the future",
        ));
    }
    let user_id = text::required("user_id", &b.user_id, 64)?;
    let by = auth.user_id().to_owned();
    let (key, prefix) = tokens::new_api_key();
    let hash = tokens::digest(&key);
    let row = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            if !repo::users::missing(c, std::slice::from_ref(&user_id))?.is_empty() {
                return Err(ApiError::invalid("user_id", "not_found", "no such user"));
            }
            let row = repo::api_keys::insert(
                c,
                NewApiKey {
                    id: &db::new_id(),
                    name: &name,
                    user_id: &user_id,
                    prefix: &prefix,
                    key_hash: &hash,
                    expires_at,
                    created_by: &by,
                    now,
                },
            )?;
            let after = key_fields(&row);
            org_audit::record(
                c,
                &auth,
                Entity::ApiKey,
                &row.id,
                Did::Create,
                &vec![],
                &after,
            )?;
            Ok(row)
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(ApiKeyCreated {
        key,
        api_key: row.into(),
    }))
}

/// Revoke an API key; it stops working at once.
#[utoipa::path(delete, path = "/api/v1/api-keys/{id}", tag = "api-keys", params(("id" = String, Path)),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No such key", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::ApiKey, Action::Delete)?;
    let kid = id(&path)?;
    db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let cur =
                repo::api_keys::get(c, &kid)?.ok_or_else(|| ApiError::not_found("API key"))?;
            repo::api_keys::revoke(c, &kid, db::now())?;
            org_audit::record(
                c,
                &auth,
                Entity::ApiKey,
                &kid,
                Did::Delete,
                &key_fields(&cur),
                &vec![],
            )?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Get one API key's details.
#[utoipa::path(get, path = "/api/v1/api-keys/{id}", tag = "api-keys", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Found", body = ApiKeyOut),
        (status = 404, description = "No such key", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::ApiKey, Action::Read)?;
    let kid = id(&path)?;
    let row = db::run(&state.pool, move |c| {
        repo::api_keys::get(c, &kid)?.ok_or_else(|| ApiError::not_found("API key"))
    })
    .await?;
    Ok(HttpResponse::Ok().json(ApiKeyOut::from(row)))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api-keys")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/api-keys/{id}")
            .default_service(crate::http::allow("GET, DELETE"))
            .route(web::get().to(get))
            .route(web::delete().to(revoke)),
    );
}

fn key_fields(k: &repo::api_keys::ApiKeyRow) -> kehu_domain::audit::Fields {
    org_audit::api_key_fields(
        &k.name,
        &k.user_id,
        k.expires_at.map(|t| crate::db::to_utc(t).to_rfc3339()),
    )
}
