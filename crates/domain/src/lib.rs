//! Kehu's business rules as plain types and functions.
//!
//! Nothing here does I/O: the API crate parses requests into these types,
//! asks these functions what is allowed, and persists the outcome; the web UI
//! (wasm32) reuses the same validation.

pub mod access;
pub mod activity;
pub mod audit;
pub mod contact;
pub mod customer;
pub mod date;
pub mod dedup;
pub mod error;
pub mod forecast;
pub mod import;
pub mod lead;
pub mod lifecycle;
pub mod merge;
pub mod net;
pub mod opportunity;
pub mod org;
pub mod ownership;
pub mod paging;
pub mod pipeline;
pub mod pool;
pub mod remind;
pub mod text;
pub mod timeline;
pub mod user;

pub use error::{FieldError, Invalid};
