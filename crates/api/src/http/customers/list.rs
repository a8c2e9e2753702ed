//! Listing customers: filters, search, sort and cursor paging over the caller's scope.

use super::Scoped;
use crate::auth::Auth;
use crate::db;
use crate::error::ApiError;
use crate::http::cursor;
use crate::http::extract::{check_query_text, id, non_empty};
use crate::http::wire::customers::CustomerPage;
use crate::repo;
use crate::repo::customers::{
    self as store, After, CursorValue, CustomerFilter, OwnerFilter, Sort, SortKey,
};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDateTime};
use kehu_domain::access::Action;
use kehu_domain::customer::LifecycleStage;
use kehu_domain::paging::Limit;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page (same `sort` and filters).
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
    /// `updated_at`, `created_at` or `name`, with `-` for descending. Default `-updated_at`.
    #[param(pattern = "^(-?(updated_at|created_at|name))?$")]
    pub sort: Option<String>,
    /// Text search in name, phone numbers and e-mail addresses (Chinese included).
    #[param(pattern = "^[^\\x00]*$", max_length = 100)]
    pub q: Option<String>,
    /// `me`, `none` (the company pool) or a user id.
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub owner: Option<String>,
    #[param(pattern = "^[^\\x00]*$", max_length = 64)]
    pub team_id: Option<String>,
    /// A region; customers of the regions below it are included.
    #[param(pattern = "^[^\\x00]*$", max_length = 64)]
    pub region_id: Option<String>,
    /// Lifecycle stage: prospect, interested, customer, vip, churned.
    #[param(pattern = "^(prospect|interested|customer|vip|churned)?$")]
    pub stage: Option<String>,
    #[param(pattern = "^[^\\x00]*$", max_length = 100)]
    pub industry: Option<String>,
    #[param(pattern = "^[^\\x00]*$", max_length = 50)]
    pub tag: Option<String>,
    /// Only customers changed at or after this time (RFC 3339).
    #[param(format = DateTime)]
    pub updated_since: Option<String>,
    /// Also count all matching customers (costs a second query).
    pub include_total: Option<bool>,
    /// List the trash (deleted customers) instead.
    pub deleted: Option<bool>,
}

fn parse_sort(raw: Option<&str>) -> Result<(Sort, &'static str), ApiError> {
    let s = raw.unwrap_or("-updated_at");
    let (desc, key) = match s.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, s),
    };
    let key = match key {
        "updated_at" => SortKey::UpdatedAt,
        "created_at" => SortKey::CreatedAt,
        "name" => SortKey::Name,
        _ => {
            return Err(ApiError::bad_field(
                "sort",
                "invalid_choice",
                "must be one of: updated_at, created_at, name, each optionally with a leading -",
            ));
        }
    };
    let name = match (key, desc) {
        (SortKey::UpdatedAt, true) => "-updated_at",
        (SortKey::UpdatedAt, false) => "updated_at",
        (SortKey::CreatedAt, true) => "-created_at",
        (SortKey::CreatedAt, false) => "created_at",
        (SortKey::Name, true) => "-name",
        (SortKey::Name, false) => "name",
    };
    Ok((Sort { key, desc }, name))
}

fn parse_time(field: &str, s: &str) -> Result<NaiveDateTime, ApiError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.naive_utc())
        .map_err(|_| {
            ApiError::bad_field(
                field,
                "invalid_time",
                "must be an RFC 3339 time like 2026-11-23T08:00:00Z",
            )
        })
}

fn cursor_value(sort: Sort, r: &store::CustomerRecord) -> String {
    match sort.key {
        SortKey::UpdatedAt => db::to_utc(r.row.updated_at).to_rfc3339(),
        SortKey::CreatedAt => db::to_utc(r.row.created_at).to_rfc3339(),
        SortKey::Name => r.row.name.clone(),
    }
}

/// The filters of a customer list or export, as sent.
pub(super) struct RawFilter {
    pub owner: Option<String>,
    pub team_id: Option<String>,
    pub region_id: Option<String>,
    pub stage: Option<String>,
    pub industry: Option<String>,
    pub tag: Option<String>,
    pub updated_since: Option<String>,
    pub q: Option<String>,
}

/// Parses the filters; the region comes back apart, to be widened to its
/// sub-regions with [`resolve_region`] on a connection.
pub(super) fn parse_filter(
    auth: &Auth,
    raw: RawFilter,
    deleted: bool,
) -> Result<(CustomerFilter, Option<String>), ApiError> {
    // owner, stage and sort have a fixed form: exactly that, or empty for none
    let owner = match non_empty(raw.owner).as_deref() {
        None => None,
        Some("none") => Some(OwnerFilter::Pool),
        Some("me") => Some(OwnerFilter::User(auth.user_id().to_owned())),
        Some(other) => Some(OwnerFilter::User(id(other).map_err(|_| {
            ApiError::bad_field("owner", "invalid_id", "must be me, none or a user id")
        })?)),
    };
    let stage = match non_empty(raw.stage) {
        None => None,
        Some(s) => Some(
            LifecycleStage::parse(&s)
                .ok_or_else(|| {
                    ApiError::bad_field(
                        "stage",
                        "invalid_choice",
                        "must be one of: prospect, interested, customer, vip, churned",
                    )
                })?
                .as_str()
                .to_owned(),
        ),
    };
    let region = check_query_text("region_id", &raw.region_id, 64)?;
    let filter = CustomerFilter {
        owner,
        team_id: check_query_text("team_id", &raw.team_id, 64)?,
        region_ids: None,
        stage,
        industry: check_query_text("industry", &raw.industry, 100)?,
        tag: check_query_text("tag", &raw.tag, 50)?,
        updated_since: raw
            .updated_since
            .as_deref()
            .map(|s| parse_time("updated_since", s))
            .transpose()?,
        q: check_query_text("q", &raw.q, 100)?.map(|s| s.to_lowercase()),
        deleted,
    };
    Ok((filter, region))
}

/// Widens a region filter to the region and every region below it.
pub(super) fn resolve_region(
    c: &mut crate::db::DbConnection,
    filter: &mut CustomerFilter,
    region: Option<String>,
) -> diesel::QueryResult<()> {
    if let Some(r) = region {
        let tree = repo::principal::tree(c, "region")?;
        filter.region_ids = Some(
            kehu_domain::org::with_descendants([r.as_str()], &tree)
                .into_iter()
                .collect(),
        );
    }
    Ok(())
}

/// List the customers the caller may see.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(CustomerQuery),
    responses((status = 200, description = "A page of customers", body = CustomerPage)))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<CustomerQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut q = q.into_inner();
    q.cursor = non_empty(q.cursor);
    q.sort = non_empty(q.sort);
    let deleted = q.deleted.unwrap_or(false);
    // the trash is for those who may delete (and so restore)
    let scoped = Scoped::new(
        &auth,
        if deleted {
            Action::Delete
        } else {
            Action::Read
        },
    );
    let limit = Limit::parse(q.limit)?.get() as i64;
    let (sort, sort_name) = parse_sort(q.sort.as_deref())?;
    let after = match q.cursor.as_deref() {
        None => None,
        Some(c) => {
            let (v, id) = cursor::decode_keyed(c, sort_name)?;
            let value = match sort.key {
                SortKey::Name => CursorValue::Text(v),
                _ => CursorValue::Time(parse_time("cursor", &v)?),
            };
            Some(After { value, id })
        }
    };
    let (mut filter, region) = parse_filter(
        &auth,
        RawFilter {
            owner: q.owner,
            team_id: q.team_id,
            region_id: q.region_id,
            stage: q.stage,
            industry: q.industry,
            tag: q.tag,
            updated_since: q.updated_since,
            q: q.q,
        },
        deleted,
    )?;
    let include_total = q.include_total.unwrap_or(false);
    let (mut rows, total) = db::run(&state.pool, move |c| {
        resolve_region(c, &mut filter, region)?;
        let rows = store::list(
            c,
            scoped.predicate(),
            &filter,
            sort,
            after.as_ref(),
            limit + 1,
        )?;
        let total = if include_total {
            Some(store::count(c, scoped.predicate(), &filter)?)
        } else {
            None
        };
        Ok((rows, total))
    })
    .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| cursor::encode_keyed(sort_name, &cursor_value(sort, r), &r.row.id))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(CustomerPage {
        data: rows.into_iter().map(Into::into).collect(),
        next_cursor,
        total,
    }))
}
