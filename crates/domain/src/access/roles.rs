//! The roles every Kehu installation starts with.

use super::{Action, Resource, RoleGrants, Scope};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuiltinRole {
    Admin,
    SalesManager,
    SalesRep,
    ServiceAgent,
    Marketing,
    Partner,
}

impl BuiltinRole {
    pub const ALL: [BuiltinRole; 6] = [
        BuiltinRole::Admin,
        BuiltinRole::SalesManager,
        BuiltinRole::SalesRep,
        BuiltinRole::ServiceAgent,
        BuiltinRole::Marketing,
        BuiltinRole::Partner,
    ];

    /// Stable key, also the role's id in the database.
    pub fn key(self) -> &'static str {
        match self {
            BuiltinRole::Admin => "admin",
            BuiltinRole::SalesManager => "sales_manager",
            BuiltinRole::SalesRep => "sales_rep",
            BuiltinRole::ServiceAgent => "service_agent",
            BuiltinRole::Marketing => "marketing",
            BuiltinRole::Partner => "partner",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            BuiltinRole::Admin => "Administrator",
            BuiltinRole::SalesManager => "Sales manager",
            BuiltinRole::SalesRep => "Sales rep",
            BuiltinRole::ServiceAgent => "Service agent",
            BuiltinRole::Marketing => "Marketing",
            BuiltinRole::Partner => "Partner",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// What each built-in role may do.
pub fn builtin_grants(role: BuiltinRole) -> RoleGrants {
    use Action::*;
    use Resource::*;
    use Scope as S;
    let mut g = RoleGrants::new();
    let mut set = |r: Resource, acts: &[Action], s: Scope| {
        for &a in acts {
            g.insert((r, a), s);
        }
    };
    const CRUD: &[Action] = &[Read, Create, Update, Delete];
    // Colleagues, teams, regions and product lines are needed to pick an owner
    // or a region; they are not secret inside the company.
    let org_read = |set: &mut dyn FnMut(Resource, &[Action], Scope)| {
        for r in [User, Team, Region, ProductLine, Partner, SalesSetup] {
            set(r, &[Read], S::All);
        }
    };
    match role {
        BuiltinRole::Admin => {
            for r in Resource::ALL {
                set(r, CRUD, S::All);
            }
        }
        BuiltinRole::SalesManager => {
            set(Customer, CRUD, S::Region);
            set(Opportunity, CRUD, S::Region);
            set(Lead, CRUD, S::Region);
            org_read(&mut set);
            // managers shape the funnel, the loss reasons and the quotas
            set(SalesSetup, CRUD, S::All);
        }
        BuiltinRole::SalesRep => {
            set(Customer, &[Read, Create, Update], S::Own);
            set(Opportunity, &[Read, Create, Update], S::Own);
            set(Lead, &[Read, Create, Update], S::Own);
            org_read(&mut set);
        }
        BuiltinRole::ServiceAgent => {
            // An agent on a call must find any caller and may register a new
            // one, and passes on a sales enquiry as a lead.
            set(Customer, &[Read, Create], S::All);
            set(Lead, &[Create], S::All);
            set(Lead, &[Read], S::Own);
            org_read(&mut set);
        }
        BuiltinRole::Marketing => {
            set(Customer, &[Read, Create], S::All);
            // marketing owns the top of the funnel and follows what it became
            set(Lead, CRUD, S::All);
            set(Opportunity, &[Read], S::All);
            org_read(&mut set);
        }
        BuiltinRole::Partner => {
            // Confined to the partner's own records by `predicate`.
            set(Customer, &[Read, Create, Update], S::All);
            set(Opportunity, &[Read, Create, Update], S::All);
            set(Lead, &[Read, Create, Update], S::All);
            set(Region, &[Read], S::All);
            set(ProductLine, &[Read], S::All);
            set(SalesSetup, &[Read], S::All);
        }
    }
    g
}
