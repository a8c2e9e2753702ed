use leptos::prelude::*;

use crate::i18n::I18n;

#[component]
pub fn RolesPage() -> impl IntoView {
    let i18n = I18n::get();
    view! { <h1>{move || i18n.t("admin-roles-title")}</h1> }
}
