//! A new deal (`/opportunities/new`, from a customer's page with
//! `?customer=<id>`): name, customer, pipeline and stage, amount, currency
//! and expected close date. The stage gives the probability.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use super::after_typing;
use super::deal::problem;
use super::model::{Opportunity, Pipeline, pipelines};
use super::money::parse;
use crate::api::{ApiError, Call, FieldProblem, encode};
use crate::components::ProblemAlert;
use crate::components::customers::t;
use crate::components::problem::field_error;
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;
use crate::time;

/// Currencies offered; the API takes any ISO 4217 code.
const CURRENCIES: [&str; 6] = ["CNY", "USD", "EUR", "HKD", "TWD", "JPY"];

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct CustomerRef {
    id: String,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct CustomerList {
    data: Vec<CustomerRef>,
}

#[derive(Serialize)]
struct NewDeal {
    name: String,
    customer_id: String,
    pipeline_id: String,
    stage_id: String,
    amount_minor: i64,
    currency: String,
    expected_close_on: String,
}

#[component]
pub fn NewDealPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let customer = RwSignal::new(None::<CustomerRef>);
    let all = RwSignal::new(None::<Result<Vec<Pipeline>, ApiError>>);
    let pipeline = RwSignal::new(String::new());
    let stage = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let currency = RwSignal::new("CNY".to_owned());
    let close_on = RwSignal::new(time::add_days(&time::today(), 30));
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    if let Some(id) = router.param("customer").filter(|c| !c.is_empty()) {
        spawn_local(async move {
            if let Ok(c) = session
                .get_json::<CustomerRef>(&format!("/customers/{}", encode(&id)))
                .await
            {
                let _ = customer.try_set(Some(c));
            }
        });
    }
    spawn_local(async move {
        let r = pipelines(session).await;
        if let Ok(list) = &r
            && let Some(p) = list.iter().find(|p| p.is_default).or(list.first())
        {
            pipeline.set(p.id.clone());
            stage.set(
                p.open_stages()
                    .next()
                    .map(|s| s.id().to_owned())
                    .unwrap_or_default(),
            );
        }
        let _ = all.try_set(Some(r));
    });
    let stages = move || {
        let pid = pipeline.get();
        all.with(|a| match a {
            Some(Ok(list)) => list
                .iter()
                .find(|p| p.id == pid)
                .map(|p| {
                    p.open_stages()
                        .map(|s| {
                            let sel = s.id() == stage.get_untracked();
                            view! { <option value=s.id().to_owned() selected=sel>{format!("{} · {} %", s.label(i18n), s.probability)}</option> }
                        })
                        .collect_view()
                }),
            _ => None,
        })
    };
    let pipeline_options = move || {
        all.with(|a| match a {
            Some(Ok(list)) => list
                .iter()
                .map(|p| {
                    let sel = p.id == pipeline.get_untracked();
                    view! { <option value=p.id.clone() selected=sel>{p.name.clone()}</option> }
                })
                .collect_view()
                .into_any(),
            _ => ().into_any(),
        })
    };
    let on_pipeline = move |ev: leptos::ev::Event| {
        let pid = event_target_value(&ev);
        let first = all.with_untracked(|a| match a {
            Some(Ok(list)) => list
                .iter()
                .find(|p| p.id == pid)
                .and_then(|p| p.open_stages().next().map(|s| s.id().to_owned())),
            _ => None,
        });
        stage.set(first.unwrap_or_default());
        pipeline.set(pid);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut bad: Vec<FieldProblem> = Vec::new();
        let n = name.get_untracked().trim().to_owned();
        if n.is_empty() {
            bad.push(problem("name", "sales-name-required", i18n));
        }
        let Some(c) = customer.get_untracked() else {
            bad.push(problem("customer_id", "sales-customer-required", i18n));
            error.set(Some(ApiError::invalid(bad)));
            return;
        };
        let cur = currency.get_untracked();
        let a = parse(&amount.get_untracked(), &cur);
        if a.is_none() {
            bad.push(problem("amount_minor", "sales-invalid-amount", i18n));
        }
        let close = close_on.get_untracked();
        if close.len() != 10 {
            bad.push(problem("expected_close_on", "sales-invalid-date", i18n));
        }
        if !bad.is_empty() {
            error.set(Some(ApiError::invalid(bad)));
            return;
        }
        let body = NewDeal {
            name: n,
            customer_id: c.id,
            pipeline_id: pipeline.get_untracked(),
            stage_id: stage.get_untracked(),
            amount_minor: a.unwrap_or_default(),
            currency: cur,
            expected_close_on: close,
        };
        busy.set(true);
        spawn_local(async move {
            let r = session
                .send_versioned::<Opportunity>(&Call::create("/opportunities", &body))
                .await;
            let _ = busy.try_set(false);
            match r {
                Ok(v) => router.navigate(
                    &format!("/opportunities/{}", encode(&v.data.id)),
                    false,
                    true,
                ),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let err =
        move |f: &'static str| Signal::derive(move || error.with(|e| field_error(i18n, e, f)));
    let back = move || match customer.get() {
        Some(c) => {
            view! { <a href=format!("/customers/{}", encode(&c.id))>{format!("← {}", c.name)}</a> }
                .into_any()
        }
        None => view! { <a href="/pipeline">{format!("← {}", i18n.t("sales-back-to-board"))}</a> }
            .into_any(),
    };
    view! {
        <div class="sales-page cust-form-page">
            <nav class="cust-back">{back}</nav>
            <h1>{t("sales-new-deal")}</h1>
            <form class="card cust-form" data-testid="deal-form" on:submit=submit novalidate>
                <label class="field">
                    <span class="field__label">{t("sales-deal-name")}<span class="field__required" aria-hidden="true">" *"</span></span>
                    <input class="field__input" data-testid="deal-form-name" required bind:value=name
                        aria-invalid=move || err("name").get().map(|_| "true") />
                    {move || err("name").get().map(|m| view! { <p class="field__error">{m}</p> })}
                </label>
                <CustomerPicker customer=customer error=err("customer_id") />
                <div class="cust-grid">
                    <label class="field">
                        <span class="field__label">{t("sales-pipeline")}</span>
                        <select data-testid="deal-form-pipeline" on:change=on_pipeline>{pipeline_options}</select>
                    </label>
                    <label class="field">
                        <span class="field__label">{t("sales-stage")}</span>
                        <select data-testid="deal-form-stage" on:change=move |ev| stage.set(event_target_value(&ev))>{stages}</select>
                    </label>
                    <label class="field">
                        <span class="field__label">{t("sales-amount")}<span class="field__required" aria-hidden="true">" *"</span></span>
                        <input class="field__input" inputmode="decimal" data-testid="deal-form-amount" bind:value=amount
                            aria-invalid=move || err("amount_minor").get().map(|_| "true") />
                        {move || err("amount_minor").get().map(|m| view! { <p class="field__error">{m}</p> })}
                    </label>
                    <label class="field">
                        <span class="field__label">{t("sales-currency")}</span>
                        <select data-testid="deal-form-currency" on:change=move |ev| currency.set(event_target_value(&ev))>
                            {CURRENCIES.iter().map(|c| view! { <option value=*c selected=*c == "CNY">{*c}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span class="field__label">{t("sales-close-date")}<span class="field__required" aria-hidden="true">" *"</span></span>
                        <input class="field__input" type="date" data-testid="deal-form-close" bind:value=close_on />
                        {move || err("expected_close_on").get().map(|m| view! { <p class="field__error">{m}</p> })}
                    </label>
                </div>
                <ProblemAlert error=error shown_fields=&["name", "customer_id", "amount_minor", "expected_close_on"] />
                <div class="cust-form__actions">
                    <button type="submit" class="button button--primary" data-testid="deal-form-save"
                        aria-disabled=move || busy.get().then_some("true")>{t("sales-create-deal")}</button>
                </div>
            </form>
        </div>
    }
}

/// The customer of a new deal: fixed when the page was opened from one,
/// else found by name.
#[component]
fn CustomerPicker(
    customer: RwSignal<Option<CustomerRef>>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let q = RwSignal::new(String::new());
    let hits = RwSignal::new(Vec::<CustomerRef>::new());
    let typing = StoredValue::new(0u32);
    let on_input = move |ev: leptos::ev::Event| {
        q.set(event_target_value(&ev));
        after_typing(typing, 250, move || {
            let text = q.get_untracked().trim().to_owned();
            if text.is_empty() {
                hits.set(Vec::new());
                return;
            }
            spawn_local(async move {
                if let Ok(l) = session
                    .get_json::<CustomerList>(&format!("/customers?q={}&limit=8", encode(&text)))
                    .await
                {
                    let _ = hits.try_set(l.data);
                }
            });
        });
    };
    move || {
        match customer.get() {
        Some(c) => view! {
            <div class="field">
                <span class="field__label">{i18n.t("sales-customer")}</span>
                <p class="deal-customer-chosen">
                    <strong data-testid="deal-form-customer">{c.name}</strong>
                    <button type="button" class="button button--ghost" on:click=move |_| customer.set(None)>{i18n.t("sales-change")}</button>
                </p>
            </div>
        }
        .into_any(),
        None => {
            let list = move || {
                hits.get()
                .into_iter()
                .map(|h| {
                    let pick = h.clone();
                    view! {
                        <li><button type="button" class="button button--ghost" data-testid="deal-form-customer-hit"
                            on:click=move |_| customer.set(Some(pick.clone()))>{h.name}</button></li>
                    }
                })
                .collect_view()
            };
            view! {
                <div class="field">
                    <label class="field__label" for="deal-customer">{i18n.t("sales-customer")}<span class="field__required" aria-hidden="true">" *"</span></label>
                    <input class="field__input" id="deal-customer" type="search" data-testid="deal-form-customer-search"
                        placeholder=i18n.t("sales-customer-search") prop:value=move || q.get() on:input=on_input
                        aria-invalid=move || error.get().map(|_| "true") />
                    <ul class="cust-plain deal-customer-hits">{list}</ul>
                    {move || error.get().map(|m| view! { <p class="field__error">{m}</p> })}
                </div>
            }
            .into_any()
        }
    }
    }
}
