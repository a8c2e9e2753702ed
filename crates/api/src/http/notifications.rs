//! The bell: a user's notifications, and the reminders they set for themselves.

use super::cursor;
use super::customers::Scoped;
use super::extract::{Body, id};
use super::wire::remind::{
    NotificationOut, NotificationPage, ReminderCreate, ReminderOut, ReminderPage, UnreadCount,
};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::repo::customers::exists_visible;
use crate::repo::notifications as store;
use crate::repo::reminders::{self, ReminderRow};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Duration, NaiveDateTime, SubsecRound, Utc};
use kehu_domain::access::Action;
use kehu_domain::paging::Limit;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Only the unread ones.
    pub unread: Option<bool>,
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

fn time_cursor(
    c: Option<String>,
    order: &str,
) -> Result<Option<(NaiveDateTime, String)>, ApiError> {
    let Some(c) = super::extract::non_empty(c) else {
        return Ok(None);
    };
    let (v, i) = cursor::decode_keyed(&c, order)?;
    let t = DateTime::parse_from_rfc3339(&v).map_err(|_| {
        ApiError::bad_field(
            "cursor",
            "invalid_cursor",
            "is not a cursor from this list; start again without it",
        )
    })?;
    Ok(Some((t.naive_utc(), i)))
}

fn encode_time(order: &str, t: NaiveDateTime, id: &str) -> String {
    cursor::encode_keyed(order, &db::to_utc(t).to_rfc3339(), id)
}

/// The caller's notifications, newest first, with the number unread.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(NotificationQuery),
    responses((status = 200, description = "A page of notifications", body = NotificationPage),
        (status = 400, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<NotificationQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let limit = Limit::parse(q.limit)?.get() as i64;
    let before = time_cursor(q.cursor, "-created_at")?;
    let unread = q.unread.unwrap_or(false);
    let uid = auth.user_id().to_owned();
    let (mut rows, count) = db::run(&state.pool, move |c| {
        let rows = store::list(c, &uid, unread, before, limit + 1)?;
        Ok::<_, ApiError>((rows, store::unread_count(c, &uid)?))
    })
    .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| encode_time("-created_at", r.created_at, &r.id))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(NotificationPage {
        data: rows.into_iter().map(NotificationOut::from).collect(),
        next_cursor,
        unread_count: count,
    }))
}

/// How many of the caller's notifications are unread (the bell's badge).
#[utoipa::path(get, path = "/api/v1/notifications/unread-count", tag = "notifications",
    responses((status = 200, description = "Unread notifications", body = UnreadCount)))]
pub async fn unread_count(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    let uid = auth.user_id().to_owned();
    let count = db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(store::unread_count(c, &uid)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(UnreadCount { count }))
}

/// Mark one notification read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications",
    params(("id" = String, Path)),
    responses((status = 204, description = "Read"),
        (status = 404, description = "No such notification of the caller's", body = Problem, content_type = "application/problem+json")))]
pub async fn read(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let nid = id(&path)?;
    let uid = auth.user_id().to_owned();
    let found = db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(store::mark_read(c, &uid, &nid, db::now())?)
    })
    .await?;
    if !found {
        return Err(ApiError::not_found("notification"));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Mark all the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications",
    responses((status = 204, description = "All read")))]
pub async fn read_all(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    let uid = auth.user_id().to_owned();
    db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(store::read_all(c, &uid, db::now())?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A reminder a few minutes late is still meant; one further back is a mistake.
const PAST_TOLERANCE_MINUTES: i64 = 5;
const MAX_YEARS_AHEAD: i64 = 10;
const NOTE_MAX: usize = 2000;

/// Set a reminder for oneself, optionally about a customer (which the caller
/// must be able to read). It becomes a notification at `remind_at`.
#[utoipa::path(post, path = "/api/v1/reminders", tag = "notifications", request_body = ReminderCreate,
    responses((status = 201, description = "Set", body = ReminderOut),
        (status = 422, description = "A field is invalid, or names a customer the caller cannot read", body = Problem, content_type = "application/problem+json")))]
pub async fn create_reminder(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<ReminderCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let now = db::now();
    let at = DateTime::parse_from_rfc3339(b.remind_at.trim())
        .map_err(|_| {
            ApiError::invalid(
                "remind_at",
                "invalid_time",
                "must be a time in RFC 3339, e.g. 2026-12-01T01:30:00Z",
            )
        })?
        .with_timezone(&Utc)
        .naive_utc()
        .trunc_subsecs(6);
    if at < now - Duration::minutes(PAST_TOLERANCE_MINUTES) {
        return Err(ApiError::invalid(
            "remind_at",
            "in_past",
            "must not be in the past",
        ));
    }
    if at > now + Duration::days(365 * MAX_YEARS_AHEAD) {
        return Err(ApiError::invalid(
            "remind_at",
            "too_far",
            "must be within ten years",
        ));
    }
    let note = kehu_domain::text::optional_multiline("note", Some(&b.note), NOTE_MAX)?
        .ok_or_else(|| ApiError::invalid("note", "required", "is required"))?;
    let customer_id = b.customer_id.as_deref().map(id).transpose()?;
    let activity_id = b.activity_id.as_deref().map(id).transpose()?;
    let read = Scoped::new(&auth, Action::Read);
    let row = ReminderRow {
        id: db::new_id(),
        user_id: auth.user_id().to_owned(),
        remind_at: at,
        note,
        customer_id,
        activity_id,
        fired_at: None,
        created_at: now,
    };
    let row = db::run(&state.pool, move |c| {
        if let Some(cid) = &row.customer_id
            && !exists_visible(c, cid, read.cond())?
        {
            return Err(ApiError::invalid(
                "customer_id",
                "not_found",
                "no such customer",
            ));
        }
        if let Some(aid) = &row.activity_id {
            // an activity is read through its customer
            let visible = match reminders::activity_customer(c, aid)? {
                Some(cid) => exists_visible(c, &cid, read.cond())?,
                None => false,
            };
            if !visible {
                return Err(ApiError::invalid(
                    "activity_id",
                    "not_found",
                    "no such activity",
                ));
            }
        }
        reminders::insert(c, &row)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/reminders/{}", row.id)))
        .json(ReminderOut::from(row)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReminderQuery {
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

/// The caller's own reminders, soonest first (fired ones keep their place by time).
#[utoipa::path(get, path = "/api/v1/reminders", tag = "notifications", params(ReminderQuery),
    responses((status = 200, description = "A page of reminders", body = ReminderPage)))]
pub async fn list_reminders(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<ReminderQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let limit = Limit::parse(q.limit)?.get() as i64;
    let after = time_cursor(q.cursor, "remind_at")?;
    let uid = auth.user_id().to_owned();
    let mut rows = db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(reminders::list_mine(c, &uid, after, limit + 1)?)
    })
    .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| encode_time("remind_at", r.remind_at, &r.id))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(ReminderPage {
        data: rows.into_iter().map(ReminderOut::from).collect(),
        next_cursor,
    }))
}

/// Delete one of the caller's reminders.
#[utoipa::path(delete, path = "/api/v1/reminders/{id}", tag = "notifications",
    params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"),
        (status = 404, description = "No such reminder of the caller's", body = Problem, content_type = "application/problem+json")))]
pub async fn delete_reminder(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let rid = id(&path)?;
    let uid = auth.user_id().to_owned();
    let found = db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(reminders::delete_mine(c, &uid, &rid)?)
    })
    .await?;
    if !found {
        return Err(ApiError::not_found("reminder"));
    }
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/notifications")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(list)),
    )
    .service(
        web::resource("/notifications/unread-count")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(unread_count)),
    )
    .service(
        web::resource("/notifications/read-all")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(read_all)),
    )
    .service(
        web::resource("/notifications/{id}/read")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(read)),
    )
    .service(
        web::resource("/reminders")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list_reminders))
            .route(web::post().to(create_reminder)),
    )
    .service(
        web::resource("/reminders/{id}")
            .default_service(crate::http::allow("DELETE"))
            .route(web::delete().to(delete_reminder)),
    );
}
