//! Who is signed in, and the tokens that prove it.
//!
//! Token storage: the access token lives in memory and in `sessionStorage`, the
//! refresh token in `sessionStorage` only. `sessionStorage` keeps a reload of
//! the tab signed in but forgets the session when the tab closes and is not
//! shared with other tabs. It is still readable by any script on the page, so
//! an XSS bug could steal both tokens; a later issue revisits this (e.g. an
//! HttpOnly refresh cookie). Keep all token handling in this module so that
//! change stays local.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::Storage;

use crate::api::{self, ApiError, Me, Tokens};

const ACCESS_KEY: &str = "kehu.access_token";
const REFRESH_KEY: &str = "kehu.refresh_token";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// A stored session is being checked against the API.
    Checking,
    SignedOut,
    SignedIn(Me),
}

/// The app's session, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    auth: RwSignal<Auth>,
    /// In-memory copy of the access token, so requests need not read storage.
    access: StoredValue<Option<String>>,
}

impl Session {
    /// Creates the session and, if the tab holds tokens, checks them in the background.
    pub fn provide() -> Self {
        let access = storage().and_then(|s| s.get_item(ACCESS_KEY).ok().flatten());
        let has_tokens = access.is_some() || stored_refresh().is_some();
        let session = Self {
            auth: RwSignal::new(if has_tokens {
                Auth::Checking
            } else {
                Auth::SignedOut
            }),
            access: StoredValue::new(access),
        };
        provide_context(session);
        if has_tokens {
            spawn_local(async move {
                match session.load_me().await {
                    Ok(()) => {}
                    // Tokens rejected (expired, revoked): forget them.
                    Err(e) if e.status().is_some_and(|s| (400..500).contains(&s)) => {
                        session.forget()
                    }
                    // Server down or failing: show sign-in but keep the tokens,
                    // so a reload once it is back restores the session.
                    Err(_) => session.auth.set(Auth::SignedOut),
                }
            });
        }
        session
    }

    pub fn get() -> Self {
        expect_context()
    }

    /// The current state (tracked).
    pub fn auth(self) -> Auth {
        self.auth.get()
    }

    pub async fn sign_in(self, email: &str, password: &str) -> Result<(), ApiError> {
        let tokens = api::login(email, password).await?;
        self.keep(&tokens);
        let result = self.load_me().await;
        if result.is_err() {
            self.forget();
        }
        result
    }

    /// Signs out here at once, then tells the API to revoke the refresh token.
    pub fn sign_out(self) {
        let refresh = stored_refresh();
        self.forget();
        if let Some(token) = refresh {
            spawn_local(async move {
                // Nothing useful to show if this fails: the tab has forgotten the
                // token either way and the server expires it.
                let _ = api::logout(&token).await;
            });
        }
    }

    /// Fetches the signed-in user; on 401 refreshes the tokens once and retries.
    async fn load_me(self) -> Result<(), ApiError> {
        let first = match self.access.get_value() {
            Some(token) => api::me(&token).await,
            None => Err(ApiError::Status(401)),
        };
        let me = match first {
            Err(e) if e.status() == Some(401) => {
                let refresh = stored_refresh().ok_or(e)?;
                let tokens = api::refresh(&refresh).await?;
                self.keep(&tokens);
                api::me(&tokens.access_token).await?
            }
            other => other?,
        };
        self.auth.set(Auth::SignedIn(me));
        Ok(())
    }

    fn keep(self, tokens: &Tokens) {
        self.access.set_value(Some(tokens.access_token.clone()));
        if let Some(s) = storage() {
            // If storage refuses (quota, privacy mode) the session lasts until reload.
            let _ = s.set_item(ACCESS_KEY, &tokens.access_token);
            let _ = s.set_item(REFRESH_KEY, &tokens.refresh_token);
        }
    }

    fn forget(self) {
        self.access.set_value(None);
        if let Some(s) = storage() {
            let _ = s.remove_item(ACCESS_KEY);
            let _ = s.remove_item(REFRESH_KEY);
        }
        self.auth.set(Auth::SignedOut);
    }
}

fn storage() -> Option<Storage> {
    window().session_storage().ok().flatten()
}

fn stored_refresh() -> Option<String> {
    storage().and_then(|s| s.get_item(REFRESH_KEY).ok().flatten())
}
