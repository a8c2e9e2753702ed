//! Notification settings (`/settings`): the user's time zone, how reminders
//! reach them (in the app, by e-mail), quiet hours, which kinds, how many
//! days ahead; and the calendar feed's address (show, copy, renew, revoke).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use super::model::post_empty;
use super::{load_failed, skeleton};
use crate::api::{ApiError, Call};
use crate::components::ProblemAlert;
use crate::components::customers::t;
use crate::components::problem::field_error;
use crate::i18n::I18n;
use crate::session::Session;
use crate::time;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
struct QuietHours {
    start: String,
    end: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
struct Kinds {
    birthday: bool,
    follow_up: bool,
    renewal: bool,
    maintenance: bool,
    manual: bool,
    activity_due: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
struct Preferences {
    time_zone: String,
    in_app: bool,
    email: bool,
    quiet_hours: Option<QuietHours>,
    kinds: Kinds,
    birthday_days_before: u32,
    renewal_days_before: u32,
    maintenance_days_before: u32,
}

const KIND_NAMES: [&str; 6] = [
    "birthday",
    "follow_up",
    "renewal",
    "maintenance",
    "manual",
    "activity_due",
];

impl Kinds {
    fn get(&self, k: &str) -> bool {
        match k {
            "birthday" => self.birthday,
            "follow_up" => self.follow_up,
            "renewal" => self.renewal,
            "maintenance" => self.maintenance,
            "manual" => self.manual,
            _ => self.activity_due,
        }
    }

    fn set(&mut self, k: &str, on: bool) {
        match k {
            "birthday" => self.birthday = on,
            "follow_up" => self.follow_up = on,
            "renewal" => self.renewal = on,
            "maintenance" => self.maintenance = on,
            "manual" => self.manual = on,
            _ => self.activity_due = on,
        }
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let prefs = RwSignal::new(None::<Result<Preferences, ApiError>>);
    let load = move || {
        prefs.set(None);
        spawn_local(async move {
            let r = session.get_json::<Preferences>("/me/preferences").await;
            let _ = prefs.try_set(Some(r));
        });
    };
    load();
    view! {
        <div class="cust-page settings-page">
            <div class="cust-head">
                <h1>{t("settings-title")}</h1>
                <a href="/notifications" class="button button--ghost">{t("notifications-title")}</a>
            </div>
            <div class="settings-grid">
                {move || match prefs.get() {
                    None => skeleton(),
                    Some(Err(e)) => load_failed(i18n, &e, load),
                    Some(Ok(p)) => view! { <PreferencesForm prefs=p /> }.into_any(),
                }}
                <CalendarFeed />
            </div>
        </div>
    }
}

#[component]
fn PreferencesForm(prefs: Preferences) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let draft = RwSignal::new(prefs);
    let errors = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let mut zones = time::zones();
    let current = draft.with_untracked(|p| p.time_zone.clone());
    if !zones.contains(&current) {
        zones.insert(0, current);
    }
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        saved.set(false);
        let body = draft.get_untracked();
        spawn_local(async move {
            match session
                .send_versioned::<Preferences>(&Call::put("/me/preferences", &body))
                .await
            {
                Ok(v) => {
                    time::set_zone(Some(&v.data.time_zone));
                    let _ = draft.try_set(v.data);
                    let _ = errors.try_set(None);
                    let _ = saved.try_set(true);
                }
                Err(e) => {
                    let _ = errors.try_set(Some(e));
                }
            }
            let _ = pending.try_set(false);
        });
    };
    let err = move |f: &'static str| {
        move || {
            errors
                .with(|e| field_error(i18n, e, f))
                .map(|m| view! { <p class="field__error" data-testid=format!("{f}-error")>{m}</p> })
        }
    };
    let check = move |testid: &'static str,
                      key: &'static str,
                      get: fn(&Preferences) -> bool,
                      set: fn(&mut Preferences, bool)| {
        view! {
            <label class="cust-check">
                <input type="checkbox" data-testid=testid prop:checked=move || draft.with(get)
                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|p| set(p, on)); } />
                {t(key)}
            </label>
        }
    };
    let number = move |id: &'static str,
                       key: &'static str,
                       max: u32,
                       get: fn(&Preferences) -> u32,
                       set: fn(&mut Preferences, u32)| {
        view! {
            <div class="field settings-number">
                <label class="field__label" for=id>{t(key)}</label>
                <input class="field__input" id=id data-testid=id type="number" min="0" max=max.to_string() inputmode="numeric"
                    prop:value=move || draft.with(get).to_string()
                    on:input=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                            draft.update(|p| set(p, n));
                        }
                    } />
                {err(id)}
            </div>
        }
    };
    let quiet = move || draft.with(|p| p.quiet_hours.clone());
    let quiet_time = move |id: &'static str, key: &'static str, start: bool| {
        view! {
            <div class="field">
                <label class="field__label" for=id>{t(key)}</label>
                <input class="field__input" id=id data-testid=id type="time"
                    prop:value=move || quiet().map(|q| if start { q.start } else { q.end }).unwrap_or_default()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|p| if let Some(q) = p.quiet_hours.as_mut() {
                            if start { q.start = v } else { q.end = v }
                        });
                    } />
            </div>
        }
    };
    let kinds = KIND_NAMES
        .iter()
        .map(|k| {
            let k = *k;
            view! {
                <label class="cust-check">
                    <input type="checkbox" data-testid=format!("kind-{k}") prop:checked=move || draft.with(|p| p.kinds.get(k))
                        on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|p| p.kinds.set(k, on)); } />
                    {move || i18n.t(&format!("notification-kind-{k}"))}
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="card work-form settings-form" novalidate data-testid="preferences-form" on:submit=on_submit>
            <h2>{t("settings-reminders")}</h2>
            <ProblemAlert error=errors shown_fields=&["time_zone", "birthday_days_before", "renewal_days_before", "maintenance_days_before"] />
            <div class="field">
                <label class="field__label" for="time-zone">{t("settings-time-zone")}</label>
                <select id="time-zone" data-testid="time-zone" on:change=move |ev| { let v = event_target_value(&ev); draft.update(|p| p.time_zone = v); }>
                    {zones.into_iter().map(|z| {
                        let (sel, value) = (z.clone(), z.clone());
                        view! { <option value=value prop:selected=move || draft.with(|p| p.time_zone == sel)>{z}</option> }
                    }).collect_view()}
                </select>
                {err("time_zone")}
            </div>
            <fieldset class="cust-checks">
                <legend class="field__label">{t("settings-channels")}</legend>
                {check("in-app", "settings-in-app", |p| p.in_app, |p, on| p.in_app = on)}
                {check("email", "settings-email", |p| p.email, |p, on| p.email = on)}
            </fieldset>
            <fieldset class="cust-checks">
                <legend class="field__label">{t("settings-quiet-hours")}</legend>
                {check("quiet-hours", "settings-quiet-on", |p| p.quiet_hours.is_some(), |p, on| {
                    p.quiet_hours = on.then(|| QuietHours { start: "22:00".into(), end: "08:00".into() });
                })}
                <Show when=move || quiet().is_some()>
                    <div class="cust-grid settings-quiet">
                        {quiet_time("quiet-start", "settings-quiet-start", true)}
                        {quiet_time("quiet-end", "settings-quiet-end", false)}
                    </div>
                </Show>
                <p class="field__hint">{t("settings-quiet-hint")}</p>
            </fieldset>
            <fieldset class="cust-checks">
                <legend class="field__label">{t("settings-kinds")}</legend>
                {kinds}
            </fieldset>
            <div class="cust-grid settings-days">
                {number("birthday_days_before", "settings-birthday-days", 30, |p| p.birthday_days_before, |p, n| p.birthday_days_before = n)}
                {number("renewal_days_before", "settings-renewal-days", 365, |p| p.renewal_days_before, |p, n| p.renewal_days_before = n)}
                {number("maintenance_days_before", "settings-maintenance-days", 365, |p| p.maintenance_days_before, |p, n| p.maintenance_days_before = n)}
            </div>
            <Show when=move || saved.get()>
                <p class="alert alert--success" role="status" data-testid="preferences-saved">{t("settings-saved")}</p>
            </Show>
            <div class="cust-form__actions">
                <button type="submit" class="button button--primary" data-testid="preferences-save"
                    aria-disabled=move || pending.get().then_some("true")>
                    {move || if pending.get() { i18n.t("saving") } else { i18n.t("action-save") }}
                </button>
            </div>
        </form>
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Calendar {
    #[serde(default)]
    active: bool,
    /// Only right after it is made: the server keeps a hash, not the secret.
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct NewCalendar {
    url: String,
}

/// The calendar subscription: its secret address, copied into Outlook, Google
/// Calendar or a phone; renewing it stops the old one, revoking stops both.
#[component]
fn CalendarFeed() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let feed = RwSignal::new(None::<Result<Calendar, ApiError>>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let confirm = RwSignal::new(None::<&'static str>);
    let load = move || {
        spawn_local(async move {
            let r = session.get_json::<Calendar>("/me/calendar").await;
            let _ = feed.try_set(Some(r));
        });
    };
    load();
    let create = move || {
        busy.set(true);
        confirm.set(None);
        copied.set(false);
        spawn_local(async move {
            match session
                .send_versioned::<NewCalendar>(&post_empty("/me/calendar".into()))
                .await
                .map(|v| v.data)
            {
                Ok(c) => {
                    let _ = feed.try_set(Some(Ok(Calendar {
                        active: true,
                        url: Some(c.url),
                        created_at: None,
                    })));
                    let _ = error.try_set(None);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let revoke = move || {
        busy.set(true);
        confirm.set(None);
        spawn_local(async move {
            match session.send(&Call::delete("/me/calendar")).await {
                Ok(()) => {
                    let _ = feed.try_set(Some(Ok(Calendar {
                        active: false,
                        url: None,
                        created_at: None,
                    })));
                    let _ = error.try_set(None);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let copy = move |url: String| {
        if let Ok(nav) = web_sys::js_sys::Reflect::get(&window().navigator(), &"clipboard".into())
            && let Ok(f) = web_sys::js_sys::Reflect::get(&nav, &"writeText".into())
            && let Ok(f) = wasm_bindgen::JsCast::dyn_into::<web_sys::js_sys::Function>(f)
        {
            let _ = f.call1(&nav, &url.into());
        }
        copied.set(true);
    };
    let body = move || {
        match feed.get() {
        None => skeleton(),
        Some(Err(e)) => load_failed(i18n, &e, load),
        Some(Ok(c)) if !c.active => view! {
            <p class="muted" data-testid="calendar-inactive">{t("calendar-inactive")}</p>
            <button type="button" class="button button--primary" data-testid="calendar-create"
                aria-disabled=move || busy.get().then_some("true") on:click=move |_| create()>{t("calendar-create")}</button>
        }
        .into_any(),
        Some(Ok(Calendar { url: None, created_at, .. })) => {
            let since = created_at.map(|at| time::date_time(&at, i18n.lang().code())).unwrap_or_default();
            view! {
                <p data-testid="calendar-active">{i18n.t_args("calendar-active", &[("since", since.into())])}</p>
                <p class="field__hint">{t("calendar-hidden")}</p>
                <div class="actions">
                    <button type="button" class="button" data-testid="calendar-rotate" on:click=move |_| confirm.set(Some("rotate"))>{t("calendar-rotate")}</button>
                    <button type="button" class="button button--danger" data-testid="calendar-revoke" on:click=move |_| confirm.set(Some("revoke"))>{t("calendar-revoke")}</button>
                </div>
            }
            .into_any()
        }
        Some(Ok(c)) => {
            let url = c.url.unwrap_or_default();
            let u2 = url.clone();
            view! {
                <label class="field__label" for="calendar-url">{t("calendar-url")}</label>
                <input class="field__input" id="calendar-url" data-testid="calendar-url" readonly value=url
                    on:focus=move |ev| {
                        if let Some(i) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlInputElement>(&event_target::<web_sys::EventTarget>(&ev)) {
                            i.select();
                        }
                    } />
                <p class="field__hint">{t("calendar-hint")}</p>
                <div class="actions">
                    <button type="button" class="button button--primary" data-testid="calendar-copy" on:click=move |_| copy(u2.clone())>
                        {move || i18n.t(if copied.get() { "calendar-copied" } else { "calendar-copy" })}
                    </button>
                    <button type="button" class="button" data-testid="calendar-rotate" on:click=move |_| confirm.set(Some("rotate"))>{t("calendar-rotate")}</button>
                    <button type="button" class="button button--danger" data-testid="calendar-revoke" on:click=move |_| confirm.set(Some("revoke"))>{t("calendar-revoke")}</button>
                </div>
            }
            .into_any()
        }
    }
    };
    view! {
        <section class="card cust-section calendar-card" data-testid="calendar" aria-labelledby="h-calendar">
            <h2 id="h-calendar">{t("calendar-title")}</h2>
            <p class="muted">{t("calendar-about")}</p>
            <ProblemAlert error=error />
            {body}
            {move || confirm.get().map(|what| view! {
                <div class="alert work-confirm" role="alertdialog" data-testid="calendar-confirm">
                    <p>{i18n.t(&format!("calendar-{what}-confirm"))}</p>
                    <div class="actions">
                        <button type="button" class="button" on:click=move |_| confirm.set(None)>{t("action-cancel")}</button>
                        <button type="button" class="button button--danger" data-testid="calendar-confirm-yes"
                            on:click=move |_| if what == "rotate" { create() } else { revoke() }>
                            {i18n.t(&format!("calendar-{what}"))}
                        </button>
                    </div>
                </div>
            })}
        </section>
    }
}
