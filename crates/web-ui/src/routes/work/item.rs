//! One activity in a list (my day, a customer's timeline): what, when, with
//! whom, its state, and "done" for an open one the reader may change.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::model::{Activity, mark_done};
use crate::api::ApiError;
use crate::components::ProblemAlert;
use crate::i18n::I18n;
use crate::session::Session;
use crate::time;

/// The kind's name, e.g. "Visit" / "拜访".
pub fn kind_label(i18n: I18n, kind: &str) -> String {
    i18n.t(&format!("activity-kind-{kind}"))
}

/// Its subject, or the kind's name when it has none.
pub fn title(i18n: I18n, a: &Activity) -> String {
    a.subject
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| kind_label(i18n, &a.kind))
}

/// When it happened or is due, in the user's zone; today's by the time alone.
pub fn when(i18n: I18n, a: &Activity) -> String {
    let lang = i18n.lang().code();
    let at = |utc: &str| {
        if time::local_date(utc) == time::today() {
            time::time_of_day(utc, lang)
        } else {
            time::date_time(utc, lang)
        }
    };
    match (&a.done_at, &a.due_at) {
        (Some(d), _) => i18n.t_args("activity-when-done", &[("when", at(d).into())]),
        (None, Some(d)) if a.all_day => i18n.t_args(
            "activity-when-due",
            &[("when", time::date_label(&time::local_date(d), lang).into())],
        ),
        (None, Some(d)) => i18n.t_args("activity-when-due", &[("when", at(d).into())]),
        (None, None) => i18n.t("activity-no-due"),
    }
}

#[component]
pub fn ActivityItem(
    activity: Activity,
    /// Lists across customers name the customer too.
    #[prop(optional)]
    show_customer: bool,
    /// Told the changed activity after "done".
    #[prop(optional)]
    on_change: Option<Callback<Activity>>,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let a = RwSignal::new(activity);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let me = session.me_untracked().map(|m| m.id).unwrap_or_default();
    let done = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let current = a.get_untracked();
        spawn_local(async move {
            match mark_done(session, &current).await {
                Ok(changed) => {
                    let _ = a.try_set(changed.clone());
                    if let Some(cb) = on_change {
                        cb.run(changed);
                    }
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    move || {
        let x = a.get();
        let status = x.status.clone();
        let may_finish = x.is_open() && x.may_update(&me);
        let href = format!("/activities/{}", x.id);
        let customer = show_customer.then(|| {
            view! { <a class="act__customer" href=format!("/customers/{}", x.customer_id)>{x.customer_name.clone()}</a> }
        });
        // on a customer's timeline, whose it is; on one's day it is one's own
        let owner = (!show_customer)
            .then(|| {
                x.owner
                    .as_ref()
                    .map(|o| view! { <span data-testid="activity-owner">{o.name.clone()}</span> })
            })
            .flatten();
        let with = x.contact.as_ref().map(|c| {
            view! { <span>{i18n.t_args("activity-with", &[("name", c.name.clone().into())])}</span> }
        });
        let place = x
            .place
            .as_ref()
            .and_then(|p| p.label.clone())
            .filter(|l| !l.is_empty())
            .map(|l| view! { <span>{l}</span> });
        let outcome = x
            .outcome
            .clone()
            .filter(|o| !o.is_empty())
            .map(|o| view! { <p class="act__outcome">{o}</p> });
        let notes = x
            .notes
            .clone()
            .filter(|n| !n.is_empty())
            .map(|n| view! { <p class="act__notes">{n}</p> });
        view! {
            <article class=format!("act act--{} act--{status}", x.kind) data-testid="activity" data-id=x.id.clone() data-status=status.clone()>
                <div class="act__head">
                    <span class="act__kind">{kind_label(i18n, &x.kind)}</span>
                    <a class="act__title" href=href data-testid="activity-title">{title(i18n, &x)}</a>
                    <span class=format!("act-status act-status--{status}") data-testid="activity-status">{i18n.t(&format!("activity-status-{status}"))}</span>
                </div>
                <p class="act__meta">
                    {customer}
                    <span data-testid="activity-when">{when(i18n, &x)}</span>
                    {owner}
                    {with}
                    {place}
                </p>
                {outcome}
                {notes}
                {may_finish.then(|| view! {
                    <button type="button" class="button act__done" data-testid="activity-done"
                        aria-disabled=move || busy.get().then_some("true") on:click=done>
                        {i18n.t("activity-mark-done")}
                    </button>
                })}
                <ProblemAlert error=error />
            </article>
        }
    }
}
