//! The leads the reader may see, newest first: filtered by status, by the
//! queues (unassigned leads waiting to be taken) or by words; a table on a
//! desktop, cards on a phone.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Lead, STATUSES, source_label, status_badge, status_label};
use crate::api::{ApiError, Page, encode};
use crate::i18n::I18n;
use crate::routes::work::{load_failed, skeleton};
use crate::session::Session;

#[component]
pub fn LeadsPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let status = RwSignal::new(String::new());
    let queue = RwSignal::new(false);
    let q = RwSignal::new(String::new());
    let leads = RwSignal::new(None::<Result<Page<Lead>, ApiError>>);
    let load = move || {
        let mut path = "/leads?limit=100".to_owned();
        let s = status.get_untracked();
        if !s.is_empty() {
            path.push_str(&format!("&status={s}"));
        }
        if queue.get_untracked() {
            path.push_str("&queue=true");
        }
        let words = q.get_untracked();
        if !words.trim().is_empty() {
            path.push_str(&format!("&q={}", encode(words.trim())));
        }
        leads.set(None);
        spawn_local(async move {
            let r = session.get_json::<Page<Lead>>(&path).await;
            let _ = leads.try_set(Some(r));
        });
    };
    Effect::new(move |_| {
        status.track();
        queue.track();
        load();
    });
    let may_setup = move || session.me().is_some_and(|m| m.can("sales_setup", "create"));
    let rows = move || match leads.get() {
        None => skeleton(),
        Some(Err(e)) => load_failed(i18n, &e, load),
        Some(Ok(p)) if p.data.is_empty() => view! {
            <div class="empty card" data-testid="leads-empty">
                <p>{i18n.t("leads-empty")}</p>
                <a href="/leads/new" class="button button--primary">{i18n.t("leads-new")}</a>
            </div>
        }
        .into_any(),
        Some(Ok(p)) => {
            let rows = p
                .data
                .into_iter()
                .map(|l| {
                    let owner = l.owner_name.clone().unwrap_or_else(|| i18n.t("leads-queue"));
                    view! {
                        <tr class="cust-row" data-testid="lead-row">
                            <td class="cust-row__name">
                                <a href=format!("/leads/{}", l.id) class="cust-row__link">{l.name.clone()}</a>
                                <span class="cust-row__meta">{l.company.clone().unwrap_or_default()}</span>
                            </td>
                            <td>{status_badge(i18n, &l.status)}</td>
                            <td class="lead-score" data-testid="lead-score">{i18n.t_args("lead-score-n", &[("score", l.score.into())])}</td>
                            <td>{source_label(i18n, &l.source)}</td>
                            <td data-testid="lead-owner">{owner}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="table cust-table" data-testid="lead-list">
                    <caption class="visually-hidden">{i18n.t("leads-title")}</caption>
                    <thead><tr>
                        <th scope="col">{i18n.t("lead-name")}</th>
                        <th scope="col">{i18n.t("lead-status")}</th>
                        <th scope="col">{i18n.t("lead-score")}</th>
                        <th scope="col">{i18n.t("lead-source")}</th>
                        <th scope="col">{i18n.t("lead-owner")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
    };
    view! {
        <div class="cust-page">
            <div class="cust-head">
                <h1>{move || i18n.t("leads-title")}</h1>
                <div class="cust-head__actions">
                    <Show when=may_setup>
                        <a href="/leads/setup" class="button" data-testid="lead-setup">{move || i18n.t("leads-setup")}</a>
                    </Show>
                    <a href="/leads/new" class="button button--primary" data-testid="new-lead">{move || i18n.t("leads-new")}</a>
                </div>
            </div>
            <form class="cust-toolbar lead-toolbar" role="search" on:submit=move |ev| { ev.prevent_default(); load(); }>
                <label class="visually-hidden" for="lead-search">{move || i18n.t("leads-search")}</label>
                <input id="lead-search" class="field__input cust-search" type="search" data-testid="lead-search"
                    placeholder=move || i18n.t("leads-search") bind:value=q />
                <label class="visually-hidden" for="lead-status-filter">{move || i18n.t("lead-status")}</label>
                <select id="lead-status-filter" class="field__input" data-testid="lead-status-filter"
                    on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t("leads-all-statuses")}</option>
                    {STATUSES.iter().chain(["converted"].iter()).map(|s| view! {
                        <option value=*s>{move || status_label(i18n, s)}</option>
                    }).collect_view()}
                </select>
                <label class="lead-queue-toggle">
                    <input type="checkbox" data-testid="lead-queue-filter"
                        prop:checked=move || queue.get()
                        on:change=move |ev| queue.set(event_target_checked(&ev)) />
                    " "{move || i18n.t("leads-only-queue")}
                </label>
            </form>
            <div class="cust-results">{rows}</div>
        </div>
    }
}
