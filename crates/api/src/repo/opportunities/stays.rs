//! A deal's stays in its stages and the checklist ticks that let it move on.

use super::*;
use crate::db::schema::{opportunity_checklist, opportunity_stage_history};

/// One stay in a stage.
#[derive(Debug, Clone, Queryable)]
pub struct StayRow {
    pub from_stage_id: Option<String>,
    pub stage_id: String,
    pub entered_at: NaiveDateTime,
    pub left_at: Option<NaiveDateTime>,
    pub by_user_id: Option<String>,
}

pub fn history(c: &mut DbConnection, id: &str) -> QueryResult<Vec<StayRow>> {
    opportunity_stage_history::table
        .filter(opportunity_stage_history::opportunity_id.eq(id))
        .order((
            opportunity_stage_history::entered_at,
            opportunity_stage_history::id,
        ))
        .select((
            opportunity_stage_history::from_stage_id,
            opportunity_stage_history::stage_id,
            opportunity_stage_history::entered_at,
            opportunity_stage_history::left_at,
            opportunity_stage_history::by_user_id,
        ))
        .load(c)
}

/// Ticked items: `(item, done_at, done_by)`.
pub fn ticks(
    c: &mut DbConnection,
    id: &str,
) -> QueryResult<Vec<(String, NaiveDateTime, Option<String>)>> {
    opportunity_checklist::table
        .filter(opportunity_checklist::opportunity_id.eq(id))
        .select((
            opportunity_checklist::item_id,
            opportunity_checklist::done_at,
            opportunity_checklist::done_by,
        ))
        .load(c)
}

pub fn tick(
    c: &mut DbConnection,
    id: &str,
    item: &str,
    done: bool,
    at: NaiveDateTime,
    by: Author,
) -> QueryResult<()> {
    diesel::delete(
        opportunity_checklist::table
            .filter(opportunity_checklist::opportunity_id.eq(id))
            .filter(opportunity_checklist::item_id.eq(item)),
    )
    .execute(c)?;
    if done {
        diesel::insert_into(opportunity_checklist::table)
            .values((
                opportunity_checklist::opportunity_id.eq(id),
                opportunity_checklist::item_id.eq(item),
                opportunity_checklist::done_at.eq(at),
                opportunity_checklist::done_by.eq(by.user_id),
                opportunity_checklist::api_key_id.eq(by.api_key_id),
            ))
            .execute(c)?;
    }
    Ok(())
}
