//! The forecast (销售预测) with quotas and attainment, and rep performance,
//! all within the caller's opportunity scope.

use super::extract::non_empty;
use super::opportunities::{scope, today};
use super::wire::forecast::*;
use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::forecast::{self as store, GroupBy, QuotaRow, Sources};
use crate::repo::opportunities::user_names;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::Action;
use kehu_domain::date::Date;
use kehu_domain::forecast::{self as rules, PERIODS_MAX, Period, PeriodKind, Sums};
use kehu_domain::opportunity::{self as deal, Currency};
use kehu_domain::pipeline::ForecastCategory;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::IntoParams;

mod perf;
mod quotas;
pub use perf::{__path_performance, PerformanceQuery, performance};
pub use quotas::{__path_list_quotas, __path_put_quota, QuotaQuery, list_quotas, put_quota};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ForecastQuery {
    /// `month` (default) or `quarter`.
    #[param(pattern = "^(month|quarter)?$")]
    pub period: Option<String>,
    /// A day in the first period; default today.
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub from: Option<String>,
    /// How many periods, 1 to 12 (default 3).
    #[param(minimum = 1, maximum = 12)]
    pub periods: Option<i64>,
    /// `owner` (default), `team`, `region` or `product_line`.
    #[param(pattern = "^(owner|team|region|product_line)?$")]
    pub group: Option<String>,
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub pipeline_id: Option<String>,
    /// ISO 4217; default CNY. Each forecast is in one currency.
    #[param(pattern = "^([A-Z]{3})?$")]
    pub currency: Option<String>,
}

pub(super) fn kind_of(raw: Option<String>) -> Result<PeriodKind, ApiError> {
    match non_empty(raw) {
        None => Ok(PeriodKind::Month),
        Some(p) => PeriodKind::parse(&p).ok_or_else(|| {
            ApiError::bad_field("period", "invalid_choice", "must be month or quarter")
        }),
    }
}

pub(super) fn day_of(field: &str, raw: Option<String>) -> Result<Option<Date>, ApiError> {
    non_empty(raw)
        .map(|d| {
            Date::parse(field, &d).map_err(|_| {
                ApiError::bad_field(field, "invalid_date", "must be a date like 2026-12-31")
            })
        })
        .transpose()
}

fn currency_of(raw: Option<String>) -> Result<String, ApiError> {
    match non_empty(raw) {
        None => Ok("CNY".to_owned()),
        Some(c) => Currency::parse("currency", &c)
            .map(|c| c.as_str().to_owned())
            .map_err(|_| {
                ApiError::bad_field(
                    "currency",
                    "invalid_currency",
                    "must be three capital letters, like CNY",
                )
            }),
    }
}

/// Names of the groups shown: users for owners, org units otherwise.
fn group_names(
    c: &mut DbConnection,
    group: GroupBy,
    ids: &[String],
) -> Result<HashMap<String, String>, ApiError> {
    Ok(match group {
        GroupBy::Owner => user_names(c, ids)?,
        _ => store::unit_names(c, ids)?.into_iter().collect(),
    })
}

/// Weighted amounts and amounts per forecast category, per month or
/// quarter and per owner, team, region or product line, with quotas and
/// attainment. Open deals count on their expected close, won deals on
/// their close day, lost ones not at all; `omitted` deals are counted but
/// add nothing to the weighted amount.
#[utoipa::path(get, path = "/api/v1/forecast", tag = "forecast", params(ForecastQuery),
    responses(
        (status = 200, description = "The forecast", body = Forecast),
        (status = 400, description = "A parameter is malformed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn forecast(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<ForecastQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let kind = kind_of(q.period)?;
    let n = match q.periods {
        None => 3,
        Some(n) if (1..=PERIODS_MAX as i64).contains(&n) => n as usize,
        Some(_) => {
            return Err(ApiError::bad_field(
                "periods",
                "out_of_range",
                "must be from 1 to 12",
            ));
        }
    };
    let group = match non_empty(q.group) {
        None => GroupBy::Owner,
        Some(g) => GroupBy::parse(&g).ok_or_else(|| {
            ApiError::bad_field(
                "group",
                "invalid_choice",
                "must be owner, team, region or product_line",
            )
        })?,
    };
    let from = day_of("from", q.from)?;
    let currency = currency_of(q.currency)?;
    let pipeline_id = super::extract::opt_id("pipeline_id", q.pipeline_id)?;
    let out = db::run(&state.pool, move |c| {
        let start = match from {
            Some(d) => d,
            None => today(c, &auth)?,
        };
        let periods = rules::periods(kind, start, n);
        let (lo, hi) = (periods[0].start, periods[n - 1].end());
        let (from, to) = (lo.to_string(), hi.to_string());
        let ask = store::Ask {
            currency: &currency,
            from: &from,
            to: &to,
            group,
            pipeline_id: pipeline_id.as_deref(),
        };
        let cells = store::cells(c, Sources::of(&scope(&auth, Action::Read)), &ask)?;
        let quotas = store::quotas_between(c, Some(&currency), &lo.to_string(), &hi.to_string())?;
        assemble(c, kind, &periods, group, &currency, cells, quotas)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

fn row(
    p: Period,
    group_id: Option<String>,
    group_name: Option<String>,
    s: &Sums,
    quota_minor: Option<i64>,
) -> ForecastRow {
    ForecastRow {
        period: p.label(),
        period_start: p.start.to_string(),
        group_id,
        group_name,
        count: s.count,
        amount_minor: s.amount,
        weighted_minor: s.weighted,
        pipeline_minor: s.pipeline,
        best_case_minor: s.best_case,
        commit_minor: s.commit,
        closed_minor: s.closed,
        omitted_minor: s.omitted,
        quota_minor,
        attainment_percent: rules::attainment(s.closed, quota_minor),
    }
}

fn assemble(
    c: &mut DbConnection,
    kind: PeriodKind,
    periods: &[Period],
    group: GroupBy,
    currency: &str,
    cells: Vec<store::Cell>,
    quotas: Vec<QuotaRow>,
) -> Result<Forecast, ApiError> {
    let period_of = |month: &str| {
        Date::parse("month", &format!("{month}-01"))
            .ok()
            .map(|d| Period::of(kind, d))
    };
    let mut rows: BTreeMap<(Period, Option<String>), Sums> = BTreeMap::new();
    for cell in cells {
        let (Some(p), Some(status), Some(category)) = (
            period_of(&cell.month),
            deal::Status::parse(&cell.status),
            ForecastCategory::parse(&cell.category),
        ) else {
            continue;
        };
        rows.entry((p, cell.group)).or_default().add(
            status,
            category,
            cell.count,
            cell.amount,
            cell.weighted,
        );
    }
    // a user's quotas for owner rows, a team's for team rows
    let mut held: BTreeMap<String, Vec<(PeriodKind, Date, i64)>> = BTreeMap::new();
    for q in &quotas {
        let holder = match group {
            GroupBy::Owner => q.user_id.clone(),
            GroupBy::Team => q.team_id.clone(),
            _ => None,
        };
        let (Some(h), Some(k), Ok(d)) = (
            holder,
            PeriodKind::parse(&q.period_kind),
            Date::parse("period_start", &q.period_start),
        ) else {
            continue;
        };
        // every quota holder appears, even with no deals yet
        let p = Period::of(kind, d);
        if periods.contains(&p) {
            rows.entry((p, Some(h.clone()))).or_default();
        }
        held.entry(h).or_default().push((k, d, q.amount_minor));
    }
    let ids: Vec<String> = rows.keys().filter_map(|k| k.1.clone()).collect();
    let names = group_names(c, group, &ids)?;
    let mut totals: BTreeMap<Period, (Sums, Option<i64>)> =
        periods.iter().map(|p| (*p, Default::default())).collect();
    let mut out_rows = Vec::new();
    for ((p, g), sums) in rows {
        let quota = g
            .as_ref()
            .and_then(|g| held.get(g))
            .and_then(|qs| rules::quota(p, qs));
        if let Some(t) = totals.get_mut(&p) {
            t.0.merge(&sums);
            if let Some(q) = quota {
                t.1 = Some(t.1.unwrap_or(0) + q);
            }
        }
        let name = g.as_ref().and_then(|g| names.get(g).cloned());
        out_rows.push(row(p, g, name, &sums, quota));
    }
    let totals = totals
        .into_iter()
        .map(|(p, (sums, quota))| row(p, None, None, &sums, quota))
        .collect();
    Ok(Forecast {
        period: kind.as_str().to_owned(),
        currency: currency.to_owned(),
        rows: out_rows,
        totals,
    })
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/forecast")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(forecast)),
    )
    .service(
        web::resource("/quotas")
            .default_service(crate::http::allow("GET, PUT"))
            .route(web::get().to(list_quotas))
            .route(web::put().to(put_quota)),
    )
    .service(
        web::resource("/performance")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(performance)),
    );
}
