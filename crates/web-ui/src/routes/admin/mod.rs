//! Administration: users, the organisation, roles and API keys.

pub mod api_keys;
pub mod org;
pub mod roles;
pub mod users;
