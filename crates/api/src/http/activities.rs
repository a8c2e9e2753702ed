//! Activities: logged and planned interactions with a customer. Anyone who
//! sees the customer may log one; its owner or author, or whoever may change
//! the customer, may change or delete it.

use super::cursor;
use super::customers::{Scoped, changed_by, load_for};
use super::extract::{Body, IfMatch, etag, id, non_empty, opt_id};
use super::idempotency::{self, Created, IdempotencyKey};
use super::org::stale;
use super::wire::activities::{
    ActivityCreate, ActivityOut, ActivityPage, ActivityStatus, ActivityUpdate,
};
use super::wire::customers::Allowed;
use crate::auth::{Auth, Via};
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::activities::{
    self as store, ActivityFilter, ActivityRecord, Author, from_micros, micros,
};
use crate::repo::audit::{self as audit_log, Entity};
use crate::repo::customers::{Liveness, WriteOutcome};
use crate::state::AppState;
use crate::zone;
use actix_web::{HttpResponse, http::StatusCode, web};
use chrono::{DateTime, Utc};
use kehu_domain::FieldError;
use kehu_domain::access::Action;
use kehu_domain::activity::{self, Activity, Kind, RawActivity};
use kehu_domain::audit::{self, Action as AuditAction};
use kehu_domain::error::Collector;
use kehu_domain::paging::Limit;
use serde::Deserialize;
use utoipa::IntoParams;

pub mod day;
pub mod timeline;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// Only this customer's activities.
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub customer_id: Option<String>,
    /// Only those this user owns; `me` for the caller.
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub owner_id: Option<String>,
    /// `me`: only those the caller owns or takes part in.
    #[param(pattern = "^(me)?$")]
    pub involving: Option<String>,
    /// Comma-separated kinds, e.g. `visit,call`.
    #[param(
        example = "visit,call",
        pattern = "^((call|visit|meeting|email|task|note)(,(call|visit|meeting|email|task|note))*)?$"
    )]
    pub kind: Option<String>,
    /// `open` (to do), `done`, or `overdue` (open and past due).
    #[param(pattern = "^(open|done|overdue)?$")]
    pub status: Option<String>,
    /// From this time on (by when it happens), oldest first.
    pub from: Option<DateTime<Utc>>,
    /// Before this time.
    pub to: Option<DateTime<Utc>>,
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

pub(crate) fn author(auth: &Auth) -> Author<'_> {
    Author {
        user_id: Some(auth.user_id()),
        api_key_id: match &auth.via {
            Via::ApiKey { id } => Some(id),
            Via::Session => None,
        },
    }
}

/// Kinds as sent in a comma-separated list.
pub(crate) fn kinds(field: &str, raw: Option<String>) -> Result<Vec<String>, ApiError> {
    let mut out = Vec::new();
    for k in non_empty(raw).iter().flat_map(|s| s.split(',')) {
        let k = k.trim();
        match Kind::parse(k) {
            Some(k) => out.push(k.as_str().to_owned()),
            None => {
                return Err(ApiError::bad_field(
                    field,
                    "invalid_choice",
                    "must be a comma-separated list of call, visit, meeting, email, task, note",
                ));
            }
        }
    }
    Ok(out)
}

/// The current time (microseconds) and the caller's zone offset now
/// (seconds), for statuses.
pub(crate) fn clock(c: &mut DbConnection, auth: &Auth) -> Result<(i64, i64), ApiError> {
    let now = micros(db::now());
    let tz = zone::of_user(c, auth.user_id())?;
    Ok((now, zone::offset_at(tz, now / activity::MICROS)))
}

const ORDER_DESC: &str = "-sort_at";
const ORDER_ASC: &str = "sort_at";

/// List the activities of the customers the caller may see: newest first,
/// or oldest first from `from` on (a plan of the days ahead).
#[utoipa::path(get, path = "/api/v1/activities", tag = "activities", params(ActivityQuery),
    responses(
        (status = 200, description = "A page of activities", body = ActivityPage),
        (status = 400, description = "A filter is malformed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<ActivityQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let limit = Limit::parse(q.limit)?.get() as i64;
    let me = auth.user_id().to_owned();
    let mut f = ActivityFilter {
        customer_id: opt_id("customer_id", q.customer_id)?,
        owner_id: opt_id("owner_id", q.owner_id)?.map(|o| if o == "me" { me.clone() } else { o }),
        kinds: kinds("kind", q.kind)?,
        sort_from: q.from.map(|t| from_micros(t.timestamp_micros())),
        sort_to: q.to.map(|t| from_micros(t.timestamp_micros())),
        ascending: q.from.is_some(),
        ..Default::default()
    };
    match non_empty(q.involving).as_deref() {
        None => {}
        Some("me") => f.involving = Some(me.clone()),
        Some(_) => {
            return Err(ApiError::bad_field(
                "involving",
                "invalid_choice",
                "must be me",
            ));
        }
    }
    let overdue = match non_empty(q.status).as_deref() {
        None => false,
        Some("open") => {
            f.done = Some(false);
            false
        }
        Some("done") => {
            f.done = Some(true);
            false
        }
        Some("overdue") => true,
        Some(_) => {
            return Err(ApiError::bad_field(
                "status",
                "invalid_choice",
                "must be open, done or overdue",
            ));
        }
    };
    let order = if f.ascending { ORDER_ASC } else { ORDER_DESC };
    let after = non_empty(q.cursor)
        .map(|c| cursor::decode_keyed(&c, order))
        .transpose()?
        .map(|(at, id)| {
            at.parse::<i64>()
                .map(|t| (from_micros(t), id))
                .map_err(|_| {
                    ApiError::bad_field("cursor", "invalid", "is not a cursor of this list")
                })
        })
        .transpose()?;
    let read = Scoped::new(&auth, Action::Read);
    let page = db::run(&state.pool, move |c| {
        let (now, offset) = clock(c, &auth)?;
        if overdue {
            // timed ones past their time; all-day ones whose day is over where the caller is
            f.due_before = Some(from_micros(now));
        }
        let mut rows = store::list(c, read.predicate(), &f, after, limit + 1)?;
        let next_cursor = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last()
                .map(|r| cursor::encode_keyed(order, &micros(r.row.sort_at).to_string(), &r.row.id))
        } else {
            None
        };
        let data = rows
            .into_iter()
            .map(|r| ActivityOut::new(r, now, offset))
            .filter(|a| !overdue || matches!(a.status, ActivityStatus::Overdue))
            .collect();
        Ok::<_, ApiError>(ActivityPage { data, next_cursor })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Checks that the people and contact an activity names exist.
fn check_refs(c: &mut DbConnection, cid: &str, v: &Activity) -> Result<(), ApiError> {
    let mut col = Collector::new();
    for m in crate::repo::users::missing(c, std::slice::from_ref(&v.owner_id))? {
        col.push(FieldError::new(
            "owner_id",
            "not_found",
            format!("no user {m}"),
        ));
    }
    let missing = crate::repo::users::missing(c, &v.participant_ids)?;
    for (i, p) in v.participant_ids.iter().enumerate() {
        if missing.contains(p) {
            col.push(FieldError::new(
                format!("participant_ids[{i}]"),
                "not_found",
                format!("no user {p}"),
            ));
        }
    }
    if let Some(k) = &v.contact_id
        && !store::contact_of(c, cid, k)?
    {
        col.push(FieldError::new(
            "contact_id",
            "not_found",
            "no such contact of this customer",
        ));
    }
    Ok(col.finish()?)
}

/// What `auth` may do with the activity, decided in SQL as the writes decide it.
fn allowed(c: &mut DbConnection, auth: &Auth, r: &ActivityRecord) -> Result<Allowed, ApiError> {
    let mine =
        r.row.owner_id == auth.user_id() || r.row.created_by.as_deref() == Some(auth.user_id());
    let may_update = crate::repo::customers::exists_visible(
        c,
        &r.row.customer_id,
        Scoped::new(auth, Action::Update).cond(),
    )?;
    let may = activity::may_change(mine, true, may_update);
    Ok(Allowed {
        update: may,
        delete: may,
    })
}

/// The answer about one activity: what it is and what `auth` may do with it.
fn answer(c: &mut DbConnection, auth: &Auth, r: ActivityRecord) -> Result<ActivityOut, ApiError> {
    let allowed = allowed(c, auth, &r)?;
    let (now, offset) = clock(c, auth)?;
    let mut out = ActivityOut::new(r, now, offset);
    out.allowed = Some(allowed);
    Ok(out)
}

fn reply(status: StatusCode, out: ActivityOut) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(etag(out.version))
        .json(out)
}

/// Log or plan an activity with a customer. Anyone who may see the customer
/// may; giving it to another owner needs the right to change the customer.
#[utoipa::path(post, path = "/api/v1/customers/{id}/activities", tag = "activities", request_body = ActivityCreate,
    params(("id" = String, Path, description = "Customer id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create return the first answer instead of a duplicate")),
    responses(
        (status = 201, description = "Created", body = ActivityOut, headers(("ETag" = String, description = "Version"), ("Location" = String, description = "The new activity"))),
        (status = 403, description = "Owner is someone else and the caller may not change the customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, e.g. done_at in the future or an unknown contact", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    key: IdempotencyKey,
    body: Body<ActivityCreate>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let Body(wire, digest) = body;
    let raw = RawActivity::from(wire);
    let v = Activity::create(raw, auth.user_id(), micros(db::now()))?;
    let a = auth.clone();
    idempotency::once(
        &state,
        &auth,
        key,
        format!("{cid}:{}", digest.0),
        move |c| {
            load_for(c, &a, &cid, Action::Read, Liveness::Live)?;
            if v.owner_id != a.user_id() {
                load_for(c, &a, &cid, Action::Update, Liveness::Live)?;
            }
            check_refs(c, &cid, &v)?;
            let aid = db::new_id();
            let r = db::write_tx(c, |c| {
                let now = db::now();
                store::insert(c, &aid, &cid, &v, author(&a), now)?;
                let created = audit::diff(&Vec::new(), &v.audit_fields());
                audit_log::record(
                    c,
                    Entity::Activity,
                    &aid,
                    &cid,
                    AuditAction::Create,
                    &created,
                    changed_by(&a),
                    now,
                )?;
                store::get(c, &aid, Scoped::new(&a, Action::Read).cond())?
                    .ok_or_else(|| ApiError::internal("the new activity vanished"))
            })?;
            let out = answer(c, &a, r)?;
            Ok(Created {
                body: serde_json::to_value(out).map_err(|e| ApiError::internal(e.to_string()))?,
                location: format!("/api/v1/activities/{aid}"),
            })
        },
    )
    .await
}

fn visible(c: &mut DbConnection, auth: &Auth, aid: &str) -> Result<ActivityRecord, ApiError> {
    store::get(c, aid, Scoped::new(auth, Action::Read).cond())?
        .ok_or_else(|| ApiError::not_found("activity"))
}

/// The activity, if the caller may change it: 404 when hidden, 403 when
/// only visible.
fn changeable(c: &mut DbConnection, auth: &Auth, aid: &str) -> Result<ActivityRecord, ApiError> {
    let cur = visible(c, auth, aid)?;
    if !allowed(c, auth, &cur)?.update {
        return Err(ApiError::forbidden(
            "Only its owner or author, or who may change the customer, may change this activity.",
        ));
    }
    Ok(cur)
}

/// Get an activity.
#[utoipa::path(get, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Found", body = ActivityOut, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such activity, or its customer is not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let aid = id(&path)?;
    let out = db::run(&state.pool, move |c| {
        let r = visible(c, &auth, &aid)?;
        answer(c, &auth, r)
    })
    .await?;
    Ok(reply(StatusCode::OK, out))
}

/// Change an activity: mark it done (`"done": true`), reschedule it, add the outcome.
#[utoipa::path(patch, path = "/api/v1/activities/{id}", tag = "activities", request_body = ActivityUpdate,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Updated", body = ActivityOut, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but neither the caller's nor on a customer they may change", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<ActivityUpdate>,
) -> Result<HttpResponse, ApiError> {
    let aid = id(&path)?;
    let raw = RawActivity::from(body.0);
    let out = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &aid)?;
        let expected = if_match.against(cur.row.version);
        if cur.row.version != expected {
            return Err(stale(cur.row.version));
        }
        let before = cur.to_domain();
        let next = before.patch(raw, micros(db::now()))?;
        if next.owner_id != before.owner_id && next.owner_id != auth.user_id() {
            load_for(
                c,
                &auth,
                &cur.row.customer_id,
                Action::Update,
                Liveness::Live,
            )?;
        }
        check_refs(c, &cur.row.customer_id, &next)?;
        let r = db::write_tx(c, |c| {
            let now = db::now();
            match store::update(c, &cur.row, expected, &next, now)? {
                WriteOutcome::Done(()) => {}
                WriteOutcome::Stale(v) => return Err(stale(v)),
                WriteOutcome::NotFound => return Err(ApiError::not_found("activity")),
            }
            let changes = audit::diff(&before.audit_fields(), &next.audit_fields());
            audit_log::record(
                c,
                Entity::Activity,
                &aid,
                &cur.row.customer_id,
                AuditAction::Update,
                &changes,
                changed_by(&auth),
                now,
            )?;
            visible(c, &auth, &aid)
        })?;
        answer(c, &auth, r)
    })
    .await?;
    Ok(reply(StatusCode::OK, out))
}

/// Delete an activity (kept in the customer's change history).
#[utoipa::path(delete, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Visible, but neither the caller's nor on a customer they may change", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let aid = id(&path)?;
    db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &aid)?;
        db::write_tx(c, |c| {
            let now = db::now();
            store::delete(c, &cur.row)?;
            let gone = audit::diff(&cur.to_domain().audit_fields(), &Vec::new());
            audit_log::record(
                c,
                Entity::Activity,
                &aid,
                &cur.row.customer_id,
                AuditAction::Delete,
                &gone,
                changed_by(&auth),
                now,
            )?;
            Ok::<_, ApiError>(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/activities")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(list)),
    )
    .service(
        web::resource("/customers/{id}/activities")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/activities/{id}")
            .default_service(crate::http::allow("GET, PATCH, DELETE"))
            .route(web::get().to(get))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    )
    .service(
        web::resource("/customers/{id}/timeline")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(timeline::timeline)),
    )
    .service(
        web::resource("/me/day")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(day::my_day)),
    );
}
