//! API keys: list, create for a user (the key is shown once), revoke.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use wasm_bindgen::prelude::wasm_bindgen;

use super::org_units::ActionError;
use super::{List, User};
use crate::api::{ApiError, Call};
use crate::components::admin::{
    AdminFrame, LoadFailed, Loading, Sheet, act_button, confirm_html, delegated, esc, fetch,
    focus_later,
};
use crate::components::problem::field_error;
use crate::components::{ProblemAlert, TextField};
use crate::i18n::I18n;
use crate::session::Session;

#[wasm_bindgen]
extern "C" {
    type JsDate;
    #[wasm_bindgen(constructor, js_class = "Date")]
    fn new() -> JsDate;
    #[wasm_bindgen(method, js_name = toISOString)]
    fn to_iso_string(this: &JsDate) -> String;
    #[wasm_bindgen(catch, js_namespace = ["navigator", "clipboard"], js_name = writeText)]
    fn write_clipboard(text: &str) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>;
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct ApiKey {
    id: String,
    name: String,
    user_id: String,
    prefix: String,
    created_at: String,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    last_used_at: Option<String>,
    #[serde(default)]
    revoked_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Created {
    key: String,
}

/// `2026-11-23T08:00:00Z` → `2026-11-23 08:00` (UTC).
fn when(t: &str) -> String {
    t.get(..16).unwrap_or(t).replace('T', " ")
}

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let reload = RwSignal::new(0u32);
    let data = fetch(reload, move || async move {
        let keys = session.get_json::<List<ApiKey>>("/api-keys").await?.data;
        let users = session
            .get_json::<List<User>>("/users?limit=200")
            .await?
            .data;
        Ok::<_, ApiError>((keys, users))
    });
    let refresh = Callback::new(move |()| reload.update(|n| *n += 1));
    let creating = RwSignal::new(false);
    let created = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);

    let revoke = move |id: String| {
        spawn_local(async move {
            match session.send(&Call::delete(format!("/api-keys/{id}"))).await {
                Ok(()) => {
                    error.set(None);
                    refresh.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    // The key whose "Revoke" asks for confirmation.
    let confirming = RwSignal::new(None::<String>);
    let table = move |(keys, users): (Vec<ApiKey>, Vec<User>)| {
        if keys.is_empty() {
            return view! { <div class="empty" data-testid="keys-empty"><p>{i18n.t("admin-keys-empty")}</p></div> }.into_any();
        }
        let now = JsDate::new().to_iso_string();
        let html = move || {
            let asking = confirming.get();
            let labels = [
                "admin-name",
                "admin-key-user",
                "admin-created",
                "admin-expires",
                "admin-last-used",
                "admin-status",
            ]
            .map(|k| esc(&i18n.t(k)));
            let mut h = format!(
                r#"<table class="table admin-table" data-testid="keys-table"><caption class="visually-hidden">{}</caption><thead><tr>"#,
                esc(&i18n.t("admin-api-keys-title"))
            );
            for l in &labels {
                h.push_str(&format!(r#"<th scope="col">{l}</th>"#));
            }
            h.push_str(&format!(r#"<th scope="col"><span class="visually-hidden">{}</span></th></tr></thead><tbody>"#, esc(&i18n.t("admin-actions"))));
            let never = i18n.t("admin-never");
            for k in &keys {
                let user = users
                    .iter()
                    .find(|u| u.id == k.user_id)
                    .map_or(k.user_id.clone(), |u| u.display_name.clone());
                let expired = k.expires_at.as_deref().is_some_and(|e| e < now.as_str());
                let (status, class) = if k.revoked_at.is_some() {
                    ("admin-key-revoked", "badge badge--churned")
                } else if expired {
                    ("admin-key-expired", "badge")
                } else {
                    ("admin-key-active", "badge badge--customer")
                };
                let action = if k.revoked_at.is_some() {
                    String::new()
                } else if asking.as_deref() == Some(k.id.as_str()) {
                    confirm_html(
                        i18n,
                        &i18n.t("admin-confirm-revoke"),
                        "revoke",
                        &k.id,
                        &i18n.t("admin-revoke"),
                        "key-revoke",
                    )
                } else {
                    act_button(
                        "button--danger",
                        "key-revoke",
                        "ask",
                        &k.id,
                        &i18n.t("admin-revoke"),
                        &k.name,
                    )
                };
                let cells = [
                    format!(
                        r#"<span class="admin-strong">{}</span><code class="admin-sub">{}…</code>"#,
                        esc(&k.name),
                        esc(&k.prefix)
                    ),
                    esc(&user),
                    esc(&when(&k.created_at)),
                    esc(&k.expires_at.as_deref().map_or_else(|| never.clone(), when)),
                    esc(&k
                        .last_used_at
                        .as_deref()
                        .map_or_else(|| never.clone(), when)),
                    format!(
                        r#"<span class="{class}" data-testid="key-status">{}</span>"#,
                        esc(&i18n.t(status))
                    ),
                ];
                h.push_str(&format!(
                    r#"<tr data-testid="key-row" data-name="{}">"#,
                    esc(&k.name)
                ));
                for (l, c) in labels.iter().zip(cells) {
                    h.push_str(&format!(r#"<td data-label="{l}">{c}</td>"#));
                }
                h.push_str(&format!(
                    r#"<td class="admin-cell-actions">{action}</td></tr>"#
                ));
            }
            h.push_str("</tbody></table>");
            h
        };
        view! {
            <div class="admin-table-wrap" inner_html=html on:click=move |ev| match delegated(&ev) {
                Some((act, id)) if act == "ask" => {
                    focus_later(format!("[data-act=\"revoke\"][data-id=\"{id}\"]"));
                    confirming.set(Some(id));
                }
                Some((act, id)) if act == "revoke" => {
                    confirming.set(None);
                    revoke(id);
                }
                Some(_) => confirming.set(None),
                None => {}
            }></div>
        }
        .into_any()
    };

    view! {
        <AdminFrame title_key="admin-api-keys-title">
            <div class="admin-toolbar">
                <p class="muted">{i18n.t("admin-keys-intro")}</p>
                <button type="button" class="button button--primary" data-testid="key-new"
                    on:click=move |_| creating.set(true)>{i18n.t("admin-key-new")}</button>
            </div>
            {move || created.get().map(|key| {
                let k2 = key.clone();
                view! {
                    <section class="alert alert--info key-once" data-testid="key-created" aria-labelledby="key-once-title">
                        <p class="alert__title" id="key-once-title">{i18n.t("admin-key-created")}</p>
                        <p><strong>{i18n.t("admin-key-once")}</strong></p>
                        <div class="key-once__row">
                            <label class="visually-hidden" for="new-key">{i18n.t("admin-key")}</label>
                            <input class="field__input key-once__value" id="new-key" data-testid="new-key" readonly value=key
                                on:focus=move |ev| {
                                    use wasm_bindgen::JsCast;
                                    if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                        el.select();
                                    }
                                } />
                            <button type="button" class="button button--primary" data-testid="copy-key"
                                on:click=move |_| copied.set(write_clipboard(&k2).is_ok())>
                                {move || i18n.t(if copied.get() { "admin-copied" } else { "admin-copy" })}
                            </button>
                        </div>
                        <p class="visually-hidden" role="status">{move || copied.get().then(|| i18n.t("admin-copied"))}</p>
                        <button type="button" class="button" data-testid="key-done"
                            on:click=move |_| { created.set(None); copied.set(false); }>{i18n.t("admin-key-stored")}</button>
                    </section>
                }
            })}
            <ActionError error=error reload=refresh />
            {move || match data.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e retry=refresh /> }.into_any(),
                Some(Ok(d)) => {
                    let users = d.1.clone();
                    view! {
                        {table(d)}
                        <Show when=move || creating.get()>
                            <NewKey users=users.clone() on_close=Callback::new(move |()| creating.set(false))
                                on_created=Callback::new(move |key: String| {
                                    creating.set(false);
                                    copied.set(false);
                                    created.set(Some(key));
                                    refresh.run(());
                                }) />
                        </Show>
                    }
                    .into_any()
                }
            }}
        </AdminFrame>
    }
}

#[component]
fn NewKey(users: Vec<User>, on_close: Callback<()>, on_created: Callback<String>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let name = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let today = JsDate::new()
        .to_iso_string()
        .get(..10)
        .unwrap_or_default()
        .to_owned();
    let options = users
        .into_iter()
        .filter(|u| u.is_active)
        .map(|u| view! { <option value=u.id.clone()>{format!("{} <{}>", u.display_name, u.email)}</option> })
        .collect_view();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let e = expires.get_untracked();
        #[derive(serde::Serialize)]
        struct KeyBody {
            name: String,
            user_id: String,
            /// The end of the chosen day, UTC.
            expires_at: Option<String>,
        }
        let body = KeyBody {
            name: name.get_untracked().trim().to_owned(),
            user_id: user.get_untracked(),
            expires_at: (!e.is_empty()).then(|| format!("{e}T23:59:59Z")),
        };
        pending.set(true);
        spawn_local(async move {
            let res = session
                .text(&Call::post("/api-keys", &body))
                .await
                .and_then(|(_, t)| crate::api::parse::<Created>(&t));
            pending.set(false);
            match res {
                Ok(c) => on_created.run(c.key),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let err_of = move |f: &'static str| Signal::derive(move || field_error(i18n, &error.get(), f));
    let user_err = err_of("user_id");
    let exp_err = err_of("expires_at");
    view! {
        <Sheet title=Signal::stored(i18n.t("admin-key-new")) testid="key-sheet" on_close=on_close>
            <form novalidate on:submit=submit data-testid="key-form">
                <ProblemAlert error=error shown_fields=&["name", "user_id", "expires_at"] />
                <TextField id="key-name" label=Signal::stored(i18n.t("admin-name")) required=true
                    kind="text" autocomplete="off" value=name error=err_of("name") />
                <div class="field">
                    <label class="field__label" for="key-user">{i18n.t("admin-key-user")}
                        <span class="field__required" aria-hidden="true">" *"</span></label>
                    <select id="key-user" data-testid="key-user" required aria-required="true"
                        aria-invalid=move || user_err.get().map(|_| "true")
                        on:change=move |ev| user.set(event_target_value(&ev))>
                        <option value="">{i18n.t("admin-choose")}</option>
                        {options}
                    </select>
                    {move || user_err.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    <p class="field__hint">{i18n.t("admin-key-user-hint")}</p>
                </div>
                <div class="field">
                    <label class="field__label" for="key-expires">{i18n.t("admin-expires")}</label>
                    <input class="field__input" type="date" id="key-expires" data-testid="key-expires" min=today
                        aria-invalid=move || exp_err.get().map(|_| "true") bind:value=expires />
                    {move || exp_err.get().map(|m| view! { <p class="field__error">{m}</p> })}
                    <p class="field__hint">{i18n.t("admin-expires-hint")}</p>
                </div>
                <button type="submit" class="button button--primary" data-testid="key-save"
                    aria-disabled=move || pending.get().then_some("true")>
                    {move || i18n.t(if pending.get() { "saving" } else { "action-create" })}
                </button>
            </form>
        </Sheet>
    }
}
