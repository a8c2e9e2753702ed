//! Rules about the people who sign in.

use crate::error::Invalid;
use crate::text;

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// A password good enough to set. Not trimmed: spaces are part of a passphrase.
pub fn check_password(field: &str, raw: &str) -> Result<(), Invalid> {
    let n = raw.chars().count();
    if raw.contains('\0') {
        return Err(Invalid::one(
            field,
            "nul_byte",
            "must not contain NUL characters",
        ));
    }
    if n < PASSWORD_MIN {
        return Err(Invalid::one(
            field,
            "too_short",
            format!("must be at least {PASSWORD_MIN} characters"),
        ));
    }
    if n > PASSWORD_MAX {
        return Err(Invalid::one(
            field,
            "too_long",
            format!("must be at most {PASSWORD_MAX} characters"),
        ));
    }
    Ok(())
}

/// A display name for a user.
pub fn display_name(raw: &str) -> Result<String, Invalid> {
    text::required("display_name", raw, text::SHORT_MAX)
}

/// The languages Kehu speaks.
pub const LOCALES: [&str; 3] = ["zh-CN", "zh-TW", "en"];

/// A user's preferred language: one Kehu speaks, or none.
pub fn locale(raw: Option<&str>) -> Result<Option<String>, Invalid> {
    let v = text::optional("locale", raw, 20)?;
    match v {
        Some(l) if !LOCALES.contains(&l.as_str()) => Err(Invalid::one(
            "locale",
            "invalid_choice",
            "must be one of: zh-CN, zh-TW, en",
        )),
        other => Ok(other),
    }
}

/// Failed sign-ins allowed within [`THROTTLE_WINDOW_SECS`] before the account is locked.
pub const MAX_FAILED_LOGINS: i32 = 5;
pub const THROTTLE_WINDOW_SECS: i64 = 15 * 60;
/// How long sign-in stays locked after too many failures.
pub const LOCKOUT_SECS: i64 = 5 * 60;

/// The state of failed sign-ins for one account, and what the next failure does to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginFailures {
    pub count: i32,
    /// Unix seconds of the first failure in the current window.
    pub window_start: i64,
    /// Unix seconds until which sign-in is refused.
    pub locked_until: Option<i64>,
}

impl LoginFailures {
    /// Seconds the caller must wait, if sign-in is locked at `now`.
    pub fn locked_for(&self, now: i64) -> Option<i64> {
        self.locked_until.filter(|&t| t > now).map(|t| t - now)
    }

    pub fn after_failure(self, now: i64) -> Self {
        let fresh = now - self.window_start > THROTTLE_WINDOW_SECS
            || self.locked_until.is_some_and(|t| t <= now);
        let (count, window_start) = if fresh {
            (1, now)
        } else {
            (self.count + 1, self.window_start)
        };
        let locked_until = (count >= MAX_FAILED_LOGINS).then_some(now + LOCKOUT_SECS);
        Self {
            count,
            window_start,
            locked_until,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        assert_eq!(locale(Some("zh-TW")).unwrap().as_deref(), Some("zh-TW"));
        assert_eq!(locale(Some(" ")).unwrap(), None);
        assert!(locale(Some("klingon")).is_err());
    }

    #[test]
    fn passwords() {
        assert!(check_password("password", "kehu-demo").is_ok());
        assert!(check_password("password", "short").is_err());
        assert!(check_password("password", &"x".repeat(129)).is_err());
    }

    #[test]
    fn five_failures_lock_and_the_lock_expires() {
        let mut f = LoginFailures::default();
        let t0 = 1_000_000;
        for i in 0..4 {
            f = f.after_failure(t0 + i);
            assert_eq!(f.locked_for(t0 + i), None);
        }
        f = f.after_failure(t0 + 4);
        assert_eq!(f.locked_for(t0 + 4), Some(LOCKOUT_SECS));
        assert_eq!(f.locked_for(t0 + 4 + LOCKOUT_SECS), None);
        let f = f.after_failure(t0 + 4 + LOCKOUT_SECS + 1);
        assert_eq!(f.count, 1, "a new window starts after the lock");
    }

    #[test]
    fn failures_spread_out_never_lock() {
        let mut f = LoginFailures::default();
        for i in 0..20 {
            f = f.after_failure(i * (THROTTLE_WINDOW_SECS / 3));
            assert!(f.count <= 4);
        }
    }
}
