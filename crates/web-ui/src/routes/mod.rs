//! The app's pages. With only two, the page follows the session state; a URL
//! router comes with the real UI.

mod home;
mod sign_in;

use leptos::prelude::*;

use crate::session::{Auth, Session};
use crate::translations::I18n;
use home::HomePage;
use sign_in::SignInPage;

/// Shows the page that fits the session: sign-in, home, or a wait while a stored session is checked.
#[component]
pub fn CurrentPage() -> impl IntoView {
    let session = Session::get();
    let i18n = I18n::get();
    move || match session.auth() {
        Auth::Checking => view! {
            <main class="page" id="main">
                <p class="status" role="status" data-testid="loading">
                    {move || i18n.t().loading}
                </p>
            </main>
        }
        .into_any(),
        Auth::SignedOut => view! { <SignInPage /> }.into_any(),
        Auth::SignedIn(me) => view! { <HomePage me /> }.into_any(),
    }
}
