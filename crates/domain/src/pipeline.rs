//! 销售漏斗: pipelines, their stages, and the rules for moving a deal
//! through them.
//!
//! A pipeline is an ordered list of open stages followed by one won and one
//! lost stage. Each stage carries a default probability, a forecast category
//! and a checklist; a deal may only move forward past a stage once that
//! stage's required items are done, so the funnel standardises good practice
//! instead of merely recording positions. Moving back is always allowed: a
//! judgement made too early is corrected, not hidden.

use crate::error::{Collector, FieldError, Invalid};
use crate::text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Whether a stage is part of the open funnel or one of its two ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

impl StageKind {
    pub const ALL: [StageKind; 3] = [StageKind::Open, StageKind::Won, StageKind::Lost];

    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Open => "open",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How a deal counts in the forecast: the manager's judgement of how sure
/// it is, coarser than the probability and independent of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastCategory {
    Pipeline,
    BestCase,
    Commit,
    Closed,
    Omitted,
}

impl ForecastCategory {
    pub const ALL: [ForecastCategory; 5] = [
        ForecastCategory::Pipeline,
        ForecastCategory::BestCase,
        ForecastCategory::Commit,
        ForecastCategory::Closed,
        ForecastCategory::Omitted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ForecastCategory::Pipeline => "pipeline",
            ForecastCategory::BestCase => "best_case",
            ForecastCategory::Commit => "commit",
            ForecastCategory::Closed => "closed",
            ForecastCategory::Omitted => "omitted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A chance of winning in whole percent, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Probability(u8);

impl Probability {
    pub const ZERO: Probability = Probability(0);
    pub const CERTAIN: Probability = Probability(100);

    pub fn new(p: i64) -> Option<Self> {
        (0..=100).contains(&p).then_some(Probability(p as u8))
    }

    pub fn parse(field: &str, p: i64) -> Result<Self, Invalid> {
        Self::new(p).ok_or_else(|| {
            Invalid::one(
                field,
                "out_of_range",
                "must be a whole percent from 0 to 100",
            )
        })
    }

    pub fn percent(self) -> i64 {
        i64::from(self.0)
    }
}

impl TryFrom<i64> for Probability {
    type Error = String;
    fn try_from(p: i64) -> Result<Self, String> {
        Probability::new(p).ok_or_else(|| "must be from 0 to 100".to_owned())
    }
}

impl From<Probability> for i64 {
    fn from(p: Probability) -> i64 {
        p.percent()
    }
}

/// The amount a deal is worth to the forecast: its amount times its
/// probability, rounded half away from zero to a whole minor unit.
pub fn weighted(amount_minor: i64, p: Probability) -> i64 {
    let x = i128::from(amount_minor) * i128::from(p.percent());
    let q = (x.abs() + 50) / 100;
    (if x < 0 { -q } else { q }) as i64
}

/// A stage as the move rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub id: String,
    pub kind: StageKind,
    pub position: i32,
    /// The checklist items that must be done before a deal leaves this stage forward.
    pub required_items: Vec<String>,
}

/// Why a move is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveRefused {
    /// The target is not a stage of the deal's pipeline.
    UnknownStage,
    /// The deal is already there.
    SameStage,
    /// Won and lost are reached by closing the deal, which records more.
    ClosingStage,
    /// Required items of the stages passed are not done (in funnel order).
    ChecklistIncomplete(Vec<String>),
}

/// Which way a move goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Back,
}

fn open_in_order(stages: &[Stage]) -> Vec<&Stage> {
    let mut open: Vec<&Stage> = stages
        .iter()
        .filter(|s| s.kind == StageKind::Open)
        .collect();
    open.sort_by_key(|s| (s.position, s.id.clone()));
    open
}

/// The required items still undone in the open stages from `from` up to,
/// not including, the open stage at index `until` (or to the end of the
/// open funnel).
fn undone_between(
    open: &[&Stage],
    from: usize,
    until: usize,
    done: &BTreeSet<String>,
) -> Vec<String> {
    open[from..until]
        .iter()
        .flat_map(|s| s.required_items.iter())
        .filter(|i| !done.contains(*i))
        .cloned()
        .collect()
}

/// Decides a move between open stages. Moving forward needs the required
/// items of the current stage and of every stage skipped to be done.
pub fn check_move(
    stages: &[Stage],
    from: &str,
    to: &str,
    done: &BTreeSet<String>,
) -> Result<Direction, MoveRefused> {
    let target = stages
        .iter()
        .find(|s| s.id == to)
        .ok_or(MoveRefused::UnknownStage)?;
    if target.kind != StageKind::Open {
        return Err(MoveRefused::ClosingStage);
    }
    if from == to {
        return Err(MoveRefused::SameStage);
    }
    let open = open_in_order(stages);
    let at = |id: &str| open.iter().position(|s| s.id == id);
    let (Some(i), Some(j)) = (at(from), at(to)) else {
        // a deal in a stage that no longer exists may go anywhere open
        return Ok(Direction::Forward);
    };
    if j < i {
        return Ok(Direction::Back);
    }
    let missing = undone_between(&open, i, j, done);
    if missing.is_empty() {
        Ok(Direction::Forward)
    } else {
        Err(MoveRefused::ChecklistIncomplete(missing))
    }
}

/// Whether a deal in open stage `from` may be won: winning moves it past
/// every open stage that is left, so their required items must be done.
pub fn check_win(stages: &[Stage], from: &str, done: &BTreeSet<String>) -> Result<(), MoveRefused> {
    let open = open_in_order(stages);
    let Some(i) = open.iter().position(|s| s.id == from) else {
        return Ok(());
    };
    let missing = undone_between(&open, i, open.len(), done);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(MoveRefused::ChecklistIncomplete(missing))
    }
}

/// A stage as an administrator defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageDef {
    pub key: Option<String>,
    pub name: String,
    pub kind: StageKind,
    pub probability: Probability,
    pub category: ForecastCategory,
    pub stale_after_days: Option<i32>,
    pub checklist: Vec<ItemDef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDef {
    pub label: String,
    pub required: bool,
}

/// Stage and item names are short labels.
pub const NAME_MAX: usize = 80;
pub const ITEM_MAX: usize = 200;
/// More open stages than this is a process nobody follows.
pub const OPEN_STAGES_MAX: usize = 12;
pub const ITEMS_MAX: usize = 20;

/// A stage as sent by a client, before checking.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawStage {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub probability: Option<i64>,
    pub forecast_category: Option<String>,
    pub stale_after_days: Option<i32>,
    pub checklist: Option<Vec<RawItem>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawItem {
    pub label: Option<String>,
    pub required: Option<bool>,
}

/// Checks a whole pipeline definition: at least one open stage, exactly one
/// won and one lost stage, the won stage at 100 % and closed, the lost one
/// at 0 % and omitted, probabilities not falling along the open funnel.
/// Every problem is reported at once, named by its place (`stages[2].name`).
pub fn check_stages(raw: &[RawStage]) -> Result<Vec<StageDef>, Invalid> {
    let mut c = Collector::new();
    let mut out = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let f = |x: &str| format!("stages[{i}].{x}");
        let name = c.take(text::required(
            &f("name"),
            r.name.as_deref().unwrap_or(""),
            NAME_MAX,
        ));
        let kind = match r.kind.as_deref().map(StageKind::parse) {
            None => Some(StageKind::Open),
            Some(Some(k)) => Some(k),
            Some(None) => {
                c.push(FieldError::new(
                    f("kind"),
                    "invalid",
                    "must be open, won or lost",
                ));
                None
            }
        };
        let probability = match (r.probability, kind) {
            (_, Some(StageKind::Won)) => Some(Probability::CERTAIN),
            (_, Some(StageKind::Lost)) => Some(Probability::ZERO),
            (None, _) => {
                c.push(FieldError::new(f("probability"), "required", "is required"));
                None
            }
            (Some(p), _) => c.take(Probability::parse(&f("probability"), p)),
        };
        let category = match (r.forecast_category.as_deref(), kind) {
            (_, Some(StageKind::Won)) => Some(ForecastCategory::Closed),
            (_, Some(StageKind::Lost)) => Some(ForecastCategory::Omitted),
            (None, _) => Some(ForecastCategory::Pipeline),
            (Some(s), _) => match ForecastCategory::parse(s) {
                Some(ForecastCategory::Closed) => {
                    c.push(FieldError::new(
                        f("forecast_category"),
                        "invalid",
                        "closed is for the won stage; an open stage is pipeline, best_case, commit or omitted",
                    ));
                    None
                }
                Some(x) => Some(x),
                None => {
                    c.push(FieldError::new(
                        f("forecast_category"),
                        "invalid",
                        "must be pipeline, best_case, commit or omitted",
                    ));
                    None
                }
            },
        };
        if let Some(d) = r.stale_after_days
            && !(1..=365).contains(&d)
        {
            c.push(FieldError::new(
                f("stale_after_days"),
                "out_of_range",
                "must be from 1 to 365 days",
            ));
        }
        let items = r.checklist.clone().unwrap_or_default();
        if items.len() > ITEMS_MAX {
            c.push(FieldError::new(
                f("checklist"),
                "too_many",
                format!("at most {ITEMS_MAX} items per stage"),
            ));
        }
        let mut checklist = Vec::new();
        for (k, it) in items.iter().enumerate() {
            let field = f(&format!("checklist[{k}].label"));
            if let Some(label) = c.take(text::required(
                &field,
                it.label.as_deref().unwrap_or(""),
                ITEM_MAX,
            )) {
                checklist.push(ItemDef {
                    label,
                    required: it.required.unwrap_or(false),
                });
            }
        }
        if let (Some(name), Some(kind), Some(probability), Some(category)) =
            (name, kind, probability, category)
        {
            out.push(StageDef {
                key: None,
                name,
                kind,
                probability,
                category,
                stale_after_days: r.stale_after_days,
                checklist,
            });
        }
    }
    let kind_of = |r: &RawStage| match r.kind.as_deref() {
        None => Some(StageKind::Open),
        Some(s) => StageKind::parse(s),
    };
    let count = |k: StageKind| raw.iter().filter(|r| kind_of(r) == Some(k)).count();
    let open = count(StageKind::Open);
    if open == 0 {
        c.push(FieldError::new(
            "stages",
            "no_open_stage",
            "a pipeline needs at least one open stage",
        ));
    }
    if open > OPEN_STAGES_MAX {
        c.push(FieldError::new(
            "stages",
            "too_many",
            format!("at most {OPEN_STAGES_MAX} open stages"),
        ));
    }
    for k in [StageKind::Won, StageKind::Lost] {
        if count(k) != 1 {
            c.push(FieldError::new(
                "stages",
                "closing_stages",
                "a pipeline has exactly one won and one lost stage",
            ));
            break;
        }
    }
    let mut names = BTreeSet::new();
    for (i, s) in out.iter().enumerate() {
        if !names.insert(s.name.to_lowercase()) {
            c.push(FieldError::new(
                format!("stages[{i}].name"),
                "duplicate",
                "two stages of one pipeline have this name",
            ));
        }
    }
    let open_ps: Vec<Probability> = out
        .iter()
        .filter(|s| s.kind == StageKind::Open)
        .map(|s| s.probability)
        .collect();
    if open_ps.windows(2).any(|w| w[1] < w[0]) {
        c.push(FieldError::new(
            "stages",
            "probability_order",
            "the probabilities of the open stages may not fall along the funnel",
        ));
    }
    c.finish()?;
    Ok(out)
}

/// The default stages' keys and their names in English and Chinese.
const DEFAULT_NAMES: [(&str, &str, &str); 6] = [
    ("identify", "Identify", "鉴别商机"),
    ("qualify", "Qualify", "资质判定"),
    ("plan", "Plan", "制订计划"),
    ("proposal", "Proposal", "制订方案"),
    ("won", "Won", "赢单"),
    ("lost", "Lost", "输单"),
];

/// The funnel of the design documents: identify (鉴别商机), qualify (资质判定),
/// plan (制订计划), proposal (制订方案), then won or lost. The checklists
/// name what a good rep has done before leaving each stage.
pub fn default_stages(zh: bool) -> Vec<StageDef> {
    let item = |label_en: &str, label_zh: &str, required: bool| ItemDef {
        label: if zh { label_zh } else { label_en }.to_owned(),
        required,
    };
    let stage = |key: &str, kind, p: u8, category, stale, checklist| {
        let (_, en, zh_name) = DEFAULT_NAMES
            .iter()
            .find(|n| n.0 == key)
            .copied()
            .unwrap_or((key, key, key));
        StageDef {
            key: Some(key.to_owned()),
            name: if zh { zh_name } else { en }.to_owned(),
            kind,
            probability: Probability(p),
            category,
            stale_after_days: stale,
            checklist,
        }
    };
    use ForecastCategory as F;
    use StageKind as K;
    vec![
        stage(
            "identify",
            K::Open,
            10,
            F::Pipeline,
            Some(14),
            vec![
                item("Need confirmed with the customer", "已与客户确认需求", true),
                item("Contact person recorded", "已记录联系人", false),
            ],
        ),
        stage(
            "qualify",
            K::Open,
            25,
            F::Pipeline,
            Some(21),
            vec![
                item("Budget confirmed", "预算已确认", true),
                item("Decision maker identified", "已识别决策人", true),
                item("Timeline known", "已了解采购时间表", false),
            ],
        ),
        stage(
            "plan",
            K::Open,
            50,
            F::BestCase,
            Some(30),
            vec![
                item(
                    "Action plan agreed with the customer",
                    "已与客户商定行动计划",
                    true,
                ),
                item("Competitors recorded", "已记录竞争对手", false),
            ],
        ),
        stage(
            "proposal",
            K::Open,
            75,
            F::Commit,
            Some(30),
            vec![
                item("Proposal sent", "方案已发送", true),
                item("Price approved", "价格已审批", false),
            ],
        ),
        stage("won", K::Won, 100, F::Closed, None, vec![]),
        stage("lost", K::Lost, 0, F::Omitted, None, vec![]),
    ]
}

/// The key a screen names stage `name` by in the reader's language: a
/// default stage's key while the stage keeps its default name (in either
/// language). Once a company renames it, its own name stands.
pub fn label_key<'a>(key: Option<&'a str>, name: &str) -> Option<&'a str> {
    let key = key?;
    let name = name.trim();
    DEFAULT_NAMES
        .iter()
        .any(|&(k, en, zh)| k == key && (name == en || name == zh))
        .then_some(key)
}

#[cfg(test)]
mod tests;
