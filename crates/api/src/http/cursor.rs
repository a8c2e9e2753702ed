//! Opaque page cursors: base64url JSON that clients pass back unchanged.

use crate::error::ApiError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Raw {
    /// What the list was ordered by; a cursor only continues the same order.
    k: String,
    v: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    i: Option<String>,
}

fn bad() -> ApiError {
    ApiError::bad_field(
        "cursor",
        "invalid_cursor",
        "is not a cursor from this list; start again without it",
    )
}

fn encode(raw: &Raw) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(raw).unwrap_or_default())
}

fn decode(s: &str) -> Result<Raw, ApiError> {
    if s.len() > 1024 {
        return Err(bad());
    }
    let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| bad())?;
    serde_json::from_slice(&bytes).map_err(|_| bad())
}

pub fn encode_text(order: &str, value: &str) -> String {
    encode(&Raw {
        k: order.into(),
        v: value.into(),
        i: None,
    })
}

pub fn decode_text(s: &str, order: &str) -> Result<String, ApiError> {
    let r = decode(s)?;
    if r.k != order {
        return Err(bad());
    }
    Ok(r.v)
}

/// A cursor after (`value`, `id`) in a list ordered by `order`.
pub fn encode_keyed(order: &str, value: &str, id: &str) -> String {
    encode(&Raw {
        k: order.into(),
        v: value.into(),
        i: Some(id.into()),
    })
}

pub fn decode_keyed(s: &str, order: &str) -> Result<(String, String), ApiError> {
    let r = decode(s)?;
    match r.i {
        Some(i) if r.k == order && i.len() <= 64 => Ok((r.v, i)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects_foreign_cursors() {
        let c = encode_keyed("-updated_at", "2026-11-23T08:00:00Z", "abc");
        assert_eq!(
            decode_keyed(&c, "-updated_at").unwrap(),
            ("2026-11-23T08:00:00Z".into(), "abc".into())
        );
        assert!(
            decode_keyed(&c, "name").is_err(),
            "a cursor continues only its own order"
        );
        assert!(decode_keyed("not-base64!!", "name").is_err());
        assert!(decode_text(&URL_SAFE_NO_PAD.encode(b"{}"), "email").is_err());
    }
}
