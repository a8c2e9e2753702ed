//! A customer's lifecycle stage history.

use super::load_for;
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::extract::id;
use crate::http::wire::customers::{StageChangeList, StageChangeOut};
use crate::repo::customers::{Liveness, stages};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::Action;
use kehu_domain::paging::Limit;

/// A customer's lifecycle stage changes, newest first: from, to, why, who and when.
#[utoipa::path(get, path = "/api/v1/customers/{id}/stage-changes", tag = "customers",
    params(("id" = String, Path), StageChangeQuery),
    responses(
        (status = 200, description = "The changes, newest first", body = StageChangeList),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn stage_changes(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    q: web::Query<StageChangeQuery>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let limit = Limit::parse(q.limit)?.get() as i64;
    let rows = db::run(&state.pool, move |c| {
        load_for(c, &auth, &cid, Action::Read, Liveness::Live)?;
        Ok::<_, ApiError>(stages::list(c, &cid, limit)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(StageChangeList {
        data: rows.into_iter().map(StageChangeOut::from).collect(),
    }))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StageChangeQuery {
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}
