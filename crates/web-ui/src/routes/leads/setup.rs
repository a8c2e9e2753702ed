//! How the company takes in and hands out leads (`/leads/setup`): web forms,
//! whose address is shown once when made, and assignment rules (`rules.rs`);
//! the score's weights are a page of their own (`scoring.rs`).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use super::rules::{Rule, Rules};
use crate::api::{ApiError, Call};
use crate::components::ProblemAlert;
use crate::components::customers::model::{Lookups, lookups};
use crate::i18n::I18n;
use crate::routes::work::{load_failed, skeleton};
use crate::session::Session;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Form {
    id: String,
    name: String,
    #[serde(default)]
    campaign: Option<String>,
    #[serde(default)]
    team_id: Option<String>,
    active: bool,
    #[serde(default)]
    submit_url: Option<String>,
    #[serde(default)]
    allowed_origins: Vec<String>,
}

#[derive(Serialize)]
struct NewForm {
    name: String,
    campaign: Option<String>,
    team_id: Option<String>,
    allowed_origins: Vec<String>,
}

/// The sites a form may be posted from, as typed: one per line, or
/// separated by spaces or commas.
fn origins(typed: &str) -> Vec<String> {
    typed
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(Serialize)]
struct Active {
    active: bool,
}

pub(super) fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

#[component]
pub fn LeadSetupPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let forms = RwSignal::new(None::<Result<Vec<Form>, ApiError>>);
    let rules = RwSignal::new(None::<Result<Vec<Rule>, ApiError>>);
    let names = RwSignal::new(Arc::new(Lookups::default()));
    let load = move || {
        spawn_local(async move {
            let f = session.get_json::<Vec<Form>>("/lead-forms").await;
            let _ = forms.try_set(Some(f));
            let r = session
                .get_json::<Vec<Rule>>("/lead-assignment-rules")
                .await;
            let _ = rules.try_set(Some(r));
        });
    };
    load();
    spawn_local(async move {
        if let Ok(l) = lookups(session).await {
            let _ = names.try_set(l);
        }
    });
    view! {
        <div class="cust-page">
            <nav class="cust-back"><a href="/leads">{move || format!("← {}", i18n.t("leads-title"))}</a></nav>
            <div class="cust-head">
                <h1>{move || i18n.t("leads-setup")}</h1>
                <a class="button" href="/leads/scoring" data-testid="open-scoring">{move || format!("{} →", i18n.t("lead-scoring"))}</a>
            </div>
            <Forms forms=forms names=names reload=Callback::new(move |()| load()) />
            <Rules rules=rules names=names reload=Callback::new(move |()| load()) />
        </div>
    }
}

#[component]
fn Forms(
    forms: RwSignal<Option<Result<Vec<Form>, ApiError>>>,
    names: RwSignal<Arc<Lookups>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let name = RwSignal::new(String::new());
    let campaign = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let sites = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewForm {
            name: name.get_untracked(),
            campaign: opt(&campaign.get_untracked()),
            team_id: opt(&team.get_untracked()),
            allowed_origins: origins(&sites.get_untracked()),
        };
        spawn_local(async move {
            match session
                .send_versioned::<Form>(&Call::post("/lead-forms", &body))
                .await
            {
                Ok(v) => {
                    created.set(v.data.submit_url);
                    name.set(String::new());
                    sites.set(String::new());
                    error.set(None);
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let toggle = move |id: String, active: bool| {
        spawn_local(async move {
            let call = Call::patch_no_version(format!("/lead-forms/{id}"), &Active { active });
            match session.send(&call).await {
                Ok(()) => reload.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let team_name = move |id: &Option<String>| {
        id.as_ref().map(|t| {
            names
                .with(|n| n.teams.iter().find(|u| &u.id == t).map(|u| u.name.clone()))
                .unwrap_or(t.clone())
        })
    };
    let list = move || {
        match forms.get() {
        None => skeleton(),
        Some(Err(e)) => load_failed(i18n, &e, move || reload.run(())),
        Some(Ok(fs)) => fs
            .into_iter()
            .map(|f| {
                let id = f.id.clone();
                let active = f.active;
                view! {
                    <li class="lead-setup__item" data-testid="lead-form-row">
                        <strong>{f.name.clone()}</strong>
                        <span class="muted">{[f.campaign.clone(), team_name(&f.team_id)].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</span>
                        <span class="muted" data-testid="lead-form-origins">
                            {if f.allowed_origins.is_empty() {
                                i18n.t("lead-form-any-site")
                            } else {
                                i18n.t_args("lead-form-sites", &[("sites", f.allowed_origins.join(", ").into())])
                            }}
                        </span>
                        <button type="button" class="button" data-testid="lead-form-toggle"
                            on:click=move |_| toggle(id.clone(), !active)>
                            {move || i18n.t(if active { "lead-form-switch-off" } else { "lead-form-switch-on" })}
                        </button>
                    </li>
                }
            })
            .collect_view()
            .into_any(),
    }
    };
    view! {
        <section class="card cust-section" aria-labelledby="forms-title">
            <h2 id="forms-title">{move || i18n.t("lead-forms")}</h2>
            <p class="muted">{move || i18n.t("lead-forms-hint")}</p>
            <ul class="lead-setup__list">{list}</ul>
            {move || created.get().map(|url| view! {
                <div class="alert alert--info" role="status">
                    <p>{move || i18n.t("lead-form-created")}</p>
                    <code class="lead-form-url" data-testid="lead-form-url">{url}</code>
                </div>
            })}
            <form class="cust-form" data-testid="lead-form-create" on:submit=create>
                <ProblemAlert error=error />
                <div class="field">
                    <label class="field__label" for="form-name">{move || i18n.t("lead-form-name")}</label>
                    <input id="form-name" class="field__input" data-testid="form-name" required bind:value=name />
                </div>
                <div class="field">
                    <label class="field__label" for="form-campaign">{move || i18n.t("lead-campaign")}</label>
                    <input id="form-campaign" class="field__input" data-testid="form-campaign" bind:value=campaign />
                </div>
                <div class="field">
                    <label class="field__label" for="form-team">{move || i18n.t("lead-form-queue")}</label>
                    <select id="form-team" class="field__input" data-testid="form-team" on:change=move |ev| team.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t("lead-default-queue")}</option>
                        {move || names.get().teams.iter().map(|t| view! { <option value=t.id.clone()>{t.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="form-origins">{move || i18n.t("lead-form-origins")}</label>
                    <textarea id="form-origins" class="field__input" rows="2" data-testid="form-origins"
                        placeholder="https://www.example.com" bind:value=sites></textarea>
                    <p class="field__hint muted">{move || i18n.t("lead-form-origins-hint")}</p>
                </div>
                <button type="submit" class="button button--primary" data-testid="form-create">{move || i18n.t("lead-form-create")}</button>
            </form>
        </section>
    }
}
