//! Leads (销售线索): created by hand, by API, by import or through a public
//! web form; scored, assigned by rules or left in a queue; qualified; and
//! converted into a customer, a contact and an opportunity.

use super::cursor;
use super::extract::{Body, IfMatch, OptionalIfMatch, etag, id, non_empty, opt_id};
use super::idempotency::{self, Created, IdempotencyKey};
use super::org::stale;
use super::wire::leads::{LeadAllowed, LeadCreate, LeadOut, LeadPage, LeadUpdate};
use crate::auth::{Auth, Via};
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::leads::{
    self as store, LeadCondition, LeadFilter, LeadRow, Placement, WriteOutcome, Writer,
    lead_condition,
};
use crate::repo::org::UnitKind;
use crate::repo::{self};
use crate::state::AppState;
use actix_web::{HttpResponse, http::StatusCode, web};
use kehu_domain::FieldError;
use kehu_domain::access::{self, Action, Predicate, Resource};
use kehu_domain::error::Collector;
use kehu_domain::lead::assign::Assignment;
use kehu_domain::lead::score::{self, ScoreRules};
use kehu_domain::lead::{Lead, LeadStatus, Source};
use kehu_domain::paging::Limit;
use serde::Deserialize;
use utoipa::IntoParams;

mod convert;
mod deal;
mod forms;
mod import;
mod public;
mod rules;
mod score_rules;
pub use convert::*;
pub use forms::*;
pub use import::*;
pub use public::*;
pub use rules::*;
pub use score_rules::*;

/// The caller's access condition on leads for one action.
pub struct Scoped(Predicate);

impl Scoped {
    pub fn new(auth: &Auth, action: Action) -> Self {
        Self(access::predicate(&auth.subject, Resource::Lead, action))
    }

    pub fn cond(&self) -> LeadCondition {
        lead_condition(&self.0)
    }
}

pub(crate) fn writer(auth: &Auth) -> Writer<'_> {
    Writer {
        user_id: Some(auth.user_id()),
        api_key_id: match &auth.via {
            Via::ApiKey { id } => Some(id),
            Via::Session => None,
        },
    }
}

/// A lead's score under the rules in force, rule by rule.
pub(crate) fn score_of(
    c: &mut DbConnection,
    lead: &Lead,
    row: Option<&LeadRow>,
) -> Result<score::Score, ApiError> {
    let engagement = row.map(LeadRow::engagement).unwrap_or_default();
    let rules: ScoreRules = store::score_rules(c)?;
    Ok(score::score(&rules, &lead.score_facts(), engagement))
}

/// Checks that a lead's references exist.
pub(crate) fn check_refs(
    c: &mut DbConnection,
    v: &Lead,
    owner_id: Option<&str>,
    team_id: Option<&str>,
) -> Result<(), ApiError> {
    let mut col = Collector::new();
    let one = |x: Option<&str>| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    repo::org::check_refs(
        c,
        &mut col,
        [
            ("region_id", UnitKind::Region, one(v.region_id.as_deref())),
            (
                "product_line_id",
                UnitKind::ProductLine,
                one(v.product_line_id.as_deref()),
            ),
            ("team_id", UnitKind::Team, one(team_id)),
        ],
    )?;
    for m in repo::users::missing(c, &one(owner_id))? {
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
        "Your roles do not allow you to {action} a lead with this owner, region, product line or partner."
    ))
}

/// Places a new lead: the owner asked for, else the assignment rules; a
/// caller who may only create leads they own (a rep) keeps what the rules
/// would have given someone else.
pub(crate) fn place(
    c: &mut DbConnection,
    auth: Option<&Auth>,
    lead: &Lead,
    owner_id: Option<String>,
    default_team_id: Option<&str>,
    form_submissions: u32,
) -> Result<Placement, ApiError> {
    let partner_id = auth.and_then(|a| a.subject.partner_id.clone());
    let explicit = owner_id.is_some();
    let (mut owner, mut team, rule_id) = match owner_id {
        Some(o) => (Some(o), None, None),
        None => match store::rules::run(c, &lead.assign_facts(), default_team_id)? {
            Assignment::User { user_id, rule_id } => (Some(user_id), None, Some(rule_id)),
            Assignment::Queue { team_id, rule_id } => (None, team_id, rule_id),
        },
    };
    if let Some(a) = auth {
        let mut facts = store::facts_of(
            c,
            lead,
            owner.as_deref(),
            team.as_deref(),
            partner_id.as_deref(),
        )?;
        if !access::may(&a.subject, Resource::Lead, Action::Create, &facts) {
            if explicit {
                return Err(out_of_reach("create"));
            }
            owner = Some(a.user_id().to_owned());
            team = None;
            facts = store::facts_of(c, lead, owner.as_deref(), None, partner_id.as_deref())?;
            if !access::may(&a.subject, Resource::Lead, Action::Create, &facts) {
                return Err(out_of_reach("create"));
            }
        }
    }
    if owner.is_some() {
        // an owned lead belongs to its owner's team
        team = store::facts_of(c, lead, owner.as_deref(), None, None)?.owner_team_id;
    }
    Ok(Placement {
        status: Some(LeadStatus::New),
        owner_id: owner,
        team_id: team,
        partner_id,
        rule_id,
        score: score::score(
            &store::score_rules(c)?,
            &lead.score_facts(),
            score::Engagement {
                activities: 0,
                form_submissions,
            },
        )
        .total,
        form_submissions,
        ..Default::default()
    })
}

pub(crate) fn allowed(
    c: &mut DbConnection,
    auth: &Auth,
    row: &LeadRow,
) -> Result<LeadAllowed, ApiError> {
    let mut may = |a: Action| store::exists_visible(c, &row.id, Scoped::new(auth, a).cond());
    let update = may(Action::Update)?;
    Ok(LeadAllowed {
        update,
        delete: may(Action::Delete)?,
        convert: update && row.status().may_convert(),
    })
}

pub(crate) fn owner_name(
    c: &mut DbConnection,
    owner: Option<&str>,
) -> Result<Option<String>, ApiError> {
    Ok(match owner {
        Some(o) => store::names_of(c, &[o.to_owned()])?.remove(o),
        None => None,
    })
}

/// One lead as answered to `auth`: with its score explained and what the
/// caller may do with it.
pub(crate) fn out(c: &mut DbConnection, auth: &Auth, row: LeadRow) -> Result<LeadOut, ApiError> {
    let may = allowed(c, auth, &row)?;
    let name = owner_name(c, row.owner_id.as_deref())?;
    let score = score_of(c, &row.to_domain(), Some(&row))?;
    let mut o = LeadOut::new(row, name).with_score(score);
    o.allowed = Some(may);
    Ok(o)
}

fn respond(status: StatusCode, o: LeadOut) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(etag(o.version))
        .json(o)
}

/// Loads a visible lead and checks the caller may also `action` it:
/// hidden is 404, visible but not allowed 403.
pub(crate) fn load_for(
    c: &mut DbConnection,
    auth: &Auth,
    lid: &str,
    action: Action,
) -> Result<LeadRow, ApiError> {
    let cur = store::get(c, lid, Scoped::new(auth, Action::Read).cond())?
        .ok_or_else(|| ApiError::not_found("lead"))?;
    let facts = store::facts_of(
        c,
        &cur.to_domain(),
        cur.owner_id.as_deref(),
        cur.team_id.as_deref(),
        cur.partner_id.as_deref(),
    )?;
    if !access::may(&auth.subject, Resource::Lead, action, &facts) {
        return Err(ApiError::forbidden(format!(
            "Your roles do not allow you to {} this lead.",
            action.as_str()
        )));
    }
    Ok(cur)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LeadQuery {
    /// new, contacted, qualified, unqualified or converted.
    #[param(pattern = "^(new|contacted|qualified|unqualified|converted)?$")]
    pub status: Option<String>,
    /// Only this user's leads; `me` for the caller's.
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub owner: Option<String>,
    /// `true`: only unassigned leads (the queues); with `team`, that team's queue.
    #[param(pattern = "^(true|false)?$")]
    pub queue: Option<String>,
    /// With `queue=true`: only this team's queue.
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub team: Option<String>,
    /// Words that must appear in the name, company, phone or e-mail.
    #[param(pattern = "^[^\\x00]*$", max_length = 200)]
    pub q: Option<String>,
    #[param(pattern = "^[a-z0-9_]{0,40}$")]
    pub source: Option<String>,
    #[param(pattern = "^[^\\x00]*$", max_length = 100)]
    pub campaign: Option<String>,
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

const ORDER: &str = "-created_at";

/// List the leads the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/leads", tag = "leads", params(LeadQuery),
    responses(
        (status = 200, description = "A page of leads", body = LeadPage),
        (status = 400, description = "A filter is malformed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<LeadQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let limit = Limit::parse(q.limit)?.get() as i64;
    let status = match non_empty(q.status) {
        None => None,
        Some(s) => Some(
            LeadStatus::parse(&s)
                .ok_or_else(|| {
                    ApiError::bad_field(
                        "status",
                        "invalid_choice",
                        "must be new, contacted, qualified, unqualified or converted",
                    )
                })?
                .as_str()
                .to_owned(),
        ),
    };
    let queue = match non_empty(q.queue).as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(ApiError::bad_field(
                "queue",
                "invalid_choice",
                "must be true or false",
            ));
        }
    };
    let me = auth.user_id().to_owned();
    let source = match non_empty(q.source) {
        None => None,
        Some(s) => Some(
            Source::parse("source", &s)
                .map_err(|_| {
                    ApiError::bad_field("source", "invalid_source", "must be a source key")
                })?
                .as_str()
                .to_owned(),
        ),
    };
    let f = LeadFilter {
        status,
        owner_id: opt_id("owner", q.owner)?.map(|o| if o == "me" { me.clone() } else { o }),
        queue,
        queue_team_id: opt_id("team", q.team)?,
        terms: kehu_domain::text::search_terms(
            &super::extract::check_query_text("q", &q.q, 200)?.unwrap_or_default(),
        ),
        source,
        campaign: super::extract::check_query_text("campaign", &q.campaign, 100)?,
    };
    if f.queue_team_id.is_some() && !f.queue {
        return Err(ApiError::bad_field(
            "team",
            "requires_queue",
            "give queue=true with team",
        ));
    }
    let after = non_empty(q.cursor)
        .map(|c| cursor::decode_keyed(&c, ORDER))
        .transpose()?
        .map(|(at, id)| {
            at.parse::<i64>()
                .ok()
                .and_then(chrono::DateTime::from_timestamp_micros)
                .map(|t| (t.naive_utc(), id))
                .ok_or_else(|| {
                    ApiError::bad_field("cursor", "invalid", "is not a cursor of this list")
                })
        })
        .transpose()?;
    let read = Scoped::new(&auth, Action::Read);
    let page = db::run(&state.pool, move |c| {
        let mut rows = store::list(c, &read.0, &f, after, limit + 1)?;
        let next_cursor = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|r| {
                cursor::encode_keyed(
                    ORDER,
                    &r.created_at.and_utc().timestamp_micros().to_string(),
                    &r.id,
                )
            })
        } else {
            None
        };
        let owners: Vec<String> = rows.iter().filter_map(|r| r.owner_id.clone()).collect();
        let mut names = store::names_of(c, &owners)?;
        let data = rows
            .into_iter()
            .map(|r| {
                let n = r.owner_id.as_ref().and_then(|o| names.get(o).cloned());
                LeadOut::new(r, n)
            })
            .collect();
        names.clear();
        Ok::<_, ApiError>(LeadPage { data, next_cursor })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Create a lead. Without `owner_id` the assignment rules place it (a
/// user, or a queue); a rep who may only own their leads keeps it.
#[utoipa::path(post, path = "/api/v1/leads", tag = "leads", request_body = LeadCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create return the first answer instead of a duplicate")),
    responses(
        (status = 201, description = "Created, with its score explained", body = LeadOut, headers(("ETag" = String, description = "Version"), ("Location" = String, description = "The new lead"))),
        (status = 403, description = "Owner, region or product line outside the caller's reach", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: Body<LeadCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Lead, Action::Create)?;
    let Body(mut wire, digest) = body;
    let owner_id = wire.owner_id.take().filter(|o| !o.trim().is_empty());
    let lead = Lead::create(wire.into(), &Source::known(Source::MANUAL))?;
    let a = auth.clone();
    idempotency::once(&state, &auth, key, digest.0, move |c| {
        check_refs(c, &lead, owner_id.as_deref(), None)?;
        let p = place(c, Some(&a), &lead, owner_id, None, 0)?;
        let row = store::insert(c, &db::new_id(), &lead, &p, writer(&a), db::now())?;
        let location = format!("/api/v1/leads/{}", row.id);
        let o = out(c, &a, row)?;
        Ok(Created {
            body: serde_json::to_value(o).map_err(|e| ApiError::internal(e.to_string()))?,
            location,
        })
    })
    .await
}

/// Get a lead, with its score explained rule by rule.
#[utoipa::path(get, path = "/api/v1/leads/{id}", tag = "leads", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Found", body = LeadOut, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such lead, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let lid = id(&path)?;
    let o = db::run(&state.pool, move |c| {
        let row = store::get(c, &lid, Scoped::new(&auth, Action::Read).cond())?
            .ok_or_else(|| ApiError::not_found("lead"))?;
        out(c, &auth, row)
    })
    .await?;
    Ok(respond(StatusCode::OK, o))
}

/// Change a lead: its fields, its status (new, contacted, qualified,
/// unqualified), its owner or its queue. Send the ETag of your last read in If-Match.
#[utoipa::path(patch, path = "/api/v1/leads/{id}", tag = "leads", request_body = LeadUpdate,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Updated", body = LeadOut, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible but not editable, or the change moves it out of reach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lead, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, or the status change is not allowed (`errors[].field` = status)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<LeadUpdate>,
) -> Result<HttpResponse, ApiError> {
    let lid = id(&path)?;
    let body = body.0;
    let o = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let cur = load_for(c, &auth, &lid, Action::Update)?;
            let expected = if_match.against(cur.version);
            if cur.version != expected {
                return Err(stale(cur.version));
            }
            let before = cur.to_domain();
            let mut col = Collector::new();
            let next = col.take(before.patch(body.raw()));
            let status = match body.status {
                Some(s) if s.domain() != cur.status() => {
                    col.take(cur.status().change_to(s.domain()))
                }
                _ => Some(cur.status()),
            };
            col.finish()?;
            let (Some(next), Some(status)) = (next, status) else {
                return Err(ApiError::internal("parsed input went missing"));
            };
            let owner = match &body.owner_id {
                Some(o) => o.clone().filter(|s| !s.trim().is_empty()),
                None => cur.owner_id.clone(),
            };
            let mut team = match &body.team_id {
                Some(t) => t.clone().filter(|s| !s.trim().is_empty()),
                None => cur.team_id.clone(),
            };
            check_refs(
                c,
                &next,
                owner
                    .as_deref()
                    .filter(|o| Some(*o) != cur.owner_id.as_deref()),
                team.as_deref()
                    .filter(|t| Some(*t) != cur.team_id.as_deref()),
            )?;
            if owner.is_some() && owner != cur.owner_id && body.team_id.is_none() {
                team = store::facts_of(c, &next, owner.as_deref(), None, None)?.owner_team_id;
            }
            let facts = store::facts_of(
                c,
                &next,
                owner.as_deref(),
                team.as_deref(),
                cur.partner_id.as_deref(),
            )?;
            if !access::may(&auth.subject, Resource::Lead, Action::Update, &facts) {
                return Err(out_of_reach("move"));
            }
            let p = Placement {
                status: Some(status),
                owner_id: owner,
                team_id: team,
                score: score_of(c, &next, Some(&cur))?.total,
                ..Default::default()
            };
            let exp = (if_match.0 != IfMatch::ANY).then_some(expected);
            let upd = Scoped::new(&auth, Action::Update);
            let row = match store::update(
                c,
                &lid,
                exp,
                &next,
                &p,
                upd.cond(),
                writer(&auth),
                db::now(),
            )? {
                WriteOutcome::Done(r) => r,
                WriteOutcome::Stale(v) => return Err(stale(v)),
                WriteOutcome::NotFound => return Err(ApiError::not_found("lead")),
            };
            out(c, &auth, row)
        })
    })
    .await?;
    Ok(respond(StatusCode::OK, o))
}

/// Move a lead to the trash.
#[utoipa::path(delete, path = "/api/v1/leads/{id}", tag = "leads",
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "Optional: only delete this version")),
    responses(
        (status = 204, description = "In the trash"),
        (status = 403, description = "Visible but the caller may not delete it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lead, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: OptionalIfMatch,
) -> Result<HttpResponse, ApiError> {
    let lid = id(&path)?;
    db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            load_for(c, &auth, &lid, Action::Delete)?;
            let del = Scoped::new(&auth, Action::Delete);
            match store::set_deleted(c, &lid, if_match.0, del.cond(), writer(&auth), db::now())? {
                WriteOutcome::Done(()) => Ok(()),
                WriteOutcome::Stale(v) => Err(stale(v)),
                WriteOutcome::NotFound => Err(ApiError::not_found("lead")),
            }
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/leads")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    // before /leads/{id}, which would take "import" for an id
    .service(
        web::resource("/leads/import")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(import)),
    )
    .service(
        web::resource("/leads/{id}")
            .default_service(crate::http::allow("GET, PATCH, DELETE"))
            .route(web::get().to(get))
            .route(web::patch().to(update))
            .route(web::delete().to(delete)),
    )
    .service(
        web::resource("/leads/{id}/convert")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(convert)),
    )
    .service(
        web::resource("/lead-assignment-rules")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list_rules))
            .route(web::post().to(create_rule)),
    )
    .service(
        web::resource("/lead-assignment-rules/{id}")
            .default_service(crate::http::allow("PUT, DELETE"))
            .route(web::put().to(replace_rule))
            .route(web::delete().to(delete_rule)),
    )
    .service(
        web::resource("/lead-score-rules")
            .default_service(crate::http::allow("GET, PUT"))
            .route(web::get().to(get_score_rules))
            .route(web::put().to(put_score_rules)),
    )
    .service(
        web::resource("/lead-forms")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list_forms))
            .route(web::post().to(create_form)),
    )
    .service(
        web::resource("/lead-forms/{id}")
            .default_service(crate::http::allow("PATCH, DELETE"))
            .route(web::patch().to(update_form))
            .route(web::delete().to(delete_form)),
    )
    .service(
        web::resource("/forms/{token}/leads")
            .default_service(crate::http::allow("POST, OPTIONS"))
            .route(web::post().to(submit))
            .route(web::method(actix_web::http::Method::OPTIONS).to(preflight)),
    );
}
