//! "Remind me": a reminder set by hand on a customer or an activity, and the
//! reader's upcoming ones for the same record, which they can cancel.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, Call};
use crate::components::customers::form::err_for;
use crate::components::customers::t;
use crate::components::{ProblemAlert, TextField};
use crate::i18n::I18n;
use crate::session::Session;
use crate::time;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Reminder {
    id: String,
    remind_at: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    customer_id: Option<String>,
    #[serde(default)]
    activity_id: Option<String>,
    #[serde(default)]
    fired_at: Option<String>,
}

#[derive(Serialize)]
struct NewReminder {
    remind_at: String,
    note: String,
    customer_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    activity_id: Option<String>,
}

#[component]
pub fn RemindMe(
    customer_id: String,
    activity_id: Option<String>,
    /// What the note says until the reader writes their own.
    note: String,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let open = RwSignal::new(false);
    let at = RwSignal::new(format!("{}T09:00", time::add_days(&time::today(), 1)));
    let first_note = StoredValue::new(note);
    let note = RwSignal::new(first_note.get_value());
    let errors = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let mine = RwSignal::new(Vec::<Reminder>::new());
    let target = StoredValue::new((customer_id, activity_id));
    let load = move || {
        spawn_local(async move {
            // upcoming first; the few for this record are among the first page
            if let Ok(p) = session
                .get_json::<crate::api::Page<Reminder>>("/reminders?limit=200")
                .await
            {
                let (c, a) = target.get_value();
                let here = p
                    .data
                    .into_iter()
                    .filter(|r| r.fired_at.is_none())
                    .filter(|r| match &a {
                        Some(a) => r.activity_id.as_ref() == Some(a),
                        None => r.customer_id.as_ref() == Some(&c) && r.activity_id.is_none(),
                    })
                    .collect();
                let _ = mine.try_set(here);
            }
        });
    };
    load();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Some(remind_at) = time::to_utc(&at.get_untracked()) else {
            errors.set(Some(ApiError::invalid(vec![crate::api::FieldProblem {
                field: "remind_at".into(),
                code: "required".into(),
                message: String::new(),
            }])));
            return;
        };
        let (customer_id, activity_id) = target.get_value();
        let body = NewReminder {
            remind_at,
            note: note.get_untracked().trim().to_owned(),
            customer_id,
            activity_id,
        };
        pending.set(true);
        spawn_local(async move {
            match session.send(&Call::create("/reminders", &body)).await {
                Ok(()) => {
                    let _ = open.try_set(false);
                    let _ = note.try_set(first_note.get_value());
                    let _ = errors.try_set(None);
                    load();
                }
                Err(e) => {
                    let _ = errors.try_set(Some(e));
                }
            }
            let _ = pending.try_set(false);
        });
    };
    let cancel_reminder = move |id: String| {
        spawn_local(async move {
            if session
                .send(&Call::delete(format!("/reminders/{id}")))
                .await
                .is_ok()
            {
                let _ = mine.try_update(|m| m.retain(|r| r.id != id));
            }
        });
    };
    let list = move || {
        let lang = i18n.lang().code();
        if mine.with(Vec::is_empty) && !open.get() {
            return view! { <li class="muted" data-testid="no-reminders">{i18n.t("reminder-none")}</li> }.into_any();
        }
        mine.get()
            .into_iter()
            .map(|r| {
                let id = r.id.clone();
                view! {
                    <li class="work-reminder" data-testid="reminder">
                        <span>
                            <strong>{time::date_time(&r.remind_at, lang)}</strong>
                            {(!r.note.is_empty()).then(|| format!(" · {}", r.note))}
                        </span>
                        <button type="button" class="button button--ghost" data-testid="reminder-cancel"
                            on:click=move |_| cancel_reminder(id.clone())>{t("reminder-cancel")}</button>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card cust-section work-remind" data-testid="remind-me" aria-labelledby="h-remind">
            <div class="cust-section__head">
                <h2 id="h-remind">{t("reminder-title")}</h2>
                <Show when=move || !open.get()>
                    <button type="button" class="button button--ghost" data-testid="remind-open" on:click=move |_| open.set(true)>
                        {move || format!("+ {}", i18n.t("reminder-add"))}
                    </button>
                </Show>
            </div>
            <ul class="cust-plain" data-testid="reminders">{list}</ul>
            <Show when=move || open.get()>
                <form class="cust-contact-form" novalidate data-testid="remind-form" on:submit=on_submit>
                    <ProblemAlert error=errors shown_fields=&["remind_at", "note"] />
                    <TextField id="remind-at" label=t("reminder-at") kind="datetime-local" autocomplete="off" value=at error=err_for(errors, "remind_at") />
                    <TextField id="remind-note" label=t("reminder-note") required=true kind="text" autocomplete="off" value=note error=err_for(errors, "note") />
                    <div class="actions cust-edit__actions">
                        <button type="button" class="button" on:click=move |_| open.set(false)>{t("action-cancel")}</button>
                        <button type="submit" class="button button--primary" data-testid="remind-save"
                            aria-disabled=move || pending.get().then_some("true")>{t("reminder-save")}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
