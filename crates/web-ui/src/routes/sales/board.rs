//! The pipeline board (`/pipeline`): one column per stage with its count,
//! sum and weighted sum; cards dragged between columns (mouse and touch) or
//! moved with their "move to" choice. A move the funnel refuses (a required
//! checklist item not done) leaves the card where it was and says what is
//! missing; a move over someone else's change reloads the board.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::drag::Drag;
use super::model::{Board, Column, Opportunity, Pipeline, missing_items, move_to, pipelines};
use super::money::{money, short};
use super::{after_typing, date, load_failed, owner_options, skeleton};
use crate::api::{ApiError, encode};
use crate::components::customers::model::{Lookups, lookups};
use crate::components::customers::t;
use crate::components::problem::summary;
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;

/// Why the last move did not happen.
#[derive(Debug, Clone, PartialEq)]
enum Refusal {
    /// Required checklist items not done: the deal and the items' labels.
    Checklist(String, String, Vec<String>),
    /// Someone changed the deal meanwhile; the board was read again.
    Stale,
    Other(ApiError),
}

/// The filters, as the address holds them.
#[derive(Debug, Clone, PartialEq, Default)]
struct Filters {
    pipeline: String,
    owner: String,
    q: String,
}

impl Filters {
    /// The address's query (`api`: the API's names for the same filters).
    fn query(&self, api: bool) -> String {
        let (pipeline, owner) = if api {
            ("pipeline_id", "owner_id")
        } else {
            ("pipeline", "owner")
        };
        let mut parts = Vec::new();
        for (k, v) in [
            (pipeline, &self.pipeline),
            (owner, &self.owner),
            ("q", &self.q),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let filters = Memo::new(move |_| Filters {
        pipeline: router.param("pipeline").unwrap_or_default(),
        owner: router.param("owner").unwrap_or_default(),
        q: router.param("q").unwrap_or_default(),
    });
    let board = RwSignal::new(None::<Result<Board, ApiError>>);
    let all_pipelines = RwSignal::new(Vec::<Pipeline>::new());
    let names = RwSignal::new(Arc::new(Lookups::default()));
    let refusal = RwSignal::new(None::<Refusal>);
    let generation = StoredValue::new(0u32);
    spawn_local(async move {
        if let Ok(p) = pipelines(session).await {
            let _ = all_pipelines.try_set(p);
        }
        if let Ok(l) = lookups(session).await {
            let _ = names.try_set(l);
        }
    });
    // `quiet`: keep showing the board while it is read again
    let load = move |quiet: bool| {
        let f = filters.get_untracked();
        let g = generation.get_value() + 1;
        generation.set_value(g);
        if !quiet {
            board.set(None);
        }
        spawn_local(async move {
            let r = session
                .get_json::<Board>(&format!("/opportunities/board{}", f.query(true)))
                .await;
            if generation.try_get_value() == Some(g) {
                redraw(board, r);
            }
        });
    };
    Effect::new(move |_| {
        filters.track();
        load(false);
    });
    crate::components::connection::retry_when_back(move || {
        if board.with_untracked(|b| matches!(b, Some(Err(_)))) {
            load(false);
        }
    });

    let move_card = Callback::new(move |(id, to): (String, String)| {
        let Some(Ok(before)) = board.get_untracked() else {
            return;
        };
        let Some(deal) = before
            .columns
            .iter()
            .flat_map(|c| c.items.iter())
            .find(|o| o.id == id)
            .cloned()
        else {
            return;
        };
        if deal.stage_id == to {
            return;
        }
        // closing needs its own questions (amount, reason): the deal's page asks them
        if let Some(kind) = before
            .pipeline
            .stage(&to)
            .map(|s| s.kind.clone())
            .filter(|k| k != "open")
        {
            router.navigate(
                &format!("/opportunities/{}?close={kind}", encode(&id)),
                false,
                true,
            );
            return;
        }
        refusal.set(None);
        redraw(board, Ok(moved(&before, &deal, &to)));
        spawn_local(async move {
            match move_to(session, &id, &deal.etag(), &to).await {
                Ok(_) => load(true),
                Err(e) => {
                    let r = match &e {
                        ApiError::Problem(p) if p.status == 412 => {
                            load(true);
                            Refusal::Stale
                        }
                        ApiError::Problem(p)
                            if p.status == 422 && !missing_items(&e).is_empty() =>
                        {
                            let labels = missing_items(&e)
                                .into_iter()
                                .map(|(id, said)| {
                                    before.pipeline.item_label(&id).or(said).unwrap_or(id)
                                })
                                .collect();
                            Refusal::Checklist(deal.id.clone(), deal.name.clone(), labels)
                        }
                        _ => Refusal::Other(e),
                    };
                    redraw(board, Ok(before));
                    let _ = refusal.try_set(Some(r));
                }
            }
        });
    });
    let drag = Drag::new(move_card);

    let go = move |f: Filters, replace: bool| {
        router.navigate(&format!("/pipeline{}", f.query(false)), replace, false);
    };
    let typed = RwSignal::new(filters.get_untracked().q);
    let typing = StoredValue::new(0u32);
    let on_search = move |ev: leptos::ev::Event| {
        typed.set(event_target_value(&ev));
        after_typing(typing, 300, move || {
            let mut f = filters.get_untracked();
            f.q = typed.get_untracked().trim().to_owned();
            if f != filters.get_untracked() {
                go(f, true);
            }
        });
    };
    let me = session.me_untracked().map(|m| m.id).unwrap_or_default();
    let owner_options = move || owner_options(names, &me, &filters.with(|f| f.owner.clone()));
    let pipeline_picker = move || {
        let list = all_pipelines.get();
        (list.len() > 1).then(|| {
            let current = board.with(|b| match b {
                Some(Ok(b)) => b.pipeline.id.clone(),
                _ => filters.with(|f| f.pipeline.clone()),
            });
            let options = list
                .into_iter()
                .map(|p| {
                    let sel = p.id == current;
                    view! { <option value=p.id selected=sel>{p.name}</option> }
                })
                .collect_view();
            view! {
                <label class="field board-filter">
                    <span class="field__label">{t("sales-pipeline")}</span>
                    <select data-testid="board-pipeline" on:change=move |ev| {
                        let mut f = filters.get_untracked();
                        f.pipeline = event_target_value(&ev);
                        go(f, false);
                    }>{options}</select>
                </label>
            }
        })
    };

    view! {
        <div class="sales-page board-page">
            <div class="cust-head">
                <h1>{t("sales-board-title")}</h1>
                <div class="cust-head__actions">
                    <a class="button button--primary" href="/opportunities/new" data-testid="board-new-deal">{t("sales-new-deal")}</a>
                </div>
            </div>
            <super::SalesLinks />
            <div class="board-toolbar">
                {pipeline_picker}
                <label class="field board-filter">
                    <span class="field__label">{t("sales-owner")}</span>
                    <select data-testid="board-owner" on:change=move |ev| {
                        let mut f = filters.get_untracked();
                        f.owner = event_target_value(&ev);
                        go(f, false);
                    }>
                        <option value="" selected=move || filters.with(|f| f.owner.is_empty())>{t("sales-owner-all")}</option>
                        <option value="me" selected=move || filters.with(|f| f.owner == "me")>{t("sales-owner-me")}</option>
                        {owner_options}
                    </select>
                </label>
                <label class="field board-filter board-search">
                    <span class="field__label">{t("sales-search")}</span>
                    <input class="field__input" type="search" data-testid="board-search"
                        prop:value=move || typed.get() on:input=on_search />
                </label>
            </div>
            {move || refusal.get().map(|r| view! { <RefusalAlert refusal=r on_close=Callback::new(move |()| refusal.set(None)) /> })}
            {move || match (i18n.lang(), board.get()).1 {
                None => skeleton(),
                Some(Err(e)) => load_failed(i18n, &e, move || load(false)),
                Some(Ok(b)) => view! { <Columns board=b drag=drag on_move=move_card /> }.into_any(),
            }}
            <Ghost drag=drag />
        </div>
    }
}

/// Shows `value`. The columns are drawn anew: the one in view stays in view.
fn redraw(board: RwSignal<Option<Result<Board, ApiError>>>, value: Result<Board, ApiError>) {
    let el = || document().query_selector(".board").ok().flatten();
    let left = el().map(|b| b.scroll_left());
    let _ = board.try_set(Some(value));
    if let Some(left) = left.filter(|l| *l > 0) {
        request_animation_frame(move || {
            if let Some(b) = el() {
                b.set_scroll_left(left);
            }
        });
    }
}

/// `before` with `deal` shown in `to` at once, while the API decides.
fn moved(before: &Board, deal: &Opportunity, to: &str) -> Board {
    let mut b = before.clone();
    for c in &mut b.columns {
        if c.stage_id == deal.stage_id {
            c.items.retain(|o| o.id != deal.id);
            c.count -= 1;
        }
        if c.stage_id == to {
            let mut d = deal.clone();
            d.stage_id = to.to_owned();
            c.items.insert(0, d);
            c.count += 1;
        }
    }
    b
}

#[component]
fn RefusalAlert(refusal: Refusal, on_close: Callback<()>) -> impl IntoView {
    let i18n = I18n::get();
    let body = match refusal {
        Refusal::Checklist(id, name, missing) => {
            let items = missing
                .into_iter()
                .map(|m| view! { <li data-testid="missing-item">{m}</li> })
                .collect_view();
            view! {
                <p class="alert__title">{i18n.t_args("sales-move-refused", &[("deal", name.into())])}</p>
                <ul class="alert__list">{items}</ul>
                <p><a href=format!("/opportunities/{}", encode(&id)) data-testid="missing-open-deal">{i18n.t("sales-move-refused-open")}</a></p>
            }
            .into_any()
        }
        Refusal::Stale => view! { <p>{i18n.t("sales-move-stale")}</p> }.into_any(),
        Refusal::Other(e) => summary(i18n, &e)
            .into_iter()
            .map(|l| view! { <p>{l}</p> })
            .collect_view()
            .into_any(),
    };
    view! {
        <div class="alert board-alert" role="alert" data-testid="move-refused">
            {body}
            <button type="button" class="button button--ghost" data-testid="move-refused-close" on:click=move |_| on_close.run(())>
                {i18n.t("sales-dismiss")}
            </button>
        </div>
    }
}

#[component]
fn Columns(board: Board, drag: Drag, on_move: Callback<(String, String)>) -> impl IntoView {
    let pipeline = Arc::new(board.pipeline.clone());
    let cols = board
        .columns
        .into_iter()
        .map(|c| view! { <StageColumn column=c pipeline=pipeline.clone() drag=drag on_move=on_move /> })
        .collect_view();
    view! { <div class="board" data-testid="board" on:scroll=move |_| drag.scrolled()>{cols}</div> }
}

#[component]
fn StageColumn(
    column: Column,
    pipeline: Arc<Pipeline>,
    drag: Drag,
    on_move: Callback<(String, String)>,
) -> impl IntoView {
    let i18n = I18n::get();
    let lang = i18n.lang().code();
    let stage = pipeline.stage(&column.stage_id).cloned();
    let kind = stage.as_ref().map(|s| s.kind.clone()).unwrap_or_default();
    let name = stage.as_ref().map(|s| s.label(i18n)).unwrap_or_default();
    let probability = stage.as_ref().map(|s| s.probability).unwrap_or_default();
    let sid = column.stage_id.clone();
    let over = move || {
        drag.state.with(|d| {
            d.as_ref()
                .is_some_and(|d| d.started && d.over.as_deref() == Some(sid.as_str()))
        })
    };
    let sums = column
        .sums
        .iter()
        .map(|s| {
            view! {
                <p class="board-col__sum" data-testid="column-sum">
                    <span title=money(s.amount_minor, &s.currency, lang)>{short(s.amount_minor, &s.currency, lang)}</span>
                    <span class="muted" data-testid="column-weighted" title=money(s.weighted_minor, &s.currency, lang)>
                        {i18n.t_args("sales-weighted-short", &[("amount", short(s.weighted_minor, &s.currency, lang).into())])}
                    </span>
                </p>
            }
        })
        .collect_view();
    let hidden = column.count - column.items.len() as i64;
    let more = (hidden > 0).then(|| {
        let href = format!("/opportunities?stage={}", encode(&column.stage_id));
        view! { <a class="board-col__more" href=href>{i18n.t_args("sales-column-more", &[("count", hidden.into())])}</a> }
    });
    let cards = if column.items.is_empty() {
        view! { <p class="muted board-col__empty">{i18n.t("sales-column-empty")}</p> }.into_any()
    } else {
        column
            .items
            .into_iter()
            .map(|o| view! { <DealCard deal=o pipeline=pipeline.clone() drag=drag on_move=on_move /> })
            .collect_view()
            .into_any()
    };
    view! {
        <section class=move || format!("board-col board-col--{kind}{}", if over() { " board-col--over" } else { "" })
            data-drop-stage=column.stage_id.clone() data-testid="board-column" aria-label=name.clone()>
            <header class="board-col__head">
                <h2 class="board-col__name">
                    <span data-testid="column-name">{name.clone()}</span>
                    <span class="board-col__count" data-testid="column-count">{column.count}</span>
                </h2>
                <p class="muted board-col__prob">{format!("{probability} %")}</p>
                {sums}
            </header>
            <div class="board-col__cards">{cards}{more}</div>
        </section>
    }
}

#[component]
fn DealCard(
    deal: Opportunity,
    pipeline: Arc<Pipeline>,
    drag: Drag,
    on_move: Callback<(String, String)>,
) -> impl IntoView {
    let i18n = I18n::get();
    let lang = i18n.lang().code();
    let id = deal.id.clone();
    let (d_id, d_name, d_stage) = (deal.id.clone(), deal.name.clone(), deal.stage_id.clone());
    let dragged = {
        let id = id.clone();
        move || {
            drag.state
                .with(|d| d.as_ref().is_some_and(|d| d.started && d.id == id))
        }
    };
    let open = deal.status == "open";
    let options = pipeline
        .open_stages()
        .map(|s| {
            let sel = s.id() == deal.stage_id;
            view! { <option value=s.id().to_owned() selected=sel>{s.label(i18n)}</option> }
        })
        .collect_view();
    let move_id = deal.id.clone();
    view! {
        <article class=move || if dragged() { "deal-card deal-card--dragged" } else { "deal-card" }
            data-testid="deal-card" data-card-id=id.clone()
            on:pointerdown=move |ev| if open { drag.down(&ev, &d_id, &d_name, &d_stage) }
            on:pointermove=move |ev| drag.moved(&ev)
            on:pointerup=move |ev| drag.up(&ev)
            on:pointercancel=move |_| drag.cancel()>
            <div class="deal-card__top">
                <a class="deal-card__name" draggable="false" data-testid="deal-card-name"
                    href=format!("/opportunities/{}", encode(&deal.id))>{deal.name.clone()}</a>
                {open.then(|| view! {
                    <button type="button" class="deal-card__grip" data-testid="deal-card-grip" tabindex="-1"
                        aria-hidden="true" title=i18n.t("sales-drag-hint")>"⠿"</button>
                })}
            </div>
            <p class="deal-card__customer">{deal.customer_name.clone()}</p>
            <p class="deal-card__amount" data-testid="deal-card-amount">{money(deal.amount_minor, &deal.currency, lang)}</p>
            <p class="deal-card__meta muted">
                <span data-testid="deal-card-close">{date(i18n, &deal.expected_close_on)}</span>
                {deal.owner_name.clone().map(|o| view! { <span>{o}</span> })}
            </p>
            {open.then(|| view! {
                <label class="deal-card__move">
                    <span class="visually-hidden">{i18n.t_args("sales-move-deal", &[("deal", deal.name.clone().into())])}</span>
                    <select data-testid="deal-card-move" on:change=move |ev| on_move.run((move_id.clone(), event_target_value(&ev)))>
                        {options}
                    </select>
                </label>
            })}
        </article>
    }
}

/// The copy of the dragged card that follows the pointer.
#[component]
fn Ghost(drag: Drag) -> impl IntoView {
    move || {
        drag.state.get().filter(|d| d.started).map(|d| {
            view! {
                <div class="deal-ghost" aria-hidden="true"
                    style=format!("left:{}px;top:{}px", d.at.0, d.at.1)>{d.label}</div>
            }
        })
    }
}
