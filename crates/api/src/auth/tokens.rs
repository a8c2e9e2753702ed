//! Access tokens (JWT), refresh tokens and API keys.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const ISSUER: &str = "kehu";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    iat: i64,
    exp: i64,
}

pub struct Jwt {
    enc: EncodingKey,
    dec: DecodingKey,
    validation: Validation,
    pub ttl_secs: i64,
}

impl Jwt {
    pub fn new(secret: &[u8], ttl_secs: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        validation.leeway = 5;
        Self {
            enc: EncodingKey::from_secret(secret),
            dec: DecodingKey::from_secret(secret),
            validation,
            ttl_secs,
        }
    }

    pub fn issue(&self, user_id: &str, now: i64) -> Result<String, String> {
        let claims = Claims {
            sub: user_id.to_owned(),
            iss: ISSUER.to_owned(),
            iat: now,
            exp: now + self.ttl_secs,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.enc)
            .map_err(|e| e.to_string())
    }

    /// The user id of a valid, unexpired token.
    pub fn verify(&self, token: &str) -> Option<String> {
        jsonwebtoken::decode::<Claims>(token, &self.dec, &self.validation)
            .ok()
            .map(|d| d.claims.sub)
    }
}

fn random_b64(n: usize) -> String {
    let mut buf = vec![0u8; n];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// A fresh secret for signing access tokens, when none is configured.
pub fn new_signing_secret() -> String {
    random_b64(48)
}

/// Refresh tokens and API keys are long random strings, so a fast hash is
/// enough to make a stolen database useless (no brute force is feasible).
pub fn digest(secret: &str) -> String {
    digest_bytes(secret.as_bytes())
}

/// Hex SHA-256.
pub fn digest_bytes(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn new_refresh_token() -> String {
    random_b64(32)
}

pub const API_KEY_PREFIX: &str = "kehu_";

/// A new API key and its displayable prefix (the part shown in key lists).
pub fn new_api_key() -> (String, String) {
    let key = format!("{API_KEY_PREFIX}{}", random_b64(32));
    let prefix = key[..API_KEY_PREFIX.len() + 6].to_owned();
    (key, prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_with_the_right_secret_and_before_expiry() {
        let j = Jwt::new(b"0123456789abcdef0123456789abcdef", 900);
        let now = chrono::Utc::now().timestamp();
        let t = j.issue("u1", now).unwrap();
        assert_eq!(j.verify(&t).as_deref(), Some("u1"));
        let other = Jwt::new(b"fedcba9876543210fedcba9876543210", 900);
        assert_eq!(other.verify(&t), None);
        let old = j.issue("u1", now - 10_000).unwrap();
        assert_eq!(j.verify(&old), None);
        assert_eq!(j.verify("garbage"), None);
    }

    #[test]
    fn api_keys_are_recognisable_and_unique() {
        let (a, pa) = new_api_key();
        let (b, _) = new_api_key();
        assert!(a.starts_with(API_KEY_PREFIX) && a.starts_with(&pa));
        assert_ne!(a, b);
        assert_eq!(digest(&a).len(), 64);
    }
}
