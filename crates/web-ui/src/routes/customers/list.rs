//! The customer list: search as you type, filters, sort and cursor paging.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::filters::{FilterPanel, Filters};
use crate::api::{ApiError, Call};
use crate::components::customers::form::focus_first;
use crate::components::customers::model::{Customer, Lookups, Page, lookups, take_undo};
use crate::components::customers::t;
use crate::components::problem::summary;

/// The media type of an Excel workbook, as the API sends it.
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Loading,
    Ready,
    More,
    Failed(ApiError),
}

/// Undo offer (and its outcome) after a delete on the customer's page.
#[derive(Debug, Clone, PartialEq)]
enum Toast {
    Deleted(String, String),
    Restored(String),
    Failed(String),
}

#[component]
pub fn CustomerListPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let filters = Memo::new(move |_| Filters::from_query(|k| router.param(k)));

    let items = RwSignal::new(Vec::<Customer>::new());
    let next = RwSignal::new(None::<String>);
    let total = RwSignal::new(None::<i64>);
    let status = RwSignal::new(Status::Loading);
    let generation = StoredValue::new(0u32);
    let names = RwSignal::new(Arc::new(Lookups::default()));
    let sheet = RwSignal::new(false);
    let toast = RwSignal::new(take_undo().map(|(id, name)| Toast::Deleted(id, name)));

    spawn_local(async move {
        // without names the list still works; it shows no owner or region names
        if let Ok(l) = lookups(session).await {
            names.set(l);
        }
    });

    // the page the last load asked for, so a retry asks for it again
    let asked = StoredValue::new(None::<String>);
    let load = move |cursor: Option<String>| {
        asked.set_value(cursor.clone());
        let f = filters.get_untracked();
        let g = generation.get_value() + 1;
        generation.set_value(g);
        status.set(if cursor.is_some() {
            Status::More
        } else {
            Status::Loading
        });
        spawn_local(async move {
            let r = session
                .get_json::<Page<Customer>>(&f.api_path(cursor.as_deref()))
                .await;
            // a newer search replaced this one, or the page is gone (signed
            // out meanwhile): reading a disposed value would abort the app
            if generation.try_get_value() != Some(g) {
                return;
            }
            match r {
                Ok(page) => {
                    if cursor.is_some() {
                        items.update(|v| v.extend(page.data));
                    } else {
                        items.set(page.data);
                        total.set(page.total);
                    }
                    next.set(page.next_cursor);
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
    crate::components::connection::retry_when_back(move || {
        if matches!(status.get_untracked(), Status::Failed(_)) {
            load(asked.get_value());
        }
    });

    let apply = move |f: Filters, replace: bool| {
        router.navigate(&format!("/customers{}", f.to_query()), replace, false);
    };
    let set_filters = Callback::new(move |f: Filters| apply(f, false));

    // search as you type, 300 ms after the last key
    let typed = RwSignal::new(filters.get_untracked().q);
    let typing = StoredValue::new((0u32, 0u32));
    Effect::new(move |_| {
        let q = filters.with(|f| f.q.clone());
        let (t, fired) = typing.get_value();
        if t == fired && typed.get_untracked() != q {
            typed.set(q);
        }
    });
    let on_input = move |ev: leptos::ev::Event| {
        typed.set(event_target_value(&ev));
        let n = typing.get_value().0 + 1;
        typing.update_value(|t| t.0 = n);
        set_timeout(
            move || {
                if typing.get_value().0 != n {
                    return;
                }
                typing.update_value(|t| t.1 = n);
                let mut f = filters.get_untracked();
                f.q = typed.get_untracked().trim().to_owned();
                if f != filters.get_untracked() {
                    apply(f, true);
                }
            },
            Duration::from_millis(300),
        );
    };

    let undo = move |id: String, name: String| {
        spawn_local(async move {
            let r = session
                .send(&Call::post(format!("/customers/{id}/restore"), &()))
                .await;
            toast.set(Some(match r {
                Ok(()) => Toast::Restored(name),
                Err(e) => Toast::Failed(summary(i18n, &e).join(" ")),
            }));
            load(None);
        });
    };

    let count_line = move || {
        total.get().map(|n| {
            view! { <p class="muted cust-count" role="status" data-testid="customer-count">{i18n.t_args("customers-count", &[("count", n.into())])}</p> }
        })
    };

    let body = move || match status.get() {
        Status::Loading => skeleton().into_any(),
        Status::Failed(e) if items.with(Vec::is_empty) || !matches!(e, ApiError::Network) => {
            let lines = summary(i18n, &e)
                .into_iter()
                .map(|l| view! { <p>{l}</p> })
                .collect_view();
            view! {
                <div class="alert" role="alert" data-testid="list-error">
                    <p class="alert__title">{i18n.t("customers-load-failed")}</p>
                    {lines}
                    <button type="button" class="button" data-testid="list-retry" on:click=move |_| load(None)>{i18n.t("action-retry")}</button>
                </div>
            }
            .into_any()
        }
        _ if items.with(Vec::is_empty) => empty_state(filters, set_filters).into_any(),
        _ => view! { <Rows items=items names=names /> }.into_any(),
    };

    let more = move || {
        let busy = status.get() == Status::More;
        let failed =
            matches!(status.get(), Status::Failed(ApiError::Network)) && !items.with(Vec::is_empty);
        (next.with(Option::is_some) && (matches!(status.get(), Status::Ready | Status::More) || failed)).then(|| view! {
            {failed.then(|| view! { <p class="alert" role="alert">{i18n.t("error-network")}</p> })}
            <button type="button" class="button cust-more" data-testid="load-more"
                aria-disabled=busy.then_some("true")
                on:click=move |_| if !busy { load(next.get_untracked()) }>
                {if busy { i18n.t("loading") } else { i18n.t("action-load-more") }}
            </button>
        })
    };

    let exporting = RwSignal::new(false);
    let export_menu = RwSignal::new(false);
    let export_error = RwSignal::new(None::<ApiError>);
    let export = move |xlsx: bool| {
        export_menu.set(false);
        if exporting.get_untracked() {
            return;
        }
        exporting.set(true);
        export_error.set(None);
        let path = filters.get_untracked().export_path(xlsx);
        spawn_local(async move {
            let saved = if xlsx {
                match session.call(&Call::get(path)).await {
                    Ok(resp) => resp.binary().await.map_err(|_| ApiError::Decode).map(|b| {
                        crate::components::download::save_bytes(
                            &b,
                            XLSX_TYPE,
                            "kehu-customers.xlsx",
                        )
                    }),
                    Err(e) => Err(e),
                }
            } else {
                session.text(&Call::get(path)).await.map(|(_, csv)| {
                    crate::components::download::save_file(&csv, "kehu-customers.csv")
                })
            };
            if let Err(e) = saved {
                export_error.set(Some(e));
            }
            exporting.set(false);
        });
    };

    view! {
        <div class="cust-page">
            <div class="cust-head">
                <h1>{t("customers-title")}</h1>
                <div class="cust-head__actions">
                    <div class="cust-export">
                        <button type="button" class="button" data-testid="export-customers"
                            aria-haspopup="menu" aria-expanded=move || export_menu.get().to_string()
                            aria-disabled=move || exporting.get().then_some("true")
                            on:click=move |_| if !exporting.get_untracked() { export_menu.update(|o| *o = !*o) }>
                            {move || if exporting.get() { i18n.t("customers-exporting") } else { i18n.t("customers-export") }}
                        </button>
                        {move || export_menu.get().then(|| view! {
                            <div class="cust-export__menu" role="menu">
                                <button type="button" role="menuitem" class="button" data-testid="export-csv"
                                    on:click=move |_| export(false)>{t("customers-export-csv")}</button>
                                <button type="button" role="menuitem" class="button" data-testid="export-xlsx"
                                    on:click=move |_| export(true)>{t("customers-export-xlsx")}</button>
                            </div>
                        })}
                    </div>
                    <a href="/import" class="button cust-import" data-testid="import-customers">{t("customers-import")}</a>
                    <a href="/customers/new" class="button button--primary cust-new" data-testid="new-customer">
                        {Signal::derive(move || format!("+ {}", i18n.t("nav-new-customer")))}
                    </a>
                </div>
            </div>
            {move || export_error.get().map(|e| {
                let lines = summary(i18n, &e).into_iter().map(|l| view! { <p>{l}</p> }).collect_view();
                view! { <div class="alert" role="alert" data-testid="export-error">{lines}</div> }
            })}
            <div class="cust-toolbar" role="search">
                <label class="visually-hidden" for="customer-search">{t("customers-search-label")}</label>
                <input id="customer-search" class="field__input cust-search" type="search" data-testid="customer-search"
                    enterkeyhint="search" autocomplete="off"
                    placeholder=t("customers-search-placeholder")
                    prop:value=Signal::derive(move || typed.get()) on:input=on_input />
                <button type="button" class="button cust-filter-button" data-testid="open-filters"
                    aria-expanded=Signal::derive(move || sheet.get().to_string())
                    on:click=move |_| {
                        sheet.set(true);
                        focus_first("[data-testid='filter-panel'] select".into());
                    }>
                    {move || match filters.with(Filters::count) {
                        0 => i18n.t("action-filter"),
                        n => format!("{} ({n})", i18n.t("action-filter")),
                    }}
                </button>
            </div>
            <div class="cust-layout">
                <FilterPanel filters=filters set=set_filters lookups=names open=sheet />
                <div class="cust-results" aria-busy=Signal::derive(move || (status.get() == Status::Loading).to_string())>
                    {count_line}
                    {body}
                    {more}
                </div>
            </div>
            {move || toast.get().map(|t| {
                let (text, undo_of) = match t {
                    Toast::Deleted(id, name) => (i18n.t_args("customers-deleted", &[("name", name.clone().into())]), Some((id, name))),
                    Toast::Restored(name) => (i18n.t_args("customers-restored", &[("name", name.into())]), None),
                    Toast::Failed(msg) => (msg, None),
                };
                view! {
                    <div class="toast" role="status" data-testid="toast">
                        <span>{text}</span>
                        {undo_of.map(|(id, name)| view! {
                            <button type="button" class="button" data-testid="undo" on:click=move |_| undo(id.clone(), name.clone())>{i18n.t("action-undo")}</button>
                        })}
                        <button type="button" class="button button--ghost" aria-label=i18n.t("action-close") on:click=move |_| toast.set(None)>"×"</button>
                    </div>
                }
            })}
        </div>
    }
}

fn skeleton() -> impl IntoView {
    view! {
        <div class="cust-skeleton" data-testid="list-loading">
            <span class="visually-hidden" role="status">{t("loading")}</span>
            {(0..6).map(|_| view! { <div class="cust-skeleton__row"><span class="skeleton"></span><span class="skeleton"></span></div> }).collect_view()}
        </div>
    }
}

fn empty_state(filters: Memo<Filters>, set: Callback<Filters>) -> impl IntoView {
    let i18n = I18n::get();
    let filtered = filters.with_untracked(|f| f.count() > 0 || !f.q.is_empty());
    if filtered {
        view! {
            <div class="empty card" data-testid="empty-filtered">
                <h2>{i18n.t("customers-no-matches")}</h2>
                <p>{i18n.t("customers-no-matches-hint")}</p>
                <button type="button" class="button" data-testid="empty-clear"
                    on:click=move |_| set.run(Filters { sort: filters.get_untracked().sort, ..Filters::default() })>
                    {i18n.t("customers-clear-filters")}
                </button>
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="empty card" data-testid="empty-none">
                <h2>{i18n.t("customers-none-yet")}</h2>
                <p>{i18n.t("customers-none-yet-hint")}</p>
                <a href="/customers/new" class="button button--primary">{i18n.t("customers-create-first")}</a>
            </div>
        }
        .into_any()
    }
}

#[component]
fn Rows(items: RwSignal<Vec<Customer>>, names: RwSignal<Arc<Lookups>>) -> impl IntoView {
    view! {
        <table class="table cust-table" data-testid="customer-list">
            <caption class="visually-hidden">{t("customers-title")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("customers-field-name")}</th>
                    <th scope="col">{t("customers-field-stage")}</th>
                    <th scope="col">{t("customers-field-owner")}</th>
                    <th scope="col">{t("customers-field-region")}</th>
                    <th scope="col">{t("customers-updated")}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    let (l, _) = (names.get(), I18n::get().lang());
                    items.get().into_iter().map(|c| view! { <Row c=c names=l.clone() /> }).collect_view()
                }}
            </tbody>
        </table>
    }
}

/// One customer; static, re-rendered with the list when names or the language change.
#[component]
fn Row(c: Customer, names: Arc<Lookups>) -> impl IntoView {
    let i18n = I18n::get();
    let stage = &c.lifecycle_stage;
    let owner = match &c.owner_id {
        None => i18n.t("customers-owner-pool"),
        Some(id) => names.user(id).unwrap_or_else(|| "—".into()),
    };
    let region = c
        .region_id
        .as_ref()
        .and_then(|id| names.region(id))
        .unwrap_or_else(|| "—".into());
    let tags = c
        .tags
        .iter()
        .map(|t| view! { <span class="cust-tag">{t.clone()}</span> })
        .collect_view();
    view! {
        <tr class="cust-row" data-testid="customer-row">
            <td class="cust-row__name">
                <a href=format!("/customers/{}", c.id) class="cust-row__link">{c.name.clone()}</a>
                <span class="cust-row__meta">{i18n.t(&format!("kind-{}", c.kind))}{tags}</span>
            </td>
            <td class="cust-row__stage">
                <span class=format!("badge badge--{stage}")>{i18n.t(&format!("stage-{stage}"))}</span>
            </td>
            <td class="cust-row__owner" data-label=i18n.t("customers-field-owner")>{owner}</td>
            <td class="cust-row__region" data-label=i18n.t("customers-field-region")>{region}</td>
            <td class="cust-row__updated" data-label=i18n.t("customers-updated")>
                {c.updated_at.get(..10).unwrap_or_default().to_owned()}
            </td>
        </tr>
    }
}
