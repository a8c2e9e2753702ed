//! The HTTP edge: parse, authorize, call the domain, persist, respond.

pub mod api_keys;
pub mod auth;
pub mod contacts;
pub mod cursor;
pub mod customers;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod org;
pub mod roles;
pub mod users;
pub mod wire;

use actix_web::web;

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
    contacts::configure(cfg);
}
