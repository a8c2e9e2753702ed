//! One section of a customer's page: read, or edited in place. A save that
//! lost a race (412) offers to reload and re-apply the change.

use std::sync::Arc;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::detail::Record;
use crate::api::{ApiError, Call};
use crate::components::ProblemAlert;
use crate::components::customers::draft::{Body, Draft, Section};
use crate::components::customers::duplicates::DuplicateNotice;
use crate::components::customers::form::{
    CUSTOMER_FIELDS, CustomerFields, focus_first, focus_first_invalid,
};
use crate::components::customers::model::{Customer, Lookups, may_assign};
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::session::Session;

fn meta(s: Section) -> (&'static str, &'static str) {
    match s {
        Section::Profile => ("customers-section-profile", "profile"),
        Section::Reach => ("customers-section-reach", "reach"),
        Section::Notes => ("customers-section-notes", "notes"),
    }
}

/// Digits and a leading `+`, for a `tel:` link.
pub fn tel(phone: &str) -> String {
    phone
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect()
}

fn read_view(s: Section, c: &Customer) -> AnyView {
    let i18n = I18n::get();
    let row = |key: &'static str, v: AnyView| {
        view! { <div><dt>{t(key)}</dt><dd>{v}</dd></div> }
    };
    let text = |v: &Option<String>| {
        v.clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "—".into())
            .into_any()
    };
    let dash = || "—".into_any();
    match s {
        Section::Profile => {
            let tags = if c.tags.is_empty() {
                dash()
            } else {
                view! { <ul class="cust-chips">{c.tags.iter().map(|t| view! { <li class="cust-tag">{t.clone()}</li> }).collect_view()}</ul> }.into_any()
            };
            let kind = format!("kind-{}", c.kind);
            view! {
                <dl class="cust-facts">
                    {row("customers-field-kind", Signal::derive(move || i18n.t(&kind)).into_any())}
                    {row("customers-field-industry", text(&c.industry))}
                    {row("customers-field-source", text(&c.source))}
                    {row("customers-field-renewal-on", text(&c.renewal_on))}
                    {row("customers-field-maintenance-on", text(&c.maintenance_on))}
                    {row("customers-field-tags", tags)}
                </dl>
            }
            .into_any()
        }
        Section::Reach => {
            let phones = c.phones.iter().map(|p| view! { <li><a href=format!("tel:{}", tel(p))>{p.clone()}</a></li> }).collect_view();
            let emails = c.emails.iter().map(|e| view! { <li><a href=format!("mailto:{e}")>{e.clone()}</a></li> }).collect_view();
            let list = |empty: bool, v: AnyView| if empty { dash() } else { view! { <ul class="cust-plain">{v}</ul> }.into_any() };
            view! {
                <dl class="cust-facts">
                    {row("customers-field-phones", list(c.phones.is_empty(), phones.into_any()))}
                    {row("customers-field-emails", list(c.emails.is_empty(), emails.into_any()))}
                    {row("customers-field-address", text(&c.address))}
                </dl>
            }
            .into_any()
        }
        Section::Notes => view! {
            <p class="cust-notes">{c.notes.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| i18n.t("customers-no-notes"))}</p>
        }
        .into_any(),
    }
}

#[component]
pub fn SectionCard(
    section: Section,
    record: Record,
    names: RwSignal<Arc<Lookups>>,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let (title, slug) = meta(section);
    let editing = RwSignal::new(false);
    let conflict = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let errors = RwSignal::new(None::<ApiError>);
    let draft = Draft::new();
    let assign = may_assign(session);
    let sections = [section];
    // the section's values when editing began: only what the user changed is sent
    let original = StoredValue::new(Body::default());
    let may_edit = move || record.with(|r| r.as_ref().is_some_and(|v| v.data.allowed.update));
    let dup_reason = RwSignal::new(String::new());
    let id = move || {
        record.with_untracked(|r| r.as_ref().map(|v| v.data.id.clone()).unwrap_or_default())
    };

    let start = move |_| {
        if let Some(v) = record.get_untracked() {
            draft.load(&v.data);
            original.set_value(draft.body(&sections, false, assign));
        }
        errors.set(None);
        conflict.set(false);
        editing.set(true);
        focus_first(format!(
            "[data-testid='section-{slug}'] input, [data-testid='section-{slug}'] select, [data-testid='section-{slug}'] textarea"
        ));
    };
    // Sends the draft with the given version; a 412 turns into the conflict offer.
    let save = move |etag: String, anyway: bool| {
        let mut body =
            original.with_value(|o| draft.body(&sections, false, assign).changed_since(o));
        if body.is_empty() {
            editing.set(false);
            pending.set(false);
            return;
        }
        if anyway {
            body.duplicate_reason = Some(dup_reason.get_untracked().trim().to_owned());
        }
        pending.set(true);
        spawn_local(async move {
            let call = Call::patch(format!("/customers/{}", id()), &etag, &body);
            match session.send_versioned::<Customer>(&call).await {
                Ok(v) => {
                    record.set(Some(v));
                    editing.set(false);
                    conflict.set(false);
                    errors.set(None);
                }
                Err(e) if e.status() == Some(412) => {
                    errors.set(None);
                    conflict.set(true);
                }
                Err(e) => {
                    errors.set(Some(e));
                    focus_first_invalid();
                }
            }
            pending.set(false);
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if let Some(e) = draft.check(&sections) {
            errors.set(Some(e));
            focus_first_invalid();
            return;
        }
        let etag =
            record.with_untracked(|r| r.as_ref().map(|v| v.etag.clone()).unwrap_or_default());
        save(etag, false);
    };
    let save_anyway = move |()| {
        let etag =
            record.with_untracked(|r| r.as_ref().map(|v| v.etag.clone()).unwrap_or_default());
        save(etag, true);
    };
    // Fetches the latest version; then re-sends the draft on it, or drops the draft.
    let reload = move |reapply: bool| {
        pending.set(true);
        spawn_local(async move {
            match session
                .get_versioned::<Customer>(&format!("/customers/{}", id()))
                .await
            {
                Ok(v) => {
                    let etag = v.etag.clone();
                    record.set(Some(v));
                    conflict.set(false);
                    if reapply {
                        save(etag, false);
                    } else {
                        editing.set(false);
                        pending.set(false);
                    }
                }
                Err(e) => {
                    errors.set(Some(e));
                    pending.set(false);
                }
            }
        });
    };

    let editor = move || {
        view! {
                    <form class="cust-edit" novalidate on:submit=on_submit aria-busy=Signal::derive(move || pending.get().to_string())
                        aria-label=Signal::derive(move || format!("{}: {}", i18n.t("action-edit"), i18n.t(title)))>
                        {move || conflict.get().then(|| view! {
                            <div class="alert alert--info" role="alert" data-testid="conflict">
                                <p class="alert__title">{t("problem-stale-version")}</p>
                                <p>{t("customers-conflict-hint")}</p>
                                <div class="actions">
                                    <button type="button" class="button button--primary" data-testid="conflict-reapply" on:click=move |_| reload(true)>
                                        {t("customers-conflict-reapply")}
                                    </button>
                                    <button type="button" class="button" data-testid="conflict-discard" on:click=move |_| reload(false)>
                                        {t("customers-conflict-discard")}
                                    </button>
                                </div>
                            </div>
        })}
                        <ProblemAlert error=errors shown_fields=CUSTOMER_FIELDS />
                        <CustomerFields draft=draft section=section errors=errors lookups=names may_assign=assign edit=true />
                        <DuplicateNotice error=errors reason=dup_reason pending=pending save_anyway=Callback::new(save_anyway) />
                        <div class="actions cust-edit__actions">
                            <button type="button" class="button" data-testid=format!("cancel-{slug}") on:click=move |_| editing.set(false)>
                                {t("action-cancel")}
                            </button>
                            <button type="submit" class="button button--primary" data-testid=format!("save-{slug}")
                                aria-disabled=Signal::derive(move || pending.get().then_some("true"))>
                                {move || if pending.get() { i18n.t("saving") } else { i18n.t("action-save") }}
                            </button>
                        </div>
                    </form>
                }
    };

    view! {
            <section class="card cust-section" data-testid=format!("section-{slug}") aria-labelledby=format!("h-{slug}")>
                <div class="cust-section__head">
                    <h2 id=format!("h-{slug}")>{t(title)}</h2>
                    {move || (!editing.get() && may_edit()).then(|| view! {
                        <button type="button" class="button button--ghost" data-testid=format!("edit-{slug}") on:click=start
                            aria-label=Signal::derive(move || format!("{}: {}", i18n.t("action-edit"), i18n.t(title)))>
                            {t("action-edit")}
                        </button>
    })}
                </div>
                {move || if editing.get() {
                    editor().into_any()
                } else {
                    record.with(|r| r.as_ref().map(|v| read_view(section, &v.data))).into_any()
                }}
            </section>
        }
}
