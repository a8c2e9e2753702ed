//! The sheet to create or edit a user: identity, roles, team, regions,
//! product lines, partner; deactivate and reactivate.

use kehu_domain::text::Email;
use kehu_domain::user::check_password;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Directory, User, indented, role_name, tree};
use crate::api::{ApiError, Call, FieldProblem};
use crate::components::admin::{ConfirmButton, LoadFailed, Loading, Sheet};
use crate::components::problem::field_error;
use crate::components::{ProblemAlert, TextField};
use crate::i18n::I18n;
use crate::session::Session;

const SHOWN: &[&str] = &["display_name", "email", "password"];

fn rule(field: &str, res: Result<(), kehu_domain::Invalid>, out: &mut Vec<FieldProblem>) {
    if let Err(kehu_domain::Invalid(errs)) = res {
        out.extend(errs.into_iter().map(|e| FieldProblem {
            field: field.into(),
            code: e.code.into(),
            message: e.message,
        }));
    }
}

/// Checkboxes for picking several ids, indented when they form a tree.
#[component]
fn CheckList(
    legend: &'static str,
    options: Vec<(String, String, usize)>,
    selected: RwSignal<Vec<String>>,
    testid: &'static str,
) -> impl IntoView {
    let i18n = I18n::get();
    let boxes = options
        .into_iter()
        .map(|(id, label, depth)| {
            let (id1, id2) = (id.clone(), id.clone());
            view! {
                <label class="check" style=format!("--depth:{depth}")>
                    <input type="checkbox" value=id
                        prop:checked=move || selected.with(|s| s.contains(&id1))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|s| {
                                s.retain(|x| x != &id2);
                                if on {
                                    s.push(id2.clone());
                                }
                            });
                        } />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field checklist" data-testid=testid>
            <legend class="field__label">{i18n.t(legend)}</legend>
            {boxes}
        </fieldset>
    }
}

#[component]
pub fn UserSheet(
    dir: Directory,
    id: Option<String>,
    on_close: Callback<()>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let is_new = id.is_none();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<String>::new());
    let team = RwSignal::new(String::new());
    let regions = RwSignal::new(Vec::<String>::new());
    let lines = RwSignal::new(Vec::<String>::new());
    let partner = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let etag = RwSignal::new(String::new());
    // None: loading; Some(Ok): ready; Some(Err): could not load.
    let loaded = RwSignal::new(if is_new {
        Some(Ok(()))
    } else {
        None::<Result<(), ApiError>>
    });
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let path = id
        .as_ref()
        .map(|i| format!("/users/{i}"))
        .unwrap_or_default();

    let fill = move |u: User| {
        name.set(u.display_name);
        email.set(u.email);
        password.set(String::new());
        roles.set(u.role_ids);
        team.set(u.team_id.unwrap_or_default());
        regions.set(u.region_ids);
        lines.set(u.product_line_ids);
        partner.set(u.partner_id.unwrap_or_default());
        active.set(u.is_active);
    };
    let fetch = {
        let path = path.clone();
        move || {
            let path = path.clone();
            loaded.set(None);
            spawn_local(async move {
                match session.get_versioned::<User>(&path).await {
                    Ok(v) => {
                        etag.set(v.etag);
                        fill(v.data);
                        error.set(None);
                        loaded.set(Some(Ok(())));
                    }
                    Err(e) => loaded.set(Some(Err(e))),
                }
            });
        }
    };
    if !is_new {
        fetch();
    }
    let refetch = Callback::new({
        let fetch = fetch.clone();
        move |()| fetch()
    });

    // A message about a field goes away as soon as the admin edits the form.
    Effect::new(move |first: Option<()>| {
        name.track();
        email.track();
        password.track();
        if first.is_some() {
            error.set(None);
        }
    });

    let path2 = path.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (n, e, p) = (
            name.get_untracked(),
            email.get_untracked(),
            password.get_untracked(),
        );
        let mut problems = Vec::new();
        if n.trim().is_empty() {
            rule(
                "display_name",
                Err(kehu_domain::Invalid::one("display_name", "required", "")),
                &mut problems,
            );
        }
        rule("email", Email::parse("email", &e).map(drop), &mut problems);
        if is_new || !p.is_empty() {
            rule("password", check_password("password", &p), &mut problems);
        }
        if !problems.is_empty() {
            error.set(Some(ApiError::invalid(problems)));
            return;
        }
        let opt = |s: String| (!s.is_empty()).then_some(s);
        #[derive(serde::Serialize)]
        struct UserBody {
            display_name: String,
            email: String,
            role_ids: Vec<String>,
            team_id: Option<String>,
            region_ids: Vec<String>,
            product_line_ids: Vec<String>,
            partner_id: Option<String>,
            /// Left out when editing without a new password.
            #[serde(skip_serializing_if = "Option::is_none")]
            password: Option<String>,
        }
        let body = UserBody {
            display_name: n.trim().to_owned(),
            email: e.trim().to_owned(),
            role_ids: roles.get_untracked(),
            team_id: opt(team.get_untracked()),
            region_ids: regions.get_untracked(),
            product_line_ids: lines.get_untracked(),
            partner_id: opt(partner.get_untracked()),
            password: opt(p),
        };
        let call = if is_new {
            Call::post("/users", &body)
        } else {
            Call::patch(path2.clone(), &etag.get_untracked(), &body)
        };
        pending.set(true);
        spawn_local(async move {
            let res = session.send_versioned::<User>(&call).await;
            pending.set(false);
            match res {
                Ok(_) => {
                    on_saved.run(());
                    on_close.run(());
                }
                Err(err) => error.set(Some(err)),
            }
        });
    };

    let path3 = path.clone();
    let toggle_active = Callback::new(move |()| {
        let call = Call::patch(
            path3.clone(),
            &etag.get_untracked(),
            &Activation {
                is_active: !active.get_untracked(),
            },
        );
        spawn_local(async move {
            match session.send_versioned::<User>(&call).await {
                Ok(v) => {
                    etag.set(v.etag);
                    let key = if v.data.is_active {
                        "admin-user-reactivated"
                    } else {
                        "admin-user-deactivated"
                    };
                    active.set(v.data.is_active);
                    notice.set(Some(i18n.t(key)));
                    error.set(None);
                    on_saved.run(());
                }
                Err(err) => error.set(Some(err)),
            }
        });
    });

    let role_opts: Vec<_> = dir
        .roles
        .iter()
        .map(|r| (r.id.clone(), role_name(i18n, &r.id, &r.name), 0))
        .collect();
    let region_opts: Vec<_> = tree(&dir.regions)
        .into_iter()
        .map(|(u, d)| (u.id, u.name, d))
        .collect();
    let line_opts: Vec<_> = dir
        .product_lines
        .iter()
        .map(|u| (u.id.clone(), u.name.clone(), 0))
        .collect();
    let err_of = move |f: &'static str| Signal::derive(move || field_error(i18n, &error.get(), f));
    let select = move |sel_id: &'static str,
                       label: &'static str,
                       value: RwSignal<String>,
                       opts: Vec<(String, String)>| {
        let init = value.get_untracked();
        let options = opts
            .into_iter()
            .map(
                |(id, text)| view! { <option value=id.clone() selected=id == init>{text}</option> },
            )
            .collect_view();
        view! {
            <div class="field">
                <label class="field__label" for=sel_id>{i18n.t(label)}</label>
                <select id=sel_id data-testid=sel_id on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="">{i18n.t("admin-none")}</option>
                    {options}
                </select>
            </div>
        }
    };
    let team_opts: Vec<_> = tree(&dir.teams)
        .into_iter()
        .map(|(u, d)| (u.id, indented(&u.name, d)))
        .collect();
    let partner_opts: Vec<_> = dir
        .partners
        .iter()
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    let form = move || {
        view! {
            <form novalidate on:submit=submit.clone() data-testid="user-form">
                {move || notice.get().map(|n| view! { <p class="alert alert--success" role="status" data-testid="notice">{n}</p> })}
                <ProblemAlert error=error shown_fields=SHOWN />
                {move || (error.with(|e| e.as_ref().and_then(ApiError::status)) == Some(412)).then(|| view! {
                    <button type="button" class="button admin-reload" data-testid="reload" on:click=move |_| refetch.run(())>
                        {i18n.t("admin-reload-user")}
                    </button>
                })}
                <TextField id="user-name" label=Signal::stored(i18n.t("admin-display-name")) required=true
                    kind="text" autocomplete="off" value=name error=err_of("display_name") />
                <TextField id="user-email" label=Signal::stored(i18n.t("email")) required=true
                    kind="email" autocomplete="off" value=email error=err_of("email") />
                <TextField id="user-password" label=Signal::stored(i18n.t(if is_new { "password" } else { "admin-new-password" }))
                    required=is_new kind="password" autocomplete="new-password" value=password error=err_of("password") />
                <p class="field__hint admin-hint">{i18n.t(if is_new { "admin-password-hint" } else { "admin-password-keep" })}</p>
                <CheckList legend="admin-roles" options=role_opts.clone() selected=roles testid="user-roles" />
                {select("user-team", "admin-team", team, team_opts.clone())}
                <CheckList legend="admin-regions" options=region_opts.clone() selected=regions testid="user-regions" />
                <CheckList legend="admin-product-lines" options=line_opts.clone() selected=lines testid="user-product-lines" />
                {select("user-partner", "admin-partner", partner, partner_opts.clone())}
                <p class="field__hint">{i18n.t("admin-partner-hint")}</p>
                <div class="actions admin-sheet__actions">
                    <button type="submit" class="button button--primary" data-testid="user-save"
                        aria-disabled=move || pending.get().then_some("true")>
                        {move || i18n.t(if pending.get() { "saving" } else if is_new { "action-create" } else { "action-save" })}
                    </button>
                </div>
                {(!is_new).then(|| view! {
                    <div class="admin-danger-zone">
                        <p class="muted">{move || i18n.t(if active.get() { "admin-deactivate-hint" } else { "admin-reactivate-hint" })}</p>
                        {move || {
                            let on = active.get();
                            view! {
                                <ConfirmButton
                                    label=Signal::derive(move || i18n.t(if on { "admin-deactivate" } else { "admin-reactivate" }))
                                    question=Signal::derive(move || i18n.t(if on { "admin-confirm-deactivate" } else { "admin-confirm-reactivate" }))
                                    testid=(if on { "user-deactivate" } else { "user-reactivate" }).to_owned()
                                    danger=on
                                    on_confirm=toggle_active
                                />
                            }
                        }}
                    </div>
                })}
            </form>
        }
    };
    view! {
        <Sheet
            title=Signal::stored(i18n.t(if is_new { "admin-user-new" } else { "admin-user-edit" }))
            testid="user-sheet"
            on_close=on_close
        >
            {move || match loaded.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e retry=refetch /> }.into_any(),
                Some(Ok(())) => form().into_any(),
            }}
        </Sheet>
    }
}

#[derive(serde::Serialize)]
struct Activation {
    is_active: bool,
}
