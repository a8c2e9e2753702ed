//! Users (administrators manage them).

use super::cursor;
use super::extract::{Body, IfMatch, check_query_text, etag, id};
use super::org::stale;
use super::org_audit;
use super::wire::users::{UserCreate, UserOut, UserPage, UserUpdate};
use crate::auth::{Auth, password};
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::audit::Entity;
use crate::repo::org::UnitKind;
use crate::repo::users::{UserFilter, UserValues};
use crate::repo::{self, api_keys, sessions};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::{Action, Resource};
use kehu_domain::audit::Action as Did;
use kehu_domain::error::Collector;
use kehu_domain::paging::Limit;
use kehu_domain::text::{self, Email};
use kehu_domain::{FieldError, user};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Search e-mail and display name.
    #[param(pattern = "^[^\\x00]*$", max_length = 100)]
    pub q: Option<String>,
    /// Only active (true) or deactivated (false) users.
    pub active: Option<bool>,
    #[param(pattern = "^[^\\x00]*$", max_length = 64)]
    pub team_id: Option<String>,
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

/// Checks that every referenced role, team, region, product line and partner exists.
fn check_refs(c: &mut DbConnection, v: &UserValues) -> Result<(), ApiError> {
    let mut col = Collector::new();
    for m in repo::roles::missing(c, &v.role_ids)? {
        col.push(FieldError::new(
            "role_ids",
            "not_found",
            format!("no role {m}"),
        ));
    }
    let single = |x: &Option<String>| x.iter().cloned().collect::<Vec<_>>();
    repo::org::check_refs(
        c,
        &mut col,
        [
            ("team_id", UnitKind::Team, single(&v.team_id)),
            ("partner_id", UnitKind::Partner, single(&v.partner_id)),
            ("region_ids", UnitKind::Region, v.region_ids.clone()),
            (
                "product_line_ids",
                UnitKind::ProductLine,
                v.product_line_ids.clone(),
            ),
        ],
    )?;
    Ok(col.finish()?)
}

fn id_list(col: &mut Collector, field: &str, ids: Vec<String>) -> Vec<String> {
    col.take(text::list(
        field,
        &ids,
        50,
        |f, s| text::required(f, s, 64),
        |s: &String| s.clone(),
    ))
    .unwrap_or_default()
}

/// List users.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserQuery),
    responses((status = 200, description = "A page of users in e-mail order", body = UserPage)))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<UserQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::User, Action::Read)?;
    let mut q = q.into_inner();
    q.cursor = super::extract::non_empty(q.cursor);
    let limit = Limit::parse(q.limit)?.get() as i64;
    let after = q
        .cursor
        .as_deref()
        .map(|c| cursor::decode_text(c, "email"))
        .transpose()?;
    let filter = UserFilter {
        q: check_query_text("q", &q.q, 100)?,
        active: q.active,
        team_id: check_query_text("team_id", &q.team_id, 64)?,
        after,
        limit: limit + 1,
    };
    let mut users = db::run(&state.pool, move |c| Ok(repo::users::list(c, &filter)?)).await?;
    let next_cursor = if users.len() as i64 > limit {
        users.truncate(limit as usize);
        users
            .last()
            .map(|u| cursor::encode_text("email", &u.row.email.to_lowercase()))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(UserPage {
        data: users.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Create a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserCreate,
    responses(
        (status = 201, description = "Created", body = UserOut, headers(("ETag" = String, description = "Version"))),
        (status = 409, description = "E-mail address already in use", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<UserCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::User, Action::Create)?;
    let b = body.0;
    let mut col = Collector::new();
    let email = col.take(Email::parse("email", &b.email));
    let display_name = col.take(user::display_name(&b.display_name));
    col.take(user::check_password("password", &b.password));
    let locale = col.take(user::locale(b.locale.as_deref())).flatten();
    let role_ids = id_list(&mut col, "role_ids", b.role_ids);
    let region_ids = id_list(&mut col, "region_ids", b.region_ids);
    let product_line_ids = id_list(&mut col, "product_line_ids", b.product_line_ids);
    col.finish()?;
    let email = email.expect("checked");
    let values = UserValues {
        email_key: email.key(),
        email: email.into_inner(),
        display_name: display_name.expect("checked"),
        is_active: true,
        team_id: b.team_id,
        partner_id: b.partner_id,
        locale,
        role_ids,
        region_ids,
        product_line_ids,
    };
    let _permit = state
        .hashing
        .acquire()
        .await
        .map_err(|_| ApiError::unavailable("hashing unavailable"))?;
    let pw = b.password;
    let hash = web::block(move || password::hash(&pw))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
        .map_err(ApiError::internal)?;
    let u = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            check_refs(c, &values)?;
            if repo::users::id_by_email_key(c, &values.email_key)?.is_some() {
                return Err(ApiError::conflict_field(
                    "email",
                    "taken",
                    "another user has this e-mail address",
                ));
            }
            let u =
                repo::users::insert(c, &db::new_id(), &values, &hash, db::now()).map_err(|e| {
                    if repo::is_unique_violation(&e) {
                        ApiError::conflict_field(
                            "email",
                            "taken",
                            "another user has this e-mail address",
                        )
                    } else {
                        e.into()
                    }
                })?;
            let after = org_audit::user_fields(&values);
            org_audit::record(
                c,
                &auth,
                Entity::User,
                &u.row.id,
                Did::Create,
                &vec![],
                &after,
            )?;
            Ok(u)
        })
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(u.row.version))
        .json(UserOut::from(u)))
}

/// Get a user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Found", body = UserOut, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::User, Action::Read)?;
    let uid = id(&path)?;
    let u = db::run(&state.pool, move |c| {
        repo::users::get(c, &uid)?.ok_or_else(|| ApiError::not_found("user"))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(u.row.version))
        .json(UserOut::from(u)))
}

/// Update a user; `is_active: false` deactivates them and ends their sessions and API keys at once.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = UserUpdate,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Updated", body = UserOut, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "E-mail address already in use", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<UserUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::User, Action::Update)?;
    let uid = id(&path)?;
    let b = body.0;
    let mut col = Collector::new();
    let email = b
        .email
        .as_deref()
        .and_then(|e| col.take(Email::parse("email", e)));
    let display_name = b
        .display_name
        .as_deref()
        .and_then(|d| col.take(user::display_name(d)));
    if let Some(p) = &b.password {
        col.take(user::check_password("password", p));
    }
    let locale = b
        .locale
        .as_ref()
        .map(|l| col.take(user::locale(l.as_deref())).flatten());
    let role_ids = b.role_ids.map(|r| id_list(&mut col, "role_ids", r));
    let region_ids = b.region_ids.map(|r| id_list(&mut col, "region_ids", r));
    let product_line_ids = b
        .product_line_ids
        .map(|r| id_list(&mut col, "product_line_ids", r));
    if b.is_active == Some(false) && uid == auth.user_id() {
        col.push(FieldError::new(
            "is_active",
            "self",
            "you cannot deactivate yourself",
        ));
    }
    col.finish()?;
    let hash = match b.password {
        Some(pw) => {
            let _permit = state
                .hashing
                .acquire()
                .await
                .map_err(|_| ApiError::unavailable("hashing unavailable"))?;
            Some(
                web::block(move || password::hash(&pw))
                    .await
                    .map_err(|e| ApiError::internal(e.to_string()))?
                    .map_err(ApiError::internal)?,
            )
        }
        None => None,
    };
    let u = db::run(&state.pool, move |c| {
        crate::db::write_tx(c, |c| {
            let cur = repo::users::get(c, &uid)?.ok_or_else(|| ApiError::not_found("user"))?;
            let expected = if_match.against(cur.row.version);
            if cur.row.version != expected {
                return Err(stale(cur.row.version));
            }
            let (email, email_key) = match email {
                Some(e) => (e.as_str().to_owned(), e.key()),
                None => (cur.row.email.clone(), cur.row.email.to_lowercase()),
            };
            let values = UserValues {
                email,
                email_key,
                display_name: display_name.unwrap_or(cur.row.display_name.clone()),
                is_active: b.is_active.unwrap_or(cur.row.is_active),
                team_id: b.team_id.unwrap_or(cur.row.team_id.clone()),
                partner_id: b.partner_id.unwrap_or(cur.row.partner_id.clone()),
                locale: locale.unwrap_or(cur.row.locale.clone()),
                role_ids: role_ids.unwrap_or(cur.role_ids.clone()),
                region_ids: region_ids.unwrap_or(cur.region_ids.clone()),
                product_line_ids: product_line_ids.unwrap_or(cur.product_line_ids.clone()),
            };
            check_refs(c, &values)?;
            if repo::users::id_by_email_key(c, &values.email_key)?.is_some_and(|other| other != uid)
            {
                return Err(ApiError::conflict_field(
                    "email",
                    "taken",
                    "another user has this e-mail address",
                ));
            }
            let now = db::now();
            let updated = repo::users::update(c, &uid, expected, &values, hash.as_deref(), now)?
                .ok_or_else(|| stale(expected + 1))?;
            let before = org_audit::user_fields(&UserValues {
                email: cur.row.email.clone(),
                email_key: String::new(),
                display_name: cur.row.display_name.clone(),
                is_active: cur.row.is_active,
                team_id: cur.row.team_id.clone(),
                partner_id: cur.row.partner_id.clone(),
                locale: cur.row.locale.clone(),
                role_ids: cur.role_ids.clone(),
                region_ids: cur.region_ids.clone(),
                product_line_ids: cur.product_line_ids.clone(),
            });
            let mut after = org_audit::user_fields(&values);
            // that it changed, never what to
            if hash.is_some() {
                after.push(("password", Some("changed".into())));
            }
            org_audit::record(c, &auth, Entity::User, &uid, Did::Update, &before, &after)?;
            // a password change or deactivation ends every session and key of the user
            if !values.is_active || hash.is_some() {
                sessions::revoke_all_for_user(c, &uid, now)?;
            }
            if !values.is_active {
                api_keys::revoke_all_for_user(c, &uid, now)?;
            }
            Ok(updated)
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(u.row.version))
        .json(UserOut::from(u)))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/users")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/users/{id}")
            .default_service(crate::http::allow("GET, PATCH"))
            .route(web::get().to(get))
            .route(web::patch().to(update)),
    );
}
