use leptos::prelude::*;

use crate::api::Me;
use crate::session::Session;
use crate::translations::I18n;

/// Says who is signed in; the real home page comes later.
#[component]
pub fn HomePage(me: Me) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let Me {
        email,
        display_name,
        roles,
    } = me;
    let roles = if roles.is_empty() {
        view! { <li>{move || i18n.t().no_roles}</li> }.into_any()
    } else {
        roles
            .into_iter()
            .map(|role| view! { <li class="roles__item">{role.name}</li> })
            .collect_view()
            .into_any()
    };
    view! {
        <main class="page" id="main">
            <section class="card" aria-labelledby="home-title">
                <h1 id="home-title">{move || i18n.t().home_title}</h1>
                <p class="signed-in-as" data-testid="signed-in-as">
                    {move || i18n.t().signed_in_as}
                    <strong>{display_name}</strong>
                </p>
                <dl class="facts">
                    <dt>{move || i18n.t().email}</dt>
                    <dd data-testid="user-email">{email}</dd>
                    <dt>{move || i18n.t().roles}</dt>
                    <dd>
                        <ul class="roles" data-testid="user-roles">
                            {roles}
                        </ul>
                    </dd>
                </dl>
                <button
                    type="button"
                    class="button"
                    data-testid="sign-out"
                    on:click=move |_| session.sign_out()
                >
                    {move || i18n.t().sign_out}
                </button>
            </section>
        </main>
    }
}
