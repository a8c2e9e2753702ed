//! The customer timeline: every source's entries in one time order.
//!
//! A later feature (deals, quotes, tickets) joins the timeline by adding a
//! [`Source`] to [`SOURCES`]: it reads its own rows of one customer after a
//! [`Bound`] and turns them into entries; paging, filters and order are the
//! timeline's.

use super::super::cursor;
use super::super::customers::Scoped;
use super::super::extract::{id, non_empty, opt_id};
use super::super::wire::activities::{TimelineEntry, TimelineKind, TimelinePage};
use super::super::wire::customers::UserRef;
use crate::auth::Auth;
use crate::db::explain::Plan;
use crate::db::schema::{org_units, users};
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::activities::micros;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::access::Action;
use kehu_domain::paging::Limit;
use kehu_domain::timeline::{self, Bound, Key};
use serde::Deserialize;
use std::collections::HashMap;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// Comma-separated kinds: activity, stage_change, owner_change, merge, import, change.
    #[param(
        example = "activity,owner_change",
        pattern = "^((activity|stage_change|owner_change|merge|import|change|deal)(,(activity|stage_change|owner_change|merge|import|change|deal))*)?$"
    )]
    pub kind: Option<String>,
    /// Only entries of this user: what they did, owned or took part in.
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub person: Option<String>,
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

/// What every source is asked for.
pub struct Request<'a> {
    pub customer_id: &'a str,
    pub bound: Option<Bound>,
    pub person: Option<&'a str>,
    pub kinds: &'a [TimelineKind],
    /// Entries to read at most: a page and one.
    pub limit: i64,
    /// The reader's clock, for activity statuses.
    pub now: i64,
    pub offset: i64,
    /// The deals the reader may see: a customer's timeline shows only
    /// those of its deals within the reader's opportunity scope.
    pub deals: &'a kehu_domain::access::Predicate,
}

impl Request<'_> {
    pub fn wants(&self, k: TimelineKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&k)
    }
}

/// One kind of record on the timeline.
pub trait Source: Sync {
    /// Orders entries of the same instant and prefixes their ids; unique.
    fn name(&self) -> &'static str;
    fn kinds(&self) -> &'static [TimelineKind];
    fn read(&self, c: &mut DbConnection, r: &Request<'_>)
    -> QueryResult<Vec<(Key, TimelineEntry)>>;
    /// The plan of the query `read` runs, for the test that keeps every
    /// query off full scans.
    fn plan(&self, c: &mut DbConnection, r: &Request<'_>) -> QueryResult<Plan>;
}

mod sources;
use sources::{Activities, DealStages, History, OwnerChanges, StageChanges};

pub static SOURCES: &[&dyn Source] = &[
    &Activities,
    &StageChanges,
    &OwnerChanges,
    &History,
    &DealStages,
];

/// Fills in the display names of the people and teams the entries name.
fn name_people(c: &mut DbConnection, entries: &mut [TimelineEntry]) -> QueryResult<()> {
    let mut ids: Vec<String> = Vec::new();
    for e in entries.iter() {
        ids.extend(e.person.iter().map(|p| p.id.clone()));
        if let Some(o) = &e.owner_change {
            ids.extend(o.from.iter().chain(o.to.iter()).map(|p| p.id.clone()));
            ids.extend(o.to_team.iter().map(|t| t.id.clone()));
        }
    }
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let mut names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(c)?
        .into_iter()
        .collect();
    names.extend(
        org_units::table
            .filter(org_units::id.eq_any(&ids))
            .select((org_units::id, org_units::name))
            .load::<(String, String)>(c)?,
    );
    let fill = |p: &mut UserRef| {
        if p.display_name.is_empty() {
            p.display_name = names.get(&p.id).cloned().unwrap_or_default();
        }
    };
    for e in entries.iter_mut() {
        if let Some(p) = e.person.as_mut() {
            fill(p);
        }
        if let Some(o) = e.owner_change.as_mut() {
            o.from.as_mut().map(fill);
            o.to.as_mut().map(fill);
            if let Some(t) = o.to_team.as_mut() {
                t.name = names.get(&t.id).cloned().unwrap_or_default();
            }
        }
    }
    Ok(())
}

/// Every source's query for one customer, with and without a person and a
/// cursor at `at`, as the EXPLAIN test needs them.
pub fn plans(
    c: &mut DbConnection,
    customer_id: &str,
    person: &str,
    at: NaiveDateTime,
) -> QueryResult<Vec<(String, Plan)>> {
    let mut out = Vec::new();
    for s in SOURCES {
        for (p, b) in [
            (None, None),
            (
                Some(person),
                Some(Bound::BeforeKey(micros(at), customer_id.to_owned())),
            ),
        ] {
            let r = Request {
                customer_id,
                bound: b.clone(),
                person: p,
                kinds: &[],
                limit: 51,
                now: 0,
                offset: 0,
                deals: &kehu_domain::access::Predicate::True,
            };
            let name = format!("{} person={} cursor={}", s.name(), p.is_some(), b.is_some());
            out.push((name, s.plan(c, &r)?));
        }
    }
    Ok(out)
}

fn parse_kinds(raw: Option<String>) -> Result<Vec<TimelineKind>, ApiError> {
    let mut out = Vec::new();
    for k in non_empty(raw).iter().flat_map(|s| s.split(',')) {
        let k = serde_json::from_value::<TimelineKind>(serde_json::Value::String(k.trim().into()))
            .map_err(|_| {
                ApiError::bad_field(
                    "kind",
                    "invalid_choice",
                    "must be a comma-separated list of activity, stage_change, owner_change, merge, import, change, deal",
                )
            })?;
        out.push(k);
    }
    Ok(out)
}

const ORDER: &str = "timeline";

fn encode(k: &Key) -> String {
    cursor::encode_keyed(ORDER, &format!("{}:{}", k.at, k.source), &k.id)
}

fn decode(s: &str) -> Result<Key, ApiError> {
    let bad = || ApiError::bad_field("cursor", "invalid", "is not a cursor of this timeline");
    let (v, id) = cursor::decode_keyed(s, ORDER)?;
    let (at, source) = v.split_once(':').ok_or_else(bad)?;
    Ok(Key {
        at: at.parse().map_err(|_| bad())?,
        source: source.to_owned(),
        id,
    })
}

/// A customer's timeline: activities, stage and owner changes, merges,
/// imports and edits, newest first.
#[utoipa::path(get, path = "/api/v1/customers/{id}/timeline", tag = "activities",
    params(("id" = String, Path, description = "Customer id"), TimelineQuery),
    responses(
        (status = 200, description = "A page of the timeline", body = TimelinePage),
        (status = 400, description = "A filter or the cursor is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn timeline(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    q: web::Query<TimelineQuery>,
) -> Result<HttpResponse, ApiError> {
    let cid = id(&path)?;
    let q = q.into_inner();
    let limit = Limit::parse(q.limit)?.get() as usize;
    let kinds = parse_kinds(q.kind)?;
    let person = opt_id("person", q.person)?;
    let after = non_empty(q.cursor).map(|c| decode(&c)).transpose()?;
    let read = Scoped::new(&auth, Action::Read);
    let deals = crate::http::opportunities::scope(&auth, Action::Read);
    let page = db::run(&state.pool, move |c| {
        if !crate::repo::customers::exists_visible(c, &cid, read.cond())? {
            return Err(ApiError::not_found("customer"));
        }
        let (now, offset) = super::clock(c, &auth)?;
        let mut pages = Vec::new();
        for s in SOURCES {
            if !kinds.is_empty() && !s.kinds().iter().any(|k| kinds.contains(k)) {
                continue;
            }
            let r = Request {
                customer_id: &cid,
                bound: after.as_ref().map(|k| Bound::of(s.name(), k)),
                person: person.as_deref(),
                kinds: &kinds,
                limit: limit as i64 + 1,
                now,
                offset,
                deals: &deals,
            };
            pages.push(s.read(c, &r)?);
        }
        let (entries, next) = timeline::page(pages, limit);
        let mut data: Vec<TimelineEntry> = entries.into_iter().map(|(_, e)| e).collect();
        name_people(c, &mut data)?;
        Ok(TimelinePage {
            data,
            next_cursor: next.as_ref().map(encode),
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}
