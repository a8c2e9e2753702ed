use leptos::prelude::*;

use crate::i18n::{I18n, Lang};
use crate::session::Session;

/// 简体中文 / 繁體中文 / English; remembered on the device and, when signed in, for the user.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let buttons = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <button
                    type="button"
                    class="lang-switch__option"
                    lang=lang.code()
                    data-testid=format!("lang-{}", lang.id())
                    aria-pressed=move || (i18n.lang() == lang).to_string()
                    on:click=move |_| {
                        i18n.choose(lang);
                        session.remember_language(lang);
                    }
                    aria-label=lang.native_name()
                >
                    <span class="lang-switch__long">{lang.native_name()}</span>
                    <span class="lang-switch__short" aria-hidden="true">{lang.short_name()}</span>
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="lang-switch" role="group" aria-label=move || i18n.t("language")>
            {buttons}
        </div>
    }
}
