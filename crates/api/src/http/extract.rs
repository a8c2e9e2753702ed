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

/// Largest file an import accepts (`POST /api/v1/imports`): 20 MiB holds
/// about 200,000 rows of a typical customer list, the most one import reads.
pub const MAX_IMPORT_BODY: usize = 20 * 1024 * 1024;

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

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            Kind::BadRequest,
            format!("The body is not valid JSON: {e}."),
        )
    })?;
    // Every body the API takes is an object. serde would also read a struct
    // from an array of its fields in order, so `["a@b.example", "pw"]` would
    // sign in; refuse every other shape before it gets that far.
    if !value.is_object() {
        return Err(ApiError::invalid(
            "body",
            "invalid_type",
            format!("must be a JSON object, not {}", json_kind(&value)),
        ));
    }
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

/// What `If-Match` accepts: `*`, or an ETag of this API, `"N"` or `W/"N"`
/// with N a version (a positive number, no leading zero, at most 18 digits so
/// it fits an i64). The OpenAPI document states the same pattern.
pub const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"[1-9][0-9]{0,17}")$"#;

fn if_match(req: &HttpRequest) -> Result<IfMatch, ApiError> {
    let Some(h) = req.headers().get(header::IF_MATCH) else {
        return Err(ApiError::new(
            Kind::PreconditionRequired,
            "Send If-Match with the ETag from your last read, so a concurrent change is not overwritten.",
        ));
    };
    parse_if_match(h.to_str().unwrap_or("")).ok_or_else(|| {
        ApiError::bad_field(
            "If-Match",
            "invalid_etag",
            "must be an ETag from this API, like \"3\", or *",
        )
    })
}

fn parse_if_match(s: &str) -> Option<IfMatch> {
    // `*` (RFC 9110): the client accepts whatever version is current
    if s == "*" {
        return Some(IfMatch(IfMatch::ANY));
    }
    let digits = s
        .strip_prefix("W/")
        .unwrap_or(s)
        .strip_prefix('"')?
        .strip_suffix('"')?;
    let plain = (1..=18).contains(&digits.len())
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit());
    plain.then(|| digits.parse().ok().map(IfMatch)).flatten()
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

/// What an id looks like; the OpenAPI document states it for every `{id}`.
pub const ID_PATTERN: &str = "^[A-Za-z0-9_-]{1,64}$";

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

/// An id given as a filter: malformed is the client's mistake (400 on
/// `field`), not an unknown record.
pub fn opt_id(field: &str, v: Option<String>) -> Result<Option<String>, ApiError> {
    non_empty(v)
        .map(|s| id(&s).map_err(|_| ApiError::bad_field(field, "invalid_id", "must be an id")))
        .transpose()
}

/// An empty query parameter (`?cursor=`) means the same as an absent one.
/// Only the empty one: `" "` is a value, and for a parameter with a fixed
/// form (sort, stage, owner, cursor) a wrong one.
pub fn non_empty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_takes_exactly_what_the_documented_pattern_allows() {
        let re = regex::Regex::new(IF_MATCH_PATTERN).unwrap();
        for (raw, want) in [
            ("*", Some(IfMatch::ANY)),
            ("\"3\"", Some(3)),
            ("W/\"42\"", Some(42)),
            ("\"999999999999999999\"", Some(999_999_999_999_999_999)),
            ("3", None),
            ("\"0\"", None),
            ("\"03\"", None),
            ("\"+3\"", None),
            ("\"\"3\"\"", None),
            ("\"1000000000000000000\"", None),
            ("w/\"3\"", None),
            ("\"3", None),
            ("**", None),
            ("", None),
        ] {
            assert_eq!(parse_if_match(raw).map(|m| m.0), want, "{raw:?}");
            assert_eq!(re.is_match(raw), want.is_some(), "the pattern on {raw:?}");
        }
    }

    #[test]
    fn ids_are_what_the_documented_pattern_allows() {
        let re = regex::Regex::new(ID_PATTERN).unwrap();
        let long = "a".repeat(65);
        for raw in [
            "0195f3c2-7a1b-7c3d",
            "sales_rep",
            "x",
            &long[1..],
            &long,
            "",
            "a b",
            "a/b",
            "é",
            "a.b",
        ] {
            assert_eq!(id(raw).is_ok(), re.is_match(raw), "{raw:?}");
        }
    }

    #[test]
    fn a_body_must_be_an_object() {
        #[derive(serde::Deserialize, Debug)]
        #[expect(dead_code)]
        struct Login {
            email: String,
            password: String,
        }
        for body in [
            "[]",
            "1",
            "\"x\"",
            "null",
            "true",
            r#"["a@b.example", "pw"]"#,
        ] {
            let e = parse_json::<Login>(body.as_bytes()).unwrap_err();
            assert_eq!(e.kind, Kind::Validation, "{body}");
            assert_eq!(e.errors[0].field, "body", "{body}");
        }
        assert!(parse_json::<Login>(br#"{"email": "a@b.example", "password": "pw"}"#).is_ok());
    }
}
