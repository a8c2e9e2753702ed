//! The buttons that open the activity form for a customer, prefilled with a
//! kind and "done now" (or "planned"): on the customer page and its timeline,
//! so that logging a visit is two taps after opening the customer.

use leptos::prelude::*;

use crate::i18n::I18n;

#[component]
pub fn QuickLog(customer_id: String) -> impl IntoView {
    let i18n = I18n::get();
    let link = |kind: &'static str, plan: bool, key: &'static str| {
        let href = format!(
            "/customers/{customer_id}/log?kind={kind}{}",
            if plan { "&plan=1" } else { "" }
        );
        view! {
            <a class=if kind == "visit" && !plan { "button button--primary" } else { "button" } href=href
                data-testid=format!("log-{kind}{}", if plan { "-plan" } else { "" })>
                {move || i18n.t(key)}
            </a>
        }
    };
    view! {
        <div class="quick-log" role="group" aria-label=move || i18n.t("activity-quick")>
            {link("visit", false, "activity-log-visit")}
            {link("call", false, "activity-log-call")}
            {link("note", false, "activity-log-note")}
            {link("task", true, "activity-plan-task")}
        </div>
    }
}
