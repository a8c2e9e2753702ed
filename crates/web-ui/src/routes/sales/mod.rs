//! The sales pipeline: the board (`/pipeline`), the list of opportunities,
//! a deal's page, the forecast, rep performance and the sales settings. Its
//! own wasm module (see `src/bin/sales.rs`), so the other screens do not
//! carry it.

pub mod board;
mod changes;
mod close;
mod competitors;
pub mod deal;
mod deal_activities;
mod drag;
pub mod forecast;
pub mod list;
mod model;
mod money;
pub mod new;
pub mod performance;
pub mod settings;
mod setup;
mod stays;

use leptos::prelude::*;

pub use super::work::{load_failed, skeleton};
use crate::i18n::I18n;
use crate::session::Session;

/// Whether the user manages sales: shapes the funnel, loss reasons and
/// quotas (the API still decides on each write).
pub fn is_manager(session: Session) -> bool {
    session.me().is_some_and(|m| m.can("sales_setup", "update"))
}

/// Whether the user reads more deals than their own (a team, a region or
/// all): who sees the performance of reps.
pub fn reads_team(session: Session) -> bool {
    session.me().is_some_and(|m| {
        m.permissions.iter().any(|p| {
            p.resource == "opportunity"
                && p.action == "read"
                && p.scopes.iter().any(|s| s != "own" && s != "none")
        })
    })
}

/// The sales screens, one tap from each other (a phone's tab bar holds
/// only the board).
#[component]
pub fn SalesLinks() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = crate::router::Router::get();
    let link = move |href: &'static str, key: &'static str| {
        view! { <a href=href aria-current=router.current(href)>{move || i18n.t(key)}</a> }
    };
    view! {
        <nav class="sales-links" aria-label=move || i18n.t("sales-links")>
            {link("/pipeline", "sales-board-view")}
            {link("/opportunities", "sales-list-view")}
            {link("/forecast", "sales-forecast-title")}
            {move || reads_team(session).then(|| link("/performance", "sales-performance-title"))}
            {move || is_manager(session).then(|| link("/sales/settings", "sales-settings-title"))}
        </nav>
    }
}

/// Runs `f` once typing has paused for `ms`: each call is a key typed, and
/// only the last key's timer runs.
pub fn after_typing(typing: StoredValue<u32>, ms: u64, f: impl FnOnce() + 'static) {
    let n = typing.get_value() + 1;
    typing.set_value(n);
    set_timeout(
        move || {
            if typing.try_get_value() == Some(n) {
                f();
            }
        },
        std::time::Duration::from_millis(ms),
    );
}

/// The active colleagues other than `me`, as choices of an owner filter.
pub fn owner_options(
    names: RwSignal<std::sync::Arc<crate::components::customers::model::Lookups>>,
    me: &str,
    current: &str,
) -> impl IntoView + use<> {
    names.with(|l| {
        l.users
            .iter()
            .filter(|u| u.is_active && u.id != me)
            .map(|u| {
                let sel = u.id == current;
                view! { <option value=u.id.clone() selected=sel>{u.display_name.clone()}</option> }
            })
            .collect_view()
    })
}

/// A deal's status as a badge (`open`, `won`, `lost`).
pub fn status_badge(i18n: I18n, status: &str) -> impl IntoView + use<> {
    view! {
        <span class=format!("badge deal-status deal-status--{status}") data-testid="deal-status">
            {i18n.t(&format!("sales-status-{status}"))}
        </span>
    }
}

/// A calendar date as the reader writes dates.
pub fn date(i18n: I18n, d: &str) -> String {
    web_sys::js_sys::Date::new(&format!("{d}T12:00:00Z").into())
        .to_locale_date_string(i18n.lang().code(), &{
            let o = web_sys::js_sys::Object::new();
            let _ = web_sys::js_sys::Reflect::set(&o, &"timeZone".into(), &"UTC".into());
            let _ = web_sys::js_sys::Reflect::set(&o, &"dateStyle".into(), &"medium".into());
            o.into()
        })
        .as_string()
        .unwrap_or_else(|| d.to_owned())
}

/// A percentage with at most one decimal, or a dash.
pub fn percent(p: Option<f64>) -> String {
    match p {
        Some(p) if (p - p.round()).abs() < 0.05 => format!("{} %", p.round()),
        Some(p) => format!("{p:.1} %"),
        None => "—".to_owned(),
    }
}
