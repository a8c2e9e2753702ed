//! The API integration suite: the real server against SQLite and PostgreSQL,
//! each test on a fresh database.

mod fixtures;
mod helpers;

mod access_matrix;
mod access_property;
mod activities;
mod api_keys;
mod audit;
mod auth;
mod concurrency;
mod contacts;
mod crash;
mod customers;
mod customers_list;
mod demo;
mod duplicates;
mod errors;
mod export;
mod forecast;
mod forecast_rollup;
mod idempotency;
mod import;
mod import_batches;
mod import_failed;
mod leads;
mod lifecycle;
mod merge;
mod openapi;
mod opportunities;
mod org;
mod pool;
mod principal_cache;
mod public_forms;
mod query_plans;
mod reminders;
mod roles;
mod sales_audit;
mod schema;
mod search;
mod smtp_sink;
mod transfer;
mod trashed_customers;
mod users;
