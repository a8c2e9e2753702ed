//! How the company takes in and hands out leads (`/leads/setup`): web forms,
//! whose address is shown once when made, and assignment rules.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

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
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Rule {
    id: String,
    position: i32,
    #[serde(default)]
    region_id: Option<String>,
    #[serde(default)]
    industry: Option<String>,
    method: String,
    #[serde(default)]
    user_ids: Vec<String>,
    #[serde(default)]
    team_id: Option<String>,
    #[serde(default)]
    capacity: Option<i32>,
}

#[derive(Serialize)]
struct NewForm {
    name: String,
    campaign: Option<String>,
    team_id: Option<String>,
}

#[derive(Serialize)]
struct Active {
    active: bool,
}

#[derive(Serialize)]
struct NewRule {
    position: i64,
    region_id: Option<String>,
    industry: Option<String>,
    method: String,
    user_ids: Vec<String>,
    team_id: Option<String>,
    capacity: Option<i64>,
}

fn opt(s: &str) -> Option<String> {
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
            <h1>{move || i18n.t("leads-setup")}</h1>
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
    let error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewForm {
            name: name.get_untracked(),
            campaign: opt(&campaign.get_untracked()),
            team_id: opt(&team.get_untracked()),
        };
        spawn_local(async move {
            match session
                .send_versioned::<Form>(&Call::post("/lead-forms", &body))
                .await
            {
                Ok(v) => {
                    created.set(v.data.submit_url);
                    name.set(String::new());
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
                <button type="submit" class="button button--primary" data-testid="form-create">{move || i18n.t("lead-form-create")}</button>
            </form>
        </section>
    }
}

#[component]
fn Rules(
    rules: RwSignal<Option<Result<Vec<Rule>, ApiError>>>,
    names: RwSignal<Arc<Lookups>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let method = RwSignal::new("round_robin".to_owned());
    let team = RwSignal::new(String::new());
    let users = RwSignal::new(Vec::<String>::new());
    let region = RwSignal::new(String::new());
    let industry = RwSignal::new(String::new());
    let capacity = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let count =
        move || rules.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, Vec::len));
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewRule {
            position: (count() as i64 + 1) * 10,
            region_id: opt(&region.get_untracked()),
            industry: opt(&industry.get_untracked()),
            method: method.get_untracked(),
            user_ids: if team.get_untracked().is_empty() {
                users.get_untracked()
            } else {
                Vec::new()
            },
            team_id: opt(&team.get_untracked()),
            capacity: capacity.get_untracked().trim().parse().ok(),
        };
        spawn_local(async move {
            match session
                .send(&Call::post("/lead-assignment-rules", &body))
                .await
            {
                Ok(()) => {
                    error.set(None);
                    users.set(Vec::new());
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = move |id: String| {
        spawn_local(async move {
            match session
                .send(&Call::delete(format!("/lead-assignment-rules/{id}")))
                .await
            {
                Ok(()) => reload.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let describe = move |r: &Rule| {
        let n = names.get();
        let unit = |units: &[crate::api::Unit], id: &str| {
            units
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.name.clone())
                .unwrap_or(id.to_owned())
        };
        let region_units: Vec<crate::api::Unit> =
            n.regions.iter().map(|(u, _)| u.clone()).collect();
        let when = [
            r.region_id.as_deref().map(|id| unit(&region_units, id)),
            r.industry.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
        let when = if when.is_empty() {
            i18n.t("lead-rule-any")
        } else {
            when.join(" · ")
        };
        let who = match &r.team_id {
            Some(t) => unit(&n.teams, t),
            None => r
                .user_ids
                .iter()
                .map(|u| {
                    n.users
                        .iter()
                        .find(|x| &x.id == u)
                        .map(|x| x.display_name.clone())
                        .unwrap_or(u.clone())
                })
                .collect::<Vec<_>>()
                .join(", "),
        };
        let cap = r
            .capacity
            .map(|c| i18n.t_args("lead-rule-capacity-n", &[("count", c.into())]));
        format!(
            "{when} → {who} ({}){}",
            i18n.t(&format!("lead-method-{}", r.method)),
            cap.map(|c| format!(" · {c}")).unwrap_or_default()
        )
    };
    let list = move || {
        match rules.get() {
        None => skeleton(),
        Some(Err(e)) => load_failed(i18n, &e, move || reload.run(())),
        Some(Ok(rs)) => rs
            .into_iter()
            .map(|r| {
                let id = r.id.clone();
                view! {
                    <li class="lead-setup__item" data-testid="lead-rule-row">
                        <span>{format!("{}. ", r.position)}{describe(&r)}</span>
                        <button type="button" class="button button--danger" data-testid="lead-rule-delete"
                            on:click=move |_| remove(id.clone())>{move || i18n.t("action-delete")}</button>
                    </li>
                }
            })
            .collect_view()
            .into_any(),
    }
    };
    view! {
        <section class="card cust-section" aria-labelledby="rules-title">
            <h2 id="rules-title">{move || i18n.t("lead-rules")}</h2>
            <p class="muted">{move || i18n.t("lead-rules-hint")}</p>
            <ol class="lead-setup__list">{list}</ol>
            <form class="cust-form" data-testid="lead-rule-create" on:submit=create>
                <ProblemAlert error=error />
                <div class="field">
                    <label class="field__label" for="rule-region">{move || i18n.t("lead-rule-region")}</label>
                    <select id="rule-region" class="field__input" on:change=move |ev| region.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t("lead-rule-any")}</option>
                        {move || names.get().regions.iter().map(|(u, depth)| view! {
                            <option value=u.id.clone()>{format!("{}{}", "\u{3000}".repeat(*depth), u.name)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="rule-industry">{move || i18n.t("lead-industry")}</label>
                    <input id="rule-industry" class="field__input" bind:value=industry />
                </div>
                <div class="field">
                    <label class="field__label" for="rule-method">{move || i18n.t("lead-rule-method")}</label>
                    <select id="rule-method" class="field__input" data-testid="rule-method" on:change=move |ev| method.set(event_target_value(&ev))>
                        <option value="round_robin">{move || i18n.t("lead-method-round_robin")}</option>
                        <option value="least_loaded">{move || i18n.t("lead-method-least_loaded")}</option>
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="rule-team">{move || i18n.t("lead-rule-team")}</label>
                    <select id="rule-team" class="field__input" data-testid="rule-team" on:change=move |ev| team.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t("lead-rule-pick-users")}</option>
                        {move || names.get().teams.iter().map(|t| view! { <option value=t.id.clone()>{t.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <Show when=move || team.with(String::is_empty)>
                    <fieldset class="field">
                        <legend class="field__label">{move || i18n.t("lead-rule-users")}</legend>
                        {move || names.get().users.iter().filter(|u| u.is_active).map(|u| {
                            let id = u.id.clone();
                            let id2 = u.id.clone();
                            view! {
                                <label class="lead-rule-user">
                                    <input type="checkbox" data-testid="rule-user"
                                        prop:checked=move || users.with(|s| s.contains(&id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            users.update(|s| {
                                                s.retain(|x| x != &id2);
                                                if on { s.push(id2.clone()); }
                                            });
                                        } />
                                    " "{u.display_name.clone()}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                </Show>
                <div class="field">
                    <label class="field__label" for="rule-capacity">{move || i18n.t("lead-rule-capacity")}</label>
                    <input id="rule-capacity" class="field__input" type="number" min="1" inputmode="numeric" data-testid="rule-capacity" bind:value=capacity />
                </div>
                <button type="submit" class="button button--primary" data-testid="rule-create">{move || i18n.t("lead-rule-create")}</button>
            </form>
        </section>
    }
}
