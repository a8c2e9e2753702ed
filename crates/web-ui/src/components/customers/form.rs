//! Inputs of the customer and contact forms, and the customer's fields grouped
//! by [`Section`], shared by the create form and in-place editing.

use std::sync::Arc;

use leptos::prelude::*;

use super::draft::{Draft, Section};
use super::model::Lookups;
use super::t;
use crate::api::ApiError;
use crate::components::TextField;
use crate::components::problem::field_error;
use crate::i18n::I18n;

pub type Errors = RwSignal<Option<ApiError>>;

/// The translated problem for `field`, if any.
pub fn err_for(errors: Errors, field: &'static str) -> Signal<Option<String>> {
    let i18n = I18n::get();
    Signal::derive(move || errors.with(|e| field_error(i18n, e, field)))
}

fn label(key: &'static str) -> Signal<String> {
    t(key)
}

/// A labelled `<select>`; `options` are (value, label).
#[component]
pub fn SelectField(
    id: &'static str,
    label_key: &'static str,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let error = error.unwrap_or_default();
    let err_id = format!("{id}-error");
    view! {
        <div class="field">
            <label class="field__label" for=id>{t(label_key)}</label>
            <select
                id=id
                data-testid=id
                aria-invalid=Signal::derive(move || error.with(Option::is_some).then_some("true"))
                aria-describedby=Signal::derive(move || error.with(Option::is_some).then_some(format!("{id}-error")))
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let sel = v.clone();
                            view! { <option value=v prop:selected=Signal::derive(move || value.with(|c| *c == sel))>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            {move || error.get().map(|m| view! { <p class="field__error" id=err_id.clone() data-testid=err_id.clone()>{m}</p> })}
        </div>
    }
}

/// Several values of one kind (phones, e-mails): one input each, add and remove.
/// Input `i` has the id `{id}-{i}` and shows the API's problem for `{id}[i]`.
#[component]
pub fn ListField(
    id: &'static str,
    label_key: &'static str,
    add_key: &'static str,
    kind: &'static str,
    values: RwSignal<Vec<String>>,
    errors: Errors,
    /// The API's name for the field, when it differs from `id`.
    #[prop(optional)]
    field: Option<&'static str>,
) -> impl IntoView {
    let i18n = I18n::get();
    let field = field.unwrap_or(id);
    let len = Memo::new(move |_| values.with(Vec::len));
    let row = move |i: usize| {
        let input_id = format!("{id}-{i}");
        let err_id = format!("{input_id}-error");
        let err =
            Signal::derive(move || errors.with(|e| field_error(i18n, e, &format!("{field}[{i}]"))));
        let err_id2 = err_id.clone();
        view! {
            <div class="cust-list-field__row">
                <input
                    class="field__input"
                    id=input_id.clone()
                    data-testid=input_id.clone()
                    type=kind
                    aria-label=Signal::derive(move || format!("{} {}", i18n.t(label_key), i + 1))
                    aria-invalid=Signal::derive(move || err.with(Option::is_some).then_some("true"))
                    aria-describedby=Signal::derive(move || err.with(Option::is_some).then_some(err_id2.clone()))
                    prop:value=Signal::derive(move || values.with(|v| v.get(i).cloned().unwrap_or_default()))
                    on:input=move |ev| values.update(|v| if let Some(s) = v.get_mut(i) { *s = event_target_value(&ev) })
                />
                <button
                    type="button"
                    class="button button--ghost cust-icon-button"
                    aria-label=Signal::derive(move || format!("{} {} {}", i18n.t("customers-remove"), i18n.t(label_key), i + 1))
                    on:click=move |_| values.update(|v| {
                        if v.len() > 1 { v.remove(i); } else { v[0].clear(); }
                    })
                >"×"</button>
                {move || err.get().map(|m| view! { <p class="field__error cust-list-field__error" id=err_id.clone() data-testid=err_id.clone()>{m}</p> })}
            </div>
        }
    };
    view! {
        <fieldset class="field cust-list-field">
            <legend class="field__label">{t(label_key)}</legend>
            {move || (0..len.get()).map(row).collect_view()}
            <button type="button" class="button button--ghost cust-add" data-testid=format!("{id}-add")
                on:click=move |_| values.update(|v| v.push(String::new()))>
                {Signal::derive(move || format!("+ {}", i18n.t(add_key)))}
            </button>
        </fieldset>
    }
}

/// A labelled multi-line input.
#[component]
pub fn AreaField(
    id: &'static str,
    label_key: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{t(label_key)}</label>
            <textarea id=id data-testid=id bind:value=value
                aria-invalid=Signal::derive(move || error.with(Option::is_some).then_some("true"))></textarea>
            {move || error.get().map(|m| view! { <p class="field__error" data-testid=format!("{id}-error")>{m}</p> })}
        </div>
    }
}

pub use crate::components::focus::focus_first;

/// Moves keyboard focus to the first field marked invalid.
pub fn focus_first_invalid() {
    focus_first("[aria-invalid='true']".into());
}

/// Fields the customer form shows its own messages for.
pub const CUSTOMER_FIELDS: &[&str] = &[
    "name",
    "kind",
    "lifecycle_stage",
    "lifecycle_reason",
    "industry",
    "source",
    "region_id",
    "owner_id",
    "product_line_ids",
    "tags",
    "phones",
    "emails",
    "address",
    "renewal_on",
    "maintenance_on",
    "notes",
];

pub fn stage_options(i18n: I18n, any_key: Option<&'static str>) -> Vec<(String, String)> {
    let any = any_key.map(|k| (String::new(), i18n.t(k)));
    any.into_iter()
        .chain(kehu_domain::customer::LifecycleStage::ALL.iter().map(|s| {
            (
                s.as_str().to_owned(),
                i18n.t(&format!("stage-{}", s.as_str())),
            )
        }))
        .collect()
}

pub fn region_options(l: &Lookups, first: String) -> Vec<(String, String)> {
    std::iter::once((String::new(), first))
        .chain(l.regions.iter().map(|(u, depth)| {
            (
                u.id.clone(),
                format!("{}{}", "\u{2003}".repeat(*depth), u.name),
            )
        }))
        .collect()
}

/// The fields of one section of a customer.
#[component]
pub fn CustomerFields(
    draft: Draft,
    section: Section,
    errors: Errors,
    /// Reference data; it may arrive after the fields are on screen, and then
    /// only the choices change: the inputs (and the focus in them) stay.
    #[prop(into)]
    lookups: Signal<Arc<Lookups>>,
    /// Show the owner choice (admins and managers).
    may_assign: bool,
    /// Editing an existing customer (offers a reason for a stage change).
    #[prop(optional)]
    edit: bool,
) -> impl IntoView {
    let i18n = I18n::get();
    match section {
        Section::Profile => {
            let regions = Signal::derive(move || lookups.with(|l| region_options(l, i18n.t("customers-none"))));
            let owners = Signal::derive(move || {
                lookups.with(|l| {
                    [(String::new(), i18n.t("customers-owner-me")), ("none".into(), i18n.t("customers-owner-pool"))]
                        .into_iter()
                        .chain(l.users.iter().filter(|u| u.is_active).map(|u| (u.id.clone(), u.display_name.clone())))
                        .collect::<Vec<_>>()
                })
            });
            let kinds = Signal::derive(move || {
                ["company", "person"].map(|k| (k.to_owned(), i18n.t(&format!("kind-{k}")))).to_vec()
            });
            let lines = move || lookups.with(|l| l
                .product_lines
                .iter()
                .map(|pl| {
                    let id = pl.id.clone();
                    let id2 = pl.id.clone();
                    view! {
                        <label class="cust-check">
                            <input type="checkbox" value=id.clone()
                                prop:checked=Signal::derive(move || draft.product_lines.with(|v| v.contains(&id)))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft.product_lines.update(|v| {
                                        v.retain(|x| *x != id2);
                                        if on { v.push(id2.clone()); }
                                    });
                                }
                            />
                            {pl.name.clone()}
                        </label>
                    }
                })
                .collect_view());
            view! {
                <TextField id="name" label=label("customers-field-name") required=true kind="text" autocomplete="organization" value=draft.name error=err_for(errors, "name") />
                <div class="cust-grid">
                    <SelectField id="kind" label_key="customers-field-kind" options=kinds value=draft.kind error=err_for(errors, "kind") />
                    <SelectField id="stage" label_key="customers-field-stage" options=Signal::derive(move || stage_options(i18n, None)) value=draft.stage error=err_for(errors, "lifecycle_stage") />
                    <TextField id="industry" label=label("customers-field-industry") kind="text" autocomplete="off" value=draft.industry error=err_for(errors, "industry") />
                    <TextField id="source" label=label("customers-field-source") kind="text" autocomplete="off" value=draft.source error=err_for(errors, "source") />
                    <TextField id="renewal_on" label=label("customers-field-renewal-on") kind="date" autocomplete="off" value=draft.renewal_on error=err_for(errors, "renewal_on") />
                    <TextField id="maintenance_on" label=label("customers-field-maintenance-on") kind="date" autocomplete="off" value=draft.maintenance_on error=err_for(errors, "maintenance_on") />
                    <SelectField id="region" label_key="customers-field-region" options=regions value=draft.region error=err_for(errors, "region_id") />
                    {may_assign.then(|| view! {
                        <SelectField id="owner" label_key="customers-field-owner" options=owners value=draft.owner error=err_for(errors, "owner_id") />
                    })}
                </div>
                <fieldset class="field cust-checks">
                    <legend class="field__label">{t("customers-field-product-lines")}</legend>
                    {lines}
                    {move || err_for(errors, "product_line_ids").get().map(|m| view! { <p class="field__error">{m}</p> })}
                </fieldset>
                {edit.then(|| view! {
                    <TextField id="lifecycle_reason" label=label("customers-field-stage-reason") kind="text" autocomplete="off" value=draft.stage_reason error=err_for(errors, "lifecycle_reason") />
                })}
                <TextField id="tags" label=label("customers-field-tags") kind="text" autocomplete="off" value=draft.tags error=err_for(errors, "tags") />
                <p class="field__hint cust-hint">{t("customers-tags-hint")}</p>
            }
            .into_any()
        }
        Section::Reach => view! {
            <ListField id="phones" label_key="customers-field-phones" add_key="customers-add-phone" kind="tel" values=draft.phones errors=errors />
            <ListField id="emails" label_key="customers-field-emails" add_key="customers-add-email" kind="email" values=draft.emails errors=errors />
            <TextField id="address" label=label("customers-field-address") kind="text" autocomplete="street-address" value=draft.address error=err_for(errors, "address") />
        }
        .into_any(),
        Section::Notes => view! {
            <AreaField id="notes" label_key="customers-field-notes" value=draft.notes error=err_for(errors, "notes") />
        }
        .into_any(),
    }
}
