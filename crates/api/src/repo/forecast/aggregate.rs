//! The forecast's aggregate: sums per month, group, forecast category and
//! status, taken from the rollup (`forecast_cells`) for everything a scope
//! allows by the deals' own columns, and from the deals themselves only for
//! what it allows beyond that through collaboration.

use crate::db::DbConnection;
use crate::db::explain::Plan;
use crate::db::schema::{forecast_cells, opportunities};
use crate::repo::access_sql::{
    CellCondition, OpportunityCondition, cell_condition, opportunity_condition, opportunity_not_in,
};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use kehu_domain::access::Predicate;

/// What the forecast is grouped by; each is a column of the deal itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Owner,
    Team,
    Region,
    ProductLine,
}

impl GroupBy {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "owner" => GroupBy::Owner,
            "team" => GroupBy::Team,
            "region" => GroupBy::Region,
            "product_line" => GroupBy::ProductLine,
            _ => return None,
        })
    }

    fn column(self) -> &'static str {
        match self {
            GroupBy::Owner => "owner_id",
            GroupBy::Team => "team_id",
            GroupBy::Region => "region_id",
            GroupBy::ProductLine => "product_line_id",
        }
    }
}

/// One cell of the aggregate: month (`YYYY-MM`), group, forecast category,
/// status, count, amount and weighted amount.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Queryable)]
pub struct Cell {
    pub month: String,
    pub group: Option<String>,
    pub category: String,
    pub status: String,
    pub count: i64,
    pub amount: i64,
    pub weighted: i64,
}

/// What one forecast asks: a currency, the days `[from, to)` (both firsts
/// of a month), the grouping and optionally one pipeline.
#[derive(Debug, Clone)]
pub struct Ask<'a> {
    pub currency: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub group: GroupBy,
    pub pipeline_id: Option<&'a str>,
}

/// A scope as the forecast reads it: the cells it allows, and the deals it
/// allows beyond them.
pub struct Sources {
    cells: Option<CellCondition>,
    deals: Option<OpportunityCondition>,
}

impl Sources {
    pub fn of(scope: &Predicate) -> Self {
        let (plain, related) = scope.split_collaborators();
        let cells = match plain {
            Predicate::False => None,
            ref p => Some(cell_condition(p).expect("the plain part reads no collaborators")),
        };
        let deals: Option<OpportunityCondition> = match (&plain, &related) {
            (_, Predicate::False) => None,
            (Predicate::False, r) => Some(opportunity_condition(r)),
            (p, r) => Some(Box::new(
                opportunity_condition(r).and(opportunity_not_in(p)),
            )),
        };
        Sources { cells, deals }
    }

    /// Every deal the scope allows, read deal by deal: what the rollup must
    /// always add up to (the tests and the bench's yardstick compare).
    pub fn deals_only(scope: &Predicate) -> Self {
        Sources {
            cells: None,
            deals: Some(opportunity_condition(scope)),
        }
    }
}

/// The deals' aggregate: deals of one currency counting on a day in
/// `[from, to)` by month, group, category and status; open deals by
/// expected close, won deals by close day, lost deals not at all. A macro,
/// so that `cells` runs and `plans` explains the very same query without
/// naming its type.
macro_rules! deals_query {
    ($cond:expr, $ask:expr) => {{
        let ask: &Ask = $ask;
        let month = "substr(opportunities.forecast_on, 1, 7)";
        let g = format!("opportunities.{}", ask.group.column());
        let by_pipeline: OpportunityCondition = match ask.pipeline_id {
            Some(p) => Box::new(opportunities::pipeline_id.eq(p.to_owned()).nullable()),
            None => Box::new(sql::<Nullable<Bool>>("1 = 1")),
        };
        opportunities::table
            .filter(opportunities::currency.eq(ask.currency.to_owned()))
            .filter(opportunities::forecast_on.ge(ask.from.to_owned()))
            .filter(opportunities::forecast_on.lt(ask.to.to_owned()))
            .filter(opportunities::status.ne("lost"))
            .filter($cond)
            .filter(by_pipeline)
            .group_by(sql::<Text>(&format!(
                "{month}, {g}, opportunities.forecast_category, opportunities.status"
            )))
            .select((
                sql::<Text>(month),
                sql::<Nullable<Text>>(&g),
                sql::<Text>("opportunities.forecast_category"),
                sql::<Text>("opportunities.status"),
                sql::<BigInt>("COUNT(*)"),
                sql::<BigInt>("CAST(SUM(opportunities.amount_minor) AS BIGINT)"),
                sql::<BigInt>("CAST(SUM(opportunities.weighted_minor) AS BIGINT)"),
            ))
    }};
}

/// The same aggregate over the rollup: a cell's month is the deals' month,
/// an absent group is `''` and read back as none.
macro_rules! cells_query {
    ($cond:expr, $ask:expr) => {{
        let ask: &Ask = $ask;
        let g = format!("forecast_cells.{}", ask.group.column());
        let by_pipeline: CellCondition = match ask.pipeline_id {
            Some(p) => Box::new(forecast_cells::pipeline_id.eq(p.to_owned()).nullable()),
            None => Box::new(sql::<Nullable<Bool>>("1 = 1")),
        };
        forecast_cells::table
            .filter(forecast_cells::currency.eq(ask.currency.to_owned()))
            .filter(forecast_cells::month.ge(month_of(ask.from)))
            .filter(forecast_cells::month.lt(month_of(ask.to)))
            .filter($cond)
            .filter(by_pipeline)
            .group_by(sql::<Text>(&format!(
                "forecast_cells.month, {g}, forecast_cells.forecast_category, forecast_cells.status"
            )))
            .select((
                sql::<Text>("forecast_cells.month"),
                sql::<Nullable<Text>>(&format!("NULLIF({g}, '')")),
                sql::<Text>("forecast_cells.forecast_category"),
                sql::<Text>("forecast_cells.status"),
                sql::<BigInt>("CAST(SUM(forecast_cells.deals) AS BIGINT)"),
                sql::<BigInt>("CAST(SUM(forecast_cells.amount_minor) AS BIGINT)"),
                sql::<BigInt>("CAST(SUM(forecast_cells.weighted_minor) AS BIGINT)"),
            ))
    }};
}

/// `YYYY-MM` of a `YYYY-MM-DD` day.
fn month_of(day: &str) -> String {
    day.get(..7).unwrap_or(day).to_owned()
}

/// The aggregate of what `sources` allows. The two parts never hold the same
/// deal, so their cells add up.
pub fn cells(c: &mut DbConnection, sources: Sources, ask: &Ask) -> QueryResult<Vec<Cell>> {
    let mut out = Vec::new();
    if let Some(cond) = sources.cells {
        out.extend(cells_query!(cond, ask).load::<Cell>(c)?);
    }
    if let Some(cond) = sources.deals {
        out.extend(deals_query!(cond, ask).load::<Cell>(c)?);
    }
    Ok(out)
}

/// The plans of the queries `cells` runs for a scope, for the query-plan test.
pub fn plans(c: &mut DbConnection, sources: Sources, ask: &Ask) -> QueryResult<Vec<Plan>> {
    let mut out = Vec::new();
    if let Some(cond) = sources.cells {
        out.push(crate::db::explain::plan(c, cells_query!(cond, ask))?);
    }
    if let Some(cond) = sources.deals {
        out.push(crate::db::explain::plan(c, deals_query!(cond, ask))?);
    }
    Ok(out)
}
