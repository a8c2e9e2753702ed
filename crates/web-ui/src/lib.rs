//! Kehu's browser app, built as three modules that share this library: the
//! customer screens (what everyone opens), administration (what only
//! administrators open), and tools that work on several records at once
//! (merging duplicates). A page load downloads one of them; moving between
//! them is a full page load, which the session survives. This keeps what a
//! phone downloads within the size budget as screens are added.

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

pub use crate::router::Page;
pub use crate::routes::{admin_pages, customer_pages, tool_pages};

/// The pages one module shows; `None` for a page of the other module.
pub type Pages = fn(Page) -> Option<AnyView>;

/// Mounts the app with the pages of one module.
pub fn start(pages: Pages) {
    leptos::mount::mount_to_body(move || view! { <App pages=pages /> });
}

#[component]
fn App(pages: Pages) -> impl IntoView {
    I18n::provide();
    components::connection::Connection::provide();
    router::Router::provide();
    Session::provide();
    view! { <AppRoutes pages=pages /> }
}
