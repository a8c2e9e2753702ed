use crate::auth::tokens::Jwt;
use crate::config::Settings;
use crate::db::DbPool;

/// Shared by every request handler.
pub struct AppState {
    pub pool: DbPool,
    pub jwt: Jwt,
    /// Callers already loaded, valid while the access epoch is unchanged.
    pub principals: crate::auth::cache::PrincipalCache,
    pub settings: Settings,
    /// Bounds concurrent argon2 work so a login flood cannot exhaust memory and CPU.
    pub hashing: tokio::sync::Semaphore,
    /// `None` when rate limiting is off.
    pub limiter: Option<crate::limits::RateLimiter>,
}
