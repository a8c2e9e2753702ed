//! A customer's history: every change to it and its contacts, field by
//! field, with who and when (审计).

use std::sync::Arc;

use leptos::prelude::*;
use serde::Deserialize;

use super::detail::Record;
use super::follow::{failed, follow_paged, more};
use super::stages::local_time;
use crate::components::customers::model::{Lookups, shown};
use crate::components::customers::t;
use crate::i18n::I18n;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct FieldChange {
    field: String,
    old: Option<String>,
    new: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Person {
    display_name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Entry {
    id: String,
    entity: String,
    action: String,
    changes: Vec<FieldChange>,
    changed_by: Option<Person>,
    api_key_id: Option<String>,
    at: String,
}

#[component]
pub fn History(record: Record, names: RwSignal<Arc<Lookups>>) -> impl IntoView {
    let i18n = I18n::get();
    let pages = follow_paged::<Entry>(record, |id| format!("/customers/{id}/history?limit=20"));
    let load_more = move |_| {
        let (Some(id), Some(cursor)) = (
            record.with_untracked(|r| r.as_ref().map(|v| v.data.id.clone())),
            pages.next.get_untracked(),
        ) else {
            return;
        };
        more(
            pages,
            format!(
                "/customers/{id}/history?limit=20&cursor={}",
                crate::api::encode(&cursor)
            ),
        );
    };
    let body = move || match pages.first.get() {
        None => view! { <span class="skeleton"></span> }.into_any(),
        Some(Err(e)) => failed(i18n, &e),
        Some(Ok(list)) => {
            let lang = i18n.lang().code();
            let n = names.get();
            let items = list
                .into_iter()
                .chain(pages.older.get())
                .map(|e| {
                    let who = e.changed_by.map(|p| p.display_name).unwrap_or_else(|| i18n.t("customers-stage-automatic"));
                    let via = e.api_key_id.map(|_| format!(" · {}", i18n.t("history-via-api")));
                    let what = i18n.t(&format!("history-{}-{}", e.entity, e.action));
                    let fields = e
                        .changes
                        .iter()
                        .map(|c| {
                            let label = i18n
                                .try_t(&format!("history-field-{}", c.field))
                                .unwrap_or_else(|| c.field.clone());
                            let text = if e.action == "create" {
                                format!("{label}: {}", shown(i18n, &n, &c.field, &c.new))
                            } else {
                                format!(
                                    "{label}: {} → {}",
                                    shown(i18n, &n, &c.field, &c.old),
                                    shown(i18n, &n, &c.field, &c.new)
                                )
                            };
                            view! { <li>{text}</li> }
                        })
                        .collect_view();
                    view! {
                        <li class="cust-stage" data-testid="history-entry" data-id=e.id>
                            <p class="cust-stage__move">{what}</p>
                            <p class="muted">{format!("{who}{} · {}", via.unwrap_or_default(), local_time(&e.at, lang))}</p>
                            <ul class="cust-history__fields">{fields}</ul>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <ul class="cust-stages">{items}</ul>
                {pages.next.get().map(|_| view! {
                    <button type="button" class="button" data-testid="history-more"
                        aria-disabled=move || pages.loading.get().then_some("true") on:click=load_more>
                        {t("action-load-more")}
                    </button>
                })}
            }
            .into_any()
        }
    };
    view! {
        <section class="card cust-section" data-testid="history" aria-labelledby="h-history">
            <h2 id="h-history">{t("history-title")}</h2>
            {body}
        </section>
    }
}
