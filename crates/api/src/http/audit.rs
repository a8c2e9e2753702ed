//! 审计: every change to customers and contacts, deals and leads — the whole
//! log for administrators, and each record's history for whoever may see the
//! record. A deal's and a lead's entries name no customer, so a customer's
//! history never shows them to a reader whose deal or lead scope hides them.

use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::cursor;
use crate::http::customers::{Scoped, load_for};
use crate::http::extract::{id, non_empty, opt_id};
use crate::http::wire::audit::{AuditEntryOut, AuditPage, FieldChangeOut};
use crate::http::wire::customers::UserRef;
use crate::repo::audit::{self as log, AuditFilter, AuditRow, Entity};
use crate::repo::customers::Liveness;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDateTime};
use diesel::prelude::*;
use kehu_domain::access::{Action, Resource};
use kehu_domain::audit::FieldChange;
use kehu_domain::paging::Limit;
use serde::Deserialize;
use std::collections::HashMap;
use utoipa::IntoParams;

const ORDER: &str = "-at";

fn parse_time(field: &str, s: &str) -> Result<NaiveDateTime, ApiError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.naive_utc())
        .map_err(|_| {
            ApiError::bad_field(
                field,
                "invalid_time",
                "must be an RFC 3339 time like 2026-11-23T08:00:00Z",
            )
        })
}

fn before(c: Option<String>) -> Result<Option<(NaiveDateTime, String)>, ApiError> {
    non_empty(c)
        .map(|c| {
            let (at, id) = cursor::decode_keyed(&c, ORDER)?;
            Ok((parse_time("cursor", &at)?, id))
        })
        .transpose()
}

/// A page of rows as the wire shows them, with the names of their users.
fn page(
    c: &mut crate::db::DbConnection,
    f: &AuditFilter,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<AuditPage, ApiError> {
    let mut rows: Vec<AuditRow> = log::list(c, f, before, limit + 1)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let ids: Vec<&String> = rows.iter().filter_map(|r| r.user_id.as_ref()).collect();
    use crate::db::schema::users;
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(c)?
        .into_iter()
        .collect();
    let next_cursor = more
        .then(|| rows.last())
        .flatten()
        .map(|r| cursor::encode_keyed(ORDER, &db::to_utc(r.at).to_rfc3339(), &r.id));
    let data = rows
        .into_iter()
        .map(|r| AuditEntryOut {
            changes: serde_json::from_str::<Vec<FieldChange>>(&r.changes)
                .unwrap_or_default()
                .into_iter()
                .map(|f| FieldChangeOut {
                    field: f.field,
                    old: f.old,
                    new: f.new,
                })
                .collect(),
            changed_by: r.user_id.map(|id| UserRef {
                display_name: names.get(&id).cloned().unwrap_or_default(),
                id,
            }),
            id: r.id,
            entity: r.entity,
            entity_id: r.entity_id,
            customer_id: r.customer_id,
            action: r.action,
            api_key_id: r.api_key_id,
            at: db::to_utc(r.at),
            import_id: r.import_id,
        })
        .collect();
    Ok(AuditPage { data, next_cursor })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

/// One record's history: `visible` checks that the caller may see the
/// record (else 404) and says which entries are about it.
async fn history(
    state: web::Data<AppState>,
    path: web::Path<String>,
    q: web::Query<HistoryQuery>,
    visible: impl FnOnce(&mut crate::db::DbConnection, String) -> Result<AuditFilter, ApiError>
    + Send
    + 'static,
) -> Result<HttpResponse, ApiError> {
    let rid = id(&path)?;
    let q = q.into_inner();
    let limit = Limit::parse(q.limit)?.get() as i64;
    let before = before(q.cursor)?;
    let out = db::run(&state.pool, move |c| {
        let f = visible(c, rid)?;
        page(c, &f, before, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The entries about one record.
fn about(entity: Entity, id: String) -> AuditFilter {
    AuditFilter {
        entity: Some(entity),
        entity_id: Some(id),
        ..Default::default()
    }
}

/// A customer's history, newest first: every change to it and to its
/// contacts, field by field, with who and when.
#[utoipa::path(get, path = "/api/v1/customers/{id}/history", tag = "audit",
    params(("id" = String, Path), HistoryQuery),
    responses(
        (status = 200, description = "The changes, newest first", body = AuditPage),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn customer_history(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    q: web::Query<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    history(state, path, q, move |c, cid| {
        load_for(c, &auth, &cid, Action::Read, Liveness::Live)?;
        Ok(AuditFilter {
            customer_id: Some(cid),
            ..Default::default()
        })
    })
    .await
}

/// A contact's history, newest first.
#[utoipa::path(get, path = "/api/v1/contacts/{id}/history", tag = "audit",
    params(("id" = String, Path), HistoryQuery),
    responses(
        (status = 200, description = "The changes, newest first", body = AuditPage),
        (status = 404, description = "No such contact, or its customer is not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn contact_history(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    q: web::Query<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    history(state, path, q, move |c, kid| {
        crate::repo::contacts::get(c, &kid, Scoped::new(&auth, Action::Read).cond(), false)?
            .ok_or_else(|| ApiError::not_found("contact"))?;
        Ok(about(Entity::Contact, kid))
    })
    .await
}

/// A deal's history, newest first: its creation, every edit (field by
/// field), move, win, loss and reopening, with who and when.
#[utoipa::path(get, path = "/api/v1/opportunities/{id}/audit", tag = "audit",
    params(("id" = String, Path), HistoryQuery),
    responses(
        (status = 200, description = "The changes, newest first", body = AuditPage),
        (status = 404, description = "No such deal, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn opportunity_history(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    q: web::Query<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    history(state, path, q, move |c, oid| {
        crate::http::opportunities::visible(c, &auth, &oid)?;
        Ok(about(Entity::Opportunity, oid))
    })
    .await
}

/// A lead's history, newest first: its creation (by hand, import, API or
/// web form), edits, status changes, assignment, conversion and deletion.
#[utoipa::path(get, path = "/api/v1/leads/{id}/audit", tag = "audit",
    params(("id" = String, Path), HistoryQuery),
    responses(
        (status = 200, description = "The changes, newest first", body = AuditPage),
        (status = 404, description = "No such lead, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn lead_history(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    q: web::Query<HistoryQuery>,
) -> Result<HttpResponse, ApiError> {
    history(state, path, q, move |c, lid| {
        let read = crate::http::leads::Scoped::new(&auth, Action::Read);
        crate::repo::leads::get(c, &lid, read.cond())?
            .ok_or_else(|| ApiError::not_found("lead"))?;
        Ok(about(Entity::Lead, lid))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// `customer`, `contact`, `activity`, `opportunity`, `lead`, `user`,
    /// `role`, `team`, `region`, `product_line`, `partner` or `api_key`.
    #[param(
        pattern = "^(customer|contact|activity|opportunity|lead|user|role|team|region|product_line|partner|api_key)?$"
    )]
    pub entity: Option<String>,
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub entity_id: Option<String>,
    /// Changes made by this user (directly or through their API keys).
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub user_id: Option<String>,
    /// Changes made through this API key.
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub api_key_id: Option<String>,
    /// From this time on (RFC 3339).
    #[param(format = DateTime)]
    pub since: Option<String>,
    /// Before this time (RFC 3339).
    #[param(format = DateTime)]
    pub until: Option<String>,
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

/// The whole audit log, newest first, filtered by record, person, API key and
/// time (administrators: those who may edit roles).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses(
        (status = 200, description = "The changes, newest first", body = AuditPage),
        (status = 403, description = "Only administrators read the whole log", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn audit(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Role, Action::Update)?;
    let q = q.into_inner();
    let limit = Limit::parse(q.limit)?.get() as i64;
    let entity = match non_empty(q.entity) {
        None => None,
        Some(e) => Some(Entity::parse(&e).ok_or_else(|| {
            ApiError::bad_field(
                "entity",
                "invalid_choice",
                "must be customer, contact, activity, opportunity, lead, user, role, team, region, product_line, partner or api_key",
            )
        })?),
    };
    let f = AuditFilter {
        entity,
        entity_id: opt_id("entity_id", q.entity_id)?,
        customer_id: None,
        user_id: opt_id("user_id", q.user_id)?,
        api_key_id: opt_id("api_key_id", q.api_key_id)?,
        // an empty time is a mistake, not "no limit": the schema says date-time
        since: q.since.map(|s| parse_time("since", &s)).transpose()?,
        until: q.until.map(|s| parse_time("until", &s)).transpose()?,
    };
    let before = before(q.cursor)?;
    let out = db::run(&state.pool, move |c| page(c, &f, before, limit)).await?;
    Ok(HttpResponse::Ok().json(out))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/audit")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(audit)),
    )
    .service(
        web::resource("/customers/{id}/history")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(customer_history)),
    )
    .service(
        web::resource("/contacts/{id}/history")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(contact_history)),
    )
    .service(
        web::resource("/opportunities/{id}/audit")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(opportunity_history)),
    )
    .service(
        web::resource("/leads/{id}/audit")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(lead_history)),
    );
}
