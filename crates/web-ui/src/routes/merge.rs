//! 合并: find the duplicate of a customer, pick per field what stays, choose
//! which of its contacts to keep, and merge it into this one. At
//! `/merge?into=<id>&other=<id>`, in the administration module, whose page
//! load has room (merging takes the right to delete, which managers have).

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, Call, Page, Versioned};
use crate::components::ProblemAlert;
use crate::components::customers::model::{Contact, Customer, Lookups, lookups, shown};
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Difference {
    field: String,
    survivor: Option<String>,
    other: Option<String>,
    proposed: String,
    takes_both: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Preview {
    other_id: String,
    other_name: String,
    other_version: i64,
    differences: Vec<Difference>,
}

#[derive(Serialize)]
struct MergeBody {
    other_id: String,
    other_version: i64,
    fields: BTreeMap<String, String>,
    drop_contact_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Hit {
    id: String,
    name: String,
    lifecycle_stage: String,
}

/// Everything the form needs, loaded together.
#[derive(Debug, Clone, PartialEq)]
struct Loaded {
    survivor: Versioned<Customer>,
    preview: Option<Preview>,
    contacts: Vec<Contact>,
}

#[component]
pub fn MergePage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let sid = Memo::new(move |_| router.param("into").unwrap_or_default());
    let other = Memo::new(move |_| router.param("other").filter(|o| !o.is_empty()));
    let state = RwSignal::new(None::<Result<Loaded, ApiError>>);
    let names = RwSignal::new(Arc::new(Lookups::default()));
    spawn_local(async move {
        if let Ok(l) = lookups(session).await {
            names.set(l);
        }
    });
    let load = move || {
        let (sid, other) = (sid.get_untracked(), other.get_untracked());
        state.set(None);
        spawn_local(async move {
            let id = crate::api::encode(&sid);
            let res = async {
                let survivor = session
                    .get_versioned::<Customer>(&format!("/customers/{id}"))
                    .await?;
                let (preview, contacts) = match &other {
                    None => (None, Vec::new()),
                    Some(o) => {
                        let o = crate::api::encode(o);
                        let p: Preview = session
                            .get_json(&format!("/customers/{id}/merge?other_id={o}"))
                            .await?;
                        let c: Page<Contact> = session
                            .get_json(&format!("/customers/{o}/contacts?limit=200"))
                            .await?;
                        (Some(p), c.data)
                    }
                };
                Ok(Loaded {
                    survivor,
                    preview,
                    contacts,
                })
            }
            .await;
            let _ = state.try_set(Some(res));
        });
    };
    Effect::new(move |_| {
        sid.track();
        other.track();
        load();
    });
    crate::components::connection::retry_when_back(move || {
        if state
            .with_untracked(|s| matches!(s, Some(Err(e)) if !matches!(e.status(), Some(400..500))))
        {
            load();
        }
    });

    move || {
        let back = format!("/customers/{}", crate::api::encode(&sid.get()));
        let body = match state.get() {
            None => view! {
                <div class="card" data-testid="merge-loading" aria-busy="true">
                    <span class="visually-hidden" role="status">{i18n.t("loading")}</span>
                    <span class="skeleton cust-skel-title"></span>
                    <span class="skeleton"></span>
                </div>
            }
            .into_any(),
            Some(Err(e)) => {
                let error = RwSignal::new(Some(e));
                view! {
                    <div data-testid="merge-error">
                        <ProblemAlert error=error />
                        <button type="button" class="button" on:click=move |_| load()>{i18n.t("action-retry")}</button>
                    </div>
                }
                .into_any()
            }
            Some(Ok(l)) => match l.preview.clone() {
                None => view! { <FindDuplicate survivor=l.survivor.data.clone() /> }.into_any(),
                Some(p) => view! { <MergeForm loaded=l preview=p names=names /> }.into_any(),
            },
        };
        view! {
            <div class="cust-page merge-page">
                <nav class="cust-back"><a href=back>{Signal::derive(move || format!("← {}", i18n.t("merge-back")))}</a></nav>
                <h1>{t("merge-title")}</h1>
                {body}
            </div>
        }
    }
}

/// Step one: search for the duplicate among the customers the user may see.
#[component]
fn FindDuplicate(survivor: Customer) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    // the name without its company form finds "华联超市" for "华联超市有限公司"
    let key = kehu_domain::dedup::name_key(&survivor.name);
    let q = RwSignal::new(if key.is_empty() {
        survivor.name.clone()
    } else {
        key
    });
    let hits = RwSignal::new(None::<Result<Vec<Hit>, ApiError>>);
    let sid = survivor.id.clone();
    let search = move || {
        let text = q.get_untracked();
        let sid = sid.clone();
        hits.set(None);
        spawn_local(async move {
            let res = session
                .get_json::<Page<Hit>>(&format!(
                    "/customers?limit=20&q={}",
                    crate::api::encode(text.trim())
                ))
                .await
                .map(|p| p.data.into_iter().filter(|h| h.id != sid).collect());
            let _ = hits.try_set(Some(res));
        });
    };
    let first = search.clone();
    first();
    let survivor_id = survivor.id.clone();
    let results = move || match hits.get() {
        None => view! { <span class="skeleton"></span> }.into_any(),
        Some(Err(e)) => {
            let error = RwSignal::new(Some(e));
            view! { <ProblemAlert error=error /> }.into_any()
        }
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="empty" data-testid="merge-no-hits">{i18n.t("merge-no-hits")}</p> }
                .into_any()
        }
        Some(Ok(list)) => {
            let items = list
                .into_iter()
                .map(|h| {
                    let href = format!(
                        "/merge?into={}&other={}",
                        crate::api::encode(&survivor_id),
                        crate::api::encode(&h.id)
                    );
                    view! {
                        <li>
                            <a href=href data-testid="merge-hit">{h.name}</a>
                            <span class="muted">{format!(" · {}", i18n.t(&format!("stage-{}", h.lifecycle_stage)))}</span>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="merge-hits">{items}</ul> }.into_any()
        }
    };
    view! {
        <section class="card">
            <p>{i18n.t_args("merge-find-hint", &[("name", survivor.name.clone().into())])}</p>
            <form class="merge-search" role="search" on:submit=move |ev| { ev.prevent_default(); search(); }>
                <label class="field">
                    <span class="field__label">{t("merge-find-label")}</span>
                    <input type="search" data-testid="merge-search" prop:value=move || q.get()
                        on:input=move |ev| q.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button">{t("action-search")}</button>
            </form>
            {results}
        </section>
    }
}

/// Step two: the fields that differ, whose value stays, the contacts, and the merge.
#[component]
fn MergeForm(loaded: Loaded, preview: Preview, names: RwSignal<Arc<Lookups>>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let picks: RwSignal<BTreeMap<String, String>> = RwSignal::new(
        preview
            .differences
            .iter()
            .map(|d| (d.field.clone(), d.proposed.clone()))
            .collect(),
    );
    let keep: RwSignal<Vec<String>> =
        RwSignal::new(loaded.contacts.iter().map(|c| c.id.clone()).collect());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let survivor = loaded.survivor.clone();
    let sid = survivor.data.id.clone();
    let contact_ids: Vec<String> = loaded.contacts.iter().map(|c| c.id.clone()).collect();
    let (other_id, other_version) = (preview.other_id.clone(), preview.other_version);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let kept = keep.get_untracked();
        let body = MergeBody {
            other_id: other_id.clone(),
            other_version,
            fields: picks.get_untracked(),
            drop_contact_ids: contact_ids
                .iter()
                .filter(|c| !kept.contains(c))
                .cloned()
                .collect(),
        };
        let call = Call {
            if_match: Some(survivor.etag.clone()),
            ..Call::post(
                format!("/customers/{}/merge", crate::api::encode(&sid)),
                &body,
            )
        };
        let to = format!("/customers/{}?merged=done", crate::api::encode(&sid));
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match session.send(&call).await {
                Ok(()) => router.navigate(&to, true, true),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                    let _ = pending.try_set(false);
                }
            }
        });
    };
    let rows = preview
        .differences
        .iter()
        .map(|d| {
            let field = d.field.clone();
            let label = i18n
                .try_t(&format!("history-field-{field}"))
                .unwrap_or_else(|| field.clone());
            let mut options = vec![
                ("survivor", d.survivor.clone()),
                ("other", d.other.clone()),
            ];
            if d.takes_both {
                options.push(("both", None));
            }
            let radios = options
                .into_iter()
                .map(|(pick, value)| {
                    let f = field.clone();
                    let f2 = field.clone();
                    let text = move || {
                        if pick == "both" {
                            i18n.t("merge-pick-both")
                        } else {
                            shown(i18n, &names.get(), &f, &value)
                        }
                    };
                    let side = if pick == "both" {
                        String::new()
                    } else {
                        i18n.t(&format!("merge-side-{pick}"))
                    };
                    view! {
                        <label class="merge-pick">
                            <input type="radio" name=format!("pick-{field}") value=pick
                                data-testid=format!("pick-{field}-{pick}")
                                prop:checked=move || picks.with(|p| p.get(&f2).map(String::as_str) == Some(pick))
                                on:change={
                                    let f = field.clone();
                                    move |_| picks.update(|p| { p.insert(f.clone(), pick.to_owned()); })
                                } />
                            <span class="merge-pick__side muted">{side}</span>
                            <span class="merge-pick__value">{text}</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="merge-field" data-testid=format!("merge-field-{field}")>
                    <legend>{label}</legend>
                    {radios}
                </fieldset>
            }
        })
        .collect_view();
    let contacts = loaded
        .contacts
        .iter()
        .map(|c| {
            let id = c.id.clone();
            let id2 = c.id.clone();
            view! {
                <li>
                    <label class="merge-pick">
                        <input type="checkbox" data-testid="merge-keep-contact"
                            prop:checked=move || keep.with(|k| k.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                keep.update(|k| {
                                    k.retain(|x| x != &id2);
                                    if on { k.push(id2.clone()); }
                                });
                            } />
                        <span>{c.name.clone()}{c.title.clone().map(|t| format!(" · {t}"))}</span>
                    </label>
                </li>
            }
        })
        .collect_view();
    let no_contacts = loaded.contacts.is_empty();
    let same = preview.differences.is_empty();
    view! {
        <form class="merge-form" data-testid="merge-form" on:submit=submit>
            <section class="card">
                <p data-testid="merge-summary">{i18n.t_args("merge-summary", &[
                    ("survivor", loaded.survivor.data.name.clone().into()),
                    ("other", preview.other_name.clone().into()),
                ])}</p>
                <p class="muted">{t("merge-keeps-history")}</p>
            </section>
            <section class="card">
                <h2>{t("merge-fields-title")}</h2>
                {same.then(|| view! { <p class="muted">{t("merge-all-same")}</p> })}
                {rows}
            </section>
            <section class="card">
                <h2>{t("merge-contacts-title")}</h2>
                {if no_contacts {
                    view! { <p class="muted">{t("merge-no-contacts")}</p> }.into_any()
                } else {
                    view! {
                        <p class="muted">{t("merge-contacts-hint")}</p>
                        <ul class="merge-contacts">{contacts}</ul>
                    }
                    .into_any()
                }}
            </section>
            <ProblemAlert error=error />
            <div class="actions merge-actions">
                <a class="button" href=format!("/customers/{}", crate::api::encode(&loaded.survivor.data.id))>{t("action-cancel")}</a>
                <button type="submit" class="button button--danger" data-testid="merge-confirm"
                    aria-disabled=move || pending.get().then_some("true")>
                    {t("merge-confirm")}
                </button>
            </div>
        </form>
    }
}
