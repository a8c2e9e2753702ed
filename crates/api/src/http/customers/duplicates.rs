//! Duplicate checks on create and edit, and the duplicates report.

use super::Scoped;
use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::http::wire::duplicates::{
    DuplicateGroupOut, DuplicateMember, DuplicateReport, DuplicatesOut, HiddenDuplicate, MatchedOn,
    Person, VisibleDuplicate,
};
use crate::repo::customers::dedup;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::Invalid;
use kehu_domain::access::Action;
use kehu_domain::dedup::{Keys, Match, OverrideReason};
use kehu_domain::paging::Limit;
use std::collections::HashSet;

/// The override a request carries, parsed: `None` when none was sent.
pub fn override_reason(raw: Option<String>) -> Result<Option<OverrideReason>, Invalid> {
    raw.map(|r| OverrideReason::parse("duplicate_reason", &r))
        .transpose()
}

/// Looks for live customers sharing a key in `keys` (other than `except`).
/// None found: `Ok(vec![])`. Found and no override: the 409 naming those the
/// caller may see and, for the others, only whom to ask. Found and an
/// override: their ids, for the record of the override.
pub fn check(
    c: &mut DbConnection,
    auth: &Auth,
    keys: &Keys,
    except: Option<&str>,
    reason: Option<&OverrideReason>,
) -> Result<Vec<String>, ApiError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let found = dedup::candidates(c, keys, except)?;
    if found.is_empty() || reason.is_some() {
        return Ok(found.into_iter().map(|(id, _)| id).collect());
    }
    let ids: Vec<String> = found.iter().map(|(id, _)| id.clone()).collect();
    let read = Scoped::new(auth, Action::Read);
    let visible = dedup::visible_of(c, &ids, read.cond())?;
    let owners = dedup::owners_of(c, &ids)?;
    let seen: HashSet<&str> = visible.iter().map(|v| v.id.as_str()).collect();
    let matched = |id: &str| -> Vec<MatchedOn> {
        found
            .iter()
            .find(|(f, _)| f == id)
            .map(|(_, m)| m.iter().copied().map(MatchedOn::from).collect())
            .unwrap_or_default()
    };
    let out = DuplicatesOut {
        visible: visible
            .iter()
            .map(|v| VisibleDuplicate {
                id: v.id.clone(),
                name: v.name.clone(),
                lifecycle_stage: v.lifecycle_stage.clone(),
                owner_name: owners.get(&v.id).cloned().flatten().map(|(n, _)| n),
                matched_on: matched(&v.id),
            })
            .collect(),
        hidden: found
            .iter()
            .filter(|(id, _)| !seen.contains(id.as_str()))
            .map(|(id, _)| HiddenDuplicate {
                matched_on: matched(id),
                ask: owners
                    .get(id)
                    .cloned()
                    .flatten()
                    .map(|(name, email)| Person { name, email }),
            })
            .collect(),
    };
    Err(ApiError::duplicate(out))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DuplicateReportQuery {
    /// 1 to 200, default 50 groups.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(max_length = 600)]
    pub after: Option<String>,
}

fn parse_after(raw: &str) -> Result<(String, String), ApiError> {
    raw.split_once(':')
        .filter(|(kind, key)| Match::parse(kind).is_some() && !key.is_empty() && raw.len() <= 600)
        .map(|(kind, key)| (kind.to_owned(), key.to_owned()))
        .ok_or_else(|| {
            ApiError::invalid(
                "after",
                "invalid_cursor",
                "must be the next_cursor of a previous page",
            )
        })
}

/// Likely duplicates among the customers the caller may see: groups of
/// customers sharing a normalised name, phone or e-mail. Administrators see
/// every customer, so this is their clean-up list.
#[utoipa::path(get, path = "/api/v1/customers/duplicates", tag = "customers",
    params(DuplicateReportQuery),
    responses(
        (status = 200, description = "Groups in (kind, key) order", body = DuplicateReport),
        (status = 422, description = "Invalid limit or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn report(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<DuplicateReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let limit = Limit::parse(q.limit)?.get() as i64;
    let after = q.after.as_deref().map(parse_after).transpose()?;
    let read = Scoped::new(&auth, Action::Read);
    let (groups, next, members, owners) = db::run(&state.pool, move |c| {
        let (groups, next) = dedup::report(c, || read.cond(), after, limit)?;
        let ids: Vec<String> = groups
            .iter()
            .flat_map(|g| g.customer_ids.iter().cloned())
            .collect();
        let members = dedup::visible_of(c, &ids, read.cond())?;
        let owners = dedup::owners_of(c, &ids)?;
        Ok::<_, ApiError>((groups, next, members, owners))
    })
    .await?;
    let next_cursor = next.map(|(kind, key)| format!("{kind}:{key}"));
    let data = groups
        .into_iter()
        .map(|g| DuplicateGroupOut {
            matched_on: g.kind.into(),
            customers: g
                .customer_ids
                .iter()
                .filter_map(|id| members.iter().find(|m| &m.id == id))
                .map(|m| DuplicateMember {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    lifecycle_stage: m.lifecycle_stage.clone(),
                    owner_name: owners.get(&m.id).cloned().flatten().map(|(n, _)| n),
                })
                .collect(),
            key: g.key,
        })
        .collect();
    Ok(HttpResponse::Ok().json(DuplicateReport { data, next_cursor }))
}
