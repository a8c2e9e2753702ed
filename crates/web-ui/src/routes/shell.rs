//! The frame around every page: top bar with navigation, the signed-in user,
//! the language switch and sign-out; on a phone a bottom tab bar within thumb
//! reach; an offline banner.

use leptos::prelude::*;

use crate::components::LanguageSwitch;
use crate::components::connection::Connection;
use crate::i18n::I18n;
use crate::session::Session;

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let online = Connection::get().online;
    let router = crate::router::Router::get();
    let is_admin = move || session.me().is_some_and(|m| m.can("user", "create"));
    let user_line = move || {
        session.me().map(|me| {
            let roles = me.roles.iter().map(|r| i18n.try_t(&format!("role-{}", r.id)).unwrap_or(r.name.clone())).collect::<Vec<_>>().join(", ");
            view! {
                <span class="user-chip" data-testid="signed-in-as" title=move || i18n.t("signed-in-as")>
                    <span class="user-chip__name">{me.display_name.clone()}</span>
                    <span class="user-chip__role" data-testid="user-roles">{roles}</span>
                </span>
                <button type="button" class="button button--ghost" data-testid="sign-out" on:click=move |_| session.sign_out()>
                    {move || i18n.t("sign-out")}
                </button>
            }
        })
    };
    let signed_in = move || session.me().is_some();
    view! {
        <a class="skip-link" href="#main">{move || i18n.t("skip-to-content")}</a>
        <header class="topbar">
            <a href="/customers" class="brand" data-testid="brand">{move || i18n.t("app-name")}</a>
            <nav class="topnav" aria-label=move || i18n.t("nav-main")>
                <Show when=signed_in>
                    <a href="/customers" class="topnav__link" data-testid="nav-customers" aria-current=router.current("/customers")>{move || i18n.t("nav-customers")}</a>
                    <Show when=is_admin>
                        <a href="/admin/users" class="topnav__link" data-testid="nav-admin" aria-current=router.current("/admin")>{move || i18n.t("nav-admin")}</a>
                    </Show>
                </Show>
            </nav>
            <div class="topbar__end">
                {user_line}
                <LanguageSwitch />
            </div>
        </header>
        <Show when=move || !online.get()>
            <p class="offline-banner" role="status" data-testid="offline-banner">{move || i18n.t("offline-banner")}</p>
        </Show>
        <main class="page" id="main" tabindex="-1">{children()}</main>
        <Show when=signed_in>
            <nav class="tabbar" aria-label=move || i18n.t("nav-main")>
                <a href="/customers" class="tabbar__item" data-testid="tab-customers" aria-current=router.current("/customers")>
                    <span class="tabbar__icon" aria-hidden="true">"☰"</span>
                    {move || i18n.t("nav-customers")}
                </a>
                <a href="/customers/new" class="tabbar__item tabbar__item--primary" data-testid="tab-new-customer" aria-current=router.current("/customers/new")>
                    <span class="tabbar__icon" aria-hidden="true">"+"</span>
                    {move || i18n.t("nav-new-customer")}
                </a>
                <Show when=is_admin>
                    <a href="/admin/users" class="tabbar__item" data-testid="tab-admin" aria-current=router.current("/admin")>
                        <span class="tabbar__icon" aria-hidden="true">"⚙"</span>
                        {move || i18n.t("nav-admin")}
                    </a>
                </Show>
            </nav>
        </Show>
    }
}
