//! The duplicates report: customers that share a normalised name, phone or
//! e-mail, for administrators to clean up.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

use crate::api::ApiError;
use crate::components::admin::{AdminFrame, LoadFailed, Loading};
use crate::i18n::I18n;
use crate::session::Session;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Member {
    id: String,
    name: String,
    lifecycle_stage: String,
    owner_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Group {
    matched_on: String,
    key: String,
    customers: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Report {
    data: Vec<Group>,
    next_cursor: Option<String>,
}

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let groups = RwSignal::new(Vec::<Group>::new());
    let next = RwSignal::new(None::<String>);
    let state = RwSignal::new(None::<Result<(), ApiError>>);
    let load = move |cursor: Option<String>| {
        spawn_local(async move {
            let path = match &cursor {
                Some(c) => format!(
                    "/customers/duplicates?limit=50&after={}",
                    crate::api::encode(c)
                ),
                None => "/customers/duplicates?limit=50".to_owned(),
            };
            match session.get_json::<Report>(&path).await {
                Ok(r) => {
                    groups.update(|g| g.extend(r.data));
                    next.set(r.next_cursor);
                    state.set(Some(Ok(())));
                }
                Err(e) => state.set(Some(Err(e))),
            }
        });
    };
    load(None);
    let list = move || {
        let gs = groups.get();
        if gs.is_empty() && next.with(Option::is_none) {
            return view! { <p class="empty" data-testid="no-duplicates">{i18n.t("duplicates-report-none")}</p> }.into_any();
        }
        let items = gs
            .into_iter()
            .map(|g| {
                let first = g.customers.first().map(|m| m.id.clone()).unwrap_or_default();
                let members = g
                    .customers
                    .into_iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let owner = m.owner_name.unwrap_or_else(|| i18n.t("customers-owner-pool"));
                        // merge each later record into the first, which stays
                        let merge = (i > 0).then(|| view! {
                            " · "
                            <a href=format!("/merge?into={first}&other={}", m.id) data-testid="duplicate-merge">
                                {i18n.t("duplicates-merge-into-first")}
                            </a>
                        });
                        view! {
                            <li>
                                <a href=format!("/customers/{}", m.id)>{m.name}</a>
                                <span class="muted">{format!(" · {} · {owner}", i18n.t(&format!("stage-{}", m.lifecycle_stage)))}</span>
                                {merge}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <li class="card dup-group" data-testid="duplicate-group">
                        <p class="dup-group__key">{format!("{}: {}", i18n.t(&format!("duplicates-on-{}", g.matched_on)), g.key)}</p>
                        <ul class="dup-notice__list">{members}</ul>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="dup-groups">{items}</ul> }.into_any()
    };
    view! {
        <AdminFrame title_key="admin-duplicates-title">
            <p class="muted">{i18n.t("duplicates-report-hint")}</p>
            {move || match state.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |()| load(next.get_untracked())) /> }.into_any(),
                Some(Ok(())) => view! {
                    {list}
                    {move || next.get().map(|c| view! {
                        <button type="button" class="button" data-testid="duplicates-more"
                            on:click=move |_| load(Some(c.clone()))>{i18n.t("action-load-more")}</button>
                    })}
                }.into_any(),
            }}
        </AdminFrame>
    }
}
