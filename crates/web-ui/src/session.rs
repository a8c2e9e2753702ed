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

use crate::api::{self, ApiError, Call, Me, Tokens, Versioned};
use crate::i18n::{I18n, Lang};
use serde::de::DeserializeOwned;

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

    /// Fetches the signed-in user and applies their language, if they chose one.
    async fn load_me(self) -> Result<(), ApiError> {
        let me: Me = self.get_json("/me").await?;
        crate::time::set_zone(me.time_zone.as_deref());
        if let Some(lang) = me.locale.as_deref().and_then(Lang::from_code)
            && let Some(i18n) = use_context::<I18n>()
        {
            i18n.choose(lang);
        }
        self.auth.set(Auth::SignedIn(me));
        Ok(())
    }

    /// Sends an authenticated call. An expired access token is refreshed once
    /// and the call repeated; a refused refresh signs the user out.
    pub async fn call(self, call: &Call) -> Result<gloo_net::http::Response, ApiError> {
        let first = match self.access.get_value() {
            Some(token) => call.send(&token).await,
            None => Err(ApiError::Status(401)),
        };
        match first {
            Err(e) if e.status() == Some(401) => {
                let Some(refresh) = stored_refresh() else {
                    self.forget();
                    return Err(e);
                };
                let tokens = match api::refresh(&refresh).await {
                    Ok(t) => t,
                    Err(err) => {
                        // a refused refresh ends the session; a network error keeps it for later
                        if err.status().is_some_and(|s| (400..500).contains(&s)) {
                            self.forget();
                        }
                        return Err(err);
                    }
                };
                self.keep(&tokens);
                call.send(&tokens.access_token).await
            }
            other => other,
        }
    }

    /// GET `path` and read the JSON answer.
    pub async fn get_json<T: DeserializeOwned>(self, path: &str) -> Result<T, ApiError> {
        api::parse(&self.text(&Call::get(path)).await?.1)
    }

    /// GET a record with its ETag.
    pub async fn get_versioned<T: DeserializeOwned>(
        self,
        path: &str,
    ) -> Result<Versioned<T>, ApiError> {
        self.send_versioned(&Call::get(path)).await
    }

    /// Send a call that answers a record, and read it with its ETag.
    pub async fn send_versioned<T: DeserializeOwned>(
        self,
        call: &Call,
    ) -> Result<Versioned<T>, ApiError> {
        let (etag, text) = self.text(call).await?;
        Ok(Versioned {
            data: api::parse(&text)?,
            etag,
        })
    }

    /// Sends `call` and answers the ETag and body text: the one async path
    /// behind the typed reads above (see [`api::text`]).
    pub async fn text(self, call: &Call) -> Result<(String, String), ApiError> {
        api::text_versioned(self.call(call).await?).await
    }

    /// Send a call whose answer body does not matter (204s, deletes).
    pub async fn send(self, call: &Call) -> Result<(), ApiError> {
        self.call(call).await.map(drop)
    }

    /// The signed-in user, untracked (for event handlers).
    pub fn me_untracked(self) -> Option<Me> {
        match self.auth.get_untracked() {
            Auth::SignedIn(me) => Some(me),
            _ => None,
        }
    }

    /// The signed-in user (tracked).
    pub fn me(self) -> Option<Me> {
        match self.auth.get() {
            Auth::SignedIn(me) => Some(me),
            _ => None,
        }
    }

    /// Remembers the language for the signed-in user on the server too.
    pub fn remember_language(self, lang: Lang) {
        if self.me_untracked().is_none() {
            return;
        }
        spawn_local(async move {
            // best effort: the device remembers it either way
            let _ = self
                .send(&Call::patch_no_version(
                    "/me",
                    &Locale {
                        locale: lang.code(),
                    },
                ))
                .await;
        });
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

#[derive(serde::Serialize)]
struct Locale {
    locale: &'static str,
}
