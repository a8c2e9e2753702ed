//! Quotas (销售指标) per user or team and month or quarter: what the
//! forecast measures attainment against.

use super::day_of;
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::extract::{Body, non_empty};
use crate::http::opportunities::today;
use crate::http::wire::forecast::*;
use crate::repo::forecast::{self as store, QuotaRow};
use crate::repo::{self, org::UnitKind};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::FieldError;
use kehu_domain::access::{Action, Resource};
use kehu_domain::date::Date;
use kehu_domain::error::Collector;
use kehu_domain::forecast::{Period, PeriodKind};
use kehu_domain::opportunity::{self as deal, Currency};
use serde::Deserialize;
use utoipa::IntoParams;

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
