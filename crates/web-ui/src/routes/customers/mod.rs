//! Customers: the list, one customer's page, and the form for a new one.

pub mod detail;
pub mod list;
pub mod new;
