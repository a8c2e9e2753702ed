use super::assign::{self, Assignment, Match, Method, RawRule, Rule, RuleSettings};
use super::score::{self, Engagement, Facts, ScoreRules};
use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn raw(name: &str) -> RawLead {
    RawLead {
        name: Some(name.to_owned()),
        ..Default::default()
    }
}

#[test]
fn a_lead_needs_a_name_and_valid_contact_details() {
    let e = Lead::create(RawLead::default(), &Source::known(Source::MANUAL)).unwrap_err();
    assert_eq!(e.0[0].field, "name");
    let mut r = raw("王经理");
    r.email = Some(Some("not-an-email".into()));
    r.source = Some("Web Form!".into());
    let e = Lead::create(r, &Source::known(Source::MANUAL)).unwrap_err();
    let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["email", "source"]);
    let mut r = raw("王经理");
    r.phone = Some(Some(" ".into()));
    let l = Lead::create(r, &Source::known(Source::WEB_FORM)).unwrap();
    assert_eq!(l.phone, None);
    assert_eq!(l.source.as_str(), "web_form");
}

#[test]
fn converted_is_final_and_only_reached_by_conversion() {
    use LeadStatus::*;
    assert!(New.change_to(Contacted).is_ok());
    assert!(Unqualified.change_to(New).is_ok());
    assert_eq!(
        New.change_to(Converted).unwrap_err().0[0].code,
        "convert_instead"
    );
    assert_eq!(
        Converted.change_to(New).unwrap_err().0[0].code,
        "converted_final"
    );
    for s in [New, Contacted, Qualified] {
        assert_eq!(s.convert(), Ok(Converted));
    }
    for s in [Unqualified, Converted] {
        assert_eq!(s.convert().unwrap_err().0[0].code, "not_convertible");
    }
    for s in LeadStatus::ALL {
        assert_eq!(LeadStatus::parse(s.as_str()), Some(s));
    }
}

#[test]
fn the_score_explains_itself() {
    let f = Facts {
        has_company: true,
        has_phone: true,
        has_email: false,
        industry: Some("制造业"),
        has_region: false,
        source: "referral",
    };
    let mut rules = ScoreRules::default();
    rules.industries.insert("制造业".into(), 15);
    let s = score::score(
        &rules,
        &f,
        Engagement {
            activities: 1,
            form_submissions: 0,
        },
    );
    let get = |r: &str| s.parts.iter().find(|p| p.rule == r).unwrap().points;
    assert_eq!(get("completeness.company"), 10);
    assert_eq!(get("completeness.email"), 0);
    assert_eq!(get("source"), 25);
    assert_eq!(get("industry"), 15);
    assert_eq!(get("engagement.activities"), 4);
    assert_eq!(s.total, 10 + 10 + 5 + 25 + 15 + 4);
    // referral is worth more than a web form, which is worth more than an import
    let src = |source| {
        score::score(
            &ScoreRules::default(),
            &Facts { source, ..f },
            Engagement::default(),
        )
        .total
    };
    assert!(src("referral") > src("web_form") && src("web_form") > src("import"));
    assert!(src("something_else") > 0);
}

fn rule(id: &str, candidates: &[&str], method: Method, capacity: Option<u32>) -> Rule {
    Rule {
        id: id.into(),
        matches: Match::default(),
        method,
        candidates: candidates.iter().map(|s| s.to_string()).collect(),
        capacity,
        fallback_team_id: Some("queue".into()),
        last_user_id: None,
    }
}

#[test]
fn the_first_matching_rule_decides_and_falls_back_to_its_queue() {
    let mut east = rule("east", &["a", "b"], Method::RoundRobin, Some(1));
    east.matches.region_id = Some("sh".into());
    east.matches.industry = Some("Software".into());
    let any = rule("any", &["c"], Method::LeastLoaded, None);
    let rules = [east, any];
    let lead = assign::LeadFacts {
        region_id: Some("sh"),
        industry: Some("software"),
        product_line_id: None,
    };
    let open = BTreeMap::new();
    assert_eq!(
        assign::assign(&rules, &lead, &open, None),
        Assignment::User {
            user_id: "a".into(),
            rule_id: "east".into()
        }
    );
    let full = BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 3)]);
    assert_eq!(
        assign::assign(&rules, &lead, &full, None),
        Assignment::Queue {
            team_id: Some("queue".into()),
            rule_id: Some("east".into())
        }
    );
    let other = assign::LeadFacts {
        region_id: Some("bj"),
        ..lead
    };
    assert_eq!(
        assign::assign(&rules, &other, &open, None),
        Assignment::User {
            user_id: "c".into(),
            rule_id: "any".into()
        }
    );
    assert_eq!(
        assign::assign(&[], &other, &open, Some("form-team")),
        Assignment::Queue {
            team_id: Some("form-team".into()),
            rule_id: None
        }
    );
}

#[test]
fn least_loaded_takes_the_emptiest_and_round_robin_continues_after_the_last() {
    let open = BTreeMap::from([
        ("a".to_owned(), 5),
        ("b".to_owned(), 2),
        ("c".to_owned(), 2),
    ]);
    let ll = rule("r", &["a", "b", "c"], Method::LeastLoaded, None);
    assert_eq!(assign::pick(&ll, &open).as_deref(), Some("b"));
    let mut rr = rule("r", &["a", "b", "c"], Method::RoundRobin, Some(5));
    rr.last_user_id = Some("b".into());
    assert_eq!(assign::pick(&rr, &open).as_deref(), Some("c"));
    rr.last_user_id = Some("c".into());
    // a is full, so b is next
    assert_eq!(assign::pick(&rr, &open).as_deref(), Some("b"));
    rr.last_user_id = Some("gone".into());
    assert_eq!(assign::pick(&rr, &BTreeMap::new()).as_deref(), Some("a"));
}

#[test]
fn rule_settings_name_users_or_a_team() {
    let e = RuleSettings::parse(RawRule::default()).unwrap_err();
    assert_eq!(e.0[0].field, "user_ids");
    let e = RuleSettings::parse(RawRule {
        user_ids: vec!["u".into()],
        team_id: Some("t".into()),
        method: Some("random".into()),
        capacity: Some(0),
        ..Default::default()
    })
    .unwrap_err();
    let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["method", "team_id", "capacity"]);
    let ok = RuleSettings::parse(RawRule {
        user_ids: vec!["u".into(), "u".into()],
        industry: Some(" ".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(ok.user_ids, ["u"]);
    assert_eq!(ok.matches.industry, None);
    assert_eq!(ok.method, Method::RoundRobin);
}

proptest! {
    #[test]
    fn the_score_stays_within_0_to_100_and_is_the_sum_of_its_parts(
        flags in prop::array::uniform5(any::<bool>()),
        weights in prop::array::uniform8(any::<u8>()),
        source in prop::sample::select(vec!["referral", "web_form", "import", "x"]),
        activities in 0u32..1000,
        subs in 0u32..1000,
    ) {
        let mut rules = ScoreRules {
            company: weights[0], phone: weights[1], email: weights[2], industry_known: weights[3],
            region: weights[4], other_source: weights[5], per_activity: weights[6], activities_max: weights[7],
            per_submission: weights[7], submissions_max: weights[6], ..ScoreRules::default()
        };
        rules.sources.insert("x".into(), weights[0]);
        rules.industries.insert("it".into(), weights[1]);
        let f = Facts {
            has_company: flags[0], has_phone: flags[1], has_email: flags[2],
            industry: flags[3].then_some("IT"), has_region: flags[4], source,
        };
        let s = score::score(&rules, &f, Engagement { activities, form_submissions: subs });
        prop_assert!(s.total <= 100);
        prop_assert_eq!(s.parts.iter().map(|p| u32::from(p.points)).sum::<u32>(), u32::from(s.total));
    }

    #[test]
    fn assignment_never_exceeds_capacity(
        loads in prop::collection::vec(0u32..6, 1..6),
        capacity in 1u32..5,
        rr in any::<bool>(),
        leads in 1usize..30,
    ) {
        let names: Vec<String> = (0..loads.len()).map(|i| format!("u{i}")).collect();
        let mut open: BTreeMap<String, u32> = names.iter().cloned().zip(loads.iter().copied()).collect();
        let method = if rr { Method::RoundRobin } else { Method::LeastLoaded };
        let mut r = rule("r", &names.iter().map(String::as_str).collect::<Vec<_>>(), method, Some(capacity));
        for _ in 0..leads {
            match assign::assign(std::slice::from_ref(&r), &assign::LeadFacts::default(), &open, None) {
                Assignment::User { user_id, .. } => {
                    let n = open.entry(user_id.clone()).or_default();
                    prop_assert!(*n < capacity);
                    *n += 1;
                    r.last_user_id = Some(user_id);
                }
                Assignment::Queue { .. } => {
                    prop_assert!(names.iter().all(|u| open[u] >= capacity));
                }
            }
        }
    }

    #[test]
    fn round_robin_is_fair(n in 1usize..8, rounds in 1usize..10, start in 0usize..8) {
        let names: Vec<String> = (0..n).map(|i| format!("u{i}")).collect();
        let mut r = rule("r", &names.iter().map(String::as_str).collect::<Vec<_>>(), Method::RoundRobin, None);
        r.last_user_id = Some(names[start % n].clone());
        let mut got: BTreeMap<String, usize> = BTreeMap::new();
        for _ in 0..n * rounds {
            let u = assign::pick(&r, &BTreeMap::new()).unwrap();
            *got.entry(u.clone()).or_default() += 1;
            r.last_user_id = Some(u);
        }
        prop_assert!(names.iter().all(|u| got.get(u) == Some(&rounds)));
    }
}

#[test]
fn score_rules_are_checked_against_their_ceilings() {
    let mut r = ScoreRules {
        company: 41,
        ..ScoreRules::default()
    };
    r.sources.insert("Bad Key".into(), 5);
    r.sources.insert("fair".into(), 26);
    r.industries.insert("制造业".into(), 16);
    let e = r.check().unwrap_err();
    let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "company",
            "sources.Bad Key",
            "sources.fair",
            "industries.制造业"
        ]
    );
    assert!(ScoreRules::default().check().is_ok());
}
