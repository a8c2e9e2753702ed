//! The bell's list (`/notifications`): reminders and notices, unread first
//! to mark read, or all; opening one marks it read and goes to its record.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

use super::model::{Notification, mark_read, post_empty};
use super::{load_failed, skeleton};
use crate::api::{ApiError, encode};
use crate::components::ProblemAlert;
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::router::Router;
use crate::routes::shell::Unread;
use crate::session::Session;
use crate::time;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct NotificationPage {
    data: Vec<Notification>,
    #[serde(default)]
    next_cursor: Option<String>,
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let unread = use_context::<Unread>();
    let only_unread = RwSignal::new(true);
    let first = RwSignal::new(None::<Result<Vec<Notification>, ApiError>>);
    let older = RwSignal::new(Vec::<Notification>::new());
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let path = move |cursor: Option<String>| {
        let mut p = String::from("/notifications?limit=30");
        if only_unread.get_untracked() {
            p.push_str("&unread=true");
        }
        if let Some(c) = cursor {
            p.push_str(&format!("&cursor={}", encode(&c)));
        }
        p
    };
    let load = move || {
        let p = path(None);
        spawn_local(async move {
            let r = session.get_json::<NotificationPage>(&p).await;
            let _ = older.try_set(Vec::new());
            let _ = next.try_set(r.as_ref().ok().and_then(|p| p.next_cursor.clone()));
            let _ = first.try_set(Some(r.map(|p| p.data)));
        });
    };
    Effect::new(move |_| {
        only_unread.track();
        first.set(None);
        load();
    });
    let refresh_bell = move || {
        if let Some(u) = unread {
            u.refresh();
        }
    };
    let set_read = move |id: String| {
        let now = web_sys::js_sys::Date::new_0().to_iso_string().as_string();
        let mark = |list: &mut Vec<Notification>| {
            for n in list.iter_mut().filter(|n| n.id == id) {
                n.read_at = now.clone();
            }
        };
        first.update(|f| {
            if let Some(Ok(l)) = f {
                mark(l);
            }
        });
        older.update(mark);
    };
    let read = move |id: String| {
        spawn_local(async move {
            match mark_read(session, &id).await {
                Ok(()) => {
                    set_read(id);
                    refresh_bell();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let open = move |n: Notification| {
        let href = n.href();
        spawn_local(async move {
            if n.read_at.is_none() {
                // opening counts as reading; the record opens either way
                let _ = mark_read(session, &n.id).await;
            }
            if let Some(h) = href {
                // a customer's page is in another module: the router loads it
                router.navigate(&h, false, true);
            }
        });
    };
    let read_all = move |_| {
        spawn_local(async move {
            match session
                .send(&post_empty("/notifications/read-all".into()))
                .await
            {
                Ok(()) => {
                    refresh_bell();
                    first.set(None);
                    load();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let more = move |_| {
        let Some(c) = next.get_untracked() else {
            return;
        };
        let p = path(Some(c));
        spawn_local(async move {
            if let Ok(page) = session.get_json::<NotificationPage>(&p).await {
                let _ = older.try_update(|o| o.extend(page.data));
                let _ = next.try_set(page.next_cursor);
            }
        });
    };
    let item = move |n: Notification| {
        let lang = i18n.lang().code();
        let unread = n.read_at.is_none();
        let id = n.id.clone();
        let kind = i18n
            .try_t(&format!("notification-kind-{}", n.kind))
            .unwrap_or_default();
        let when = n.due_at.as_deref().unwrap_or(&n.created_at).to_owned();
        let target = n.clone();
        let has_record = n.href().is_some();
        let (title, body) = n.wording(i18n);
        view! {
            <li class=if unread { "note-item note-item--unread" } else { "note-item" } data-testid="notification" data-unread=unread.to_string()>
                <div class="note-item__text">
                    <span class="note-item__kind">{kind}</span>
                    {if has_record {
                        view! { <button type="button" class="note-item__title note-item__open" data-testid="notification-open"
                            on:click=move |_| open(target.clone())>{title}</button> }.into_any()
                    } else {
                        view! { <span class="note-item__title" data-testid="notification-title">{title}</span> }.into_any()
                    }}
                    {body.map(|b| view! { <span class="note-item__body" data-testid="notification-body">{b}</span> })}
                    <span class="muted">{time::date_time(&when, lang)}</span>
                </div>
                {unread.then(|| view! {
                    <button type="button" class="button button--ghost" data-testid="notification-read"
                        on:click=move |_| read(id.clone())>{t("notifications-mark-read")}</button>
                })}
            </li>
        }
    };
    let list = move || {
        match first.get() {
        None => skeleton(),
        Some(Err(e)) => load_failed(i18n, &e, load),
        Some(Ok(l)) if l.is_empty() => view! {
            <p class="empty" data-testid="notifications-empty">
                {move || i18n.t(if only_unread.get() { "notifications-none-unread" } else { "notifications-none" })}
            </p>
        }
        .into_any(),
        Some(Ok(l)) => view! {
            <ul class="cust-plain note-list" data-testid="notifications">
                {l.into_iter().chain(older.get()).map(item).collect_view()}
            </ul>
            {move || next.get().map(|_| view! {
                <button type="button" class="button cust-more" data-testid="notifications-more" on:click=more>{t("action-load-more")}</button>
            })}
        }
        .into_any(),
    }
    };
    let tab = move |value: bool, key: &'static str, testid: &'static str| {
        view! {
            <button type="button" class="seg__option" data-testid=testid aria-pressed=move || (only_unread.get() == value).to_string()
                on:click=move |_| only_unread.set(value)>{t(key)}</button>
        }
    };
    view! {
        <div class="cust-page note-page">
            <div class="cust-head">
                <h1>{t("notifications-title")}</h1>
                <a href="/settings" class="button button--ghost" data-testid="open-settings">{t("settings-title")}</a>
            </div>
            <div class="note-toolbar">
                <div class="seg" role="group" aria-label=move || i18n.t("notifications-show")>
                    {tab(true, "notifications-unread", "show-unread")}
                    {tab(false, "notifications-all", "show-all")}
                </div>
                <button type="button" class="button" data-testid="read-all" on:click=read_all>{t("notifications-read-all")}</button>
            </div>
            <ProblemAlert error=error />
            {list}
        </div>
    }
}
