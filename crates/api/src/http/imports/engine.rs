//! Planning and running an import: the same plan serves the dry run and
//! the run, so a dry run shows exactly what the run will do.
//!
//! Planning reads in batches (duplicate keys, scopes, owners) and decides
//! every row before anything is written; the run then writes a batch of
//! rows per transaction (the new customers together, with multi-row
//! statements; updates each in its own savepoint) and records progress and
//! renews the import's lease with the batch. A bad row is decided as failed
//! before it writes anything, and a row whose write fails rolls back alone.

use super::super::customers::{Scoped, changed_by};
use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::repo::audit::{self as audit_log, Entity};
use crate::repo::contacts;
use crate::repo::customers::{self as store, Liveness, WriteOutcome, dedup};
use crate::repo::imports::{self as imports, Counts, ImportRow, RowResult};
use diesel::prelude::*;
use kehu_domain::access::{self, Action, RecordFacts, Resource};
use kehu_domain::audit::{self, Action as AuditAction};
use kehu_domain::customer::{Creator, Customer};
use kehu_domain::dedup::{Keys, Match, OverrideReason};
use kehu_domain::import::draft::{self, Draft, RowError};
use kehu_domain::import::mapping::{ColumnField, Field, Mapping};
use kehu_domain::import::plan::{self, Access, Candidate, Decision, Policy, Target};
use kehu_domain::import::{Row, Table};
use kehu_domain::text::Email;
use std::collections::{HashMap, HashSet};

/// Rows written per transaction: large enough that commits cost little,
/// small enough that other writers wait only briefly on SQLite and that
/// progress moves visibly.
pub const BATCH: usize = 1000;

/// The stored table and settings of an import.
pub struct Source {
    pub table: Table,
    pub mapping: Vec<ColumnField>,
    pub policy: Policy,
}

impl Source {
    pub fn of(imp: &ImportRow) -> Self {
        Self {
            table: Table {
                columns: serde_json::from_str(&imp.column_names).unwrap_or_default(),
                rows: serde_json::from_str(&imp.source).unwrap_or_default(),
            },
            mapping: serde_json::from_str(&imp.mapping).unwrap_or_default(),
            policy: Policy::parse(&imp.policy).unwrap_or(Policy::Skip),
        }
    }
}

/// One row, decided.
pub struct Planned {
    pub seq: usize,
    pub line: u32,
    pub step: Step,
}

pub enum Step {
    Write(Box<Draft>, Decision),
    /// Failed or skipped before writing anything.
    Done(Outcome),
}

/// A row's result before it is stored.
pub struct Outcome {
    pub outcome: &'static str,
    pub error: Option<RowError>,
    pub customer_id: Option<String>,
}

impl Outcome {
    fn failed(e: RowError) -> Self {
        Self {
            outcome: "failed",
            error: Some(e),
            customer_id: None,
        }
    }
}

fn creator_of(auth: &Auth) -> Creator {
    Creator {
        user_id: auth.user_id().to_owned(),
        team_id: auth.team_id.clone(),
        home_region_id: auth.own_region_ids.first().cloned(),
        partner_id: auth.subject.partner_id.clone(),
    }
}

fn column_of(m: &Mapping, columns: &[String], f: Field) -> Option<String> {
    m.columns(f).first().and_then(|&i| columns.get(i).cloned())
}

/// Decides every row of the import for `auth`. Only reads. `own` are the
/// customers this import created already (when it is resumed after its
/// node died): they are not duplicates of the rows that made them, so the
/// rows still to write are decided as the first run decided them.
pub fn plan(
    c: &mut DbConnection,
    auth: &Auth,
    src: &Source,
    own: &HashSet<String>,
) -> Result<Vec<Planned>, ApiError> {
    let columns = &src.table.columns;
    let mapping = Mapping::parse(columns, &src.mapping)?;
    let creator = creator_of(auth);
    let mut drafts: Vec<Result<Draft, RowError>> = src
        .table
        .rows
        .iter()
        .map(|r: &Row| {
            draft::draft(r, columns, &mapping, &creator).map_err(|mut e| {
                // the first reason is the one shown; all are in its message
                let all: Vec<String> = e.iter().map(|x| x.message.clone()).collect();
                let mut first = e.remove(0);
                first.message = all.join("; ");
                first
            })
        })
        .collect();
    resolve_owners(c, auth, &mapping, columns, &mut drafts)?;
    check_reach(c, auth, &mut drafts)?;

    let keys: Vec<Option<Keys>> = drafts
        .iter()
        .map(|d| d.as_ref().ok().map(|d| d.customer.dedup_keys()))
        .collect();
    let earlier = plan::first_in_file(&keys);
    let existing = existing_matches(c, auth, &keys, own)?;

    Ok(drafts
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let line = src.table.rows[i].line;
            let step = match d {
                Err(e) => Step::Done(Outcome::failed(e)),
                Ok(d) => {
                    let before = earlier[i].map(|j| (j, src.table.rows[j].line));
                    let decision = plan::decide(src.policy, before, &existing[i]);
                    match decision {
                        Decision::Skip { code, message } => Step::Done(Outcome {
                            outcome: "skipped",
                            error: Some(RowError::row(code, message)),
                            customer_id: existing[i]
                                .iter()
                                .find(|c| c.access != Access::Hidden)
                                .filter(|_| code == "duplicate_existing")
                                .map(|c| c.id.clone()),
                        }),
                        Decision::Fail { code, message } => {
                            Step::Done(Outcome::failed(RowError::row(code, message)))
                        }
                        other => Step::Write(Box::new(d), other),
                    }
                }
            };
            Planned { seq: i, line, step }
        })
        .collect())
}

/// Owners named by e-mail become user ids (with their team); an unknown or
/// inactive one fails the row, naming the column.
fn resolve_owners(
    c: &mut DbConnection,
    auth: &Auth,
    m: &Mapping,
    columns: &[String],
    drafts: &mut [Result<Draft, RowError>],
) -> Result<(), ApiError> {
    if !m.has(Field::OwnerEmail) {
        return Ok(());
    }
    let column = column_of(m, columns, Field::OwnerEmail);
    let wanted: HashSet<String> = drafts
        .iter()
        .filter_map(|d| d.as_ref().ok()?.owner_email.as_deref())
        .filter_map(|e| Email::parse("owner_email", e).ok().map(|e| e.key()))
        .collect();
    let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
    let found: HashMap<String, (String, Option<String>)> = imports::users_by_email(c, &wanted)?
        .into_iter()
        .map(|(k, id, team)| (k, (id, team)))
        .collect();
    for d in drafts.iter_mut() {
        let Ok(draft) = d else { continue };
        let Some(email) = draft.owner_email.clone() else {
            continue;
        };
        let key = Email::parse("owner_email", &email).ok().map(|e| e.key());
        match key.and_then(|k| found.get(&k)) {
            Some((id, team)) => {
                draft.customer.owner_id = Some(id.clone());
                draft.customer.team_id = if id == auth.user_id() {
                    auth.team_id.clone()
                } else {
                    team.clone()
                };
            }
            None => {
                *d = Err(RowError {
                    column: column.clone(),
                    code: "owner_unknown".into(),
                    message: format!("no active user has the e-mail address {email}"),
                });
            }
        }
    }
    Ok(())
}

/// A row whose new customer would be outside what the caller may create
/// (an owner they may not assign) fails; the facts of each distinct owner
/// are checked once.
fn check_reach(
    c: &mut DbConnection,
    auth: &Auth,
    drafts: &mut [Result<Draft, RowError>],
) -> Result<(), ApiError> {
    let mut verdicts: HashMap<(Option<String>, Option<String>), bool> = HashMap::new();
    for d in drafts.iter_mut() {
        let Ok(draft) = d else { continue };
        let v = &draft.customer;
        let k = (v.owner_id.clone(), v.team_id.clone());
        let ok = match verdicts.get(&k) {
            Some(ok) => *ok,
            None => {
                let facts: RecordFacts = store::facts_of(c, None, v)?;
                let ok = access::may(&auth.subject, Resource::Customer, Action::Create, &facts);
                verdicts.insert(k, ok);
                ok
            }
        };
        if !ok {
            *d = Err(RowError::row(
                "out_of_reach",
                "your roles do not allow you to create a customer with this owner",
            ));
        }
    }
    Ok(())
}

/// For each row, the live customers sharing one of its keys, each with how
/// the caller stands to it (whether they may see it and change it is
/// decided in SQL by their scope).
fn existing_matches(
    c: &mut DbConnection,
    auth: &Auth,
    keys: &[Option<Keys>],
    own: &HashSet<String>,
) -> Result<Vec<Vec<Candidate>>, ApiError> {
    let mut holders: HashMap<(Match, String), Vec<String>> = HashMap::new();
    for kind in [Match::Name, Match::Phone, Match::Email] {
        let wanted: HashSet<&str> = keys
            .iter()
            .flatten()
            .flat_map(|k| k.entries())
            .filter(|(m, _)| *m == kind)
            .map(|(_, key)| key)
            .collect();
        let wanted: Vec<&str> = wanted.into_iter().collect();
        for (key, id) in imports::holders(c, kind, &wanted)? {
            if own.contains(&id) {
                continue;
            }
            holders.entry((kind, key)).or_default().push(id);
        }
    }
    let ids: HashSet<&str> = holders.values().flatten().map(String::as_str).collect();
    let ids: Vec<&str> = ids.into_iter().collect();
    let read = Scoped::new(auth, Action::Read);
    let update = Scoped::new(auth, Action::Update);
    let readable = imports::ids_within(c, &ids, || read.cond())?;
    let editable = imports::ids_within(c, &ids, || update.cond())?;
    Ok(keys
        .iter()
        .map(|k| {
            let Some(k) = k else { return Vec::new() };
            let mut found: Vec<&String> = k
                .entries()
                .into_iter()
                .filter_map(|(m, key)| holders.get(&(m, key.to_owned())))
                .flatten()
                .collect();
            found.sort();
            found.dedup();
            found
                .into_iter()
                .map(|id| Candidate {
                    id: id.clone(),
                    access: if editable.contains(id) && readable.contains(id) {
                        Access::Editable
                    } else if readable.contains(id) {
                        Access::ReadOnly
                    } else {
                        Access::Hidden
                    },
                })
                .collect()
        })
        .collect())
}

/// What a dry run reports: counts, and the rows not simply created.
pub fn dry_run(planned: &[Planned]) -> (Counts, Vec<(u32, Outcome)>) {
    let mut counts = Counts::default();
    let mut has_record = vec![false; planned.len()];
    let mut rows = Vec::new();
    for p in planned {
        let o = match &p.step {
            Step::Done(o) => Outcome {
                outcome: o.outcome,
                error: o.error.clone(),
                customer_id: o.customer_id.clone(),
            },
            Step::Write(_, Decision::Create { .. }) => {
                has_record[p.seq] = true;
                counts.created += 1;
                continue;
            }
            Step::Write(_, Decision::Update(Target::Existing(id))) => {
                has_record[p.seq] = true;
                Outcome {
                    outcome: "updated",
                    error: None,
                    customer_id: Some(id.clone()),
                }
            }
            Step::Write(_, Decision::Update(Target::EarlierRow(j))) if has_record[*j] => {
                has_record[p.seq] = true;
                Outcome {
                    outcome: "updated",
                    error: None,
                    customer_id: None,
                }
            }
            Step::Write(..) => Outcome::failed(earlier_failed(planned, p)),
        };
        match o.outcome {
            "updated" => counts.updated += 1,
            "skipped" => counts.skipped += 1,
            _ => counts.failed += 1,
        }
        rows.push((p.line, o));
    }
    (counts, rows)
}

fn earlier_failed(planned: &[Planned], p: &Planned) -> RowError {
    let line = match &p.step {
        Step::Write(_, Decision::Update(Target::EarlierRow(j))) => planned[*j].line,
        _ => p.line,
    };
    not_imported(line)
}

/// The row repeats the customer of `line`, which was not imported.
fn not_imported(line: u32) -> RowError {
    RowError::row(
        "duplicate_in_file",
        format!("the same customer as line {line}, which was not imported"),
    )
}

/// The fields of a customer an import's update can change, as they were:
/// what undo puts back.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Before {
    pub kind: String,
    pub industry: Option<String>,
    pub source: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub tags: Vec<String>,
    // absent in imports made before these fields existed
    #[serde(default)]
    pub renewal_on: Option<String>,
    #[serde(default)]
    pub maintenance_on: Option<String>,
}

impl Before {
    fn of(v: &Customer) -> Self {
        Self {
            kind: v.kind.as_str().to_owned(),
            industry: v.industry.clone(),
            source: v.source.clone(),
            address: v.address.clone(),
            notes: v.notes.clone(),
            phones: v.phones.iter().map(|p| p.as_str().to_owned()).collect(),
            emails: v.emails.iter().map(|e| e.as_str().to_owned()).collect(),
            tags: v.tags.iter().map(|t| t.as_str().to_owned()).collect(),
            renewal_on: v.renewal_on.map(|d| d.to_string()),
            maintenance_on: v.maintenance_on.map(|d| d.to_string()),
        }
    }
}

/// Where a run starts: the rows already written, as committed with the
/// import's progress (none for a new run).
#[derive(Default)]
pub struct Resume {
    /// `done_rows` of the import: rows in file order before it are written.
    pub done_rows: i64,
    /// (row, customer) of the rows written that created or updated one, for
    /// later rows of the same customer.
    pub records: Vec<(usize, String)>,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Every row is written.
    Finished,
    /// Another node took the import over (this one was taken for dead);
    /// nothing more was written here.
    TakenOver,
    /// `max_batches` were written, the rest not.
    Paused,
}

/// Runs a planned import for `auth`, a batch per transaction, recording
/// each row's result and the progress with it, from the first row not yet
/// written. Each batch first renews the import's lease; `max_batches`
/// stops early (what a node that dies does, for the takeover test).
pub fn run(
    c: &mut DbConnection,
    auth: &Auth,
    import_id: &str,
    planned: Vec<Planned>,
    from: Resume,
    max_batches: Option<usize>,
) -> Result<Ended, ApiError> {
    let mut records: Vec<Option<String>> = vec![None; planned.len()];
    for (seq, id) in from.records {
        if let Some(r) = records.get_mut(seq) {
            *r = Some(id);
        }
    }
    let lines: Vec<u32> = planned.iter().map(|p| p.line).collect();
    let ctx = Context {
        auth,
        import_id,
        update: Scoped::new(auth, Action::Update),
        reason: OverrideReason::parse(
            "duplicate_reason",
            &format!("imported with duplicates created anyway (import {import_id})"),
        )?,
        lines,
    };
    let mut done = from.done_rows;
    let mut it = planned
        .into_iter()
        .skip(usize::try_from(done).unwrap_or(0))
        .peekable();
    let mut batches = 0;
    while it.peek().is_some() {
        if max_batches.is_some_and(|m| batches >= m) {
            return Ok(Ended::Paused);
        }
        let batch: Vec<Planned> = it.by_ref().take(BATCH).collect();
        let kept = db::write_tx(c, |c| -> Result<bool, ApiError> {
            let now = db::now();
            if !imports::renew(c, import_id, done, now)? {
                return Ok(false);
            }
            let results = write_batch(c, &ctx, &batch, &mut records, now)?;
            let mut counts = Counts::default();
            for r in &results {
                match r.outcome {
                    "created" => counts.created += 1,
                    "updated" => counts.updated += 1,
                    "skipped" => counts.skipped += 1,
                    _ => counts.failed += 1,
                }
            }
            imports::write_results(c, import_id, &results)?;
            imports::add_progress(c, import_id, counts)?;
            Ok(true)
        })?;
        if !kept {
            return Ok(Ended::TakenOver);
        }
        done += batch.len() as i64;
        batches += 1;
    }
    Ok(Ended::Finished)
}

/// What every row of a run shares.
struct Context<'a> {
    auth: &'a Auth,
    import_id: &'a str,
    update: Scoped,
    reason: OverrideReason,
    lines: Vec<u32>,
}

/// Writes one batch, within its transaction, and returns each row's result
/// in file order. The plain new customers (most rows of most imports) are
/// written first, together, with multi-row statements in one savepoint; if
/// that fails (one bad row is enough), it is rolled back and each of them
/// is written alone in its own savepoint instead, so a row that cannot be
/// written fails by itself and leaves nothing. Every other row (updates,
/// duplicates created anyway) is written alone in its savepoint. New
/// customers depend on no other row of the batch, so writing them first
/// changes no row's outcome.
fn write_batch(
    c: &mut DbConnection,
    ctx: &Context<'_>,
    batch: &[Planned],
    records: &mut [Option<String>],
    now: chrono::NaiveDateTime,
) -> Result<Vec<RowResult>, ApiError> {
    let mut fresh: HashMap<usize, RowResult> = HashMap::new();
    let news: Vec<imports::NewCustomer<'_>> = batch
        .iter()
        .filter_map(|p| match &p.step {
            Step::Write(d, Decision::Create { like }) if like.is_empty() => {
                Some(imports::NewCustomer {
                    id: db::new_id(),
                    customer: &d.customer,
                    contact: d.contact.as_ref().map(|ct| (db::new_id(), ct)),
                })
            }
            _ => None,
        })
        .collect();
    if !news.is_empty() {
        let by = changed_by(ctx.auth);
        let bulk = c.transaction(|c| imports::create_customers(c, &news, by, now, ctx.import_id));
        match bulk {
            Ok(()) => {
                let mut n = news.iter();
                for p in batch {
                    if matches!(&p.step, Step::Write(_, Decision::Create { like }) if like.is_empty())
                        && let Some(w) = n.next()
                    {
                        let r = RowResult {
                            contact_id: w.contact.as_ref().map(|(id, _)| id.clone()),
                            customer_version: Some(1),
                            ..stored(p, "created", None, Some(w.id.clone()))
                        };
                        fresh.insert(p.seq, r);
                    }
                }
            }
            Err(e) => {
                tracing::warn!(import = ctx.import_id, error = %e, "a batch of new customers failed together; writing them one by one");
            }
        }
    }
    let mut results = Vec::with_capacity(batch.len());
    for p in batch {
        let r = match fresh.remove(&p.seq) {
            Some(r) => r,
            None => write_one(c, ctx, p, records, now),
        };
        if matches!(r.outcome, "created" | "updated") {
            records[p.seq] = r.customer_id.clone();
        }
        results.push(r);
    }
    Ok(results)
}

/// One row, alone, in its own savepoint.
fn write_one(
    c: &mut DbConnection,
    ctx: &Context<'_>,
    p: &Planned,
    records: &[Option<String>],
    now: chrono::NaiveDateTime,
) -> RowResult {
    let (d, decision) = match &p.step {
        Step::Done(o) => return stored(p, o.outcome, o.error.clone(), o.customer_id.clone()),
        Step::Write(d, decision) => (d, decision),
    };
    let target = match decision {
        Decision::Update(Target::EarlierRow(j)) => records[*j].as_ref().map(|id| Some(id.clone())),
        Decision::Update(Target::Existing(id)) => Some(Some(id.clone())),
        _ => Some(None),
    };
    let Some(target) = target else {
        let line = match decision {
            Decision::Update(Target::EarlierRow(j)) => ctx.lines[*j],
            _ => p.line,
        };
        return stored(p, "failed", Some(not_imported(line)), None);
    };
    // a savepoint: a row that fails half-way leaves nothing
    let w = c.transaction(|c| {
        write_row(
            c,
            ctx.auth,
            ctx.import_id,
            p,
            d,
            decision,
            target,
            &ctx.update,
            &ctx.reason,
            now,
        )
    });
    w.unwrap_or_else(|e| {
        tracing::warn!(import = ctx.import_id, line = p.line, error = %e, "import row failed to write");
        stored(
            p,
            "failed",
            Some(RowError::row(
                "write_failed",
                "could not be saved; try this row again",
            )),
            None,
        )
    })
}

fn stored(
    p: &Planned,
    outcome: &'static str,
    e: Option<RowError>,
    customer_id: Option<String>,
) -> RowResult {
    RowResult {
        seq: p.seq as i64,
        line: p.line as i64,
        outcome,
        code: e.as_ref().map(|e| e.code.clone()),
        column: e.as_ref().and_then(|e| e.column.clone()),
        message: e.map(|e| e.message),
        customer_id,
        ..RowResult::default()
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "the row, its decision and the run's shared context"
)]
fn write_row(
    c: &mut DbConnection,
    auth: &Auth,
    import_id: &str,
    p: &Planned,
    d: &Draft,
    decision: &Decision,
    target: Option<String>,
    update: &Scoped,
    reason: &OverrideReason,
    now: chrono::NaiveDateTime,
) -> Result<RowResult, ApiError> {
    let by = changed_by(auth);
    let tag = Some(import_id);
    let (customer_id, outcome, version, before) = match target {
        None => {
            let id = db::new_id();
            store::insert_new(c, &id, &d.customer, auth.user_id(), now)?;
            let created = audit::diff(&Vec::new(), &d.customer.audit_fields());
            audit_log::record_tagged(
                c,
                Entity::Customer,
                &id,
                &id,
                AuditAction::Create,
                &created,
                by,
                now,
                tag,
            )?;
            if let Decision::Create { like } = decision
                && !like.is_empty()
            {
                dedup::record_override(c, &id, reason, like, by, now)?;
            }
            (id, "created", 1, None)
        }
        Some(id) => {
            // access is checked in SQL again, within this transaction
            let Some(cur) = store::get(c, &id, update.cond(), Liveness::Live)? else {
                return Ok(stored(
                    p,
                    "failed",
                    Some(RowError::row(
                        "not_editable",
                        "the customer it matches cannot be changed any more",
                    )),
                    None,
                ));
            };
            let before = cur.to_domain();
            let next = draft::merge(&before, d);
            let adds_contact = match &d.contact {
                Some(ct) => !has_contact_named(c, &id, &ct.name)?,
                None => false,
            };
            if next == before && !adds_contact {
                return Ok(stored(
                    p,
                    "skipped",
                    Some(RowError::row(
                        "nothing_new",
                        "adds nothing to the customer it matches",
                    )),
                    Some(id),
                ));
            }
            let mut version = cur.row.version;
            if next != before {
                version = match store::update(
                    c,
                    &id,
                    Some(cur.row.version),
                    &next,
                    || update.cond(),
                    auth.user_id(),
                    now,
                )? {
                    WriteOutcome::Done(r) => r.row.version,
                    WriteOutcome::Stale(_) | WriteOutcome::NotFound => {
                        return Err(ApiError::conflict("changed while importing"));
                    }
                };
                let changes = audit::diff(&before.audit_fields(), &next.audit_fields());
                audit_log::record_tagged(
                    c,
                    Entity::Customer,
                    &id,
                    &id,
                    AuditAction::Update,
                    &changes,
                    by,
                    now,
                    tag,
                )?;
            }
            let before = serde_json::to_string(&Before::of(&before)).ok();
            (id, "updated", version, before)
        }
    };
    let contact_id = match &d.contact {
        Some(ct) if !has_contact_named(c, &customer_id, &ct.name)? => {
            let cid = db::new_id();
            contacts::insert(c, &cid, &customer_id, ct, auth.user_id(), now)?;
            let created = audit::diff(&Vec::new(), &ct.audit_fields());
            audit_log::record_tagged(
                c,
                Entity::Contact,
                &cid,
                &customer_id,
                AuditAction::Create,
                &created,
                by,
                now,
                tag,
            )?;
            Some(cid)
        }
        _ => None,
    };
    Ok(RowResult {
        contact_id,
        customer_version: Some(version),
        before,
        ..stored(p, outcome, None, Some(customer_id))
    })
}

fn has_contact_named(
    c: &mut DbConnection,
    customer_id: &str,
    name: &str,
) -> Result<bool, ApiError> {
    use crate::db::schema::contacts as t;
    Ok(t::table
        .filter(t::customer_id.eq(customer_id))
        .filter(t::name.eq(name))
        .filter(t::deleted_at.is_null())
        .select(t::id)
        .first::<String>(c)
        .optional()?
        .is_some())
}
