//! The frame around every page: top bar with navigation, the notification
//! bell, the signed-in user, the language switch and sign-out; on a phone a
//! bottom tab bar within thumb reach; an offline banner.

use leptos::prelude::*;
use leptos::task::spawn_local;

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
    provide_context(Unread {
        count: RwSignal::new(0),
        session,
    });
    let is_admin = move || session.me().is_some_and(|m| m.can("user", "create"));
    let sells = move || session.me().is_some_and(|m| m.can("opportunity", "read"));
    let manages = move || super::sales::reads_team(session);
    let more = RwSignal::new(false);
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
            // a phone's top bar also holds the bell: the brand shortens to the product's name
            <a href="/day" class="brand" data-testid="brand" aria-label=move || i18n.t("app-name")>
                <span class="brand__long">{move || i18n.t("app-name")}</span>
                <span class="brand__short" aria-hidden="true">"Kehu"</span>
            </a>
            <nav class="topnav" aria-label=move || i18n.t("nav-main")>
                <Show when=signed_in>
                    <a href="/day" class="topnav__link" data-testid="nav-day" aria-current=router.current("/day")>{move || i18n.t("nav-day")}</a>
                    <a href="/customers" class="topnav__link" data-testid="nav-customers" aria-current=router.current("/customers")>{move || i18n.t("nav-customers")}</a>
                    <a href="/leads" class="topnav__link" data-testid="nav-leads" aria-current=router.current("/leads")>{move || i18n.t("nav-leads")}</a>
                    <Show when=sells>
                        <a href="/pipeline" class="topnav__link" data-testid="nav-pipeline" aria-current=router.current("/pipeline")>{move || i18n.t("nav-pipeline")}</a>
                        <a href="/forecast" class="topnav__link" data-testid="nav-forecast" aria-current=router.current("/forecast")>{move || i18n.t("nav-forecast")}</a>
                    </Show>
                    <Show when=manages>
                        <a href="/performance" class="topnav__link" data-testid="nav-performance" aria-current=router.current("/performance")>{move || i18n.t("nav-performance")}</a>
                    </Show>
                    <Show when=is_admin>
                        <a href="/admin/users" class="topnav__link" data-testid="nav-admin" aria-current=router.current("/admin")>{move || i18n.t("nav-admin")}</a>
                    </Show>
                </Show>
            </nav>
            <div class="topbar__end">
                <Show when=signed_in><Bell /></Show>
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
                <a href="/day" class="tabbar__item" data-testid="tab-day" aria-current=router.current("/day")>
                    <span class="tabbar__icon" aria-hidden="true">"◔"</span>
                    {move || i18n.t("nav-day")}
                </a>
                <a href="/customers" class="tabbar__item" data-testid="tab-customers" aria-current=router.current("/customers")>
                    <span class="tabbar__icon" aria-hidden="true">"☰"</span>
                    {move || i18n.t("nav-customers")}
                </a>
                <a href="/leads" class="tabbar__item" data-testid="tab-leads" aria-current=router.current("/leads")>
                    <span class="tabbar__icon" aria-hidden="true">"✦"</span>
                    {move || i18n.t("nav-leads")}
                </a>
                <Show when=sells>
                    <a href="/pipeline" class="tabbar__item" data-testid="tab-pipeline" aria-current=router.current("/pipeline")>
                        <span class="tabbar__icon" aria-hidden="true">"▥"</span>
                        {move || i18n.t("nav-pipeline")}
                    </a>
                </Show>
                // the rest opens in a sheet: a phone's bar holds five at most
                <button type="button" class="tabbar__item" data-testid="tab-more"
                    aria-expanded=move || more.get().to_string()
                    on:click=move |_| more.update(|m| *m = !*m)>
                    <span class="tabbar__icon" aria-hidden="true">"⋯"</span>
                    {move || i18n.t("nav-more")}
                </button>
            </nav>
            <Show when=move || more.get()>
                <div class="more-sheet" data-testid="more-sheet" role="dialog" aria-label=move || i18n.t("nav-more")
                    on:click=move |_| more.set(false)>
                    <nav class="more-sheet__links">
                        <a href="/customers/new" data-testid="more-new-customer">"+ " {move || i18n.t("nav-new-customer")}</a>
                        <Show when=sells>
                            <a href="/opportunities" data-testid="more-opportunities">{move || i18n.t("nav-opportunities")}</a>
                            <a href="/forecast" data-testid="more-forecast">{move || i18n.t("nav-forecast")}</a>
                        </Show>
                        <Show when=manages>
                            <a href="/performance" data-testid="more-performance">{move || i18n.t("nav-performance")}</a>
                        </Show>
                        <a href="/notifications" data-testid="more-notifications">{move || i18n.t("nav-notifications")}</a>
                        <Show when=is_admin>
                            <a href="/admin/users" data-testid="more-admin">{move || i18n.t("nav-admin")}</a>
                        </Show>
                    </nav>
                </div>
            </Show>
        </Show>
    }
}

/// How many notifications the user has not read, shared through context so
/// that reading them on the notifications page updates the bell at once.
#[derive(Debug, Clone, Copy)]
pub struct Unread {
    pub count: RwSignal<u32>,
    // kept here: a refresh is often asked for after an await, outside any owner
    session: Session,
}

impl Unread {
    /// Asks the API again.
    pub fn refresh(self) {
        #[derive(serde::Deserialize)]
        struct Count {
            count: u32,
        }
        let session = self.session;
        spawn_local(async move {
            // a failed count keeps the last one: the bell is not worth an error
            if let Ok(c) = session
                .get_json::<Count>("/notifications/unread-count")
                .await
            {
                let _ = self.count.try_set(c.count);
            }
        });
    }
}

/// The bell: the unread count, a link to the notifications. Counted again on
/// every page change and each minute.
#[component]
fn Bell() -> impl IntoView {
    let i18n = I18n::get();
    let router = crate::router::Router::get();
    let unread: Unread = expect_context();
    Effect::new(move |_| {
        let _ = router.page();
        unread.refresh();
    });
    if let Ok(h) =
        set_interval_with_handle(move || unread.refresh(), std::time::Duration::from_secs(60))
    {
        on_cleanup(move || h.clear());
    }
    let count = move || unread.count.get();
    view! {
        <a href="/notifications" class="bell" data-testid="bell" aria-current=router.current("/notifications")
            aria-label=move || i18n.t_args("bell-label", &[("count", count().into())])>
            <svg class="bell__icon" viewBox="0 0 24 24" aria-hidden="true" width="22" height="22">
                <path d="M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5-6.7V3.5a2 2 0 0 0-4 0v.8A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" fill="currentColor" />
            </svg>
            <Show when=move || { count() > 0 }>
                <span class="bell__count" data-testid="bell-count">{move || if count() > 99 { "99+".to_owned() } else { count().to_string() }}</span>
            </Show>
        </a>
    }
}
