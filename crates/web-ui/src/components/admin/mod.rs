//! Building blocks of the administration screens: the frame with its
//! sub-navigation and permission guard, load states, a side sheet and a
//! two-step confirmation button.

use leptos::html;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::problem;
use crate::i18n::I18n;
use crate::session::Session;

/// Whether the signed-in user may administer (the same rule as the shell's link).
pub fn is_admin() -> bool {
    Session::get().me().is_some_and(|m| m.can("user", "create"))
}

/// Title, sub-navigation and, for users who may not administer, a clear refusal.
#[component]
pub fn AdminFrame(title_key: &'static str, children: ChildrenFn) -> impl IntoView {
    let i18n = I18n::get();
    let router = crate::router::Router::get();
    let links = move || {
        [
            ("/admin/users", "admin-users-title", "users"),
            ("/admin/org", "admin-org-title", "org"),
            ("/admin/roles", "admin-roles-title", "roles"),
            ("/admin/api-keys", "admin-api-keys-title", "api-keys"),
            ("/admin/pool", "admin-pool-title", "pool"),
            ("/admin/transfer", "admin-transfer-title", "transfer"),
            ("/admin/duplicates", "admin-duplicates-title", "duplicates"),
        ]
        .into_iter()
        .map(|(href, key, id)| {
            view! {
                <a href=href class="subnav__link" data-testid=format!("subnav-{id}") aria-current=router.current(href)>
                    {i18n.t(key)}
                </a>
            }
        })
        .collect_view()
    };
    view! {
        <Show
            when=is_admin
            fallback=move || view! {
                <section class="empty" data-testid="admin-not-allowed">
                    <h1>{i18n.t("admin-not-allowed-title")}</h1>
                    <p>{i18n.t("admin-not-allowed-text")}</p>
                    <a href="/customers" class="button">{i18n.t("back-to-customers")}</a>
                </section>
            }
        >
            // Texts below are plain strings: the whole area is rebuilt when the language changes
            // (page state lives in signals outside it), which keeps the wasm much smaller
            // than one reactive closure per text.
            {let children = children.clone();
            move || {
                i18n.lang();
                view! {
                    <nav class="subnav" aria-label=i18n.t("admin-subnav")>{links()}</nav>
                    <h1 data-testid="admin-title">{i18n.t(title_key)}</h1>
                    {children()}
                }
            }}
        </Show>
    }
}

/// Placeholder rows while a list loads.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <div class="admin-loading" role="status" data-testid="loading">
            <span class="visually-hidden">{i18n.t("loading")}</span>
            <span class="skeleton"></span>
            <span class="skeleton"></span>
            <span class="skeleton"></span>
        </div>
    }
}

/// A list could not be loaded: what happened and a way to try again.
#[component]
pub fn LoadFailed(error: ApiError, retry: Callback<()>) -> impl IntoView {
    let i18n = I18n::get();
    crate::components::connection::retry_when_back(move || retry.run(()));
    let lines = move || {
        problem::summary(i18n, &error)
            .into_iter()
            .map(|l| view! { <p>{l}</p> })
            .collect_view()
    };
    view! {
        <div class="alert" role="alert" data-testid="load-error">
            <p class="alert__title">{i18n.t("admin-load-failed")}</p>
            {lines}
            <button type="button" class="button" on:click=move |_| retry.run(())>
                {i18n.t("action-retry")}
            </button>
        </div>
    }
}

/// A side panel (a bottom sheet on phones) holding a form. Escape closes it.
#[component]
pub fn Sheet(
    #[prop(into)] title: Signal<String>,
    testid: &'static str,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let i18n = I18n::get();
    let heading = NodeRef::<html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <aside
            class="sheet admin-sheet"
            role="dialog"
            aria-modal="true"
            aria-labelledby="sheet-title"
            data-testid=testid
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    on_close.run(());
                }
                crate::components::focus::trap_tab(&ev);
            }
        >
            <div class="admin-sheet__head">
                <h2 id="sheet-title" tabindex="-1" node_ref=heading>{move || title.get()}</h2>
                <button
                    type="button"
                    class="button button--ghost"
                    aria-label=i18n.t("action-close")
                    data-testid="sheet-close"
                    on:click=move |_| on_close.run(())
                >
                    "✕"
                </button>
            </div>
            {children()}
        </aside>
    }
}

/// A button that asks once more before it acts (deleting, deactivating, revoking).
#[component]
pub fn ConfirmButton(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] question: Signal<String>,
    testid: String,
    on_confirm: Callback<()>,
    #[prop(optional)] danger: bool,
) -> impl IntoView {
    let i18n = I18n::get();
    let asking = RwSignal::new(false);
    let class = if danger { "button--danger" } else { "" };
    let confirm_id = format!("{testid}-confirm");
    let html = move || {
        if asking.get() {
            confirm_html(i18n, &question.get(), "yes", "", &label.get(), &testid)
        } else {
            act_button(class, &testid, "ask", "", &label.get(), "")
        }
    };
    view! {
        <span inner_html=html on:click=move |ev| match delegated(&ev) {
            Some((act, _)) if act == "ask" => {
                asking.set(true);
                focus_later(format!("[data-testid=\"{confirm_id}\"]"));
            }
            Some((act, _)) if act == "yes" => {
                asking.set(false);
                on_confirm.run(());
            }
            Some(_) => asking.set(false),
            None => {}
        }></span>
    }
}

/// Moves keyboard focus to `selector` once the pending re-render is done
/// (e.g. to the "Yes" of a confirmation that replaced the button just pressed).
pub fn focus_later(selector: String) {
    crate::components::focus::focus_first(selector);
}

/// Escapes text for HTML. Long, data-driven lists (tables, trees) are written
/// as HTML strings with one delegated click handler: the same markup as
/// `view!` would make, for a fraction of the wasm size.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A button for [`delegated`]: `act` names what it does, `id` the record; `hidden`
/// is added for screen readers (e.g. which row's "Edit" this is).
pub fn act_button(
    class: &str,
    testid: &str,
    act: &str,
    id: &str,
    label: &str,
    hidden: &str,
) -> String {
    format!(
        r#"<button type="button" class="button {class}" data-testid="{testid}" data-act="{act}" data-id="{}">{}<span class="visually-hidden"> {}</span></button>"#,
        esc(id),
        esc(label),
        esc(hidden)
    )
}

/// The `(act, id)` of the [`act_button`] a click landed on.
pub fn delegated(ev: &leptos::ev::MouseEvent) -> Option<(String, String)> {
    use wasm_bindgen::JsCast;
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let button = el.closest("[data-act]").ok()??;
    Some((
        button.get_attribute("data-act")?,
        button.get_attribute("data-id")?,
    ))
}

/// The inline "Really …? [Yes] [Cancel]" that [`act_button`] lists show for `act`.
pub fn confirm_html(
    i18n: I18n,
    question: &str,
    act: &str,
    id: &str,
    label: &str,
    testid: &str,
) -> String {
    format!(
        r#"<span class="confirm" role="group"><span class="confirm__question" role="alert">{}</span>{}{}</span>"#,
        esc(question),
        act_button(
            "button--danger",
            &format!("{testid}-confirm"),
            act,
            id,
            label,
            ""
        ),
        act_button(
            "button--ghost",
            "confirm-cancel",
            "cancel",
            id,
            &i18n.t("action-cancel"),
            ""
        )
    )
}

/// What a list load gave: nothing yet, the data, or why not.
pub type Loaded<T> = RwSignal<Option<Result<T, ApiError>>>;

/// Loads with `load` now and each time `reload` changes, keeping the last
/// answer on screen meanwhile. (Lighter in wasm than a `LocalResource`.)
pub fn fetch<T, F>(reload: RwSignal<u32>, load: impl Fn() -> F + 'static) -> Loaded<T>
where
    T: Send + Sync + 'static,
    F: std::future::Future<Output = Result<T, ApiError>> + 'static,
{
    let out = RwSignal::new(None);
    Effect::new(move |_| {
        reload.track();
        let fut = load();
        leptos::task::spawn_local(async move { out.set(Some(fut.await)) });
    });
    out
}
