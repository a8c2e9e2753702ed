//! The pipelines in the sales settings: each stage's probability, forecast
//! category and checklist; managers edit stages and checklist items and
//! save the pipeline as a whole (`PUT /pipelines/{id}`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::model::{ChecklistItem, Pipeline, PipelineBody, Stage, pipelines};
use super::{is_manager, load_failed, skeleton};
use crate::api::{ApiError, Call, encode};
use crate::components::ProblemAlert;
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::session::Session;

const KINDS: [&str; 3] = ["open", "won", "lost"];
const CATEGORIES: [&str; 5] = ["pipeline", "best_case", "commit", "closed", "omitted"];

#[component]
pub fn PipelinesCard() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let list = RwSignal::new(None::<Result<Vec<Pipeline>, ApiError>>);
    let load = move || {
        spawn_local(async move {
            let r = pipelines(session).await;
            let _ = list.try_set(Some(r));
        });
    };
    load();
    let reload = Callback::new(move |()| load());
    view! {
        <section class="card cust-section" data-testid="settings-pipelines" aria-labelledby="h-pipelines">
            <h2 id="h-pipelines">{t("sales-pipelines")}</h2>
            {move || match list.get() {
                None => skeleton(),
                Some(Err(e)) => load_failed(i18n, &e, load),
                Some(Ok(l)) => l
                    .into_iter()
                    .map(|p| view! { <PipelineView pipeline=p reload=reload /> })
                    .collect_view()
                    .into_any(),
            }}
        </section>
    }
}

#[component]
fn PipelineView(pipeline: Pipeline, reload: Callback<()>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let editing = RwSignal::new(false);
    let all = StoredValue::new(pipeline.stages.clone());
    let stages = move || {
        all.get_value()
        .iter()
        .map(|s| {
            let items = s
                .checklist
                .iter()
                .map(|c| view! {
                    <li>{c.label.clone()}{c.required.then(|| view! { <span class="deal-check__required">{i18n.t("sales-required")}</span> })}</li>
                })
                .collect_view();
            view! {
                <tr data-testid="pipeline-stage">
                    <th scope="row">{s.label(i18n)}</th>
                    <td>{i18n.t(&format!("sales-kind-{}", s.kind))}</td>
                    <td class="num">{format!("{} %", s.probability)}</td>
                    <td>{i18n.t(&format!("sales-category-{}", s.forecast_category))}</td>
                    <td class="num">{s.stale_after_days.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
                    <td><ul class="setup-checklist">{items}</ul></td>
                </tr>
            }
        })
        .collect_view()
    };
    let p = pipeline.clone();
    view! {
        <div class="setup-pipeline" data-testid="pipeline">
            <div class="cust-section__head">
                <h3>{pipeline.name.clone()}{pipeline.is_default.then(|| view! { <span class="badge">{i18n.t("sales-default")}</span> })}</h3>
                {(is_manager(session)).then(|| view! {
                    <button type="button" class="button button--ghost" data-testid="pipeline-edit" on:click=move |_| editing.set(true)>{t("action-edit")}</button>
                })}
            </div>
            <Show when=move || editing.get() fallback=move || view! {
                <div class="table-scroll">
                    <table class="table setup-table">
                        <thead>
                            <tr>
                                <th scope="col">{t("sales-stage")}</th>
                                <th scope="col">{t("sales-kind")}</th>
                                <th scope="col" class="num">{t("sales-probability")}</th>
                                <th scope="col">{t("sales-forecast-category")}</th>
                                <th scope="col" class="num">{t("sales-stale-after")}</th>
                                <th scope="col">{t("sales-checklist")}</th>
                            </tr>
                        </thead>
                        <tbody>{stages()}</tbody>
                    </table>
                </div>
            }>
                <Editor pipeline=p.clone() done=Callback::new(move |saved: bool| {
                    editing.set(false);
                    if saved {
                        reload.run(());
                    }
                }) />
            </Show>
        </div>
    }
}

#[component]
fn Editor(pipeline: Pipeline, done: Callback<bool>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let draft = RwSignal::new(pipeline.stages.clone());
    let error = RwSignal::new(None::<ApiError>);
    let id = pipeline.id.clone();
    let version = pipeline.version;
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = PipelineBody {
            name: pipeline.name.clone(),
            team_id: pipeline.team_id.clone(),
            product_line_id: pipeline.product_line_id.clone(),
            stages: draft.get_untracked(),
        };
        let path = format!("/pipelines/{}", encode(&id));
        spawn_local(async move {
            let call = Call {
                if_match: Some(format!("\"{version}\"")),
                ..Call::put(path, &body)
            };
            match session.send(&call).await {
                Ok(()) => done.run(true),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let add_stage = move |_| {
        draft.update(|s| {
            // new open stages go before the closing ones
            let at = s.iter().position(|x| !x.is_open()).unwrap_or(s.len());
            s.insert(
                at,
                Stage {
                    id: None,
                    name: String::new(),
                    position: 0,
                    kind: "open".into(),
                    probability: 50,
                    forecast_category: "pipeline".into(),
                    stale_after_days: None,
                    checklist: Vec::new(),
                    key: None,
                },
            );
        })
    };
    // text edits change the draft without drawing it again (focus stays)
    let rows = move || {
        let n = draft.with(Vec::len);
        (0..n)
            .map(|i| view! { <StageEditor draft=draft index=i /> })
            .collect_view()
    };
    view! {
        <form class="setup-editor" data-testid="pipeline-editor" on:submit=save novalidate>
            <div class="setup-stages">{rows}</div>
            <button type="button" class="button" data-testid="stage-add" on:click=add_stage>{move || format!("+ {}", i18n.t("sales-stage-add"))}</button>
            <ProblemAlert error=error />
            <div class="cust-form__actions">
                <button type="button" class="button" on:click=move |_| done.run(false)>{t("action-cancel")}</button>
                <button type="submit" class="button button--primary" data-testid="pipeline-save">{t("action-save")}</button>
            </div>
        </form>
    }
}

#[component]
fn StageEditor(draft: RwSignal<Vec<Stage>>, index: usize) -> impl IntoView {
    let i18n = I18n::get();
    let Some(stage) = draft.with_untracked(|s| s.get(index).cloned()) else {
        return ().into_any();
    };
    let edit = move |f: Box<dyn Fn(&mut Stage)>| {
        draft.update_untracked(|s| {
            if let Some(st) = s.get_mut(index) {
                f(st);
            }
        })
    };
    let kinds = KINDS
        .iter()
        .map(|k| view! { <option value=*k selected=stage.kind == *k>{i18n.t(&format!("sales-kind-{k}"))}</option> })
        .collect_view();
    let categories = CATEGORIES
        .iter()
        .map(|c| view! { <option value=*c selected=stage.forecast_category == *c>{i18n.t(&format!("sales-category-{c}"))}</option> })
        .collect_view();
    let items = stage
        .checklist
        .iter()
        .enumerate()
        .map(|(j, c)| {
            view! {
                <li class="setup-item" data-testid="checklist-edit-item">
                    <input class="field__input" aria-label=i18n.t("sales-checklist-item") value=c.label.clone() data-testid="checklist-edit-label"
                        on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |s| if let Some(c) = s.checklist.get_mut(j) { c.label = v.clone(); })) } />
                    <label class="cust-check">
                        <input type="checkbox" checked=c.required data-testid="checklist-edit-required"
                            on:change=move |ev| { let on = event_target_checked(&ev); edit(Box::new(move |s| if let Some(c) = s.checklist.get_mut(j) { c.required = on; })) } />
                        {i18n.t("sales-required")}
                    </label>
                    <button type="button" class="button button--ghost cust-icon-button" aria-label=i18n.t("sales-remove")
                        on:click=move |_| draft.update(|s| if let Some(st) = s.get_mut(index) && j < st.checklist.len() { st.checklist.remove(j); })>"×"</button>
                </li>
            }
        })
        .collect_view();
    view! {
        <fieldset class="setup-stage" data-testid="stage-editor">
            <legend>{stage.label(i18n)}</legend>
            <div class="setup-stage__fields">
                <label class="field">
                    <span class="field__label">{i18n.t("sales-name")}</span>
                    <input class="field__input" value=stage.name.clone() data-testid="stage-name"
                        on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |s| s.name = v.clone())) } />
                </label>
                <label class="field">
                    <span class="field__label">{i18n.t("sales-kind")}</span>
                    <select on:change=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |s| s.kind = v.clone())) }>{kinds}</select>
                </label>
                <label class="field">
                    <span class="field__label">{i18n.t("sales-probability")}</span>
                    <input class="field__input" type="number" min="0" max="100" value=stage.probability.to_string() data-testid="stage-probability"
                        on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(0).min(100); edit(Box::new(move |s| s.probability = v)) } />
                </label>
                <label class="field">
                    <span class="field__label">{i18n.t("sales-forecast-category")}</span>
                    <select on:change=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |s| s.forecast_category = v.clone())) }>{categories}</select>
                </label>
                <label class="field">
                    <span class="field__label">{i18n.t("sales-stale-after")}</span>
                    <input class="field__input" type="number" min="1" value=stage.stale_after_days.map(|d| d.to_string()).unwrap_or_default()
                        on:input=move |ev| { let v = event_target_value(&ev).parse().ok(); edit(Box::new(move |s| s.stale_after_days = v)) } />
                </label>
            </div>
            <ul class="cust-plain setup-items">{items}</ul>
            <div class="actions">
                <button type="button" class="button button--ghost" data-testid="checklist-add"
                    on:click=move |_| draft.update(|s| if let Some(st) = s.get_mut(index) { st.checklist.push(ChecklistItem { id: None, label: String::new(), required: false, position: 0 }); })>
                    {format!("+ {}", i18n.t("sales-checklist-add"))}
                </button>
                {stage.id.is_none().then(|| view! {
                    <button type="button" class="button button--ghost button--danger"
                        on:click=move |_| draft.update(|s| if index < s.len() { s.remove(index); })>{i18n.t("sales-remove")}</button>
                })}
            </div>
        </fieldset>
    }
    .into_any()
}
