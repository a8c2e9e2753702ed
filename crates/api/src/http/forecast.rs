//! The forecast (销售预测) with quotas and attainment, and rep performance,
//! all within the caller's opportunity scope.

use super::extract::{Body, non_empty};
use super::opportunities::{scope, today};
use super::wire::forecast::*;
use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::forecast::{self as store, GroupBy, QuotaRow, Sources};
use crate::repo::opportunities::user_names;
use crate::repo::{self, org::UnitKind};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::FieldError;
use kehu_domain::access::{Action, Resource};
use kehu_domain::date::Date;
use kehu_domain::error::Collector;
use kehu_domain::forecast::{self as rules, PERIODS_MAX, Period, PeriodKind, Sums};
use kehu_domain::opportunity::{self as deal, Currency};
use kehu_domain::pipeline::ForecastCategory;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::IntoParams;

mod perf;

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

fn kind_of(raw: Option<String>) -> Result<PeriodKind, ApiError> {
    match non_empty(raw) {
        None => Ok(PeriodKind::Month),
        Some(p) => PeriodKind::parse(&p).ok_or_else(|| {
            ApiError::bad_field("period", "invalid_choice", "must be month or quarter")
        }),
    }
}

fn day_of(field: &str, raw: Option<String>) -> Result<Option<Date>, ApiError> {
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

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QuotaQuery {
    /// First day of the range, default the first of this year.
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub from: Option<String>,
    /// Day after the range, default a year after `from`.
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub to: Option<String>,
}

fn quota_out(q: QuotaRow) -> QuotaOut {
    QuotaOut {
        id: q.id,
        user_id: q.user_id,
        team_id: q.team_id,
        period: q.period_kind,
        period_start: q.period_start,
        amount_minor: q.amount_minor,
        currency: q.currency,
    }
}

/// The quotas starting in a range.
#[utoipa::path(get, path = "/api/v1/quotas", tag = "forecast", params(QuotaQuery),
    responses(
        (status = 200, description = "Quotas", body = Vec<QuotaOut>),
        (status = 400, description = "A parameter is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may not read the sales setup", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_quotas(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<QuotaQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Read)?;
    let q = q.into_inner();
    let from = day_of("from", q.from)?;
    let to = day_of("to", q.to)?;
    let out: Vec<QuotaOut> = db::run(&state.pool, move |c| {
        let t = today(c, &auth)?;
        let from = from.unwrap_or_else(|| Date::new(t.year(), 1, 1).expect("1 January"));
        let to = to.unwrap_or_else(|| {
            Date::new(from.year() + 1, from.month(), 1).expect("first of a month")
        });
        Ok::<_, ApiError>(
            store::quotas_between(c, None, &from.to_string(), &to.to_string())?
                .into_iter()
                .map(quota_out)
                .collect(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Set the quota of a user or a team for one month or quarter (replacing it).
#[utoipa::path(put, path = "/api/v1/quotas", tag = "forecast", request_body = QuotaBody,
    responses(
        (status = 200, description = "Set", body = QuotaOut),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid: exactly one of user_id and team_id, a period start that begins a period, a non-negative amount", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_quota(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<QuotaBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Update)?;
    let w = body.0;
    let mut col = Collector::new();
    let user_id = non_empty(w.user_id.clone());
    let team_id = non_empty(w.team_id.clone());
    if user_id.is_some() == team_id.is_some() {
        col.push(FieldError::new(
            "user_id",
            "one_of",
            "give exactly one of user_id and team_id",
        ));
    }
    let kind = match w.period.as_deref().map(PeriodKind::parse) {
        Some(Some(k)) => Some(k),
        _ => {
            col.push(FieldError::new(
                "period",
                "invalid_choice",
                "must be month or quarter",
            ));
            None
        }
    };
    let start = match &w.period_start {
        None => {
            col.push(FieldError::new("period_start", "required", "is required"));
            None
        }
        Some(d) => col.take(Date::parse("period_start", d)),
    };
    if let (Some(k), Some(d)) = (kind, start)
        && !Period::starts_on(k, d)
    {
        col.push(FieldError::new(
            "period_start",
            "not_period_start",
            format!("must be the first day of a {}", k.as_str()),
        ));
    }
    let amount = match w.amount_minor {
        None => {
            col.push(FieldError::new("amount_minor", "required", "is required"));
            None
        }
        Some(a) => col.take(deal::amount("amount_minor", a)),
    };
    let currency = col.take(Currency::parse(
        "currency",
        w.currency.as_deref().unwrap_or("CNY"),
    ));
    col.finish()?;
    let row = QuotaRow {
        id: db::new_id(),
        user_id,
        team_id,
        period_kind: kind.expect("checked").as_str().to_owned(),
        period_start: start.expect("checked").to_string(),
        amount_minor: amount.expect("checked"),
        currency: currency.expect("checked").as_str().to_owned(),
        updated_at: db::now(),
    };
    let out = db::run(&state.pool, move |c| {
        let mut col = Collector::new();
        if let Some(u) = &row.user_id
            && !repo::users::missing(c, std::slice::from_ref(u))?.is_empty()
        {
            col.push(FieldError::new("user_id", "not_found", "no such user"));
        }
        repo::org::check_refs(
            c,
            &mut col,
            [(
                "team_id",
                UnitKind::Team,
                row.team_id.iter().cloned().collect(),
            )],
        )?;
        col.finish()?;
        let id = store::put_quota(c, &row)?;
        Ok::<_, ApiError>(quota_out(QuotaRow { id, ..row }))
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

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
        perf::compute(c, &auth, from, to, t, stale_days)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
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
