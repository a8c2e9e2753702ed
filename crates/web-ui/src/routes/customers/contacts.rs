//! A customer's contacts, with click-to-call and mail links, and the form to add one.

use kehu_domain::Invalid;
use kehu_domain::text::{self, Email};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::edit::tel;
use crate::api::{ApiError, Call, FieldProblem};
use crate::components::customers::draft::compact;
use crate::components::customers::form::{ListField, err_for, focus_first_invalid};
use crate::components::customers::model::{Contact, Page};
use crate::components::customers::t;
use crate::components::problem::summary;
use crate::components::{ProblemAlert, TextField};
use crate::i18n::I18n;
use crate::session::Session;

#[component]
pub fn ContactsCard(customer_id: String) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let contacts = RwSignal::new(None::<Result<Vec<Contact>, ApiError>>);
    let adding = RwSignal::new(false);
    let added = RwSignal::new(None::<String>);
    let cid = StoredValue::new(customer_id);
    let load = move || {
        spawn_local(async move {
            let r = session
                .get_json::<Page<Contact>>(&format!(
                    "/customers/{}/contacts?limit=200",
                    cid.get_value()
                ))
                .await;
            contacts.set(Some(r.map(|p| p.data)));
        });
    };
    load();
    crate::components::connection::retry_when_back(move || {
        if contacts.with_untracked(|c| matches!(c, Some(Err(_)))) {
            load();
        }
    });

    let list = move || {
        match contacts.get() {
        None => view! { <span class="skeleton"></span><span class="skeleton"></span> }.into_any(),
        Some(Err(e)) => {
            let lines = summary(i18n, &e).into_iter().map(|l| view! { <p>{l}</p> }).collect_view();
            view! {
                <div class="alert" role="alert">{lines}
                    <button type="button" class="button" on:click=move |_| load()>{i18n.t("action-retry")}</button>
                </div>
            }
            .into_any()
        }
        Some(Ok(cs)) if cs.is_empty() => view! { <p class="muted" data-testid="no-contacts">{i18n.t("customers-no-contacts")}</p> }.into_any(),
        Some(Ok(cs)) => view! {
            <ul class="cust-contacts" data-testid="contact-list">
                {cs.into_iter().map(|c| view! { <ContactItem contact=c contacts=contacts /> }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };

    view! {
            <section class="card cust-section cust-contacts-card" aria-labelledby="h-contacts" data-testid="contacts">
                <div class="cust-section__head">
                    <h2 id="h-contacts">{t("customers-contacts")}</h2>
                    {move || (!adding.get()).then(|| view! {
                        <button type="button" class="button button--ghost" data-testid="add-contact"
                            on:click=move |_| { added.set(None); adding.set(true); }>
                            {Signal::derive(move || format!("+ {}", i18n.t("customers-add-contact")))}
                        </button>
    })}
                </div>
                {move || added.get().map(|n| view! {
                    <p class="alert alert--success" role="status" data-testid="contact-added">{i18n.t_args("customers-contact-added", &[("name", n.into())])}</p>
                })}
                {move || adding.get().then(|| view! {
                    <ContactForm customer_id=cid.get_value() on_done=Callback::new(move |c: Option<Contact>| {
                        adding.set(false);
                        if let Some(c) = c {
                            added.set(Some(c.name.clone()));
                            contacts.update(|l| if let Some(Ok(v)) = l { v.push(c); });
                        }
                    }) />
    })}
                {list}
            </section>
        }
}

#[component]
fn ContactForm(customer_id: String, on_done: Callback<Option<Contact>>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let name = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let birthday = RwSignal::new(String::new());
    let phones = RwSignal::new(vec![String::new()]);
    let emails = RwSignal::new(vec![String::new()]);
    let errors = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let dnc = RwSignal::new(Vec::<String>::new());
    let label = move |k: &'static str| Signal::derive(move || i18n.t(k));
    let cid = StoredValue::new(customer_id);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (ps, es) = (compact(phones), compact(emails));
        let mut problems: Vec<FieldProblem> = Vec::new();
        let mut keep = |r: Result<(), Invalid>| {
            if let Err(Invalid(v)) = r {
                problems.extend(v.into_iter().map(|e| FieldProblem {
                    field: e.field,
                    code: e.code.into(),
                    message: e.message,
                }));
            }
        };
        keep(text::required("name", &name.get_untracked(), text::NAME_MAX).map(drop));
        for (i, e) in es.iter().enumerate() {
            keep(Email::parse(&format!("emails[{i}]"), e).map(drop));
        }
        if !problems.is_empty() {
            errors.set(Some(ApiError::invalid(problems)));
            focus_first_invalid();
            return;
        }
        let t = title.get_untracked().trim().to_owned();
        let b = birthday.get_untracked().trim().to_owned();
        #[derive(serde::Serialize)]
        struct ContactBody {
            name: String,
            title: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            birthday: Option<String>,
            phones: Vec<String>,
            emails: Vec<String>,
            do_not_contact: Vec<String>,
        }
        let body = ContactBody {
            name: name.get_untracked().trim().to_owned(),
            title: (!t.is_empty()).then_some(t),
            birthday: (!b.is_empty()).then_some(b),
            phones: ps,
            emails: es,
            do_not_contact: dnc.get_untracked(),
        };
        pending.set(true);
        spawn_local(async move {
            let call = Call::post(format!("/customers/{}/contacts", cid.get_value()), &body);
            match session.send_versioned::<Contact>(&call).await {
                Ok(v) => on_done.run(Some(v.data)),
                Err(e) => {
                    errors.set(Some(e));
                    pending.set(false);
                    focus_first_invalid();
                }
            }
        });
    };

    view! {
        <form class="cust-contact-form" novalidate data-testid="contact-form" on:submit=on_submit
            aria-label=t("customers-add-contact") aria-busy=Signal::derive(move || pending.get().to_string())>
            <ProblemAlert error=errors shown_fields=&["name", "title", "birthday", "phones", "emails"] />
            <TextField id="contact-name" label=label("customers-contact-name") required=true kind="text" autocomplete="name" value=name error=err_for(errors, "name") />
            <TextField id="contact-title" label=label("customers-contact-title") kind="text" autocomplete="organization-title" value=title error=err_for(errors, "title") />
            <TextField id="contact-birthday" label=label("customers-contact-birthday") kind="text" autocomplete="bday" value=birthday error=err_for(errors, "birthday") />
            <p class="field__hint cust-hint">{t("customers-contact-birthday-hint")}</p>
            <ListField id="contact-phones" field="phones" label_key="customers-field-phones" add_key="customers-add-phone" kind="tel" values=phones errors=errors />
            <ListField id="contact-emails" field="emails" label_key="customers-field-emails" add_key="customers-add-email" kind="email" values=emails errors=errors />
            <DncChoice chosen=dnc />
            <div class="actions cust-edit__actions">
                <button type="button" class="button" on:click=move |_| on_done.run(None)>{t("action-cancel")}</button>
                <button type="submit" class="button button--primary" data-testid="contact-save"
                    aria-disabled=Signal::derive(move || pending.get().then_some("true"))>
                    {move || if pending.get() { i18n.t("saving") } else { i18n.t("customers-add-contact") }}
                </button>
            </div>
        </form>
    }
}

const CHANNELS: [&str; 4] = ["call", "email", "sms", "mail"];

/// Checkboxes for the channels a contact must not be reached by.
#[component]
fn DncChoice(chosen: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = I18n::get();
    let boxes = CHANNELS
        .into_iter()
        .map(|ch| {
            view! {
                <label class="dnc-choice__item">
                    <input type="checkbox" data-testid=format!("dnc-{ch}")
                        prop:checked=move || chosen.with(|c| c.iter().any(|x| x == ch))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| x != ch);
                                if on {
                                    c.push(ch.to_owned());
                                }
                            });
                        } />
                    {move || i18n.t(&format!("dnc-{ch}"))}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="dnc-choice">
            <legend>{t("dnc-legend")}</legend>
            {boxes}
        </fieldset>
    }
}

/// One contact: name, the do-not-contact marks up front, links only for the
/// channels that may be used, and a way to change the marks.
#[component]
fn ContactItem(
    contact: Contact,
    contacts: RwSignal<Option<Result<Vec<Contact>, ApiError>>>,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let editing = RwSignal::new(false);
    let chosen = RwSignal::new(
        contact
            .do_not_contact
            .iter()
            .map(|m| m.channel.clone())
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let c = contact.clone();
    let phones = c
        .phones
        .iter()
        .map(|p| {
            if c.may("call") {
                view! {
                    <a class="cust-contact__link" href=format!("tel:{}", tel(p))
                        aria-label=format!("{} {} {}", i18n.t("customers-call"), c.name, p)>{format!("☎ {p}")}</a>
                }
                .into_any()
            } else {
                view! { <span class="cust-contact__blocked" data-testid="blocked-phone">{format!("☎ {p}")}</span> }.into_any()
            }
        })
        .collect_view();
    let emails = c
        .emails
        .iter()
        .map(|e| {
            if c.may("email") {
                view! { <a class="cust-contact__link" href=format!("mailto:{e}")>{format!("✉ {e}")}</a> }.into_any()
            } else {
                view! { <span class="cust-contact__blocked" data-testid="blocked-email">{format!("✉ {e}")}</span> }.into_any()
            }
        })
        .collect_view();
    let marks = (!c.do_not_contact.is_empty()).then(|| {
        let items = c
            .do_not_contact
            .iter()
            .map(|m| {
                let who = m
                    .set_by
                    .as_ref()
                    .map(|n| n.display_name.clone())
                    .filter(|n| !n.is_empty());
                let when = m.set_at.get(..10).unwrap_or_default().to_owned();
                let detail = who.map_or(when.clone(), |w| format!("{w} · {when}"));
                view! {
                    <li class="dnc-badge" data-testid="dnc-badge" title=detail.clone()>
                        {i18n.t(&format!("dnc-not-{}", m.channel))}
                        <span class="visually-hidden">{format!(" ({detail})")}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="dnc-badges" aria-label=i18n.t("dnc-legend")>{items}</ul> }
    });
    let id = contact.id.clone();
    let version = contact.version;
    let save = move |_| {
        let id = id.clone();
        #[derive(serde::Serialize)]
        struct Body {
            do_not_contact: Vec<String>,
        }
        let body = Body {
            do_not_contact: chosen.get_untracked(),
        };
        spawn_local(async move {
            let call = Call::patch(format!("/contacts/{id}"), &format!("\"{version}\""), &body);
            match session.send_versioned::<Contact>(&call).await {
                Ok(v) => {
                    let fresh = v.data;
                    contacts.update(|l| {
                        if let Some(Ok(list)) = l
                            && let Some(slot) = list.iter_mut().find(|x| x.id == fresh.id)
                        {
                            *slot = fresh;
                        }
                    });
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <li class="cust-contact" data-testid="contact">
            <p class="cust-contact__name">{c.name.clone()}
                {c.title.clone().map(|t| view! { <span class="muted">{format!(" · {t}")}</span> })}
                {c.birthday.clone().map(|b| {
                    let shown = b.trim_start_matches("--").to_owned();
                    view! { <span class="muted" data-testid="contact-birthday-shown">{move || format!(" · {} {shown}", i18n.t("customers-contact-birthday"))}</span> }
                })}
            </p>
            {marks}
            <div class="cust-contact__links">{phones}{emails}</div>
            {move || if editing.get() {
                view! {
                    <div class="dnc-edit">
                        <DncChoice chosen=chosen />
                        <ProblemAlert error=error />
                        <div class="actions">
                            <button type="button" class="button" on:click=move |_| editing.set(false)>{i18n.t("action-cancel")}</button>
                            <button type="button" class="button button--primary" data-testid="dnc-save" on:click=save.clone()>{i18n.t("action-save")}</button>
                        </div>
                    </div>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="button button--ghost cust-contact__dnc" data-testid="dnc-edit"
                        on:click=move |_| editing.set(true)>{i18n.t("dnc-edit")}</button>
                }.into_any()
            }}
        </li>
    }
}
