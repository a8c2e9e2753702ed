//! The access predicate on the forecast's rollup (`forecast_cells`): a cell
//! holds deals of one owner, team, region, product line and partner, so
//! every form that reads only a deal's own columns reads the cell's instead.
//! Collaboration is a relation of the deal's customer, which a cell does not
//! know: such a predicate has no form here, and the forecast reads those
//! deals one by one (`Predicate::split_collaborators`).

use crate::db::Db;
use crate::db::schema::{forecast_cells, users};
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use kehu_domain::access::Predicate;

pub type CellCondition =
    Box<dyn BoxableExpression<forecast_cells::table, Db, SqlType = Nullable<Bool>>>;

/// Each predicate variant as one SQL form on the cells, or `None` when it
/// reads collaborators. An absent team, region, product line or partner is
/// `''` in a cell.
pub fn cell_condition(p: &Predicate) -> Option<CellCondition> {
    let constant = |v: bool| -> CellCondition {
        Box::new(sql::<Nullable<Bool>>(if v { "1 = 1" } else { "1 = 0" }))
    };
    let all = |ps: &[Predicate]| ps.iter().map(cell_condition).collect::<Option<Vec<_>>>();
    Some(match p {
        Predicate::True => constant(true),
        Predicate::False => constant(false),
        Predicate::Or(ps) => all(ps)?
            .into_iter()
            .reduce(|a, b| Box::new(a.or(b)))
            .unwrap_or_else(|| constant(false)),
        Predicate::And(ps) => all(ps)?
            .into_iter()
            .reduce(|a, b| Box::new(a.and(b)))
            .unwrap_or_else(|| constant(true)),
        Predicate::CollaboratorIs(_) => return None,
        Predicate::OwnerIs(u) => Box::new(forecast_cells::owner_id.eq(u.clone()).nullable()),
        Predicate::OwnerTeamIn(ts) if ts.is_empty() => constant(false),
        Predicate::OwnerTeamIn(ts) => Box::new(
            forecast_cells::owner_id.nullable().eq_any(
                users::table
                    .filter(users::team_id.eq_any(ts.iter().cloned().collect::<Vec<_>>()))
                    .select(users::id.nullable()),
            ),
        ),
        Predicate::RegionIn(rs) if rs.is_empty() => constant(false),
        Predicate::RegionIn(rs) => Box::new(
            forecast_cells::region_id
                .eq_any(rs.iter().cloned().collect::<Vec<_>>())
                .nullable(),
        ),
        Predicate::ProductLineIn(ps) if ps.is_empty() => constant(false),
        Predicate::ProductLineIn(ps) => Box::new(
            forecast_cells::product_line_id
                .eq_any(ps.iter().cloned().collect::<Vec<_>>())
                .nullable(),
        ),
        Predicate::NoProductLine => Box::new(forecast_cells::product_line_id.eq("").nullable()),
        Predicate::PartnerIs(x) => Box::new(forecast_cells::partner_id.eq(x.clone()).nullable()),
        Predicate::NoPartner => Box::new(forecast_cells::partner_id.eq("").nullable()),
        // a deal always has an owner, as in `opportunity_condition`
        Predicate::NoOwner | Predicate::PoolTeamIn(_) => constant(false),
    })
}
