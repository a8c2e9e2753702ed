//! One kind of organisational unit: list or tree, create, rename, move, delete.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{List, Unit, etag, indented, subtree, tree, unit_name};
use crate::api::{ApiError, Call};
use crate::components::admin::{
    LoadFailed, Loading, act_button, confirm_html, delegated, esc, fetch, focus_later,
};
use crate::components::problem::{field_error, summary};
use crate::i18n::{I18n, Lang};
use crate::session::Session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// Collection path below `/api/v1`.
    pub path: &'static str,
    /// Message key part: `admin-{key}`, `admin-{key}-new`, `admin-{key}-empty`.
    pub key: &'static str,
    /// Teams and regions nest; product lines and partners do not.
    pub tree: bool,
}

/// What the inline form is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Idle,
    /// Creating, below this parent (or at the top).
    Add(Option<String>),
    /// Renaming or moving this unit.
    Edit(String),
}

/// The server's "still used by 1 users, 93 customers" in the reader's language.
pub fn in_use(i18n: I18n, detail: &str) -> Option<String> {
    let list = detail.split("used by ").nth(1)?.split(';').next()?;
    let parts: Vec<String> = list
        .split(", ")
        .filter_map(|p| {
            let (n, what) = p.split_once(' ')?;
            let n: i64 = n.parse().ok()?;
            let key = match what {
                "sub-units" => "admin-in-use-units",
                "users" => "admin-in-use-users",
                "customers" => "admin-in-use-customers",
                _ => return None,
            };
            Some(i18n.t_args(key, &[("count", n.into())]))
        })
        .collect();
    (!parts.is_empty()).then(|| {
        i18n.t_args(
            "admin-in-use",
            &[("list", parts.join(&i18n.t("admin-list-sep")).into())],
        )
    })
}

/// An action's failure: the summary, the refusal's reason and, after a 412, a reload.
#[component]
pub fn ActionError(error: RwSignal<Option<ApiError>>, reload: Callback<()>) -> impl IntoView {
    let i18n = I18n::get();
    let html = move || {
        error.with(|e| {
            let Some(err) = e else { return String::new() };
            let mut lines = summary(i18n, err);
            if let ApiError::Problem(p) = err {
                if let Some(text) = p.detail.as_deref().and_then(|d| in_use(i18n, d)) {
                    lines.push(text);
                } else if i18n.lang() != Lang::En && p.status == 409 {
                    lines.extend(p.detail.clone());
                }
            }
            let mut h =
                String::from(r#"<div class="alert" role="alert" data-testid="action-error">"#);
            for l in lines {
                h.push_str(&format!("<p>{}</p>", esc(&l)));
            }
            if err.status() == Some(412) {
                h.push_str(&act_button(
                    "",
                    "reload",
                    "reload",
                    "",
                    &i18n.t("action-reload"),
                    "",
                ));
            }
            h.push_str("</div>");
            h
        })
    };
    view! {
        <div inner_html=html on:click=move |ev| {
            if delegated(&ev).is_some() {
                error.set(None);
                reload.run(());
            }
        }></div>
    }
}

#[component]
pub fn UnitSection(kind: Kind) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let reload = RwSignal::new(0u32);
    let units = fetch(reload, move || async move {
        session
            .get_json::<List<Unit>>(kind.path)
            .await
            .map(|l| l.data)
    });
    let refresh = Callback::new(move |()| reload.update(|n| *n += 1));
    let mode = RwSignal::new(Mode::Idle);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let key = kind.key;

    let delete = move |u: Unit| {
        error.set(None);
        notice.set(None);
        spawn_local(async move {
            match session
                .send(&Call::delete(format!("{}/{}", kind.path, u.id)))
                .await
            {
                Ok(()) => {
                    notice.set(Some(
                        i18n.t_args("admin-deleted", &[("name", u.name.into())]),
                    ));
                    refresh.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    // The unit whose "Delete" asks for confirmation.
    let confirming = RwSignal::new(None::<String>);
    let rows = move |all: Vec<Unit>| {
        let ordered = if kind.tree {
            tree(&all)
        } else {
            let mut v: Vec<(Unit, usize)> = all.iter().cloned().map(|u| (u, 0)).collect();
            v.sort_by(|a, b| a.0.name.cmp(&b.0.name));
            v
        };
        if ordered.is_empty() {
            return format!(
                r#"<p class="empty" data-testid="unit-empty">{}</p>"#,
                esc(&i18n.t(&format!("admin-{key}-empty")))
            );
        }
        let asking = confirming.get();
        let edit = i18n.t(if kind.tree {
            "admin-rename-move"
        } else {
            "admin-rename"
        });
        let (add, del) = (i18n.t("admin-add-below"), i18n.t("action-delete"));
        let mut h = String::from(r#"<ul class="tree" data-testid="unit-tree">"#);
        for (u, depth) in ordered {
            let mut actions =
                act_button("button--ghost", "unit-edit", "edit", &u.id, &edit, &u.name);
            if kind.tree {
                actions.push_str(&act_button(
                    "button--ghost",
                    "unit-add-below",
                    "add",
                    &u.id,
                    &add,
                    &u.name,
                ));
            }
            if asking.as_deref() == Some(u.id.as_str()) {
                let q = i18n.t_args("admin-confirm-delete", &[("name", u.name.clone().into())]);
                actions.push_str(&confirm_html(
                    i18n,
                    &q,
                    "delete",
                    &u.id,
                    &del,
                    "unit-delete",
                ));
            } else {
                actions.push_str(&act_button(
                    "button--danger",
                    "unit-delete",
                    "ask",
                    &u.id,
                    &del,
                    &u.name,
                ));
            }
            h.push_str(&format!(
                r#"<li class="tree__item" style="--depth:{depth}" data-testid="unit-row" data-name="{0}"><div class="tree__row"><span class="tree__name">{0}</span><span class="tree__actions">{actions}</span></div></li>"#,
                esc(&u.name)
            ));
        }
        h.push_str("</ul>");
        h
    };

    view! {
        <section class="admin-section" aria-labelledby="unit-heading" data-testid=format!("unit-section-{key}")>
            <div class="admin-toolbar">
                <h2 id="unit-heading">{i18n.t(&format!("admin-{key}"))}</h2>
                <button type="button" class="button button--primary" data-testid="unit-new"
                    on:click=move |_| mode.set(Mode::Add(None))>
                    {i18n.t(&format!("admin-{key}-new"))}
                </button>
            </div>
            {move || notice.get().map(|n| view! { <p class="alert alert--success" role="status" data-testid="notice">{n}</p> })}
            <ActionError error=error reload=refresh />
            {move || match units.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e retry=refresh /> }.into_any(),
                Some(Ok(all)) => {
                    let list = all.clone();
                    let by_id = all.clone();
                    view! {
                        {move || {
                            let m = mode.get();
                            let editing = match &m {
                                Mode::Edit(id) => by_id.iter().find(|u| &u.id == id).cloned(),
                                _ => None,
                            };
                            let title = match (&m, &editing) {
                                (_, Some(u)) => format!("{}: {}", i18n.t(if kind.tree { "admin-rename-move" } else { "admin-rename" }), u.name),
                                (Mode::Add(Some(p)), _) => format!("{}: {}", i18n.t("admin-add-below"), unit_name(&by_id, p)),
                                _ => i18n.t(&format!("admin-{key}-new")),
                            };
                            (m != Mode::Idle).then(|| view! {
                                <div class="card admin-inline">
                                    <h3 class="admin-inline__title">{title}</h3>
                                    <UnitForm kind=kind mode=mode units=by_id.clone() editing=editing error=error notice=notice refresh=refresh />
                                </div>
                            })
                        }}
                        <div inner_html=move || rows(list.clone()) on:click=move |ev| {
                            let Some((act, id)) = delegated(&ev) else { return };
                            confirming.set(None);
                            error.set(None);
                            match act.as_str() {
                                "edit" => mode.set(Mode::Edit(id)),
                                "add" => mode.set(Mode::Add(Some(id))),
                                "ask" => {
                                    focus_later(format!("[data-act=\"delete\"][data-id=\"{id}\"]"));
                                    confirming.set(Some(id));
                                }
                                "delete" => {
                                    if let Some(u) = all.iter().find(|u| u.id == id) {
                                        delete(u.clone());
                                    }
                                }
                                _ => {}
                            }
                        }></div>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// Create (below the parent in `mode`) or rename and move `editing`.
#[component]
fn UnitForm(
    kind: Kind,
    mode: RwSignal<Mode>,
    units: Vec<Unit>,
    editing: Option<Unit>,
    error: RwSignal<Option<ApiError>>,
    notice: RwSignal<Option<String>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let start_parent = match (&editing, mode.get_untracked()) {
        (Some(u), _) => u.parent_id.clone(),
        (None, Mode::Add(p)) => p,
        _ => None,
    };
    let name = RwSignal::new(editing.as_ref().map(|u| u.name.clone()).unwrap_or_default());
    let parent = RwSignal::new(start_parent.unwrap_or_default());
    let pending = RwSignal::new(false);
    let own_error = RwSignal::new(None::<ApiError>);
    let blocked = editing
        .as_ref()
        .map(|u| subtree(&units, &u.id))
        .unwrap_or_default();
    let init = parent.get_untracked();
    let parents = tree(&units)
        .into_iter()
        .filter(|(u, _)| !blocked.contains(&u.id))
        .map(|(u, d)| view! { <option value=u.id.clone() selected=u.id == init>{indented(&u.name, d)}</option> })
        .collect_view();
    let name_error = RwSignal::new(None::<String>);
    // The form opens above the tree: take keyboard focus there.
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let editing2 = editing.clone();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let n = name.get_untracked().trim().to_owned();
        if n.is_empty() {
            name_error.set(Some(i18n.t("field-required")));
            return;
        }
        name_error.set(None);
        let p = parent.get_untracked();
        let p = (!p.is_empty()).then_some(p);
        #[derive(serde::Serialize)]
        struct UnitBody {
            name: String,
            /// Only trees have parents; `null` makes a unit top-level.
            #[serde(skip_serializing_if = "Option::is_none")]
            parent_id: Option<Option<String>>,
        }
        let body = UnitBody {
            name: n.clone(),
            parent_id: kind.tree.then_some(p),
        };
        let call = match &editing2 {
            Some(u) => Call::patch(format!("{}/{}", kind.path, u.id), &etag(u.version), &body),
            None => Call::post(kind.path, &body),
        };
        pending.set(true);
        spawn_local(async move {
            let result = session.send(&call).await;
            pending.set(false);
            match result {
                Ok(()) => {
                    error.set(None);
                    notice.set(Some(i18n.t_args("admin-saved", &[("name", n.into())])));
                    mode.set(Mode::Idle);
                    refresh.run(());
                }
                Err(e) if e.status() == Some(412) => {
                    mode.set(Mode::Idle);
                    error.set(Some(e));
                }
                Err(e) => {
                    name_error.set(field_error(i18n, &Some(e.clone()), "name"));
                    own_error.set(Some(e));
                }
            }
        });
    };
    let title = if editing.is_some() {
        "admin-rename"
    } else {
        "admin-create-unit"
    };

    view! {
        <form class="unit-form" novalidate on:submit=submit data-testid="unit-form"
            aria-label=i18n.t(title)>
            {move || own_error.get().filter(|e| e.fields().is_empty()).map(|e| view! {
                <div class="alert" role="alert" data-testid="form-error">
                    {summary(i18n, &e).into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
                </div>
            })}
            <div class="field">
                <label class="field__label" for="unit-name">{i18n.t("admin-name")}</label>
                <input class="field__input" id="unit-name" data-testid="unit-name" required node_ref=input
                    aria-invalid=move || name_error.get().map(|_| "true")
                    aria-describedby=move || name_error.get().map(|_| "unit-name-error")
                    bind:value=name />
                {move || name_error.get().map(|m| view! { <p class="field__error" id="unit-name-error">{m}</p> })}
            </div>
            {kind.tree.then(|| view! {
                <div class="field">
                    <label class="field__label" for="unit-parent">{i18n.t("admin-parent")}</label>
                    <select id="unit-parent" data-testid="unit-parent"
                        on:change=move |ev| parent.set(event_target_value(&ev))>
                        <option value="">{i18n.t("admin-top-level")}</option>
                        {parents}
                    </select>
                </div>
            })}
            <div class="actions">
                <button type="submit" class="button button--primary" data-testid="unit-save"
                    aria-disabled=move || pending.get().then_some("true")>
                    {move || i18n.t(if pending.get() { "saving" } else { "action-save" })}
                </button>
                <button type="button" class="button" on:click=move |_| mode.set(Mode::Idle)>
                    {i18n.t("action-cancel")}
                </button>
            </div>
        </form>
    }
}
