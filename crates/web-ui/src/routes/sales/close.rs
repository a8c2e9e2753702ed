//! Closing a deal: won (amount and date), lost (a reason from the list, the
//! competitor who won, notes), and reopening one — each only when the API
//! says the reader may (`allowed`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use super::date;
use super::deal::{Deal, problem};
use super::model::{Competitor, LossReason, change, competitors, loss_reasons};
use super::money::{input_value, money, parse};
use crate::api::{ApiError, encode};
use crate::components::ProblemAlert;
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;
use crate::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    None,
    Win,
    Lose,
}

#[derive(Serialize)]
struct WinBody {
    amount_minor: i64,
    closed_on: String,
}

#[derive(Serialize)]
struct LoseBody {
    reason_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    competitor_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
}

#[component]
pub fn CloseCard() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let deal = Deal::get();
    let lang = i18n.lang().code();
    // the board sends a card dropped on "won" or "lost" here
    let form = RwSignal::new(match router.param("close").as_deref() {
        Some("won") => Form::Win,
        Some("lost") => Form::Lose,
        _ => Form::None,
    });
    let reasons = RwSignal::new(Vec::<LossReason>::new());
    let rivals = RwSignal::new(Vec::<Competitor>::new());
    spawn_local(async move {
        if let Ok(r) = loss_reasons(session).await {
            let _ = reasons.try_set(r);
        }
        if let Ok(c) = competitors(session).await {
            let _ = rivals.try_set(c);
        }
    });
    let status = move || deal.with(|d| d.deal.status.clone());
    let allowed = move || deal.with(|d| d.allowed);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let amount = RwSignal::new(String::new());
    let closed_on = RwSignal::new(time::today());
    let reason = RwSignal::new(String::new());
    let rival = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let open_form = move |f: Form| {
        let (a, c) = deal.with(|d| (d.deal.amount_minor, d.deal.currency.clone()));
        amount.set(input_value(a, &c));
        error.set(None);
        form.set(f);
    };
    if form.get_untracked() == Form::Win {
        open_form(Form::Win);
    }
    let send = move |path: &'static str, body: Result<serde_json::Value, ApiError>| {
        let body = match body {
            Ok(b) => b,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        busy.set(true);
        spawn_local(async move {
            let r = change(
                session,
                gloo_net::http::Method::POST,
                format!("/opportunities/{}/{path}", encode(&deal.id())),
                &deal.etag(),
                &body,
            )
            .await;
            let _ = busy.try_set(false);
            match r {
                Ok(v) => {
                    deal.apply(Ok(v));
                    let _ = form.try_set(Form::None);
                }
                Err(e) if e.status() == Some(412) => {
                    deal.apply(Err(e));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let win = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let currency = deal.with(|d| d.deal.currency.clone());
        let body = match (
            parse(&amount.get_untracked(), &currency),
            closed_on.get_untracked(),
        ) {
            (Some(a), d) if d.len() == 10 => Ok(serde_json::to_value(WinBody {
                amount_minor: a,
                closed_on: d,
            })
            .unwrap_or_default()),
            (None, _) => Err(ApiError::invalid(vec![problem(
                "amount_minor",
                "sales-invalid-amount",
                i18n,
            )])),
            _ => Err(ApiError::invalid(vec![problem(
                "closed_on",
                "sales-invalid-date",
                i18n,
            )])),
        };
        send("win", body);
    };
    let lose = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = reason.get_untracked();
        let body = if r.is_empty() {
            Err(ApiError::invalid(vec![problem(
                "reason_id",
                "sales-reason-required",
                i18n,
            )]))
        } else {
            let n = notes.get_untracked().trim().to_owned();
            Ok(serde_json::to_value(LoseBody {
                reason_id: r,
                competitor_id: Some(rival.get_untracked()).filter(|c| !c.is_empty()),
                notes: (!n.is_empty()).then_some(n),
            })
            .unwrap_or_default())
        };
        send("lose", body);
    };
    let reopen = move |_| send("reopen", Ok(serde_json::json!({})));

    // a closed deal: what it ended with
    let outcome = move || {
        let (st, closed, reason_id, rival_id, notes, amount, currency) = deal.with(|d| {
            (
                d.deal.status.clone(),
                d.deal.closed_on.clone(),
                d.deal.loss_reason_id.clone(),
                d.deal.lost_to_competitor_id.clone(),
                d.deal.close_notes.clone(),
                d.deal.amount_minor,
                d.deal.currency.clone(),
            )
        });
        (st != "open").then(|| {
            let won = st == "won";
            let reason = reason_id.map(|id| {
                reasons.with(|l| l.iter().find(|r| r.id == id).map(|r| r.label.clone()))
            });
            let rival = rival_id.and_then(|id| {
                rivals.with(|l| l.iter().find(|c| c.id == id).map(|c| c.name.clone()))
            });
            let fact = |label: String, value: String, id: &'static str| {
                view! { <div><dt>{label}</dt><dd data-testid=id>{value}</dd></div> }
            };
            view! {
                <dl class="cust-facts deal-outcome" data-testid="deal-outcome">
                    {won.then(|| fact(i18n.t("sales-won-amount"), money(amount, &currency, lang), "outcome-amount"))}
                    {closed.map(|c| fact(
                        i18n.t(if won { "sales-won-on" } else { "sales-lost-on" }),
                        date(i18n, &c),
                        "outcome-date",
                    ))}
                    {(!won).then(|| fact(
                        i18n.t("sales-loss-reason"),
                        reason.flatten().unwrap_or_else(|| "—".to_owned()),
                        "deal-loss-reason",
                    ))}
                    {(!won).then(|| fact(
                        i18n.t("sales-lost-to-competitor"),
                        rival.unwrap_or_else(|| i18n.t("sales-none")),
                        "outcome-competitor",
                    ))}
                    {notes.map(|n| view! {
                        <div class="cust-facts__wide">
                            <dt>{i18n.t("sales-notes")}</dt>
                            <dd class="cust-notes" data-testid="outcome-notes">{n}</dd>
                        </div>
                    })}
                </dl>
            }
        })
    };
    // may change it, but the win is in the books
    let in_books = move || {
        let a = allowed();
        status() == "won" && a.update && !a.reopen
    };
    let title = move || match status().as_str() {
        "won" => i18n.t("sales-outcome-won"),
        "lost" => i18n.t("sales-outcome-lost"),
        _ => i18n.t("sales-close-title"),
    };
    let reason_options = move || {
        reasons.with(|l| {
            l.iter()
                .filter(|r| r.active)
                .map(|r| view! { <option value=r.id.clone()>{r.label.clone()}</option> })
                .collect_view()
        })
    };
    let rival_options = move || {
        let on_deal: Vec<String> = deal.with(|d| {
            d.competitors
                .iter()
                .map(|c| c.competitor_id.clone())
                .collect()
        });
        rivals.with(|l| {
            let mut list: Vec<&Competitor> = l
                .iter()
                .filter(|c| c.active || on_deal.contains(&c.id))
                .collect();
            // those on this deal first
            list.sort_by_key(|c| !on_deal.contains(&c.id));
            list.into_iter()
                .map(|c| view! { <option value=c.id.clone()>{c.name.clone()}</option> })
                .collect_view()
        })
    };
    view! {
        <section class="card cust-section deal-close" data-testid="deal-close" aria-labelledby="h-close">
            <h2 id="h-close">{title}</h2>
            {outcome}
            <Show when=in_books>
                <p class="muted" data-testid="deal-in-books">{t("sales-reopen-in-books")}</p>
            </Show>
            <div class="actions">
                <Show when=move || status() == "open" && allowed().close && form.get() == Form::None>
                    <button type="button" class="button button--primary" data-testid="deal-win" on:click=move |_| open_form(Form::Win)>{t("sales-win")}</button>
                    <button type="button" class="button button--danger" data-testid="deal-lose" on:click=move |_| open_form(Form::Lose)>{t("sales-lose")}</button>
                </Show>
                <Show when=move || status() != "open" && allowed().reopen>
                    <button type="button" class="button" data-testid="deal-reopen" on:click=reopen disabled=move || busy.get()>{t("sales-reopen")}</button>
                </Show>
            </div>
            <Show when=move || status() == "open" && form.get() == Form::Win>
                <form class="deal-form" data-testid="win-form" on:submit=win novalidate>
                    <label class="field">
                        <span class="field__label">{move || format!("{} ({})", i18n.t("sales-amount"), deal.with(|d| d.deal.currency.clone()))}</span>
                        <input class="field__input" inputmode="decimal" data-testid="win-amount" bind:value=amount />
                    </label>
                    <label class="field">
                        <span class="field__label">{t("sales-closed-on")}</span>
                        <input class="field__input" type="date" data-testid="win-date" bind:value=closed_on />
                    </label>
                    <ProblemAlert error=error />
                    <div class="actions">
                        <button type="submit" class="button button--primary" data-testid="win-save" disabled=move || busy.get()>{t("sales-win-save")}</button>
                        <button type="button" class="button" on:click=move |_| form.set(Form::None)>{t("action-cancel")}</button>
                    </div>
                </form>
            </Show>
            <Show when=move || status() == "open" && form.get() == Form::Lose>
                <form class="deal-form" data-testid="lose-form" on:submit=lose novalidate>
                    <label class="field">
                        <span class="field__label">{t("sales-loss-reason")}<span class="field__required" aria-hidden="true">" *"</span></span>
                        <select data-testid="lose-reason" aria-required="true" on:change=move |ev| reason.set(event_target_value(&ev))>
                            <option value="">{t("sales-choose")}</option>
                            {reason_options}
                        </select>
                    </label>
                    <label class="field">
                        <span class="field__label">{t("sales-lost-to-competitor")}</span>
                        <select data-testid="lose-competitor" on:change=move |ev| rival.set(event_target_value(&ev))>
                            <option value="">{t("sales-none")}</option>
                            {rival_options}
                        </select>
                    </label>
                    <label class="field">
                        <span class="field__label">{t("sales-notes")}</span>
                        <textarea data-testid="lose-notes" bind:value=notes></textarea>
                    </label>
                    <ProblemAlert error=error />
                    <div class="actions">
                        <button type="submit" class="button button--danger" data-testid="lose-save" disabled=move || busy.get()>{t("sales-lose-save")}</button>
                        <button type="button" class="button" on:click=move |_| form.set(Form::None)>{t("action-cancel")}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
