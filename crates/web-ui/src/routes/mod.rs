//! The app's pages, chosen by the address. Signed out, every URL shows the
//! sign-in page, and after signing in the same URL opens.

mod admin;
mod customers;
mod import;
mod leads;
mod merge;
mod not_found;
mod sales;
mod shell;
mod sign_in;
mod work;

use leptos::prelude::*;

use crate::i18n::I18n;
use crate::router::{Page, Router};
use crate::session::{Auth, Session};
use shell::Shell;
use sign_in::SignInPage;

/// The customer module's pages.
pub fn customer_pages(page: Page) -> Option<AnyView> {
    Some(match page {
        Page::Customers => view! { <customers::list::CustomerListPage /> }.into_any(),
        Page::NewCustomer => view! { <customers::new::NewCustomerPage /> }.into_any(),
        Page::Customer => view! { <customers::detail::CustomerPage /> }.into_any(),
        Page::NotFound => view! { <not_found::NotFoundPage /> }.into_any(),
        _ => return None,
    })
}

/// The administration module's pages.
pub fn admin_pages(page: Page) -> Option<AnyView> {
    Some(match page {
        Page::Users => view! { <admin::users::UsersPage /> }.into_any(),
        Page::Org => view! { <admin::org::OrgPage /> }.into_any(),
        Page::Roles => view! { <admin::roles::RolesPage /> }.into_any(),
        Page::ApiKeys => view! { <admin::api_keys::ApiKeysPage /> }.into_any(),
        Page::Pool => view! { <admin::pool::PoolRulesPage /> }.into_any(),
        Page::Transfer => view! { <admin::transfer::TransferPage /> }.into_any(),
        Page::Duplicates => view! { <admin::duplicates::DuplicatesPage /> }.into_any(),
        Page::NotFound => view! { <not_found::NotFoundPage /> }.into_any(),
        _ => return None,
    })
}

/// The tools module's pages: work on several records at once (merging
/// duplicates, importing files), each screen heavy enough that the other
/// modules' budgets could not carry it.
pub fn tool_pages(page: Page) -> Option<AnyView> {
    match page {
        Page::Merge => Some(view! { <merge::MergePage /> }.into_any()),
        Page::Import => Some(view! { <import::ImportPage /> }.into_any()),
        Page::NotFound => Some(view! { <not_found::NotFoundPage /> }.into_any()),
        _ => None,
    }
}

/// The work module's pages: a rep's day, activities and a customer's
/// timeline, notifications and their settings.
pub fn work_pages(page: Page) -> Option<AnyView> {
    Some(match page {
        Page::Day => view! { <work::day::DayPage /> }.into_any(),
        Page::Timeline => view! { <work::timeline::TimelinePage /> }.into_any(),
        Page::LogActivity => view! { <work::log::LogActivityPage /> }.into_any(),
        Page::Activity => view! { <work::activity::ActivityPage /> }.into_any(),
        Page::Notifications => view! { <work::notifications::NotificationsPage /> }.into_any(),
        Page::Settings => view! { <work::settings::SettingsPage /> }.into_any(),
        Page::NotFound => view! { <not_found::NotFoundPage /> }.into_any(),
        _ => return None,
    })
}

/// The sales module's pages: the pipeline board, the list of deals and a
/// new deal.
pub fn sales_pages(page: Page) -> Option<AnyView> {
    Some(match page {
        Page::Pipeline => view! { <sales::board::BoardPage /> }.into_any(),
        Page::Opportunities => view! { <sales::list::ListPage /> }.into_any(),
        Page::NewOpportunity => view! { <sales::new::NewDealPage /> }.into_any(),
        Page::NotFound => view! { <not_found::NotFoundPage /> }.into_any(),
        _ => return None,
    })
}

/// The deal module's page: one deal with its checklist, history,
/// competitors, win and loss.
pub fn deal_pages(page: Page) -> Option<AnyView> {
    Some(match page {
        Page::Opportunity => view! { <sales::deal::DealPage /> }.into_any(),
        Page::NotFound => view! { <not_found::NotFoundPage /> }.into_any(),
        _ => return None,
    })
}

/// The sales insight module's pages: the forecast, rep performance and the
/// sales settings, which managers open more than reps.
pub fn insight_pages(page: Page) -> Option<AnyView> {
    Some(match page {
        Page::Forecast => view! { <sales::forecast::ForecastPage /> }.into_any(),
        Page::Performance => view! { <sales::performance::PerformancePage /> }.into_any(),
        Page::SalesSettings => view! { <sales::settings::SalesSettingsPage /> }.into_any(),
        Page::NotFound => view! { <not_found::NotFoundPage /> }.into_any(),
        _ => return None,
    })
}

/// The leads module's pages: the list and queues, a lead, its conversion,
/// web forms and assignment rules.
pub fn leads_pages(page: Page) -> Option<AnyView> {
    Some(match page {
        Page::Leads => view! { <leads::list::LeadsPage /> }.into_any(),
        Page::NewLead => view! { <leads::new::NewLeadPage /> }.into_any(),
        Page::Lead => view! { <leads::detail::LeadPage /> }.into_any(),
        Page::LeadSetup => view! { <leads::setup::LeadSetupPage /> }.into_any(),
        Page::LeadScoring => view! { <leads::scoring::LeadScoringPage /> }.into_any(),
        Page::NotFound => view! { <not_found::NotFoundPage /> }.into_any(),
        _ => return None,
    })
}

#[component]
pub fn AppRoutes(pages: crate::Pages) -> impl IntoView {
    let session = Session::get();
    let i18n = I18n::get();
    let router = Router::get();
    let page = Memo::new(move |_| router.page());
    // `/` and `/admin` have no page of their own
    Effect::new(move |_| {
        if let Err(to) = page.get() {
            router.navigate(to, true, false);
        }
    });
    let signed_in = move || match page.get() {
        Ok(p) => pages(p).unwrap_or_else(|| {
            // the other module's page: load the address anew, which loads that module
            let _ = window().location().reload();
            ().into_any()
        }),
        Err(_) => ().into_any(),
    };
    view! {
        <Shell>
            {move || match session.auth() {
                Auth::Checking => view! {
                    <p class="status" role="status" data-testid="loading">{move || i18n.t("loading")}</p>
                }
                .into_any(),
                Auth::SignedOut => view! { <SignInPage /> }.into_any(),
                Auth::SignedIn(_) => signed_in.into_any(),
            }}
        </Shell>
    }
}
