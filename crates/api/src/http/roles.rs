//! Roles: what each role may do, per resource and action.

use super::extract::{Body, IfMatch, etag, id};
use super::org::stale;
use super::org_audit;
use super::wire::users::{GrantWire, RoleCreate, RoleList, RoleOut, RoleUpdate};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::repo;
use crate::repo::audit::Entity;
use crate::repo::roles::RoleValues;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::{Action, Resource, RoleGrants, Scope};
use kehu_domain::audit::Action as Did;
use kehu_domain::error::Collector;
use kehu_domain::{FieldError, text};

fn parse_grants(raw: &[GrantWire]) -> Result<RoleGrants, kehu_domain::Invalid> {
    let mut col = Collector::new();
    let mut g = RoleGrants::new();
    if raw.len() > 100 {
        col.push(FieldError::new(
            "grants",
            "too_many",
            "must have at most 100 entries",
        ));
    }
    for (i, w) in raw.iter().enumerate() {
        let r = Resource::parse(&w.resource);
        let a = Action::parse(&w.action);
        let s = Scope::parse(&w.scope);
        if r.is_none() {
            col.push(FieldError::new(
                format!("grants[{i}].resource"),
                "invalid_choice",
                "must be one of: customer, user, role, team, region, product_line, partner, api_key",
            ));
        }
        if a.is_none() {
            col.push(FieldError::new(
                format!("grants[{i}].action"),
                "invalid_choice",
                "must be one of: read, create, update, delete",
            ));
        }
        if s.is_none() {
            col.push(FieldError::new(
                format!("grants[{i}].scope"),
                "invalid_choice",
                "must be one of: none, own, team, region, all",
            ));
        }
        if let (Some(r), Some(a), Some(s)) = (r, a, s)
            && g.insert((r, a), s).is_some()
        {
            col.push(FieldError::new(
                format!("grants[{i}]"),
                "duplicate",
                "grants this resource and action twice",
            ));
        }
    }
    col.finish()?;
    Ok(g)
}

/// List roles with their grants.
#[utoipa::path(get, path = "/api/v1/roles", tag = "roles",
    responses((status = 200, description = "Built-in roles first, then by name", body = RoleList)))]
pub async fn list(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Role, Action::Read)?;
    let roles = db::run(&state.pool, |c| Ok(repo::roles::list(c)?)).await?;
    Ok(HttpResponse::Ok().json(RoleList {
        data: roles.into_iter().map(Into::into).collect(),
    }))
}

/// Get a role.
#[utoipa::path(get, path = "/api/v1/roles/{id}", tag = "roles", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Found", body = RoleOut, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such role", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Role, Action::Read)?;
    let rid = id(&path)?;
    let r = db::run(&state.pool, move |c| {
        repo::roles::get(c, &rid)?.ok_or_else(|| ApiError::not_found("role"))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(r.row.version))
        .json(RoleOut::from(r)))
}

/// Create a custom role.
#[utoipa::path(post, path = "/api/v1/roles", tag = "roles", request_body = RoleCreate,
    responses(
        (status = 201, description = "Created", body = RoleOut, headers(("ETag" = String, description = "Version"))),
        (status = 409, description = "Name taken", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<RoleCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Role, Action::Create)?;
    let b = body.0;
    let mut col = Collector::new();
    let name = col.take(text::required("name", &b.name, text::SHORT_MAX));
    let description = col
        .take(text::optional_multiline(
            "description",
            b.description.as_deref(),
            1000,
        ))
        .flatten();
    let grants = col.take(parse_grants(&b.grants));
    col.finish()?;
    let (name, grants) = (name.expect("checked"), grants.expect("checked"));
    let r = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            if repo::roles::name_taken(c, &name, None)? {
                return Err(ApiError::conflict_field(
                    "name",
                    "taken",
                    "another role has this name",
                ));
            }
            let v = RoleValues {
                name: &name,
                description: description.as_deref(),
                grants: &grants,
            };
            let r = repo::roles::insert(c, &db::new_id(), &v, false, db::now())?;
            let after = org_audit::role_fields(&name, description.as_deref(), &grants);
            org_audit::record(
                c,
                &auth,
                Entity::Role,
                &r.row.id,
                Did::Create,
                &vec![],
                &after,
            )?;
            Ok(r)
        })
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(r.row.version))
        .json(RoleOut::from(r)))
}

/// Change a custom role; built-in roles cannot be changed.
#[utoipa::path(patch, path = "/api/v1/roles/{id}", tag = "roles", request_body = RoleUpdate,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Updated", body = RoleOut, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such role", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Built-in role, or name taken", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<RoleUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Role, Action::Update)?;
    let rid = id(&path)?;
    let b = body.0;
    let mut col = Collector::new();
    let name = b
        .name
        .as_deref()
        .and_then(|n| col.take(text::required("name", n, text::SHORT_MAX)));
    let description = b.description.as_ref().map(|d| {
        col.take(text::optional_multiline("description", d.as_deref(), 1000))
            .flatten()
    });
    let grants = b.grants.as_deref().and_then(|g| col.take(parse_grants(g)));
    col.finish()?;
    let r = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let cur = repo::roles::get(c, &rid)?.ok_or_else(|| ApiError::not_found("role"))?;
            if cur.row.is_builtin {
                return Err(ApiError::conflict(
                    "Built-in roles cannot be changed; create a custom role instead.",
                ));
            }
            let expected = if_match.against(cur.row.version);
            if cur.row.version != expected {
                return Err(stale(cur.row.version));
            }
            let name = name.unwrap_or(cur.row.name.clone());
            if repo::roles::name_taken(c, &name, Some(&rid))? {
                return Err(ApiError::conflict_field(
                    "name",
                    "taken",
                    "another role has this name",
                ));
            }
            let description = description.unwrap_or(cur.row.description.clone());
            let grants = grants.unwrap_or(cur.grants.clone());
            let v = RoleValues {
                name: &name,
                description: description.as_deref(),
                grants: &grants,
            };
            let r = repo::roles::update(c, &rid, expected, &v, db::now())?
                .ok_or_else(|| stale(expected + 1))?;
            let before =
                org_audit::role_fields(&cur.row.name, cur.row.description.as_deref(), &cur.grants);
            let after = org_audit::role_fields(&name, description.as_deref(), &grants);
            org_audit::record(c, &auth, Entity::Role, &rid, Did::Update, &before, &after)?;
            Ok(r)
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(r.row.version))
        .json(RoleOut::from(r)))
}

/// Delete a custom role nobody holds.
#[utoipa::path(delete, path = "/api/v1/roles/{id}", tag = "roles", params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such role", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Built-in, or still held by users", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Role, Action::Delete)?;
    let rid = id(&path)?;
    db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let cur = repo::roles::get(c, &rid)?.ok_or_else(|| ApiError::not_found("role"))?;
            if cur.row.is_builtin {
                return Err(ApiError::conflict("Built-in roles cannot be deleted."));
            }
            let n = repo::roles::holders(c, &rid)?;
            if n > 0 {
                return Err(ApiError::conflict(format!(
                    "{n} users still hold this role; take it from them first."
                )));
            }
            repo::roles::delete(c, &rid)?;
            let before =
                org_audit::role_fields(&cur.row.name, cur.row.description.as_deref(), &cur.grants);
            org_audit::record(c, &auth, Entity::Role, &rid, Did::Delete, &before, &vec![])?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/roles")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/roles/{id}")
            .default_service(crate::http::allow("GET, PATCH, DELETE"))
            .route(web::get().to(get))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    );
}
