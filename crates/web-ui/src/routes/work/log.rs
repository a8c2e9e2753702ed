//! Logging an activity that happened, or planning one, for a customer: the
//! page behind the customer's quick buttons (`/customers/{id}/log?kind=visit`),
//! and the same form for changing an activity. Prefilled so that logging a
//! visit is one tap on Save: kind from the button, done now.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::js_sys::{Function, Reflect};

use super::model::{Activity, ActivityBody, ContactName, CustomerName, Place};
use super::{KINDS, customer_not_found, load_failed, skeleton};
use crate::api::{ApiError, Call, Page};
use crate::components::customers::form::{AreaField, SelectField, err_for, focus_first_invalid};
use crate::components::customers::t;
use crate::components::{ProblemAlert, TextField};
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;
use crate::time;

/// Fields the form shows its own messages for.
const FIELDS: &[&str] = &[
    "kind",
    "subject",
    "notes",
    "contact_id",
    "due_at",
    "done_at",
    "outcome",
    "place",
    "next_follow_up_on",
];

#[component]
pub fn LogActivityPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let id = router.segment(1);
    let kind = router
        .param("kind")
        .filter(|k| KINDS.contains(&k.as_str()))
        .unwrap_or_else(|| "visit".into());
    let plan = router.param("plan").is_some() || kind == "task";
    let customer = RwSignal::new(None::<Result<CustomerName, ApiError>>);
    let cid = StoredValue::new(id);
    let load = move || {
        customer.set(None);
        spawn_local(async move {
            let r = session
                .get_json::<CustomerName>(&format!(
                    "/customers/{}",
                    crate::api::encode(&cid.get_value())
                ))
                .await;
            let _ = customer.try_set(Some(r));
        });
    };
    load();
    let kind = StoredValue::new(kind);
    move || match customer.get() {
        None => skeleton(),
        Some(Err(e)) if matches!(e.status(), Some(404 | 400)) => customer_not_found(i18n),
        Some(Err(e)) => load_failed(i18n, &e, load),
        Some(Ok(c)) => {
            let back = format!("/customers/{}", c.id);
            let timeline = format!("/customers/{}/timeline", c.id);
            view! {
                <div class="cust-page work-form-page">
                    <nav class="cust-back"><a href=back.clone()>{format!("← {}", c.name)}</a></nav>
                    <h1>{move || i18n.t(if plan { "activity-plan-title" } else { "activity-log-title" })}</h1>
                    <ActivityForm
                        customer_id=c.id.clone()
                        kind=kind.get_value()
                        plan=plan
                        existing=None
                        on_saved=Callback::new(move |a: Activity| {
                            router.navigate(&format!("{timeline}?saved={}", a.id), false, true);
                        })
                        cancel_href=back
                    />
                </div>
            }
            .into_any()
        }
    }
}

/// The form: new (`existing` is `None`) or a change to an activity.
#[component]
pub fn ActivityForm(
    customer_id: String,
    kind: String,
    /// Start as planned (due) rather than done.
    plan: bool,
    existing: Option<Activity>,
    on_saved: Callback<Activity>,
    /// Where Cancel leads (a link), when not `on_cancel`.
    #[prop(optional, into)]
    cancel_href: Option<String>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let ex = existing.clone();
    let text = |f: fn(&Activity) -> Option<String>| {
        RwSignal::new(ex.as_ref().and_then(f).unwrap_or_default())
    };
    let kind = RwSignal::new(ex.as_ref().map(|a| a.kind.clone()).unwrap_or(kind));
    let planned = RwSignal::new(ex.as_ref().map(|a| a.is_open()).unwrap_or(plan));
    let done_at = RwSignal::new(
        ex.as_ref()
            .and_then(|a| a.done_at.as_deref().map(time::to_local))
            .unwrap_or_else(time::now_local),
    );
    let done_touched = RwSignal::new(false);
    let due = RwSignal::new(
        ex.as_ref()
            .and_then(|a| a.due_at.as_deref().map(time::to_local))
            .unwrap_or_else(|| format!("{}T09:00", time::add_days(&time::today(), 1))),
    );
    let all_day = RwSignal::new(ex.as_ref().is_some_and(|a| a.all_day));
    let due_date = RwSignal::new(due.get_untracked().chars().take(10).collect::<String>());
    let subject = text(|a| a.subject.clone());
    let notes = text(|a| a.notes.clone());
    let outcome = text(|a| a.outcome.clone());
    let follow_up = text(|a| a.next_follow_up_on.clone());
    let contact = text(|a| a.contact.as_ref().map(|c| c.id.clone()));
    let place = text(|a| a.place.as_ref().and_then(|p| p.label.clone()));
    let coords = RwSignal::new(
        ex.as_ref()
            .and_then(|a| a.place.as_ref())
            .and_then(|p| p.lat.zip(p.lon)),
    );
    let locating = RwSignal::new(None::<&'static str>);
    let errors = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let contacts = RwSignal::new(Vec::<(String, String)>::new());
    let cid = StoredValue::new(customer_id);
    let editing = StoredValue::new(existing);
    spawn_local(async move {
        let path = format!(
            "/customers/{}/contacts?limit=200",
            crate::api::encode(&cid.get_value())
        );
        // without the contacts the form still works: the list stays empty
        if let Ok(p) = session.get_json::<Page<ContactName>>(&path).await {
            let mut options = vec![(String::new(), i18n.t("activity-no-contact"))];
            options.extend(p.data.into_iter().map(|c| {
                let label = match c.title {
                    Some(t) if !t.is_empty() => format!("{} · {t}", c.name),
                    _ => c.name,
                };
                (c.id, label)
            }));
            let _ = contacts.try_set(options);
        }
    });
    // a note is a record of what happened: it has no due time
    let is_note = move || kind.get() == "note";
    let planning = move || planned.get() && !is_note();

    let locate = move |_| {
        locating.set(Some("activity-locating"));
        let ok = Closure::<dyn Fn(wasm_bindgen::JsValue)>::new(move |pos| {
            let c = Reflect::get(&pos, &"coords".into()).unwrap_or_default();
            let n = |k: &str| Reflect::get(&c, &k.into()).ok().and_then(|v| v.as_f64());
            if let (Some(lat), Some(lon)) = (n("latitude"), n("longitude")) {
                // four decimals: about 10 m, as precise as a visit needs
                let r = |x: f64| (x * 10_000.0).round() / 10_000.0;
                let _ = coords.try_set(Some((r(lat), r(lon))));
                if place.get_untracked().trim().is_empty() {
                    let _ = place.try_set(format!("{:.4}, {:.4}", r(lat), r(lon)));
                }
                let _ = locating.try_set(None);
            }
        });
        let failed = Closure::<dyn Fn()>::new(move || {
            let _ = locating.try_set(Some("activity-location-failed"));
        });
        let geo = Reflect::get(&window().navigator(), &"geolocation".into()).ok();
        let get = geo
            .as_ref()
            .and_then(|g| Reflect::get(g, &"getCurrentPosition".into()).ok())
            .and_then(|f| f.dyn_into::<Function>().ok());
        match (geo, get) {
            (Some(g), Some(f)) => {
                let _ = f.call2(
                    &g,
                    ok.as_ref().unchecked_ref(),
                    failed.as_ref().unchecked_ref(),
                );
            }
            _ => locating.set(Some("activity-location-failed")),
        }
        // called at most once each, after this handler returns
        ok.forget();
        failed.forget();
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let opt = |s: RwSignal<String>| {
            let v = s.get_untracked().trim().to_owned();
            (!v.is_empty()).then_some(v)
        };
        let planning = planning_untracked(planned, kind);
        let is_edit = editing.with_value(Option::is_some);
        let mut body = ActivityBody {
            kind: kind.get_untracked(),
            subject: opt(subject),
            notes: opt(notes),
            contact_id: opt(contact),
            all_day: planning && all_day.get_untracked(),
            outcome: if planning { None } else { opt(outcome) },
            place: opt(place).map(|label| Place {
                label: Some(label),
                lat: coords.get_untracked().map(|c| c.0),
                lon: coords.get_untracked().map(|c| c.1),
            }),
            next_follow_up_on: opt(follow_up),
            ..ActivityBody::default()
        };
        let bad = |field: &str| {
            ApiError::invalid(vec![crate::api::FieldProblem {
                field: field.into(),
                code: "required".into(),
                message: String::new(),
            }])
        };
        if planning {
            let local = if all_day.get_untracked() {
                format!("{}T00:00", due_date.get_untracked())
            } else {
                due.get_untracked()
            };
            let Some(utc) = time::to_utc(&local) else {
                errors.set(Some(bad("due_at")));
                focus_first_invalid();
                return;
            };
            body.due_at = Some(Some(utc));
            if is_edit {
                body.done_at = Some(None);
            }
        } else if done_touched.get_untracked() || is_edit {
            let Some(utc) = time::to_utc(&done_at.get_untracked()) else {
                errors.set(Some(bad("done_at")));
                focus_first_invalid();
                return;
            };
            body.done_at = Some(Some(utc));
        } else {
            body.done = Some(true);
        }
        pending.set(true);
        errors.set(None);
        spawn_local(async move {
            let call = match editing.get_value() {
                Some(a) => Call::patch(format!("/activities/{}", a.id), &a.etag(), &body),
                None => Call::create(
                    format!(
                        "/customers/{}/activities",
                        crate::api::encode(&cid.get_value())
                    ),
                    &body,
                ),
            };
            match session.send_versioned::<Activity>(&call).await {
                Ok(v) => {
                    let _ = pending.try_set(false);
                    on_saved.run(v.data);
                }
                Err(e) => {
                    let _ = errors.try_set(Some(e));
                    let _ = pending.try_set(false);
                    focus_first_invalid();
                }
            }
        });
    };

    let kinds = KINDS
        .iter()
        .map(|k| {
            let k = *k;
            view! {
                <label class="chip-choice">
                    <input type="radio" name="activity-kind" value=k data-testid=format!("kind-{k}")
                        prop:checked=move || kind.get() == k
                        on:change=move |_| kind.set(k.to_owned()) />
                    <span>{move || i18n.t(&format!("activity-kind-{k}"))}</span>
                </label>
            }
        })
        .collect_view();
    let mode = move |value: bool, key: &'static str, testid: &'static str| {
        view! {
            <label class="chip-choice">
                <input type="radio" name="activity-mode" data-testid=testid
                    prop:checked=move || planned.get() == value
                    on:change=move |_| planned.set(value) />
                <span>{move || i18n.t(key)}</span>
            </label>
        }
    };
    let when = move || {
        if planning() {
            view! {
                <div class="work-when">
                    {move || if all_day.get() {
                        view! { <TextField id="activity-due-date" label=t("activity-due") kind="date" autocomplete="off" value=due_date error=err_for(errors, "due_at") /> }.into_any()
                    } else {
                        view! { <TextField id="activity-due" label=t("activity-due") kind="datetime-local" autocomplete="off" value=due error=err_for(errors, "due_at") /> }.into_any()
                    }}
                    <label class="cust-check">
                        <input type="checkbox" data-testid="activity-all-day" prop:checked=all_day
                            on:change=move |ev| all_day.set(event_target_checked(&ev)) />
                        {t("activity-all-day")}
                    </label>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="field">
                    <label class="field__label" for="activity-done-at">{t("activity-done-at")}</label>
                    <input class="field__input" id="activity-done-at" data-testid="activity-done-at" type="datetime-local"
                        prop:value=done_at
                        on:input=move |ev| { done_touched.set(true); done_at.set(event_target_value(&ev)); } />
                    {move || err_for(errors, "done_at").get().map(|m| view! { <p class="field__error">{m}</p> })}
                </div>
            }
            .into_any()
        }
    };
    let cancel = move || {
        match (on_cancel, cancel_href.clone()) {
        (Some(cb), _) => view! {
            <button type="button" class="button" on:click=move |_| cb.run(())>{t("action-cancel")}</button>
        }
        .into_any(),
        (None, href) => view! {
            <a class="button" href=href.unwrap_or_else(|| "/day".into())>{t("action-cancel")}</a>
        }
        .into_any(),
    }
    };
    let zone = time::zone();
    view! {
        <form class="card work-form" novalidate data-testid="activity-form" on:submit=on_submit
            aria-busy=move || pending.get().to_string()>
            <ProblemAlert error=errors shown_fields=FIELDS />
            <fieldset class="chip-group" data-testid="activity-kinds">
                <legend class="field__label">{t("activity-kind")}</legend>
                {kinds}
            </fieldset>
            <Show when=move || !is_note()>
                <fieldset class="chip-group">
                    <legend class="visually-hidden">{t("activity-mode")}</legend>
                    {mode(false, "activity-mode-done", "mode-done")}
                    {mode(true, "activity-mode-plan", "mode-plan")}
                </fieldset>
            </Show>
            {when}
            <p class="field__hint work-zone">{i18n.t_args("activity-zone", &[("zone", zone.into())])}</p>
            <TextField id="activity-subject" label=t("activity-subject") kind="text" autocomplete="off" value=subject error=err_for(errors, "subject") />
            <AreaField id="activity-notes" label_key="activity-notes" value=notes error=err_for(errors, "notes") />
            <Show when=move || !planning()>
                <AreaField id="activity-outcome" label_key="activity-outcome" value=outcome error=err_for(errors, "outcome") />
            </Show>
            <TextField id="activity-follow-up" label=t("activity-follow-up") kind="date" autocomplete="off" value=follow_up error=err_for(errors, "next_follow_up_on") />
            <Show when=move || contacts.with(|c| c.len() > 1)>
                <SelectField id="activity-contact" label_key="activity-contact" options=contacts value=contact error=err_for(errors, "contact_id") />
            </Show>
            <div class="work-place">
                <TextField id="activity-place" label=t("activity-place") kind="text" autocomplete="off" value=place error=err_for(errors, "place") />
                <button type="button" class="button" data-testid="activity-locate" on:click=locate
                    aria-disabled=move || (locating.get() == Some("activity-locating")).then_some("true")>
                    {t("activity-use-location")}
                </button>
                {move || locating.get().map(|k| view! { <p class="field__hint" role="status" data-testid="activity-locate-status">{i18n.t(k)}</p> })}
            </div>
            <div class="cust-form__actions">
                {cancel}
                <button type="submit" class="button button--primary" data-testid="activity-save"
                    aria-disabled=move || pending.get().then_some("true")>
                    {move || if pending.get() { i18n.t("saving") } else { i18n.t("action-save") }}
                </button>
            </div>
        </form>
    }
}

fn planning_untracked(planned: RwSignal<bool>, kind: RwSignal<String>) -> bool {
    planned.get_untracked() && kind.get_untracked() != "note"
}
