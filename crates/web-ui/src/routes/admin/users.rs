//! Users: search, list, and the sheet to create or edit one.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::user_form::UserSheet;
use super::{Directory, List, User, role_name, unit_name};
use crate::api::{ApiError, encode};
use crate::components::admin::{
    AdminFrame, LoadFailed, Loading, act_button, delegated, esc, fetch,
};
use crate::i18n::I18n;
use crate::session::Session;

/// Which sheet is open: none, a new user, or the user with this id.
type Open = Option<Option<String>>;

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let query = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let users = RwSignal::new(Vec::<User>::new());
    let next = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let open = RwSignal::new(None as Open);
    let dir_reload = RwSignal::new(0u32);
    let dir = fetch(dir_reload, move || Directory::load(session));

    let load = move |more: bool| {
        let mut path = String::from("/users?limit=50");
        let q = query.get_untracked();
        if !q.trim().is_empty() {
            path.push_str(&format!("&q={}", encode(q.trim())));
        }
        let st = status.get_untracked();
        if !st.is_empty() {
            path.push_str(&format!("&active={st}"));
        }
        if more {
            match next.get_untracked() {
                Some(c) => path.push_str(&format!("&cursor={}", encode(&c))),
                None => return,
            }
        }
        pending.set(true);
        spawn_local(async move {
            match session.get_json::<List<User>>(&path).await {
                Ok(page) => {
                    if more {
                        users.update(|u| u.extend(page.data));
                    } else {
                        users.set(page.data);
                    }
                    next.set(page.next_cursor);
                    error.set(None);
                    loaded.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    load(false);
    let retry = Callback::new(move |()| load(false));
    let on_search = move |ev: SubmitEvent| {
        ev.prevent_default();
        load(false);
    };

    let table = move |d: Directory| {
        let html = move || {
            let list = users.get();
            if list.is_empty() {
                return format!(
                    r#"<div class="empty" data-testid="users-empty"><p>{}</p></div>"#,
                    esc(&i18n.t("admin-users-empty"))
                );
            }
            let (l_name, l_roles, l_team, l_regions, l_status) = (
                i18n.t("admin-name"),
                i18n.t("admin-roles"),
                i18n.t("admin-team"),
                i18n.t("admin-regions"),
                i18n.t("admin-status"),
            );
            let mut h = format!(
                r#"<table class="table admin-table" data-testid="users-table"><caption class="visually-hidden">{}</caption><thead><tr><th scope="col">{l_name}</th><th scope="col">{l_roles}</th><th scope="col">{l_team}</th><th scope="col">{l_regions}</th><th scope="col">{l_status}</th><th scope="col"><span class="visually-hidden">{}</span></th></tr></thead><tbody>"#,
                esc(&i18n.t("admin-users-title")),
                esc(&i18n.t("admin-actions"))
            );
            for u in list {
                let roles: String = u
                    .role_ids
                    .iter()
                    .map(|r| {
                        let name = d
                            .roles
                            .iter()
                            .find(|x| &x.id == r)
                            .map_or(r.as_str(), |x| x.name.as_str());
                        format!(
                            r#"<span class="badge">{}</span>"#,
                            esc(&role_name(i18n, r, name))
                        )
                    })
                    .collect();
                let team = u
                    .team_id
                    .as_deref()
                    .map(|t| unit_name(&d.teams, t))
                    .unwrap_or_default();
                let regions = u
                    .region_ids
                    .iter()
                    .map(|r| unit_name(&d.regions, r))
                    .collect::<Vec<_>>()
                    .join(", ");
                let (key, class) = if u.is_active {
                    ("admin-user-active", "badge badge--customer")
                } else {
                    ("admin-user-inactive", "badge badge--churned")
                };
                h.push_str(&format!(
                    r#"<tr data-testid="user-row" data-email="{}"><td data-label="{l_name}"><span class="admin-strong">{}</span><span class="admin-sub">{}</span></td><td data-label="{l_roles}"><span class="badges">{roles}</span></td><td data-label="{l_team}">{}</td><td data-label="{l_regions}">{}</td><td data-label="{l_status}"><span class="{class}" data-testid="user-status">{}</span></td><td class="admin-cell-actions">{}</td></tr>"#,
                    esc(&u.email),
                    esc(&u.display_name),
                    esc(&u.email),
                    esc(&team),
                    esc(&regions),
                    esc(&i18n.t(key)),
                    act_button("", "user-edit", "edit", &u.id, &i18n.t("action-edit"), &u.display_name),
                ));
            }
            h.push_str("</tbody></table>");
            h
        };
        view! {
            <div class="admin-table-wrap" inner_html=html on:click=move |ev| {
                if let Some((_, id)) = delegated(&ev) {
                    open.set(Some(Some(id)));
                }
            }></div>
            <Show when=move || next.with(Option::is_some)>
                <button type="button" class="button admin-more" data-testid="users-more"
                    aria-disabled=move || pending.get().then_some("true") on:click=move |_| load(true)>
                    {i18n.t("action-load-more")}
                </button>
            </Show>
        }
    };

    view! {
        <AdminFrame title_key="admin-users-title">
            <div class="admin-toolbar">
                <form class="admin-search" role="search" on:submit=on_search>
                    <label class="visually-hidden" for="user-search">{i18n.t("admin-users-search")}</label>
                    <input class="field__input" type="search" id="user-search" data-testid="user-search"
                        placeholder=i18n.t("admin-users-search") bind:value=query />
                    <label class="visually-hidden" for="user-status">{i18n.t("admin-status")}</label>
                    <select class="field__input" id="user-status" data-testid="user-status-filter"
                        on:change=move |ev| {
                            status.set(event_target_value(&ev));
                            load(false);
                        }>
                        <option value="">{i18n.t("admin-status-all")}</option>
                        <option value="true">{i18n.t("admin-user-active")}</option>
                        <option value="false">{i18n.t("admin-user-inactive")}</option>
                    </select>
                    <button type="submit" class="button">{i18n.t("action-search")}</button>
                </form>
                <button type="button" class="button button--primary" data-testid="user-new"
                    on:click=move |_| open.set(Some(None))>
                    {i18n.t("admin-user-new")}
                </button>
            </div>
            {move || error.get().map(|e| view! { <LoadFailed error=e retry=retry /> })}
            {move || match (dir.get(), loaded.get()) {
                (Some(Err(e)), _) => view! { <LoadFailed error=e retry=Callback::new(move |()| dir_reload.update(|n| *n += 1)) /> }.into_any(),
                (Some(Ok(d)), true) => table(d).into_any(),
                _ => view! { <Loading /> }.into_any(),
            }}
            {move || match (open.get(), dir.get()) {
                (Some(id), Some(Ok(d))) => Some(view! {
                    <UserSheet
                        dir=d
                        id=id
                        on_close=Callback::new(move |()| open.set(None))
                        on_saved=Callback::new(move |()| load(false))
                    />
                }),
                _ => None,
            }}
        </AdminFrame>
    }
}
