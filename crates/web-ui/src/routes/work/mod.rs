//! A rep's work: my day, activities (log, plan, mark done, edit), a
//! customer's timeline, notifications and their settings. Its own wasm
//! module (see `src/bin/work.rs`), so the customer screens do not carry it.

pub mod activity;
pub mod day;
mod item;
pub mod log;
mod model;
pub mod notifications;
mod remind;
pub mod settings;
pub mod timeline;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::problem::summary;
use crate::i18n::I18n;

/// The kinds an activity can be, in the order the quick buttons show them.
pub const KINDS: [&str; 6] = ["visit", "call", "meeting", "email", "task", "note"];

/// A page's or card's failure to load, with a way to try again.
pub fn load_failed(i18n: I18n, e: &ApiError, retry: impl Fn() + Send + Sync + 'static) -> AnyView {
    let lines = summary(i18n, e)
        .into_iter()
        .map(|l| view! { <p>{l}</p> })
        .collect_view();
    view! {
        <div class="alert" role="alert" data-testid="load-error">
            {lines}
            <button type="button" class="button" on:click=move |_| retry()>{i18n.t("action-retry")}</button>
        </div>
    }
    .into_any()
}

/// Placeholder rows while a list loads.
pub fn skeleton() -> AnyView {
    view! {
        <div aria-busy="true" data-testid="loading">
            <span class="visually-hidden" role="status">{move || I18n::get().t("loading")}</span>
            <span class="skeleton"></span>
            <span class="skeleton"></span>
            <span class="skeleton"></span>
        </div>
    }
    .into_any()
}

/// The customer a work page is about is gone, or hidden from the reader (the
/// API does not say which).
pub fn customer_not_found(i18n: I18n) -> AnyView {
    view! {
        <div class="empty card" data-testid="customer-not-found">
            <h1>{i18n.t("customers-not-found")}</h1>
            <p>{i18n.t("customers-not-found-hint")}</p>
            <a href="/customers" class="button button--primary">{i18n.t("back-to-customers")}</a>
        </div>
    }
    .into_any()
}
