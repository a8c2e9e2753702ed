//! Handing a rep's customers over in one step (a rep leaves or changes
//! territory): choose from whom and to whom (a colleague, a team's pool or
//! the company pool), see what would move, confirm.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use super::{List, Unit, User, indented, tree};
use crate::api::{ApiError, Call};
use crate::components::ProblemAlert;
use crate::components::admin::{AdminFrame, LoadFailed, Loading, fetch};
use crate::components::problem::field_error;
use crate::i18n::I18n;
use crate::session::Session;

#[derive(Serialize)]
struct Request {
    from_owner_id: String,
    to_owner_id: Option<String>,
    to_team_id: Option<String>,
    reason: String,
    preview: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Named {
    id: String,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Outcome {
    moved: usize,
    would_move: usize,
    sample: Vec<Named>,
    preview: bool,
}

/// `to` as the form holds it: a user id, "pool", or a team's id after [`TEAM`].
const POOL: &str = "pool";
const TEAM: &str = "team:";

#[component]
pub fn TransferPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let reload = RwSignal::new(0u32);
    let users = fetch(reload, move || async move {
        let users = session
            .get_json::<List<User>>("/users?limit=200")
            .await?
            .data;
        let teams = session.get_json::<List<Unit>>("/teams").await?.data;
        Ok((users, teams))
    });
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(POOL.to_owned());
    let reason = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    // a changed choice needs a new preview before anything moves
    Effect::new(move |_| {
        from.track();
        to.track();
        outcome.set(None);
    });
    let send = move |preview: bool| {
        if pending.get_untracked() {
            return;
        }
        let to_v = to.get_untracked();
        let to_team_id = to_v.strip_prefix(TEAM).map(str::to_owned);
        let body = Request {
            from_owner_id: from.get_untracked(),
            to_owner_id: (to_v != POOL && to_team_id.is_none()).then_some(to_v),
            to_team_id,
            reason: reason.get_untracked().trim().to_owned(),
            preview,
        };
        pending.set(true);
        spawn_local(async move {
            let call = Call::post("/customers/transfers", &body);
            match session
                .text(&call)
                .await
                .and_then(|(_, b)| crate::api::parse::<Outcome>(&b))
            {
                Ok(o) => {
                    error.set(None);
                    outcome.set(Some(o));
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send(true);
    };
    let options = move |list: &[User], active_only: bool| {
        list.iter()
            .filter(|u| u.is_active || !active_only)
            .map(|u| view! { <option value=u.id.clone()>{format!("{} <{}>", u.display_name, u.email)}</option> })
            .collect_view()
    };
    let team_options = move |teams: &[Unit]| {
        tree(teams)
            .into_iter()
            .map(|(t, depth)| {
                view! { <option value=format!("{TEAM}{}", t.id)>{indented(&t.name, depth)}</option> }
            })
            .collect_view()
    };
    let result = move || {
        outcome.get().map(|o| {
            if o.preview {
                let names = o.sample.iter().map(|n| view! { <li>{n.name.clone()}</li> }).collect_view();
                view! {
                    <div class="alert alert--info" role="status" data-testid="transfer-preview">
                        <p class="alert__title">{i18n.t_args("transfer-would-move", &[("count", o.would_move.into())])}</p>
                        <ul class="alert__list">{names}</ul>
                        {(o.would_move > 0).then(|| view! {
                            <button type="button" class="button button--primary" data-testid="transfer-confirm"
                                aria-disabled=move || pending.get().then_some("true") on:click=move |_| send(false)>
                                {i18n.t("transfer-confirm")}
                            </button>
                        })}
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <p class="alert alert--success" role="status" data-testid="transfer-done">
                        {i18n.t_args("transfer-moved", &[("count", o.moved.into())])}
                    </p>
                }
                .into_any()
            }
        })
    };
    let form = move |(list, teams): (Vec<User>, Vec<Unit>)| {
        if from.get_untracked().is_empty()
            && let Some(u) = list.first()
        {
            from.set(u.id.clone());
        }
        view! {
            <form class="card admin-form pool-rules" novalidate data-testid="transfer-form" on:submit=on_submit
                aria-busy=move || pending.get().to_string()>
                <p class="muted">{i18n.t("transfer-hint")}</p>
                <ProblemAlert error=error shown_fields=&["reason"] />
                <label class="field">
                    <span class="field__label">{i18n.t("transfer-from")}</span>
                    <select class="field__input" data-testid="transfer-from" prop:value=move || from.get()
                        on:change=move |ev| from.set(event_target_value(&ev))>
                        {options(&list, false)}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{i18n.t("transfer-to")}</span>
                    <select class="field__input" data-testid="transfer-to" prop:value=move || to.get()
                        on:change=move |ev| to.set(event_target_value(&ev))>
                        <option value=POOL.to_owned()>{i18n.t("customers-owner-pool")}</option>
                        <optgroup label=i18n.t("transfer-to-team")>{team_options(&teams)}</optgroup>
                        <optgroup label=i18n.t("transfer-to-user")>{options(&list, true)}</optgroup>
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{i18n.t("transfer-reason")}" *"</span>
                    <textarea class="field__input" rows="2" maxlength="500" data-testid="transfer-reason" aria-required="true"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    {move || error.with(|e| field_error(i18n, e, "reason")).map(|m| view! {
                        <span class="field__error" data-testid="transfer-reason-error">{m}</span>
                    })}
                </label>
                <div class="actions">
                    <button type="submit" class="button" data-testid="transfer-preview-button"
                        aria-disabled=move || pending.get().then_some("true")>
                        {i18n.t("transfer-preview")}
                    </button>
                </div>
                {result}
            </form>
        }
    };
    view! {
        <AdminFrame title_key="admin-transfer-title">
            {move || match users.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |()| reload.update(|n| *n += 1)) /> }.into_any(),
                Some(Ok(list)) => form(list).into_any(),
            }}
        </AdminFrame>
    }
}
