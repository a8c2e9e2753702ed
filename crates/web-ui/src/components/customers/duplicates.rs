//! What the form shows when the API says the customer looks like an existing
//! one (409 `/problems/duplicate`): the ones to open instead, whom to ask
//! about those the user may not see, and saving anyway with a reason.

use leptos::prelude::*;

use super::t;
use crate::api::{ApiError, Duplicates};
use crate::i18n::{I18n, Lang};

/// The duplicates of a 409, if `err` is one.
pub fn of(err: &Option<ApiError>) -> Option<Duplicates> {
    match err {
        Some(ApiError::Problem(p)) if p.slug() == "duplicate" => p.duplicates.clone(),
        _ => None,
    }
}

fn matched(i18n: I18n, on: &[String]) -> String {
    on.iter()
        .map(|m| i18n.t(&format!("duplicates-on-{m}")))
        .collect::<Vec<_>>()
        .join(if i18n.lang() == Lang::En { ", " } else { "、" })
}

/// The notice and the override. `reason` holds what the user types;
/// `save_anyway` submits again with it.
#[component]
pub fn DuplicateNotice(
    #[prop(into)] error: Signal<Option<ApiError>>,
    reason: RwSignal<String>,
    #[prop(into)] save_anyway: Callback<()>,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    let i18n = I18n::get();
    move || {
        error.with(of).map(|d| {
            let visible = d
                .visible
                .iter()
                .map(|v| {
                    let owner = v
                        .owner_name
                        .clone()
                        .unwrap_or_else(|| i18n.t("customers-owner-pool"));
                    view! {
                        <li>
                            <a href=format!("/customers/{}", v.id) data-testid="duplicate-link">{v.name.clone()}</a>
                            <span class="muted">{format!(" · {} · {} · {}", i18n.t(&format!("stage-{}", v.lifecycle_stage)), owner, matched(i18n, &v.matched_on))}</span>
                        </li>
                    }
                })
                .collect_view();
            let hidden = d
                .hidden
                .iter()
                .map(|h| {
                    let on = matched(i18n, &h.matched_on);
                    let text = match &h.ask {
                        Some(p) => i18n.t_args(
                            "duplicates-hidden-ask",
                            &[("on", on.into()), ("name", p.name.clone().into())],
                        ),
                        None => i18n.t_args("duplicates-hidden-admin", &[("on", on.into())]),
                    };
                    let mail = h.ask.as_ref().map(|p| {
                        view! { <a href=format!("mailto:{}", p.email)>{p.email.clone()}</a> }
                    });
                    view! { <li data-testid="duplicate-hidden">{text}" "{mail}</li> }
                })
                .collect_view();
            view! {
                <section class="card dup-notice" aria-labelledby="dup-title" data-testid="duplicate-notice">
                    <h2 id="dup-title">{t("duplicates-title")}</h2>
                    <p>{t("duplicates-hint")}</p>
                    <ul class="dup-notice__list">{visible}{hidden}</ul>
                    <label class="field">
                        <span class="field__label">{t("duplicates-reason")}</span>
                        <textarea rows="2" maxlength="500" data-testid="duplicate-reason"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    </label>
                    <button type="button" class="button" data-testid="duplicate-save-anyway"
                        aria-disabled=move || (pending.get() || reason.with(|r| r.trim().is_empty())).then_some("true")
                        on:click=move |_| {
                            if !pending.get_untracked() && !reason.with_untracked(|r| r.trim().is_empty()) {
                                save_anyway.run(());
                            }
                        }>
                        {t("duplicates-save-anyway")}
                    </button>
                </section>
            }
        })
    }
}
