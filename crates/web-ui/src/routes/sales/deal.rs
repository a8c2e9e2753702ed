//! A deal's page (`/opportunities/{id}`): amount, stage, probability and
//! close date; the checklist of its stage; its stage history; competitors;
//! win, lose and reopen; and what happened lately with its customer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use super::close::CloseCard;
use super::competitors::CompetitorsCard;
use super::deal_activities::CustomerActivities;
use super::model::{Detail, Pipeline, change, missing_items, move_to, pipelines};
use super::money::{input_value, money, parse};
use super::stays::HistoryCard;
use super::{date, load_failed, skeleton, status_badge};
use crate::api::{ApiError, FieldProblem, Versioned, encode};
use crate::components::ProblemAlert;
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;
use crate::time;

/// The deal on screen, shared with the page's cards.
#[derive(Clone, Copy)]
pub struct Deal {
    pub rec: RwSignal<Option<Versioned<Detail>>>,
    pub pipeline: RwSignal<Option<Pipeline>>,
    /// The last refused change, shown at the top of the page.
    pub error: RwSignal<Option<ApiError>>,
    pub reload: Callback<()>,
}

impl Deal {
    pub fn get() -> Self {
        expect_context()
    }

    pub fn id(self) -> String {
        self.rec
            .with_untracked(|r| r.as_ref().map(|v| v.data.deal.id.clone()))
            .unwrap_or_default()
    }

    pub fn etag(self) -> String {
        self.rec
            .with_untracked(|r| r.as_ref().map(|v| v.data.deal.etag()))
            .unwrap_or_default()
    }

    /// Reads a field of the deal (tracked).
    pub fn with<T: Default>(self, f: impl FnOnce(&Detail) -> T) -> T {
        self.rec
            .with(|r| r.as_ref().map(|v| f(&v.data)))
            .unwrap_or_default()
    }

    /// Shows the answer of a write; `true` when it was taken. A write over
    /// someone else's change reads the deal again and says so.
    pub fn apply(self, r: Result<Versioned<Detail>, ApiError>) -> bool {
        match r {
            Ok(v) => {
                let _ = self.rec.try_set(Some(v));
                let _ = self.error.try_set(None);
                true
            }
            Err(e) => {
                if e.status() == Some(412) {
                    self.reload.run(());
                }
                let _ = self.error.try_set(Some(e));
                false
            }
        }
    }
}

#[component]
pub fn DealPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let id = Memo::new(move |_| router.segment(1));
    let rec = RwSignal::new(None::<Versioned<Detail>>);
    let failed = RwSignal::new(None::<ApiError>);
    let pipeline = RwSignal::new(None::<Pipeline>);
    let load = move || {
        let id = id.get_untracked();
        failed.set(None);
        spawn_local(async move {
            match session
                .get_versioned::<Detail>(&format!("/opportunities/{}", encode(&id)))
                .await
            {
                Ok(v) => {
                    let pid = v.data.deal.pipeline_id.clone();
                    let _ = rec.try_set(Some(v));
                    if pipeline.with_untracked(|p| p.as_ref().is_none_or(|p| p.id != pid))
                        && let Ok(list) = pipelines(session).await
                    {
                        let _ = pipeline.try_set(list.into_iter().find(|p| p.id == pid));
                    }
                }
                Err(e) => {
                    let _ = failed.try_set(Some(e));
                }
            }
        });
    };
    let deal = Deal {
        rec,
        pipeline,
        error: RwSignal::new(None),
        reload: Callback::new(move |()| load()),
    };
    provide_context(deal);
    Effect::new(move |_| {
        id.track();
        rec.set(None);
        load();
    });
    crate::components::connection::retry_when_back(move || {
        if failed.with_untracked(|f| f.as_ref().is_some_and(|e| e.status().is_none())) {
            load();
        }
    });
    move || {
        if let Some(e) = failed.get() {
            return if matches!(e.status(), Some(404 | 400)) {
                view! {
                    <div class="empty card" data-testid="deal-not-found">
                        <h1>{i18n.t("sales-deal-not-found")}</h1>
                        <p>{i18n.t("sales-deal-not-found-hint")}</p>
                        <a href="/pipeline" class="button button--primary">{i18n.t("sales-back-to-board")}</a>
                    </div>
                }
                .into_any()
            } else {
                load_failed(i18n, &e, load)
            };
        }
        if rec.with(Option::is_none) {
            return skeleton();
        }
        // dates and amounts are formatted when drawn: draw again in another language
        i18n.lang();
        view! { <Loaded /> }.into_any()
    }
}

#[component]
fn Loaded() -> impl IntoView {
    let i18n = I18n::get();
    let deal = Deal::get();
    let customer_id = deal.with(|d| d.deal.customer_id.clone());
    let stale = move || {
        deal.error
            .with(|e| e.as_ref().is_some_and(|e| e.status() == Some(412)))
            .then(|| view! { <p class="alert alert--info" role="status" data-testid="deal-stale">{i18n.t("sales-deal-stale")}</p> })
    };
    let other_error = Signal::derive(move || {
        deal.error
            .get()
            .filter(|e| e.status() != Some(412) && missing_items(e).is_empty())
    });
    let missing_items = move || {
        deal.error.with(|e| {
            let m = e.as_ref().map(|e| missing(deal, e)).unwrap_or_default();
            (!m.is_empty()).then(|| {
                let items = m
                    .into_iter()
                    .map(|l| view! { <li data-testid="missing-item">{l}</li> })
                    .collect_view();
                view! {
                    <div class="alert" role="alert" data-testid="move-refused">
                        <p class="alert__title">{i18n.t("sales-move-refused-here")}</p>
                        <ul class="alert__list">{items}</ul>
                    </div>
                }
            })
        })
    };
    view! {
        <div class="sales-page deal-page">
            <nav class="cust-back"><a href="/pipeline">{move || format!("← {}", i18n.t("sales-back-to-board"))}</a></nav>
            {stale}
            {missing_items}
            <ProblemAlert error=other_error />
            <Header />
            <div class="deal-grid">
                // a closed deal leads with how it ended
                <div class="deal-main" class:deal-main--closed=move || deal.with(|d| d.deal.status != "open")>
                    <ChecklistCard />
                    <CloseCard />
                    <CompetitorsCard />
                </div>
                <div class="deal-side">
                    <HistoryCard />
                    <super::changes::ChangesCard />
                    {(!deal.with(|d| d.deal.customer_deleted)).then(|| view! { <CustomerActivities customer_id=customer_id /> })}
                </div>
            </div>
        </div>
    }
}

/// The labels of the required items a refused move names.
fn missing(deal: Deal, e: &ApiError) -> Vec<String> {
    missing_items(e)
        .into_iter()
        .map(|(id, said)| {
            deal.rec
                .with_untracked(|r| {
                    r.as_ref().and_then(|v| {
                        v.data
                            .checklist
                            .iter()
                            .find(|c| c.item_id == id)
                            .map(|c| c.label.clone())
                    })
                })
                .or(said)
                .unwrap_or(id)
        })
        .collect()
}

#[derive(Serialize, Default)]
struct Patch {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount_minor: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected_close_on: Option<String>,
    /// `Some(None)`: back to the stage's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    probability: Option<Option<u8>>,
}

async fn patch(session: Session, deal: Deal, body: Patch) -> bool {
    let r = change(
        session,
        gloo_net::http::Method::PATCH,
        format!("/opportunities/{}", encode(&deal.id())),
        &deal.etag(),
        &body,
    )
    .await;
    deal.apply(r)
}

#[component]
fn Header() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let deal = Deal::get();
    let lang = move || i18n.lang().code();
    let d = move || deal.with(|d| d.deal.clone());
    let editable = move || deal.with(|d| d.allowed.update && d.deal.status == "open");
    let stage_label = move || {
        let o = d();
        deal.pipeline.with(|p| match p {
            Some(p) => p.stage_label(i18n, &o.stage_id, &o.stage_name),
            None => o.stage_name.clone(),
        })
    };
    let editing = RwSignal::new(false);
    let amount = RwSignal::new(String::new());
    let close_on = RwSignal::new(String::new());
    let probability = RwSignal::new(String::new());
    let form_error = RwSignal::new(None::<ApiError>);
    let start_edit = move |_| {
        let o = d();
        amount.set(input_value(o.amount_minor, &o.currency));
        close_on.set(o.expected_close_on.clone());
        probability.set(o.probability.to_string());
        form_error.set(None);
        editing.set(true);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let o = d();
        let mut body = Patch::default();
        let mut bad = Vec::new();
        match parse(&amount.get_untracked(), &o.currency) {
            Some(a) if a != o.amount_minor => body.amount_minor = Some(a),
            Some(_) => {}
            None => bad.push(problem("amount_minor", "sales-invalid-amount", i18n)),
        }
        let c = close_on.get_untracked();
        if c.len() != 10 {
            bad.push(problem("expected_close_on", "sales-invalid-date", i18n));
        } else if c != o.expected_close_on {
            body.expected_close_on = Some(c);
        }
        match probability.get_untracked().trim().parse::<u8>() {
            Ok(p) if p <= 100 => {
                if p != o.probability {
                    body.probability = Some(Some(p));
                }
            }
            _ => bad.push(problem("probability", "sales-invalid-probability", i18n)),
        }
        if !bad.is_empty() {
            form_error.set(Some(ApiError::invalid(bad)));
            return;
        }
        spawn_local(async move {
            if patch(session, deal, body).await {
                let _ = editing.try_set(false);
            }
        });
    };
    let back_to_default = move |_| {
        spawn_local(async move {
            patch(
                session,
                deal,
                Patch {
                    probability: Some(None),
                    ..Patch::default()
                },
            )
            .await;
        });
    };
    let moving = move |ev: leptos::ev::Event| {
        let to = event_target_value(&ev);
        if to == d().stage_id {
            return;
        }
        spawn_local(async move {
            let r = move_to(session, &deal.id(), &deal.etag(), &to).await;
            if !deal.apply(r) {
                // the choice shows the stage the deal is still in
                deal.rec.update(|_| {});
            }
        });
    };
    let stage_choice = move || {
        let o = d();
        (editable()).then(|| {
            let options = deal.pipeline.with(|p| {
                p.as_ref()
                    .map(|p| {
                        p.open_stages()
                            .map(|s| {
                                let sel = s.id() == o.stage_id;
                                view! { <option value=s.id().to_owned() selected=sel>{s.label(i18n)}</option> }
                            })
                            .collect_view()
                    })
            });
            view! {
                <label class="field deal-move">
                    <span class="field__label">{t("sales-move-to")}</span>
                    <select data-testid="deal-move" on:change=moving>{options}</select>
                </label>
            }
        })
    };
    view! {
        <header class="card cust-hero deal-hero">
            <div class="cust-hero__top">
                <h1 data-testid="deal-name">{move || d().name}</h1>
                {move || status_badge(i18n, &d().status)}
            </div>
            <p class="deal-hero__customer">
                // a deleted customer's page is gone: its name stays, marked
                {move || if d().customer_deleted {
                    view! {
                        <span data-testid="deal-customer">{d().customer_name}</span>
                        " "
                        <span class="badge" data-testid="deal-customer-deleted">{i18n.t("sales-customer-deleted")}</span>
                    }.into_any()
                } else {
                    view! {
                        <a href=format!("/customers/{}", encode(&d().customer_id)) data-testid="deal-customer">{d().customer_name}</a>
                    }.into_any()
                }}
            </p>
            <dl class="cust-facts">
                <div><dt>{t("sales-amount")}</dt><dd data-testid="deal-amount">{move || { let o = d(); money(o.amount_minor, &o.currency, lang()) }}</dd></div>
                <div><dt>{t("sales-stage")}</dt><dd data-testid="deal-stage">{stage_label}</dd></div>
                <div>
                    <dt>{t("sales-probability")}</dt>
                    <dd data-testid="deal-probability">
                        {move || format!("{} %", d().probability)}
                        {move || d().probability_overridden.then(|| view! {
                            <span class="muted">" · "{i18n.t("sales-probability-overridden")}</span>
                        })}
                    </dd>
                </div>
                <div><dt>{t("sales-weighted")}</dt><dd data-testid="deal-weighted">{move || { let o = d(); money(o.weighted_minor, &o.currency, lang()) }}</dd></div>
                <div><dt>{t("sales-close-date")}</dt><dd data-testid="deal-close-date">{move || date(i18n, &d().expected_close_on)}</dd></div>
                <div><dt>{t("sales-owner")}</dt><dd data-testid="deal-owner">{move || d().owner_name.unwrap_or_else(|| "—".into())}</dd></div>
            </dl>
            {stage_choice}
            <Show when=move || editable() && !editing.get()>
                <div class="cust-hero__actions">
                    {move || d().probability_overridden.then(|| view! {
                        <button type="button" class="button" data-testid="deal-probability-default" on:click=back_to_default>
                            {i18n.t("sales-probability-default")}
                        </button>
                    })}
                    <button type="button" class="button" data-testid="deal-edit" on:click=start_edit>{t("action-edit")}</button>
                </div>
            </Show>
            <Show when=move || editing.get()>
                <form class="deal-edit" on:submit=save novalidate>
                    <div class="deal-edit__fields">
                        <label class="field">
                            <span class="field__label">{move || format!("{} ({})", i18n.t("sales-amount"), d().currency)}</span>
                            <input class="field__input" inputmode="decimal" data-testid="deal-edit-amount" bind:value=amount />
                        </label>
                        <label class="field">
                            <span class="field__label">{t("sales-close-date")}</span>
                            <input class="field__input" type="date" data-testid="deal-edit-close" bind:value=close_on />
                        </label>
                        <label class="field">
                            <span class="field__label">{t("sales-probability")}</span>
                            <input class="field__input" type="number" min="0" max="100" data-testid="deal-edit-probability" bind:value=probability />
                        </label>
                    </div>
                    <ProblemAlert error=form_error />
                    <div class="actions">
                        <button type="submit" class="button button--primary" data-testid="deal-edit-save">{t("action-save")}</button>
                        <button type="button" class="button" on:click=move |_| editing.set(false)>{t("action-cancel")}</button>
                    </div>
                </form>
            </Show>
        </header>
    }
}

/// A problem found before sending, in the reader's language.
pub fn problem(field: &str, key: &str, i18n: I18n) -> FieldProblem {
    FieldProblem {
        field: field.to_owned(),
        code: String::new(),
        message: i18n.t(key),
    }
}

#[derive(Serialize)]
struct Done {
    done: bool,
}

#[component]
fn ChecklistCard() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let deal = Deal::get();
    let closed = move || deal_closed(deal);
    view! {
        <section class="card cust-section" data-testid="deal-checklist" aria-labelledby="h-checklist">
            <h2 id="h-checklist">
                {move || i18n.t(if closed() { "sales-checklist-done-title" } else { "sales-checklist" })}
            </h2>
            <ul class="cust-plain deal-checks">
                {move || if closed() { done_ticks(i18n, deal).into_any() } else { stage_checklist(i18n, session, deal).into_any() }}
            </ul>
        </section>
    }
}

fn deal_closed(deal: Deal) -> bool {
    deal.with(|d| !d.deal.status.is_empty() && d.deal.status != "open")
}

/// Who ticked `c`, and when.
fn done_by(i18n: I18n, c: &super::model::DealChecklistItem) -> Option<String> {
    c.done_at.as_ref().map(|at| {
        let who = c.done_by_name.clone().unwrap_or_default();
        i18n.t_args(
            "sales-checklist-done-by",
            &[
                ("who", who.into()),
                ("when", time::date_time(at, i18n.lang().code()).into()),
            ],
        )
    })
}

/// The open stage's checklist, ticked in place.
fn stage_checklist(i18n: I18n, session: Session, deal: Deal) -> impl IntoView {
    let (stage, list, may) = deal.with(|d| {
        (
            Some(d.deal.stage_id.clone()),
            d.checklist.clone(),
            d.allowed.update && d.deal.status == "open",
        )
    });
    let current: Vec<_> = list
        .into_iter()
        .filter(|c| Some(&c.stage_id) == stage.as_ref())
        .collect();
    if current.is_empty() {
        return view! { <p class="muted" data-testid="checklist-empty">{i18n.t("sales-checklist-empty")}</p> }.into_any();
    }
    current
        .into_iter()
        .map(|c| {
            let item = c.item_id.clone();
            let done = c.done_at.is_some();
            let tick = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                let item = item.clone();
                spawn_local(async move {
                    let call = crate::api::Call {
                        if_match: Some(deal.etag()),
                        ..crate::api::Call::put(
                            format!("/opportunities/{}/checklist/{}", encode(&deal.id()), encode(&item)),
                            &Done { done: on },
                        )
                    };
                    let r = session.send_versioned::<Detail>(&call).await;
                    if !deal.apply(r) {
                        deal.rec.update(|_| {});
                    }
                });
            };
            let by = done_by(i18n, &c);
            view! {
                <li class="deal-check" data-testid="checklist-item">
                    <label class="cust-check">
                        <input type="checkbox" prop:checked=done disabled=!may on:change=tick data-testid="checklist-tick" />
                        <span>{c.label.clone()}</span>
                        {c.required.then(|| view! { <span class="deal-check__required" data-testid="checklist-required">{i18n.t("sales-required")}</span> })}
                    </label>
                    {by.map(|b| view! { <p class="muted deal-check__by">{b}</p> })}
                </li>
            }
        })
        .collect_view()
        .into_any()
}

/// A closed deal's ticks, every stage's, as a record: nothing to tick any more.
fn done_ticks(i18n: I18n, deal: Deal) -> impl IntoView {
    let done: Vec<_> = deal.with(|d| {
        d.checklist
            .iter()
            .filter(|c| c.done_at.is_some())
            .cloned()
            .collect()
    });
    if done.is_empty() {
        return view! { <p class="muted" data-testid="checklist-none-done">{i18n.t("sales-checklist-none-done")}</p> }.into_any();
    }
    done.into_iter()
        .map(|c| {
            let stage = deal.pipeline.with(|p| {
                p.as_ref()
                    .map(|p| p.stage_label(i18n, &c.stage_id, ""))
                    .unwrap_or_default()
            });
            let by = done_by(i18n, &c).unwrap_or_default();
            let line = if stage.is_empty() { by } else { format!("{stage} · {by}") };
            view! {
                <li class="deal-check" data-testid="checklist-done-item">
                    <p class="deal-check__done"><span aria-hidden="true">"✓ "</span>{c.label.clone()}</p>
                    <p class="muted deal-check__by">{line}</p>
                </li>
            }
        })
        .collect_view()
        .into_any()
}
