//! Kehu's browser app, built as four modules that share this library: the
//! customer screens (what everyone opens), a rep's work (my day, activities,
//! timelines, notifications), administration (what only administrators
//! open), and tools that work on several records at once (merging
//! duplicates, importing). A page load downloads one of them; moving between
//! them is a full page load, which the session survives. This keeps what a
//! phone downloads within the size budget as screens are added.

mod api;
mod components;
mod i18n;
mod router;
mod routes;
mod session;
mod time;

use leptos::prelude::*;

use crate::i18n::I18n;
use crate::routes::AppRoutes;
use crate::session::Session;

pub use crate::i18n::{
    Lang, admin_messages, customer_messages, leads_messages, no_messages, sales_messages,
    work_messages,
};
pub use crate::router::Page;
pub use crate::routes::{
    admin_pages, customer_pages, deal_pages, insight_pages, leads_pages, sales_pages, tool_pages,
    work_pages,
};

/// The pages one module shows; `None` for a page of the other module.
pub type Pages = fn(Page) -> Option<AnyView>;

/// Messages only one module shows, beside those all carry.
pub type Messages = fn(Lang) -> &'static str;

/// Mounts the app with the pages of one module and the messages only it needs.
pub fn start(pages: Pages, messages: Messages) {
    i18n::set_module_messages(messages);
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
