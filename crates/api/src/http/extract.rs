//! Request parsing that answers every client mistake with a problem document.

use crate::error::{ApiError, Kind};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

/// Largest request body accepted.
pub const MAX_BODY: usize = 1024 * 1024;

/// A JSON body: `application/json`, at most 1 MiB, no NUL characters, no
/// unknown fields (the wire types deny them), and a field path on every error.
pub struct Body<T>(pub T, pub BodyDigest);

/// SHA-256 of the raw body, to recognise a retried request.
pub struct BodyDigest(pub String);

fn has_nul(v: &serde_json::Value) -> Option<String> {
    fn walk(v: &serde_json::Value, path: &str) -> Option<String> {
        match v {
            serde_json::Value::String(s) if s.contains('\0') => Some(path.to_owned()),
            serde_json::Value::Array(a) => a
                .iter()
                .enumerate()
                .find_map(|(i, x)| walk(x, &format!("{path}[{i}]"))),
            serde_json::Value::Object(o) => o.iter().find_map(|(k, x)| {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if k.contains('\0') {
                    Some(p)
                } else {
                    walk(x, &p)
                }
            }),
            _ => None,
        }
    }
    walk(v, "")
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            Kind::BadRequest,
            format!("The body is not valid JSON: {e}."),
        )
    })?;
    if let Some(field) = has_nul(&value) {
        let field = if field.is_empty() {
            "body".to_owned()
        } else {
            field
        };
        return Err(ApiError::invalid(
            &field,
            "nul_byte",
            "must not contain NUL characters",
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // for an unknown field the path already ends with it; for a missing one it is the parent
        let field = if inner.starts_with("unknown field `") && path != "." {
            path.clone()
        } else if let Some(rest) = inner
            .strip_prefix("missing field `")
            .or_else(|| inner.strip_prefix("unknown field `"))
        {
            let name = rest.split('`').next().unwrap_or_default();
            if path == "." {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        } else if path == "." {
            "body".to_owned()
        } else {
            path
        };
        let code = if inner.starts_with("unknown field") {
            "unknown_field"
        } else if inner.starts_with("missing field") {
            "required"
        } else {
            "invalid_type"
        };
        ApiError::invalid(&field, code, inner)
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let ct = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            let essence = ct.split(';').next().unwrap_or("").trim().to_owned();
            if essence != "application/json" && !essence.ends_with("+json") {
                return Err(ApiError::new(
                    Kind::UnsupportedMediaType,
                    "Send the body as JSON with Content-Type: application/json.",
                ));
            }
            let too_large = || {
                ApiError::new(
                    Kind::PayloadTooLarge,
                    format!("The body must be at most {MAX_BODY} bytes."),
                )
            };
            if declared_len.is_some_and(|n| n > MAX_BODY) {
                return Err(too_large());
            }
            let mut buf = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk
                    .map_err(|e| ApiError::bad_request(format!("Could not read the body: {e}.")))?;
                if buf.len() + chunk.len() > MAX_BODY {
                    return Err(too_large());
                }
                buf.extend_from_slice(&chunk);
            }
            let digest = crate::auth::tokens::digest_bytes(&buf);
            parse_json(&buf).map(|v| Body(v, BodyDigest(digest)))
        })
    }
}

/// The version a client last saw, from `If-Match`. Required on every update.
pub struct IfMatch(pub i64);

impl IfMatch {
    /// `If-Match: *`.
    pub const ANY: i64 = 0;

    /// The version the write must find: the one sent, or for `*` the current one.
    pub fn against(&self, current: i64) -> i64 {
        if self.0 == Self::ANY { current } else { self.0 }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(if_match(req))
    }
}

fn if_match(req: &HttpRequest) -> Result<IfMatch, ApiError> {
    let Some(h) = req.headers().get(header::IF_MATCH) else {
        return Err(ApiError::new(
            Kind::PreconditionRequired,
            "Send If-Match with the ETag from your last read, so a concurrent change is not overwritten.",
        ));
    };
    let s = h.to_str().unwrap_or("").trim();
    // `*` (RFC 9110): the client accepts whatever version is current
    if s == "*" {
        return Ok(IfMatch(IfMatch::ANY));
    }
    let s = s.strip_prefix("W/").unwrap_or(s).trim_matches('"');
    s.parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .map(IfMatch)
        .ok_or_else(|| {
            ApiError::bad_field(
                "If-Match",
                "invalid_etag",
                "must be an ETag from this API, like \"3\", or *",
            )
        })
}

/// Like `If-Match`, but optional (for deletes).
pub struct OptionalIfMatch(pub Option<i64>);

impl FromRequest for OptionalIfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(if req.headers().contains_key(header::IF_MATCH) {
            if_match(req).map(|m| OptionalIfMatch(Some(m.0).filter(|v| *v != IfMatch::ANY)))
        } else {
            Ok(OptionalIfMatch(None))
        })
    }
}

pub fn etag(version: i64) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

/// Checks an id from the path. Ids are short and plain; anything else names
/// no record, so it is answered like any unknown id: 404.
pub fn id(raw: &str) -> Result<String, ApiError> {
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if raw.is_empty() || raw.len() > 64 || !raw.chars().all(plain) {
        return Err(ApiError::new(
            crate::error::Kind::NotFound,
            "No record with this id.",
        ));
    }
    Ok(raw.to_owned())
}

/// An empty query parameter (`?cursor=`) means the same as an absent one.
pub fn non_empty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

/// Query-string and path errors from actix extractors, as problem documents.
pub fn query_error(err: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    let msg = err.to_string();
    let field = msg
        .split('`')
        .nth(1)
        .filter(|_| msg.contains("field"))
        .unwrap_or("query")
        .to_owned();
    ApiError::bad_field(&field, "invalid_query", msg).into()
}

pub fn path_error(err: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::bad_field("path", "invalid_path", err.to_string()).into()
}

/// Rejects NUL and over-long values in query strings, which serde would pass through.
pub fn check_query_text(
    field: &str,
    v: &Option<String>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match v {
        None => Ok(None),
        Some(s) if s.contains('\0') => Err(ApiError::bad_field(
            field,
            "nul_byte",
            "must not contain NUL characters",
        )),
        Some(s) if s.chars().count() > max => Err(ApiError::bad_field(
            field,
            "too_long",
            format!("must be at most {max} characters"),
        )),
        Some(s) => {
            let t = s.trim();
            Ok((!t.is_empty()).then(|| t.to_owned()))
        }
    }
}

/// `Option<Option<T>>` from JSON: absent → `None`, `null` → `Some(None)`.
pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(d).map(Some)
}
