//! The kanban board of one pipeline: a column per stage with its count,
//! sums and weighted sums, and the first deals of each.

use super::{filter_of, out, pipeline_out, scope, today};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::wire::opportunities::{Board, BoardColumn, CurrencySum};
use crate::repo::opportunities as store;
use crate::repo::pipelines;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::Action;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    /// Default: the default pipeline.
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub pipeline_id: Option<String>,
    /// A user id, or `me`.
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub owner_id: Option<String>,
    /// Words in the name or campaign.
    #[param(pattern = "^[^\\x00]*$", max_length = 200)]
    pub q: Option<String>,
}

/// Deals shown per column; the count and sums cover them all.
const PER_COLUMN: i64 = 50;
/// The won and lost columns show what closed in the last this many days.
const CLOSED_DAYS: i64 = 30;

/// The board of a pipeline within the caller's scope: open deals by stage,
/// and those won or lost in the last 30 days.
#[utoipa::path(get, path = "/api/v1/opportunities/board", tag = "opportunities", params(BoardQuery),
    responses(
        (status = 200, description = "The board", body = Board),
        (status = 400, description = "A filter is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn board(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<BoardQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let mut f = filter_of(&auth, q.pipeline_id, q.owner_id, q.q)?;
    let read = scope(&auth, Action::Read);
    let b = db::run(&state.pool, move |c| {
        let pid = match &f.pipeline_id {
            Some(p) => p.clone(),
            None => pipelines::default_id(c)?.ok_or_else(|| ApiError::not_found("pipeline"))?,
        };
        let p = pipelines::get(c, &pid)?.ok_or_else(|| ApiError::not_found("pipeline"))?;
        f.pipeline_id = Some(pid);
        f.closed_since = Some(today(c, &auth)?.add_days(-CLOSED_DAYS).to_string());
        let sums = store::stage_sums(c, &read, &f)?;
        let mut columns = Vec::new();
        for s in &p.stages {
            let mut cf = f.clone();
            cf.stage_id = Some(s.row.id.clone());
            let items = store::list(c, &read, &cf, None, PER_COLUMN)?;
            let mine: Vec<_> = sums.iter().filter(|x| x.0 == s.row.id).collect();
            columns.push(BoardColumn {
                stage_id: s.row.id.clone(),
                count: mine.iter().map(|x| x.2).sum(),
                sums: mine
                    .iter()
                    .map(|x| CurrencySum {
                        currency: x.1.clone(),
                        amount_minor: x.3,
                        weighted_minor: x.4,
                    })
                    .collect(),
                items: items.into_iter().map(out).collect(),
            });
        }
        Ok::<_, ApiError>(Board {
            pipeline: pipeline_out(&p),
            columns,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(b))
}
