//! Customers: the shared record of the company, seen through each user's scope.

use super::extract::{Body, IfMatch, OptionalIfMatch, id};
use super::idempotency::{self, Created, IdempotencyKey};
use super::org::stale;
use super::wire::customers::{CustomerCreate, CustomerOut, CustomerUpdate};
use crate::auth::{Auth, Via};
use crate::db;
use crate::error::{ApiError, Problem};
use crate::repo;
use crate::repo::audit::Entity;
use crate::repo::customers::{self as store, Liveness, WriteOutcome, dedup, owners, stages};
use crate::state::AppState;
use actix_web::{HttpResponse, http::header, web};
use kehu_domain::access::{self, Action, Resource};
use kehu_domain::audit::{self, Action as AuditAction};
use kehu_domain::customer::{Creator, Customer, RawCustomer};
use kehu_domain::error::Collector;
use kehu_domain::lifecycle;
use kehu_domain::ownership::OwnerChangeKind;

mod duplicates;
mod export;
mod list;
mod merge;
mod pool;
mod scope;
mod stage_changes;
mod transfer;
pub use duplicates::*;
pub use export::*;
pub use list::*;
pub use merge::*;
pub use pool::*;
pub use scope::{Scoped, load_for, respond_allowed};
use scope::{allowed, check_refs, out_of_reach};
pub use stage_changes::*;
pub use transfer::*;

/// Create a customer.
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = CustomerCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create return the first answer instead of a duplicate")),
    responses(
        (status = 201, description = "Created", body = CustomerOut, headers(("ETag" = String, description = "Version"), ("Location" = String, description = "The new customer"))),
        (status = 403, description = "Owner, region or partner outside the caller's reach", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Likely duplicate (`/problems/duplicate`, with `duplicates`): send `duplicate_reason` to create it anyway", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: Body<CustomerCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Customer, Action::Create)?;
    let creator = Creator {
        user_id: auth.user_id().to_owned(),
        team_id: auth.team_id.clone(),
        home_region_id: auth.own_region_ids.first().cloned(),
        partner_id: auth.subject.partner_id.clone(),
    };
    let Body(mut wire, digest) = body;
    let mut col = Collector::new();
    let reason = col.take(override_reason(wire.duplicate_reason.take()));
    let customer = col.take(Customer::create(RawCustomer::from(wire), &creator));
    col.finish()?;
    let (Some(customer), Some(reason)) = (customer, reason) else {
        return Err(ApiError::internal("parsed input went missing"));
    };
    let a = auth.clone();
    idempotency::once(&state, &auth, key, digest.0, move |c| {
        check_refs(c, &customer)?;
        let facts = store::facts_of(c, None, &customer)?;
        if !access::may(&a.subject, Resource::Customer, Action::Create, &facts) {
            return Err(out_of_reach("create"));
        }
        let like = check(c, &a, &customer.dedup_keys(), None, reason.as_ref())?;
        let now = db::now();
        let r = store::insert(c, &db::new_id(), &customer, a.user_id(), now)?;
        let created = audit::diff(&Vec::new(), &customer.audit_fields());
        repo::audit::record(
            c,
            Entity::Customer,
            &r.row.id,
            &r.row.id,
            AuditAction::Create,
            &created,
            changed_by(&a),
            now,
        )?;
        if let Some(reason) = reason.as_ref().filter(|_| !like.is_empty()) {
            dedup::record_override(c, &r.row.id, reason, &like, changed_by(&a), now)?;
        }
        let location = format!("/api/v1/customers/{}", r.row.id);
        let may = allowed(c, &a, &r.row.id)?;
        let mut out = CustomerOut::from(r);
        out.allowed = Some(may);
        Ok(Created {
            body: serde_json::to_value(out).map_err(|e| ApiError::internal(e.to_string()))?,
            location,
        })
    })
    .await
}

/// Get a customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Found", body = CustomerOut, headers(("ETag" = String, description = "Version"))),
        (status = 308, description = "This customer was merged into another: Location names the survivor", headers(("Location" = String, description = "The customer it was merged into"))),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let read = Scoped::new(&auth, Action::Read);
    let asker = auth.clone();
    let found = db::run(&state.pool, move |c| {
        if let Some(r) = store::get(c, &cid, read.cond(), Liveness::Live)? {
            return Ok(Ok(r));
        }
        // a merged record's id leads to the survivor, for those who may see it
        match merge::redirect_target(c, &auth, &cid)? {
            Some(survivor) => Ok(Err(survivor)),
            None => Err(ApiError::not_found("customer")),
        }
    })
    .await?;
    match found {
        Ok(r) => respond_allowed(&state, asker, actix_web::http::StatusCode::OK, r).await,
        Err(survivor) => Ok(HttpResponse::PermanentRedirect()
            .insert_header((header::LOCATION, format!("/api/v1/customers/{survivor}")))
            .finish()),
    }
}

/// Change a customer. Send the ETag of your last read in If-Match.
#[utoipa::path(patch, path = "/api/v1/customers/{id}", tag = "customers", request_body = CustomerUpdate,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Updated", body = CustomerOut, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible but not editable, or the change moves it out of reach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The change makes it a likely duplicate (`/problems/duplicate`, with `duplicates`): send `duplicate_reason` to save it anyway", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<CustomerUpdate>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let asker = auth.clone();
    let mut body = body.0;
    let reason = body.lifecycle_reason.take();
    let dup_reason = override_reason(body.duplicate_reason.take())?;
    let raw = RawCustomer::from(body);
    let r = db::run(&state.pool, move |c| {
        // one transaction: the stage checked is the stage changed and recorded
        db::write_tx(c, |c| {
            let cur = load_for(c, &auth, &cid, Action::Update, Liveness::Live)?;
            let expected = if_match.against(cur.row.version);
            if cur.row.version != expected {
                return Err(stale(cur.row.version));
            }
            let before = cur.to_domain();
            let next = before.patch(raw)?;
            let moved =
                lifecycle::check_edit(before.lifecycle_stage, next.lifecycle_stage, reason)?;
            check_refs(c, &next)?;
            let facts = store::facts_of(c, Some(&cid), &next)?;
            if !access::may(&auth.subject, Resource::Customer, Action::Update, &facts) {
                return Err(out_of_reach("move"));
            }
            let added = next.dedup_keys().added_since(&before.dedup_keys());
            let like = check(c, &auth, &added, Some(&cid), dup_reason.as_ref())?;
            let upd = Scoped::new(&auth, Action::Update);
            let now = db::now();
            let r = match store::update(
                c,
                &cid,
                (if_match.0 != IfMatch::ANY).then_some(expected),
                &next,
                || upd.cond(),
                auth.user_id(),
                now,
            )? {
                WriteOutcome::Done(r) => r,
                WriteOutcome::Stale(v) => return Err(stale(v)),
                WriteOutcome::NotFound => return Err(ApiError::not_found("customer")),
            };
            if let Some(t) = moved {
                stages::record(c, &cid, &t, changed_by(&auth), now)?;
            }
            if before.partner_id != next.partner_id {
                crate::repo::opportunities::follow_partner(c, &cid, next.partner_id.as_deref())?;
            }
            let changes = audit::diff(&before.audit_fields(), &next.audit_fields());
            repo::audit::record(
                c,
                Entity::Customer,
                &cid,
                &cid,
                AuditAction::Update,
                &changes,
                changed_by(&auth),
                now,
            )?;
            if before.owner_id != next.owner_id {
                let change = owners::OwnerChange {
                    kind: OwnerChangeKind::Assign,
                    from: before.owner_id.as_deref(),
                    to: next.owner_id.as_deref(),
                    reason: None,
                    team: None,
                };
                owners::record(c, &cid, &change, changed_by(&auth), now)?;
                if let (Some(from), Some(to)) = (&before.owner_id, &next.owner_id) {
                    crate::repo::activities::hand_over_open(c, &cid, from, to, now)?;
                    crate::repo::opportunities::hand_over_open(c, &cid, from, to, now)?;
                }
            }
            if let Some(reason) = dup_reason.as_ref().filter(|_| !like.is_empty()) {
                dedup::record_override(c, &cid, reason, &like, changed_by(&auth), now)?;
            }
            Ok(r)
        })
    })
    .await?;
    respond_allowed(&state, asker, actix_web::http::StatusCode::OK, r).await
}

pub(crate) fn changed_by(auth: &Auth) -> stages::ChangedBy<'_> {
    stages::ChangedBy {
        user_id: Some(auth.user_id()),
        api_key_id: match &auth.via {
            Via::ApiKey { id } => Some(id),
            Via::Session => None,
        },
    }
}

async fn set_deleted(
    state: web::Data<AppState>,
    auth: Auth,
    cid: String,
    to_trash: bool,
    expected: Option<i64>,
) -> Result<store::CustomerRecord, ApiError> {
    db::run(&state.pool, move |c| {
        let from = if to_trash {
            Liveness::Live
        } else {
            Liveness::Deleted
        };
        let found = load_for(c, &auth, &cid, Action::Delete, from);
        // restoring one the caller can see alive is a mistake about its
        // state, not about its id
        if let Err(e) = &found
            && !to_trash
            && e.kind == crate::error::Kind::NotFound
            && store::get(
                c,
                &cid,
                Scoped::new(&auth, Action::Read).cond(),
                Liveness::Live,
            )?
            .is_some()
        {
            return Err(ApiError::conflict("This customer is not in the trash."));
        }
        found?;
        let del = Scoped::new(&auth, Action::Delete);
        db::write_tx(c, |c| {
            if to_trash {
                let open = crate::repo::opportunities::open_of_customer(c, &cid)?;
                kehu_domain::opportunity::may_trash_customer(open.max(0) as u64)
                    .map_err(|r| ApiError::conflict_field("opportunities", r.code, r.message))?;
            }
            let now = db::now();
            let r = match store::set_deleted(
                c,
                &cid,
                to_trash,
                expected,
                || del.cond(),
                auth.user_id(),
                now,
            )? {
                WriteOutcome::Done(r) => r,
                WriteOutcome::Stale(v) => return Err(stale(v)),
                WriteOutcome::NotFound => return Err(ApiError::not_found("customer")),
            };
            let action = if to_trash {
                AuditAction::Delete
            } else {
                AuditAction::Restore
            };
            repo::audit::record(
                c,
                Entity::Customer,
                &cid,
                &cid,
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

/// Move a customer to the trash (restorable).
#[utoipa::path(delete, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "Optional: only delete this version")),
    responses(
        (status = 204, description = "In the trash"),
        (status = 403, description = "Visible but the caller may not delete it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The customer has open deals (`errors[0].code` = `open_deals`, the message says how many): close them or merge the customer first", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: OptionalIfMatch,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    set_deleted(state, auth, cid, true, if_match.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Restore a customer from the trash.
#[utoipa::path(post, path = "/api/v1/customers/{id}/restore", tag = "customers", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Restored", body = CustomerOut, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such customer in the trash within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The customer is not in the trash", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn restore(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let r = set_deleted(state.clone(), auth.clone(), cid, false, None).await?;
    respond_allowed(&state, auth, actix_web::http::StatusCode::OK, r).await
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/customers")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/customers/export")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(export)),
    )
    .service(
        web::resource("/customers/transfers")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(transfer)),
    )
    // before /customers/{id}, which would take "duplicates" for an id
    .service(
        web::resource("/customers/duplicates")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(report)),
    )
    .service(
        web::resource("/customers/{id}")
            .default_service(crate::http::allow("GET, PATCH, DELETE"))
            .route(web::get().to(get))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    )
    .service(
        web::resource("/customers/{id}/merge")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(merge_preview))
            .route(web::post().to(merge)),
    )
    .service(
        web::resource("/customers/{id}/stage-changes")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(stage_changes)),
    )
    .service(
        web::resource("/customers/{id}/claim")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(claim)),
    )
    .service(
        web::resource("/customers/{id}/release")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(release)),
    )
    .service(
        web::resource("/customers/{id}/owner-changes")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(owner_changes)),
    )
    .service(
        web::resource("/pool/rules")
            .default_service(crate::http::allow("GET, PUT"))
            .route(web::get().to(get_rules))
            .route(web::put().to(put_rules)),
    )
    .service(
        web::resource("/customers/{id}/restore")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(restore)),
    );
}
