//! Customers: the list, one customer's page, and the form for a new one.

mod contacts;
pub mod detail;
mod edit;
mod filters;
mod follow;
mod history;
pub mod list;
pub mod new;
mod ownership;
mod stages;
