//! The app's pages and the URL router. Signed out, every URL shows the sign-in
//! page, and after signing in the same URL opens.

mod admin;
mod customers;
mod not_found;
mod shell;
mod sign_in;

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::i18n::I18n;
use crate::session::{Auth, Session};
use shell::Shell;
use sign_in::SignInPage;

#[component]
pub fn AppRoutes() -> impl IntoView {
    let session = Session::get();
    let i18n = I18n::get();
    view! {
        <Router>
            <Shell>
                {move || match session.auth() {
                    Auth::Checking => view! {
                        <p class="status" role="status" data-testid="loading">{move || i18n.t("loading")}</p>
                    }
                    .into_any(),
                    Auth::SignedOut => view! { <SignInPage /> }.into_any(),
                    Auth::SignedIn(_) => view! {
                        <Routes fallback=not_found::NotFoundPage>
                            <Route path=path!("/") view=|| view! { <Redirect path="/customers" /> } />
                            <Route path=path!("/customers") view=customers::list::CustomerListPage />
                            <Route path=path!("/customers/new") view=customers::new::NewCustomerPage />
                            <Route path=path!("/customers/:id") view=customers::detail::CustomerPage />
                            <Route path=path!("/admin") view=|| view! { <Redirect path="/admin/users" /> } />
                            <Route path=path!("/admin/users") view=admin::users::UsersPage />
                            <Route path=path!("/admin/org") view=admin::org::OrgPage />
                            <Route path=path!("/admin/roles") view=admin::roles::RolesPage />
                            <Route path=path!("/admin/api-keys") view=admin::api_keys::ApiKeysPage />
                        </Routes>
                    }
                    .into_any(),
                }}
            </Shell>
        </Router>
    }
}
