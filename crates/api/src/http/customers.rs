//! Customers: the shared record of the company, seen through each user's scope.

use super::cursor;
use super::extract::{Body, IfMatch, OptionalIfMatch, check_query_text, etag, id, non_empty};
use super::idempotency::{self, Created, IdempotencyKey};
use super::org::stale;
use super::wire::customers::{CustomerCreate, CustomerOut, CustomerPage, CustomerUpdate};
use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::access_sql::{CustomerCondition, customer_condition};
use crate::repo::customers::{
    self as store, After, CursorValue, CustomerFilter, Liveness, OwnerFilter, Sort, SortKey,
    WriteOutcome,
};
use crate::repo::{self, org::UnitKind};
use crate::state::AppState;
use actix_web::{HttpResponse, http::header, web};
use chrono::{DateTime, NaiveDateTime};
use kehu_domain::FieldError;
use kehu_domain::access::{self, Action, Predicate, Resource};
use kehu_domain::customer::{Creator, Customer, LifecycleStage, RawCustomer};
use kehu_domain::error::Collector;
use kehu_domain::paging::Limit;
use serde::Deserialize;
use utoipa::IntoParams;

/// The caller's access condition for one action, rebuildable for each query.
pub struct Scoped(Predicate);

impl Scoped {
    pub fn new(auth: &Auth, action: Action) -> Self {
        Self(access::predicate(&auth.subject, Resource::Customer, action))
    }

    pub fn cond(&self) -> CustomerCondition {
        customer_condition(&self.0)
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page (same `sort` and filters).
    pub cursor: Option<String>,
    /// `updated_at`, `created_at` or `name`, with `-` for descending. Default `-updated_at`.
    pub sort: Option<String>,
    /// Text search in name, phone numbers and e-mail addresses (Chinese included).
    pub q: Option<String>,
    /// `me`, `none` (the company pool) or a user id.
    pub owner: Option<String>,
    pub team_id: Option<String>,
    /// A region; customers of the regions below it are included.
    pub region_id: Option<String>,
    /// Lifecycle stage: prospect, interested, customer, vip, churned.
    pub stage: Option<String>,
    pub industry: Option<String>,
    pub tag: Option<String>,
    /// Only customers changed at or after this time (RFC 3339).
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
    q.updated_since = non_empty(q.updated_since);
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
    let owner = match check_query_text("owner", &q.owner, 64)?.as_deref() {
        None => None,
        Some("none") => Some(OwnerFilter::Pool),
        Some("me") => Some(OwnerFilter::User(auth.user_id().to_owned())),
        Some(other) => Some(OwnerFilter::User(id(other).map_err(|_| {
            ApiError::bad_field("owner", "invalid_id", "must be me, none or a user id")
        })?)),
    };
    let stage = check_query_text("stage", &q.stage, 20)?;
    if let Some(s) = &stage
        && LifecycleStage::parse(s).is_none()
    {
        return Err(ApiError::bad_field(
            "stage",
            "invalid_choice",
            "must be one of: prospect, interested, customer, vip, churned",
        ));
    }
    let region = check_query_text("region_id", &q.region_id, 64)?;
    let mut filter = CustomerFilter {
        owner,
        team_id: check_query_text("team_id", &q.team_id, 64)?,
        region_ids: None,
        stage,
        industry: check_query_text("industry", &q.industry, 100)?,
        tag: check_query_text("tag", &q.tag, 50)?,
        updated_since: q
            .updated_since
            .as_deref()
            .map(|s| parse_time("updated_since", s))
            .transpose()?,
        q: check_query_text("q", &q.q, 100)?.map(|s| s.to_lowercase()),
        deleted,
    };
    let include_total = q.include_total.unwrap_or(false);
    let (mut rows, total) = db::run(&state.pool, move |c| {
        if let Some(r) = region {
            let tree = repo::principal::tree(c, "region")?;
            filter.region_ids = Some(
                kehu_domain::org::with_descendants([r.as_str()], &tree)
                    .into_iter()
                    .collect(),
            );
        }
        let rows = store::list(c, scoped.cond(), &filter, sort, after.as_ref(), limit + 1)?;
        let total = if include_total {
            Some(store::count(c, scoped.cond(), &filter)?)
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

/// Checks that the references a customer makes exist.
fn check_refs(c: &mut DbConnection, v: &Customer) -> Result<(), ApiError> {
    let mut col = Collector::new();
    let one = |x: &Option<String>| x.iter().cloned().collect::<Vec<_>>();
    for (field, kind, ids) in [
        ("region_id", UnitKind::Region, one(&v.region_id)),
        ("team_id", UnitKind::Team, one(&v.team_id)),
        ("partner_id", UnitKind::Partner, one(&v.partner_id)),
        (
            "product_line_ids",
            UnitKind::ProductLine,
            v.product_line_ids.clone(),
        ),
    ] {
        for m in repo::org::missing(c, kind, &ids)? {
            col.push(FieldError::new(
                field,
                "not_found",
                format!("no {} {m}", kind.label()),
            ));
        }
    }
    for m in repo::users::missing(c, &one(&v.owner_id))? {
        col.push(FieldError::new(
            "owner_id",
            "not_found",
            format!("no user {m}"),
        ));
    }
    Ok(col.finish()?)
}

fn out_of_reach(action: &str) -> ApiError {
    ApiError::forbidden(format!(
        "Your roles do not allow you to {action} a customer with this owner, region, product line or partner."
    ))
}

fn respond(status: actix_web::http::StatusCode, r: store::CustomerRecord) -> HttpResponse {
    let mut resp = HttpResponse::build(status);
    resp.insert_header(etag(r.row.version));
    if status == actix_web::http::StatusCode::CREATED {
        resp.insert_header((header::LOCATION, format!("/api/v1/customers/{}", r.row.id)));
    }
    resp.json(CustomerOut::from(r))
}

/// Create a customer.
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = CustomerCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create return the first answer instead of a duplicate")),
    responses(
        (status = 201, description = "Created", body = CustomerOut, headers(("ETag" = String, description = "Version"), ("Location" = String, description = "The new customer"))),
        (status = 403, description = "Owner, region or partner outside the caller's reach", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: Body<CustomerCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Customer, Action::Create)?;
    let creator = Creator {
        user_id: auth.user_id().to_owned(),
        team_id: auth.team_id.clone(),
        home_region_id: auth.own_region_ids.first().cloned(),
        partner_id: auth.subject.partner_id.clone(),
    };
    let Body(wire, digest) = body;
    let customer = Customer::create(RawCustomer::from(wire), &creator)?;
    let a = auth.clone();
    idempotency::once(&state, &auth, key, digest.0, move |c| {
        check_refs(c, &customer)?;
        let facts = store::facts_of(c, None, &customer)?;
        if !access::may(&a.subject, Resource::Customer, Action::Create, &facts) {
            return Err(out_of_reach("create"));
        }
        let r = store::insert(c, &db::new_id(), &customer, a.user_id(), db::now())?;
        let location = format!("/api/v1/customers/{}", r.row.id);
        Ok(Created {
            body: serde_json::to_value(CustomerOut::from(r))
                .map_err(|e| ApiError::internal(e.to_string()))?,
            location,
        })
    })
    .await
}

/// Get a customer.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Found", body = CustomerOut, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let read = Scoped::new(&auth, Action::Read);
    let r = db::run(&state.pool, move |c| {
        store::get(c, &cid, read.cond(), Liveness::Live)?
            .ok_or_else(|| ApiError::not_found("customer"))
    })
    .await?;
    Ok(respond(actix_web::http::StatusCode::OK, r))
}

/// Loads a visible customer and checks the caller may also `action` it.
pub fn load_for(
    c: &mut DbConnection,
    auth: &Auth,
    cid: &str,
    action: Action,
    l: Liveness,
) -> Result<store::CustomerRecord, ApiError> {
    let read = Scoped::new(
        auth,
        if l == Liveness::Deleted {
            Action::Delete
        } else {
            Action::Read
        },
    );
    let cur = store::get(c, cid, read.cond(), l)?.ok_or_else(|| ApiError::not_found("customer"))?;
    let facts = store::facts_of(c, Some(cid), &cur.to_domain())?;
    if !access::may(&auth.subject, Resource::Customer, action, &facts) {
        return Err(ApiError::forbidden(format!(
            "Your roles do not allow you to {} this customer.",
            action.as_str()
        )));
    }
    Ok(cur)
}

/// Change a customer. Send the ETag of your last read in If-Match.
#[utoipa::path(patch, path = "/api/v1/customers/{id}", tag = "customers", request_body = CustomerUpdate,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Updated", body = CustomerOut, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible but not editable, or the change moves it out of reach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<CustomerUpdate>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let raw = RawCustomer::from(body.0);
    let r = db::run(&state.pool, move |c| {
        let cur = load_for(c, &auth, &cid, Action::Update, Liveness::Live)?;
        let expected = if_match.against(cur.row.version);
        if cur.row.version != expected {
            return Err(stale(cur.row.version));
        }
        let next = cur.to_domain().patch(raw)?;
        check_refs(c, &next)?;
        let facts = store::facts_of(c, Some(&cid), &next)?;
        if !access::may(&auth.subject, Resource::Customer, Action::Update, &facts) {
            return Err(out_of_reach("move"));
        }
        let upd = Scoped::new(&auth, Action::Update);
        match store::update(
            c,
            &cid,
            (if_match.0 != IfMatch::ANY).then_some(expected),
            &next,
            || upd.cond(),
            auth.user_id(),
            db::now(),
        )? {
            WriteOutcome::Done(r) => Ok(r),
            WriteOutcome::Stale(v) => Err(stale(v)),
            WriteOutcome::NotFound => Err(ApiError::not_found("customer")),
        }
    })
    .await?;
    Ok(respond(actix_web::http::StatusCode::OK, r))
}

async fn set_deleted(
    state: web::Data<AppState>,
    auth: Auth,
    cid: String,
    to_trash: bool,
    expected: Option<i64>,
) -> Result<store::CustomerRecord, ApiError> {
    db::run(&state.pool, move |c| {
        let from = if to_trash {
            Liveness::Live
        } else {
            Liveness::Deleted
        };
        load_for(c, &auth, &cid, Action::Delete, from)?;
        let del = Scoped::new(&auth, Action::Delete);
        match store::set_deleted(
            c,
            &cid,
            to_trash,
            expected,
            || del.cond(),
            auth.user_id(),
            db::now(),
        )? {
            WriteOutcome::Done(r) => Ok(r),
            WriteOutcome::Stale(v) => Err(stale(v)),
            WriteOutcome::NotFound => Err(ApiError::not_found("customer")),
        }
    })
    .await
}

/// Move a customer to the trash (restorable).
#[utoipa::path(delete, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "Optional: only delete this version")),
    responses(
        (status = 204, description = "In the trash"),
        (status = 403, description = "Visible but the caller may not delete it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: OptionalIfMatch,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    set_deleted(state, auth, cid, true, if_match.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Restore a customer from the trash.
#[utoipa::path(post, path = "/api/v1/customers/{id}/restore", tag = "customers", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Restored", body = CustomerOut, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "Not in the trash, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn restore(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let r = set_deleted(state, auth, cid, false, None).await?;
    Ok(respond(actix_web::http::StatusCode::OK, r))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/customers")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/customers/{id}")
            .default_service(crate::http::allow("GET, PATCH, DELETE"))
            .route(web::get().to(get))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    )
    .service(
        web::resource("/customers/{id}/restore")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(restore)),
    );
}
