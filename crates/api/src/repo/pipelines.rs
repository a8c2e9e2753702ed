//! Pipelines with their stages and checklists, loss reasons and the
//! competitor list: how the company sells, read by every deal screen.

use crate::db::schema::{
    competitors, loss_reasons, pipeline_stages, pipelines, stage_checklist_items,
};
use crate::db::{self, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::pipeline::{
    ForecastCategory, Probability, Stage, StageDef, StageKind, default_stages,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pipelines)]
pub struct PipelineRow {
    pub id: String,
    pub name: String,
    pub team_id: Option<String>,
    pub product_line_id: Option<String>,
    pub is_default: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pipeline_stages)]
pub struct StageRow {
    pub id: String,
    pub pipeline_id: String,
    pub stage_key: Option<String>,
    pub name: String,
    pub kind: String,
    pub position: i32,
    pub probability: i32,
    pub forecast_category: String,
    pub stale_after_days: Option<i32>,
    pub retired: bool,
}

impl StageRow {
    pub fn kind(&self) -> StageKind {
        StageKind::parse(&self.kind).unwrap_or(StageKind::Open)
    }

    pub fn probability(&self) -> Probability {
        Probability::new(i64::from(self.probability)).unwrap_or(Probability::ZERO)
    }

    pub fn category(&self) -> ForecastCategory {
        ForecastCategory::parse(&self.forecast_category).unwrap_or(ForecastCategory::Pipeline)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = stage_checklist_items)]
pub struct ItemRow {
    pub id: String,
    pub stage_id: String,
    pub label: String,
    pub required: bool,
    pub position: i32,
    pub retired: bool,
}

/// A stage with its (current) checklist.
#[derive(Debug, Clone)]
pub struct StageRecord {
    pub row: StageRow,
    pub items: Vec<ItemRow>,
}

/// A pipeline with its current stages in funnel order: open by position,
/// then won, then lost.
#[derive(Debug, Clone)]
pub struct PipelineRecord {
    pub row: PipelineRow,
    pub stages: Vec<StageRecord>,
}

impl PipelineRecord {
    pub fn stage(&self, id: &str) -> Option<&StageRecord> {
        self.stages.iter().find(|s| s.row.id == id)
    }

    pub fn of_kind(&self, k: StageKind) -> Option<&StageRecord> {
        self.stages.iter().find(|s| s.row.kind() == k)
    }

    /// The first open stage: where a new deal starts.
    pub fn first_open(&self) -> Option<&StageRecord> {
        self.of_kind(StageKind::Open)
    }

    /// The stages as the move rules see them.
    pub fn rules(&self) -> Vec<Stage> {
        self.stages
            .iter()
            .map(|s| Stage {
                id: s.row.id.clone(),
                kind: s.row.kind(),
                position: s.row.position,
                required_items: s
                    .items
                    .iter()
                    .filter(|i| i.required)
                    .map(|i| i.id.clone())
                    .collect(),
            })
            .collect()
    }
}

fn order_key(s: &StageRow) -> (u8, i32) {
    let k = match s.kind() {
        StageKind::Open => 0,
        StageKind::Won => 1,
        StageKind::Lost => 2,
    };
    (k, s.position)
}

/// Every pipeline, the default first, with its current stages and items.
pub fn all(c: &mut DbConnection) -> QueryResult<Vec<PipelineRecord>> {
    let rows: Vec<PipelineRow> = pipelines::table
        .order((pipelines::is_default.desc(), pipelines::name, pipelines::id))
        .select(PipelineRow::as_select())
        .load(c)?;
    with_stages(c, rows)
}

pub fn get(c: &mut DbConnection, id: &str) -> QueryResult<Option<PipelineRecord>> {
    let rows: Vec<PipelineRow> = pipelines::table
        .filter(pipelines::id.eq(id))
        .select(PipelineRow::as_select())
        .load(c)?;
    Ok(with_stages(c, rows)?.pop())
}

pub fn default_id(c: &mut DbConnection) -> QueryResult<Option<String>> {
    pipelines::table
        .filter(pipelines::is_default.eq(true))
        .select(pipelines::id)
        .first(c)
        .optional()
}

fn with_stages(c: &mut DbConnection, rows: Vec<PipelineRow>) -> QueryResult<Vec<PipelineRecord>> {
    let ids: Vec<String> = rows.iter().map(|p| p.id.clone()).collect();
    let stages: Vec<StageRow> = pipeline_stages::table
        .filter(pipeline_stages::pipeline_id.eq_any(&ids))
        .filter(pipeline_stages::retired.eq(false))
        .select(StageRow::as_select())
        .load(c)?;
    let stage_ids: Vec<String> = stages.iter().map(|s| s.id.clone()).collect();
    let items: Vec<ItemRow> = stage_checklist_items::table
        .filter(stage_checklist_items::stage_id.eq_any(&stage_ids))
        .filter(stage_checklist_items::retired.eq(false))
        .order((stage_checklist_items::position, stage_checklist_items::id))
        .select(ItemRow::as_select())
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut ss: Vec<StageRecord> = stages
                .iter()
                .filter(|s| s.pipeline_id == row.id)
                .map(|s| StageRecord {
                    row: s.clone(),
                    items: items
                        .iter()
                        .filter(|i| i.stage_id == s.id)
                        .cloned()
                        .collect(),
                })
                .collect();
            ss.sort_by_key(|s| order_key(&s.row));
            PipelineRecord { row, stages: ss }
        })
        .collect())
}

/// Every stage ever part of these pipelines, retired ones too: history
/// names the stages a deal passed through even after they were removed.
pub fn stage_names(c: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    pipeline_stages::table
        .filter(pipeline_stages::id.eq_any(ids))
        .select((pipeline_stages::id, pipeline_stages::name))
        .load(c)
}

/// Items by id, retired ones too (a tick stays on record).
pub fn items(c: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<ItemRow>> {
    stage_checklist_items::table
        .filter(stage_checklist_items::id.eq_any(ids))
        .select(ItemRow::as_select())
        .load(c)
}

/// The values of a pipeline as written.
pub struct PipelineValues<'a> {
    pub name: &'a str,
    pub team_id: Option<&'a str>,
    pub product_line_id: Option<&'a str>,
}

/// A stage to write: its id when it exists, its definition, and the ids
/// of its items where they exist.
pub type StageWrite = (Option<String>, StageDef, Vec<Option<String>>);

/// Writes stages: those with an id of this pipeline are updated in place
/// (their history keeps its meaning), new ones inserted, and the ones left
/// out retired. Items follow the same rule within their stage.
pub fn write_stages(
    c: &mut DbConnection,
    pipeline_id: &str,
    stages: &[StageWrite],
) -> QueryResult<()> {
    let existing: Vec<String> = pipeline_stages::table
        .filter(pipeline_stages::pipeline_id.eq(pipeline_id))
        .select(pipeline_stages::id)
        .load(c)?;
    let mut kept = Vec::new();
    for (pos, (sid, def, item_ids)) in stages.iter().enumerate() {
        let sid = match sid.as_ref().filter(|s| existing.contains(s)) {
            Some(sid) => {
                diesel::update(pipeline_stages::table.find(sid))
                    .set((
                        pipeline_stages::name.eq(&def.name),
                        pipeline_stages::kind.eq(def.kind.as_str()),
                        pipeline_stages::position.eq(pos as i32),
                        pipeline_stages::probability.eq(def.probability.percent() as i32),
                        pipeline_stages::forecast_category.eq(def.category.as_str()),
                        pipeline_stages::stale_after_days.eq(def.stale_after_days),
                        pipeline_stages::retired.eq(false),
                    ))
                    .execute(c)?;
                sid.clone()
            }
            None => {
                let sid = db::new_id();
                diesel::insert_into(pipeline_stages::table)
                    .values((
                        pipeline_stages::id.eq(&sid),
                        pipeline_stages::pipeline_id.eq(pipeline_id),
                        pipeline_stages::stage_key.eq(def.key.as_deref()),
                        pipeline_stages::name.eq(&def.name),
                        pipeline_stages::kind.eq(def.kind.as_str()),
                        pipeline_stages::position.eq(pos as i32),
                        pipeline_stages::probability.eq(def.probability.percent() as i32),
                        pipeline_stages::forecast_category.eq(def.category.as_str()),
                        pipeline_stages::stale_after_days.eq(def.stale_after_days),
                        pipeline_stages::retired.eq(false),
                    ))
                    .execute(c)?;
                sid
            }
        };
        let old_items: Vec<String> = stage_checklist_items::table
            .filter(stage_checklist_items::stage_id.eq(&sid))
            .select(stage_checklist_items::id)
            .load(c)?;
        let mut kept_items = Vec::new();
        for (ipos, item) in def.checklist.iter().enumerate() {
            let given = item_ids.get(ipos).cloned().flatten();
            match given.filter(|i| old_items.contains(i)) {
                Some(iid) => {
                    diesel::update(stage_checklist_items::table.find(&iid))
                        .set((
                            stage_checklist_items::label.eq(&item.label),
                            stage_checklist_items::required.eq(item.required),
                            stage_checklist_items::position.eq(ipos as i32),
                            stage_checklist_items::retired.eq(false),
                        ))
                        .execute(c)?;
                    kept_items.push(iid);
                }
                None => {
                    let iid = db::new_id();
                    diesel::insert_into(stage_checklist_items::table)
                        .values((
                            stage_checklist_items::id.eq(&iid),
                            stage_checklist_items::stage_id.eq(&sid),
                            stage_checklist_items::label.eq(&item.label),
                            stage_checklist_items::required.eq(item.required),
                            stage_checklist_items::position.eq(ipos as i32),
                            stage_checklist_items::retired.eq(false),
                        ))
                        .execute(c)?;
                    kept_items.push(iid);
                }
            }
        }
        diesel::update(
            stage_checklist_items::table
                .filter(stage_checklist_items::stage_id.eq(&sid))
                .filter(stage_checklist_items::id.ne_all(&kept_items)),
        )
        .set(stage_checklist_items::retired.eq(true))
        .execute(c)?;
        kept.push(sid);
    }
    diesel::update(
        pipeline_stages::table
            .filter(pipeline_stages::pipeline_id.eq(pipeline_id))
            .filter(pipeline_stages::id.ne_all(&kept)),
    )
    .set(pipeline_stages::retired.eq(true))
    .execute(c)?;
    Ok(())
}

pub fn insert(
    c: &mut DbConnection,
    id: &str,
    v: &PipelineValues,
    is_default: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(pipelines::table)
        .values((
            pipelines::id.eq(id),
            pipelines::name.eq(v.name),
            pipelines::team_id.eq(v.team_id),
            pipelines::product_line_id.eq(v.product_line_id),
            pipelines::is_default.eq(is_default),
            pipelines::created_at.eq(now),
            pipelines::updated_at.eq(now),
            pipelines::version.eq(1i64),
        ))
        .execute(c)
        .map(|_| ())
}

/// Updates name and scope when the version still matches; the new version.
pub fn update(
    c: &mut DbConnection,
    id: &str,
    expected: i64,
    v: &PipelineValues,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        pipelines::table
            .filter(pipelines::id.eq(id))
            .filter(pipelines::version.eq(expected)),
    )
    .set((
        pipelines::name.eq(v.name),
        pipelines::team_id.eq(v.team_id),
        pipelines::product_line_id.eq(v.product_line_id),
        pipelines::updated_at.eq(now),
        pipelines::version.eq(expected + 1),
    ))
    .execute(c)?;
    Ok(n == 1)
}

/// The pipeline for a new deal with no pipeline named: the one of its
/// product line, else of its owner's team, else the default.
pub fn for_deal(
    c: &mut DbConnection,
    product_line_id: Option<&str>,
    team_id: Option<&str>,
) -> QueryResult<Option<String>> {
    if let Some(pl) = product_line_id
        && let Some(id) = pipelines::table
            .filter(pipelines::product_line_id.eq(pl))
            .order(pipelines::id)
            .select(pipelines::id)
            .first::<String>(c)
            .optional()?
    {
        return Ok(Some(id));
    }
    if let Some(t) = team_id
        && let Some(id) = pipelines::table
            .filter(pipelines::team_id.eq(t))
            .filter(pipelines::product_line_id.is_null())
            .order(pipelines::id)
            .select(pipelines::id)
            .first::<String>(c)
            .optional()?
    {
        return Ok(Some(id));
    }
    default_id(c)
}

/// The id of the default pipeline and its stages: stable, so that demo data,
/// tests and integrations can name them.
pub const DEFAULT_PIPELINE: &str = "default";

/// Loss reasons every installation starts with.
const DEFAULT_LOSS_REASONS: [(&str, &str, &str); 5] = [
    ("price", "Price", "价格"),
    ("product_fit", "Product did not fit", "产品不匹配"),
    ("competitor", "Competitor chosen", "选择了竞争对手"),
    ("no_budget", "No budget", "没有预算"),
    ("no_decision", "No decision", "未做决定"),
];

/// Creates the default pipeline (in the organisation's language) and the
/// default loss reasons on a fresh database; later edits are the company's.
pub fn ensure_default(c: &mut DbConnection, zh: bool, now: NaiveDateTime) -> QueryResult<()> {
    db::write_tx(c, |c| {
        if pipelines::table
            .find(DEFAULT_PIPELINE)
            .count()
            .get_result::<i64>(c)?
            == 0
        {
            insert(
                c,
                DEFAULT_PIPELINE,
                &PipelineValues {
                    name: if zh { "销售漏斗" } else { "Sales" },
                    team_id: None,
                    product_line_id: None,
                },
                true,
                now,
            )?;
            for (pos, def) in default_stages(zh).into_iter().enumerate() {
                let key = def.key.clone().unwrap_or_default();
                let sid = format!("stage-{key}");
                diesel::insert_into(pipeline_stages::table)
                    .values((
                        pipeline_stages::id.eq(&sid),
                        pipeline_stages::pipeline_id.eq(DEFAULT_PIPELINE),
                        pipeline_stages::stage_key.eq(&key),
                        pipeline_stages::name.eq(&def.name),
                        pipeline_stages::kind.eq(def.kind.as_str()),
                        pipeline_stages::position.eq(pos as i32),
                        pipeline_stages::probability.eq(def.probability.percent() as i32),
                        pipeline_stages::forecast_category.eq(def.category.as_str()),
                        pipeline_stages::stale_after_days.eq(def.stale_after_days),
                        pipeline_stages::retired.eq(false),
                    ))
                    .execute(c)?;
                for (ipos, item) in def.checklist.iter().enumerate() {
                    diesel::insert_into(stage_checklist_items::table)
                        .values((
                            stage_checklist_items::id.eq(format!("{sid}-{}", ipos + 1)),
                            stage_checklist_items::stage_id.eq(&sid),
                            stage_checklist_items::label.eq(&item.label),
                            stage_checklist_items::required.eq(item.required),
                            stage_checklist_items::position.eq(ipos as i32),
                            stage_checklist_items::retired.eq(false),
                        ))
                        .execute(c)?;
                }
            }
        }
        if loss_reasons::table.count().get_result::<i64>(c)? == 0 {
            for (pos, (id, en, zh_label)) in DEFAULT_LOSS_REASONS.iter().enumerate() {
                diesel::insert_into(loss_reasons::table)
                    .values((
                        loss_reasons::id.eq(*id),
                        loss_reasons::label.eq(if zh { *zh_label } else { *en }),
                        loss_reasons::active.eq(true),
                        loss_reasons::position.eq(pos as i32),
                    ))
                    .execute(c)?;
            }
        }
        Ok(())
    })
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = loss_reasons)]
pub struct LossReasonRow {
    pub id: String,
    pub label: String,
    pub active: bool,
    pub position: i32,
}

pub fn loss_reasons(c: &mut DbConnection) -> QueryResult<Vec<LossReasonRow>> {
    loss_reasons::table
        .order((loss_reasons::position, loss_reasons::id))
        .select(LossReasonRow::as_select())
        .load(c)
}

pub fn loss_reason(c: &mut DbConnection, id: &str) -> QueryResult<Option<LossReasonRow>> {
    loss_reasons::table
        .find(id)
        .select(LossReasonRow::as_select())
        .first(c)
        .optional()
}

pub fn insert_loss_reason(c: &mut DbConnection, id: &str, label: &str) -> QueryResult<()> {
    let pos: Option<i32> = loss_reasons::table
        .select(diesel::dsl::max(loss_reasons::position))
        .first(c)?;
    diesel::insert_into(loss_reasons::table)
        .values((
            loss_reasons::id.eq(id),
            loss_reasons::label.eq(label),
            loss_reasons::active.eq(true),
            loss_reasons::position.eq(pos.map_or(0, |p| p + 1)),
        ))
        .execute(c)
        .map(|_| ())
}

pub fn update_loss_reason(
    c: &mut DbConnection,
    id: &str,
    label: &str,
    active: bool,
) -> QueryResult<usize> {
    diesel::update(loss_reasons::table.find(id))
        .set((
            loss_reasons::label.eq(label),
            loss_reasons::active.eq(active),
        ))
        .execute(c)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = competitors)]
pub struct CompetitorRow {
    pub id: String,
    pub name: String,
    pub website: Option<String>,
    pub strengths: Option<String>,
    pub weaknesses: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn competitors(c: &mut DbConnection) -> QueryResult<Vec<CompetitorRow>> {
    competitors::table
        .order((competitors::name, competitors::id))
        .select(CompetitorRow::as_select())
        .load(c)
}

pub fn competitor(c: &mut DbConnection, id: &str) -> QueryResult<Option<CompetitorRow>> {
    competitors::table
        .find(id)
        .select(CompetitorRow::as_select())
        .first(c)
        .optional()
}

pub fn competitor_name_taken(
    c: &mut DbConnection,
    name: &str,
    except: Option<&str>,
) -> QueryResult<bool> {
    let rows: Vec<(String, String)> = competitors::table
        .select((competitors::id, competitors::name))
        .load(c)?;
    let key = name.to_lowercase();
    Ok(rows
        .iter()
        .any(|(id, n)| n.to_lowercase() == key && Some(id.as_str()) != except))
}

pub fn save_competitor(c: &mut DbConnection, r: &CompetitorRow, insert: bool) -> QueryResult<()> {
    if insert {
        diesel::insert_into(competitors::table)
            .values((
                competitors::id.eq(&r.id),
                competitors::name.eq(&r.name),
                competitors::website.eq(&r.website),
                competitors::strengths.eq(&r.strengths),
                competitors::weaknesses.eq(&r.weaknesses),
                competitors::active.eq(r.active),
                competitors::created_at.eq(r.created_at),
                competitors::updated_at.eq(r.updated_at),
            ))
            .execute(c)?;
    } else {
        diesel::update(competitors::table.find(&r.id))
            .set((
                competitors::name.eq(&r.name),
                competitors::website.eq(&r.website),
                competitors::strengths.eq(&r.strengths),
                competitors::weaknesses.eq(&r.weaknesses),
                competitors::active.eq(r.active),
                competitors::updated_at.eq(r.updated_at),
            ))
            .execute(c)?;
    }
    Ok(())
}
