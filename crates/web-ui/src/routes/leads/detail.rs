//! One lead (`/leads/{id}`): its details, its score explained rule by rule,
//! status changes, and conversion into a customer and contact, where a
//! likely duplicate customer is offered to attach to instead.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use super::{Lead, STATUSES, source_label, status_badge, status_label};
use crate::api::{ApiError, Call, Versioned};
use crate::components::ProblemAlert;
use crate::i18n::I18n;
use crate::router::Router;
use crate::routes::work::{load_failed, skeleton};
use crate::session::Session;

#[component]
pub fn LeadPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let id = StoredValue::new(router.segment(1));
    let lead = RwSignal::new(None::<Result<Versioned<Lead>, ApiError>>);
    let load = move || {
        lead.set(None);
        spawn_local(async move {
            let r = session
                .get_versioned::<Lead>(&format!("/leads/{}", crate::api::encode(&id.get_value())))
                .await;
            let _ = lead.try_set(Some(r));
        });
    };
    load();
    move || match lead.get() {
        None => skeleton(),
        Some(Err(e)) if matches!(e.status(), Some(404)) => view! {
            <div class="empty card" data-testid="lead-not-found">
                <h1>{i18n.t("lead-not-found")}</h1>
                <a href="/leads" class="button button--primary">{i18n.t("leads-title")}</a>
            </div>
        }
        .into_any(),
        Some(Err(e)) => load_failed(i18n, &e, load),
        Some(Ok(v)) => {
            view! { <Loaded lead=v on_change=Callback::new(move |v| lead.set(Some(Ok(v)))) /> }
                .into_any()
        }
    }
}

#[derive(Serialize)]
struct StatusChange<'a> {
    status: &'a str,
}

#[component]
fn Loaded(lead: Versioned<Lead>, on_change: Callback<Versioned<Lead>>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let l = lead.data.clone();
    let etag = StoredValue::new(lead.etag.clone());
    let path = StoredValue::new(format!("/leads/{}", l.id));
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let allowed = l.allowed.unwrap_or_default();
    let set_status = move |s: &'static str| {
        busy.set(true);
        spawn_local(async move {
            let call = Call::patch(
                path.get_value(),
                &etag.get_value(),
                &StatusChange { status: s },
            );
            match session.send_versioned::<Lead>(&call).await {
                Ok(v) => on_change.run(v),
                Err(e) => error.set(Some(e)),
            }
            let _ = busy.try_set(false);
        });
    };
    let fact = |key: &'static str, v: Option<String>, testid: &'static str| {
        v.filter(|v| !v.is_empty()).map(|v| {
            view! { <div><dt>{move || i18n.t(key)}</dt><dd data-testid=testid>{v}</dd></div> }
        })
    };
    let parts = l
        .score_parts
        .iter()
        .map(|p| {
            let rule = p.rule.replace('.', "-");
            let label = i18n
                .try_t(&format!("lead-rule-{rule}"))
                .unwrap_or(p.rule.clone());
            let value = p.value.clone().map(|v| match p.rule.as_str() {
                "source" => source_label(i18n, &v),
                _ => v,
            });
            view! {
                <li class="lead-score__part" data-testid=format!("score-{rule}")>
                    <span class="lead-score__rule">{label}{value.map(|v| format!(" · {v}"))}</span>
                    <strong class="lead-score__points">{format!("+{}", p.points)}</strong>
                </li>
            }
        })
        .collect_view();
    let status = l.status.clone();
    let may_change = allowed.update && status != "converted";
    let transitions = STATUSES
        .iter()
        .filter(|s| **s != status)
        .map(|s| {
            let s: &'static str = s;
            view! {
                <button type="button" class="button" data-testid=format!("status-{s}")
                    aria-disabled=move || busy.get().then_some("true")
                    on:click=move |_| if !busy.get_untracked() { set_status(s) }>
                    {move || status_label(i18n, s)}
                </button>
            }
        })
        .collect_view();
    let with_deal = l.converted_opportunity_id.is_some();
    let converted = l.converted_customer_id.clone().map(|c| {
        view! {
            <p class="alert alert--success" role="status" data-testid="lead-converted">
                {move || i18n.t("lead-converted")}" "
                {with_deal.then(|| view! { <span data-testid="lead-converted-deal">{move || i18n.t("lead-converted-deal")}" "</span> })}
                <a href=format!("/customers/{c}") data-testid="converted-customer">{move || i18n.t("lead-open-customer")}</a>
            </p>
        }
    });
    view! {
        <div class="cust-page">
            <nav class="cust-back"><a href="/leads">{move || format!("← {}", i18n.t("leads-title"))}</a></nav>
            <header class="card cust-hero">
                <div class="cust-hero__top">
                    <h1 data-testid="lead-heading">{l.name.clone()}</h1>
                    {status_badge(i18n, &status)}
                </div>
                <dl class="cust-facts">
                    {fact("lead-company", l.company.clone(), "lead-company")}
                    {fact("lead-phone", l.phone.clone(), "lead-phone")}
                    {fact("lead-email", l.email.clone(), "lead-email")}
                    {fact("lead-industry", l.industry.clone(), "lead-industry")}
                    {fact("lead-source", Some(source_label(i18n, &l.source)), "lead-source")}
                    {fact("lead-campaign", l.campaign.clone(), "lead-campaign")}
                    {fact("lead-owner", Some(l.owner_name.clone().unwrap_or_else(|| i18n.t("leads-queue"))), "lead-owner")}
                </dl>
                {l.notes.clone().map(|n| view! { <p class="cust-notes">{n}</p> })}
                {converted}
                <ProblemAlert error=error />
                {may_change.then(|| view! {
                    <div class="cust-hero__actions" role="group" aria-label=move || i18n.t("lead-change-status")>{transitions}</div>
                })}
            </header>
            <section class="card lead-score" aria-labelledby="score-title" data-testid="lead-score-card">
                <h2 id="score-title">
                    {move || i18n.t("lead-score")}" "
                    <span class="lead-score__total" data-testid="lead-score-total">{l.score}</span>
                </h2>
                <p class="muted">
                    {move || i18n.t("lead-score-hint")}
                    // who may change the weights can go there from here
                    {move || session.me().is_some_and(|m| m.can("sales_setup", "update")).then(|| view! {
                        " "<a href="/leads/scoring" data-testid="lead-scoring-link">{i18n.t("lead-scoring-change")}</a>
                    })}
                </p>
                <ul class="lead-score__parts">{parts}</ul>
            </section>
            {allowed.convert.then(|| view! { <Convert lead=l.clone() etag=etag.get_value() on_done=on_change /> })}
        </div>
    }
}

#[derive(Serialize, Default)]
struct ConvertCustomer {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    existing_customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_reason: Option<String>,
}

#[derive(Serialize, Clone)]
struct ConvertDeal {
    name: String,
    amount_minor: i64,
    currency: String,
    expected_close_on: String,
}

#[derive(Serialize)]
struct ConvertBody {
    customer: ConvertCustomer,
    contact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    opportunity: Option<ConvertDeal>,
}

/// An amount as typed (`12000`, `12,000.5`) in minor units (分), or `None`
/// when it is not a plain amount with at most two decimals.
pub fn minor_units(typed: &str) -> Option<i64> {
    let t: String = typed
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != ' ')
        .collect();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let cents = format!("{frac:0<2}").parse::<i64>().ok()?;
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

#[derive(serde::Deserialize)]
struct Converted {
    lead: Lead,
}

/// Conversion: a customer named after the lead's company (editable), a
/// contact for the person; on a likely duplicate, the existing customers to
/// attach to, or a reason to create a new one anyway.
#[component]
fn Convert(lead: Lead, etag: String, on_done: Callback<Versioned<Lead>>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let name = RwSignal::new(lead.company.clone().unwrap_or(lead.name.clone()));
    let contact = RwSignal::new(true);
    let with_deal = RwSignal::new(false);
    let deal_name = RwSignal::new(lead.company.clone().unwrap_or(lead.name.clone()));
    let amount = RwSignal::new(String::new());
    let currency = RwSignal::new("CNY".to_owned());
    let close_on = RwSignal::new(String::new());
    let amount_error = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let path = StoredValue::new(format!("/leads/{}/convert", lead.id));
    let etag = StoredValue::new(etag);
    let go = move |customer: ConvertCustomer| {
        if busy.get_untracked() {
            return;
        }
        let opportunity = if with_deal.get_untracked() {
            let Some(minor) = minor_units(&amount.get_untracked()) else {
                amount_error.set(true);
                return;
            };
            amount_error.set(false);
            Some(ConvertDeal {
                name: deal_name.get_untracked(),
                amount_minor: minor,
                currency: currency.get_untracked(),
                expected_close_on: close_on.get_untracked(),
            })
        } else {
            None
        };
        busy.set(true);
        let body = ConvertBody {
            customer,
            contact: contact.get_untracked(),
            opportunity,
        };
        spawn_local(async move {
            let mut call = Call::post(path.get_value(), &body);
            call.if_match = Some(etag.get_value());
            match session.send_versioned::<Converted>(&call).await {
                Ok(v) => on_done.run(Versioned {
                    data: v.data.lead,
                    etag: v.etag,
                }),
                Err(e) => {
                    error.set(Some(e));
                    let _ = busy.try_set(false);
                }
            }
        });
    };
    let duplicates = move || {
        error.with(|e| match e {
            Some(ApiError::Problem(p)) if p.slug() == "duplicate" => p.duplicates.clone(),
            _ => None,
        })
    };
    let other_error = Signal::derive(move || error.get().filter(|_| duplicates().is_none()));
    view! {
        <section class="card cust-section" aria-labelledby="convert-title" data-testid="lead-convert">
            <h2 id="convert-title">{move || i18n.t("lead-convert")}</h2>
            <p class="muted">{move || i18n.t("lead-convert-hint")}</p>
            <div class="field">
                <label class="field__label" for="convert-name">{move || i18n.t("lead-convert-customer")}</label>
                <input id="convert-name" class="field__input" data-testid="convert-name" bind:value=name />
            </div>
            <label class="field">
                <span>
                    <input type="checkbox" data-testid="convert-contact" prop:checked=move || contact.get()
                        on:change=move |ev| contact.set(event_target_checked(&ev)) />
                    " "{move || i18n.t("lead-convert-contact")}
                </span>
            </label>
            <label class="field">
                <span>
                    <input type="checkbox" data-testid="convert-deal" prop:checked=move || with_deal.get()
                        on:change=move |ev| with_deal.set(event_target_checked(&ev)) />
                    " "{move || i18n.t("lead-convert-deal")}
                </span>
            </label>
            <Show when=move || with_deal.get()>
                <div class="lead-deal" data-testid="convert-deal-fields">
                    <div class="field">
                        <label class="field__label" for="deal-name">{move || i18n.t("lead-deal-name")}</label>
                        <input id="deal-name" class="field__input" data-testid="deal-name" bind:value=deal_name />
                    </div>
                    <div class="field">
                        <label class="field__label" for="deal-amount">{move || i18n.t("lead-deal-amount")}</label>
                        <div class="lead-deal__money">
                            <input id="deal-amount" class="field__input" inputmode="decimal" data-testid="deal-amount"
                                aria-invalid=move || amount_error.get().then_some("true") bind:value=amount />
                            <select class="field__input" aria-label=move || i18n.t("lead-deal-currency") data-testid="deal-currency"
                                on:change=move |ev| currency.set(event_target_value(&ev))>
                                {["CNY", "USD", "EUR", "HKD"].into_iter().map(|c| view! { <option value=c>{c}</option> }).collect_view()}
                            </select>
                        </div>
                        <Show when=move || amount_error.get()>
                            <p class="field__error" data-testid="deal-amount-error">{move || i18n.t("lead-deal-amount-invalid")}</p>
                        </Show>
                    </div>
                    <div class="field">
                        <label class="field__label" for="deal-close">{move || i18n.t("lead-deal-close")}</label>
                        <input id="deal-close" class="field__input" type="date" data-testid="deal-close" bind:value=close_on />
                    </div>
                </div>
            </Show>
            <ProblemAlert error=other_error />
            {move || duplicates().map(|d| {
                let visible = d.visible.into_iter().map(|c| {
                    let cid = c.id.clone();
                    view! {
                        <li>
                            <a href=format!("/customers/{}", c.id)>{c.name.clone()}</a>
                            <span class="muted">{c.owner_name.clone().map(|o| format!(" · {o}"))}</span>" "
                            <button type="button" class="button" data-testid="convert-attach"
                                on:click=move |_| go(ConvertCustomer { existing_customer_id: Some(cid.clone()), ..Default::default() })>
                                {move || i18n.t("lead-convert-attach")}
                            </button>
                        </li>
                    }
                }).collect_view();
                view! {
                    <div class="card dup-notice" role="alert" data-testid="convert-duplicates">
                        <p>{move || i18n.t("lead-convert-duplicates")}</p>
                        <ul class="dup-notice__list">{visible}</ul>
                        <label class="field">
                            <span class="field__label">{move || i18n.t("lead-convert-reason")}</span>
                            <textarea rows="2" class="field__input" data-testid="convert-reason" bind:value=reason></textarea>
                        </label>
                        <button type="button" class="button" data-testid="convert-anyway"
                            aria-disabled=move || reason.with(|r| r.trim().is_empty()).then_some("true")
                            on:click=move |_| if !reason.with_untracked(|r| r.trim().is_empty()) {
                                go(ConvertCustomer {
                                    name: Some(name.get_untracked()),
                                    duplicate_reason: Some(reason.get_untracked()),
                                    ..Default::default()
                                })
                            }>
                            {move || i18n.t("lead-convert-anyway")}
                        </button>
                    </div>
                }
            })}
            <div class="cust-form__actions" class:lead-hidden=move || duplicates().is_some()>
                <button type="button" class="button button--primary" data-testid="convert-go"
                    aria-disabled=move || busy.get().then_some("true")
                    on:click=move |_| go(ConvertCustomer { name: Some(name.get_untracked()), ..Default::default() })>
                    {move || i18n.t("lead-convert-go")}
                </button>
            </div>
        </section>
    }
}
