//! Opportunities (商机): deals through the funnel. Read and written under
//! the caller's opportunity scope, checked in SQL; hidden deals are 404,
//! visible ones the caller may not change 403.

use super::cursor;
use super::customers::changed_by;
use super::extract::{Body, IfMatch, check_query_text, etag, id, non_empty, opt_id};
use super::idempotency::{self, Created, IdempotencyKey};
use super::org::stale;
use super::wire::opportunities::*;
use super::wire::time;
use crate::auth::{Auth, Via};
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::access_sql::{OpportunityCondition, opportunity_condition};
use crate::repo::opportunities::{
    self as store, Author, NewOpportunity, OpportunityFilter, OpportunityRecord, OpportunityRow,
};
use crate::repo::pipelines::{self, PipelineRecord, StageRecord};
use crate::repo::{self, org::UnitKind};
use crate::state::AppState;
use crate::zone;
use actix_web::{HttpResponse, http::StatusCode, web};
use kehu_domain::FieldError;
use kehu_domain::access::{self, Action, Predicate, Resource};
use kehu_domain::date::Date;
use kehu_domain::error::Collector;
use kehu_domain::opportunity::{self as deal, RawOpportunity, Status, Terms};
use kehu_domain::paging::Limit;
use kehu_domain::pipeline::{self, MoveRefused, Probability, StageKind};
use kehu_domain::text;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use utoipa::IntoParams;

pub mod board;
pub mod close;
pub mod competitors;
pub mod setup;

/// The caller's scope over deals for one action.
pub(crate) fn scope(auth: &Auth, action: Action) -> Predicate {
    access::predicate(&auth.subject, Resource::Opportunity, action)
}

pub(crate) fn cond(auth: &Auth, action: Action) -> OpportunityCondition {
    opportunity_condition(&scope(auth, action))
}

pub(crate) fn author(auth: &Auth) -> Author<'_> {
    Author {
        user_id: Some(auth.user_id()),
        api_key_id: match &auth.via {
            Via::ApiKey { id } => Some(id),
            Via::Session => None,
        },
    }
}

/// The deal, if the caller may see it.
pub(crate) fn visible(
    c: &mut DbConnection,
    auth: &Auth,
    oid: &str,
) -> Result<OpportunityRecord, ApiError> {
    store::get(c, oid, cond(auth, Action::Read))?.ok_or_else(|| ApiError::not_found("opportunity"))
}

/// The deal, if the caller may change it: 404 when hidden, 403 when only visible.
pub(crate) fn changeable(
    c: &mut DbConnection,
    auth: &Auth,
    oid: &str,
    if_match: &IfMatch,
) -> Result<OpportunityRecord, ApiError> {
    let cur = visible(c, auth, oid)?;
    if !store::allows(c, oid, cond(auth, Action::Update))? {
        return Err(ApiError::forbidden(
            "Your roles do not allow you to change this opportunity.",
        ));
    }
    let expected = if_match.against(cur.row.version);
    if cur.row.version != expected {
        return Err(stale(cur.row.version));
    }
    Ok(cur)
}

/// After a write that may have moved the deal (a new owner, region or
/// product line): the caller must still be allowed to change it, or the
/// write is refused and rolled back.
pub(crate) fn still_in_reach(c: &mut DbConnection, auth: &Auth, oid: &str) -> Result<(), ApiError> {
    if store::allows(c, oid, cond(auth, Action::Update))? {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "Your roles do not allow you to give an opportunity this owner, region or product line.",
        ))
    }
}

/// Recomputes what a deal counts with from its stage and values.
pub(crate) fn derive(row: &mut OpportunityRow, stage: &StageRecord) {
    let status = Status::parse(&row.status).unwrap_or(Status::Open);
    let over = row
        .probability_override
        .and_then(|p| Probability::new(i64::from(p)));
    let (p, category) =
        deal::effective(status, stage.row.probability(), stage.row.category(), over);
    row.probability = p.percent() as i32;
    row.forecast_category = category.as_str().to_owned();
    row.weighted_minor = pipeline::weighted(row.amount_minor, p);
    row.forecast_on = match status {
        Status::Open => row.expected_close_on.clone(),
        _ => row
            .closed_on
            .clone()
            .unwrap_or_else(|| row.expected_close_on.clone()),
    };
}

pub(crate) fn out(r: OpportunityRecord) -> OpportunityOut {
    let row = r.row;
    OpportunityOut {
        probability_overridden: row.probability_override.is_some(),
        id: row.id,
        name: row.name,
        customer_id: row.customer_id,
        customer_name: r.customer_name,
        pipeline_id: row.pipeline_id,
        stage_id: row.stage_id,
        stage_name: r.stage_name,
        status: row.status,
        owner_id: row.owner_id,
        owner_name: r.owner_name,
        team_id: row.team_id,
        region_id: row.region_id,
        product_line_id: row.product_line_id,
        amount_minor: row.amount_minor,
        currency: row.currency,
        weighted_minor: row.weighted_minor,
        probability: row.probability,
        forecast_category: row.forecast_category,
        expected_close_on: row.expected_close_on,
        source_lead_id: row.source_lead_id,
        campaign: row.campaign,
        contact_ids: r.contact_ids,
        stage_entered_at: time(row.stage_entered_at),
        closed_on: row.closed_on,
        loss_reason_id: row.loss_reason_id,
        lost_to_competitor_id: row.lost_to_competitor_id,
        close_notes: row.close_notes,
        created_at: time(row.created_at),
        updated_at: time(row.updated_at),
        version: row.version,
    }
}

pub(crate) fn pipeline_out(p: &PipelineRecord) -> PipelineOut {
    PipelineOut {
        id: p.row.id.clone(),
        name: p.row.name.clone(),
        team_id: p.row.team_id.clone(),
        product_line_id: p.row.product_line_id.clone(),
        is_default: p.row.is_default,
        version: p.row.version,
        stages: p
            .stages
            .iter()
            .map(|s| StageOut {
                id: s.row.id.clone(),
                key: s.row.stage_key.clone(),
                name: s.row.name.clone(),
                position: s.row.position,
                kind: s.row.kind.clone(),
                probability: s.row.probability,
                forecast_category: s.row.forecast_category.clone(),
                stale_after_days: s.row.stale_after_days,
                checklist: s
                    .items
                    .iter()
                    .map(|i| ChecklistItemOut {
                        id: i.id.clone(),
                        label: i.label.clone(),
                        required: i.required,
                        position: i.position,
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub(crate) fn pipeline_of(c: &mut DbConnection, id: &str) -> Result<PipelineRecord, ApiError> {
    pipelines::get(c, id)?
        .ok_or_else(|| ApiError::internal(format!("pipeline {id} of a deal is missing")))
}

/// The caller's day in their zone: close dates are days where they are.
pub(crate) fn today(c: &mut DbConnection, auth: &Auth) -> Result<Date, ApiError> {
    let tz = zone::of_user(c, auth.user_id())?;
    Ok(zone::today(tz, chrono::Utc::now().timestamp()))
}

/// Everything the deal page shows, and what the caller may do.
pub(crate) fn detail(
    c: &mut DbConnection,
    auth: &Auth,
    r: OpportunityRecord,
) -> Result<OpportunityDetail, ApiError> {
    let oid = r.row.id.clone();
    let p = pipeline_of(c, &r.row.pipeline_id)?;
    let ticks = store::ticks(c, &oid)?;
    let stays = store::history(c, &oid)?;
    let comps = store::competitors_of(c, &oid)?;
    let cacts = store::competitor_activities(c, &oid)?;
    let contacts = store::contact_names(c, &r.contact_ids)?;
    let mut people: Vec<String> = ticks.iter().filter_map(|t| t.2.clone()).collect();
    people.extend(stays.iter().filter_map(|s| s.by_user_id.clone()));
    people.extend(cacts.iter().filter_map(|a| a.4.clone()));
    let names = store::user_names(c, &people)?;
    let mut stage_ids: Vec<String> = stays.iter().map(|s| s.stage_id.clone()).collect();
    stage_ids.extend(stays.iter().filter_map(|s| s.from_stage_id.clone()));
    let stage_names: HashMap<String, String> =
        pipelines::stage_names(c, &stage_ids)?.into_iter().collect();
    let now = db::now();
    let checklist = p
        .stages
        .iter()
        .flat_map(|s| s.items.iter())
        .map(|i| {
            let t = ticks.iter().find(|t| t.0 == i.id);
            DealChecklistItem {
                item_id: i.id.clone(),
                stage_id: i.stage_id.clone(),
                label: i.label.clone(),
                required: i.required,
                done_at: t.map(|t| time(t.1)),
                done_by_id: t.and_then(|t| t.2.clone()),
                done_by_name: t
                    .and_then(|t| t.2.as_ref())
                    .and_then(|u| names.get(u).cloned()),
            }
        })
        .collect();
    let micros = crate::repo::activities::micros;
    let history = stays
        .into_iter()
        .map(|s| StageStay {
            from_stage_name: s
                .from_stage_id
                .as_ref()
                .and_then(|f| stage_names.get(f).cloned()),
            from_stage_id: s.from_stage_id,
            stage_name: stage_names.get(&s.stage_id).cloned().unwrap_or_default(),
            stage_id: s.stage_id,
            entered_at: time(s.entered_at),
            left_at: s.left_at.map(time),
            seconds_in_stage: deal::seconds_in_stage(
                micros(s.entered_at),
                s.left_at.map(micros),
                micros(now),
            ),
            by_name: s.by_user_id.as_ref().and_then(|u| names.get(u).cloned()),
            by_id: s.by_user_id,
        })
        .collect();
    let competitors = comps
        .into_iter()
        .map(|k| DealCompetitorOut {
            activities: cacts
                .iter()
                .filter(|a| a.1 == k.competitor_id)
                .map(|a| CompetitorActivityOut {
                    id: a.0.clone(),
                    happened_on: a.2.clone(),
                    note: a.3.clone(),
                    by_name: a.4.as_ref().and_then(|u| names.get(u).cloned()),
                    created_at: time(a.5),
                })
                .collect(),
            competitor_id: k.competitor_id,
            name: k.name,
            strengths: k.strengths,
            weaknesses: k.weaknesses,
            status: k.status,
        })
        .collect();
    let update = store::allows(c, &oid, cond(auth, Action::Update))?;
    let status = Status::parse(&r.row.status).unwrap_or(Status::Open);
    let closed_on = r
        .row
        .closed_on
        .as_deref()
        .and_then(|d| Date::parse("closed_on", d).ok());
    let reopen = update
        && status != Status::Open
        && deal::may_reopen(status, closed_on, today(c, auth)?).is_ok();
    Ok(OpportunityDetail {
        deal: out(r),
        checklist,
        history,
        competitors,
        contacts: contacts
            .into_iter()
            .map(|(id, name)| ContactRef { id, name })
            .collect(),
        allowed: DealAllowed {
            update,
            close: update && status == Status::Open,
            reopen,
        },
    })
}

pub(crate) fn reply(status: StatusCode, d: OpportunityDetail) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(etag(d.deal.version))
        .json(d)
}

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

/// The ids a body names, checked: each must be an id, reported by place.
fn ids_of(c: &mut Collector, field: &str, ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, k) in ids.iter().enumerate() {
        match id(k) {
            Ok(k) if !out.contains(&k) => out.push(k),
            Ok(_) => {}
            Err(_) => c.push(FieldError::new(
                format!("{field}[{i}]"),
                "not_found",
                "no such record",
            )),
        }
    }
    out
}

/// Checks the org units and people a deal names.
fn check_refs(c: &mut DbConnection, row: &OpportunityRow) -> Result<(), ApiError> {
    let mut col = Collector::new();
    let one = |x: &Option<String>| x.iter().cloned().collect::<Vec<_>>();
    repo::org::check_refs(
        c,
        &mut col,
        [
            ("region_id", UnitKind::Region, one(&row.region_id)),
            ("team_id", UnitKind::Team, one(&row.team_id)),
            (
                "product_line_id",
                UnitKind::ProductLine,
                one(&row.product_line_id),
            ),
        ],
    )?;
    for m in repo::users::missing(c, std::slice::from_ref(&row.owner_id))? {
        col.push(FieldError::new(
            "owner_id",
            "not_found",
            format!("no user {m}"),
        ));
    }
    Ok(col.finish()?)
}

/// Create a deal with a customer the caller can see.
#[utoipa::path(post, path = "/api/v1/opportunities", tag = "opportunities", request_body = OpportunityCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create return the first answer instead of a duplicate")),
    responses(
        (status = 201, description = "Created", body = OpportunityDetail, headers(("ETag" = String, description = "Version"), ("Location" = String, description = "The new deal"))),
        (status = 403, description = "The caller may not create deals, or not with this owner, region or product line", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, e.g. an unknown customer or a stage of another pipeline", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: Body<OpportunityCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Opportunity, Action::Create)?;
    let Body(w, digest) = body;
    let mut col = Collector::new();
    let terms = col.take(Terms::create(RawOpportunity {
        name: w.name.clone(),
        amount_minor: w.amount_minor,
        currency: w.currency.clone(),
        expected_close_on: w.expected_close_on.clone(),
        probability: w.probability.map(Some),
        campaign: w.campaign.clone().map(Some),
    }));
    let cid = match w.customer_id.as_deref().map(id) {
        None => {
            col.push(FieldError::new("customer_id", "required", "is required"));
            None
        }
        Some(Err(_)) => {
            col.push(FieldError::new(
                "customer_id",
                "not_found",
                "no such customer",
            ));
            None
        }
        Some(Ok(k)) => Some(k),
    };
    let contact_ids = ids_of(&mut col, "contact_ids", &w.contact_ids);
    col.finish()?;
    let (terms, cid) = (terms.expect("checked"), cid.expect("checked"));
    let a = auth.clone();
    idempotency::once(&state, &auth, key, digest.0, move |c| {
        let oid = db::new_id();
        db::write_tx(c, |c| {
            let cust = crate::repo::customers::get(
                c,
                &cid,
                super::customers::Scoped::new(&a, Action::Read).cond(),
                crate::repo::customers::Liveness::Live,
            )?
            .ok_or_else(|| ApiError::invalid("customer_id", "not_found", "no such customer"))?;
            let owner_id = match w.owner_id.as_deref().map(str::trim) {
                None | Some("") => a.user_id().to_owned(),
                Some(o) => o.to_owned(),
            };
            let owner_team = store::team_of(c, &owner_id)?;
            let team_id = non_empty(w.team_id.clone()).or(owner_team);
            let region_id = non_empty(w.region_id.clone()).or(cust.row.region_id.clone());
            let product_line_id = non_empty(w.product_line_id.clone()).or_else(|| {
                (cust.product_line_ids.len() == 1).then(|| cust.product_line_ids[0].clone())
            });
            let pid = match non_empty(w.pipeline_id.clone()) {
                Some(p) => p,
                None => pipelines::for_deal(c, product_line_id.as_deref(), team_id.as_deref())?
                    .ok_or_else(|| ApiError::internal("no default pipeline"))?,
            };
            let p = pipelines::get(c, &pid)?
                .ok_or_else(|| ApiError::invalid("pipeline_id", "not_found", "no such pipeline"))?;
            let stage = match non_empty(w.stage_id.clone()) {
                None => p.first_open(),
                Some(s) => Some(p.stage(&s).filter(|s| s.row.kind() == StageKind::Open).ok_or_else(
                    || {
                        ApiError::invalid(
                            "stage_id",
                            "not_found",
                            "must be an open stage of the pipeline; close a deal to win or lose it",
                        )
                    },
                )?),
            }
            .ok_or_else(|| ApiError::internal("a pipeline without an open stage"))?
            .clone();
            let missing = store::foreign_contacts(c, &cid, &contact_ids)?;
            if let Some(m) = missing.first() {
                let i = contact_ids.iter().position(|k| k == m).unwrap_or(0);
                return Err(ApiError::invalid(
                    &format!("contact_ids[{i}]"),
                    "not_found",
                    "no such contact of this customer",
                ));
            }
            let now = db::now();
            let mut row = OpportunityRow {
                id: oid.clone(),
                name: terms.name.clone(),
                customer_id: cid.clone(),
                pipeline_id: p.row.id.clone(),
                stage_id: stage.row.id.clone(),
                status: Status::Open.as_str().to_owned(),
                owner_id,
                team_id,
                region_id,
                product_line_id,
                partner_id: cust.row.partner_id.clone(),
                amount_minor: terms.amount_minor,
                currency: terms.currency.as_str().to_owned(),
                expected_close_on: terms.expected_close_on.to_string(),
                probability: 0,
                probability_override: terms.probability_override.map(|p| p.percent() as i32),
                forecast_category: String::new(),
                weighted_minor: 0,
                forecast_on: String::new(),
                source_lead_id: non_empty(w.source_lead_id.clone()),
                campaign: terms.campaign.clone(),
                stage_entered_at: now,
                closed_on: None,
                closed_at: None,
                loss_reason_id: None,
                lost_to_competitor_id: None,
                close_notes: None,
                created_by: Some(a.user_id().to_owned()),
                api_key_id: author(&a).api_key_id.map(str::to_owned),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            derive(&mut row, &stage);
            check_refs(c, &row)?;
            store::insert(
                c,
                &NewOpportunity {
                    row: &row,
                    contact_ids: &contact_ids,
                    by: author(&a),
                },
            )?;
            if !store::allows(c, &oid, cond(&a, Action::Create))? {
                return Err(ApiError::forbidden(
                    "Your roles do not allow you to create an opportunity with this owner, region or product line.",
                ));
            }
            Ok::<_, ApiError>(())
        })?;
        let r = visible(c, &a, &oid)?;
        let d = detail(c, &a, r)?;
        Ok(Created {
            body: serde_json::to_value(d).map_err(|e| ApiError::internal(e.to_string()))?,
            location: format!("/api/v1/opportunities/{oid}"),
        })
    })
    .await
}

/// Get a deal with its checklist, history and competitors.
#[utoipa::path(get, path = "/api/v1/opportunities/{id}", tag = "opportunities", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Found", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such deal, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let oid = id(&path)?;
    let d = db::run(&state.pool, move |c| {
        let r = visible(c, &auth, &oid)?;
        detail(c, &auth, r)
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}

/// Saves a changed row in a transaction that also runs `then`, and answers
/// with the deal as it is now.
pub(crate) fn save_and_answer(
    c: &mut DbConnection,
    auth: &Auth,
    cur: &OpportunityRecord,
    next: &OpportunityRow,
    then: impl FnOnce(&mut DbConnection) -> Result<(), ApiError>,
) -> Result<OpportunityDetail, ApiError> {
    db::write_tx(c, |c| {
        if !store::save(c, next, cur.row.version)? {
            let v = store::get(c, &cur.row.id, cond(auth, Action::Read))?
                .map_or(cur.row.version, |r| r.row.version);
            return Err(stale(v));
        }
        then(c)?;
        still_in_reach(c, auth, &cur.row.id)
    })?;
    let r = visible(c, auth, &cur.row.id)?;
    detail(c, auth, r)
}

/// Change a deal's values: amount, close date, probability (`null`: the
/// stage's again), owner, contacts, team, region, product line.
#[utoipa::path(patch, path = "/api/v1/opportunities/{id}", tag = "opportunities", request_body = OpportunityUpdate,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Updated", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it, or not give it these values", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<OpportunityUpdate>,
) -> Result<HttpResponse, ApiError> {
    let oid = id(&path)?;
    let w = body.0;
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        let r = &cur.row;
        let before = Terms {
            name: r.name.clone(),
            amount_minor: r.amount_minor,
            currency: deal::Currency::parse("currency", &r.currency)?,
            expected_close_on: Date::parse("expected_close_on", &r.expected_close_on)?,
            probability_override: r
                .probability_override
                .and_then(|p| Probability::new(i64::from(p))),
            campaign: r.campaign.clone(),
        };
        let mut col = Collector::new();
        let terms = col.take(before.patch(RawOpportunity {
            name: w.name.clone(),
            amount_minor: w.amount_minor,
            currency: w.currency.clone(),
            expected_close_on: w.expected_close_on.clone(),
            probability: w.probability,
            campaign: w.campaign.clone(),
        }));
        let contact_ids = w
            .contact_ids
            .as_ref()
            .map(|ids| ids_of(&mut col, "contact_ids", ids));
        if w.owner_id.as_deref().is_some_and(|o| o.trim().is_empty()) {
            col.push(FieldError::new("owner_id", "required", "must not be empty"));
        }
        col.finish()?;
        let terms = terms.expect("checked");
        let mut next = r.clone();
        next.name = terms.name;
        next.amount_minor = terms.amount_minor;
        next.currency = terms.currency.as_str().to_owned();
        next.expected_close_on = terms.expected_close_on.to_string();
        next.probability_override = terms.probability_override.map(|p| p.percent() as i32);
        next.campaign = terms.campaign;
        if let Some(o) = &w.owner_id {
            next.owner_id = o.trim().to_owned();
        }
        let opt = |x: &Option<Option<String>>, cur: &Option<String>| match x {
            None => cur.clone(),
            Some(v) => v.clone().filter(|s| !s.trim().is_empty()),
        };
        next.team_id = opt(&w.team_id, &r.team_id);
        next.region_id = opt(&w.region_id, &r.region_id);
        next.product_line_id = opt(&w.product_line_id, &r.product_line_id);
        next.updated_at = db::now();
        let p = pipeline_of(c, &r.pipeline_id)?;
        if let Some(stage) = p.stage(&r.stage_id) {
            derive(&mut next, stage);
        }
        check_refs(c, &next)?;
        if let Some(ids) = &contact_ids {
            let missing = store::foreign_contacts(c, &r.customer_id, ids)?;
            if let Some(m) = missing.first() {
                let i = ids.iter().position(|k| k == m).unwrap_or(0);
                return Err(ApiError::invalid(
                    &format!("contact_ids[{i}]"),
                    "not_found",
                    "no such contact of this customer",
                ));
            }
        }
        let oid2 = oid.clone();
        save_and_answer(c, &auth, &cur, &next, move |c| {
            if let Some(ids) = &contact_ids {
                store::set_contacts(c, &oid2, ids)?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}

/// Move a deal to another open stage. Forward needs the required checklist
/// items of every stage it leaves behind; back is always allowed. The
/// probability returns to the new stage's default.
#[utoipa::path(post, path = "/api/v1/opportunities/{id}/move", tag = "opportunities", request_body = MoveBody,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Moved", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The deal is closed; reopen it first", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an open stage of the deal's pipeline, or required checklist items are undone (one error per item, field `checklist.<item id>`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn move_stage(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<MoveBody>,
) -> Result<HttpResponse, ApiError> {
    let oid = id(&path)?;
    let to = non_empty(body.0.stage_id)
        .ok_or_else(|| ApiError::invalid("stage_id", "required", "is required"))?;
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        if cur.row.status != Status::Open.as_str() {
            return Err(ApiError::conflict_field(
                "stage_id",
                "already_closed",
                format!("the deal is {}; reopen it first", cur.row.status),
            ));
        }
        let p = pipeline_of(c, &cur.row.pipeline_id)?;
        let done: BTreeSet<String> = store::ticks(c, &oid)?.into_iter().map(|t| t.0).collect();
        match pipeline::check_move(&p.rules(), &cur.row.stage_id, &to, &done) {
            Ok(_) => {}
            Err(MoveRefused::UnknownStage) | Err(MoveRefused::ClosingStage) => {
                return Err(ApiError::invalid(
                    "stage_id",
                    "not_open_stage",
                    "must be an open stage of the deal's pipeline; close the deal to win or lose it",
                ));
            }
            Err(MoveRefused::SameStage) => {
                return Err(ApiError::invalid(
                    "stage_id",
                    "unchanged",
                    "the deal is already in this stage",
                ));
            }
            Err(MoveRefused::ChecklistIncomplete(items)) => {
                return Err(checklist_incomplete(&p, &items));
            }
        }
        let stage = p.stage(&to).expect("checked above").clone();
        let now = db::now();
        let mut next = cur.row.clone();
        next.stage_id = to.clone();
        next.stage_entered_at = now;
        next.probability_override = None;
        next.updated_at = now;
        derive(&mut next, &stage);
        let from = cur.row.stage_id.clone();
        let a = auth.clone();
        save_and_answer(c, &auth, &cur, &next, move |c| {
            store::enter_stage(c, &oid, Some(&from), &to, now, author(&a))?;
            Ok(())
        })
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}

/// Writes a part of the deal (a tick, a competitor) in a transaction that
/// also bumps the deal's version, so an ETag read before no longer
/// matches, and answers with the deal as it is now.
pub(crate) fn write_part(
    c: &mut DbConnection,
    auth: &Auth,
    cur: &OpportunityRecord,
    f: impl FnOnce(&mut DbConnection, chrono::NaiveDateTime) -> Result<(), ApiError>,
) -> Result<OpportunityDetail, ApiError> {
    let now = db::now();
    db::write_tx(c, |c| {
        if !store::touch(c, &cur.row.id, cur.row.version, now)? {
            return Err(stale(cur.row.version + 1));
        }
        f(c, now)
    })?;
    let r = visible(c, auth, &cur.row.id)?;
    detail(c, auth, r)
}

/// 422 naming each undone required item by its label and stage.
pub(crate) fn checklist_incomplete(p: &PipelineRecord, items: &[String]) -> ApiError {
    let errors: Vec<FieldError> = items
        .iter()
        .map(|i| {
            let (label, stage) = p
                .stages
                .iter()
                .find_map(|s| {
                    s.items
                        .iter()
                        .find(|x| &x.id == i)
                        .map(|x| (x.label.clone(), s.row.name.clone()))
                })
                .unwrap_or_default();
            FieldError::new(
                format!("checklist.{i}"),
                "checklist_incomplete",
                format!("“{label}” ({stage}) must be done first"),
            )
        })
        .collect();
    kehu_domain::Invalid(errors).into()
}

/// Tick or untick a checklist item of the deal's pipeline; who and when is recorded.
#[utoipa::path(put, path = "/api/v1/opportunities/{id}/checklist/{item_id}", tag = "opportunities", request_body = TickBody,
    params(("id" = String, Path), ("item_id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Recorded", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal or item", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`done` missing", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn tick(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Body<TickBody>,
) -> Result<HttpResponse, ApiError> {
    let (oid, item) = path.into_inner();
    let (oid, item) = (id(&oid)?, id(&item)?);
    let done = body
        .0
        .done
        .ok_or_else(|| ApiError::invalid("done", "required", "is required: true or false"))?;
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        let p = pipeline_of(c, &cur.row.pipeline_id)?;
        if !p
            .stages
            .iter()
            .any(|s| s.items.iter().any(|i| i.id == item))
        {
            return Err(ApiError::not_found("checklist item"));
        }
        write_part(c, &auth, &cur, |c, now| {
            Ok(store::tick(c, &oid, &item, done, now, author(&auth))?)
        })
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    setup::configure(cfg);
    cfg.service(
        web::resource("/opportunities")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/opportunities/board")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(board::board)),
    )
    .service(
        web::resource("/opportunities/{id}")
            .default_service(crate::http::allow("GET, PATCH"))
            .route(web::get().to(get))
            .route(web::patch().to(update)),
    )
    .service(
        web::resource("/opportunities/{id}/move")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(move_stage)),
    )
    .service(
        web::resource("/opportunities/{id}/checklist/{item_id}")
            .default_service(crate::http::allow("PUT"))
            .route(web::put().to(tick)),
    )
    .service(
        web::resource("/opportunities/{id}/win")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(close::win)),
    )
    .service(
        web::resource("/opportunities/{id}/lose")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(close::lose)),
    )
    .service(
        web::resource("/opportunities/{id}/reopen")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(close::reopen)),
    );
    competitors::configure(cfg);
}

/// Who changed the customer, for the automatic lifecycle move of a win.
pub(crate) fn by(auth: &Auth) -> crate::repo::customers::stages::ChangedBy<'_> {
    changed_by(auth)
}
