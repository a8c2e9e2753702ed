//! A customer's lifecycle stage changes: from, to, who, when and why.

use leptos::prelude::*;
use serde::Deserialize;

use super::detail::Record;
use super::follow::{failed, follow};
use crate::components::customers::t;
use crate::i18n::I18n;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Change {
    id: String,
    from: String,
    to: String,
    reason: Option<String>,
    automatic: bool,
    changed_by: Option<Person>,
    changed_at: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Person {
    display_name: String,
}

/// The time in the reader's time zone and language, e.g. 2026/11/23 16:30.
pub(crate) fn local_time(utc: &str, lang: &str) -> String {
    use web_sys::js_sys::{Date, Object, Reflect};
    let options = Object::new();
    for (k, v) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        let _ = Reflect::set(&options, &k.into(), &v.into());
    }
    Date::new(&utc.into())
        .to_locale_string(lang, &options)
        .as_string()
        .unwrap_or_else(|| utc.to_owned())
}

/// Reloads whenever the customer's version changes, so a stage edited on
/// this page shows up here at once.
#[component]
pub fn StageHistory(record: Record) -> impl IntoView {
    let i18n = I18n::get();
    let changes = follow::<Change>(record, |id| format!("/customers/{id}/stage-changes"));
    let stage = move |s: &str| i18n.t(&format!("stage-{s}"));
    let body = move || {
        match changes.get() {
        None => view! { <span class="skeleton"></span> }.into_any(),
        Some(Err(e)) => failed(i18n, &e),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="muted" data-testid="no-stage-changes">{i18n.t("customers-no-stage-changes")}</p> }.into_any()
        }
        Some(Ok(list)) => {
            let lang = i18n.lang().code();
            let items = list
                .into_iter()
                .map(|c| {
                    let who = if c.automatic {
                        i18n.t("customers-stage-automatic")
                    } else {
                        c.changed_by.map(|p| p.display_name).unwrap_or_default()
                    };
                    view! {
                        <li class="cust-stage" data-testid="stage-change" data-id=c.id>
                            <p class="cust-stage__move">{format!("{} → {}", stage(&c.from), stage(&c.to))}</p>
                            <p class="muted">{format!("{who} · {}", local_time(&c.changed_at, lang))}</p>
                            {c.reason.map(|r| view! { <p class="cust-stage__reason">{r}</p> })}
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="cust-stages">{items}</ul> }.into_any()
        }
    }
    };
    view! {
        <section class="card cust-section" data-testid="stage-history" aria-labelledby="h-stages">
            <h2 id="h-stages">{t("customers-stage-history")}</h2>
            {body}
        </section>
    }
}
