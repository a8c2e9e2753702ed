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

/// An authenticated caller. Loaded from the database on every request, so a
/// deactivated user or a revoked key stops working at once.
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
                crate::db::run(&state.pool, move |c| {
                    let (key_id, user_id) = repo::api_keys::authenticate(
                        c,
                        &hash,
                        crate::db::now(),
                    )?
                    .ok_or_else(|| {
                        ApiError::unauthorized("The API key is invalid, revoked or expired.")
                    })?;
                    repo::principal::load(c, &user_id, Via::ApiKey { id: key_id })?
                        .ok_or_else(|| ApiError::unauthorized("The API key's user is deactivated."))
                })
                .await
            } else {
                let user_id = state.jwt.verify(&token).ok_or_else(expired)?;
                crate::db::run(&state.pool, move |c| {
                    repo::principal::load(c, &user_id, Via::Session)?.ok_or_else(expired)
                })
                .await
            }
        })
    }
}
