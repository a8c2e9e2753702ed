//! The forecast (`/forecast`): weighted amounts and amounts per forecast
//! category by month or quarter, grouped by owner, team, region or product
//! line, as a bar chart (plain SVG) and a table with quota and attainment.
//! Managers set quotas in the table.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::model::{Forecast, ForecastRow, QuotaBody};
use super::money::{input_value, money, parse, short};
use super::{is_manager, load_failed, percent, skeleton};
use crate::api::{ApiError, Call};
use crate::components::ProblemAlert;
use crate::components::customers::t;
use crate::i18n::I18n;
use crate::router::Router;
use crate::session::Session;
use crate::time;

const GROUPS: [&str; 4] = ["owner", "team", "region", "product_line"];
/// Forecast categories, bottom of a bar first, with their colours.
const CATEGORIES: [(&str, &str); 4] = [
    ("closed", "#1e7a3c"),
    ("commit", "#1f5fbf"),
    ("best_case", "#6ea0e6"),
    ("pipeline", "#c3d3ea"),
];

fn category(r: &ForecastRow, c: &str) -> i64 {
    match c {
        "closed" => r.closed_minor,
        "commit" => r.commit_minor,
        "best_case" => r.best_case_minor,
        _ => r.pipeline_minor,
    }
}

/// The first day of the month or quarter holding `today` (`YYYY-MM-DD`).
fn period_start(today: &str, quarter: bool) -> String {
    let year = today.get(..4).unwrap_or("2026");
    let month: u32 = today.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let m = if quarter {
        (month - 1) / 3 * 3 + 1
    } else {
        month
    };
    format!("{year}-{m:02}-01")
}

/// "Dec 2026" or "2026 Q4", in the reader's language.
pub fn period_label(i18n: I18n, row: &ForecastRow) -> String {
    if let Some((year, q)) = row.period.split_once("-Q") {
        return i18n.t_args(
            "sales-quarter",
            &[
                ("year", year.to_owned().into()),
                ("quarter", q.to_owned().into()),
            ],
        );
    }
    let o = web_sys::js_sys::Object::new();
    for (k, v) in [("timeZone", "UTC"), ("year", "numeric"), ("month", "short")] {
        let _ = web_sys::js_sys::Reflect::set(&o, &k.into(), &v.into());
    }
    web_sys::js_sys::Date::new(&format!("{}T12:00:00Z", row.period_start).into())
        .to_locale_date_string(i18n.lang().code(), &o)
        .as_string()
        .unwrap_or_else(|| row.period.clone())
}

#[component]
pub fn ForecastPage() -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let router = Router::get();
    let period = Memo::new(move |_| {
        router
            .param("period")
            .filter(|p| p == "quarter")
            .unwrap_or_else(|| "month".into())
    });
    let group = Memo::new(move |_| {
        router
            .param("group")
            .filter(|g| GROUPS.contains(&g.as_str()))
            .unwrap_or_else(|| "owner".into())
    });
    let periods = Memo::new(move |_| {
        router
            .param("periods")
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|p| (1..=12).contains(p))
            .unwrap_or(if period.get() == "quarter" { 4 } else { 6 })
    });
    let data = RwSignal::new(None::<Result<Forecast, ApiError>>);
    let load = move || {
        let (p, g, n) = (
            period.get_untracked(),
            group.get_untracked(),
            periods.get_untracked(),
        );
        let from = period_start(&time::today(), p == "quarter");
        data.set(None);
        spawn_local(async move {
            let r = session
                .get_json::<Forecast>(&format!(
                    "/forecast?period={p}&from={from}&periods={n}&group={g}"
                ))
                .await;
            let _ = data.try_set(Some(r));
        });
    };
    Effect::new(move |_| {
        period.track();
        group.track();
        periods.track();
        load();
    });
    let go = move |p: String, g: String, n: Option<u32>| {
        let n = n.map(|n| format!("&periods={n}")).unwrap_or_default();
        router.navigate(&format!("/forecast?period={p}&group={g}{n}"), true, false);
    };
    let seg = move |p: &'static str| {
        view! {
            <button type="button" class="seg__option" data-testid=format!("forecast-{p}")
                aria-pressed=move || (period.get() == p).to_string()
                on:click=move |_| go(p.to_owned(), group.get_untracked(), None)>{t(if p == "month" { "sales-by-month" } else { "sales-by-quarter" })}</button>
        }
    };
    view! {
        <div class="sales-page forecast-page">
            <div class="cust-head"><h1>{t("sales-forecast-title")}</h1></div>
            <super::SalesLinks />
            <div class="board-toolbar">
                <div class="seg" role="group" aria-label=move || i18n.t("sales-period")>{seg("month")}{seg("quarter")}</div>
                <label class="field board-filter">
                    <span class="field__label">{t("sales-group-by")}</span>
                    <select data-testid="forecast-group" on:change=move |ev| go(period.get_untracked(), event_target_value(&ev), Some(periods.get_untracked()))>
                        {GROUPS.iter().map(|g| view! {
                            <option value=*g selected=move || group.get() == *g>{move || i18n.t(&format!("sales-group-{g}"))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field board-filter">
                    <span class="field__label">{t("sales-periods")}</span>
                    <select data-testid="forecast-periods" on:change=move |ev| go(period.get_untracked(), group.get_untracked(), event_target_value(&ev).parse().ok())>
                        {[1u32, 2, 3, 4, 6, 12].into_iter().map(|n| view! {
                            <option value=n.to_string() selected=move || periods.get() == n>{n}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            {move || match (i18n.lang(), data.get()).1 {
                None => skeleton(),
                Some(Err(e)) => load_failed(i18n, &e, load),
                Some(Ok(f)) => view! {
                    <Chart forecast=f.clone() />
                    <Table forecast=f group=group.get_untracked() reload=Callback::new(move |()| load()) />
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Chart(forecast: Forecast) -> impl IntoView {
    let i18n = I18n::get();
    let lang = i18n.lang().code();
    let cur = forecast.currency.clone();
    let totals = forecast.totals;
    if totals.is_empty() {
        return view! { <p class="muted card" data-testid="forecast-empty">{i18n.t("sales-forecast-empty")}</p> }.into_any();
    }
    let (bar, gap, h, top, bottom) = (44.0, 28.0, 180.0, 16.0, 40.0);
    let width = gap + totals.len() as f64 * (bar + gap);
    let max = totals
        .iter()
        .map(|r| {
            let stack: i64 = CATEGORIES.iter().map(|(c, _)| category(r, c)).sum();
            stack.max(r.weighted_minor).max(r.quota_minor.unwrap_or(0))
        })
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let y = move |v: i64| top + h - v as f64 / max * h;
    let bars = totals
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let x = gap + i as f64 * (bar + gap);
            let mut base = 0i64;
            let parts = CATEGORIES
                .iter()
                .map(|(c, colour)| {
                    let v = category(r, c);
                    let (y0, y1) = (y(base), y(base + v));
                    base += v;
                    view! {
                        <rect x=x y=y1 width=bar height=(y0 - y1).max(0.0) fill=*colour>
                            <title>{format!("{}: {}", i18n.t(&format!("sales-category-{c}")), money(v, &cur, lang))}</title>
                        </rect>
                    }
                })
                .collect_view();
            let wy = y(r.weighted_minor);
            let quota = r.quota_minor.map(|q| {
                let qy = y(q);
                view! { <line x1=x - 4.0 x2=x + bar + 4.0 y1=qy y2=qy stroke="#b3261e" stroke-width="2" stroke-dasharray="4 3" /> }
            });
            view! {
                <g data-testid="forecast-bar">
                    {parts}
                    <line x1=x - 6.0 x2=x + bar + 6.0 y1=wy y2=wy stroke="#1c2530" stroke-width="3" />
                    {quota}
                    <text x=x + bar / 2.0 y=top + h + 16.0 text-anchor="middle" font-size="11">{period_label(i18n, r)}</text>
                    <text x=x + bar / 2.0 y=top + h + 32.0 text-anchor="middle" font-size="11" fill="#5a6675">{short(r.weighted_minor, &cur, lang)}</text>
                </g>
            }
        })
        .collect_view();
    let legend = CATEGORIES
        .iter()
        .map(|(c, colour)| view! {
            <li><span class="legend__swatch" style=format!("background:{colour}")></span>{i18n.t(&format!("sales-category-{c}"))}</li>
        })
        .collect_view();
    view! {
        <figure class="card forecast-chart" data-testid="forecast-chart">
            <div class="forecast-chart__scroll">
                <svg viewBox=format!("0 0 {width} {}", top + h + bottom) width=width height=top + h + bottom role="img"
                    aria-label=i18n.t("sales-forecast-chart")>
                    <line x1="0" x2=width y1=top + h y2=top + h stroke="#b8c2cc" />
                    {bars}
                </svg>
            </div>
            <ul class="legend">
                {legend}
                <li><span class="legend__line"></span>{i18n.t("sales-weighted")}</li>
                <li><span class="legend__line legend__line--quota"></span>{i18n.t("sales-quota")}</li>
            </ul>
        </figure>
    }
    .into_any()
}

#[component]
fn Table(forecast: Forecast, group: String, reload: Callback<()>) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let lang = i18n.lang().code();
    let cur = forecast.currency.clone();
    let editable = is_manager(session) && (group == "owner" || group == "team");
    let rows = forecast
        .rows
        .iter()
        .chain(forecast.totals.iter())
        .map(|r| {
            let total = r.group_id.is_none() && forecast.totals.contains(r);
            let who = if total {
                i18n.t("sales-total")
            } else {
                r.group_name.clone().unwrap_or_else(|| i18n.t("sales-unassigned"))
            };
            let quota_cell = if editable && !total && r.group_id.is_some() {
                view! { <QuotaCell row=r.clone() currency=cur.clone() period=forecast.period.clone() group=group.clone() reload=reload /> }.into_any()
            } else {
                view! { <span>{r.quota_minor.map(|q| money(q, &cur, lang)).unwrap_or_else(|| "—".into())}</span> }.into_any()
            };
            view! {
                <tr class=if total { "forecast-total" } else { "" } data-testid=if total { "forecast-total" } else { "forecast-row" }>
                    <td>{period_label(i18n, r)}</td>
                    <th scope="row">{who}</th>
                    <td class="num">{r.count}</td>
                    <td class="num">{money(r.amount_minor, &cur, lang)}</td>
                    <td class="num" data-testid="forecast-weighted">{money(r.weighted_minor, &cur, lang)}</td>
                    <td class="num">{money(r.commit_minor, &cur, lang)}</td>
                    <td class="num">{money(r.best_case_minor, &cur, lang)}</td>
                    <td class="num">{money(r.closed_minor, &cur, lang)}</td>
                    <td class="num">{quota_cell}</td>
                    <td class="num" data-testid="forecast-attainment">{percent(r.attainment_percent)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll card">
            <table class="table forecast-table" data-testid="forecast-table">
                <thead>
                    <tr>
                        <th scope="col">{t("sales-period")}</th>
                        <th scope="col">{move || i18n.t(&format!("sales-group-{group}"))}</th>
                        <th scope="col" class="num">{t("sales-count")}</th>
                        <th scope="col" class="num">{t("sales-amount")}</th>
                        <th scope="col" class="num">{t("sales-weighted")}</th>
                        <th scope="col" class="num">{t("sales-category-commit")}</th>
                        <th scope="col" class="num">{t("sales-category-best_case")}</th>
                        <th scope="col" class="num">{t("sales-category-closed")}</th>
                        <th scope="col" class="num">{t("sales-quota")}</th>
                        <th scope="col" class="num">{t("sales-attainment")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A quota, and for a manager the way to set it.
#[component]
fn QuotaCell(
    row: ForecastRow,
    currency: String,
    period: String,
    group: String,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = I18n::get();
    let session = Session::get();
    let lang = i18n.lang().code();
    let editing = RwSignal::new(false);
    let value = RwSignal::new(
        row.quota_minor
            .map(|q| input_value(q, &currency))
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let shown = row
        .quota_minor
        .map(|q| money(q, &currency, lang))
        .unwrap_or_else(|| "—".into());
    let who = row.group_name.clone().unwrap_or_default();
    let cur = currency.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(amount) = parse(&value.get_untracked(), &cur) else {
            error.set(Some(ApiError::invalid(vec![super::deal::problem(
                "amount_minor",
                "sales-invalid-amount",
                i18n,
            )])));
            return;
        };
        let id = row.group_id.clone();
        let body = QuotaBody {
            user_id: if group == "owner" { id.clone() } else { None },
            team_id: if group == "team" { id } else { None },
            period: period.clone(),
            period_start: row.period_start.clone(),
            amount_minor: amount,
            currency: cur.clone(),
        };
        spawn_local(async move {
            match session.send(&Call::put("/quotas", &body)).await {
                Ok(()) => reload.run(()),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <Show when=move || editing.get() fallback=move || view! {
            <button type="button" class="button button--ghost quota-edit" data-testid="quota-edit"
                aria-label=i18n.t_args("sales-quota-set", &[("who", who.clone().into())])
                on:click=move |_| editing.set(true)>{shown.clone()}" ✎"</button>
        }>
            <form class="quota-form" on:submit=save.clone() novalidate>
                <input class="field__input" inputmode="decimal" data-testid="quota-input" aria-label=i18n.t("sales-quota") bind:value=value />
                <button type="submit" class="button button--primary" data-testid="quota-save">{t("action-save")}</button>
                <ProblemAlert error=error />
            </form>
        </Show>
    }
}
