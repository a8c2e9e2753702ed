//! The form for a new customer. Nothing typed is lost when the API refuses it.

use std::sync::Arc;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Call;
use crate::components::ProblemAlert;
use crate::components::customers::draft::{Draft, Section};
use crate::components::customers::duplicates::{self, DuplicateNotice};
use crate::components::customers::form::{CUSTOMER_FIELDS, CustomerFields, focus_first_invalid};
use crate::components::customers::model::{Customer, Lookups, lookups, may_assign};
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::session::Session;

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = crate::router::Router::get();
    let draft = Draft::new();
    let errors = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let names = RwSignal::new(None::<Arc<Lookups>>);
    let assign = may_assign(session);
    spawn_local(async move {
        // the form works without regions and product lines to choose from
        names.set(Some(lookups(session).await.unwrap_or_default()));
    });

    const ALL: [Section; 3] = [Section::Profile, Section::Reach, Section::Notes];
    let dup_reason = RwSignal::new(String::new());
    let submit = move |anyway: bool| {
        if pending.get_untracked() {
            return;
        }
        if let Some(e) = draft.check(&ALL) {
            errors.set(Some(e));
            focus_first_invalid();
            return;
        }
        let mut body = draft.body(&ALL, true, assign);
        if anyway {
            body.duplicate_reason = Some(dup_reason.get_untracked().trim().to_owned());
        }
        pending.set(true);
        spawn_local(async move {
            match session
                .send_versioned::<Customer>(&Call::post("/customers", &body))
                .await
            {
                Ok(v) => router.navigate(&format!("/customers/{}", v.data.id), false, true),
                Err(e) => {
                    let duplicate = duplicates::of(&Some(e.clone())).is_some();
                    errors.set(Some(e));
                    pending.set(false);
                    if duplicate {
                        scroll_to_notice();
                    } else {
                        focus_first_invalid();
                    }
                }
            }
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submit(false);
    };

    let l = Signal::derive(move || names.get().unwrap_or_default());
    let section = move |title: &'static str, s: Section| {
        view! {
            <section class="card cust-section">
                <h2>{t(title)}</h2>
                <CustomerFields draft=draft section=s errors=errors lookups=l may_assign=assign />
            </section>
        }
    };

    view! {
        <div class="cust-page cust-form-page">
            <nav class="cust-back"><a href="/customers">{Signal::derive(move || format!("← {}", i18n.t("back-to-customers")))}</a></nav>
            <h1 id="new-customer-title">{t("new-customer-title")}</h1>
            <form class="cust-form" novalidate aria-labelledby="new-customer-title" data-testid="customer-form"
                aria-busy=Signal::derive(move || pending.get().to_string()) on:submit=on_submit>
                <p class="muted">{t("customers-required-note")}</p>
                <ProblemAlert error=errors shown_fields=CUSTOMER_FIELDS />
                {move || if names.with(Option::is_none) {
                    view! { <div class="card"><span class="skeleton"></span><span class="skeleton"></span><span class="skeleton"></span></div> }.into_any()
                } else {
                    view! {
                        {section("customers-section-profile", Section::Profile)}
                        {section("customers-section-reach", Section::Reach)}
                        {section("customers-section-notes", Section::Notes)}
                    }.into_any()
                }}
                <DuplicateNotice error=errors reason=dup_reason pending=pending
                    save_anyway=Callback::new(move |()| submit(true)) />
                <div class="cust-form__actions">
                    <a href="/customers" class="button">{t("action-cancel")}</a>
                    <button type="submit" class="button button--primary" data-testid="customer-save"
                        aria-disabled=Signal::derive(move || pending.get().then_some("true"))>
                        {move || if pending.get() { i18n.t("saving") } else { i18n.t("customers-create") }}
                    </button>
                </div>
            </form>
        </div>
    }
}

/// Brings the duplicate notice into view: on a phone it appears far below
/// where the user was reading.
fn scroll_to_notice() {
    request_animation_frame(|| {
        if let Some(el) = document()
            .query_selector("[data-testid=duplicate-notice]")
            .ok()
            .flatten()
        {
            el.scroll_into_view();
        }
    });
}
