//! Persistence: every query lives here, one module per aggregate. Handlers
//! call these functions and never build queries themselves.

pub mod access_sql;
pub mod activities;
pub mod api_keys;
pub mod audit;
pub mod contacts;
pub mod customers;
pub mod forecast;
pub mod idempotency;
pub mod imports;
pub mod leads;
pub mod notifications;
pub mod opportunities;
pub mod org;
pub mod pipelines;
pub mod preferences;
pub mod principal;
pub mod reminders;
pub mod roles;
pub mod sessions;
pub mod settings;
pub mod users;

use diesel::result::{DatabaseErrorKind, Error};

/// Whether a write failed on a unique constraint (two requests racing for the same name).
pub fn is_unique_violation(e: &Error) -> bool {
    matches!(
        e,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}
