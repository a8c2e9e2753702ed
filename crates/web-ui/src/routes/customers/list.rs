use leptos::prelude::*;

use crate::i18n::I18n;

#[component]
pub fn CustomerListPage() -> impl IntoView {
    let i18n = I18n::get();
    view! { <h1>{move || i18n.t("customers-title")}</h1> }
}
