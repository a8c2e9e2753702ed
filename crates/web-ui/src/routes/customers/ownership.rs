//! 公海 on the customer page: claim a customer from the company pool, give
//! one back with a reason, and the record of every owner change.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use super::detail::Record;
use super::follow::{failed, follow};
use super::stages::local_time;
use crate::api::{ApiError, Call};
use crate::components::customers::model::Customer;
use crate::components::customers::t;
use crate::components::problem::{field_message, summary};
use crate::i18n::I18n;
use crate::session::Session;

#[derive(Serialize)]
struct Release {
    reason: String,
}

/// What went wrong, in the reader's language: the summary and each field
/// problem's message (the limits come as problems on `owner_id`).
fn explain(i18n: I18n, e: &ApiError) -> Vec<String> {
    let fields: Vec<String> = e.fields().iter().map(|p| field_message(i18n, p)).collect();
    // a limit says it all; the generic "conflict" line would only confuse
    if fields.is_empty() {
        summary(i18n, e)
    } else {
        fields
    }
}

/// Claim (for a customer in the pool) or release (for one's own customer).
#[component]
pub fn PoolActions(record: Record) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let me = session.me_untracked().map(|m| m.id).unwrap_or_default();
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let releasing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let id = move || {
        record.with_untracked(|r| r.as_ref().map(|v| v.data.id.clone()).unwrap_or_default())
    };
    let owner = move || record.with(|r| r.as_ref().map(|v| v.data.owner_id.clone()));
    let send = move |call: Call| {
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match session.send_versioned::<Customer>(&call).await {
                Ok(v) => {
                    record.set(Some(v));
                    releasing.set(false);
                    reason.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let claim = move |_| send(Call::post(format!("/customers/{}/claim", id()), &()));
    let release = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if reason.with_untracked(|r| r.trim().is_empty()) {
            return;
        }
        let body = Release {
            reason: reason.get_untracked().trim().to_owned(),
        };
        send(Call::post(format!("/customers/{}/release", id()), &body));
    };
    let busy = move || pending.get().then_some("true");
    let actions = move || {
        match owner() {
        Some(None) => view! {
            <button type="button" class="button button--primary" data-testid="customer-claim"
                aria-disabled=busy on:click=claim>
                {t("pool-claim")}
            </button>
        }
        .into_any(),
        Some(Some(o)) if o == me && !releasing.get() => view! {
            <button type="button" class="button" data-testid="customer-release"
                on:click=move |_| { releasing.set(true); error.set(None); }>
                {t("pool-release")}
            </button>
        }
        .into_any(),
        Some(Some(o)) if o == me => view! {
            <form class="pool-release" data-testid="release-form" on:submit=release>
                <label class="field">
                    <span class="field__label">{t("pool-release-reason")}" *"</span>
                    <textarea rows="2" maxlength="500" data-testid="release-reason" aria-required="true"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </label>
                <div class="actions">
                    <button type="button" class="button" on:click=move |_| releasing.set(false)>{t("action-cancel")}</button>
                    <button type="submit" class="button button--primary" data-testid="release-confirm"
                        aria-disabled=move || (pending.get() || reason.with(|r| r.trim().is_empty())).then_some("true")>
                        {t("pool-release")}
                    </button>
                </div>
            </form>
        }
        .into_any(),
        _ => ().into_any(),
    }
    };
    view! {
        <div class="pool-actions">
            {actions}
            {move || error.get().map(|e| {
                let lines = explain(i18n, &e).into_iter().map(|l| view! { <p>{l}</p> }).collect_view();
                view! { <div class="alert" role="alert" data-testid="pool-error">{lines}</div> }
            })}
        </div>
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Person {
    display_name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Team {
    name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Change {
    id: String,
    kind: String,
    from: Option<Person>,
    to: Option<Person>,
    #[serde(default)]
    to_team: Option<Team>,
    reason: Option<String>,
    changed_by: Option<Person>,
    changed_at: String,
}

/// The owner changes, newest first; reloaded when the customer changes.
#[component]
pub fn OwnerHistory(record: Record) -> impl IntoView {
    let i18n = I18n::get();
    let changes = follow::<Change>(record, |id| format!("/customers/{id}/owner-changes"));
    let name = move |p: Option<Person>| {
        p.map(|p| p.display_name)
            .unwrap_or_else(|| i18n.t("customers-owner-pool"))
    };
    let body = move || {
        match changes.get() {
        None => view! { <span class="skeleton"></span> }.into_any(),
        Some(Err(e)) => failed(i18n, &e),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="muted" data-testid="no-owner-changes">{i18n.t("pool-no-owner-changes")}</p> }.into_any()
        }
        Some(Ok(list)) => {
            let lang = i18n.lang().code();
            let items = list
                .into_iter()
                .map(|c| {
                    let who = c.changed_by.map(|p| p.display_name).unwrap_or_default();
                    let to = match c.to_team {
                        Some(t) if c.to.is_none() => i18n.t_args("pool-team-pool", &[("team", t.name.into())]),
                        _ => name(c.to),
                    };
                    view! {
                        <li class="cust-stage" data-testid="owner-change" data-id=c.id>
                            <p class="cust-stage__move">{format!("{}: {} → {}", i18n.t(&format!("pool-change-{}", c.kind)), name(c.from), to)}</p>
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
        <section class="card cust-section" data-testid="owner-history" aria-labelledby="h-owners">
            <h2 id="h-owners">{t("pool-owner-history")}</h2>
            {body}
        </section>
    }
}
