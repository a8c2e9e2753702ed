//! Competitors in a deal and what they did.

use super::*;
use crate::db::schema::{competitor_activities, competitors, opportunity_competitors};

#[derive(Debug, Clone, Queryable)]
pub struct DealCompetitorRow {
    pub competitor_id: String,
    pub name: String,
    pub strengths: Option<String>,
    pub weaknesses: Option<String>,
    pub status: String,
}

pub fn competitors_of(c: &mut DbConnection, id: &str) -> QueryResult<Vec<DealCompetitorRow>> {
    opportunity_competitors::table
        .inner_join(
            competitors::table.on(competitors::id.eq(opportunity_competitors::competitor_id)),
        )
        .filter(opportunity_competitors::opportunity_id.eq(id))
        .order((competitors::name, competitors::id))
        .select((
            opportunity_competitors::competitor_id,
            competitors::name,
            opportunity_competitors::strengths,
            opportunity_competitors::weaknesses,
            opportunity_competitors::status,
        ))
        .load(c)
}

/// `(id, competitor, happened_on, note, created_by, created_at)`, newest first.
pub type CompetitorActivityRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    NaiveDateTime,
);

pub fn competitor_activities(
    c: &mut DbConnection,
    id: &str,
) -> QueryResult<Vec<CompetitorActivityRow>> {
    competitor_activities::table
        .filter(competitor_activities::opportunity_id.eq(id))
        .order((
            competitor_activities::happened_on.desc(),
            competitor_activities::created_at.desc(),
        ))
        .select((
            competitor_activities::id,
            competitor_activities::competitor_id,
            competitor_activities::happened_on,
            competitor_activities::note,
            competitor_activities::created_by,
            competitor_activities::created_at,
        ))
        .load(c)
}

pub fn has_competitor(c: &mut DbConnection, id: &str, competitor: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        opportunity_competitors::table
            .filter(opportunity_competitors::opportunity_id.eq(id))
            .filter(opportunity_competitors::competitor_id.eq(competitor)),
    ))
    .get_result(c)
}

pub fn add_competitor(
    c: &mut DbConnection,
    id: &str,
    competitor: &str,
    strengths: Option<&str>,
    weaknesses: Option<&str>,
    status: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(opportunity_competitors::table)
        .values((
            opportunity_competitors::opportunity_id.eq(id),
            opportunity_competitors::competitor_id.eq(competitor),
            opportunity_competitors::strengths.eq(strengths),
            opportunity_competitors::weaknesses.eq(weaknesses),
            opportunity_competitors::status.eq(status),
            opportunity_competitors::created_at.eq(now),
        ))
        .execute(c)
        .map(|_| ())
}

pub fn update_competitor(
    c: &mut DbConnection,
    id: &str,
    competitor: &str,
    strengths: Option<&str>,
    weaknesses: Option<&str>,
    status: &str,
) -> QueryResult<usize> {
    diesel::update(
        opportunity_competitors::table
            .filter(opportunity_competitors::opportunity_id.eq(id))
            .filter(opportunity_competitors::competitor_id.eq(competitor)),
    )
    .set((
        opportunity_competitors::strengths.eq(strengths),
        opportunity_competitors::weaknesses.eq(weaknesses),
        opportunity_competitors::status.eq(status),
    ))
    .execute(c)
}

pub fn remove_competitor(c: &mut DbConnection, id: &str, competitor: &str) -> QueryResult<usize> {
    diesel::delete(
        competitor_activities::table
            .filter(competitor_activities::opportunity_id.eq(id))
            .filter(competitor_activities::competitor_id.eq(competitor)),
    )
    .execute(c)?;
    diesel::delete(
        opportunity_competitors::table
            .filter(opportunity_competitors::opportunity_id.eq(id))
            .filter(opportunity_competitors::competitor_id.eq(competitor)),
    )
    .execute(c)
}

pub fn add_competitor_activity(
    c: &mut DbConnection,
    id: &str,
    competitor: &str,
    happened_on: &str,
    note: &str,
    by: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(competitor_activities::table)
        .values((
            competitor_activities::id.eq(db::new_id()),
            competitor_activities::opportunity_id.eq(id),
            competitor_activities::competitor_id.eq(competitor),
            competitor_activities::happened_on.eq(happened_on),
            competitor_activities::note.eq(note),
            competitor_activities::created_by.eq(by),
            competitor_activities::created_at.eq(now),
        ))
        .execute(c)
        .map(|_| ())
}
