//! Who may see and change what: the access model of Kehu in one place.
//!
//! A role grants, per resource and action, a [`Scope`]. A user's roles merge to
//! the union of what they grant. [`predicate`] turns the merged grants of a
//! [`Subject`] into a [`Predicate`] over a record's [`RecordFacts`]; the API
//! compiles that same predicate to SQL, so the database and this module can
//! never disagree about which rows a user may touch.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

mod roles;
pub use roles::{BuiltinRole, builtin_grants};

/// How far a grant reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Nothing.
    None,
    /// Records the user owns or collaborates on.
    Own,
    /// Own, plus records owned by anyone in the user's team or a team below it.
    Team,
    /// Own, plus records whose region is one of the user's regions or below
    /// (and, when the user is limited to product lines, that concern one of them).
    Region,
    /// Every record.
    All,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::None,
        Scope::Own,
        Scope::Team,
        Scope::Region,
        Scope::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::None => "none",
            Scope::Own => "own",
            Scope::Team => "team",
            Scope::Region => "region",
            Scope::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a grant is about. Contacts are not listed: a contact is part of its
/// customer, so reading it needs read on the customer and changing it needs
/// update on the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Customer,
    /// Sales opportunities (商机): scoped by their own owner, team, region
    /// and product line, exactly as customers are.
    Opportunity,
    /// Sales leads (销售线索); unassigned ones wait in a team's queue, the
    /// way unowned customers wait in its pool.
    Lead,
    /// Pipelines and stages, loss reasons, the competitor list, quotas,
    /// lead forms and assignment rules: how the company sells.
    SalesSetup,
    User,
    Role,
    Team,
    Region,
    ProductLine,
    Partner,
    ApiKey,
}

impl Resource {
    pub const ALL: [Resource; 11] = [
        Resource::Customer,
        Resource::Opportunity,
        Resource::Lead,
        Resource::SalesSetup,
        Resource::User,
        Resource::Role,
        Resource::Team,
        Resource::Region,
        Resource::ProductLine,
        Resource::Partner,
        Resource::ApiKey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Customer => "customer",
            Resource::Opportunity => "opportunity",
            Resource::Lead => "lead",
            Resource::SalesSetup => "sales_setup",
            Resource::User => "user",
            Resource::Role => "role",
            Resource::Team => "team",
            Resource::Region => "region",
            Resource::ProductLine => "product_line",
            Resource::Partner => "partner",
            Resource::ApiKey => "api_key",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether records of this kind have an owner, team, region and partner
    /// that the narrower scopes can refer to. Organisation data does not:
    /// for it only `none` and `all` mean anything.
    pub fn is_owned_record(self) -> bool {
        matches!(
            self,
            Resource::Customer | Resource::Opportunity | Resource::Lead
        )
    }

    /// Whether unowned records of this kind wait somewhere to be claimed
    /// (customers in a pool, leads in a queue), which readers of less than
    /// the whole company still browse.
    pub fn has_pool(self) -> bool {
        matches!(self, Resource::Customer | Resource::Lead)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Create,
    Update,
    Delete,
}

impl Action {
    pub const ALL: [Action; 4] = [Action::Read, Action::Create, Action::Update, Action::Delete];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The grants of one role: at most one scope per resource and action; absent means none.
pub type RoleGrants = BTreeMap<(Resource, Action), Scope>;

/// The union of several roles' grants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants(BTreeMap<(Resource, Action), BTreeSet<Scope>>);

impl Grants {
    /// Merges roles: a user holding several roles may do what any of them allows.
    pub fn merge<'a>(roles: impl IntoIterator<Item = &'a RoleGrants>) -> Self {
        let mut m: BTreeMap<(Resource, Action), BTreeSet<Scope>> = BTreeMap::new();
        for role in roles {
            for (&k, &s) in role {
                if s != Scope::None {
                    m.entry(k).or_default().insert(s);
                }
            }
        }
        for set in m.values_mut() {
            if set.contains(&Scope::All) {
                *set = BTreeSet::from([Scope::All]);
            } else if set.contains(&Scope::Team) || set.contains(&Scope::Region) {
                // team and region each include own
                set.remove(&Scope::Own);
            }
        }
        Self(m)
    }

    /// The scopes granted for one resource and action, empty when none.
    pub fn scopes(&self, resource: Resource, action: Action) -> Vec<Scope> {
        self.0
            .get(&(resource, action))
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }

    pub fn allows_any(&self, resource: Resource, action: Action) -> bool {
        self.0.contains_key(&(resource, action))
    }

    pub fn allows_all(&self, resource: Resource, action: Action) -> bool {
        self.0
            .get(&(resource, action))
            .is_some_and(|s| s.contains(&Scope::All))
    }

    pub fn iter(&self) -> impl Iterator<Item = (Resource, Action, Vec<Scope>)> + '_ {
        self.0
            .iter()
            .map(|(&(r, a), s)| (r, a, s.iter().copied().collect()))
    }
}

/// Everything about the acting user that the access rule needs, with the
/// organisation trees already expanded.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    pub user_id: String,
    /// The user's team and every team below it.
    pub team_ids: BTreeSet<String>,
    /// The user's regions and every region below them.
    pub region_ids: BTreeSet<String>,
    /// Product lines the user is limited to; empty means not limited.
    pub product_line_ids: BTreeSet<String>,
    /// Set for partner (dealer) users, who only ever see their own partner's records.
    pub partner_id: Option<String>,
    pub grants: Grants,
}

/// The facts about one record that decide who may touch it.
#[derive(Debug, Clone, Default)]
pub struct RecordFacts {
    pub owner_id: Option<String>,
    /// Team of the record's owner (the owner's current team).
    pub owner_team_id: Option<String>,
    /// The record's own team: whose pool it is in while it has no owner.
    pub team_id: Option<String>,
    pub collaborator_ids: BTreeSet<String>,
    pub region_id: Option<String>,
    pub product_line_ids: BTreeSet<String>,
    pub partner_id: Option<String>,
}

/// A condition over a record, small enough to compile to SQL one-to-one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Predicate {
    True,
    False,
    Or(Vec<Predicate>),
    And(Vec<Predicate>),
    OwnerIs(String),
    CollaboratorIs(String),
    OwnerTeamIn(BTreeSet<String>),
    RegionIn(BTreeSet<String>),
    /// The record concerns at least one of these product lines.
    ProductLineIn(BTreeSet<String>),
    /// The record concerns no product line in particular.
    NoProductLine,
    PartnerIs(String),
    /// The record has no owner: it is in the company pool (公海).
    NoOwner,
    /// The record has no owner and is in the pool of one of these teams
    /// (部门公海): handed to the team, or released by one of its members.
    PoolTeamIn(BTreeSet<String>),
    /// The record belongs to no partner.
    NoPartner,
}

impl Predicate {
    pub fn eval(&self, r: &RecordFacts) -> bool {
        match self {
            Predicate::True => true,
            Predicate::False => false,
            Predicate::Or(ps) => ps.iter().any(|p| p.eval(r)),
            Predicate::And(ps) => ps.iter().all(|p| p.eval(r)),
            Predicate::OwnerIs(u) => r.owner_id.as_ref() == Some(u),
            Predicate::CollaboratorIs(u) => r.collaborator_ids.contains(u),
            Predicate::OwnerTeamIn(ts) => {
                r.owner_id.is_some() && r.owner_team_id.as_ref().is_some_and(|t| ts.contains(t))
            }
            Predicate::RegionIn(rs) => r.region_id.as_ref().is_some_and(|x| rs.contains(x)),
            Predicate::ProductLineIn(ps) => r.product_line_ids.iter().any(|p| ps.contains(p)),
            Predicate::NoProductLine => r.product_line_ids.is_empty(),
            Predicate::PartnerIs(p) => r.partner_id.as_ref() == Some(p),
            Predicate::NoOwner => r.owner_id.is_none(),
            Predicate::PoolTeamIn(ts) => {
                r.owner_id.is_none() && r.team_id.as_ref().is_some_and(|t| ts.contains(t))
            }
            Predicate::NoPartner => r.partner_id.is_none(),
        }
    }

    /// Whether this predicate reads a record's collaborators: a relation of
    /// the record, not one of its own columns.
    pub fn reads_collaborators(&self) -> bool {
        match self {
            Predicate::CollaboratorIs(_) => true,
            Predicate::Or(ps) | Predicate::And(ps) => ps.iter().any(Predicate::reads_collaborators),
            _ => false,
        }
    }

    /// `(plain, related)` with `self ≡ plain ∨ related`, where `plain` never
    /// reads collaborators: a sum over a scope takes what `plain` allows from
    /// a rollup of the records' own columns and reads record by record only
    /// what `related` allows beyond it. A rep's own scope splits into "I own
    /// it" and "I collaborate on it"; an administrator's has no related part.
    pub fn split_collaborators(&self) -> (Predicate, Predicate) {
        match self {
            Predicate::Or(ps) => {
                let (plain, related): (Vec<_>, Vec<_>) =
                    ps.iter().map(Predicate::split_collaborators).unzip();
                (Predicate::or(plain), Predicate::or(related))
            }
            p if p.reads_collaborators() => (Predicate::False, p.clone()),
            p => (p.clone(), Predicate::False),
        }
    }

    fn or(mut ps: Vec<Predicate>) -> Predicate {
        ps.retain(|p| *p != Predicate::False);
        if ps.contains(&Predicate::True) {
            return Predicate::True;
        }
        match ps.len() {
            0 => Predicate::False,
            1 => ps.remove(0),
            _ => Predicate::Or(ps),
        }
    }

    fn and(mut ps: Vec<Predicate>) -> Predicate {
        ps.retain(|p| *p != Predicate::True);
        if ps.contains(&Predicate::False) {
            return Predicate::False;
        }
        match ps.len() {
            0 => Predicate::True,
            1 => ps.remove(0),
            _ => Predicate::And(ps),
        }
    }
}

fn own(s: &Subject) -> Predicate {
    Predicate::Or(vec![
        Predicate::OwnerIs(s.user_id.clone()),
        Predicate::CollaboratorIs(s.user_id.clone()),
    ])
}

fn reach(s: &Subject, scope: Scope) -> Predicate {
    match scope {
        Scope::None => Predicate::False,
        Scope::All => Predicate::True,
        Scope::Own => own(s),
        // a team's scope covers its members' customers and the team's pool
        Scope::Team => Predicate::or(vec![
            own(s),
            Predicate::OwnerTeamIn(s.team_ids.clone()),
            team_pool(s),
        ]),
        Scope::Region => Predicate::or(vec![own(s), in_territory(s)]),
    }
}

/// Records of the user's regions (or below) and, when the user is limited to
/// product lines, that concern one of them or none in particular.
fn in_territory(s: &Subject) -> Predicate {
    let in_region = Predicate::RegionIn(s.region_ids.clone());
    if s.product_line_ids.is_empty() {
        in_region
    } else {
        Predicate::and(vec![
            in_region,
            Predicate::or(vec![
                Predicate::NoProductLine,
                Predicate::ProductLineIn(s.product_line_ids.clone()),
            ]),
        ])
    }
}

/// The company pool as a user who reads only their own (or their team's)
/// customers browses it: customers without an owner, of no partner, in their
/// territory. Reading them is what lets a rep find one to claim; editing
/// still needs owning it.
fn pool_in_territory(s: &Subject) -> Predicate {
    Predicate::and(vec![
        Predicate::NoOwner,
        Predicate::NoPartner,
        in_territory(s),
    ])
}

/// The pools of the user's teams, browsed the same way: customers handed to
/// the team, or released by one of its members, wherever they are.
fn pool_of_teams(s: &Subject) -> Predicate {
    Predicate::and(vec![Predicate::NoPartner, team_pool(s)])
}

fn team_pool(s: &Subject) -> Predicate {
    if s.team_ids.is_empty() {
        Predicate::False
    } else {
        Predicate::PoolTeamIn(s.team_ids.clone())
    }
}

/// The rule itself: which records of `resource` the subject may act on.
///
/// Partner users are always confined to their partner's records, whatever
/// their roles say, so a mis-configured role can never show a dealer another
/// dealer's customers.
pub fn predicate(s: &Subject, resource: Resource, action: Action) -> Predicate {
    let scopes = s.grants.scopes(resource, action);
    let granted = if resource.is_owned_record() {
        let reads_customers = resource.has_pool() && action == Action::Read;
        let has = |f: fn(&Scope) -> bool| scopes.iter().any(f);
        // those who read less than the whole company still browse the pools
        // they may claim from (a region's reach already holds its pool)
        let browses_territory_pool =
            reads_customers && has(|sc| matches!(sc, Scope::Own | Scope::Team));
        let browses_team_pool =
            reads_customers && has(|sc| matches!(sc, Scope::Own | Scope::Team | Scope::Region));
        let mut branches: Vec<Predicate> = scopes.iter().map(|&sc| reach(s, sc)).collect();
        if browses_territory_pool {
            branches.push(pool_in_territory(s));
        }
        if browses_team_pool {
            branches.push(pool_of_teams(s));
        }
        Predicate::or(branches)
    } else if scopes.is_empty() {
        Predicate::False
    } else {
        // Organisation data has no owner; any grant means the whole of it.
        Predicate::True
    };
    match (&s.partner_id, resource.is_owned_record()) {
        (Some(p), true) => Predicate::and(vec![granted, Predicate::PartnerIs(p.clone())]),
        _ => granted,
    }
}

/// Whether the subject may act on this record.
pub fn may(s: &Subject, resource: Resource, action: Action, record: &RecordFacts) -> bool {
    predicate(s, resource, action).eval(record)
}

/// Whether the subject may perform `action` on `resource` at all (on some record).
pub fn may_at_all(s: &Subject, resource: Resource, action: Action) -> bool {
    predicate(s, resource, action) != Predicate::False
}

#[cfg(test)]
mod tests;
