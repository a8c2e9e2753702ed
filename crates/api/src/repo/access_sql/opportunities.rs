//! The access predicate on opportunities' own columns: a deal is read by its
//! own owner, team, region, product line and partner, exactly as a customer
//! is by its own.

use crate::db::Db;
use crate::db::schema::{customer_collaborators, opportunities, users};
use diesel::dsl::{case_when, sql};
use diesel::expression::BoxableExpression;
use diesel::expression::IntoSql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use kehu_domain::access::Predicate;

pub type OpportunityCondition =
    Box<dyn BoxableExpression<opportunities::table, Db, SqlType = Nullable<Bool>>>;

/// Each predicate variant as one SQL form. Those about collaboration read
/// the customer's collaborators: who works an account works its deals. A
/// deal always has an owner, so the pool forms never match, as
/// `Predicate::eval` says for any record with an owner.
pub fn opportunity_condition(p: &Predicate) -> OpportunityCondition {
    let constant = |v: bool| -> OpportunityCondition {
        Box::new(sql::<Nullable<Bool>>(if v { "1 = 1" } else { "1 = 0" }))
    };
    match p {
        Predicate::True => constant(true),
        Predicate::False => constant(false),
        Predicate::Or(ps) => ps
            .iter()
            .map(opportunity_condition)
            .reduce(|a, b| Box::new(a.or(b)))
            .unwrap_or_else(|| constant(false)),
        Predicate::And(ps) => ps
            .iter()
            .map(opportunity_condition)
            .reduce(|a, b| Box::new(a.and(b)))
            .unwrap_or_else(|| constant(true)),
        Predicate::OwnerIs(u) => Box::new(opportunities::owner_id.eq(u.clone()).nullable()),
        Predicate::CollaboratorIs(u) => Box::new(
            opportunities::customer_id
                .eq_any(
                    customer_collaborators::table
                        .filter(customer_collaborators::user_id.eq(u.clone()))
                        .select(customer_collaborators::customer_id),
                )
                .nullable(),
        ),
        Predicate::OwnerTeamIn(ts) if ts.is_empty() => constant(false),
        Predicate::OwnerTeamIn(ts) => Box::new(
            opportunities::owner_id.nullable().eq_any(
                users::table
                    .filter(users::team_id.eq_any(ts.iter().cloned().collect::<Vec<_>>()))
                    .select(users::id.nullable()),
            ),
        ),
        Predicate::RegionIn(rs) if rs.is_empty() => constant(false),
        Predicate::RegionIn(rs) => {
            Box::new(opportunities::region_id.eq_any(rs.iter().cloned().collect::<Vec<_>>()))
        }
        Predicate::ProductLineIn(ps) if ps.is_empty() => constant(false),
        Predicate::ProductLineIn(ps) => {
            Box::new(opportunities::product_line_id.eq_any(ps.iter().cloned().collect::<Vec<_>>()))
        }
        Predicate::NoProductLine => Box::new(opportunities::product_line_id.is_null().nullable()),
        Predicate::PartnerIs(x) => Box::new(opportunities::partner_id.eq(x.clone())),
        Predicate::NoOwner | Predicate::PoolTeamIn(_) => constant(false),
        Predicate::NoPartner => Box::new(opportunities::partner_id.is_null().nullable()),
    }
}

/// The deals a predicate does not allow; a NULL (an unknown region, say)
/// counts as not allowed, as it does in a WHERE clause.
pub fn opportunity_not_in(p: &Predicate) -> OpportunityCondition {
    Box::new(
        case_when(opportunity_condition(p), false.into_sql::<Bool>())
            .otherwise(true.into_sql::<Bool>())
            .nullable(),
    )
}
