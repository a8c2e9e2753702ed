use leptos::prelude::*;

use crate::i18n::I18n;

#[component]
pub fn CustomerPage() -> impl IntoView {
    let i18n = I18n::get();
    view! { <h1>{move || i18n.t("customer-title")}</h1> }
}
