//! The list of deals (`/opportunities`): filtered by status, stage, owner
//! and close date range, ordered by expected close date, a page at a time.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::model::{Opportunity, OpportunityPage, Pipeline, pipelines};
use super::money::money;
use super::{date, load_failed, owner_options, skeleton, status_badge};
use crate::api::{ApiError, encode};
use crate::components::customers::model::{Lookups, lookups};
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;

/// The filters in the address, and the API's names for them.
const KEYS: [&str; 5] = ["status", "stage", "owner", "close_from", "close_to"];
const API_KEYS: [&str; 5] = ["status", "stage_id", "owner_id", "close_from", "close_to"];

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Loading,
    Ready,
    More,
    Failed(ApiError),
}

#[component]
pub fn ListPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let filters = Memo::new(move |_| {
        KEYS.iter()
            .map(|k| router.param(k).unwrap_or_default())
            .collect::<Vec<_>>()
    });
    let items = RwSignal::new(Vec::<Opportunity>::new());
    let next = RwSignal::new(None::<String>);
    let status = RwSignal::new(Status::Loading);
    let generation = StoredValue::new(0u32);
    let all_pipelines = RwSignal::new(Vec::<Pipeline>::new());
    let names = RwSignal::new(Arc::new(Lookups::default()));
    spawn_local(async move {
        if let Ok(p) = pipelines(session).await {
            let _ = all_pipelines.try_set(p);
        }
        if let Ok(l) = lookups(session).await {
            let _ = names.try_set(l);
        }
    });
    let query = move |f: &[String], keys: [&'static str; 5]| {
        keys.iter()
            .zip(f)
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
    };
    let load = move |cursor: Option<String>| {
        let mut q = query(&filters.get_untracked(), API_KEYS);
        q.push("limit=50".into());
        if let Some(c) = &cursor {
            q.push(format!("cursor={}", encode(c)));
        }
        let g = generation.get_value() + 1;
        generation.set_value(g);
        status.set(if cursor.is_some() {
            Status::More
        } else {
            Status::Loading
        });
        spawn_local(async move {
            let r = session
                .get_json::<OpportunityPage>(&format!("/opportunities?{}", q.join("&")))
                .await;
            if generation.try_get_value() != Some(g) {
                return;
            }
            match r {
                Ok(p) => {
                    if cursor.is_some() {
                        items.update(|v| v.extend(p.items));
                    } else {
                        items.set(p.items);
                    }
                    next.set(p.next_cursor);
                    status.set(Status::Ready);
                }
                Err(e) => status.set(Status::Failed(e)),
            }
        });
    };
    Effect::new(move |_| {
        filters.track();
        load(None);
    });
    let set = move |key: &'static str, value: String| {
        let mut f = filters.get_untracked();
        if let Some(i) = KEYS.iter().position(|k| *k == key) {
            f[i] = value;
        }
        let q = query(&f, KEYS);
        let url = if q.is_empty() {
            "/opportunities".to_owned()
        } else {
            format!("/opportunities?{}", q.join("&"))
        };
        router.navigate(&url, true, false);
    };
    let value = move |key: &'static str| {
        let i = KEYS.iter().position(|k| *k == key).unwrap_or_default();
        filters.with(|f| f[i].clone())
    };
    let stage_options = move || {
        let current = value("stage");
        all_pipelines.with(|list| {
            list.iter()
                .map(|p| {
                    let opts = p
                        .stages
                        .iter()
                        .map(|s| {
                            let sel = s.id() == current;
                            view! { <option value=s.id().to_owned() selected=sel>{s.label(i18n)}</option> }
                        })
                        .collect_view();
                    view! { <optgroup label=p.name.clone()>{opts}</optgroup> }
                })
                .collect_view()
        })
    };
    let me = session.me_untracked().map(|m| m.id).unwrap_or_default();
    let owner_options = move || owner_options(names, &me, &value("owner"));
    let status_options = ["", "open", "won", "lost"]
        .into_iter()
        .map(|s| {
            let label = if s.is_empty() { "sales-status-any".to_owned() } else { format!("sales-status-{s}") };
            view! { <option value=s selected=move || value("status") == s>{move || i18n.t(&label)}</option> }
        })
        .collect_view();
    let body = move || {
        match status.get() {
        Status::Loading => skeleton(),
        Status::Failed(e) if items.with(Vec::is_empty) => load_failed(i18n, &e, move || load(None)),
        _ if items.with(Vec::is_empty) => view! {
            <div class="empty card" data-testid="deals-empty">
                <h2>{i18n.t("sales-list-empty")}</h2>
                <a class="button button--primary" href="/opportunities/new">{i18n.t("sales-new-deal")}</a>
            </div>
        }
        .into_any(),
        _ => view! { <Rows items=items pipelines=all_pipelines /> }.into_any(),
    }
    };
    let more = move || {
        let busy = status.get() == Status::More;
        let failed = matches!(status.get(), Status::Failed(_)) && !items.with(Vec::is_empty);
        next.with(Option::is_some).then(|| view! {
            {failed.then(|| view! { <p class="alert" role="alert">{i18n.t("error-network")}</p> })}
            <button type="button" class="button cust-more" data-testid="load-more"
                aria-disabled=busy.then_some("true")
                on:click=move |_| if !busy { load(next.get_untracked()) }>
                {if busy { i18n.t("loading") } else { i18n.t("action-load-more") }}
            </button>
        })
    };
    view! {
        <div class="sales-page">
            <div class="cust-head">
                <h1>{t("sales-list-title")}</h1>
                <div class="cust-head__actions">
                    <a class="button button--primary" href="/opportunities/new">{t("sales-new-deal")}</a>
                </div>
            </div>
            <super::SalesLinks />
            <div class="board-toolbar deal-filters">
                <label class="field board-filter">
                    <span class="field__label">{t("sales-status")}</span>
                    <select data-testid="filter-status" on:change=move |ev| set("status", event_target_value(&ev))>{status_options}</select>
                </label>
                <label class="field board-filter">
                    <span class="field__label">{t("sales-stage")}</span>
                    <select data-testid="filter-stage" on:change=move |ev| set("stage", event_target_value(&ev))>
                        <option value="">{t("sales-stage-any")}</option>
                        {stage_options}
                    </select>
                </label>
                <label class="field board-filter">
                    <span class="field__label">{t("sales-owner")}</span>
                    <select data-testid="filter-owner" on:change=move |ev| set("owner", event_target_value(&ev))>
                        <option value="" selected=move || value("owner").is_empty()>{t("sales-owner-all")}</option>
                        <option value="me" selected=move || value("owner") == "me">{t("sales-owner-me")}</option>
                        {owner_options}
                    </select>
                </label>
                <label class="field board-filter">
                    <span class="field__label">{t("sales-close-from")}</span>
                    <input class="field__input" type="date" data-testid="filter-close-from" prop:value=move || value("close_from")
                        on:change=move |ev| set("close_from", event_target_value(&ev)) />
                </label>
                <label class="field board-filter">
                    <span class="field__label">{t("sales-close-to")}</span>
                    <input class="field__input" type="date" data-testid="filter-close-to" prop:value=move || value("close_to")
                        on:change=move |ev| set("close_to", event_target_value(&ev)) />
                </label>
            </div>
            {body}
            {more}
        </div>
    }
}

#[component]
fn Rows(items: RwSignal<Vec<Opportunity>>, pipelines: RwSignal<Vec<Pipeline>>) -> impl IntoView {
    let i18n = I18n::get();
    let rows = move || {
        let lang = i18n.lang().code();
        items
            .get()
            .into_iter()
            .map(|o| {
                let stage = pipelines.with(|l| {
                    l.iter()
                        .find(|p| p.id == o.pipeline_id)
                        .map(|p| p.stage_label(i18n, &o.stage_id, &o.stage_name))
                        .unwrap_or_else(|| o.stage_name.clone())
                });
                view! {
                    <tr class="cust-row deal-row" data-testid="deal-row">
                        <td>
                            <a class="cust-row__link" href=format!("/opportunities/{}", encode(&o.id))>{o.name.clone()}</a>
                            <div class="cust-row__meta">{o.customer_name.clone()}</div>
                        </td>
                        <td class="deal-row__stage" data-label=i18n.t("sales-stage")>
                            {if o.status == "open" { view! { <span>{stage}</span> }.into_any() } else { status_badge(i18n, &o.status).into_any() }}
                        </td>
                        <td class="deal-row__amount">{money(o.amount_minor, &o.currency, lang)}</td>
                        <td class="deal-row__close" data-label=i18n.t("sales-close-date")>{date(i18n, &o.expected_close_on)}</td>
                        <td class="deal-row__owner" data-label=i18n.t("sales-owner")>{o.owner_name.clone().unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="table cust-table deal-table">
            <thead>
                <tr>
                    <th scope="col">{t("sales-deal-name")}</th>
                    <th scope="col">{t("sales-stage")}</th>
                    <th scope="col">{t("sales-amount")}</th>
                    <th scope="col">{t("sales-close-date")}</th>
                    <th scope="col">{t("sales-owner")}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
