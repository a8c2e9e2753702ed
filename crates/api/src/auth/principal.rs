//! The `Auth` extractor: who is calling, with what rights.

use crate::error::ApiError;
use crate::repo;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, http::header, web};
use futures_util::future::LocalBoxFuture;
use kehu_domain::access::{self, Action, Resource, Subject};

/// How the caller authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Session,
    ApiKey { id: String },
}

/// An authenticated caller. Cached per API node only while the database's
/// access epoch is unchanged (see `auth::cache`), so a deactivated user or a
/// revoked key stops working at once, on every node.
#[derive(Debug, Clone)]
pub struct Auth {
    pub subject: Subject,
    pub email: String,
    pub display_name: String,
    pub team_id: Option<String>,
    /// The user's own regions (not expanded), the first being their home region.
    pub own_region_ids: Vec<String>,
    pub role_ids: Vec<String>,
    pub via: Via,
}

impl Auth {
    pub fn user_id(&self) -> &str {
        &self.subject.user_id
    }

    /// Fails with 403 unless the caller may do `action` on at least some `resource`.
    pub fn require(&self, resource: Resource, action: Action) -> Result<(), ApiError> {
        if access::may_at_all(&self.subject, resource, action) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "Your roles do not allow {} on {}.",
                action.as_str(),
                resource.as_str()
            )))
        }
    }
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let h = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::unauthorized("Send Authorization: Bearer <access token or API key>.")
    })?;
    let s = h
        .to_str()
        .map_err(|_| ApiError::unauthorized("The Authorization header is not readable text."))?;
    let (scheme, token) = s.split_once(' ').ok_or_else(|| {
        ApiError::unauthorized("The Authorization header must be: Bearer <token>.")
    })?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() || token.len() > 4096 {
        return Err(ApiError::unauthorized(
            "The Authorization header must be: Bearer <token>.",
        ));
    }
    Ok(token.trim().to_owned())
}

/// The active user, from the cache when it was loaded under `epoch`.
fn cached_load(
    c: &mut crate::db::DbConnection,
    state: &AppState,
    epoch: i64,
    user_id: &str,
    via: Via,
) -> Result<Option<Auth>, ApiError> {
    if let Some(a) = state.principals.user(epoch, user_id, via.clone()) {
        return Ok(Some(a));
    }
    let loaded = repo::principal::load(c, user_id, via)?;
    if let Some(a) = &loaded {
        state.principals.put_user(epoch, a);
    }
    Ok(loaded)
}

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token?;
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            let expired =
                || ApiError::unauthorized("The token is invalid or has expired; sign in again.");
            if token.starts_with(crate::auth::tokens::API_KEY_PREFIX) {
                let hash = crate::auth::tokens::digest(&token);
                crate::db::run(&state.pool.clone(), move |c| {
                    let refused =
                        || ApiError::unauthorized("The API key is invalid, revoked or expired.");
                    let now = crate::db::now();
                    let epoch = repo::principal::epoch(c)?;
                    let key = match state.principals.key(epoch, &hash) {
                        Some(k) if k.expired(now) => return Err(refused()),
                        Some(k) => k,
                        None => {
                            let k =
                                repo::api_keys::find_active(c, &hash, now)?.ok_or_else(refused)?;
                            state.principals.put_key(epoch, &hash, &k);
                            k
                        }
                    };
                    if key.due_for_touch(now) {
                        repo::api_keys::touch(c, &key.id, now)?;
                        let touched = repo::api_keys::ActiveKey {
                            last_used_at: Some(now),
                            ..key.clone()
                        };
                        state.principals.put_key(epoch, &hash, &touched);
                    }
                    let via = Via::ApiKey { id: key.id };
                    cached_load(c, &state, epoch, &key.user_id, via)?
                        .ok_or_else(|| ApiError::unauthorized("The API key's user is deactivated."))
                })
                .await
            } else {
                let user_id = state.jwt.verify(&token).ok_or_else(expired)?;
                crate::db::run(&state.pool.clone(), move |c| {
                    let epoch = repo::principal::epoch(c)?;
                    cached_load(c, &state, epoch, &user_id, Via::Session)?.ok_or_else(expired)
                })
                .await
            }
        })
    }
}
