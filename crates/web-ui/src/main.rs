//! Kehu's browser app: mounts the Leptos root and provides the shared state.

mod api;
mod components;
mod routes;
mod session;
mod translations;

use leptos::prelude::*;

use crate::components::LanguageSwitch;
use crate::routes::CurrentPage;
use crate::session::Session;
use crate::translations::I18n;

fn main() {
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let i18n = I18n::provide();
    Session::provide();
    view! {
        <header class="topbar">
            <span class="brand" data-testid="brand">{move || i18n.t().app_name}</span>
            <LanguageSwitch />
        </header>
        <CurrentPage />
    }
}
