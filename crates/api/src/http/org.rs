//! Teams and regions (trees), product lines and partners (lists).

use super::extract::{Body, IfMatch, etag, id};
use super::org_audit::{self as audit, unit_entity, unit_fields};
use super::wire::org::{OrgUnit, OrgUnitCreate, OrgUnitList, OrgUnitUpdate};
use crate::auth::Auth;
use crate::db;
use crate::error::ApiError;
use crate::repo::org::{self, UnitKind};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::{Action, Resource};
use kehu_domain::audit::Action as Did;
use kehu_domain::{org as rules, text};

fn resource(kind: UnitKind) -> Resource {
    match kind {
        UnitKind::Team => Resource::Team,
        UnitKind::Region => Resource::Region,
        UnitKind::ProductLine => Resource::ProductLine,
        UnitKind::Partner => Resource::Partner,
    }
}

async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    kind: UnitKind,
) -> Result<HttpResponse, ApiError> {
    auth.require(resource(kind), Action::Read)?;
    let rows = db::run(&state.pool, move |c| Ok(org::list(c, kind)?)).await?;
    Ok(HttpResponse::Ok().json(OrgUnitList {
        data: rows.into_iter().map(Into::into).collect(),
    }))
}

async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    kind: UnitKind,
    raw_id: String,
) -> Result<HttpResponse, ApiError> {
    auth.require(resource(kind), Action::Read)?;
    let uid = id(&raw_id)?;
    let row = db::run(&state.pool, move |c| {
        org::get(c, kind, &uid)?.ok_or_else(|| ApiError::not_found(kind.label()))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(row.version))
        .json(OrgUnit::from(row)))
}

fn check_parent(
    c: &mut db::DbConnection,
    kind: UnitKind,
    node: &str,
    parent: Option<&str>,
) -> Result<(), ApiError> {
    if parent.is_some() && !kind.is_tree() {
        return Err(ApiError::invalid(
            "parent_id",
            "not_allowed",
            format!("a {} has no parent", kind.label()),
        ));
    }
    let tree = crate::repo::principal::tree(c, kind.as_str())?;
    Ok(rules::check_parent(node, parent, &tree)?)
}

async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    kind: UnitKind,
    body: OrgUnitCreate,
) -> Result<HttpResponse, ApiError> {
    auth.require(resource(kind), Action::Create)?;
    let name = text::required("name", &body.name, text::SHORT_MAX)?;
    let parent = body.parent_id;
    let row = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let new_id = db::new_id();
            check_parent(c, kind, &new_id, parent.as_deref())?;
            if org::name_taken(c, kind, parent.as_deref(), &name, None)? {
                return Err(ApiError::conflict_field(
                    "name",
                    "taken",
                    format!("a {} with this name already exists here", kind.label()),
                ));
            }
            let row = org::insert(c, kind, &new_id, &name, parent.as_deref(), db::now())?;
            let after = unit_fields(&row.name, row.parent_id.as_deref());
            audit::record(
                c,
                &auth,
                unit_entity(kind),
                &row.id,
                Did::Create,
                &vec![],
                &after,
            )?;
            Ok(row)
        })
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(row.version))
        .json(OrgUnit::from(row)))
}

async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    kind: UnitKind,
    raw_id: String,
    if_match: IfMatch,
    body: OrgUnitUpdate,
) -> Result<HttpResponse, ApiError> {
    auth.require(resource(kind), Action::Update)?;
    let uid = id(&raw_id)?;
    let name = body
        .name
        .as_deref()
        .map(|n| text::required("name", n, text::SHORT_MAX))
        .transpose()?;
    let row = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let cur = org::get(c, kind, &uid)?.ok_or_else(|| ApiError::not_found(kind.label()))?;
            let expected = if_match.against(cur.version);
            if cur.version != expected {
                return Err(stale(cur.version));
            }
            let parent = body.parent_id.unwrap_or(cur.parent_id.clone());
            let name = name.unwrap_or(cur.name.clone());
            check_parent(c, kind, &uid, parent.as_deref())?;
            if org::name_taken(c, kind, parent.as_deref(), &name, Some(&uid))? {
                return Err(ApiError::conflict_field(
                    "name",
                    "taken",
                    format!("a {} with this name already exists here", kind.label()),
                ));
            }
            let row = org::update(c, kind, &uid, expected, &name, parent.as_deref(), db::now())?
                .ok_or_else(|| stale(expected + 1))?;
            let before = unit_fields(&cur.name, cur.parent_id.as_deref());
            let after = unit_fields(&row.name, row.parent_id.as_deref());
            audit::record(
                c,
                &auth,
                unit_entity(kind),
                &uid,
                Did::Update,
                &before,
                &after,
            )?;
            Ok(row)
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(row.version))
        .json(OrgUnit::from(row)))
}

pub fn stale(current: i64) -> ApiError {
    ApiError::new(
        crate::error::Kind::PreconditionFailed,
        format!(
            "Someone else changed this record (now version {current}); reload it and apply your change again."
        ),
    )
}

async fn delete(
    state: web::Data<AppState>,
    auth: Auth,
    kind: UnitKind,
    raw_id: String,
) -> Result<HttpResponse, ApiError> {
    auth.require(resource(kind), Action::Delete)?;
    let uid = id(&raw_id)?;
    db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let cur = org::get(c, kind, &uid)?.ok_or_else(|| ApiError::not_found(kind.label()))?;
            let used = org::usage(c, kind, &uid)?;
            if !used.is_empty() {
                return Err(ApiError::conflict(format!(
                    "This {} is still used by {}; move them first.",
                    kind.label(),
                    used.join(", ")
                )));
            }
            org::delete(c, kind, &uid)?;
            let before = unit_fields(&cur.name, cur.parent_id.as_deref());
            audit::record(
                c,
                &auth,
                unit_entity(kind),
                &uid,
                Did::Delete,
                &before,
                &vec![],
            )?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The five routes of one kind of unit, with their OpenAPI descriptions.
macro_rules! unit_routes {
    ($module:ident, $kind:expr, tag = $tag:tt, list = $lp:tt, item = $ip:tt,
     docs = [$dl:tt, $dc:tt, $dg:tt, $du:tt, $dd:tt]) => {
        pub mod $module {
            use super::*;
            use crate::error::Problem;

            #[doc = $dl]
            #[utoipa::path(get, path = $lp, tag = $tag,
                responses((status = 200, description = "All of them, by name", body = OrgUnitList)))]
            pub async fn list(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
                super::list(state, auth, $kind).await
            }

            #[doc = $dc]
            #[utoipa::path(post, path = $lp, tag = $tag, request_body = OrgUnitCreate,
                responses(
                    (status = 201, description = "Created", body = OrgUnit, headers(("ETag" = String, description = "Version"))),
                    (status = 409, description = "The name is taken at this level", body = Problem, content_type = "application/problem+json"),
                ))]
            pub async fn create(state: web::Data<AppState>, auth: Auth, body: Body<OrgUnitCreate>) -> Result<HttpResponse, ApiError> {
                super::create(state, auth, $kind, body.0).await
            }

            #[doc = $dg]
            #[utoipa::path(get, path = $ip, tag = $tag,
                params(("id" = String, Path)),
                responses(
                    (status = 200, description = "Found", body = OrgUnit, headers(("ETag" = String, description = "Version"))),
                    (status = 404, description = "No such unit", body = Problem, content_type = "application/problem+json"),
                ))]
            pub async fn get(state: web::Data<AppState>, auth: Auth, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
                super::get(state, auth, $kind, path.into_inner()).await
            }

            #[doc = $du]
            #[utoipa::path(patch, path = $ip, tag = $tag, request_body = OrgUnitUpdate,
                params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
                responses(
                    (status = 200, description = "Updated", body = OrgUnit, headers(("ETag" = String, description = "Version"))),
                    (status = 404, description = "No such unit", body = Problem, content_type = "application/problem+json"),
                    (status = 409, description = "The name is taken at this level", body = Problem, content_type = "application/problem+json"),
                    (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
                    (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
                ))]
            pub async fn update(
                state: web::Data<AppState>,
                auth: Auth,
                path: web::Path<String>,
                if_match: IfMatch,
                body: Body<OrgUnitUpdate>,
            ) -> Result<HttpResponse, ApiError> {
                super::update(state, auth, $kind, path.into_inner(), if_match, body.0).await
            }

            #[doc = $dd]
            #[utoipa::path(delete, path = $ip, tag = $tag,
                params(("id" = String, Path)),
                responses(
                    (status = 204, description = "Deleted"),
                    (status = 404, description = "No such unit", body = Problem, content_type = "application/problem+json"),
                    (status = 409, description = "Still in use", body = Problem, content_type = "application/problem+json"),
                ))]
            pub async fn delete(state: web::Data<AppState>, auth: Auth, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
                super::delete(state, auth, $kind, path.into_inner()).await
            }

            pub fn configure(cfg: &mut web::ServiceConfig) {
                cfg.service(
                    web::resource(&$lp["/api/v1".len()..]).default_service(crate::http::allow("GET, POST"))
                        .route(web::get().to(list))
                        .route(web::post().to(create)),
                )
                .service(
                    web::resource(&$ip["/api/v1".len()..]).default_service(crate::http::allow("GET, PATCH, DELETE"))
                        .route(web::get().to(get))
                        .route(web::patch().to(update))
                        .route(web::delete().to(delete)),
                );
            }
        }
    };
}

unit_routes!(
    teams,
    UnitKind::Team,
    tag = "teams",
    list = "/api/v1/teams",
    item = "/api/v1/teams/{id}",
    docs = [
        "List all teams (a tree: follow parent_id).",
        "Create a team.",
        "Get one team.",
        "Rename a team or move it below another.",
        "Delete a team that nothing uses any more."
    ]
);
unit_routes!(
    regions,
    UnitKind::Region,
    tag = "regions",
    list = "/api/v1/regions",
    item = "/api/v1/regions/{id}",
    docs = [
        "List all regions (a tree: follow parent_id).",
        "Create a region.",
        "Get one region.",
        "Rename a region or move it below another.",
        "Delete a region that nothing uses any more."
    ]
);
unit_routes!(
    product_lines,
    UnitKind::ProductLine,
    tag = "product-lines",
    list = "/api/v1/product-lines",
    item = "/api/v1/product-lines/{id}",
    docs = [
        "List all product lines.",
        "Create a product line.",
        "Get one product line.",
        "Rename a product line.",
        "Delete a product line that nothing uses any more."
    ]
);
unit_routes!(
    partners,
    UnitKind::Partner,
    tag = "partners",
    list = "/api/v1/partners",
    item = "/api/v1/partners/{id}",
    docs = [
        "List all partner organisations (dealers).",
        "Create a partner organisation.",
        "Get one partner organisation.",
        "Rename a partner organisation.",
        "Delete a partner organisation that nothing uses any more."
    ]
);
