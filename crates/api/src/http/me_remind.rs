//! The caller's notification preferences and calendar subscription, and the
//! calendar feed itself, which calendar applications fetch without signing in.

use super::extract::Body;
use super::wire::remind::{CalendarCreated, CalendarOut, PreferencesOut, PreferencesUpdate};
use crate::auth::{Auth, tokens};
use crate::db;
use crate::error::{ApiError, Problem};
use crate::remind::{feed, zone};
use crate::repo::{preferences, reminders};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, http::header, web};

/// The caller's notification preferences (the defaults until they save any).
#[utoipa::path(get, path = "/api/v1/me/preferences", tag = "notifications",
    responses((status = 200, description = "Preferences", body = PreferencesOut)))]
pub async fn get_preferences(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    let uid = auth.user_id().to_owned();
    let p = db::run(&state.pool, move |c| {
        preferences::get(c, &uid)?.ok_or_else(|| ApiError::not_found("user"))
    })
    .await?;
    Ok(HttpResponse::Ok().json(PreferencesOut::from(p)))
}

/// Change the caller's notification preferences and time zone; fields not sent stay.
#[utoipa::path(put, path = "/api/v1/me/preferences", tag = "notifications", request_body = PreferencesUpdate,
    responses((status = 200, description = "Saved", body = PreferencesOut),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json")))]
pub async fn put_preferences(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<PreferencesUpdate>,
) -> Result<HttpResponse, ApiError> {
    let uid = auth.user_id().to_owned();
    let raw = body.0.into();
    let p = db::run(&state.pool, move |c| {
        let cur = preferences::get(c, &uid)?.ok_or_else(|| ApiError::not_found("user"))?;
        let next = cur.patch(raw, zone::known)?;
        preferences::save(c, &uid, &next, db::now())?;
        Ok(next)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PreferencesOut::from(p)))
}

/// Whether the caller has a calendar subscription.
#[utoipa::path(get, path = "/api/v1/me/calendar", tag = "notifications",
    responses((status = 200, description = "The subscription", body = CalendarOut)))]
pub async fn get_calendar(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    let uid = auth.user_id().to_owned();
    let since = db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(reminders::calendar_since(c, &uid)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CalendarOut {
        active: since.is_some(),
        url: None,
        created_at: since.map(db::to_utc),
    }))
}

pub(crate) fn base_url(state: &AppState, req: &HttpRequest) -> String {
    match &state.settings.public_url {
        Some(u) => u.clone(),
        None => {
            let ci = req.connection_info();
            format!("{}://{}", ci.scheme(), ci.host())
        }
    }
}

/// Make a new calendar subscription address; the previous one stops working.
/// The address carries a secret: whoever has it reads the caller's calendar.
#[utoipa::path(post, path = "/api/v1/me/calendar", tag = "notifications",
    responses((status = 201, description = "The new address (shown only now)", body = CalendarCreated)))]
pub async fn create_calendar(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let uid = auth.user_id().to_owned();
    let secret = tokens::new_refresh_token();
    let hash = tokens::digest(&secret);
    db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(reminders::set_calendar(c, &uid, &hash, db::now())?)
    })
    .await?;
    Ok(HttpResponse::Created().json(CalendarCreated {
        url: format!("{}/api/v1/calendar/{secret}.ics", base_url(&state, &req)),
    }))
}

/// Revoke the caller's calendar subscription.
#[utoipa::path(delete, path = "/api/v1/me/calendar", tag = "notifications",
    responses((status = 204, description = "Revoked (also when there was none)")))]
pub async fn delete_calendar(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    let uid = auth.user_id().to_owned();
    db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(reminders::revoke_calendar(c, &uid)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A user's calendar (RFC 5545): their reminders, and their customers'
/// renewal and maintenance days as all-day events. No sign-in: the secret
/// in the address is the key.
#[utoipa::path(get, path = "/api/v1/calendar/{token}.ics", tag = "notifications",
    params(("token" = String, Path, description = "The secret from POST /me/calendar")),
    responses((status = 200, description = "The calendar", content_type = "text/calendar", body = String),
        (status = 404, description = "Unknown or revoked address", body = Problem, content_type = "application/problem+json")),
    security(()))]
pub async fn feed(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let file = path.into_inner();
    let Some(secret) = file
        .strip_suffix(".ics")
        .filter(|s| !s.is_empty() && s.len() <= 128)
    else {
        return Err(ApiError::not_found("calendar"));
    };
    let hash = tokens::digest(secret);
    let text = db::run(&state.pool, move |c| {
        let uid =
            reminders::calendar_owner(c, &hash)?.ok_or_else(|| ApiError::not_found("calendar"))?;
        let people = preferences::recipients(c, std::slice::from_ref(&uid))?;
        let who = people
            .get(&uid)
            .ok_or_else(|| ApiError::not_found("calendar"))?;
        Ok(feed::text(c, &uid, &who.display_name, db::now())?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(text))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/me/preferences")
            .default_service(crate::http::allow("GET, PUT"))
            .route(web::get().to(get_preferences))
            .route(web::put().to(put_preferences)),
    )
    .service(
        web::resource("/me/calendar")
            .default_service(crate::http::allow("GET, POST, DELETE"))
            .route(web::get().to(get_calendar))
            .route(web::post().to(create_calendar))
            .route(web::delete().to(delete_calendar)),
    )
    .service(
        web::resource("/calendar/{file}")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(feed)),
    );
}
