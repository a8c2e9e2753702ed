//! Assignment rules on the lead setup: tried in order on every new lead,
//! each edited in place and moved up or down with buttons (a phone has no
//! room for dragging). The order is each rule's `position`.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use super::setup::opt;
use crate::api::{ApiError, Call};
use crate::components::ProblemAlert;
use crate::components::customers::model::Lookups;
use crate::i18n::I18n;
use crate::routes::work::{load_failed, skeleton};
use crate::session::Session;

const PATH: &str = "/lead-assignment-rules";

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Rule {
    id: String,
    position: i32,
    #[serde(default)]
    region_id: Option<String>,
    #[serde(default)]
    industry: Option<String>,
    #[serde(default)]
    product_line_id: Option<String>,
    method: String,
    #[serde(default)]
    user_ids: Vec<String>,
    #[serde(default)]
    team_id: Option<String>,
    #[serde(default)]
    capacity: Option<i32>,
    #[serde(default)]
    fallback_team_id: Option<String>,
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

/// The body of `POST` and `PUT`: a rule's settings, whole.
#[derive(Serialize)]
struct RuleBody {
    position: i64,
    region_id: Option<String>,
    industry: Option<String>,
    product_line_id: Option<String>,
    method: String,
    user_ids: Vec<String>,
    team_id: Option<String>,
    capacity: Option<i64>,
    fallback_team_id: Option<String>,
    active: bool,
}

impl RuleBody {
    /// The rule as it is, to send back with one thing changed.
    fn of(r: &Rule) -> Self {
        Self {
            position: r.position.into(),
            region_id: r.region_id.clone(),
            industry: r.industry.clone(),
            product_line_id: r.product_line_id.clone(),
            method: r.method.clone(),
            user_ids: r.user_ids.clone(),
            team_id: r.team_id.clone(),
            capacity: r.capacity.map(i64::from),
            fallback_team_id: r.fallback_team_id.clone(),
            active: r.active,
        }
    }
}

/// What the rule form edits, as typed.
#[derive(Clone, Copy)]
struct Draft {
    region: RwSignal<String>,
    industry: RwSignal<String>,
    method: RwSignal<String>,
    team: RwSignal<String>,
    users: RwSignal<Vec<String>>,
    capacity: RwSignal<String>,
}

impl Draft {
    fn new(r: Option<&Rule>) -> Self {
        let s = |v: Option<&String>| RwSignal::new(v.cloned().unwrap_or_default());
        Self {
            region: s(r.and_then(|r| r.region_id.as_ref())),
            industry: s(r.and_then(|r| r.industry.as_ref())),
            method: RwSignal::new(r.map_or_else(|| "round_robin".to_owned(), |r| r.method.clone())),
            team: s(r.and_then(|r| r.team_id.as_ref())),
            users: RwSignal::new(r.map(|r| r.user_ids.clone()).unwrap_or_default()),
            capacity: RwSignal::new(
                r.and_then(|r| r.capacity)
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            ),
        }
    }

    /// The settings typed over `base` (what the form does not show stays).
    fn body(self, base: RuleBody) -> RuleBody {
        let team = opt(&self.team.get_untracked());
        RuleBody {
            region_id: opt(&self.region.get_untracked()),
            industry: opt(&self.industry.get_untracked()),
            method: self.method.get_untracked(),
            user_ids: if team.is_none() {
                self.users.get_untracked()
            } else {
                Vec::new()
            },
            team_id: team,
            capacity: self.capacity.get_untracked().trim().parse().ok(),
            ..base
        }
    }

    fn clear(self) {
        self.industry.set(String::new());
        self.users.set(Vec::new());
        self.capacity.set(String::new());
    }
}

#[component]
pub fn Rules(
    rules: RwSignal<Option<Result<Vec<Rule>, ApiError>>>,
    names: RwSignal<Arc<Lookups>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let error = RwSignal::new(None::<ApiError>);
    let editing = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let draft = Draft::new(None);
    let list = move || rules.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).cloned());
    let create = Callback::new(move |()| {
        let last = list().unwrap_or_default().iter().map(|r| r.position).max();
        let body = draft.body(RuleBody {
            position: last.map_or(10, |p| i64::from(p) + 10).min(10_000),
            region_id: None,
            industry: None,
            product_line_id: None,
            method: String::new(),
            user_ids: Vec::new(),
            team_id: None,
            capacity: None,
            fallback_team_id: None,
            active: true,
        });
        spawn_local(async move {
            match session.send(&Call::post(PATH, &body)).await {
                Ok(()) => {
                    error.set(None);
                    draft.clear();
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let remove = move |id: String| {
        spawn_local(async move {
            match session.send(&Call::delete(format!("{PATH}/{id}"))).await {
                Ok(()) => reload.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // swaps a rule with its neighbour: two writes of the positions
    let swap = move |i: usize, j: usize| {
        let Some(l) = list() else { return };
        if i == j {
            return;
        }
        let (Some(a), Some(b)) = (l.get(i).cloned(), l.get(j).cloned()) else {
            return;
        };
        let (mut pa, mut pb) = (b.position, a.position);
        if pa == pb {
            // equal positions keep the order they were made in: make room
            (pa, pb) = if i < j { (pa + 1, pb) } else { (pa, pb + 1) };
        }
        busy.set(true);
        spawn_local(async move {
            let put = |r: &Rule, p: i32| {
                let body = RuleBody {
                    position: p.into(),
                    ..RuleBody::of(r)
                };
                Call::put(format!("{PATH}/{}", r.id), &body)
            };
            let mut r = session.send(&put(&a, pa)).await;
            if r.is_ok() {
                r = session.send(&put(&b, pb)).await;
            }
            let _ = error.try_set(r.err());
            let _ = busy.try_set(false);
            reload.run(());
        });
    };
    let rows = move || match rules.get() {
        None => skeleton(),
        Some(Err(e)) => load_failed(i18n, &e, move || reload.run(())),
        Some(Ok(rs)) => {
            let n = rs.len();
            rs.into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let id = r.id.clone();
                    let edit_id = r.id.clone();
                    let open_id = r.id.clone();
                    let text = describe(i18n, &names.get(), &r);
                    let rule = r.clone();
                    let is_editing = move || editing.with(|e| e.as_deref() == Some(open_id.as_str()));
                    view! {
                        <li class="lead-setup__item lead-rule" data-testid="lead-rule-row">
                            <span class="lead-rule__text">{format!("{}. ", i + 1)}{text}</span>
                            <div class="lead-rule__actions">
                                <button type="button" class="button button--ghost" data-testid="lead-rule-up"
                                    aria-label=move || i18n.t("lead-rule-up") title=move || i18n.t("lead-rule-up")
                                    disabled=move || i == 0 || busy.get() on:click=move |_| swap(i, i.wrapping_sub(1))>"↑"</button>
                                <button type="button" class="button button--ghost" data-testid="lead-rule-down"
                                    aria-label=move || i18n.t("lead-rule-down") title=move || i18n.t("lead-rule-down")
                                    disabled=move || i + 1 == n || busy.get() on:click=move |_| swap(i, i + 1)>"↓"</button>
                                <button type="button" class="button" data-testid="lead-rule-edit"
                                    on:click=move |_| editing.set(Some(edit_id.clone()))>{move || i18n.t("action-edit")}</button>
                                <button type="button" class="button button--danger" data-testid="lead-rule-delete"
                                    on:click=move |_| remove(id.clone())>{move || i18n.t("action-delete")}</button>
                            </div>
                            <Show when=is_editing.clone()>
                                <EditRule rule=rule.clone() names=names editing=editing reload=reload />
                            </Show>
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        }
    };
    view! {
        <section class="card cust-section" aria-labelledby="rules-title">
            <h2 id="rules-title">{move || i18n.t("lead-rules")}</h2>
            <p class="muted">{move || i18n.t("lead-rules-hint")}</p>
            <ProblemAlert error=error />
            <ol class="lead-setup__list">{rows}</ol>
            <RuleForm draft=draft names=names testid="lead-rule-create" prefix="rule"
                submit=create submit_label="lead-rule-create" cancel=None error=error />
        </section>
    }
}

/// One rule's form, open in its row.
#[component]
fn EditRule(
    rule: Rule,
    names: RwSignal<Arc<Lookups>>,
    editing: RwSignal<Option<String>>,
    reload: Callback<()>,
) -> impl IntoView {
    let session = Session::get();
    let draft = Draft::new(Some(&rule));
    let error = RwSignal::new(None::<ApiError>);
    let save = Callback::new(move |()| {
        let body = draft.body(RuleBody::of(&rule));
        let path = format!("{PATH}/{}", rule.id);
        spawn_local(async move {
            match session.send(&Call::put(path, &body)).await {
                Ok(()) => {
                    editing.set(None);
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    });
    view! {
        <RuleForm draft=draft names=names testid="lead-rule-edit-form" prefix="rule-edit"
            submit=save submit_label="action-save" cancel=Some(Callback::new(move |()| editing.set(None))) error=error />
    }
}

#[component]
fn RuleForm(
    draft: Draft,
    names: RwSignal<Arc<Lookups>>,
    testid: &'static str,
    /// Prefix of the fields' ids, so two forms on the page do not share them.
    prefix: &'static str,
    submit: Callback<()>,
    submit_label: &'static str,
    cancel: Option<Callback<()>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = I18n::get();
    let id = move |f: &str| format!("{prefix}-{f}");
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.run(());
    };
    let users = draft.users;
    let selected = |cur: RwSignal<String>, v: &str| cur.get_untracked() == v;
    view! {
        <form class=if cancel.is_some() { "cust-form lead-rule-form" } else { "cust-form" } data-testid=testid on:submit=on_submit>
            {(testid != "lead-rule-create").then(|| view! { <ProblemAlert error=error /> })}
            <div class="field">
                <label class="field__label" for=id("region")>{move || i18n.t("lead-rule-region")}</label>
                <select id=id("region") class="field__input" data-testid="rule-region" on:change=move |ev| draft.region.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t("lead-rule-any")}</option>
                    {move || names.get().regions.iter().map(|(u, depth)| view! {
                        <option value=u.id.clone() selected=selected(draft.region, &u.id)>{format!("{}{}", "\u{3000}".repeat(*depth), u.name)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for=id("industry")>{move || i18n.t("lead-industry")}</label>
                <input id=id("industry") class="field__input" data-testid="rule-industry" bind:value=draft.industry />
            </div>
            <div class="field">
                <label class="field__label" for=id("method")>{move || i18n.t("lead-rule-method")}</label>
                <select id=id("method") class="field__input" data-testid="rule-method" on:change=move |ev| draft.method.set(event_target_value(&ev))>
                    <option value="round_robin" selected=selected(draft.method, "round_robin")>{move || i18n.t("lead-method-round_robin")}</option>
                    <option value="least_loaded" selected=selected(draft.method, "least_loaded")>{move || i18n.t("lead-method-least_loaded")}</option>
                </select>
            </div>
            <div class="field">
                <label class="field__label" for=id("team")>{move || i18n.t("lead-rule-team")}</label>
                <select id=id("team") class="field__input" data-testid="rule-team" on:change=move |ev| draft.team.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t("lead-rule-pick-users")}</option>
                    {move || names.get().teams.iter().map(|t| view! {
                        <option value=t.id.clone() selected=selected(draft.team, &t.id)>{t.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || draft.team.with(String::is_empty)>
                <fieldset class="field">
                    <legend class="field__label">{move || i18n.t("lead-rule-users")}</legend>
                    {move || names.get().users.iter().filter(|u| u.is_active).map(|u| {
                        let id = u.id.clone();
                        let id2 = u.id.clone();
                        view! {
                            <label class="lead-rule-user">
                                <input type="checkbox" data-testid="rule-user"
                                    prop:checked=move || users.with(|s| s.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        users.update(|s| {
                                            s.retain(|x| x != &id2);
                                            if on { s.push(id2.clone()); }
                                        });
                                    } />
                                " "{u.display_name.clone()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            </Show>
            <div class="field">
                <label class="field__label" for=id("capacity")>{move || i18n.t("lead-rule-capacity")}</label>
                <input id=id("capacity") class="field__input" type="number" min="1" inputmode="numeric" data-testid="rule-capacity" bind:value=draft.capacity />
            </div>
            <div class="actions">
                <button type="submit" class="button button--primary" data-testid=if cancel.is_some() { "rule-save" } else { "rule-create" }>{move || i18n.t(submit_label)}</button>
                {cancel.map(|c| view! {
                    <button type="button" class="button" data-testid="rule-cancel" on:click=move |_| c.run(())>{move || i18n.t("action-cancel")}</button>
                })}
            </div>
        </form>
    }
}

/// A rule in words: which leads, to whom, how.
fn describe(i18n: I18n, n: &Lookups, r: &Rule) -> String {
    let unit = |units: &[crate::api::Unit], id: &str| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or(id.to_owned())
    };
    let when = [
        r.region_id
            .as_deref()
            .map(|id| n.region(id).unwrap_or(id.to_owned())),
        r.industry.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    let when = if when.is_empty() {
        i18n.t("lead-rule-any")
    } else {
        when.join(" · ")
    };
    let who = match &r.team_id {
        Some(t) => unit(&n.teams, t),
        None => r
            .user_ids
            .iter()
            .map(|u| {
                n.users
                    .iter()
                    .find(|x| &x.id == u)
                    .map(|x| x.display_name.clone())
                    .unwrap_or(u.clone())
            })
            .collect::<Vec<_>>()
            .join(", "),
    };
    let cap = r
        .capacity
        .map(|c| i18n.t_args("lead-rule-capacity-n", &[("count", c.into())]));
    format!(
        "{when} → {who} ({}){}",
        i18n.t(&format!("lead-method-{}", r.method)),
        cap.map(|c| format!(" · {c}")).unwrap_or_default()
    )
}
