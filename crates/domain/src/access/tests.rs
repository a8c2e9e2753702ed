use super::*;
use proptest::prelude::*;

fn set(xs: &[&str]) -> BTreeSet<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

fn subject(user: &str, role: BuiltinRole) -> Subject {
    Subject {
        user_id: user.into(),
        team_ids: set(&["t-east", "t-east-1"]),
        region_ids: set(&["r-east", "r-shanghai"]),
        grants: Grants::merge([&builtin_grants(role)]),
        ..Default::default()
    }
}

fn record(owner: Option<&str>, team: Option<&str>, region: Option<&str>) -> RecordFacts {
    RecordFacts {
        owner_id: owner.map(Into::into),
        owner_team_id: team.map(Into::into),
        region_id: region.map(Into::into),
        ..Default::default()
    }
}

#[test]
fn rep_sees_own_and_collaborations_only() {
    let rep = subject("u-rep", BuiltinRole::SalesRep);
    assert!(may(
        &rep,
        Resource::Customer,
        Action::Read,
        &record(Some("u-rep"), None, None)
    ));
    let mut shared = record(Some("u-other"), Some("t-east"), Some("r-east"));
    assert!(!may(&rep, Resource::Customer, Action::Read, &shared));
    shared.collaborator_ids.insert("u-rep".into());
    assert!(may(&rep, Resource::Customer, Action::Update, &shared));
    assert!(
        !may(&rep, Resource::Customer, Action::Delete, &shared),
        "reps never delete"
    );
}

#[test]
fn a_teams_pool_is_browsed_by_its_members_and_managed_by_its_managers() {
    let rep = subject("u-rep", BuiltinRole::SalesRep);
    // handed to the rep's team, in a region outside the rep's territory
    let mut handed = record(None, None, Some("r-north"));
    handed.team_id = Some("t-east-1".into());
    assert!(may(&rep, Resource::Customer, Action::Read, &handed));
    assert!(
        !may(&rep, Resource::Customer, Action::Update, &handed),
        "a rep claims it before editing it"
    );
    let mut elsewhere = handed.clone();
    elsewhere.team_id = Some("t-west".into());
    assert!(!may(&rep, Resource::Customer, Action::Read, &elsewhere));
    let mut dealer = handed.clone();
    dealer.partner_id = Some("p-1".into());
    assert!(
        !may(&rep, Resource::Customer, Action::Read, &dealer),
        "a dealer's customers are never in a company pool"
    );
    let mut lead = subject("u-lead", BuiltinRole::SalesRep);
    lead.grants = Grants::merge([&RoleGrants::from([
        ((Resource::Customer, Action::Read), Scope::Team),
        ((Resource::Customer, Action::Update), Scope::Team),
    ])]);
    assert!(may(&lead, Resource::Customer, Action::Update, &handed));
    assert!(!may(&lead, Resource::Customer, Action::Update, &elsewhere));
    let mut owned = handed.clone();
    owned.owner_id = Some("u-far".into());
    owned.owner_team_id = Some("t-west".into());
    assert!(
        !may(&lead, Resource::Customer, Action::Update, &owned),
        "once someone of another team owns it, it left the team"
    );
}

#[test]
fn manager_sees_region_limited_to_product_lines() {
    let mut m = subject("u-m", BuiltinRole::SalesManager);
    let mut r = record(Some("u-x"), None, Some("r-shanghai"));
    assert!(may(&m, Resource::Customer, Action::Read, &r));
    m.product_line_ids = set(&["pl-printer"]);
    assert!(
        may(&m, Resource::Customer, Action::Read, &r),
        "a record of no product line stays visible"
    );
    r.product_line_ids = set(&["pl-pc"]);
    assert!(!may(&m, Resource::Customer, Action::Read, &r));
    r.product_line_ids.insert("pl-printer".into());
    assert!(may(&m, Resource::Customer, Action::Read, &r));
    assert!(!may(
        &m,
        Resource::Customer,
        Action::Read,
        &record(None, None, Some("r-south"))
    ));
    assert!(
        may(
            &m,
            Resource::Customer,
            Action::Read,
            &record(None, None, Some("r-east"))
        ),
        "pool customers of the region"
    );
}

#[test]
fn team_scope_follows_the_owner_team() {
    let mut g = RoleGrants::new();
    g.insert((Resource::Customer, Action::Read), Scope::Team);
    let s = Subject {
        user_id: "u".into(),
        team_ids: set(&["t1"]),
        grants: Grants::merge([&g]),
        ..Default::default()
    };
    assert!(may(
        &s,
        Resource::Customer,
        Action::Read,
        &record(Some("x"), Some("t1"), None)
    ));
    assert!(!may(
        &s,
        Resource::Customer,
        Action::Read,
        &record(Some("x"), Some("t2"), None)
    ));
    assert!(
        !may(
            &s,
            Resource::Customer,
            Action::Read,
            &record(None, Some("t1"), None)
        ),
        "pool has no team"
    );
}

#[test]
fn partners_only_ever_see_their_own_partner() {
    let mut p = subject("u-p", BuiltinRole::Partner);
    p.partner_id = Some("p-1".into());
    let mut r = record(None, None, None);
    assert!(!may(&p, Resource::Customer, Action::Read, &r));
    r.partner_id = Some("p-2".into());
    assert!(!may(&p, Resource::Customer, Action::Read, &r));
    r.partner_id = Some("p-1".into());
    assert!(may(&p, Resource::Customer, Action::Read, &r));
    // even an administrator role cannot widen a partner user's view
    p.grants = Grants::merge([&builtin_grants(BuiltinRole::Admin)]);
    r.partner_id = Some("p-2".into());
    assert!(!may(&p, Resource::Customer, Action::Read, &r));
}

#[test]
fn organisation_data_is_all_or_nothing() {
    let rep = subject("u", BuiltinRole::SalesRep);
    assert_eq!(
        predicate(&rep, Resource::Team, Action::Read),
        Predicate::True
    );
    assert_eq!(
        predicate(&rep, Resource::Team, Action::Update),
        Predicate::False
    );
    assert!(!may_at_all(&rep, Resource::ApiKey, Action::Create));
    let admin = subject("a", BuiltinRole::Admin);
    assert!(may_at_all(&admin, Resource::ApiKey, Action::Create));
}

#[test]
fn merging_keeps_the_widest() {
    let g = Grants::merge([
        &builtin_grants(BuiltinRole::SalesRep),
        &builtin_grants(BuiltinRole::SalesManager),
    ]);
    assert_eq!(
        g.scopes(Resource::Customer, Action::Read),
        vec![Scope::Region]
    );
    assert_eq!(
        g.scopes(Resource::Customer, Action::Delete),
        vec![Scope::Region]
    );
    let g = Grants::merge([
        &builtin_grants(BuiltinRole::SalesRep),
        &builtin_grants(BuiltinRole::Admin),
    ]);
    assert_eq!(g.scopes(Resource::Customer, Action::Read), vec![Scope::All]);
}

fn arb_scope() -> impl Strategy<Value = Scope> {
    prop::sample::select(Scope::ALL.to_vec())
}

fn arb_id(prefix: &'static str) -> impl Strategy<Value = String> {
    (0..4u8).prop_map(move |i| format!("{prefix}{i}"))
}

fn arb_record() -> impl Strategy<Value = RecordFacts> {
    (
        prop::option::of(arb_id("u")),
        prop::option::of(arb_id("t")),
        prop::option::of(arb_id("t")),
        prop::collection::btree_set(arb_id("u"), 0..3),
        prop::option::of(arb_id("r")),
        prop::collection::btree_set(arb_id("pl"), 0..3),
        prop::option::of(arb_id("p")),
    )
        .prop_map(
            |(
                owner_id,
                owner_team_id,
                team_id,
                collaborator_ids,
                region_id,
                product_line_ids,
                partner_id,
            )| RecordFacts {
                owner_id,
                owner_team_id,
                team_id,
                collaborator_ids,
                region_id,
                product_line_ids,
                partner_id,
            },
        )
}

fn arb_subject(scopes: Vec<Scope>) -> impl Strategy<Value = Subject> {
    (
        arb_id("u"),
        prop::collection::btree_set(arb_id("t"), 0..3),
        prop::collection::btree_set(arb_id("r"), 0..3),
        prop::collection::btree_set(arb_id("pl"), 0..2),
        prop::option::of(arb_id("p")),
    )
        .prop_map(
            move |(user_id, team_ids, region_ids, product_line_ids, partner_id)| {
                let roles: Vec<RoleGrants> = scopes
                    .iter()
                    .map(|&s| RoleGrants::from([((Resource::Customer, Action::Read), s)]))
                    .collect();
                Subject {
                    user_id,
                    team_ids,
                    region_ids,
                    product_line_ids,
                    partner_id,
                    grants: Grants::merge(&roles),
                }
            },
        )
}

proptest! {
    #[test]
    fn holding_several_roles_is_the_union_of_holding_each(
        scopes in prop::collection::vec(arb_scope(), 1..4),
        s in arb_subject(vec![]),
        r in arb_record(),
    ) {
        let mut whole = s.clone();
        let roles: Vec<RoleGrants> = scopes.iter().map(|&sc| RoleGrants::from([((Resource::Customer, Action::Read), sc)])).collect();
        whole.grants = Grants::merge(&roles);
        let any_one = roles.iter().any(|g| {
            let mut one = s.clone();
            one.grants = Grants::merge([g]);
            may(&one, Resource::Customer, Action::Read, &r)
        });
        prop_assert_eq!(may(&whole, Resource::Customer, Action::Read, &r), any_one);
    }

    #[test]
    fn wider_scopes_never_see_less(s in arb_subject(vec![]), r in arb_record()) {
        let with = |sc: Scope| {
            let mut x = s.clone();
            x.grants = Grants::merge([&RoleGrants::from([((Resource::Customer, Action::Read), sc)])]);
            may(&x, Resource::Customer, Action::Read, &r)
        };
        prop_assert!(!with(Scope::None));
        if with(Scope::Own) {
            prop_assert!(with(Scope::Team) && with(Scope::Region) && with(Scope::All));
        }
        if with(Scope::Team) || with(Scope::Region) {
            prop_assert!(with(Scope::All));
        }
    }

    #[test]
    fn a_partner_user_never_sees_another_partners_record(scopes in prop::collection::vec(arb_scope(), 1..3), s in arb_subject(vec![]), r in arb_record()) {
        let mut s = s;
        let roles: Vec<RoleGrants> = scopes.iter().map(|&sc| RoleGrants::from([((Resource::Customer, Action::Read), sc)])).collect();
        s.grants = Grants::merge(&roles);
        if let Some(p) = &s.partner_id
            && may(&s, Resource::Customer, Action::Read, &r) {
                prop_assert_eq!(r.partner_id.as_ref(), Some(p));
            }
    }
}

#[test]
fn an_administrators_scope_needs_no_record_by_record_part() {
    let s = subject("u-admin", BuiltinRole::Admin);
    let p = predicate(&s, Resource::Opportunity, Action::Read);
    assert_eq!(p.split_collaborators(), (Predicate::True, Predicate::False));
}

#[test]
fn a_reps_scope_splits_into_owning_and_collaborating() {
    let s = subject("u-rep", BuiltinRole::SalesRep);
    let (plain, related) = predicate(&s, Resource::Opportunity, Action::Read).split_collaborators();
    assert!(!plain.reads_collaborators());
    assert_eq!(plain, Predicate::OwnerIs("u-rep".into()));
    assert_eq!(related, Predicate::CollaboratorIs("u-rep".into()));
}

proptest! {
    #[test]
    fn a_split_scope_allows_exactly_what_the_whole_does(
        scopes in prop::collection::vec(arb_scope(), 1..4),
        s in arb_subject(vec![]),
        r in arb_record(),
    ) {
        let mut s = s;
        let roles: Vec<RoleGrants> = scopes.iter().map(|&sc| RoleGrants::from([((Resource::Customer, Action::Read), sc)])).collect();
        s.grants = Grants::merge(&roles);
        let whole = predicate(&s, Resource::Customer, Action::Read);
        let (plain, related) = whole.split_collaborators();
        prop_assert!(!plain.reads_collaborators());
        prop_assert_eq!(whole.eval(&r), plain.eval(&r) || related.eval(&r));
    }
}
