//! The customer timeline: every source's entries in one time order.
//!
//! A later feature (deals, quotes, tickets) joins the timeline by adding a
//! [`Source`] to [`SOURCES`]: it reads its own rows of one customer after a
//! [`Bound`] and turns them into entries; paging, filters and order are the
//! timeline's.

use super::super::cursor;
use super::super::customers::Scoped;
use super::super::extract::{id, non_empty};
use super::super::wire::activities::{
    ActivityOut, NamedRef, TimelineChange, TimelineEntry, TimelineImport, TimelineKind,
    TimelineMerge, TimelineOwnerChange, TimelinePage, TimelineStageChange,
};
use super::super::wire::customers::UserRef;
use crate::auth::Auth;
use crate::db::explain::{self, Plan};
use crate::db::schema::{
    activities, activity_participants, audit_log as al, customer_owner_changes as coc,
    customer_stage_changes as csc, org_units, users,
};
use crate::db::{self, Db, DbConnection};
use crate::error::{ApiError, Problem};
use crate::repo::activities::{self as store, ActivityRow};
use crate::repo::audit::AuditRow;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDateTime};
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
        pattern = "^((activity|stage_change|owner_change|merge|import|change)(,(activity|stage_change|owner_change|merge|import|change))*)?$"
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

type ActivitiesQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<activities::table, diesel::dsl::AsSelect<ActivityRow, Db>>,
    Db,
>;
type StageQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<
        csc::table,
        (
            csc::id,
            csc::from_stage,
            csc::to_stage,
            csc::reason,
            csc::automatic,
            csc::changed_by,
            csc::changed_at,
        ),
    >,
    Db,
>;
type OwnerQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<
        coc::table,
        (
            coc::id,
            coc::kind,
            coc::from_owner_id,
            coc::to_owner_id,
            coc::to_team_id,
            coc::reason,
            coc::changed_by,
            coc::changed_at,
        ),
    >,
    Db,
>;
type HistoryQuery = diesel::dsl::IntoBoxed<'static, al::table, Db>;

pub static SOURCES: &[&dyn Source] = &[&Activities, &StageChanges, &OwnerChanges, &History];

fn micros(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

fn naive_micros(t: i64) -> NaiveDateTime {
    DateTime::from_timestamp_micros(t)
        .unwrap_or_default()
        .naive_utc()
}

/// Applies a bound to a query on (`$at`, `$id`).
macro_rules! bounded {
    ($q:expr, $bound:expr, $at:expr, $id:expr) => {{
        let q = $q;
        match $bound {
            None => q,
            Some(Bound::Before(t)) => q.filter($at.lt(naive_micros(*t))),
            Some(Bound::AtOrBefore(t)) => q.filter($at.le(naive_micros(*t))),
            Some(Bound::BeforeKey(t, i)) => q.filter(
                $at.lt(naive_micros(*t))
                    .or($at.eq(naive_micros(*t)).and($id.lt(i.clone()))),
            ),
        }
    }};
}

fn person(id: &str) -> UserRef {
    UserRef {
        id: id.to_owned(),
        display_name: String::new(),
    }
}

fn entry(source: &str, id: &str, kind: TimelineKind, at: NaiveDateTime) -> TimelineEntry {
    TimelineEntry {
        id: format!("{source}:{id}"),
        kind,
        at: at.and_utc(),
        person: None,
        summary: String::new(),
        activity: None,
        stage_change: None,
        owner_change: None,
        merge: None,
        import: None,
        change: None,
    }
}

fn key(source: &str, id: &str, at: NaiveDateTime) -> Key {
    Key {
        at: micros(at),
        source: source.to_owned(),
        id: id.to_owned(),
    }
}

struct Activities;

impl Activities {
    fn query(r: &Request<'_>) -> ActivitiesQuery {
        let mut q = activities::table
            .filter(activities::customer_id.eq(r.customer_id.to_owned()))
            .select(ActivityRow::as_select())
            .into_boxed::<Db>();
        if let Some(p) = r.person {
            q = q.filter(
                activities::owner_id
                    .eq(p.to_owned())
                    .or(activities::created_by.eq(p.to_owned()))
                    .or(activities::id.eq_any(
                        activity_participants::table
                            .filter(activity_participants::user_id.eq(p.to_owned()))
                            .select(activity_participants::activity_id),
                    )),
            );
        }
        let q = bounded!(q, &r.bound, activities::sort_at, activities::id);
        q.order((activities::sort_at.desc(), activities::id.desc()))
            .limit(r.limit)
    }
}

impl Source for Activities {
    fn plan(&self, c: &mut DbConnection, r: &Request<'_>) -> QueryResult<Plan> {
        explain::plan(c, Self::query(r))
    }
    fn name(&self) -> &'static str {
        "activity"
    }
    fn kinds(&self) -> &'static [TimelineKind] {
        &[TimelineKind::Activity]
    }
    fn read(
        &self,
        c: &mut DbConnection,
        r: &Request<'_>,
    ) -> QueryResult<Vec<(Key, TimelineEntry)>> {
        let rows = Self::query(r).load(c)?;
        Ok(store::records(c, rows)?
            .into_iter()
            .map(|a| {
                let k = key(self.name(), &a.row.id, a.row.sort_at);
                let mut e = entry(
                    self.name(),
                    &a.row.id,
                    TimelineKind::Activity,
                    a.row.sort_at,
                );
                let out = ActivityOut::new(a, r.now, r.offset);
                e.person = Some(UserRef {
                    id: out.owner.id.clone(),
                    display_name: out.owner.display_name.clone(),
                });
                e.summary = match &out.subject {
                    Some(s) => format!("{}: {s}", out.kind.as_str()),
                    None => out.kind.as_str().to_owned(),
                };
                e.activity = Some(out);
                (k, e)
            })
            .collect())
    }
}

struct StageChanges;

impl StageChanges {
    fn query(r: &Request<'_>) -> StageQuery {
        let mut q = csc::table
            .filter(csc::customer_id.eq(r.customer_id.to_owned()))
            .select((
                csc::id,
                csc::from_stage,
                csc::to_stage,
                csc::reason,
                csc::automatic,
                csc::changed_by,
                csc::changed_at,
            ))
            .into_boxed::<Db>();
        if let Some(p) = r.person {
            q = q.filter(csc::changed_by.eq(p.to_owned()));
        }
        let q = bounded!(q, &r.bound, csc::changed_at, csc::id);
        q.order((csc::changed_at.desc(), csc::id.desc()))
            .limit(r.limit)
    }
}

impl Source for StageChanges {
    fn plan(&self, c: &mut DbConnection, r: &Request<'_>) -> QueryResult<Plan> {
        explain::plan(c, Self::query(r))
    }
    fn name(&self) -> &'static str {
        "stage"
    }
    fn kinds(&self) -> &'static [TimelineKind] {
        &[TimelineKind::StageChange]
    }
    fn read(
        &self,
        c: &mut DbConnection,
        r: &Request<'_>,
    ) -> QueryResult<Vec<(Key, TimelineEntry)>> {
        type Row = (
            String,
            String,
            String,
            Option<String>,
            bool,
            Option<String>,
            NaiveDateTime,
        );
        let rows: Vec<Row> = Self::query(r).load(c)?;
        Ok(rows
            .into_iter()
            .map(|(id, from, to, reason, automatic, by, at)| {
                let mut e = entry(self.name(), &id, TimelineKind::StageChange, at);
                e.person = by.as_deref().map(person);
                e.summary = format!("Stage changed from {from} to {to}");
                e.stage_change = Some(TimelineStageChange {
                    from,
                    to,
                    reason,
                    automatic,
                });
                (key(self.name(), &id, at), e)
            })
            .collect())
    }
}

struct OwnerChanges;

impl OwnerChanges {
    fn query(r: &Request<'_>) -> OwnerQuery {
        let mut q = coc::table
            .filter(coc::customer_id.eq(r.customer_id.to_owned()))
            .select((
                coc::id,
                coc::kind,
                coc::from_owner_id,
                coc::to_owner_id,
                coc::to_team_id,
                coc::reason,
                coc::changed_by,
                coc::changed_at,
            ))
            .into_boxed::<Db>();
        if let Some(p) = r.person {
            q = q.filter(
                coc::changed_by
                    .eq(p.to_owned())
                    .or(coc::from_owner_id.eq(p.to_owned()))
                    .or(coc::to_owner_id.eq(p.to_owned())),
            );
        }
        let q = bounded!(q, &r.bound, coc::changed_at, coc::id);
        q.order((coc::changed_at.desc(), coc::id.desc()))
            .limit(r.limit)
    }
}

impl Source for OwnerChanges {
    fn plan(&self, c: &mut DbConnection, r: &Request<'_>) -> QueryResult<Plan> {
        explain::plan(c, Self::query(r))
    }
    fn name(&self) -> &'static str {
        "owner"
    }
    fn kinds(&self) -> &'static [TimelineKind] {
        &[TimelineKind::OwnerChange]
    }
    fn read(
        &self,
        c: &mut DbConnection,
        r: &Request<'_>,
    ) -> QueryResult<Vec<(Key, TimelineEntry)>> {
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            NaiveDateTime,
        );
        let rows: Vec<Row> = Self::query(r).load(c)?;
        Ok(rows
            .into_iter()
            .map(|(id, kind, from, to, team, reason, by, at)| {
                let mut e = entry(self.name(), &id, TimelineKind::OwnerChange, at);
                e.person = by.as_deref().map(person);
                e.summary = format!("Owner change ({kind})");
                e.owner_change = Some(TimelineOwnerChange {
                    kind,
                    from: from.as_deref().map(person),
                    to: to.as_deref().map(person),
                    to_team: team.map(|id| NamedRef {
                        id,
                        name: String::new(),
                    }),
                    reason,
                });
                (key(self.name(), &id, at), e)
            })
            .collect())
    }
}

/// The change history of the customer and its contacts: edits, merges and
/// imports. Activities' own history stays out: the activity is on the
/// timeline itself.
struct History;

impl History {
    fn query(r: &Request<'_>) -> HistoryQuery {
        let mut q = al::table
            .filter(al::customer_id.eq(r.customer_id.to_owned()))
            .filter(al::entity.eq_any(["customer", "contact"]))
            .into_boxed::<Db>();
        if let Some(p) = r.person {
            q = q.filter(al::user_id.eq(p.to_owned()));
        }
        let (change, merge, import) = (
            r.wants(TimelineKind::Change),
            r.wants(TimelineKind::Merge),
            r.wants(TimelineKind::Import),
        );
        if !import {
            q = q.filter(al::import_id.is_null());
        }
        match (change, merge) {
            (true, true) => {}
            (true, false) => q = q.filter(al::action.ne("merge").or(al::import_id.is_not_null())),
            (false, true) => q = q.filter(al::action.eq("merge").or(al::import_id.is_not_null())),
            (false, false) => q = q.filter(al::import_id.is_not_null()),
        }
        let q = bounded!(q, &r.bound, al::at, al::id);
        q.order((al::at.desc(), al::id.desc())).limit(r.limit)
    }
}

impl Source for History {
    fn plan(&self, c: &mut DbConnection, r: &Request<'_>) -> QueryResult<Plan> {
        explain::plan(c, Self::query(r))
    }
    fn name(&self) -> &'static str {
        "audit"
    }
    fn kinds(&self) -> &'static [TimelineKind] {
        &[
            TimelineKind::Change,
            TimelineKind::Merge,
            TimelineKind::Import,
        ]
    }
    fn read(
        &self,
        c: &mut DbConnection,
        r: &Request<'_>,
    ) -> QueryResult<Vec<(Key, TimelineEntry)>> {
        let rows: Vec<AuditRow> = Self::query(r).load(c)?;
        Ok(rows
            .into_iter()
            .map(|a| {
                let fields: Vec<String> =
                    serde_json::from_str::<Vec<kehu_domain::audit::FieldChange>>(&a.changes)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|f| f.field)
                        .collect();
                let kind = if a.import_id.is_some() {
                    TimelineKind::Import
                } else if a.action == "merge" {
                    TimelineKind::Merge
                } else {
                    TimelineKind::Change
                };
                let mut e = entry(self.name(), &a.id, kind, a.at);
                e.person = a.user_id.as_deref().map(person);
                match kind {
                    TimelineKind::Import => {
                        e.import = Some(TimelineImport {
                            import_id: a.import_id.clone().unwrap_or_default(),
                            entity: a.entity.clone(),
                            action: a.action.clone(),
                        });
                        e.summary = format!("{} {} by an import", a.entity, past(&a.action));
                    }
                    TimelineKind::Merge => {
                        e.merge = Some(TimelineMerge { fields });
                        e.summary = "Merged with a duplicate".into();
                    }
                    _ => {
                        e.summary = format!("{} {}", a.entity, past(&a.action));
                        e.change = Some(TimelineChange {
                            entity: a.entity.clone(),
                            entity_id: a.entity_id.clone(),
                            action: a.action.clone(),
                            fields,
                        });
                    }
                }
                (key(self.name(), &a.id, a.at), e)
            })
            .collect())
    }
}

fn past(action: &str) -> &'static str {
    match action {
        "create" => "created",
        "update" => "updated",
        "delete" => "deleted",
        "restore" => "restored",
        "merge" => "merged",
        _ => "changed",
    }
}

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
                    "must be a comma-separated list of activity, stage_change, owner_change, merge, import, change",
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
    let person = super::opt_id("person", q.person)?;
    let after = non_empty(q.cursor).map(|c| decode(&c)).transpose()?;
    let read = Scoped::new(&auth, Action::Read);
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
