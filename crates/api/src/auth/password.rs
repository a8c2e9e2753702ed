//! argon2id password hashes.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

pub fn hash(password: &str) -> Result<String, String> {
    let h: Result<PasswordHash, _> = Argon2::default().hash_password(password.as_bytes());
    h.map(|h| h.to_string())
        .map_err(|e| format!("hashing failed: {e}"))
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash of a password nobody knows, verified against when the e-mail is
/// unknown, so that a wrong e-mail takes as long as a wrong password.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&uuid::Uuid::new_v4().to_string()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trip() {
        let h = super::hash("kehu-demo").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("kehu-demo", &h));
        assert!(!super::verify("kehu-dem0", &h));
        assert!(!super::verify("kehu-demo", "not a hash"));
    }
}
