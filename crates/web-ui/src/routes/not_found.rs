use leptos::prelude::*;

use crate::i18n::I18n;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <section class="empty" data-testid="not-found">
            <h1>{move || i18n.t("not-found-title")}</h1>
            <p>{move || i18n.t("not-found-text")}</p>
            <a href="/customers" class="button">{move || i18n.t("back-to-customers")}</a>
        </section>
    }
}
