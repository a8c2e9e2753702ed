//! The list of deals: its filters and the cursor over expected close dates.

use super::*;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpportunityQuery {
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub pipeline_id: Option<String>,
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub stage_id: Option<String>,
    /// `open`, `won` or `lost`.
    #[param(pattern = "^(open|won|lost)?$")]
    pub status: Option<String>,
    /// A user id, or `me`.
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub owner_id: Option<String>,
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub customer_id: Option<String>,
    /// Words in the name or campaign.
    #[param(pattern = "^[^\\x00]*$", max_length = 200)]
    pub q: Option<String>,
    /// Expected close on or after this day, `YYYY-MM-DD`.
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub close_from: Option<String>,
    /// Expected close on or before this day.
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub close_to: Option<String>,
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

fn day_filter(field: &str, raw: Option<String>) -> Result<Option<String>, ApiError> {
    non_empty(raw)
        .map(|d| {
            Date::parse(field, &d).map(|d| d.to_string()).map_err(|_| {
                ApiError::bad_field(field, "invalid_date", "must be a date like 2026-12-31")
            })
        })
        .transpose()
}

fn status_filter(raw: Option<String>) -> Result<Option<String>, ApiError> {
    match non_empty(raw) {
        None => Ok(None),
        Some(s) if Status::parse(&s).is_some() => Ok(Some(s)),
        Some(_) => Err(ApiError::bad_field(
            "status",
            "invalid_choice",
            "must be open, won or lost",
        )),
    }
}

pub(crate) fn filter_of(
    auth: &Auth,
    pipeline_id: Option<String>,
    owner_id: Option<String>,
    q: Option<String>,
) -> Result<OpportunityFilter, ApiError> {
    let me = auth.user_id().to_owned();
    Ok(OpportunityFilter {
        pipeline_id: opt_id("pipeline_id", pipeline_id)?,
        owner_id: opt_id("owner_id", owner_id)?.map(|o| if o == "me" { me } else { o }),
        terms: check_query_text("q", &q, 200)?
            .map(|q| text::search_terms(&q))
            .unwrap_or_default(),
        ..Default::default()
    })
}

const ORDER: &str = "expected_close_on";

/// List the deals the caller may see, by expected close date.
#[utoipa::path(get, path = "/api/v1/opportunities", tag = "opportunities", params(OpportunityQuery),
    responses(
        (status = 200, description = "A page of opportunities", body = OpportunityPage),
        (status = 400, description = "A filter is malformed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<OpportunityQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let limit = Limit::parse(q.limit)?.get() as i64;
    let mut f = filter_of(&auth, q.pipeline_id, q.owner_id, q.q)?;
    f.stage_id = opt_id("stage_id", q.stage_id)?;
    f.customer_id = opt_id("customer_id", q.customer_id)?;
    f.status = status_filter(q.status)?;
    f.close_from = day_filter("close_from", q.close_from)?;
    f.close_to = day_filter("close_to", q.close_to)?;
    let after = non_empty(q.cursor)
        .map(|c| cursor::decode_keyed(&c, ORDER))
        .transpose()?;
    let read = scope(&auth, Action::Read);
    let page = db::run(&state.pool, move |c| {
        let mut rows = store::list(c, &read, &f, after, limit + 1)?;
        let next_cursor = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last()
                .map(|r| cursor::encode_keyed(ORDER, &r.row.expected_close_on, &r.row.id))
        } else {
            None
        };
        Ok::<_, ApiError>(OpportunityPage {
            data: rows.into_iter().map(out).collect(),
            next_cursor,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}
