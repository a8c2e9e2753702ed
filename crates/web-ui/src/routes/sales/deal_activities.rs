//! What happened lately with the deal's customer, and the way to their
//! whole timeline.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

use super::{load_failed, skeleton};
use crate::api::{ApiError, encode};
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::session::Session;
use crate::time;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct ActivityLine {
    id: String,
    kind: String,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    done_at: Option<String>,
    #[serde(default)]
    due_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct ActivityList {
    data: Vec<ActivityLine>,
}

/// The customer's latest activities, and the way to their whole timeline.
#[component]
pub fn CustomerActivities(customer_id: String) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let lang = i18n.lang().code();
    let list = RwSignal::new(None::<Result<Vec<ActivityLine>, ApiError>>);
    let cid = customer_id.clone();
    let load = move || {
        let cid = cid.clone();
        spawn_local(async move {
            let r = session
                .get_json::<ActivityList>(&format!(
                    "/activities?customer_id={}&limit=5",
                    encode(&cid)
                ))
                .await
                .map(|l| l.data);
            let _ = list.try_set(Some(r));
        });
    };
    load();
    let rows = move || {
        match list.get() {
        None => skeleton(),
        Some(Err(e)) => load_failed(i18n, &e, load.clone()),
        Some(Ok(l)) if l.is_empty() => view! { <p class="muted">{i18n.t("sales-no-activities")}</p> }.into_any(),
        Some(Ok(l)) => l
            .into_iter()
            .map(|a| {
                let kind = i18n.t(&format!("sales-activity-{}", a.kind));
                let title = a.subject.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| kind.clone());
                let when = a.done_at.as_ref().or(a.due_at.as_ref()).map(|w| time::date_time(w, lang));
                view! {
                    <li class="deal-activity" data-testid="deal-activity">
                        <a href=format!("/activities/{}", encode(&a.id))>{title}</a>
                        <span class="muted">{format!("{kind}{}", when.map(|w| format!(" · {w}")).unwrap_or_default())}</span>
                    </li>
                }
            })
            .collect_view()
            .into_any(),
    }
    };
    view! {
        <section class="card cust-section" data-testid="deal-activities" aria-labelledby="h-deal-acts">
            <div class="cust-section__head">
                <h2 id="h-deal-acts">{t("sales-customer-activities")}</h2>
                <a class="button button--ghost" data-testid="deal-timeline" href=format!("/customers/{}/timeline", encode(&customer_id))>
                    {move || format!("{} →", i18n.t("sales-open-timeline"))}
                </a>
            </div>
            <ul class="cust-plain deal-activities">{rows}</ul>
        </section>
    }
}
