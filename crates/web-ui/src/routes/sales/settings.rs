//! Sales settings (`/sales/settings`, for managers): the loss reasons and
//! the competitor list (add, rename, retire) and the pipelines with their
//! stages and checklists (see `setup.rs`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use super::model::{Competitor, LossReason, competitors, loss_reasons};
use super::setup::PipelinesCard;
use super::{is_manager, load_failed, skeleton};
use crate::api::{ApiError, Call, encode};
use crate::components::ProblemAlert;
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::session::Session;

/// One entry of a settings list: a loss reason or a competitor.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    id: String,
    name: String,
    active: bool,
}

#[derive(Serialize)]
struct Label {
    label: String,
}

#[derive(Serialize)]
struct Name {
    name: String,
}

#[derive(Serialize)]
struct Active {
    active: bool,
}

#[component]
pub fn SalesSettingsPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    view! {
        <div class="sales-page settings-page">
            <div class="cust-head"><h1>{t("sales-settings-title")}</h1></div>
            <super::SalesLinks />
            {move || (!is_manager(session)).then(|| view! {
                <p class="alert alert--info" data-testid="settings-read-only">{i18n.t("sales-settings-read-only")}</p>
            })}
            <div class="settings-grid">
                <EntryList kind="loss-reasons" />
                <EntryList kind="competitors" />
            </div>
            <PipelinesCard />
        </div>
    }
}

/// `kind`: `loss-reasons` or `competitors` (also the API's path).
#[component]
fn EntryList(kind: &'static str) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let list = RwSignal::new(None::<Result<Vec<Entry>, ApiError>>);
    let load = move || {
        spawn_local(async move {
            let r = if kind == "loss-reasons" {
                loss_reasons(session).await.map(|l| {
                    l.into_iter()
                        .map(|r: LossReason| Entry {
                            id: r.id,
                            name: r.label,
                            active: r.active,
                        })
                        .collect()
                })
            } else {
                competitors(session).await.map(|l| {
                    l.into_iter()
                        .map(|c: Competitor| Entry {
                            id: c.id,
                            name: c.name,
                            active: c.active,
                        })
                        .collect()
                })
            };
            let _ = list.try_set(Some(r));
        });
    };
    load();
    let may = is_manager(session);
    let error = RwSignal::new(None::<ApiError>);
    let new_name = RwSignal::new(String::new());
    let body = move |name: String| -> serde_json::Value {
        if kind == "loss-reasons" {
            serde_json::to_value(Label { label: name }).unwrap_or_default()
        } else {
            serde_json::to_value(Name { name }).unwrap_or_default()
        }
    };
    let send = move |call: Call| {
        spawn_local(async move {
            match session.send(&call).await {
                Ok(()) => {
                    let _ = error.try_set(None);
                    load();
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked().trim().to_owned();
        if name.is_empty() {
            return;
        }
        new_name.set(String::new());
        send(Call::create(format!("/{kind}"), &body(name)));
    };
    let rows = move || {
        match list.get() {
        None => skeleton(),
        Some(Err(e)) => load_failed(i18n, &e, load),
        Some(Ok(l)) if l.is_empty() => view! { <p class="muted">{i18n.t("sales-settings-empty")}</p> }.into_any(),
        Some(Ok(l)) => l
            .into_iter()
            .map(|e| {
                let name = RwSignal::new(e.name.clone());
                let path = format!("/{kind}/{}", encode(&e.id));
                let (p1, p2) = (path.clone(), path);
                let original = e.name.clone();
                let active = e.active;
                view! {
                    <li class=if active { "setting-entry" } else { "setting-entry setting-entry--retired" } data-testid=format!("{kind}-entry")>
                        {if may {
                            view! {
                                <input class="field__input" aria-label=i18n.t("sales-name") bind:value=name data-testid=format!("{kind}-name")
                                    on:change=move |_| {
                                        let n = name.get_untracked().trim().to_owned();
                                        if !n.is_empty() && n != original {
                                            send(Call::patch_no_version(p1.clone(), &body(n)));
                                        }
                                    } />
                                <button type="button" class="button button--ghost" data-testid=format!("{kind}-toggle")
                                    on:click=move |_| send(Call::patch_no_version(p2.clone(), &Active { active: !active }))>
                                    {i18n.t(if active { "sales-retire" } else { "sales-restore" })}
                                </button>
                            }.into_any()
                        } else {
                            view! { <span>{e.name.clone()}</span> }.into_any()
                        }}
                        {(!active).then(|| view! { <span class="badge">{i18n.t("sales-retired")}</span> })}
                    </li>
                }
            })
            .collect_view()
            .into_any(),
    }
    };
    view! {
        <section class="card cust-section" data-testid=format!("settings-{kind}") aria-labelledby=format!("h-{kind}")>
            <h2 id=format!("h-{kind}")>{t(if kind == "loss-reasons" { "sales-loss-reasons" } else { "sales-competitors" })}</h2>
            <ul class="cust-plain setting-list">{rows}</ul>
            {may.then(|| view! {
                <form class="setting-add" on:submit=add novalidate>
                    <input class="field__input" data-testid=format!("{kind}-new") aria-label=i18n.t("sales-name")
                        placeholder=i18n.t(if kind == "loss-reasons" { "sales-loss-reason-new" } else { "sales-competitor-new" })
                        bind:value=new_name />
                    <button type="submit" class="button" data-testid=format!("{kind}-add")>{i18n.t("sales-add")}</button>
                </form>
            })}
            <ProblemAlert error=error />
        </section>
    }
}
