//! Converting a lead in one step: to a customer (new, or an existing one
//! the user picks when the new one would be a likely duplicate), a contact
//! for the person, and an opportunity. One transaction: all of it or none.

use super::{load_for, out, writer};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::customers::{self, changed_by, check, override_reason};
use crate::http::extract::{Body, IfMatch, etag, id};
use crate::http::org::stale;
use crate::http::wire::leads::{LeadConvert, LeadConverted};
use crate::repo::audit::{self as audit_log, Entity};
use crate::repo::customers::{self as customer_store, Liveness};
use crate::repo::leads::{self as store, Converted};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::{self, Action, Resource};
use kehu_domain::audit::{self, Action as AuditAction};
use kehu_domain::contact::{Contact, RawContact};
use kehu_domain::customer::{Creator, Customer, RawCustomer};
use kehu_domain::error::Collector;

/// Convert a lead into a customer, a contact and optionally an opportunity.
///
/// Without `existing_customer_id` a customer is created from the lead; when
/// it looks like existing customers the answer is 409 `/problems/duplicate`
/// with the candidates: send one as `existing_customer_id` to attach the
/// lead to it, or `duplicate_reason` to create the new customer anyway.
#[utoipa::path(post, path = "/api/v1/leads/{id}/convert", tag = "leads", request_body = LeadConvert,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read of the lead")),
    responses(
        (status = 200, description = "Converted", body = LeadConverted, headers(("ETag" = String, description = "The lead's new version"))),
        (status = 403, description = "The caller may not change the lead, create the customer or change the existing one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lead (or existing customer) within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Likely duplicate customers (`/problems/duplicate`, with `duplicates`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The lead changed since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The lead may not be converted in its status (`errors[].field` = status), or a field is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn convert(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<LeadConvert>,
) -> Result<HttpResponse, ApiError> {
    let lid = id(&path)?;
    let b = body.0;
    let reason = override_reason(b.customer.duplicate_reason.clone())?;
    let existing = b
        .customer
        .existing_customer_id
        .clone()
        .filter(|s| !s.trim().is_empty());
    let with_contact = b.contact.unwrap_or(true);
    let done = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let cur = load_for(c, &auth, &lid, Action::Update)?;
            let expected = if_match.against(cur.version);
            if cur.version != expected {
                return Err(stale(cur.version));
            }
            cur.status().convert()?;
            let lead = cur.to_domain();
            let now = db::now();
            let (customer, created) = match existing {
                Some(cid) => {
                    let cid = id(&cid).map_err(|_| ApiError::not_found("customer"))?;
                    let r = customers::load_for(c, &auth, &cid, Action::Update, Liveness::Live)?;
                    (r, false)
                }
                None => {
                    auth.require(Resource::Customer, Action::Create)?;
                    let creator = Creator {
                        user_id: auth.user_id().to_owned(),
                        team_id: auth.team_id.clone(),
                        home_region_id: auth.own_region_ids.first().cloned(),
                        partner_id: auth.subject.partner_id.clone(),
                    };
                    let name = b
                        .customer
                        .name
                        .clone()
                        .or(lead.company.clone())
                        .unwrap_or(lead.name.clone());
                    let mut col = Collector::new();
                    let customer = col.take(Customer::create(
                        RawCustomer {
                            name: Some(name),
                            kind: Some(if lead.company.is_some() || b.customer.name.is_some() {
                                "company".into()
                            } else {
                                "person".into()
                            }),
                            industry: Some(lead.industry.clone()),
                            source: Some(Some(lead.source.as_str().to_owned())),
                            region_id: lead.region_id.clone().map(Some),
                            product_line_ids: Some(lead.product_line_id.iter().cloned().collect()),
                            owner_id: Some(cur.owner_id.clone().or(Some(auth.user_id().to_owned()))),
                            phones: Some(lead.phone.iter().map(|p| p.as_str().to_owned()).collect()),
                            emails: Some(lead.email.iter().map(|e| e.as_str().to_owned()).collect()),
                            ..Default::default()
                        },
                        &creator,
                    ));
                    // errors about the customer are about this part of the body
                    if let Err(mut e) = col.finish() {
                        for f in &mut e.0 {
                            f.field = format!("customer.{}", f.field);
                        }
                        return Err(e.into());
                    }
                    let Some(customer) = customer else {
                        return Err(ApiError::internal("parsed input went missing"));
                    };
                    let facts = customer_store::facts_of(c, None, &customer)?;
                    if !access::may(&auth.subject, Resource::Customer, Action::Create, &facts) {
                        return Err(ApiError::forbidden(
                            "Your roles do not allow you to create a customer with this owner, region, product line or partner.",
                        ));
                    }
                    let like = check(c, &auth, &customer.dedup_keys(), None, reason.as_ref())?;
                    let r = customer_store::insert(c, &db::new_id(), &customer, auth.user_id(), now)?;
                    let cid = r.row.id.clone();
                    let fields = audit::diff(&Vec::new(), &customer.audit_fields());
                    audit_log::record(
                        c,
                        Entity::Customer,
                        &cid,
                        &cid,
                        AuditAction::Create,
                        &fields,
                        changed_by(&auth),
                        now,
                    )?;
                    if let Some(reason) = reason.as_ref().filter(|_| !like.is_empty()) {
                        customer_store::dedup::record_override(
                            c,
                            &cid,
                            reason,
                            &like,
                            changed_by(&auth),
                            now,
                        )?;
                    }
                    (r, true)
                }
            };
            let customer_id = customer.row.id.clone();
            let contact_id = if with_contact {
                let contact = Contact::create(RawContact {
                    name: Some(lead.name.clone()),
                    phones: Some(lead.phone.iter().map(|p| p.as_str().to_owned()).collect()),
                    emails: Some(lead.email.iter().map(|e| e.as_str().to_owned()).collect()),
                    ..Default::default()
                })?;
                let r = crate::repo::contacts::insert(
                    c,
                    &db::new_id(),
                    &customer_id,
                    &contact,
                    auth.user_id(),
                    now,
                )?;
                let fields = audit::diff(&Vec::new(), &contact.audit_fields());
                audit_log::record(
                    c,
                    Entity::Contact,
                    &r.id,
                    &customer_id,
                    AuditAction::Create,
                    &fields,
                    changed_by(&auth),
                    now,
                )?;
                Some(r.id)
            } else {
                None
            };
            let opportunity_id = match &b.opportunity {
                Some(o) => Some(super::deal::open(
                    c,
                    &auth,
                    &cur,
                    &customer,
                    contact_id.as_deref(),
                    o,
                )?),
                None => None,
            };
            let owner = cur
                .owner_id
                .clone()
                .unwrap_or_else(|| auth.user_id().to_owned());
            let to = Converted {
                owner_id: &owner,
                customer_id: &customer_id,
                contact_id: contact_id.as_deref(),
                opportunity_id: opportunity_id.as_deref(),
            };
            let row = store::mark_converted(c, &lid, cur.version, &to, writer(&auth), now)?
                .ok_or_else(|| stale(cur.version + 1))?;
            let lead_out = out(c, &auth, row)?;
            Ok(LeadConverted {
                lead: lead_out,
                customer_id,
                customer_created: created,
                contact_id,
                opportunity_id,
            })
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(done.lead.version))
        .json(done))
}
