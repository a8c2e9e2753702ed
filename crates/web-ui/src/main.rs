//! Kehu's browser app: mounts the Leptos root and provides the shared state.

mod api;
mod components;
mod i18n;
mod router;
mod routes;
mod session;

use leptos::prelude::*;

use crate::i18n::I18n;
use crate::routes::AppRoutes;
use crate::session::Session;

fn main() {
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    I18n::provide();
    components::connection::Connection::provide();
    router::Router::provide();
    Session::provide();
    view! { <AppRoutes /> }
}
