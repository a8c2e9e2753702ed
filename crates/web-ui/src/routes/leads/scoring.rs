//! The lead score's weights (`/leads/scoring`): how much each completed
//! field, source, target industry and sign of engagement counts. Saving
//! scores every lead again, so a lead's explanation shows the new weights.

use leptos::prelude::*;
use leptos::task::spawn_local;

use kehu_domain::lead::score::{
    COMPLETENESS_MAX, ENGAGEMENT_MAX, INDUSTRY_MAX, SOURCE_MAX, ScoreRules,
};

use super::source_label;
use crate::api::{ApiError, Call, FieldProblem};
use crate::components::ProblemAlert;
use crate::components::problem::field_error;
use crate::i18n::I18n;
use crate::routes::work::{load_failed, skeleton};
use crate::session::Session;

const PATH: &str = "/lead-score-rules";

#[component]
pub fn LeadScoringPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let rules = RwSignal::new(None::<Result<ScoreRules, ApiError>>);
    let load = move || {
        spawn_local(async move {
            let r = session.get_json::<ScoreRules>(PATH).await;
            let _ = rules.try_set(Some(r));
        });
    };
    load();
    view! {
        <div class="cust-page">
            <nav class="cust-back"><a href="/leads/setup">{move || format!("← {}", i18n.t("leads-setup"))}</a></nav>
            <h1>{move || i18n.t("lead-scoring")}</h1>
            <p class="muted">{move || i18n.t("lead-scoring-hint")}</p>
            {move || match rules.get() {
                None => skeleton(),
                Some(Err(e)) => load_failed(i18n, &e, load),
                Some(Ok(r)) => view! { <Weights rules=r /> }.into_any(),
            }}
        </div>
    }
}

/// A weight as typed: text until saved.
#[derive(Clone, Copy)]
struct W(RwSignal<String>);

impl W {
    fn new(v: u8) -> Self {
        Self(RwSignal::new(v.to_string()))
    }

    /// The weight, or a problem for `field`.
    fn get(self, field: &str, bad: &mut Vec<FieldProblem>) -> u8 {
        match self.0.get_untracked().trim().parse::<u8>() {
            Ok(v) => v,
            Err(_) => {
                bad.push(FieldProblem {
                    field: field.to_owned(),
                    code: "out_of_range".into(),
                    message: String::new(),
                });
                0
            }
        }
    }
}

/// One target industry's row: its name and points, both editable.
#[derive(Clone, Copy)]
struct IndustryRow {
    key: u32,
    name: RwSignal<String>,
    points: W,
}

#[component]
fn Weight(
    #[prop(into)] field: String,
    #[prop(into)] label: Signal<String>,
    value: W,
    max: u8,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = I18n::get();
    let id = format!("weight-{field}");
    view! {
        <div class="field score-weight">
            <label class="field__label" for=id.clone()>{label}</label>
            <input id=id.clone() class="field__input" type="number" min="0" max=max.to_string() inputmode="numeric"
                data-testid=id bind:value=value.0 />
            {move || error.with(|e| field_error(i18n, e, &field)).map(|m| view! { <p class="field__error">{m}</p> })}
        </div>
    }
}

#[component]
fn Weights(rules: ScoreRules) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let (company, phone, email, industry_known, region) = (
        W::new(rules.company),
        W::new(rules.phone),
        W::new(rules.email),
        W::new(rules.industry_known),
        W::new(rules.region),
    );
    let sources: Vec<(String, W)> = rules
        .sources
        .iter()
        .map(|(k, v)| (k.clone(), W::new(*v)))
        .collect();
    let other_source = W::new(rules.other_source);
    let next = StoredValue::new(0u32);
    let row = move |name: String, points: u8| {
        next.update_value(|n| *n += 1);
        IndustryRow {
            key: next.get_value(),
            name: RwSignal::new(name),
            points: W::new(points),
        }
    };
    let industries = RwSignal::new(
        rules
            .industries
            .iter()
            .map(|(k, v)| row(k.clone(), *v))
            .collect::<Vec<_>>(),
    );
    let (per_activity, activities_max, per_submission, submissions_max) = (
        W::new(rules.per_activity),
        W::new(rules.activities_max),
        W::new(rules.per_submission),
        W::new(rules.submissions_max),
    );
    let sources_kept = sources.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut bad = Vec::new();
        let rules = ScoreRules {
            company: company.get("company", &mut bad),
            phone: phone.get("phone", &mut bad),
            email: email.get("email", &mut bad),
            industry_known: industry_known.get("industry_known", &mut bad),
            region: region.get("region", &mut bad),
            sources: sources_kept
                .iter()
                .map(|(k, w)| (k.clone(), w.get(&format!("sources.{k}"), &mut bad)))
                .collect(),
            other_source: other_source.get("other_source", &mut bad),
            industries: industries
                .get_untracked()
                .iter()
                .filter(|r| !r.name.get_untracked().trim().is_empty())
                .map(|r| {
                    let name = r.name.get_untracked().trim().to_owned();
                    let p = r.points.get(&format!("industries.{name}"), &mut bad);
                    (name, p)
                })
                .collect(),
            per_activity: per_activity.get("per_activity", &mut bad),
            activities_max: activities_max.get("activities_max", &mut bad),
            per_submission: per_submission.get("per_submission", &mut bad),
            submissions_max: submissions_max.get("submissions_max", &mut bad),
        };
        // the domain's own check, so the answer is the one the API would give
        if let Err(kehu_domain::Invalid(errs)) = rules.clone().check() {
            bad.extend(errs.into_iter().map(|e| FieldProblem {
                field: e.field,
                code: e.code.into(),
                message: e.message,
            }));
        }
        saved.set(false);
        if !bad.is_empty() {
            error.set(Some(ApiError::invalid(bad)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let r = session.send(&Call::put(PATH, &rules)).await;
            let _ = busy.try_set(false);
            match r {
                Ok(()) => {
                    let _ = error.try_set(None);
                    let _ = saved.try_set(true);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let ceiling = move |key: &'static str, max: u8| {
        Signal::derive(move || i18n.t_args(key, &[("max", max.into())]))
    };
    let label = move |key: &'static str| Signal::derive(move || i18n.t(key));
    let source_rows = sources
        .into_iter()
        .map(|(k, w)| {
            let field = format!("sources.{k}");
            view! { <Weight field=field label=Signal::derive(move || source_label(i18n, &k)) value=w max=SOURCE_MAX error=error /> }
        })
        .collect_view();
    let industry_rows = move || {
        industries
            .get()
            .into_iter()
            .map(|r| {
                let key = r.key;
                let field = move || format!("industries.{}", r.name.get().trim());
                view! {
                    <li class="score-industry" data-testid="weight-industry">
                        <input class="field__input" data-testid="weight-industry-name" bind:value=r.name
                            aria-label=move || i18n.t("lead-industry") placeholder=move || i18n.t("lead-industry") />
                        <input class="field__input score-industry__points" type="number" min="0" max=INDUSTRY_MAX.to_string() inputmode="numeric"
                            data-testid="weight-industry-points" bind:value=r.points.0 aria-label=move || i18n.t("lead-scoring-points") />
                        <button type="button" class="button button--ghost" data-testid="weight-industry-remove"
                            on:click=move |_| industries.update(|l| l.retain(|x| x.key != key))>
                            {move || i18n.t("action-delete")}
                        </button>
                        {move || error.with(|e| field_error(i18n, e, &field())).map(|m| view! { <p class="field__error">{m}</p> })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <form class="score-weights" data-testid="score-weights" on:submit=save novalidate>
            <section class="card cust-section" aria-labelledby="w-complete">
                <h2 id="w-complete">{move || i18n.t("lead-scoring-completeness")}</h2>
                <p class="muted">{ceiling("lead-scoring-ceiling", COMPLETENESS_MAX)}</p>
                <div class="score-weights__grid">
                    <Weight field="company" label=label("lead-rule-completeness-company") value=company max=COMPLETENESS_MAX error=error />
                    <Weight field="phone" label=label("lead-rule-completeness-phone") value=phone max=COMPLETENESS_MAX error=error />
                    <Weight field="email" label=label("lead-rule-completeness-email") value=email max=COMPLETENESS_MAX error=error />
                    <Weight field="industry_known" label=label("lead-rule-completeness-industry") value=industry_known max=COMPLETENESS_MAX error=error />
                    <Weight field="region" label=label("lead-rule-completeness-region") value=region max=COMPLETENESS_MAX error=error />
                </div>
            </section>
            <section class="card cust-section" aria-labelledby="w-source">
                <h2 id="w-source">{move || i18n.t("lead-rule-source")}</h2>
                <p class="muted">{ceiling("lead-scoring-each-max", SOURCE_MAX)}</p>
                <div class="score-weights__grid">
                    {source_rows}
                    <Weight field="other_source" label=label("lead-scoring-other-source") value=other_source max=SOURCE_MAX error=error />
                </div>
            </section>
            <section class="card cust-section" aria-labelledby="w-industry">
                <h2 id="w-industry">{move || i18n.t("lead-rule-industry")}</h2>
                <p class="muted">{ceiling("lead-scoring-industries-hint", INDUSTRY_MAX)}</p>
                <ul class="lead-setup__list">{industry_rows}</ul>
                <button type="button" class="button" data-testid="weight-industry-add"
                    on:click=move |_| industries.update(|l| l.push(row(String::new(), 0)))>
                    {move || i18n.t("lead-scoring-add-industry")}
                </button>
            </section>
            <section class="card cust-section" aria-labelledby="w-engage">
                <h2 id="w-engage">{move || i18n.t("lead-scoring-engagement")}</h2>
                <p class="muted">{ceiling("lead-scoring-ceiling", ENGAGEMENT_MAX)}</p>
                <div class="score-weights__grid">
                    <Weight field="per_activity" label=label("lead-scoring-per-activity") value=per_activity max=ENGAGEMENT_MAX error=error />
                    <Weight field="activities_max" label=label("lead-scoring-activities-max") value=activities_max max=ENGAGEMENT_MAX error=error />
                    <Weight field="per_submission" label=label("lead-scoring-per-submission") value=per_submission max=ENGAGEMENT_MAX error=error />
                    <Weight field="submissions_max" label=label("lead-scoring-submissions-max") value=submissions_max max=ENGAGEMENT_MAX error=error />
                </div>
            </section>
            <ProblemAlert error=error shown_fields=&[
                "company", "phone", "email", "industry_known", "region", "sources", "other_source",
                "industries", "per_activity", "activities_max", "per_submission", "submissions_max",
            ] />
            {move || saved.get().then(|| view! {
                <p class="alert alert--success" role="status" data-testid="weights-saved">{i18n.t("lead-scoring-saved")}</p>
            })}
            <div class="actions">
                <button type="submit" class="button button--primary" data-testid="weights-save" disabled=move || busy.get()>
                    {move || i18n.t("action-save")}
                </button>
            </div>
        </form>
    }
}
