//! The HTTP edge: parse, authorize, call the domain, persist, respond.

pub mod activities;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod client;
pub mod contacts;
pub mod csv;
pub mod cursor;
pub mod customers;
pub mod extract;
pub mod forecast;
pub mod health;
pub mod idempotency;
pub mod imports;
pub mod leads;
pub mod me_remind;
pub mod notifications;
pub mod opportunities;
pub mod org;
pub mod org_audit;
pub mod roles;
pub mod users;
pub mod wire;
pub mod xlsx;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

/// Answers a method a resource does not support: 405 with the `Allow` header
/// RFC 9110 asks for, as a problem document.
pub fn allow(methods: &'static str) -> actix_web::Route {
    web::to(move || async move {
        let p = crate::error::problem_for_status(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!("This endpoint supports {methods}."),
        );
        HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, methods))
            .insert_header((header::CONTENT_TYPE, crate::error::PROBLEM_JSON))
            .body(serde_json::to_string(&p).unwrap_or_default())
    })
}

/// Every `/api/v1` route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    auth::configure(cfg);
    users::configure(cfg);
    roles::configure(cfg);
    org::teams::configure(cfg);
    org::regions::configure(cfg);
    org::product_lines::configure(cfg);
    org::partners::configure(cfg);
    api_keys::configure(cfg);
    customers::configure(cfg);
    audit::configure(cfg);
    contacts::configure(cfg);
    activities::configure(cfg);
    imports::configure(cfg);
    leads::configure(cfg);
    notifications::configure(cfg);
    me_remind::configure(cfg);
    opportunities::configure(cfg);
    forecast::configure(cfg);
}
