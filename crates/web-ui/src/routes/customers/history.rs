//! A customer's history: every change to it and its contacts, field by
//! field, with who and when (审计).

use std::sync::Arc;

use leptos::prelude::*;
use serde::Deserialize;

use super::detail::Record;
use super::follow::{failed, follow};
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
    let entries = follow::<Entry>(record, |id| format!("/customers/{id}/history?limit=50"));
    let body = move || match entries.get() {
        None => view! { <span class="skeleton"></span> }.into_any(),
        Some(Err(e)) => failed(i18n, &e),
        Some(Ok(list)) => {
            let lang = i18n.lang().code();
            let n = names.get();
            let items = list
                .into_iter()
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
            view! { <ul class="cust-stages">{items}</ul> }.into_any()
        }
    };
    view! {
        <section class="card cust-section" data-testid="history" aria-labelledby="h-history">
            <h2 id="h-history">{t("history-title")}</h2>
            {body}
        </section>
    }
}
