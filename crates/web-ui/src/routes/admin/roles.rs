//! Roles and their scopes as a grid: resources × actions, one scope per cell.

use kehu_domain::access::{Action, Resource, Scope};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::org_units::ActionError;
use super::{Grant, List, RoleOut, etag, role_name};
use crate::api::{ApiError, Call};
use crate::components::admin::{AdminFrame, ConfirmButton, LoadFailed, Loading, esc, fetch};
use crate::components::problem::field_error;
use crate::i18n::I18n;
use crate::session::Session;

/// The scope granted for one cell ("none" when the role grants nothing).
fn scope_of(grants: &[Grant], r: Resource, a: Action) -> String {
    grants
        .iter()
        .find(|g| g.resource == r.as_str() && g.action == a.as_str())
        .map_or_else(|| "none".to_owned(), |g| g.scope.clone())
}

/// Scopes that mean something for a resource: only customers have owners, teams and regions.
fn scopes_for(r: Resource) -> Vec<Scope> {
    if r.is_owned_record() {
        Scope::ALL.to_vec()
    } else {
        vec![Scope::None, Scope::All]
    }
}

/// The grid; with `edit`, a select per cell that writes into it.
#[component]
fn Grid(grants: Vec<Grant>, #[prop(optional)] edit: Option<RwSignal<Vec<Grant>>>) -> impl IntoView {
    let i18n = I18n::get();
    let mut h = format!(
        r#"<table class="table scope-grid" data-testid="scope-grid"><thead><tr><th scope="col">{}</th>"#,
        esc(&i18n.t("admin-resource"))
    );
    for a in Action::ALL {
        h.push_str(&format!(
            r#"<th scope="col">{}</th>"#,
            esc(&i18n.t(&format!("admin-action-{}", a.as_str())))
        ));
    }
    h.push_str("</tr></thead><tbody>");
    for r in Resource::ALL {
        let res_name = esc(&i18n.t(&format!("admin-resource-{}", r.as_str())));
        h.push_str(&format!(r#"<tr><th scope="row">{res_name}</th>"#));
        for a in Action::ALL {
            let current = scope_of(&grants, r, a);
            let (rs, as_) = (r.as_str(), a.as_str());
            let scope_name = |s: &str| esc(&i18n.t(&format!("admin-scope-{s}")));
            if edit.is_none() {
                h.push_str(&format!(
                    r#"<td class="scope scope--{0}" data-testid="scope-{rs}-{as_}">{1}</td>"#,
                    esc(&current),
                    scope_name(&current)
                ));
            } else {
                let label = format!(
                    "{res_name}: {}",
                    esc(&i18n.t(&format!("admin-action-{as_}")))
                );
                h.push_str(&format!(r#"<td><select class="scope-select" data-testid="scope-{rs}-{as_}" data-r="{rs}" data-a="{as_}" aria-label="{label}">"#));
                for sc in scopes_for(r) {
                    let v = sc.as_str();
                    let sel = if v == current { " selected" } else { "" };
                    h.push_str(&format!(
                        r#"<option value="{v}"{sel}>{}</option>"#,
                        scope_name(v)
                    ));
                }
                h.push_str("</select></td>");
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    view! {
        <div class="admin-table-wrap" inner_html=h on:change=move |ev| {
            use wasm_bindgen::JsCast;
            let Some(sig) = edit else { return };
            let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
            let (Some(r), Some(a)) = (el.get_attribute("data-r"), el.get_attribute("data-a")) else { return };
            let scope = event_target_value(&ev);
            sig.update(|g| {
                g.retain(|x| !(x.resource == r && x.action == a));
                if scope != "none" {
                    g.push(Grant { resource: r, action: a, scope });
                }
            });
        }></div>
    }
}

/// Create a role (`role` None) or change a custom one.
#[component]
fn RoleEditor(role: Option<RoleOut>, done: Callback<Option<String>>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let name = RwSignal::new(role.as_ref().map(|r| r.name.clone()).unwrap_or_default());
    let description = RwSignal::new(
        role.as_ref()
            .and_then(|r| r.description.clone())
            .unwrap_or_default(),
    );
    let grants = RwSignal::new(role.as_ref().map(|r| r.grants.clone()).unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let initial = grants.get_untracked();
    let role2 = role.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let d = description.get_untracked();
        #[derive(serde::Serialize)]
        struct RoleBody {
            name: String,
            description: Option<String>,
            grants: Vec<Grant>,
        }
        let body = RoleBody {
            name: name.get_untracked().trim().to_owned(),
            description: (!d.trim().is_empty()).then(|| d.trim().to_owned()),
            grants: grants.get_untracked(),
        };
        let call = match &role2 {
            Some(r) => Call::patch(format!("/roles/{}", r.id), &etag(r.version), &body),
            None => Call::post("/roles", &body),
        };
        pending.set(true);
        spawn_local(async move {
            let res = session.send_versioned::<RoleOut>(&call).await;
            pending.set(false);
            match res {
                Ok(v) => done.run(Some(v.data.id)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let name_err = move || field_error(i18n, &error.get(), "name");
    view! {
        <form class="card role-editor" novalidate on:submit=submit data-testid="role-form">
            <h2>{i18n.t(if role.is_some() { "admin-role-edit" } else { "admin-role-new" })}</h2>
            <ActionError error=error reload=Callback::new(move |()| done.run(None)) />
            <div class="field">
                <label class="field__label" for="role-name">{i18n.t("admin-name")}<span class="field__required" aria-hidden="true">" *"</span></label>
                <input class="field__input" id="role-name" data-testid="role-name" required aria-required="true"
                    aria-invalid=move || name_err().map(|_| "true") aria-describedby=move || name_err().map(|_| "role-name-error")
                    bind:value=name />
                {move || name_err().map(|m| view! { <p class="field__error" id="role-name-error">{m}</p> })}
            </div>
            <div class="field">
                <label class="field__label" for="role-description">{i18n.t("admin-description")}</label>
                <input class="field__input" id="role-description" data-testid="role-description" bind:value=description />
            </div>
            <p class="field__hint">{i18n.t("admin-scope-hint")}</p>
            <Grid grants=initial edit=grants />
            <div class="actions">
                <button type="submit" class="button button--primary" data-testid="role-save"
                    aria-disabled=move || pending.get().then_some("true")>
                    {move || i18n.t(if pending.get() { "saving" } else { "action-save" })}
                </button>
                <button type="button" class="button" on:click=move |_| done.run(None)>{i18n.t("action-cancel")}</button>
            </div>
        </form>
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Editing {
    No,
    New,
    Role(RoleOut),
}

#[component]
pub fn RolesPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let reload = RwSignal::new(0u32);
    let roles = fetch(reload, move || async move {
        session
            .get_json::<List<RoleOut>>("/roles")
            .await
            .map(|l| l.data)
    });
    let refresh = Callback::new(move |()| reload.update(|n| *n += 1));
    let selected = RwSignal::new(None::<String>);
    let editing = RwSignal::new(Editing::No);
    let error = RwSignal::new(None::<ApiError>);
    let done = Callback::new(move |id: Option<String>| {
        if id.is_some() {
            selected.set(id);
        }
        editing.set(Editing::No);
        refresh.run(());
    });
    let delete = move |id: String| {
        spawn_local(async move {
            match session.send(&Call::delete(format!("/roles/{id}"))).await {
                Ok(()) => {
                    selected.set(None);
                    error.set(None);
                    refresh.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let content = move |all: Vec<RoleOut>| {
        let cur_id = selected.get().or_else(|| all.first().map(|r| r.id.clone()));
        let current = all.iter().find(|r| Some(&r.id) == cur_id.as_ref()).cloned();
        let list = all
            .iter()
            .map(|r| {
                let id = r.id.clone();
                let pressed = Some(&r.id) == cur_id.as_ref();
                view! {
                    <button type="button" class="role-pick" aria-pressed=pressed.to_string()
                        data-testid=format!("role-{}", r.id) on:click=move |_| {
                            selected.set(Some(id.clone()));
                            editing.set(Editing::No);
                        }>
                        {role_name(i18n, &r.id, &r.name)}
                        {r.is_builtin.then(|| view! { <span class="badge">{i18n.t("admin-builtin")}</span> })}
                    </button>
                }
            })
            .collect_view();
        let detail = current.map(|r| {
            let (r2, id) = (r.clone(), r.id.clone());
            view! {
                <section class="card role-detail" data-testid="role-detail" aria-labelledby="role-title">
                    <div class="admin-toolbar">
                        <h2 id="role-title">{role_name(i18n, &r.id, &r.name)}</h2>
                        {(!r.is_builtin).then(|| view! {
                            <span class="actions">
                                <button type="button" class="button" data-testid="role-edit"
                                    on:click=move |_| editing.set(Editing::Role(r2.clone()))>{i18n.t("action-edit")}</button>
                                <ConfirmButton label=Signal::stored(i18n.t("action-delete"))
                                    question=Signal::stored(i18n.t("admin-confirm-delete-role"))
                                    testid="role-delete".to_owned() danger=true
                                    on_confirm=Callback::new(move |()| delete(id.clone())) />
                            </span>
                        })}
                    </div>
                    {r.description.clone().map(|d| view! { <p class="muted">{d}</p> })}
                    {r.is_builtin.then(|| view! { <p class="alert alert--info">{i18n.t("admin-builtin-hint")}</p> })}
                    <Grid grants=r.grants.clone() />
                </section>
            }
        });
        view! {
            <div class="roles-layout">
                <nav class="role-list" aria-label=i18n.t("admin-roles-title")>{list}</nav>
                <div>{detail}</div>
            </div>
        }
    };

    view! {
        <AdminFrame title_key="admin-roles-title">
            <div class="admin-toolbar">
                <p class="muted">{i18n.t("admin-roles-intro")}</p>
                <button type="button" class="button button--primary" data-testid="role-new"
                    on:click=move |_| editing.set(Editing::New)>{i18n.t("admin-role-new")}</button>
            </div>
            <ActionError error=error reload=refresh />
            {move || match editing.get() {
                Editing::No => None,
                Editing::New => Some(view! { <RoleEditor role=None done=done /> }),
                Editing::Role(r) => Some(view! { <RoleEditor role=Some(r) done=done /> }),
            }}
            {move || match roles.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e retry=refresh /> }.into_any(),
                Some(Ok(all)) => content(all).into_any(),
            }}
        </AdminFrame>
    }
}
