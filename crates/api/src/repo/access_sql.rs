//! Compiles the domain's access [`Predicate`] to one SQL condition on `customers`.
//!
//! Each predicate variant maps to exactly one SQL form, so the rows a query
//! returns are the rows `Predicate::eval` allows; a property test checks it.

use crate::db::Db;
use crate::db::schema::{
    activities, contacts, customer_collaborators, customer_product_lines, customers, users,
};
use diesel::dsl::{case_when, exists, not, sql};
use diesel::expression::BoxableExpression;
use diesel::expression::IntoSql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use kehu_domain::access::Predicate;

mod forecast_cells;
mod opportunities;
pub use forecast_cells::{CellCondition, cell_condition};
pub use opportunities::{OpportunityCondition, opportunity_condition, opportunity_not_in};

pub type CustomerCondition =
    Box<dyn BoxableExpression<customers::table, Db, SqlType = Nullable<Bool>>>;

/// Contacts joined to their customers.
pub type ContactsWithCustomers =
    diesel::dsl::InnerJoinQuerySource<contacts::table, customers::table>;

/// The same condition on contacts joined to their customers, for the
/// contacts of visible customers.
pub type ContactCustomerCondition =
    Box<dyn BoxableExpression<ContactsWithCustomers, Db, SqlType = Nullable<Bool>>>;

/// The alternatives of a scope: the top-level OR taken apart (nested ORs
/// flattened), so that each can be read from an index of its own ("owner is
/// me" from the owner index, "I collaborate" from the collaborators') instead
/// of one OR that no index serves. An empty list means nothing is allowed.
pub fn branches(p: &Predicate) -> Vec<Predicate> {
    match p {
        Predicate::False => Vec::new(),
        Predicate::Or(ps) => ps.iter().flat_map(branches).collect(),
        other => vec![other.clone()],
    }
}

/// Whether a scope branch covers a large share of the table by design
/// (everything, or whole regions): such a branch is best read by walking a
/// sort order and testing each row, a narrow one (own, team, partner,
/// collaborations) from its own index.
pub fn broad(p: &Predicate) -> bool {
    match p {
        Predicate::True | Predicate::RegionIn(_) => true,
        Predicate::And(ps) => ps.iter().all(|p| {
            broad(p)
                || matches!(
                    p,
                    Predicate::NoProductLine | Predicate::ProductLineIn(_) | Predicate::Or(_)
                )
        }),
        _ => false,
    }
}

/// The rows `p` does not allow, with NULL (an unknown owner, say) counted as
/// not allowed: `CASE WHEN p THEN FALSE ELSE TRUE END`.
pub fn not_in(p: &Predicate) -> CustomerCondition {
    Box::new(
        case_when(customer_condition(p), false.into_sql::<Bool>())
            .otherwise(true.into_sql::<Bool>())
            .nullable(),
    )
}

/// Activities joined to their customers.
pub type ActivitiesWithCustomers =
    diesel::dsl::InnerJoinQuerySource<activities::table, customers::table>;

/// The same condition on activities joined to their customers.
pub type ActivityCustomerCondition =
    Box<dyn BoxableExpression<ActivitiesWithCustomers, Db, SqlType = Nullable<Bool>>>;

/// One body, compiled for each query source the condition is used on, so
/// that both read the same SQL.
macro_rules! condition {
    ($name:ident, $cond:ty) => {
        pub fn $name(p: &Predicate) -> $cond {
            let constant = |v: bool| -> $cond {
                Box::new(sql::<Nullable<Bool>>(if v { "1 = 1" } else { "1 = 0" }))
            };
            match p {
                Predicate::True => constant(true),
                Predicate::False => constant(false),
                Predicate::Or(ps) => ps
                    .iter()
                    .map($name)
                    .reduce(|a, b| Box::new(a.or(b)))
                    .unwrap_or_else(|| constant(false)),
                Predicate::And(ps) => ps
                    .iter()
                    .map($name)
                    .reduce(|a, b| Box::new(a.and(b)))
                    .unwrap_or_else(|| constant(true)),
                Predicate::OwnerIs(u) => Box::new(customers::owner_id.eq(u.clone())),
                Predicate::CollaboratorIs(u) => Box::new(
                    customers::id
                        .eq_any(
                            customer_collaborators::table
                                .filter(customer_collaborators::user_id.eq(u.clone()))
                                .select(customer_collaborators::customer_id),
                        )
                        .nullable(),
                ),
                Predicate::OwnerTeamIn(ts) if ts.is_empty() => constant(false),
                Predicate::OwnerTeamIn(ts) => Box::new(
                    customers::owner_id.eq_any(
                        users::table
                            .filter(users::team_id.eq_any(ts.iter().cloned().collect::<Vec<_>>()))
                            .select(users::id.nullable()),
                    ),
                ),
                Predicate::RegionIn(rs) if rs.is_empty() => constant(false),
                Predicate::RegionIn(rs) => {
                    Box::new(customers::region_id.eq_any(rs.iter().cloned().collect::<Vec<_>>()))
                }
                Predicate::ProductLineIn(ps) if ps.is_empty() => constant(false),
                Predicate::ProductLineIn(ps) => Box::new(
                    customers::id
                        .eq_any(
                            customer_product_lines::table
                                .filter(
                                    customer_product_lines::product_line_id
                                        .eq_any(ps.iter().cloned().collect::<Vec<_>>()),
                                )
                                .select(customer_product_lines::customer_id),
                        )
                        .nullable(),
                ),
                Predicate::NoProductLine => Box::new(
                    not(exists(customer_product_lines::table.filter(
                        customer_product_lines::customer_id.eq(customers::id),
                    )))
                    .nullable(),
                ),
                Predicate::PartnerIs(p) => Box::new(customers::partner_id.eq(p.clone())),
                Predicate::NoOwner => Box::new(customers::owner_id.is_null().nullable()),
                Predicate::PoolTeamIn(ts) if ts.is_empty() => constant(false),
                Predicate::PoolTeamIn(ts) => Box::new(
                    customers::owner_id
                        .is_null()
                        .and(customers::team_id.eq_any(ts.iter().cloned().collect::<Vec<_>>()))
                        .nullable(),
                ),
                Predicate::NoPartner => Box::new(customers::partner_id.is_null().nullable()),
            }
        }
    };
}

condition!(customer_condition, CustomerCondition);
condition!(contact_customer_condition, ContactCustomerCondition);
condition!(activity_customer_condition, ActivityCustomerCondition);
