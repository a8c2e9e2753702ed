//! The domain's access [`Predicate`] compiled to one SQL condition on
//! `leads`, over the lead's own columns.
//!
//! A lead has no collaborators: it is worked by its owner until it becomes a
//! customer, and collaboration starts there. `CollaboratorIs` is therefore
//! FALSE here, which is exactly what `Predicate::eval` answers for a lead,
//! whose facts carry no collaborators; the own scope of a lead is its owner.

use crate::db::Db;
use crate::db::schema::{leads, users};
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use kehu_domain::access::Predicate;

pub type LeadCondition = Box<dyn BoxableExpression<leads::table, Db, SqlType = Nullable<Bool>>>;

fn constant(v: bool) -> LeadCondition {
    Box::new(sql::<Nullable<Bool>>(if v { "1 = 1" } else { "1 = 0" }))
}

fn list(s: &std::collections::BTreeSet<String>) -> Vec<String> {
    s.iter().cloned().collect()
}

/// The condition a lead must meet for `p` to allow it.
pub fn lead_condition(p: &Predicate) -> LeadCondition {
    match p {
        Predicate::True => constant(true),
        Predicate::False => constant(false),
        Predicate::Or(ps) => ps
            .iter()
            .map(lead_condition)
            .reduce(|a, b| Box::new(a.or(b)))
            .unwrap_or_else(|| constant(false)),
        Predicate::And(ps) => ps
            .iter()
            .map(lead_condition)
            .reduce(|a, b| Box::new(a.and(b)))
            .unwrap_or_else(|| constant(true)),
        Predicate::OwnerIs(u) => Box::new(leads::owner_id.eq(u.clone())),
        Predicate::CollaboratorIs(_) => constant(false),
        Predicate::OwnerTeamIn(ts) if ts.is_empty() => constant(false),
        Predicate::OwnerTeamIn(ts) => Box::new(
            leads::owner_id.eq_any(
                users::table
                    .filter(users::team_id.eq_any(list(ts)))
                    .select(users::id.nullable()),
            ),
        ),
        Predicate::RegionIn(rs) if rs.is_empty() => constant(false),
        Predicate::RegionIn(rs) => Box::new(leads::region_id.eq_any(list(rs))),
        Predicate::ProductLineIn(ps) if ps.is_empty() => constant(false),
        Predicate::ProductLineIn(ps) => Box::new(leads::product_line_id.eq_any(list(ps))),
        Predicate::NoProductLine => Box::new(leads::product_line_id.is_null().nullable()),
        Predicate::PartnerIs(p) => Box::new(leads::partner_id.eq(p.clone())),
        Predicate::NoOwner => Box::new(leads::owner_id.is_null().nullable()),
        Predicate::PoolTeamIn(ts) if ts.is_empty() => constant(false),
        Predicate::PoolTeamIn(ts) => Box::new(
            leads::owner_id
                .is_null()
                .nullable()
                .and(leads::team_id.eq_any(list(ts))),
        ),
        Predicate::NoPartner => Box::new(leads::partner_id.is_null().nullable()),
    }
}
