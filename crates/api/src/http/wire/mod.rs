//! Request and response bodies: the API's contract, apart from database rows.

pub mod activities;
pub mod audit;
pub mod auth;
pub mod contacts;
pub mod customers;
pub mod duplicates;
pub mod forecast;
pub mod imports;
pub mod leads;
pub mod merge;
pub mod opportunities;
pub mod org;
pub mod pool;
pub mod remind;
pub mod users;

use chrono::{DateTime, Utc};

pub fn time(t: chrono::NaiveDateTime) -> DateTime<Utc> {
    crate::db::to_utc(t)
}

pub fn strings(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}
