use leptos::prelude::*;

use crate::i18n::I18n;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = I18n::get();
    view! { <h1>{move || i18n.t("admin-api-keys-title")}</h1> }
}
