//! Signing in: passwords, tokens, API keys, and who the caller is.

pub mod cache;
pub mod password;
pub mod principal;
pub mod tokens;

pub use principal::{Auth, Via};
