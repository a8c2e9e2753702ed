//! The timeline's sources: each reads its own rows of one customer after a
//! bound and turns them into entries.

use super::{Request, Source};
use crate::db::explain::{self, Plan};
use crate::db::schema::{
    activities, activity_participants, audit_log as al, customer_owner_changes as coc,
    customer_stage_changes as csc, opportunities, opportunity_stage_history as osh,
    pipeline_stages,
};
use crate::db::{Db, DbConnection};
use crate::http::wire::activities::{
    ActivityOut, NamedRef, TimelineChange, TimelineDeal, TimelineEntry, TimelineImport,
    TimelineKind, TimelineMerge, TimelineOwnerChange, TimelineStageChange,
};
use crate::http::wire::customers::UserRef;
use crate::repo::activities::{self as store, ActivityRow, from_micros, micros};
use crate::repo::audit::AuditRow;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::timeline::{Bound, Key};

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

/// Applies a bound to a query on (`$at`, `$id`).
macro_rules! bounded {
    ($q:expr, $bound:expr, $at:expr, $id:expr) => {{
        let q = $q;
        match $bound {
            None => q,
            Some(Bound::Before(t)) => q.filter($at.lt(from_micros(*t))),
            Some(Bound::AtOrBefore(t)) => q.filter($at.le(from_micros(*t))),
            Some(Bound::BeforeKey(t, i)) => q.filter(
                $at.lt(from_micros(*t))
                    .or($at.eq(from_micros(*t)).and($id.lt(i.clone()))),
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
        deal: None,
    }
}

fn key(source: &str, id: &str, at: NaiveDateTime) -> Key {
    Key {
        at: micros(at),
        source: source.to_owned(),
        id: id.to_owned(),
    }
}

pub(super) struct Activities;

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

pub(super) struct StageChanges;

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

pub(super) struct OwnerChanges;

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
pub(super) struct History;

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

type DealQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<
        osh::table,
        (
            osh::id,
            osh::opportunity_id,
            osh::from_stage_id,
            osh::stage_id,
            osh::by_user_id,
            osh::entered_at,
        ),
    >,
    Db,
>;

/// Each stay of the customer's deals in a stage: created, moved, won, lost
/// or reopened, for the deals the reader may see.
pub(super) struct DealStages;

impl DealStages {
    /// The customer's deals the reader may see: few per customer, so read
    /// first and named in the history's query.
    fn deals(c: &mut DbConnection, r: &Request<'_>) -> QueryResult<Vec<String>> {
        opportunities::table
            .filter(opportunities::customer_id.eq(r.customer_id.to_owned()))
            .filter(crate::repo::access_sql::opportunity_condition(r.deals))
            .select(opportunities::id)
            .load(c)
    }

    fn query(r: &Request<'_>, deals: Vec<String>) -> DealQuery {
        let mut q = osh::table
            .filter(osh::opportunity_id.eq_any(deals))
            .select((
                osh::id,
                osh::opportunity_id,
                osh::from_stage_id,
                osh::stage_id,
                osh::by_user_id,
                osh::entered_at,
            ))
            .into_boxed::<Db>();
        if let Some(p) = r.person {
            q = q.filter(osh::by_user_id.eq(p.to_owned()));
        }
        let q = bounded!(q, &r.bound, osh::entered_at, osh::id);
        q.order((osh::entered_at.desc(), osh::id.desc()))
            .limit(r.limit)
    }
}

impl Source for DealStages {
    fn plan(&self, c: &mut DbConnection, r: &Request<'_>) -> QueryResult<Plan> {
        let deals = Self::deals(c, r)?;
        explain::plan(c, Self::query(r, deals))
    }
    fn name(&self) -> &'static str {
        "deal"
    }
    fn kinds(&self) -> &'static [TimelineKind] {
        &[TimelineKind::Deal]
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
            String,
            Option<String>,
            NaiveDateTime,
        );
        let deals = Self::deals(c, r)?;
        if deals.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<Row> = Self::query(r, deals).load(c)?;
        let deal_ids: Vec<&String> = rows.iter().map(|x| &x.1).collect();
        let names: std::collections::HashMap<String, String> = opportunities::table
            .filter(opportunities::id.eq_any(deal_ids))
            .select((opportunities::id, opportunities::name))
            .load::<(String, String)>(c)?
            .into_iter()
            .collect();
        let mut stage_ids: Vec<&String> = rows.iter().map(|x| &x.3).collect();
        stage_ids.extend(rows.iter().filter_map(|x| x.2.as_ref()));
        type Stage = (String, String, Option<String>);
        let stages: std::collections::HashMap<String, Stage> = pipeline_stages::table
            .filter(pipeline_stages::id.eq_any(stage_ids))
            .select((
                pipeline_stages::id,
                pipeline_stages::name,
                pipeline_stages::kind,
                pipeline_stages::stage_key,
            ))
            .load::<(String, String, String, Option<String>)>(c)?
            .into_iter()
            .map(|(id, n, k, key)| (id, (n, k, key)))
            .collect();
        let stage = |id: &str| stages.get(id).cloned().unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|(id, deal, from, to, by, at)| {
                let mut e = entry(self.name(), &id, TimelineKind::Deal, at);
                e.person = by.as_deref().map(person);
                let name = names.get(&deal).cloned().unwrap_or_default();
                let (to_stage, to_kind, to_stage_key) = stage(&to);
                let (from_stage, from_stage_key) = match from.as_deref().map(stage) {
                    Some((name, _, key)) => (Some(name), key),
                    None => (None, None),
                };
                e.summary = match (&from_stage, to_kind.as_str()) {
                    (None, _) => format!("Deal “{name}” created in {to_stage}"),
                    (_, "won") => format!("Deal “{name}” won"),
                    (_, "lost") => format!("Deal “{name}” lost"),
                    (Some(f), _) => format!("Deal “{name}” moved from {f} to {to_stage}"),
                };
                e.deal = Some(TimelineDeal {
                    opportunity_id: deal,
                    name,
                    from_stage,
                    from_stage_key,
                    to_stage,
                    to_stage_key,
                    to_kind,
                });
                (key(self.name(), &id, at), e)
            })
            .collect())
    }
}
