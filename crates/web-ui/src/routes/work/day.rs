//! My day (`/day`, the page after sign-in): what is due today, what is
//! overdue, customers waiting for a follow-up, unread reminders and the
//! customers touched last. Built for a phone: one column, the day's work
//! first, "done" and "log" within a thumb's reach.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::item::{ActivityItem, title};
use super::model::{Activity, Day, Notification, mark_read};
use super::{load_failed, skeleton};
use crate::api::{ApiError, encode};
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;
use crate::time;

#[component]
pub fn DayPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let date = Memo::new(move |_| router.param("date").filter(|d| d.len() == 10));
    let day = RwSignal::new(None::<Result<Day, ApiError>>);
    let load = move || {
        let path = match date.get_untracked() {
            Some(d) => format!("/me/day?date={}", encode(&d)),
            None => "/me/day".to_owned(),
        };
        spawn_local(async move {
            let r = session.get_json::<Day>(&path).await;
            let _ = day.try_set(Some(r));
        });
    };
    Effect::new(move |_| {
        date.track();
        day.set(None);
        load();
    });
    crate::components::connection::retry_when_back(move || {
        if day.with_untracked(|d| matches!(d, Some(Err(_)))) {
            load();
        }
    });
    let shown_date = move || {
        day.with(|d| match d {
            Some(Ok(d)) => Some(d.date.clone()),
            _ => None,
        })
        .or_else(|| date.get())
        .unwrap_or_else(time::today)
    };
    let go = move |days: i32| {
        let d = time::add_days(&shown_date(), days);
        router.navigate(&format!("/day?date={d}"), false, false);
    };
    let heading = move || {
        let d = shown_date();
        let label = time::date_label(&d, i18n.lang().code());
        if d == time::today() {
            i18n.t_args("day-today", &[("date", label.into())])
        } else {
            label
        }
    };
    view! {
        <div class="cust-page day-page">
            <div class="cust-head day-head">
                <h1 data-testid="day-heading">{heading}</h1>
                <div class="day-nav">
                    <button type="button" class="button" data-testid="day-prev" on:click=move |_| go(-1)
                        aria-label=move || i18n.t("day-previous")>"‹"</button>
                    <Show when=move || shown_date() != time::today()>
                        <a class="button" href="/day" data-testid="day-go-today">{t("day-go-today")}</a>
                    </Show>
                    <button type="button" class="button" data-testid="day-next" on:click=move |_| go(1)
                        aria-label=move || i18n.t("day-next")>"›"</button>
                </div>
            </div>
            {move || match day.get() {
                None => skeleton(),
                Some(Err(e)) => load_failed(i18n, &e, load),
                Some(Ok(d)) => view! { <DayView day=d reload=Callback::new(move |()| load()) /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn DayView(day: Day, reload: Callback<()>) -> impl IntoView {
    let i18n = I18n::get();
    let lang = i18n.lang().code();
    let acts = |list: Vec<Activity>| {
        list.into_iter()
            .map(|a| view! { <li><ActivityItem activity=a show_customer=true /></li> })
            .collect_view()
    };
    let overdue = (!day.overdue.is_empty()).then(|| {
        let n = day.overdue.len();
        view! {
            <section class="day-section day-section--overdue" data-testid="day-overdue" aria-labelledby="h-overdue">
                <h2 id="h-overdue">{move || i18n.t_args("day-overdue", &[("count", n.into())])}</h2>
                <ul class="day-list">{acts(day.overdue.clone())}</ul>
            </section>
        }
    });
    let today = if day.today.is_empty() {
        view! { <p class="muted day-empty" data-testid="day-nothing">{t("day-nothing")}</p> }
            .into_any()
    } else {
        view! { <ul class="day-list">{acts(day.today.clone())}</ul> }.into_any()
    };
    let follow_ups = if day.follow_ups.is_empty() {
        view! { <p class="muted">{t("day-no-follow-ups")}</p> }.into_any()
    } else {
        day.follow_ups
            .iter()
            .map(|a| {
                let since = a.next_follow_up_on.as_deref().map(|d| time::date_label(d, lang)).unwrap_or_default();
                view! {
                    <li class="day-follow" data-testid="day-follow-up">
                        <a class="day-follow__customer" href=format!("/customers/{}", a.customer_id)>{a.customer_name.clone()}</a>
                        <span class="muted">{i18n.t_args("day-follow-up-since", &[("date", since.into()), ("what", title(i18n, a).into())])}</span>
                        <a class="button" data-testid="day-follow-up-log" href=format!("/customers/{}/log?kind=call", a.customer_id)>{t("day-follow-up-log")}</a>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    let recent = if day.recent_customers.is_empty() {
        view! { <p class="muted">{t("day-no-recent")}</p> }.into_any()
    } else {
        day.recent_customers
            .iter()
            .map(|c| view! {
                <li data-testid="day-recent"><a href=format!("/customers/{}", c.id)>{c.name.clone()}</a></li>
            })
            .collect_view()
            .into_any()
    };
    view! {
        <div class="day-grid">
            <div class="day-main">
                {overdue}
                <section class="day-section" data-testid="day-today" aria-labelledby="h-today">
                    <h2 id="h-today">{t("day-agenda")}</h2>
                    {today}
                </section>
            </div>
            <div class="day-side">
                <section class="card cust-section" data-testid="day-reminders" aria-labelledby="h-reminders">
                    <h2 id="h-reminders">{t("day-reminders")}</h2>
                    <Reminders list=day.reminders.clone() reload=reload />
                </section>
                <section class="card cust-section" data-testid="day-follow-ups" aria-labelledby="h-follow">
                    <h2 id="h-follow">{t("day-follow-ups")}</h2>
                    <ul class="cust-plain day-follows">{follow_ups}</ul>
                </section>
                <section class="card cust-section" data-testid="day-recent-customers" aria-labelledby="h-recent">
                    <h2 id="h-recent">{t("day-recent")}</h2>
                    <ul class="cust-plain day-recent">{recent}</ul>
                </section>
            </div>
        </div>
    }
}

/// Unread reminders: open the record, or mark read where they stand.
#[component]
fn Reminders(list: Vec<Notification>, reload: Callback<()>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let unread = use_context::<crate::routes::shell::Unread>();
    if list.is_empty() {
        return view! { <p class="muted" data-testid="day-no-reminders">{t("day-no-reminders")}</p> }.into_any();
    }
    let lang = i18n.lang().code();
    let items = list
        .into_iter()
        .map(|n| {
            let id = n.id.clone();
            let read = move |_| {
                let id = id.clone();
                spawn_local(async move {
                    if mark_read(session, &id).await.is_ok() {
                        if let Some(u) = unread {
                            u.refresh();
                        }
                        reload.run(());
                    }
                });
            };
            let when = n.due_at.as_deref().map(|d| time::date_time(d, lang));
            view! {
                <li class="note-item" data-testid="day-reminder">
                    <div class="note-item__text">
                        <span class="note-item__kind">{i18n.try_t(&format!("notification-kind-{}", n.kind)).unwrap_or_default()}</span>
                        {
                            let (title, body) = n.wording(i18n);
                            view! {
                                {match n.href() {
                                    Some(h) => view! { <a href=h class="note-item__title">{title}</a> }.into_any(),
                                    None => view! { <span class="note-item__title">{title}</span> }.into_any(),
                                }}
                                {body.map(|b| view! { <span class="muted">{b}</span> })}
                            }
                        }
                        {when.map(|w| view! { <span class="muted">{w}</span> })}
                    </div>
                    <button type="button" class="button button--ghost" data-testid="day-reminder-read" on:click=read>{t("notifications-mark-read")}</button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="cust-plain">{items}</ul> }.into_any()
}
