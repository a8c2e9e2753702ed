//! Sign-in, token refresh, sign-out, and who am I.

use super::extract::Body;
use super::wire::auth::{
    LoginRequest, Me, MeUpdate, Permission, RefreshRequest, RoleRef, TokenResponse, UserRef,
};
use crate::auth::principal::Via;
use crate::auth::{Auth, password, tokens};
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::{self, sessions::Rotation};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::user::LoginFailures;

fn issue(
    c: &mut DbConnection,
    state: &AppState,
    user_id: &str,
    family_id: &str,
) -> Result<TokenResponse, ApiError> {
    let now = db::now();
    let access_token = state
        .jwt
        .issue(user_id, now.and_utc().timestamp())
        .map_err(ApiError::internal)?;
    let refresh_token = tokens::new_refresh_token();
    let expires = now + chrono::Duration::days(state.settings.refresh_token_ttl_days);
    repo::sessions::create(
        c,
        user_id,
        family_id,
        &tokens::digest(&refresh_token),
        expires,
        now,
    )?;
    let u = repo::users::get(c, user_id)?
        .ok_or_else(|| ApiError::internal("user vanished during sign-in"))?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: state.jwt.ttl_secs,
        refresh_token,
        user: UserRef {
            id: u.row.id,
            email: u.row.email,
            display_name: u.row.display_name,
        },
    })
}

fn wrong_credentials() -> ApiError {
    ApiError::unauthorized("The e-mail address or password is wrong.")
}

/// Sign in with e-mail and password.
///
/// After 5 failed attempts within 15 minutes, sign-in for that e-mail address
/// is refused with 429 for 5 minutes.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong e-mail or password, or the account is deactivated", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
pub async fn login(
    state: web::Data<AppState>,
    body: Body<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let LoginRequest {
        email,
        password: pw,
    } = body.0;
    let mut missing = kehu_domain::error::Collector::new();
    if email.trim().is_empty() {
        missing.push(kehu_domain::FieldError::new(
            "email",
            "required",
            "is required",
        ));
    }
    if pw.is_empty() {
        missing.push(kehu_domain::FieldError::new(
            "password",
            "required",
            "is required",
        ));
    }
    missing.finish()?;
    if email.len() > 254 || pw.len() > 1024 || email.contains('\0') {
        return Err(wrong_credentials());
    }
    let key = email.trim().to_lowercase();
    let now_ts = db::now().and_utc().timestamp();
    let (k, st) = (key.clone(), state.clone());
    let (failures, creds) = db::run(&st.pool, move |c| {
        Ok((
            repo::sessions::failures(c, &k)?,
            repo::users::credentials(c, &k)?,
        ))
    })
    .await?;
    if let Some(wait) = failures.locked_for(now_ts) {
        return Err(ApiError::too_many(
            format!(
                "Too many failed sign-ins for this e-mail address. Try again in {wait} seconds."
            ),
            wait,
        ));
    }
    let permit = state
        .hashing
        .acquire()
        .await
        .map_err(|_| ApiError::unavailable("password hashing unavailable"))?;
    let hash = creds.as_ref().map(|(_, h, _)| h.clone());
    let ok = web::block(move || {
        password::verify(&pw, hash.as_deref().unwrap_or_else(|| password::decoy()))
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?;
    drop(permit);
    match creds {
        Some((user_id, _, true)) if ok => {
            let st = state.clone();
            let resp = db::run(&state.pool, move |c| {
                repo::sessions::clear_failures(c, &key)?;
                issue(c, &st, &user_id, &db::new_id())
            })
            .await?;
            Ok(web::Json(resp))
        }
        Some((_, _, false)) if ok => Err(ApiError::unauthorized(
            "This account is deactivated; ask an administrator.",
        )),
        _ => {
            let next: LoginFailures = failures.after_failure(now_ts);
            db::run(&state.pool, move |c| {
                Ok(repo::sessions::save_failures(c, &key, next)?)
            })
            .await?;
            Err(wrong_credentials())
        }
    }
}

/// Exchange a refresh token for new tokens.
///
/// Each refresh token works once. Presenting a spent one again means it was
/// copied: the whole session is ended.
#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "Unknown, spent or expired refresh token", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
pub async fn refresh(
    state: web::Data<AppState>,
    body: Body<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let hash = tokens::digest(&body.0.refresh_token);
    let st = state.clone();
    let resp = db::run(&state.pool, move |c| match repo::sessions::rotate(c, &hash, db::now())? {
        Rotation::Rotated { user_id, family_id } => issue(c, &st, &user_id, &family_id),
        Rotation::Invalid => Err(ApiError::unauthorized("The refresh token is invalid or expired; sign in again.")),
        Rotation::Reused => Err(ApiError::unauthorized(
            "This refresh token was already used; the session has been ended for safety. Sign in again.",
        )),
    })
    .await?;
    Ok(web::Json(resp))
}

/// Sign out: ends the session the refresh token belongs to.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out (also when the token was already invalid)")),
    security(())
)]
pub async fn logout(
    state: web::Data<AppState>,
    body: Body<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let hash = tokens::digest(&body.0.refresh_token);
    db::run(&state.pool, move |c| {
        Ok(repo::sessions::revoke_by_token(c, &hash, db::now())?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user, their roles and effective permissions.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "auth",
    responses((status = 200, description = "The caller", body = Me)),
)]
pub async fn me(state: web::Data<AppState>, auth: Auth) -> Result<web::Json<Me>, ApiError> {
    Ok(web::Json(load_me(&state, auth).await?))
}

async fn load_me(state: &AppState, auth: Auth) -> Result<Me, ApiError> {
    let (uid, role_ids) = (auth.user_id().to_owned(), auth.role_ids.clone());
    let (user, roles) = db::run(&state.pool, move |c| {
        let u = repo::users::get(c, &uid)?.ok_or_else(|| ApiError::not_found("user"))?;
        let mut roles = Vec::new();
        for id in &role_ids {
            if let Some(r) = repo::roles::get(c, id)? {
                roles.push(RoleRef {
                    id: r.row.id,
                    name: r.row.name,
                });
            }
        }
        Ok((u, roles))
    })
    .await?;
    Ok(Me {
        id: user.row.id,
        email: user.row.email,
        display_name: user.row.display_name,
        roles,
        team_id: user.row.team_id,
        region_ids: user.region_ids,
        product_line_ids: user.product_line_ids,
        partner_id: user.row.partner_id,
        locale: user.row.locale,
        time_zone: user.row.time_zone,
        authenticated_via: match auth.via {
            Via::Session => "session".into(),
            Via::ApiKey { .. } => "api_key".into(),
        },
        permissions: auth
            .subject
            .grants
            .iter()
            .map(|(r, a, s)| Permission {
                resource: r.as_str().into(),
                action: a.as_str().into(),
                scopes: s.iter().map(|x| x.as_str().to_owned()).collect(),
            })
            .collect(),
    })
}

/// Change the signed-in user's own preferences (the language).
#[utoipa::path(
    patch,
    path = "/api/v1/me",
    tag = "auth",
    request_body = MeUpdate,
    responses((status = 200, description = "The caller, updated", body = Me)),
)]
pub async fn update_me(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<MeUpdate>,
) -> Result<web::Json<Me>, ApiError> {
    if let Some(locale) = body.0.locale {
        let locale = kehu_domain::user::locale(locale.as_deref())?;
        let uid = auth.user_id().to_owned();
        db::run(&state.pool, move |c| {
            Ok(repo::users::set_locale(
                c,
                &uid,
                locale.as_deref(),
                db::now(),
            )?)
        })
        .await?;
    }
    Ok(web::Json(load_me(&state, auth).await?))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/auth/login")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(login)),
    )
    .service(
        web::resource("/auth/refresh")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(refresh)),
    )
    .service(
        web::resource("/auth/logout")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(logout)),
    )
    .service(
        web::resource("/me")
            .default_service(crate::http::allow("GET, PATCH"))
            .route(web::get().to(me))
            .route(web::patch().to(update_me)),
    );
}
