//! Rep performance (`/performance`, for managers): per rep over a period
//! the win rate, the average cycle, open deals, activities and visits per
//! open deal and stale deals; the funnel's stage-to-stage conversion; and
//! the stale deals themselves.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::model::Performance;
use super::money::money;
use super::{load_failed, percent, reads_team, skeleton};
use crate::api::{ApiError, encode};
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;
use crate::time;

/// A count in tenths (25) as read (2.5).
fn tenths(v: Option<i64>) -> String {
    v.map(|v| format!("{}.{}", v / 10, (v % 10).abs()))
        .unwrap_or_else(|| "—".into())
}

#[component]
pub fn PerformancePage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let today = time::today();
    let first_of_quarter = {
        let m: u32 = today.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
        format!(
            "{}-{:02}-01",
            today.get(..4).unwrap_or("2026"),
            (m - 1) / 3 * 3 + 1
        )
    };
    let from = Memo::new(move |_| {
        router
            .param("from")
            .filter(|d| d.len() == 10)
            .unwrap_or_else(|| first_of_quarter.clone())
    });
    let to = Memo::new(move |_| {
        router
            .param("to")
            .filter(|d| d.len() == 10)
            .unwrap_or_else(|| today.clone())
    });
    let stale_days = Memo::new(move |_| {
        router
            .param("stale_days")
            .and_then(|d| d.parse::<u32>().ok())
            .unwrap_or(14)
    });
    let data = RwSignal::new(None::<Result<Performance, ApiError>>);
    let load = move || {
        let path = format!(
            "/performance?from={}&to={}&stale_days={}",
            encode(&from.get_untracked()),
            encode(&to.get_untracked()),
            stale_days.get_untracked()
        );
        data.set(None);
        spawn_local(async move {
            let r = session.get_json::<Performance>(&path).await;
            let _ = data.try_set(Some(r));
        });
    };
    Effect::new(move |_| {
        from.track();
        to.track();
        stale_days.track();
        load();
    });
    let go = move |key: &str, value: String| {
        let mut q = vec![
            ("from", from.get_untracked()),
            ("to", to.get_untracked()),
            ("stale_days", stale_days.get_untracked().to_string()),
        ];
        for p in &mut q {
            if p.0 == key {
                p.1 = value.clone();
            }
        }
        let q: Vec<String> = q
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect();
        router.navigate(&format!("/performance?{}", q.join("&")), true, false);
    };
    view! {
        <div class="sales-page perf-page">
            <div class="cust-head"><h1>{t("sales-performance-title")}</h1></div>
            <super::SalesLinks />
            {move || (!reads_team(session)).then(|| view! {
                <p class="alert alert--info" data-testid="perf-own-only">{i18n.t("sales-performance-own")}</p>
            })}
            <div class="board-toolbar">
                <label class="field board-filter">
                    <span class="field__label">{t("sales-from")}</span>
                    <input class="field__input" type="date" data-testid="perf-from" prop:value=move || from.get()
                        on:change=move |ev| go("from", event_target_value(&ev)) />
                </label>
                <label class="field board-filter">
                    <span class="field__label">{t("sales-to")}</span>
                    <input class="field__input" type="date" data-testid="perf-to" prop:value=move || to.get()
                        on:change=move |ev| go("to", event_target_value(&ev)) />
                </label>
                <label class="field board-filter">
                    <span class="field__label">{t("sales-stale-days")}</span>
                    <input class="field__input" type="number" min="1" max="365" data-testid="perf-stale-days"
                        prop:value=move || stale_days.get().to_string()
                        on:change=move |ev| go("stale_days", event_target_value(&ev)) />
                </label>
            </div>
            {move || match (i18n.lang(), data.get()).1 {
                None => skeleton(),
                Some(Err(e)) => load_failed(i18n, &e, load),
                Some(Ok(p)) => view! { <Report report=p /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Report(report: Performance) -> impl IntoView {
    let i18n = I18n::get();
    let lang = i18n.lang().code();
    let reps = if report.reps.is_empty() {
        view! { <tr><td colspan="10" class="muted">{i18n.t("sales-no-reps")}</td></tr> }.into_any()
    } else {
        report
            .reps
            .iter()
            .map(|r| view! {
                <tr data-testid="perf-rep">
                    <th scope="row">{r.name.clone()}</th>
                    <td class="num">{r.won}" / "{r.lost}</td>
                    <td class="num" data-testid="perf-win-rate">{percent(r.win_rate_percent)}</td>
                    <td class="num">{if r.won_minor.is_empty() { "—".to_owned() } else {
                        r.won_minor.iter().map(|(c, a)| money(*a, c, lang)).collect::<Vec<_>>().join(" · ")
                    }}</td>
                    <td class="num">{r.avg_cycle_days.map(|d| i18n.t_args("sales-days", &[("days", format!("{d:.0}").into())])).unwrap_or_else(|| "—".into())}</td>
                    <td class="num" data-testid="perf-open">{r.open}</td>
                    <td class="num">{r.activities}</td>
                    <td class="num">{tenths(r.activities_per_open_deal_tenths)}</td>
                    <td class="num">{tenths(r.visits_per_open_deal_tenths)}</td>
                    <td class="num" data-testid="perf-stale">{r.stale}</td>
                </tr>
            })
            .collect_view()
            .into_any()
    };
    let widest = report
        .conversion
        .iter()
        .map(|c| c.entered)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let funnel = report
        .conversion
        .iter()
        .map(|c| {
            let w = c.entered as f64 / widest * 100.0;
            view! {
                <li class="funnel__step" data-testid="funnel-step">
                    <span class="funnel__name">{super::model::stage_name(i18n, c.stage_key.as_deref(), &c.stage_name)}</span>
                    <span class="funnel__bar" style=format!("width:{w:.1}%")></span>
                    <span class="funnel__numbers">
                        {i18n.t_args("sales-funnel-step", &[("entered", c.entered.into()), ("advanced", c.advanced.into()), ("rate", percent(c.rate_percent).into())])}
                    </span>
                </li>
            }
        })
        .collect_view();
    let stale = if report.stale.is_empty() {
        view! { <p class="muted" data-testid="stale-empty">{i18n.t("sales-stale-none")}</p> }
            .into_any()
    } else {
        report
            .stale
            .iter()
            .map(|s| {
                let why = match (s.reason.as_str(), s.days_since_activity) {
                    ("no_activity", Some(d)) => i18n.t_args("sales-stale-no-activity", &[("days", d.into())]),
                    ("no_activity", None) => i18n.t("sales-stale-never"),
                    _ => i18n.t_args("sales-stale-stuck", &[("days", s.days_in_stage.into())]),
                };
                view! {
                    <li class="deal-activity" data-testid="stale-deal">
                        <a href=format!("/opportunities/{}", encode(&s.opportunity_id))>{s.name.clone()}</a>
                        <span class="muted">{format!("{} · {} · {why}", s.stage_name, s.owner_name.clone().unwrap_or_default())}</span>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card cust-section" aria-labelledby="h-reps">
            <h2 id="h-reps">{t("sales-reps")}</h2>
            <div class="table-scroll">
                <table class="table perf-table" data-testid="perf-table">
                    <thead>
                        <tr>
                            <th scope="col">{t("sales-rep")}</th>
                            <th scope="col" class="num">{t("sales-won-lost")}</th>
                            <th scope="col" class="num">{t("sales-win-rate")}</th>
                            <th scope="col" class="num">{t("sales-won-amount")}</th>
                            <th scope="col" class="num">{t("sales-cycle")}</th>
                            <th scope="col" class="num">{t("sales-open-deals")}</th>
                            <th scope="col" class="num">{t("sales-activities")}</th>
                            <th scope="col" class="num">{t("sales-activities-per-deal")}</th>
                            <th scope="col" class="num">{t("sales-visits-per-deal")}</th>
                            <th scope="col" class="num">{t("sales-stale")}</th>
                        </tr>
                    </thead>
                    <tbody>{reps}</tbody>
                </table>
            </div>
        </section>
        <div class="deal-grid">
            <section class="card cust-section" data-testid="perf-funnel" aria-labelledby="h-funnel">
                <h2 id="h-funnel">{t("sales-conversion")}</h2>
                <ol class="funnel">{funnel}</ol>
            </section>
            <section class="card cust-section" data-testid="perf-stale-list" aria-labelledby="h-stale">
                <h2 id="h-stale">{t("sales-stale-deals")}</h2>
                <ul class="cust-plain">{stale}</ul>
            </section>
        </div>
    }
}
