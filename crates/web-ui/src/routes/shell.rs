//! The frame around every page: top bar with navigation, the signed-in user,
//! the language switch and sign-out; on a phone a bottom tab bar within thumb
//! reach; an offline banner.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::LanguageSwitch;
use crate::components::connection::Connection;
use crate::i18n::I18n;
use crate::session::Session;

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let online = Connection::get().online;
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
            <A href="/customers" attr:class="brand" attr:data-testid="brand">{move || i18n.t("app-name")}</A>
            <nav class="topnav" aria-label=move || i18n.t("nav-main")>
                <Show when=signed_in>
                    <A href="/customers" attr:class="topnav__link" attr:data-testid="nav-customers">{move || i18n.t("nav-customers")}</A>
                    <Show when=is_admin>
                        <A href="/admin/users" attr:class="topnav__link" attr:data-testid="nav-admin">{move || i18n.t("nav-admin")}</A>
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
                <A href="/customers" attr:class="tabbar__item" attr:data-testid="tab-customers">
                    <span class="tabbar__icon" aria-hidden="true">"☰"</span>
                    {move || i18n.t("nav-customers")}
                </A>
                <A href="/customers/new" attr:class="tabbar__item tabbar__item--primary" attr:data-testid="tab-new-customer">
                    <span class="tabbar__icon" aria-hidden="true">"+"</span>
                    {move || i18n.t("nav-new-customer")}
                </A>
                <Show when=is_admin>
                    <A href="/admin/users" attr:class="tabbar__item" attr:data-testid="tab-admin">
                        <span class="tabbar__icon" aria-hidden="true">"⚙"</span>
                        {move || i18n.t("nav-admin")}
                    </A>
                </Show>
            </nav>
        </Show>
    }
}
