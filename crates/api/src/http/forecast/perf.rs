//! Rep performance for a period, computed from the deals in scope.

use super::day_of;
use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::http::opportunities::cond;
use crate::http::opportunities::today;
use crate::http::wire::forecast::{Conversion, Performance, RepPerformance, StaleDeal};
use crate::repo::forecast as store;
use crate::repo::opportunities::user_names;
use crate::repo::pipelines::{self, DEFAULT_PIPELINE};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::Action;
use kehu_domain::date::Date;
use kehu_domain::forecast::{self as rules, Staleness};
use kehu_domain::pipeline::StageKind;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PerformanceQuery {
    /// First day, default the first of this month.
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub from: Option<String>,
    /// Last day (inclusive), default today.
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub to: Option<String>,
    /// Days without activity after which an open deal is stale, 1 to 365 (default 14).
    #[param(minimum = 1, maximum = 365)]
    pub stale_days: Option<i64>,
}

/// For a period: each rep's win rate, average cycle, open deals, activities
/// and visits per open deal and stale deals; the stage-to-stage conversion
/// of the default pipeline; and the stale deals themselves. Covers the
/// deals the caller may read: a manager sees the team or region, a rep
/// their own.
#[utoipa::path(get, path = "/api/v1/performance", tag = "forecast", params(PerformanceQuery),
    responses(
        (status = 200, description = "Performance", body = Performance),
        (status = 400, description = "A parameter is malformed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn performance(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<PerformanceQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let from = day_of("from", q.from)?;
    let to = day_of("to", q.to)?;
    let stale_days = match q.stale_days {
        None => 14,
        Some(d) if (1..=365).contains(&d) => d,
        Some(_) => {
            return Err(ApiError::bad_field(
                "stale_days",
                "out_of_range",
                "must be from 1 to 365",
            ));
        }
    };
    let out = db::run(&state.pool, move |c| {
        let t = today(c, &auth)?;
        let from = from.unwrap_or_else(|| Date::new(t.year(), t.month(), 1).expect("first"));
        let to = to.unwrap_or(t);
        if to < from {
            return Err(ApiError::bad_field(
                "to",
                "before_from",
                "must not be before from",
            ));
        }
        compute(c, &auth, from, to, t, stale_days)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

fn day(t: chrono::NaiveDateTime) -> Date {
    Date::of_unix(t.and_utc().timestamp())
}

pub fn compute(
    c: &mut DbConnection,
    auth: &Auth,
    from: Date,
    to: Date,
    today: Date,
    stale_days: i64,
) -> Result<Performance, ApiError> {
    let deals = store::deal_facts(c, cond(auth, Action::Read), &from.to_string())?;
    let in_period = |d: &Option<String>| {
        d.as_deref()
            .and_then(|d| Date::parse("d", d).ok())
            .is_some_and(|d| from <= d && d <= to)
    };
    let all = pipelines::all(c)?;
    let stage_of: HashMap<&str, (&str, Option<&str>, Option<i32>)> = all
        .iter()
        .flat_map(|p| p.stages.iter())
        .map(|s| {
            (
                s.row.id.as_str(),
                (
                    s.row.name.as_str(),
                    s.row.stage_key.as_deref(),
                    s.row.stale_after_days,
                ),
            )
        })
        .collect();
    #[derive(Default)]
    struct Acc {
        won: i64,
        lost: i64,
        won_minor: BTreeMap<String, i64>,
        cycle_seconds: i64,
        open: i64,
        stale: i64,
    }
    let mut reps: BTreeMap<String, Acc> = BTreeMap::new();
    let mut stale = Vec::new();
    for d in &deals {
        let a = reps.entry(d.owner_id.clone()).or_default();
        match d.status.as_str() {
            "won" if in_period(&d.closed_on) => {
                a.won += 1;
                *a.won_minor.entry(d.currency.clone()).or_default() += d.amount_minor;
                if let Some(closed) = d.closed_at {
                    a.cycle_seconds += (closed - d.created_at).num_seconds().max(0);
                }
            }
            "lost" if in_period(&d.closed_on) => a.lost += 1,
            "open" => {
                a.open += 1;
                let limit = stage_of
                    .get(d.stage_id.as_str())
                    .and_then(|s| s.2)
                    .map(i64::from);
                if let Some(why) = rules::staleness(
                    today,
                    d.customer_last_activity.map(day),
                    day(d.created_at),
                    day(d.stage_entered_at),
                    limit,
                    stale_days,
                ) {
                    a.stale += 1;
                    stale.push((d, why));
                }
            }
            _ => {}
        }
    }
    let owners: Vec<String> = reps.keys().cloned().collect();
    let names = user_names(c, &owners)?;
    let lo = crate::db::from_seconds(kehu_domain::date::UtcSeconds::at_midnight(from));
    let hi = crate::db::from_seconds(kehu_domain::date::UtcSeconds::at_midnight(to.add_days(1)));
    let mut acts: HashMap<String, (i64, i64)> = HashMap::new();
    for (owner, kind, n) in store::activity_counts(c, &owners, lo, hi)? {
        let e = acts.entry(owner).or_default();
        e.0 += n;
        if kind == "visit" {
            e.1 += n;
        }
    }
    let reps = reps
        .into_iter()
        .map(|(uid, a)| {
            let (activities, visits) = acts.get(&uid).copied().unwrap_or_default();
            RepPerformance {
                name: names.get(&uid).cloned().unwrap_or_default(),
                user_id: uid,
                won: a.won,
                lost: a.lost,
                win_rate_percent: rules::win_rate(a.won, a.lost),
                won_minor: a.won_minor.into_iter().collect(),
                avg_cycle_days: rules::average_days(a.cycle_seconds, a.won),
                open: a.open,
                activities,
                visits,
                activities_per_open_deal_tenths: rules::per_tenths(activities, a.open),
                visits_per_open_deal_tenths: rules::per_tenths(visits, a.open),
                stale: a.stale,
            }
        })
        .collect();
    // conversion through the default pipeline: of the deals that entered a
    // stage in the period, how many went on to a later stage or were won
    let ids: Vec<String> = deals
        .iter()
        .filter(|d| d.pipeline_id == DEFAULT_PIPELINE)
        .map(|d| d.id.clone())
        .collect();
    let stays = store::stays(c, &ids)?;
    let conversion = match all.iter().find(|p| p.row.id == DEFAULT_PIPELINE) {
        None => Vec::new(),
        Some(p) => {
            let order: HashMap<&str, usize> = p
                .stages
                .iter()
                .enumerate()
                .filter(|(_, s)| s.row.kind() != StageKind::Lost)
                .map(|(i, s)| (s.row.id.as_str(), i))
                .collect();
            let mut furthest: HashMap<&str, usize> = HashMap::new();
            let mut entered: HashMap<&str, HashSet<&str>> = HashMap::new();
            for (deal, stage, at) in &stays {
                let Some(&i) = order.get(stage.as_str()) else {
                    continue;
                };
                let f = furthest.entry(deal.as_str()).or_insert(i);
                *f = (*f).max(i);
                let d = day(*at);
                if from <= d && d <= to {
                    entered
                        .entry(stage.as_str())
                        .or_default()
                        .insert(deal.as_str());
                }
            }
            p.stages
                .iter()
                .filter(|s| s.row.kind() == StageKind::Open)
                .map(|s| {
                    let i = order[s.row.id.as_str()];
                    let ins = entered.get(s.row.id.as_str());
                    let n = ins.map_or(0, |x| x.len() as i64);
                    let advanced = ins.map_or(0, |x| {
                        x.iter()
                            .filter(|d| furthest.get(*d).is_some_and(|f| *f > i))
                            .count() as i64
                    });
                    Conversion {
                        stage_id: s.row.id.clone(),
                        stage_name: s.row.name.clone(),
                        stage_key: s.row.stage_key.clone(),
                        entered: n,
                        advanced,
                        rate_percent: rules::percent(advanced, n),
                    }
                })
                .collect()
        }
    };
    let mut stale: Vec<StaleDeal> = stale
        .into_iter()
        .map(|(d, why)| StaleDeal {
            opportunity_id: d.id.clone(),
            name: d.name.clone(),
            owner_name: names.get(&d.owner_id).cloned().unwrap_or_default(),
            stage_name: stage_of
                .get(d.stage_id.as_str())
                .map(|s| s.0.to_owned())
                .unwrap_or_default(),
            stage_key: stage_of
                .get(d.stage_id.as_str())
                .and_then(|s| s.1.map(str::to_owned)),
            days_since_activity: d.customer_last_activity.map(|t| day(t).days_until(today)),
            days_in_stage: day(d.stage_entered_at).days_until(today),
            reason: match why {
                Staleness::NoActivity => "no_activity",
                Staleness::Stuck => "stuck",
            }
            .to_owned(),
        })
        .collect();
    stale.sort_by_key(|d| std::cmp::Reverse(d.days_in_stage));
    Ok(Performance {
        from: from.to_string(),
        to: to.to_string(),
        reps,
        conversion,
        stale,
    })
}
