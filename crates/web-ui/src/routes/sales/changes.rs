//! A deal's changes (审计): who changed what and when, newest first, as its
//! history log keeps them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

use super::deal::Deal;
use super::money::money;
use super::{date, load_failed, skeleton};
use crate::api::{ApiError, encode};
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::session::Session;
use crate::time;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Change {
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
    action: String,
    #[serde(default)]
    changes: Vec<Change>,
    #[serde(default)]
    changed_by: Option<Person>,
    #[serde(default)]
    api_key_id: Option<String>,
    at: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Page {
    data: Vec<Entry>,
}

/// How many of the latest changes the page shows.
const SHOWN: usize = 20;

/// Fields that hold ids: a change names the field, not the ids.
const REFERENCES: [&str; 10] = [
    "customer_id",
    "pipeline_id",
    "owner_id",
    "team_id",
    "region_id",
    "product_line_id",
    "contact_ids",
    "source_lead_id",
    "loss_reason_id",
    "lost_to_competitor_id",
];

/// A field's value as the reader reads it.
fn shown(i18n: I18n, deal: Deal, field: &str, value: &Option<String>) -> String {
    let Some(v) = value else {
        return "—".to_owned();
    };
    let lang = i18n.lang().code();
    match field {
        "amount_minor" => v.parse::<i64>().map_or_else(
            |_| v.clone(),
            |m| money(m, &deal.with(|d| d.deal.currency.clone()), lang),
        ),
        "expected_close_on" | "closed_on" => date(i18n, v),
        // tracked: the pipeline may arrive after the changes
        "stage_id" => deal
            .pipeline
            .with(|p| p.as_ref().map(|p| p.stage_label(i18n, v, v)))
            .unwrap_or_else(|| v.clone()),
        "status" => i18n.t(&format!("sales-status-{v}")),
        "probability_override" => format!("{v} %"),
        _ => v.clone(),
    }
}

#[component]
pub fn ChangesCard() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let deal = Deal::get();
    let list = RwSignal::new(None::<Result<Vec<Entry>, ApiError>>);
    let load = move || {
        let id = deal.id();
        spawn_local(async move {
            let r = session
                .get_json::<Page>(&format!(
                    "/opportunities/{}/audit?limit={SHOWN}",
                    encode(&id)
                ))
                .await
                .map(|p| p.data);
            let _ = list.try_set(Some(r));
        });
    };
    // each change of the deal is a new version and a new entry: read again
    Effect::new(move |_| {
        deal.with(|d| d.deal.version);
        load();
    });
    let rows = move || match list.get() {
        None => skeleton(),
        Some(Err(e)) => load_failed(i18n, &e, load),
        Some(Ok(entries)) => {
            let lang = i18n.lang().code();
            entries
                .into_iter()
                .map(|e| {
                    let who = e
                        .changed_by
                        .map(|p| p.display_name)
                        .unwrap_or_else(|| i18n.t("sales-change-automatic"));
                    let via = e
                        .api_key_id
                        .map(|_| format!(" · {}", i18n.t("sales-change-via-api")))
                        .unwrap_or_default();
                    let what = i18n
                        .try_t(&format!("sales-change-{}", e.action))
                        .unwrap_or_else(|| e.action.clone());
                    let creating = e.action == "create";
                    let fields = e
                        .changes
                        .iter()
                        // a new deal's empty fields say nothing
                        .filter(|c| !(creating && c.new.is_none()))
                        .map(|c| {
                            let label = i18n
                                .try_t(&format!("sales-field-{}", c.field))
                                .unwrap_or_else(|| c.field.clone());
                            let text = if REFERENCES.contains(&c.field.as_str()) {
                                i18n.t_args("sales-change-set", &[("field", label.into())])
                            } else if creating {
                                format!("{label}: {}", shown(i18n, deal, &c.field, &c.new))
                            } else {
                                format!(
                                    "{label}: {} → {}",
                                    shown(i18n, deal, &c.field, &c.old),
                                    shown(i18n, deal, &c.field, &c.new)
                                )
                            };
                            view! { <li data-testid="change-field">{text}</li> }
                        })
                        .collect_view();
                    view! {
                        <li class="cust-stage" data-testid="change-entry" data-id=e.id>
                            <p class="cust-stage__move">{what}</p>
                            <p class="muted">{format!("{who}{via} · {}", time::date_time(&e.at, lang))}</p>
                            <ul class="cust-history__fields">{fields}</ul>
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        }
    };
    view! {
        <section class="card cust-section" data-testid="deal-changes" aria-labelledby="h-deal-changes">
            <h2 id="h-deal-changes">{t("sales-changes")}</h2>
            <ol class="cust-stages">{rows}</ol>
        </section>
    }
}
