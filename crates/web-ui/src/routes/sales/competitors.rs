//! Who else competes for a deal: competitors from the company's list with
//! their strengths, weaknesses and status on this deal, and notes of what
//! they did (competitor activities).

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use super::date;
use super::deal::{Deal, problem};
use super::model::{Competitor, DealCompetitor, Detail, competitors};
use crate::api::{ApiError, Call, encode};
use crate::components::ProblemAlert;
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::session::Session;
use crate::time;

const STATUSES: [&str; 4] = ["active", "won", "lost", "withdrawn"];

#[derive(Serialize)]
struct AddBody {
    competitor_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    strengths: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weaknesses: Option<String>,
}

#[derive(Serialize)]
struct EditBody {
    strengths: Option<String>,
    weaknesses: Option<String>,
    status: String,
}

#[derive(Serialize)]
struct NoteBody {
    happened_on: String,
    note: String,
}

fn text(s: String) -> Option<String> {
    let s = s.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

/// `call` guarded by the deal's version, as every change to it is.
fn versioned(deal: Deal, call: Call) -> Call {
    Call {
        if_match: Some(deal.etag()),
        ..call
    }
}

/// Sends a change to the deal's competitors and shows the deal it answers.
fn send(
    session: Session,
    deal: Deal,
    call: Call,
    error: RwSignal<Option<ApiError>>,
    done: impl FnOnce() + 'static,
) {
    spawn_local(async move {
        match session.send_versioned::<Detail>(&call).await {
            Ok(v) => {
                deal.apply(Ok(v));
                let _ = error.try_set(None);
                done();
            }
            Err(e) => {
                let _ = error.try_set(Some(e));
            }
        }
    });
}

#[component]
pub fn CompetitorsCard() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let deal = Deal::get();
    let list = RwSignal::new(Vec::<Competitor>::new());
    spawn_local(async move {
        if let Ok(l) = competitors(session).await {
            let _ = list.try_set(l);
        }
    });
    let may = move || deal.with(|d| d.allowed.update);
    let adding = RwSignal::new(false);
    let pick = RwSignal::new(String::new());
    let strengths = RwSignal::new(String::new());
    let weaknesses = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = pick.get_untracked();
        if id.is_empty() {
            error.set(Some(ApiError::invalid(vec![problem(
                "competitor_id",
                "sales-competitor-required",
                i18n,
            )])));
            return;
        }
        let call = versioned(
            deal,
            Call::post(
                format!("/opportunities/{}/competitors", encode(&deal.id())),
                &AddBody {
                    competitor_id: id,
                    strengths: text(strengths.get_untracked()),
                    weaknesses: text(weaknesses.get_untracked()),
                },
            ),
        );
        send(session, deal, call, error, move || {
            let _ = adding.try_set(false);
            let _ = pick.try_set(String::new());
            let _ = strengths.try_set(String::new());
            let _ = weaknesses.try_set(String::new());
        });
    };
    let choices = move || {
        let on_deal: Vec<String> = deal.with(|d| {
            d.competitors
                .iter()
                .map(|c| c.competitor_id.clone())
                .collect()
        });
        list.with(|l| {
            l.iter()
                .filter(|c| c.active && !on_deal.contains(&c.id))
                .map(|c| view! { <option value=c.id.clone()>{c.name.clone()}</option> })
                .collect_view()
        })
    };
    let rows = move || {
        let all = deal.with(|d| d.competitors.clone());
        if all.is_empty() {
            return view! { <p class="muted" data-testid="competitors-empty">{i18n.t("sales-competitors-empty")}</p> }.into_any();
        }
        all.into_iter()
            .map(|c| view! { <CompetitorItem competitor=c /> })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card cust-section" data-testid="deal-competitors" aria-labelledby="h-competitors">
            <div class="cust-section__head">
                <h2 id="h-competitors">{t("sales-competitors")}</h2>
                <Show when=move || may() && !adding.get()>
                    <button type="button" class="button button--ghost" data-testid="competitor-add" on:click=move |_| adding.set(true)>
                        {move || format!("+ {}", i18n.t("sales-competitor-add"))}
                    </button>
                </Show>
            </div>
            <Show when=move || adding.get()>
                <form class="deal-form cust-contact-form" data-testid="competitor-form" on:submit=add novalidate>
                    <label class="field">
                        <span class="field__label">{t("sales-competitor")}</span>
                        <select data-testid="competitor-pick" on:change=move |ev| pick.set(event_target_value(&ev))>
                            <option value="">{t("sales-choose")}</option>
                            {choices}
                        </select>
                    </label>
                    <label class="field">
                        <span class="field__label">{t("sales-strengths")}</span>
                        <textarea data-testid="competitor-strengths" bind:value=strengths></textarea>
                    </label>
                    <label class="field">
                        <span class="field__label">{t("sales-weaknesses")}</span>
                        <textarea data-testid="competitor-weaknesses" bind:value=weaknesses></textarea>
                    </label>
                    <ProblemAlert error=error />
                    <div class="actions">
                        <button type="submit" class="button button--primary" data-testid="competitor-save">{t("action-save")}</button>
                        <button type="button" class="button" on:click=move |_| adding.set(false)>{t("action-cancel")}</button>
                    </div>
                </form>
            </Show>
            <ul class="cust-plain deal-competitors">{rows}</ul>
        </section>
    }
}

#[component]
fn CompetitorItem(competitor: DealCompetitor) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let deal = Deal::get();
    let may = deal
        .rec
        .with_untracked(|r| r.as_ref().is_some_and(|v| v.data.allowed.update));
    let cid = competitor.competitor_id.clone();
    let error = RwSignal::new(None::<ApiError>);
    let editing = RwSignal::new(false);
    let strengths = RwSignal::new(competitor.strengths.clone().unwrap_or_default());
    let weaknesses = RwSignal::new(competitor.weaknesses.clone().unwrap_or_default());
    let status = RwSignal::new(competitor.status.clone());
    let path = StoredValue::new(format!(
        "/opportunities/{}/competitors/{}",
        encode(&deal.id()),
        encode(&cid)
    ));
    let save = move || {
        let call = versioned(
            deal,
            Call::patch_no_version(
                path.get_value(),
                &EditBody {
                    strengths: text(strengths.get_untracked()),
                    weaknesses: text(weaknesses.get_untracked()),
                    status: status.get_untracked(),
                },
            ),
        );
        send(session, deal, call, error, move || {
            let _ = editing.try_set(false);
        });
    };
    let remove = move |_| {
        spawn_local(async move {
            match session
                .send(&versioned(deal, Call::delete(path.get_value())))
                .await
            {
                Ok(()) => deal.reload.run(()),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let note = RwSignal::new(String::new());
    let note_on = RwSignal::new(time::today());
    let add_note = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(n) = text(note.get_untracked()) else {
            error.set(Some(ApiError::invalid(vec![problem(
                "note",
                "sales-note-required",
                i18n,
            )])));
            return;
        };
        let call = versioned(
            deal,
            Call::post(
                format!("{}/activities", path.get_value()),
                &NoteBody {
                    happened_on: note_on.get_untracked(),
                    note: n,
                },
            ),
        );
        send(session, deal, call, error, move || {
            let _ = note.try_set(String::new());
        });
    };
    let current = competitor.status.clone();
    let status_options = move || {
        STATUSES
            .iter()
            .map(|s| {
                let sel = *s == current;
                view! { <option value=*s selected=sel>{i18n.t(&format!("sales-competitor-status-{s}"))}</option> }
            })
            .collect_view()
    };
    let notes = competitor
        .activities
        .iter()
        .map(|a| {
            view! {
                <li class="deal-rival__note" data-testid="competitor-note">
                    <span class="muted">{format!("{}{}", date(i18n, &a.happened_on), a.by_name.as_ref().map(|b| format!(" · {b}")).unwrap_or_default())}</span>
                    <span>{a.note.clone()}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="deal-rival" data-testid="deal-competitor">
            <div class="deal-rival__head">
                <strong data-testid="competitor-name">{competitor.name.clone()}</strong>
                <span class="badge" data-testid="competitor-status">{i18n.t(&format!("sales-competitor-status-{}", competitor.status))}</span>
            </div>
            <Show when=move || !editing.get()>
                <dl class="deal-rival__facts">
                    <div><dt>{t("sales-strengths")}</dt><dd data-testid="competitor-strengths">{move || Some(strengths.get()).filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>{t("sales-weaknesses")}</dt><dd data-testid="competitor-weaknesses">{move || Some(weaknesses.get()).filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into())}</dd></div>
                </dl>
            </Show>
            <Show when=move || editing.get()>
                <form class="deal-form" on:submit=move |ev| { ev.prevent_default(); save(); } novalidate>
                    <label class="field">
                        <span class="field__label">{t("sales-competitor-status")}</span>
                        <select data-testid="competitor-status-pick" on:change=move |ev| status.set(event_target_value(&ev))>{status_options.clone()()}</select>
                    </label>
                    <label class="field">
                        <span class="field__label">{t("sales-strengths")}</span>
                        <textarea data-testid="competitor-edit-strengths" bind:value=strengths></textarea>
                    </label>
                    <label class="field">
                        <span class="field__label">{t("sales-weaknesses")}</span>
                        <textarea data-testid="competitor-edit-weaknesses" bind:value=weaknesses></textarea>
                    </label>
                    <div class="actions">
                        <button type="submit" class="button button--primary" data-testid="competitor-edit-save">{t("action-save")}</button>
                        <button type="button" class="button" on:click=move |_| editing.set(false)>{t("action-cancel")}</button>
                    </div>
                </form>
            </Show>
            <ul class="cust-plain deal-rival__notes">{notes}</ul>
            {may.then(|| view! {
                <form class="deal-rival__add" on:submit=add_note novalidate>
                    <input class="field__input" type="date" aria-label=i18n.t("sales-note-date") data-testid="competitor-note-date" bind:value=note_on />
                    <input class="field__input" data-testid="competitor-note-text" placeholder=i18n.t("sales-competitor-note") bind:value=note />
                    <button type="submit" class="button" data-testid="competitor-note-save">{t("sales-add-note")}</button>
                </form>
                <div class="actions">
                    <button type="button" class="button button--ghost" data-testid="competitor-edit" on:click=move |_| editing.set(true)>{t("action-edit")}</button>
                    <button type="button" class="button button--ghost button--danger" data-testid="competitor-remove" on:click=remove>{t("sales-remove")}</button>
                </div>
            })}
            <ProblemAlert error=error />
        </li>
    }
}
