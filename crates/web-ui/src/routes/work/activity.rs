//! One activity (`/activities/{id}`): everything about it, and what the
//! reader may do with it — mark done, change, delete, be reminded.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::item::{kind_label, title, when};
use super::log::ActivityForm;
use super::model::{Activity, mark_done};
use super::remind::RemindMe;
use super::{load_failed, skeleton};
use crate::api::{ApiError, Call};
use crate::components::ProblemAlert;
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;
use crate::time;

#[component]
pub fn ActivityPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let id = StoredValue::new(router.segment(1));
    let activity = RwSignal::new(None::<Result<Activity, ApiError>>);
    let load = move || {
        activity.set(None);
        spawn_local(async move {
            let r = session
                .get_json::<Activity>(&format!(
                    "/activities/{}",
                    crate::api::encode(&id.get_value())
                ))
                .await;
            let _ = activity.try_set(Some(r));
        });
    };
    load();
    move || {
        match activity.get() {
        None => skeleton(),
        Some(Err(e)) if matches!(e.status(), Some(404 | 400)) => view! {
            <div class="empty card" data-testid="activity-not-found">
                <h1>{i18n.t("activity-not-found")}</h1>
                <p>{i18n.t("activity-not-found-hint")}</p>
                <a href="/day" class="button button--primary">{i18n.t("nav-day")}</a>
            </div>
        }
        .into_any(),
        Some(Err(e)) => load_failed(i18n, &e, load),
        Some(Ok(a)) => view! { <Loaded activity=a on_change=Callback::new(move |a| activity.set(Some(Ok(a)))) /> }.into_any(),
    }
    }
}

#[component]
fn Loaded(activity: Activity, on_change: Callback<Activity>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let editing = RwSignal::new(false);
    let confirm_delete = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let a = StoredValue::new(activity.clone());
    let timeline = format!("/customers/{}/timeline", activity.customer_id);
    let done = move |_| {
        busy.set(true);
        spawn_local(async move {
            match mark_done(session, &a.get_value()).await {
                Ok(x) => on_change.run(x),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    let _ = busy.try_set(false);
                }
            }
        });
    };
    let timeline2 = timeline.clone();
    let delete = move |_| {
        busy.set(true);
        let x = a.get_value();
        let to = timeline2.clone();
        spawn_local(async move {
            let mut call = Call::delete(format!("/activities/{}", x.id));
            call.if_match = Some(x.etag());
            match session.send(&call).await {
                Ok(()) => router.navigate(&format!("{to}?deleted=1"), true, true),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    let _ = busy.try_set(false);
                }
            }
        });
    };
    let details = move || {
        let lang = i18n.lang().code();
        let x = a.get_value();
        let row = |key: &'static str, value: Option<String>, testid: &'static str| {
            value.filter(|v| !v.is_empty()).map(|v| {
                view! { <div><dt>{t(key)}</dt><dd data-testid=testid>{v}</dd></div> }
            })
        };
        let place = x.place.as_ref().map(|p| {
        let map = p.lat.zip(p.lon).map(|(lat, lon)| {
            view! {
                <a href=format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}") target="_blank" rel="noopener">
                    {t("activity-show-map")}
                </a>
            }
        });
        view! { <div><dt>{t("activity-place")}</dt><dd data-testid="activity-place">{p.label.clone().unwrap_or_default()}" "{map}</dd></div> }
    });
        view! {
            <dl class="cust-facts work-facts">
                {row("activity-when", Some(when(i18n, &x)), "activity-when")}
                {row("activity-owner", x.owner.as_ref().map(|o| o.name.clone()), "activity-owner")}
                {row("activity-contact", x.contact.as_ref().map(|c| c.name.clone()), "activity-contact")}
                {row("activity-participants", Some(x.participants.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", ")), "activity-participants")}
                {row("activity-follow-up", x.next_follow_up_on.as_deref().map(|d| time::date_label(d, lang)), "activity-follow-up")}
                {place}
                {row("activity-created-by", x.created_by.as_ref().map(|p| p.name.clone()), "activity-created-by")}
            </dl>
            {x.outcome.clone().filter(|o| !o.is_empty()).map(|o| view! {
                <h2 class="work-subhead">{t("activity-outcome")}</h2><p class="cust-notes" data-testid="activity-outcome">{o}</p>
            })}
            {x.notes.clone().filter(|o| !o.is_empty()).map(|o| view! {
                <h2 class="work-subhead">{t("activity-notes")}</h2><p class="cust-notes" data-testid="activity-notes">{o}</p>
            })}
        }
    };
    let x = activity.clone();
    let allowed = x.allowed.unwrap_or_default();
    let may_update = allowed.update;
    let may_delete = allowed.delete;
    let open = x.is_open();
    let status = x.status.clone();
    view! {
        <div class="cust-page work-activity">
            <nav class="cust-back"><a href=timeline.clone()>{format!("← {}", x.customer_name)}</a></nav>
            <header class="card cust-hero">
                <div class="cust-hero__top">
                    <span class="act__kind">{kind_label(i18n, &x.kind)}</span>
                    <h1 data-testid="activity-heading">{title(i18n, &x)}</h1>
                    <span class=format!("act-status act-status--{status}") data-testid="activity-status">{i18n.t(&format!("activity-status-{status}"))}</span>
                </div>
                {move || (!editing.get()).then(details)}
                <ProblemAlert error=error />
                {move || (!editing.get()).then(|| view! {
                    <div class="cust-hero__actions">
                        {(open && may_update).then(|| view! {
                            <button type="button" class="button button--primary" data-testid="activity-done"
                                aria-disabled=move || busy.get().then_some("true") on:click=done>{t("activity-mark-done")}</button>
                        })}
                        {may_update.then(|| view! {
                            <button type="button" class="button" data-testid="activity-edit" on:click=move |_| editing.set(true)>{t("action-edit")}</button>
                        })}
                        {may_delete.then(|| view! {
                            <button type="button" class="button button--danger" data-testid="activity-delete" on:click=move |_| confirm_delete.set(true)>{t("action-delete")}</button>
                        })}
                    </div>
                })}
                <Show when=move || confirm_delete.get()>
                    <div class="alert work-confirm" role="alertdialog" aria-labelledby="confirm-delete" data-testid="confirm-delete">
                        <p id="confirm-delete">{t("activity-delete-confirm")}</p>
                        <div class="actions">
                            <button type="button" class="button" on:click=move |_| confirm_delete.set(false)>{t("action-cancel")}</button>
                            <button type="button" class="button button--danger" data-testid="confirm-delete-yes"
                                aria-disabled=move || busy.get().then_some("true") on:click=delete.clone()>{t("action-delete")}</button>
                        </div>
                    </div>
                </Show>
            </header>
            {move || editing.get().then(|| view! {
                <ActivityForm customer_id=a.get_value().customer_id kind=String::new() plan=false existing=Some(a.get_value())
                    on_saved=Callback::new(move |x: Activity| { editing.set(false); on_change.run(x); })
                    on_cancel=Callback::new(move |()| editing.set(false)) />
            })}
            <RemindMe customer_id=x.customer_id.clone() activity_id=Some(x.id.clone()) note=format!("{} · {}", title(i18n, &x), x.customer_name) />
        </div>
    }
}
