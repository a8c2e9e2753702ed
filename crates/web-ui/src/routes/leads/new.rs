//! Entering a lead by hand. Nothing typed is lost when the API refuses it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use super::{Lead, SOURCES, source_label};
use crate::api::{ApiError, Call};
use crate::components::problem::field_error;
use crate::components::{ProblemAlert, TextField};
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;

#[derive(Serialize)]
struct NewLead {
    name: String,
    company: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    industry: Option<String>,
    source: String,
    campaign: Option<String>,
    notes: Option<String>,
}

fn opt(s: RwSignal<String>) -> Option<String> {
    let v = s.get_untracked().trim().to_owned();
    (!v.is_empty()).then_some(v)
}

const FIELDS: &[&str] = &[
    "name", "company", "phone", "email", "industry", "source", "campaign", "notes",
];

#[component]
pub fn NewLeadPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let [name, company, phone, email, industry, campaign, notes] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let source = RwSignal::new("manual".to_owned());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let body = NewLead {
            name: name.get_untracked().trim().to_owned(),
            company: opt(company),
            phone: opt(phone),
            email: opt(email),
            industry: opt(industry),
            source: source.get_untracked(),
            campaign: opt(campaign),
            notes: opt(notes),
        };
        pending.set(true);
        spawn_local(async move {
            match session
                .send_versioned::<Lead>(&Call::create("/leads", &body))
                .await
            {
                Ok(v) => router.navigate(&format!("/leads/{}", v.data.id), false, true),
                Err(e) => {
                    error.set(Some(e));
                    pending.set(false);
                }
            }
        });
    };
    let err =
        move |f: &'static str| Signal::derive(move || error.with(|e| field_error(i18n, e, f)));
    let label = move |k: &'static str| Signal::derive(move || i18n.t(k));
    view! {
        <div class="cust-page cust-form-page">
            <nav class="cust-back"><a href="/leads">{move || format!("← {}", i18n.t("leads-title"))}</a></nav>
            <h1 id="new-lead-title">{move || i18n.t("leads-new")}</h1>
            <form class="cust-form" novalidate aria-labelledby="new-lead-title" data-testid="lead-form"
                aria-busy=move || pending.get().to_string() on:submit=on_submit>
                <ProblemAlert error=error shown_fields=FIELDS />
                <section class="card cust-section">
                    <TextField id="name" label=label("lead-name") required=true kind="text" autocomplete="name" value=name error=err("name") />
                    <TextField id="company" label=label("lead-company") kind="text" autocomplete="organization" value=company error=err("company") />
                    <TextField id="phone" label=label("lead-phone") kind="tel" autocomplete="tel" value=phone error=err("phone") />
                    <TextField id="email" label=label("lead-email") kind="email" autocomplete="email" value=email error=err("email") />
                    <TextField id="industry" label=label("lead-industry") kind="text" autocomplete="off" value=industry error=err("industry") />
                    <div class="field">
                        <label class="field__label" for="source">{move || i18n.t("lead-source")}</label>
                        <select id="source" class="field__input" data-testid="source" on:change=move |ev| source.set(event_target_value(&ev))>
                            {SOURCES.iter().map(|s| view! { <option value=*s selected=*s == "manual">{move || source_label(i18n, s)}</option> }).collect_view()}
                        </select>
                    </div>
                    <TextField id="campaign" label=label("lead-campaign") kind="text" autocomplete="off" value=campaign error=err("campaign") />
                    <div class="field">
                        <label class="field__label" for="notes">{move || i18n.t("lead-notes")}</label>
                        <textarea id="notes" class="field__input" rows="3" data-testid="notes" bind:value=notes></textarea>
                    </div>
                </section>
                <div class="cust-form__actions">
                    <a href="/leads" class="button">{move || i18n.t("action-cancel")}</a>
                    <button type="submit" class="button button--primary" data-testid="lead-save"
                        aria-disabled=move || pending.get().then_some("true")>
                        {move || if pending.get() { i18n.t("saving") } else { i18n.t("leads-create") }}
                    </button>
                </div>
            </form>
        </div>
    }
}
