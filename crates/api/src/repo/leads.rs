//! Leads: rows, writes and scoped reads. Every read and write takes the
//! caller's access condition into its WHERE clause, so a hidden lead is
//! indistinguishable from a missing one.

use crate::db::schema::{leads, users};
use crate::db::{Db, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::access::RecordFacts;
use kehu_domain::audit::Action as Did;
use kehu_domain::lead::score::ScoreRules;
use kehu_domain::lead::{Lead, LeadStatus, Source};
use kehu_domain::text::{Email, Phone};
use std::collections::BTreeMap;

pub mod access;
pub mod forms;
pub mod history;
pub mod rules;
pub use super::customers::WriteOutcome;
pub use access::{LeadCondition, lead_condition};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = leads)]
pub struct LeadRow {
    pub id: String,
    pub name: String,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub industry: Option<String>,
    pub region_id: Option<String>,
    pub product_line_id: Option<String>,
    pub source: String,
    pub campaign: Option<String>,
    pub notes: Option<String>,
    pub status: String,
    pub score: i32,
    pub activity_count: i32,
    pub form_submissions: i32,
    pub owner_id: Option<String>,
    pub team_id: Option<String>,
    pub partner_id: Option<String>,
    pub form_id: Option<String>,
    pub rule_id: Option<String>,
    pub converted_customer_id: Option<String>,
    pub converted_contact_id: Option<String>,
    pub converted_opportunity_id: Option<String>,
    pub converted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl LeadRow {
    /// Back to the domain value. Stored values were validated on the way in.
    pub fn to_domain(&self) -> Lead {
        Lead {
            name: self.name.clone(),
            company: self.company.clone(),
            phone: self
                .phone
                .as_deref()
                .and_then(|p| Phone::parse("phone", p).ok()),
            email: self
                .email
                .as_deref()
                .and_then(|e| Email::parse("email", e).ok()),
            industry: self.industry.clone(),
            region_id: self.region_id.clone(),
            product_line_id: self.product_line_id.clone(),
            source: Source::parse("source", &self.source)
                .unwrap_or_else(|_| Source::known(Source::MANUAL)),
            campaign: self.campaign.clone(),
            notes: self.notes.clone(),
        }
    }

    pub fn status(&self) -> LeadStatus {
        LeadStatus::parse(&self.status).unwrap_or(LeadStatus::New)
    }

    pub fn engagement(&self) -> kehu_domain::lead::score::Engagement {
        kehu_domain::lead::score::Engagement {
            activities: self.activity_count.max(0) as u32,
            form_submissions: self.form_submissions.max(0) as u32,
        }
    }
}

/// Who holds a lead and where it stands, beside its own fields.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub status: Option<LeadStatus>,
    pub owner_id: Option<String>,
    pub team_id: Option<String>,
    pub partner_id: Option<String>,
    pub form_id: Option<String>,
    pub rule_id: Option<String>,
    pub score: u8,
    pub form_submissions: u32,
}

/// Who wrote it: a user, an API key, or nobody (a public web form).
#[derive(Debug, Clone, Copy, Default)]
pub struct Writer<'a> {
    pub user_id: Option<&'a str>,
    pub api_key_id: Option<&'a str>,
}

fn search_text(v: &Lead) -> String {
    [
        Some(v.name.as_str()),
        v.company.as_deref(),
        v.phone.as_ref().map(|p| p.as_str()),
        v.email.as_ref().map(|e| e.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
    .to_lowercase()
}

pub fn insert(
    c: &mut DbConnection,
    id: &str,
    v: &Lead,
    p: &Placement,
    by: Writer<'_>,
    now: NaiveDateTime,
) -> QueryResult<LeadRow> {
    diesel::insert_into(leads::table)
        .values((
            leads::id.eq(id),
            leads::name.eq(&v.name),
            leads::company.eq(&v.company),
            leads::phone.eq(v.phone.as_ref().map(|x| x.as_str())),
            leads::email.eq(v.email.as_ref().map(|x| x.as_str())),
            leads::industry.eq(&v.industry),
            leads::region_id.eq(&v.region_id),
            leads::product_line_id.eq(&v.product_line_id),
            leads::source.eq(v.source.as_str()),
            leads::campaign.eq(&v.campaign),
            leads::notes.eq(&v.notes),
            leads::status.eq(p.status.unwrap_or(LeadStatus::New).as_str()),
            leads::score.eq(i32::from(p.score)),
            leads::activity_count.eq(0),
            leads::form_submissions.eq(p.form_submissions as i32),
            leads::owner_id.eq(&p.owner_id),
            leads::team_id.eq(&p.team_id),
            leads::partner_id.eq(&p.partner_id),
            leads::form_id.eq(&p.form_id),
            leads::rule_id.eq(&p.rule_id),
            leads::search_text.eq(search_text(v)),
            leads::created_by.eq(by.user_id),
            leads::api_key_id.eq(by.api_key_id),
            leads::created_at.eq(now),
            leads::updated_by.eq(by.user_id),
            leads::updated_at.eq(now),
            leads::version.eq(1i64),
        ))
        .execute(c)?;
    let row = get_any(c, id)?;
    history::record(c, None, Some(&row), Did::Create, by, now)?;
    Ok(row)
}

fn get_any(c: &mut DbConnection, id: &str) -> QueryResult<LeadRow> {
    leads::table
        .filter(leads::id.eq(id))
        .select(LeadRow::as_select())
        .first(c)
}

/// A live lead `cond` allows.
pub fn get(c: &mut DbConnection, id: &str, cond: LeadCondition) -> QueryResult<Option<LeadRow>> {
    leads::table
        .filter(leads::id.eq(id))
        .filter(leads::deleted_at.is_null())
        .filter(cond)
        .select(LeadRow::as_select())
        .first(c)
        .optional()
}

pub fn exists_visible(c: &mut DbConnection, id: &str, cond: LeadCondition) -> QueryResult<bool> {
    Ok(leads::table
        .filter(leads::id.eq(id))
        .filter(leads::deleted_at.is_null())
        .filter(cond)
        .select(leads::id)
        .first::<String>(c)
        .optional()?
        .is_some())
}

/// The access facts a lead would have.
pub fn facts_of(
    c: &mut DbConnection,
    v: &Lead,
    owner_id: Option<&str>,
    team_id: Option<&str>,
    partner_id: Option<&str>,
) -> QueryResult<RecordFacts> {
    let owner_team_id = match owner_id {
        Some(o) => users::table
            .filter(users::id.eq(o))
            .select(users::team_id)
            .first(c)
            .optional()?
            .flatten(),
        None => None,
    };
    Ok(RecordFacts {
        owner_id: owner_id.map(str::to_owned),
        owner_team_id,
        team_id: team_id.map(str::to_owned),
        collaborator_ids: Default::default(),
        region_id: v.region_id.clone(),
        product_line_ids: v.product_line_id.iter().cloned().collect(),
        partner_id: partner_id.map(str::to_owned),
    })
}

/// Writes the lead's fields and placement if `cond` allows it and the
/// version matches (any version when `expected` is `None`).
#[expect(
    clippy::too_many_arguments,
    reason = "one write, every part of it named"
)]
pub fn update(
    c: &mut DbConnection,
    id: &str,
    expected: Option<i64>,
    v: &Lead,
    p: &Placement,
    cond: LeadCondition,
    by: Writer<'_>,
    now: NaiveDateTime,
) -> QueryResult<WriteOutcome<LeadRow>> {
    let Some(cur) = get(c, id, cond)? else {
        return Ok(WriteOutcome::NotFound);
    };
    if expected.is_some_and(|e| e != cur.version) {
        return Ok(WriteOutcome::Stale(cur.version));
    }
    let n = diesel::update(
        leads::table
            .filter(leads::id.eq(id))
            .filter(leads::version.eq(cur.version)),
    )
    .set((
        leads::name.eq(&v.name),
        leads::company.eq(&v.company),
        leads::phone.eq(v.phone.as_ref().map(|x| x.as_str())),
        leads::email.eq(v.email.as_ref().map(|x| x.as_str())),
        leads::industry.eq(&v.industry),
        leads::region_id.eq(&v.region_id),
        leads::product_line_id.eq(&v.product_line_id),
        leads::source.eq(v.source.as_str()),
        leads::campaign.eq(&v.campaign),
        leads::notes.eq(&v.notes),
        leads::search_text.eq(search_text(v)),
        leads::status.eq(p.status.unwrap_or(LeadStatus::New).as_str()),
        leads::score.eq(i32::from(p.score)),
        leads::owner_id.eq(&p.owner_id),
        leads::team_id.eq(&p.team_id),
        leads::updated_by.eq(by.user_id),
        leads::updated_at.eq(now),
        leads::version.eq(cur.version + 1),
    ))
    .execute(c)?;
    if n == 0 {
        let v = get_any(c, id)?.version;
        return Ok(WriteOutcome::Stale(v));
    }
    let row = get_any(c, id)?;
    history::record(c, Some(&cur), Some(&row), Did::Update, by, now)?;
    Ok(WriteOutcome::Done(row))
}

/// What a conversion made of the lead.
pub struct Converted<'a> {
    /// Who owns the converted lead: its owner, or whoever took it from the queue.
    pub owner_id: &'a str,
    pub customer_id: &'a str,
    pub contact_id: Option<&'a str>,
    pub opportunity_id: Option<&'a str>,
}

pub fn mark_converted(
    c: &mut DbConnection,
    id: &str,
    version: i64,
    to: &Converted<'_>,
    by: Writer<'_>,
    now: NaiveDateTime,
) -> QueryResult<Option<LeadRow>> {
    let before = get_any(c, id).optional()?;
    let n = diesel::update(
        leads::table
            .filter(leads::id.eq(id))
            .filter(leads::version.eq(version)),
    )
    .set((
        leads::owner_id.eq(to.owner_id),
        leads::status.eq(LeadStatus::Converted.as_str()),
        leads::converted_customer_id.eq(to.customer_id),
        leads::converted_contact_id.eq(to.contact_id),
        leads::converted_opportunity_id.eq(to.opportunity_id),
        leads::converted_at.eq(now),
        leads::updated_by.eq(by.user_id),
        leads::updated_at.eq(now),
        leads::version.eq(version + 1),
    ))
    .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    let row = get_any(c, id)?;
    history::record(c, before.as_ref(), Some(&row), Did::Convert, by, now)?;
    Ok(Some(row))
}

/// Moves a visible lead to the trash.
pub fn set_deleted(
    c: &mut DbConnection,
    id: &str,
    expected: Option<i64>,
    cond: LeadCondition,
    by: Writer<'_>,
    now: NaiveDateTime,
) -> QueryResult<WriteOutcome<()>> {
    let Some(cur) = get(c, id, cond)? else {
        return Ok(WriteOutcome::NotFound);
    };
    if expected.is_some_and(|e| e != cur.version) {
        return Ok(WriteOutcome::Stale(cur.version));
    }
    diesel::update(leads::table.filter(leads::id.eq(id)))
        .set((
            leads::deleted_at.eq(now),
            leads::updated_by.eq(by.user_id),
            leads::updated_at.eq(now),
            leads::version.eq(cur.version + 1),
        ))
        .execute(c)?;
    history::record(c, Some(&cur), None, Did::Delete, by, now)?;
    Ok(WriteOutcome::Done(()))
}

/// Open leads per user, for capacities.
pub fn open_counts(
    c: &mut DbConnection,
    user_ids: &[String],
) -> QueryResult<BTreeMap<String, u32>> {
    if user_ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let open: Vec<&str> = [
        LeadStatus::New,
        LeadStatus::Contacted,
        LeadStatus::Qualified,
    ]
    .iter()
    .map(|s| s.as_str())
    .collect();
    let rows: Vec<(Option<String>, i64)> = leads::table
        .filter(leads::owner_id.eq_any(user_ids))
        .filter(leads::deleted_at.is_null())
        .filter(leads::status.eq_any(open))
        .group_by(leads::owner_id)
        .select((leads::owner_id, diesel::dsl::count_star()))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(o, n)| o.map(|o| (o, n as u32)))
        .collect())
}

/// An open lead with this e-mail that came in through this form, for a
/// returning visitor.
pub fn open_from_form(
    c: &mut DbConnection,
    form_id: &str,
    email: &str,
) -> QueryResult<Option<LeadRow>> {
    leads::table
        .filter(leads::form_id.eq(form_id))
        .filter(leads::email.eq(email))
        .filter(leads::deleted_at.is_null())
        .filter(leads::status.eq_any(["new", "contacted", "qualified"]))
        .order(leads::created_at.desc())
        .select(LeadRow::as_select())
        .first(c)
        .optional()
}

/// Counts one more submission and stores the score it gives.
pub fn add_submission(
    c: &mut DbConnection,
    id: &str,
    score: u8,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(leads::table.filter(leads::id.eq(id)))
        .set((
            leads::form_submissions.eq(leads::form_submissions + 1),
            leads::score.eq(i32::from(score)),
            leads::updated_at.eq(now),
            leads::version.eq(leads::version + 1),
        ))
        .execute(c)
        .map(|_| ())
}

/// Which leads a list shows.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub status: Option<String>,
    pub owner_id: Option<String>,
    /// Only unowned leads (the queues).
    pub queue: bool,
    /// Only this team's queue.
    pub queue_team_id: Option<String>,
    /// Lower-cased search terms, each of which must appear.
    pub terms: Vec<String>,
    pub source: Option<String>,
    pub campaign: Option<String>,
}

/// The query for one page of leads under `cond`, newest first, after
/// `(created_at, id)`.
pub fn list_query(
    cond: LeadCondition,
    f: &LeadFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> leads::BoxedQuery<'static, Db> {
    let mut q = leads::table
        .filter(leads::deleted_at.is_null())
        .filter(cond)
        .into_boxed::<Db>();
    if let Some(s) = &f.status {
        q = q.filter(leads::status.eq(s.clone()));
    }
    if let Some(o) = &f.owner_id {
        q = q.filter(leads::owner_id.eq(o.clone()));
    }
    if f.queue {
        q = q.filter(leads::owner_id.is_null());
    }
    if let Some(t) = &f.queue_team_id {
        q = q.filter(leads::team_id.eq(t.clone()));
    }
    for t in &f.terms {
        q = q.filter(
            leads::search_text
                .like(super::customers::like_pattern(t))
                .escape('\\'),
        );
    }
    if let Some(s) = &f.source {
        q = q.filter(leads::source.eq(s.clone()));
    }
    if let Some(s) = &f.campaign {
        q = q.filter(leads::campaign.eq(s.clone()));
    }
    if let Some((at, id)) = after {
        q = q.filter(
            leads::created_at
                .lt(at)
                .or(leads::created_at.eq(at).and(leads::id.lt(id))),
        );
    }
    q.order((leads::created_at.desc(), leads::id.desc()))
        .limit(limit)
}

/// The alternatives of a scope a lead list reads one by one; a lead has no
/// collaborators, so that alternative holds nothing here and is left out.
pub fn list_branches(
    scope: &kehu_domain::access::Predicate,
) -> Vec<kehu_domain::access::Predicate> {
    super::access_sql::branches(scope)
        .into_iter()
        .filter(|b| !matches!(b, kehu_domain::access::Predicate::CollaboratorIs(_)))
        .collect()
}

/// A page of leads the caller's scope allows, newest first. Each
/// alternative of the scope (own, a team's queue, the queue of a territory,
/// a region...) is read on its own, from its own index, and the pages are
/// merged: one OR over them would walk the whole sort index for a rep who
/// owns a handful of leads among millions.
pub fn list(
    c: &mut DbConnection,
    scope: &kehu_domain::access::Predicate,
    f: &LeadFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<LeadRow>> {
    let mut rows: Vec<LeadRow> = Vec::new();
    for branch in list_branches(scope) {
        rows.extend(
            list_query(lead_condition(&branch), f, after.clone(), limit)
                .select(LeadRow::as_select())
                .load(c)?,
        );
    }
    rows.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
    rows.dedup_by(|a, b| a.id == b.id);
    rows.truncate(limit.max(0) as usize);
    Ok(rows)
}

/// Display names of users, by id.
pub fn names_of(
    c: &mut DbConnection,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load::<(String, String)>(c)?
        .into_iter()
        .collect())
}

/// Where the score weights are kept (`settings`), as JSON.
const SCORE_RULES_KEY: &str = "lead_score_rules";

/// The score weights in force: the stored ones, else the defaults.
pub fn score_rules(c: &mut DbConnection) -> QueryResult<ScoreRules> {
    Ok(super::settings::get(c, SCORE_RULES_KEY)?
        .and_then(|s| serde_json::from_str::<ScoreRules>(&s).ok())
        .unwrap_or_default())
}

/// Stores the score weights and scores every live lead again with them, so
/// that lists sorted or read by score agree with the explanation.
pub fn save_score_rules(
    c: &mut DbConnection,
    rules: &ScoreRules,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    use crate::db::schema::settings;
    let value = serde_json::to_string(rules).unwrap_or_default();
    diesel::delete(settings::table.filter(settings::key.eq(SCORE_RULES_KEY))).execute(c)?;
    diesel::insert_into(settings::table)
        .values((settings::key.eq(SCORE_RULES_KEY), settings::value.eq(value)))
        .execute(c)?;
    let mut changed = 0;
    let mut after = String::new();
    loop {
        let rows: Vec<LeadRow> = leads::table
            .filter(leads::deleted_at.is_null())
            .filter(leads::id.gt(after.clone()))
            .order(leads::id.asc())
            .limit(500)
            .select(LeadRow::as_select())
            .load(c)?;
        let Some(last) = rows.last() else { break };
        after = last.id.clone();
        for r in &rows {
            let s = kehu_domain::lead::score::score(
                rules,
                &r.to_domain().score_facts(),
                r.engagement(),
            );
            if i32::from(s.total) != r.score {
                diesel::update(leads::table.filter(leads::id.eq(&r.id)))
                    .set((
                        leads::score.eq(i32::from(s.total)),
                        leads::updated_at.eq(now),
                    ))
                    .execute(c)?;
                changed += 1;
            }
        }
    }
    Ok(changed)
}
