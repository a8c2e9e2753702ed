//! Contacts: part of their customer; reading one needs read on the customer,
//! changing one needs update on the customer.

use super::cursor;
use super::customers::changed_by;
use super::customers::{Scoped, load_for};
use super::extract::{Body, IfMatch, etag, id};
use super::idempotency::{self, Created, IdempotencyKey};
use super::org::stale;
use super::wire::contacts::{ContactCreate, ContactOut, ContactPage, ContactUpdate};
use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::audit::{self as audit_log, Entity};
use crate::repo::contacts::{self as store, ContactRow};
use crate::repo::customers::{Liveness, WriteOutcome};
use crate::state::AppState;
use actix_web::{HttpResponse, http::StatusCode, web};
use kehu_domain::access::Action;
use kehu_domain::audit::{self, Action as AuditAction};
use kehu_domain::contact::{Contact, DncBy, RawContact};
use kehu_domain::paging::Limit;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ContactQuery {
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
    /// List deleted contacts instead.
    pub deleted: Option<bool>,
}

/// Who sets do-not-contact marks in this request, and when.
fn marked_by(auth: &Auth) -> DncBy {
    DncBy {
        user_id: Some(auth.user_id().to_owned()),
        user_name: Some(auth.display_name.clone()),
        api_key_id: match &auth.via {
            crate::auth::Via::ApiKey { id } => Some(id.clone()),
            crate::auth::Via::Session => None,
        },
        at: db::to_utc(db::now()).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

fn respond(status: StatusCode, r: ContactRow) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(etag(r.version))
        .json(ContactOut::from(r))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AllContactsQuery {
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

/// List the contacts of every customer the caller may see, newest first.
/// Continue with `next_cursor` until it is null.
#[utoipa::path(get, path = "/api/v1/contacts", tag = "contacts", params(AllContactsQuery),
    responses((status = 200, description = "A page of contacts", body = ContactPage)))]
pub async fn list_all(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<AllContactsQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let limit = Limit::parse(q.limit)?.get() as i64;
    let before = super::extract::non_empty(q.cursor)
        .map(|c| cursor::decode_text(&c, "-id"))
        .transpose()?;
    let read = Scoped::new(&auth, Action::Read);
    let (rows, last) = db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(store::list_visible(c, read.predicate(), before, limit)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ContactPage {
        data: rows.into_iter().map(Into::into).collect(),
        next_cursor: last.map(|id| cursor::encode_text("-id", &id)),
    }))
}

/// List a customer's contacts, by name.
#[utoipa::path(get, path = "/api/v1/customers/{id}/contacts", tag = "contacts",
    params(("id" = String, Path, description = "Customer id"), ContactQuery),
    responses(
        (status = 200, description = "A page of contacts", body = ContactPage),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    q: web::Query<ContactQuery>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let mut q = q.into_inner();
    q.cursor = super::extract::non_empty(q.cursor);
    let limit = Limit::parse(q.limit)?.get() as i64;
    let after = q
        .cursor
        .as_deref()
        .map(|c| cursor::decode_keyed(c, "name"))
        .transpose()?;
    let deleted = q.deleted.unwrap_or(false);
    let read = Scoped::new(&auth, Action::Read);
    let mut rows = db::run(&state.pool, move |c| {
        if !crate::repo::customers::exists_visible(c, &cid, read.cond())? {
            return Err(ApiError::not_found("customer"));
        }
        Ok(store::list_for_customer(
            c,
            &cid,
            read.cond(),
            deleted,
            after,
            limit + 1,
        )?)
    })
    .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| cursor::encode_keyed("name", &r.name, &r.id))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(ContactPage {
        data: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

/// Add a contact to a customer.
#[utoipa::path(post, path = "/api/v1/customers/{id}/contacts", tag = "contacts", request_body = ContactCreate,
    params(("id" = String, Path, description = "Customer id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create return the first answer instead of a duplicate")),
    responses(
        (status = 201, description = "Created", body = ContactOut, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "The customer is visible but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    key: IdempotencyKey,
    body: Body<ContactCreate>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let Body(wire, digest) = body;
    let mut raw = RawContact::from(wire);
    raw.by = marked_by(&auth);
    let contact = Contact::create(raw)?;
    let a = auth.clone();
    idempotency::once(
        &state,
        &auth,
        key,
        format!("{cid}:{}", digest.0),
        move |c| {
            load_for(c, &a, &cid, Action::Update, Liveness::Live)?;
            let now = db::now();
            let r = store::insert(c, &db::new_id(), &cid, &contact, a.user_id(), now)?;
            let created = audit::diff(&Vec::new(), &contact.audit_fields());
            audit_log::record(
                c,
                Entity::Contact,
                &r.id,
                &cid,
                AuditAction::Create,
                &created,
                changed_by(&a),
                now,
            )?;
            let location = format!("/api/v1/contacts/{}", r.id);
            Ok(Created {
                body: serde_json::to_value(ContactOut::from(r))
                    .map_err(|e| ApiError::internal(e.to_string()))?,
                location,
            })
        },
    )
    .await
}

fn visible(
    c: &mut DbConnection,
    auth: &Auth,
    contact_id: &str,
    deleted: bool,
) -> Result<ContactRow, ApiError> {
    store::get(
        c,
        contact_id,
        Scoped::new(auth, Action::Read).cond(),
        deleted,
    )?
    .ok_or_else(|| ApiError::not_found("contact"))
}

/// Get a contact.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Found", body = ContactOut, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such contact, or its customer is not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let kid = id(&path)?;
    let r = db::run(&state.pool, move |c| visible(c, &auth, &kid, false)).await?;
    Ok(respond(StatusCode::OK, r))
}

/// Change a contact.
#[utoipa::path(patch, path = "/api/v1/contacts/{id}", tag = "contacts", request_body = ContactUpdate,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Updated", body = ContactOut, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible but the caller may not change its customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<ContactUpdate>,
) -> Result<HttpResponse, ApiError> {
    let kid = id(&path)?;
    let mut raw = RawContact::from(body.0);
    raw.by = marked_by(&auth);
    let r = db::run(&state.pool, move |c| {
        let cur = visible(c, &auth, &kid, false)?;
        load_for(c, &auth, &cur.customer_id, Action::Update, Liveness::Live)?;
        let expected = if_match.against(cur.version);
        if cur.version != expected {
            return Err(stale(cur.version));
        }
        let before = cur.to_domain();
        let next = before.patch(raw)?;
        let upd = Scoped::new(&auth, Action::Update);
        db::write_tx(c, |c| {
            let now = db::now();
            let r = match store::update(
                c,
                &kid,
                expected,
                &next,
                || upd.cond(),
                auth.user_id(),
                now,
            )? {
                WriteOutcome::Done(r) => r,
                WriteOutcome::Stale(v) => return Err(stale(v)),
                WriteOutcome::NotFound => return Err(ApiError::not_found("contact")),
            };
            let changes = audit::diff(&before.audit_fields(), &next.audit_fields());
            audit_log::record(
                c,
                Entity::Contact,
                &kid,
                &r.customer_id,
                AuditAction::Update,
                &changes,
                changed_by(&auth),
                now,
            )?;
            Ok(r)
        })
    })
    .await?;
    Ok(respond(StatusCode::OK, r))
}

async fn set_deleted(
    state: web::Data<AppState>,
    auth: Auth,
    kid: String,
    to_trash: bool,
) -> Result<ContactRow, ApiError> {
    db::run(&state.pool, move |c| {
        let cur = match visible(c, &auth, &kid, !to_trash) {
            Err(_) if !to_trash && visible(c, &auth, &kid, false).is_ok() => {
                return Err(ApiError::conflict("This contact is not deleted."));
            }
            found => found?,
        };
        load_for(c, &auth, &cur.customer_id, Action::Update, Liveness::Live)?;
        let upd = Scoped::new(&auth, Action::Update);
        db::write_tx(c, |c| {
            let now = db::now();
            let r = match store::set_deleted(c, &kid, to_trash, || upd.cond(), auth.user_id(), now)?
            {
                WriteOutcome::Done(r) => r,
                WriteOutcome::Stale(v) => return Err(stale(v)),
                WriteOutcome::NotFound => return Err(ApiError::not_found("contact")),
            };
            let action = if to_trash {
                AuditAction::Delete
            } else {
                AuditAction::Restore
            };
            audit_log::record(
                c,
                Entity::Contact,
                &kid,
                &r.customer_id,
                action,
                &[],
                changed_by(&auth),
                now,
            )?;
            Ok(r)
        })
    })
    .await
}

/// Delete a contact (restorable).
#[utoipa::path(delete, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Visible but the caller may not change its customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let kid = id(&path)?;
    set_deleted(state, auth, kid, true).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Restore a deleted contact.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/restore", tag = "contacts", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Restored", body = ContactOut, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such deleted contact within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The contact is not deleted", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn restore(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let kid = id(&path)?;
    let r = set_deleted(state, auth, kid, false).await?;
    Ok(respond(StatusCode::OK, r))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/contacts")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(list_all)),
    )
    .service(
        web::resource("/customers/{id}/contacts")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/contacts/{id}")
            .default_service(crate::http::allow("GET, PATCH, DELETE"))
            .route(web::get().to(get))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    )
    .service(
        web::resource("/contacts/{id}/restore")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(restore)),
    );
}
