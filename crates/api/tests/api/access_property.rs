//! The access rule's SQL form returns exactly the rows its pure form allows,
//! on random organisations, users and records (customers and their deals),
//! on both databases.

use crate::helpers::TestDb;
use crate::helpers::summed;
use diesel::prelude::*;
use kehu_api::db::schema::{customers, leads, opportunities};
use kehu_api::db::{Backend, DbConnection};
use kehu_api::repo::access_sql::opportunity_condition;
use kehu_api::repo::customers::{After, CursorValue, CustomerFilter, Sort, SortKey};
use kehu_api::repo::forecast::{Ask, GroupBy, Sources};
use kehu_api::repo::{self, access_sql::customer_condition, org::UnitKind, users::UserValues};
use kehu_domain::access::{self, Action, RecordFacts, Resource, RoleGrants, Scope};
use kehu_domain::customer::{Creator, Customer, RawCustomer};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
struct World {
    /// parent index of each team / region (only smaller indexes, so they are trees)
    team_parents: Vec<Option<usize>>,
    region_parents: Vec<Option<usize>>,
    product_lines: usize,
    partners: usize,
    users: Vec<UserSpec>,
    customers: Vec<CustomerSpec>,
}

#[derive(Debug, Clone)]
struct UserSpec {
    team: Option<usize>,
    regions: BTreeSet<usize>,
    product_lines: BTreeSet<usize>,
    partner: Option<usize>,
    /// one custom role per user: a scope for each customer action
    scopes: [Scope; 3],
    /// and maybe a built-in role as well
    builtin: Option<&'static str>,
}

#[derive(Debug, Clone)]
struct CustomerSpec {
    owner: Option<usize>,
    region: Option<usize>,
    product_lines: BTreeSet<usize>,
    partner: Option<usize>,
    collaborators: BTreeSet<usize>,
    /// the customer's own team (whose pool it is in when it has no owner)
    team: Option<usize>,
}

fn tree(n: usize) -> impl Strategy<Value = Vec<Option<usize>>> {
    prop::collection::vec(prop::option::of(0..8usize), n).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, p)| p.filter(|&p| p < i))
            .collect()
    })
}

fn world() -> impl Strategy<Value = World> {
    (tree(4), tree(5), 1..4usize, 1..3usize).prop_flat_map(|(tp, rp, npl, npa)| {
        let (nt, nr) = (tp.len(), rp.len());
        let scope = prop::sample::select(Scope::ALL.to_vec());
        let user = (
            prop::option::of(0..nt),
            prop::collection::btree_set(0..nr, 0..3),
            prop::collection::btree_set(0..npl, 0..2),
            prop::option::weighted(0.2, 0..npa),
            [scope.clone(), scope.clone(), scope],
            prop::option::weighted(
                0.3,
                prop::sample::select(vec![
                    "sales_rep",
                    "sales_manager",
                    "partner",
                    "service_agent",
                ]),
            ),
        )
            .prop_map(|(team, regions, product_lines, partner, scopes, builtin)| {
                UserSpec {
                    team,
                    regions,
                    product_lines,
                    partner,
                    scopes,
                    builtin,
                }
            });
        (prop::collection::vec(user, 2..6), Just((tp, rp, npl, npa)))
            .prop_flat_map(move |(users, (tp, rp, npl, npa))| {
                let nu = users.len();
                let customer = (
                    prop::option::of(0..nu),
                    prop::option::of(0..nr),
                    prop::collection::btree_set(0..npl, 0..3),
                    prop::option::weighted(0.3, 0..npa),
                    prop::collection::btree_set(0..nu, 0..2),
                    prop::option::of(0..nt),
                )
                    .prop_map(
                        |(owner, region, product_lines, partner, collaborators, team)| {
                            CustomerSpec {
                                owner,
                                region,
                                product_lines,
                                partner,
                                collaborators,
                                team,
                            }
                        },
                    );
                (
                    Just(users),
                    Just((tp, rp, npl, npa)),
                    prop::collection::vec(customer, 5..25),
                )
            })
            .prop_map(
                |(users, (team_parents, region_parents, product_lines, partners), customers)| {
                    World {
                        team_parents,
                        region_parents,
                        product_lines,
                        partners,
                        users,
                        customers,
                    }
                },
            )
    })
}

static CASES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn check(c: &mut DbConnection, w: &World) -> Result<(), TestCaseError> {
    let now = kehu_api::db::now();
    let tag = uuid::Uuid::new_v4().simple().to_string();
    // each case's deals in a currency of their own, so its forecast holds
    // only them
    let n = CASES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let currency: String = [b'X', b'A' + (n / 26 % 26) as u8, b'A' + (n % 26) as u8]
        .map(char::from)
        .iter()
        .collect();
    let id = |kind: &str, i: usize| format!("{kind}{i}-{}", &tag[..12]);
    let mk = |c: &mut DbConnection, kind: UnitKind, prefix: &str, parents: &[Option<usize>]| {
        for (i, p) in parents.iter().enumerate() {
            let parent = p.map(|p| id(prefix, p));
            repo::org::insert(
                c,
                kind,
                &id(prefix, i),
                &id(prefix, i),
                parent.as_deref(),
                now,
            )
            .unwrap();
        }
    };
    mk(c, UnitKind::Team, "t", &w.team_parents);
    mk(c, UnitKind::Region, "r", &w.region_parents);
    mk(c, UnitKind::ProductLine, "pl", &vec![None; w.product_lines]);
    mk(c, UnitKind::Partner, "p", &vec![None; w.partners]);
    for (i, u) in w.users.iter().enumerate() {
        let mut grants = RoleGrants::new();
        for (a, s) in [Action::Read, Action::Update, Action::Delete]
            .into_iter()
            .zip(u.scopes)
        {
            grants.insert((Resource::Customer, a), s);
            // deals follow the same rule on their own columns
            grants.insert((Resource::Opportunity, a), s);
            // and so do leads
            grants.insert((Resource::Lead, a), s);
        }
        let role = id("role", i);
        let rv = repo::roles::RoleValues {
            name: &role,
            description: None,
            grants: &grants,
        };
        repo::roles::insert(c, &role, &rv, false, now).unwrap();
        let mut role_ids = vec![role];
        role_ids.extend(u.builtin.map(str::to_owned));
        let email = format!("{}@prop.example", id("u", i));
        let v = UserValues {
            email: email.clone(),
            email_key: email,
            display_name: id("u", i),
            is_active: true,
            team_id: u.team.map(|t| id("t", t)),
            partner_id: u.partner.map(|p| id("p", p)),
            locale: None,
            role_ids,
            region_ids: u.regions.iter().map(|&r| id("r", r)).collect(),
            product_line_ids: u.product_lines.iter().map(|&p| id("pl", p)).collect(),
        };
        repo::users::insert(c, &id("u", i), &v, "x", now).unwrap();
    }
    let mut facts = BTreeMap::new();
    for (i, cs) in w.customers.iter().enumerate() {
        let raw = RawCustomer {
            name: Some(format!("c{i}")),
            owner_id: Some(cs.owner.map(|u| id("u", u))),
            region_id: Some(cs.region.map(|r| id("r", r))),
            product_line_ids: Some(cs.product_lines.iter().map(|&p| id("pl", p)).collect()),
            partner_id: Some(cs.partner.map(|p| id("p", p))),
            team_id: Some(cs.team.map(|t| id("t", t))),
            ..Default::default()
        };
        let cust = Customer::create(raw, &Creator::default()).unwrap();
        let cid = id("c", i);
        repo::customers::insert(c, &cid, &cust, &id("u", 0), now).unwrap();
        for &u in &cs.collaborators {
            repo::customers::add_collaborator(c, &cid, &id("u", u)).unwrap();
        }
        // the oracle's view, from the generated world, not from the database
        facts.insert(
            cid,
            RecordFacts {
                owner_id: cs.owner.map(|u| id("u", u)),
                owner_team_id: cs.owner.and_then(|u| w.users[u].team).map(|t| id("t", t)),
                team_id: cs.team.map(|t| id("t", t)),
                collaborator_ids: cs.collaborators.iter().map(|&u| id("u", u)).collect(),
                region_id: cs.region.map(|r| id("r", r)),
                product_line_ids: cs.product_lines.iter().map(|&p| id("pl", p)).collect(),
                partner_id: cs.partner.map(|p| id("p", p)),
            },
        );
    }
    // one deal per customer: its owner (or the first user), region, first
    // product line, team and partner
    let mut deal_facts = BTreeMap::new();
    for (i, cs) in w.customers.iter().enumerate() {
        let owner = cs.owner.unwrap_or(0);
        let line = cs.product_lines.iter().next().map(|&p| id("pl", p));
        let mut row = deal_row(
            &id("d", i),
            &id("c", i),
            &id("u", owner),
            cs.team.map(|t| id("t", t)),
            cs.region.map(|r| id("r", r)),
            line.clone(),
            cs.partner.map(|p| id("p", p)),
            now,
        );
        // amounts differ, so a deal summed twice or missed shows in the sums
        row.amount_minor = 1 << i.min(40);
        row.weighted_minor = row.amount_minor / 10;
        row.currency = currency.clone();
        repo::opportunities::insert(
            c,
            &repo::opportunities::NewOpportunity {
                row: &row,
                contact_ids: &[],
                by: repo::opportunities::Author {
                    user_id: None,
                    api_key_id: None,
                },
            },
        )
        .unwrap();
        deal_facts.insert(
            id("d", i),
            RecordFacts {
                owner_id: Some(id("u", owner)),
                owner_team_id: w.users[owner].team.map(|t| id("t", t)),
                team_id: cs.team.map(|t| id("t", t)),
                collaborator_ids: cs.collaborators.iter().map(|&u| id("u", u)).collect(),
                region_id: cs.region.map(|r| id("r", r)),
                product_line_ids: line.into_iter().collect(),
                partner_id: cs.partner.map(|p| id("p", p)),
            },
        );
    }
    // one lead per customer, with the customer's owner (none: in the queue
    // of its team), region, first product line and partner; leads have no
    // collaborators
    let mut lead_facts = BTreeMap::new();
    for (i, cs) in w.customers.iter().enumerate() {
        let line = cs.product_lines.iter().next().map(|&p| id("pl", p));
        let lead = kehu_domain::lead::Lead::create(
            kehu_domain::lead::RawLead {
                name: Some(format!("l{i}")),
                region_id: Some(cs.region.map(|r| id("r", r))),
                product_line_id: Some(line.clone()),
                ..Default::default()
            },
            &kehu_domain::lead::Source::known(kehu_domain::lead::Source::MANUAL),
        )
        .unwrap();
        let placement = repo::leads::Placement {
            owner_id: cs.owner.map(|u| id("u", u)),
            team_id: cs.team.map(|t| id("t", t)),
            partner_id: cs.partner.map(|p| id("p", p)),
            ..Default::default()
        };
        let at = now - chrono::Duration::seconds(i as i64 % 3);
        repo::leads::insert(c, &id("l", i), &lead, &placement, Default::default(), at).unwrap();
        lead_facts.insert(
            id("l", i),
            RecordFacts {
                owner_id: cs.owner.map(|u| id("u", u)),
                owner_team_id: cs.owner.and_then(|u| w.users[u].team).map(|t| id("t", t)),
                team_id: cs.team.map(|t| id("t", t)),
                collaborator_ids: Default::default(),
                region_id: cs.region.map(|r| id("r", r)),
                product_line_ids: line.into_iter().collect(),
                partner_id: cs.partner.map(|p| id("p", p)),
            },
        );
    }
    let lead_ids: Vec<String> = lead_facts.keys().cloned().collect();
    let deal_ids: Vec<String> = deal_facts.keys().cloned().collect();
    let ids: Vec<String> = facts.keys().cloned().collect();
    for i in 0..w.users.len() {
        let auth = repo::principal::load(c, &id("u", i), kehu_api::auth::principal::Via::Session)
            .unwrap()
            .unwrap();
        for action in [Action::Read, Action::Update, Action::Delete] {
            let pred = access::predicate(&auth.subject, Resource::Opportunity, action);
            let from_sql: BTreeSet<String> = opportunities::table
                .filter(opportunity_condition(&pred))
                .filter(opportunities::id.eq_any(&deal_ids))
                .select(opportunities::id)
                .load(c)
                .unwrap()
                .into_iter()
                .collect();
            let allowed: BTreeSet<String> = deal_facts
                .iter()
                .filter(|(_, f)| access::may(&auth.subject, Resource::Opportunity, action, f))
                .map(|(k, _)| k.clone())
                .collect();
            prop_assert_eq!(&from_sql, &allowed, "deals of user {} {:?}", i, action);
            if action == Action::Read {
                // the forecast counts each allowed deal once, however its
                // scope is split between the rollup and the deals, and sums
                // per group what the deals read one by one sum
                for group in [
                    GroupBy::Owner,
                    GroupBy::Team,
                    GroupBy::Region,
                    GroupBy::ProductLine,
                ] {
                    let ask = Ask {
                        currency: &currency,
                        from: "2026-12-01",
                        to: "2027-01-01",
                        group,
                        pipeline_id: None,
                    };
                    let split = summed(repo::forecast::cells(c, Sources::of(&pred), &ask).unwrap());
                    let deals =
                        summed(repo::forecast::cells(c, Sources::deals_only(&pred), &ask).unwrap());
                    prop_assert_eq!(&split, &deals, "forecast of user {} by {:?}", i, group);
                    let counted: i64 = split.values().map(|v| v.0).sum();
                    prop_assert_eq!(
                        counted,
                        allowed.len() as i64,
                        "forecast count of user {}",
                        i
                    );
                }
            }
            let pred = access::predicate(&auth.subject, Resource::Lead, action);
            let from_sql: BTreeSet<String> = leads::table
                .filter(repo::leads::lead_condition(&pred))
                .filter(leads::id.eq_any(&lead_ids))
                .select(leads::id)
                .load(c)
                .unwrap()
                .into_iter()
                .collect();
            let allowed: BTreeSet<String> = lead_facts
                .iter()
                .filter(|(_, f)| access::may(&auth.subject, Resource::Lead, action, f))
                .map(|(k, _)| k.clone())
                .collect();
            prop_assert_eq!(&from_sql, &allowed, "leads of user {} {:?}", i, action);
            // the list reads each scope branch on its own and merges them,
            // page by page, into the same leads in the same order
            let mut paged: Vec<String> = Vec::new();
            let mut after = None;
            loop {
                let page =
                    repo::leads::list(c, &pred, &Default::default(), after.clone(), 2).unwrap();
                let Some(last) = page.last() else { break };
                after = Some((last.created_at, last.id.clone()));
                paged.extend(
                    page.iter()
                        .map(|r| r.id.clone())
                        .filter(|l| lead_ids.contains(l)),
                );
            }
            let mut whole: Vec<(chrono::NaiveDateTime, String)> = leads::table
                .filter(repo::leads::lead_condition(&pred))
                .filter(leads::id.eq_any(&lead_ids))
                .select((leads::created_at, leads::id))
                .load(c)
                .unwrap();
            whole.sort_by(|a, b| b.cmp(a));
            let whole: Vec<String> = whole.into_iter().map(|(_, l)| l).collect();
            prop_assert_eq!(&paged, &whole, "lead list of user {} {:?}", i, action);
            let pred = access::predicate(&auth.subject, Resource::Customer, action);
            let from_sql: BTreeSet<String> = customers::table
                .filter(customer_condition(&pred))
                .filter(customers::id.eq_any(&ids))
                .select(customers::id)
                .load(c)
                .unwrap()
                .into_iter()
                .collect();
            let allowed: BTreeSet<String> = facts
                .iter()
                .filter(|(_, f)| access::may(&auth.subject, Resource::Customer, action, f))
                .map(|(k, _)| k.clone())
                .collect();
            prop_assert_eq!(
                &from_sql,
                &allowed,
                "user {} {:?} {:?}",
                i,
                action,
                w.users[i]
            );
            // the list and the count, which read each scope branch on its own,
            // agree with the single condition, page by page
            let whole: Vec<String> = customers::table
                .filter(customer_condition(&pred))
                .filter(customers::deleted_at.is_null())
                .order((customers::updated_at.desc(), customers::id.desc()))
                .select(customers::id)
                .load(c)
                .unwrap();
            let all = CustomerFilter::default();
            let sort = Sort {
                key: SortKey::UpdatedAt,
                desc: true,
            };
            let mut paged: Vec<String> = Vec::new();
            let mut after: Option<After> = None;
            loop {
                let page = repo::customers::list(c, &pred, &all, sort, after.as_ref(), 3).unwrap();
                let Some(last) = page.last() else { break };
                after = Some(After {
                    value: CursorValue::Time(last.row.updated_at),
                    id: last.row.id.clone(),
                });
                paged.extend(page.iter().map(|r| r.row.id.clone()));
            }
            prop_assert_eq!(&paged, &whole, "list of user {} {:?}", i, action);
            let counted = repo::customers::count(c, &pred, &all).unwrap();
            prop_assert_eq!(
                counted as usize,
                whole.len(),
                "count of user {} {:?}",
                i,
                action
            );
        }
    }
    Ok(())
}

#[expect(
    clippy::too_many_arguments,
    reason = "a row's scope columns, named at the call"
)]
fn deal_row(
    id: &str,
    customer: &str,
    owner: &str,
    team: Option<String>,
    region: Option<String>,
    line: Option<String>,
    partner: Option<String>,
    now: chrono::NaiveDateTime,
) -> repo::opportunities::OpportunityRow {
    repo::opportunities::OpportunityRow {
        id: id.into(),
        name: id.into(),
        customer_id: customer.into(),
        pipeline_id: "default".into(),
        stage_id: "stage-identify".into(),
        status: "open".into(),
        owner_id: owner.into(),
        team_id: team,
        region_id: region,
        product_line_id: line,
        partner_id: partner,
        amount_minor: 1,
        currency: "CNY".into(),
        expected_close_on: "2026-12-31".into(),
        probability: 10,
        probability_override: None,
        forecast_category: "pipeline".into(),
        weighted_minor: 0,
        forecast_on: "2026-12-31".into(),
        source_lead_id: None,
        campaign: None,
        stage_entered_at: now,
        closed_on: None,
        closed_at: None,
        loss_reason_id: None,
        lost_to_competitor_id: None,
        close_notes: None,
        created_by: None,
        api_key_id: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

fn run(backend: Backend) {
    let Some(db) = TestDb::create(backend) else {
        return;
    };
    let pool = db.pool();
    repo::roles::ensure_builtin(&mut pool.get().unwrap(), kehu_api::db::now()).unwrap();
    repo::pipelines::ensure_default(&mut pool.get().unwrap(), false, kehu_api::db::now()).unwrap();
    let cases = std::env::var("KEHU_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    runner
        .run(&world(), |w| check(&mut pool.get().unwrap(), &w))
        .unwrap();
}

#[test]
fn sql_scope_equals_the_domain_rule_on_sqlite() {
    run(Backend::Sqlite);
}

#[test]
fn sql_scope_equals_the_domain_rule_on_postgres() {
    run(Backend::Postgres);
}
