//! 公海 rules: how many customers a rep may own and claim, the cool-down
//! before reclaiming, and after how many idle days each stage goes back.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, Call, FieldProblem};
use crate::components::ProblemAlert;
use crate::components::TextField;
use crate::components::admin::{AdminFrame, LoadFailed, Loading, fetch};
use crate::components::problem::field_error;
use crate::i18n::I18n;
use crate::session::Session;

const STAGES: [&str; 5] = ["prospect", "interested", "customer", "vip", "churned"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Recycle {
    stage: String,
    days_without_progress: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Rules {
    max_owned: Option<i64>,
    max_claims_per_day: Option<i64>,
    reclaim_cooldown_days: i64,
    #[serde(default)]
    recycle: Vec<Recycle>,
}

/// The form's text for an optional number: empty means none.
fn text(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// Empty: `None`; a whole number: it; anything else: a problem on `field`.
fn number(field: &str, s: &str, bad: &mut Vec<FieldProblem>) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    t.parse()
        .map_err(|_| {
            bad.push(FieldProblem {
                field: field.to_owned(),
                code: "invalid_type".into(),
                message: "must be a whole number".into(),
            })
        })
        .ok()
}

#[component]
pub fn PoolRulesPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let reload = RwSignal::new(0u32);
    let max_owned = RwSignal::new(String::new());
    let max_claims = RwSignal::new(String::new());
    let cooldown = RwSignal::new(String::new());
    let idle: [RwSignal<String>; 5] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let show = move |r: &Rules| {
        max_owned.set(text(r.max_owned));
        max_claims.set(text(r.max_claims_per_day));
        cooldown.set(r.reclaim_cooldown_days.to_string());
        for (i, s) in STAGES.iter().enumerate() {
            let days = r
                .recycle
                .iter()
                .find(|x| x.stage == *s)
                .map(|x| x.days_without_progress);
            idle[i].set(text(days));
        }
    };
    let loaded = fetch(reload, move || async move {
        let r = session.get_json::<Rules>("/pool/rules").await;
        if let Ok(r) = &r {
            show(r);
        }
        r
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        saved.set(false);
        let mut bad = Vec::new();
        let mut recycle = Vec::new();
        for (i, s) in STAGES.iter().enumerate() {
            if let Some(days) = number(&format!("idle-{s}"), &idle[i].get_untracked(), &mut bad) {
                recycle.push(Recycle {
                    stage: (*s).to_owned(),
                    days_without_progress: days,
                });
            }
        }
        let rules = Rules {
            max_owned: number("max_owned", &max_owned.get_untracked(), &mut bad),
            max_claims_per_day: number("max_claims_per_day", &max_claims.get_untracked(), &mut bad),
            reclaim_cooldown_days: number(
                "reclaim_cooldown_days",
                &cooldown.get_untracked(),
                &mut bad,
            )
            .unwrap_or(0),
            recycle,
        };
        if !bad.is_empty() {
            error.set(Some(ApiError::invalid(bad)));
            return;
        }
        pending.set(true);
        spawn_local(async move {
            let call = Call::put("/pool/rules", &rules);
            match session
                .text(&call)
                .await
                .and_then(|(_, body)| crate::api::parse::<Rules>(&body))
            {
                Ok(r) => {
                    show(&r);
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    // the API names recycle rules by position; the form by stage
    let idle_error = move |i: usize| {
        Signal::derive(move || {
            error.with(|e| {
                let stage = STAGES[i];
                let by_stage = field_error(i18n, e, &format!("idle-{stage}"));
                by_stage.or_else(|| {
                    let pos = STAGES[..i]
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| !idle[*j].get_untracked().trim().is_empty())
                        .count();
                    field_error(i18n, e, &format!("recycle[{pos}]"))
                })
            })
        })
    };
    let form = move || {
        let rows = STAGES
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let id: &'static str = ["idle-prospect", "idle-interested", "idle-customer", "idle-vip", "idle-churned"][i];
                view! {
                    <TextField id=id label=i18n.t(&format!("stage-{s}")) kind="number" autocomplete="off"
                        value=idle[i] error=idle_error(i) />
                }
            })
            .collect_view();
        view! {
            <form class="card admin-form pool-rules" novalidate data-testid="pool-rules-form" on:submit=on_submit
                aria-busy=move || pending.get().to_string()>
                <p class="muted">{i18n.t("pool-rules-hint")}</p>
                <ProblemAlert error=error shown_fields=&["max_owned", "max_claims_per_day", "reclaim_cooldown_days", "recycle", "idle-prospect", "idle-interested", "idle-customer", "idle-vip", "idle-churned"] />
                <TextField id="max_owned" label=i18n.t("pool-max-owned") kind="number" autocomplete="off"
                    value=max_owned error=Signal::derive(move || error.with(|e| field_error(i18n, e, "max_owned"))) />
                <TextField id="max_claims_per_day" label=i18n.t("pool-max-claims") kind="number" autocomplete="off"
                    value=max_claims error=Signal::derive(move || error.with(|e| field_error(i18n, e, "max_claims_per_day"))) />
                <TextField id="reclaim_cooldown_days" label=i18n.t("pool-cooldown") kind="number" autocomplete="off"
                    value=cooldown error=Signal::derive(move || error.with(|e| field_error(i18n, e, "reclaim_cooldown_days"))) />
                <fieldset class="pool-rules__idle">
                    <legend>{i18n.t("pool-recycle")}</legend>
                    <p class="muted">{i18n.t("pool-recycle-hint")}</p>
                    {rows}
                </fieldset>
                {move || saved.get().then(|| view! {
                    <p class="alert alert--success" role="status" data-testid="pool-rules-saved">{i18n.t("pool-rules-saved")}</p>
                })}
                <div class="actions">
                    <button type="submit" class="button button--primary" data-testid="pool-rules-save"
                        aria-disabled=move || pending.get().then_some("true")>
                        {move || if pending.get() { i18n.t("saving") } else { i18n.t("action-save") }}
                    </button>
                </div>
            </form>
        }
    };
    view! {
        <AdminFrame title_key="admin-pool-title">
            {move || match loaded.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |()| reload.update(|n| *n += 1)) /> }.into_any(),
                Some(Ok(_)) => form().into_any(),
            }}
        </AdminFrame>
    }
}
