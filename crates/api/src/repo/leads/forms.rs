//! Public web forms that create leads, and the submissions counted for
//! their rate limit.

use crate::db::DbConnection;
use crate::db::schema::{lead_form_hits as hits, lead_forms as forms};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = forms)]
pub struct FormRow {
    pub id: String,
    pub name: String,
    pub source: String,
    pub campaign: Option<String>,
    pub team_id: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    /// JSON list of the sites that may post to it; empty: any.
    pub allowed_origins: String,
}

impl FormRow {
    /// The sites that may post to it (normalised when saved); empty: any.
    pub fn origins(&self) -> Vec<String> {
        serde_json::from_str(&self.allowed_origins).unwrap_or_default()
    }
}

/// A form's settings.
#[derive(Debug, Clone)]
pub struct FormSettings {
    pub name: String,
    pub source: String,
    pub campaign: Option<String>,
    pub team_id: Option<String>,
    pub active: bool,
    pub allowed_origins: Vec<String>,
}

fn origins_text(s: &FormSettings) -> String {
    serde_json::to_string(&s.allowed_origins).unwrap_or_else(|_| "[]".into())
}

pub fn list(c: &mut DbConnection) -> QueryResult<Vec<FormRow>> {
    forms::table
        .order((forms::created_at.asc(), forms::id.asc()))
        .select(FormRow::as_select())
        .load(c)
}

pub fn get(c: &mut DbConnection, id: &str) -> QueryResult<Option<FormRow>> {
    forms::table
        .filter(forms::id.eq(id))
        .select(FormRow::as_select())
        .first(c)
        .optional()
}

pub fn by_token(c: &mut DbConnection, token_hash: &str) -> QueryResult<Option<FormRow>> {
    forms::table
        .filter(forms::token_hash.eq(token_hash))
        .select(FormRow::as_select())
        .first(c)
        .optional()
}

pub fn insert(
    c: &mut DbConnection,
    id: &str,
    s: &FormSettings,
    token_hash: &str,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<FormRow> {
    diesel::insert_into(forms::table)
        .values((
            forms::id.eq(id),
            forms::name.eq(&s.name),
            forms::source.eq(&s.source),
            forms::campaign.eq(&s.campaign),
            forms::team_id.eq(&s.team_id),
            forms::active.eq(s.active),
            forms::allowed_origins.eq(origins_text(s)),
            forms::token_hash.eq(token_hash),
            forms::created_by.eq(by),
            forms::created_at.eq(now),
            forms::updated_at.eq(now),
            forms::version.eq(1i64),
        ))
        .execute(c)?;
    forms::table
        .filter(forms::id.eq(id))
        .select(FormRow::as_select())
        .first(c)
}

pub fn update(
    c: &mut DbConnection,
    id: &str,
    s: &FormSettings,
    now: NaiveDateTime,
) -> QueryResult<Option<FormRow>> {
    let n = diesel::update(forms::table.filter(forms::id.eq(id)))
        .set((
            forms::name.eq(&s.name),
            forms::source.eq(&s.source),
            forms::campaign.eq(&s.campaign),
            forms::team_id.eq(&s.team_id),
            forms::active.eq(s.active),
            forms::allowed_origins.eq(origins_text(s)),
            forms::updated_at.eq(now),
            forms::version.eq(forms::version + 1),
        ))
        .execute(c)?;
    if n == 0 {
        return Ok(None);
    }
    get(c, id)
}

pub fn delete(c: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::delete(hits::table.filter(hits::form_id.eq(id))).execute(c)?;
    Ok(diesel::delete(forms::table.filter(forms::id.eq(id))).execute(c)? > 0)
}

/// Counts a submission from `client` unless it already made `max` since
/// `since`; answers the time of the oldest counted one when over the limit.
pub fn hit(
    c: &mut DbConnection,
    form_id: &str,
    client: &str,
    since: NaiveDateTime,
    max: i64,
    now: NaiveDateTime,
) -> QueryResult<Result<(), NaiveDateTime>> {
    diesel::delete(
        hits::table
            .filter(hits::form_id.eq(form_id))
            .filter(hits::at.lt(since)),
    )
    .execute(c)?;
    let recent: Vec<NaiveDateTime> = hits::table
        .filter(hits::form_id.eq(form_id))
        .filter(hits::client.eq(client))
        .filter(hits::at.ge(since))
        .order(hits::at.asc())
        .select(hits::at)
        .load(c)?;
    if recent.len() as i64 >= max {
        return Ok(Err(recent[0]));
    }
    diesel::insert_into(hits::table)
        .values((
            hits::id.eq(crate::db::new_id()),
            hits::form_id.eq(form_id),
            hits::client.eq(client),
            hits::at.eq(now),
        ))
        .execute(c)?;
    Ok(Ok(()))
}
