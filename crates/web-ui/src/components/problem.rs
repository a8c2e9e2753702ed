//! Showing what the API refused, in the reader's language.

use leptos::prelude::*;

use crate::api::{ApiError, FieldProblem};
use crate::i18n::{I18n, Lang};

/// The message for one field problem: ours for a known code, else the server's text.
pub fn field_message(i18n: I18n, p: &FieldProblem) -> String {
    i18n.try_t(&format!("field-{}", p.code))
        .unwrap_or_else(|| p.message.clone())
}

/// The first problem reported for `field` (or a sub-path of it, e.g. `phones[1]`).
pub fn field_error(i18n: I18n, err: &Option<ApiError>, field: &str) -> Option<String> {
    let err = err.as_ref()?;
    err.fields()
        .iter()
        .find(|p| {
            p.field == field
                || p.field.starts_with(&format!("{field}["))
                || p.field.starts_with(&format!("{field}."))
        })
        .map(|p| field_message(i18n, p))
}

/// Sentences that explain an error as a whole, translated; the server's own
/// detail is added in English, where it says more than our summary.
pub fn summary(i18n: I18n, err: &ApiError) -> Vec<String> {
    let mut out = Vec::new();
    match err {
        ApiError::Problem(p) => {
            out.push(
                i18n.try_t(&format!("problem-{}", p.slug()))
                    .unwrap_or_else(|| i18n.t("error-unexpected")),
            );
            // in English the server's detail says more; not when the fields say it already
            if i18n.lang() == Lang::En
                && p.errors.is_empty()
                && let Some(d) = p.detail.as_ref().filter(|d| !d.is_empty())
            {
                out.push(d.clone());
            }
            if let Some(s) = p.retry_after {
                out.push(i18n.t_args("error-retry-after", &[("seconds", s.into())]));
            }
        }
        ApiError::Network => out.push(i18n.t("error-network")),
        ApiError::Status(s) => out.push(format!("{} (HTTP {s})", i18n.t("error-unexpected"))),
        ApiError::Decode => out.push(i18n.t("error-unexpected")),
    }
    out
}

/// An alert box for an error, with the field problems that have no field on screen.
#[component]
pub fn ProblemAlert(
    #[prop(into)] error: Signal<Option<ApiError>>,
    /// Fields the form shows its own messages for; others are listed here.
    #[prop(optional)]
    shown_fields: &'static [&'static str],
) -> impl IntoView {
    let i18n = I18n::get();
    move || {
        error.get().map(|err| {
            let lines = summary(i18n, &err)
                .into_iter()
                .map(|l| view! { <p>{l}</p> })
                .collect_view();
            let rest = err
                .fields()
                .iter()
                .filter(|p| {
                    !shown_fields
                        .iter()
                        .any(|f| p.field == *f || p.field.starts_with(&format!("{f}[")))
                })
                .map(|p| view! { <li>{format!("{}: {}", p.field, field_message(i18n, p))}</li> })
                .collect_view();
            view! {
                <div class="alert" role="alert" data-testid="form-error">
                    {lines}
                    <ul class="alert__list">{rest}</ul>
                </div>
            }
        })
    }
}
