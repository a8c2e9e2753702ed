//! `Idempotency-Key` on creates: a retried POST (after a timeout, a dropped
//! connection or a server crash) returns the first answer instead of creating
//! a duplicate. The record and the stored answer commit in one transaction,
//! so either both survive a crash or neither does.

use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Kind};
use crate::repo::{self, idempotency::Stored};
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse};

/// What an `Idempotency-Key` may be: 1 to 255 visible ASCII characters.
/// The OpenAPI document states the same pattern.
pub const KEY_PATTERN: &str = "^[!-~]{1,255}$";

/// The client's key for this create, if it sent one.
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(match req.headers().get("idempotency-key") {
            None => Ok(Self(None)),
            Some(v) => match v.to_str() {
                Ok(s)
                    if !s.trim().is_empty()
                        && s.len() <= 255
                        && s.bytes().all(|b| (0x21..0x7f).contains(&b)) =>
                {
                    Ok(Self(Some(s.to_owned())))
                }
                _ => Err(ApiError::bad_field(
                    "Idempotency-Key",
                    "invalid_key",
                    "must be 1 to 255 visible ASCII characters, e.g. a UUID",
                )),
            },
        })
    }
}

/// What a create produced: the JSON body (with `version`, for the ETag) and where it lives.
pub struct Created {
    pub body: serde_json::Value,
    pub location: String,
}

fn respond(status: u16, body: &str) -> HttpResponse {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let mut r = HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED));
    r.content_type("application/json");
    if let Some(version) = v["version"].as_i64() {
        r.insert_header(crate::http::extract::etag(version));
    }
    if let Some(loc) = v["__location"].as_str() {
        r.insert_header((header::LOCATION, loc.to_owned()));
    }
    let mut v = v;
    if let Some(o) = v.as_object_mut() {
        o.remove("__location");
    }
    r.body(v.to_string())
}

/// Runs `create` at most once per (user, key); without a key, simply runs it.
pub async fn once<F>(
    state: &AppState,
    auth: &Auth,
    key: IdempotencyKey,
    request_hash: String,
    create: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<Created, ApiError> + Send + 'static,
{
    let user = auth.user_id().to_owned();
    let has_key = key.0.is_some();
    let first = attempt(
        state,
        user.clone(),
        key.0.clone(),
        request_hash.clone(),
        Some(create),
    )
    .await;
    let result = match first {
        // two requests with the same key raced; the other one's answer is stored now
        Err(e) if has_key && e.kind == Kind::Conflict => {
            attempt::<F>(state, user, key.0, request_hash, None).await?
        }
        other => other?,
    };
    Ok(respond(result.0, &result.1))
}

async fn attempt<F>(
    state: &AppState,
    user: String,
    key: Option<String>,
    request_hash: String,
    create: Option<F>,
) -> Result<(u16, String), ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<Created, ApiError> + Send + 'static,
{
    db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            if let Some(k) = &key
                && let Some(prev) = repo::idempotency::get(c, &user, k)?
            {
                return replay(prev, &request_hash);
            }
            let create = create
                .ok_or_else(|| ApiError::internal("idempotent replay found no stored answer"))?;
            let created = create(c)?;
            let mut body = created.body;
            body["__location"] = serde_json::Value::String(created.location);
            let text = body.to_string();
            if let Some(k) = &key {
                let stored = Stored {
                    request_hash: request_hash.clone(),
                    status: 201,
                    body: text.clone(),
                };
                repo::idempotency::put(c, &user, k, &stored, db::now()).map_err(|e| {
                    if repo::is_unique_violation(&e) {
                        ApiError::conflict(
                            "A request with this Idempotency-Key is in progress; retry it.",
                        )
                    } else {
                        e.into()
                    }
                })?;
            }
            Ok((201u16, text))
        })
    })
    .await
}

fn replay(prev: Stored, request_hash: &str) -> Result<(u16, String), ApiError> {
    if prev.request_hash != request_hash {
        return Err(ApiError::invalid(
            "Idempotency-Key",
            "reused",
            "was already used for a different request; use a new key",
        ));
    }
    Ok((u16::try_from(prev.status).unwrap_or(201), prev.body))
}
