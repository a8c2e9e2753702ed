use super::*;
use proptest::prelude::*;

fn funnel() -> Vec<Stage> {
    let open = |id: &str, pos, items: &[&str]| Stage {
        id: id.into(),
        kind: StageKind::Open,
        position: pos,
        required_items: items.iter().map(|s| s.to_string()).collect(),
    };
    vec![
        open("identify", 0, &["need"]),
        open("qualify", 1, &["budget", "decider"]),
        open("plan", 2, &[]),
        open("proposal", 3, &["sent"]),
        Stage {
            id: "won".into(),
            kind: StageKind::Won,
            position: 4,
            required_items: vec![],
        },
        Stage {
            id: "lost".into(),
            kind: StageKind::Lost,
            position: 5,
            required_items: vec![],
        },
    ]
}

fn done(xs: &[&str]) -> BTreeSet<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_deal_leaves_a_stage_forward_only_when_its_required_items_are_done() {
    let s = funnel();
    assert_eq!(
        check_move(&s, "identify", "qualify", &done(&[])),
        Err(MoveRefused::ChecklistIncomplete(vec!["need".into()]))
    );
    assert_eq!(
        check_move(&s, "identify", "qualify", &done(&["need"])),
        Ok(Direction::Forward)
    );
}

#[test]
fn skipping_stages_needs_their_required_items_too() {
    let s = funnel();
    assert_eq!(
        check_move(&s, "identify", "plan", &done(&["need", "budget"])),
        Err(MoveRefused::ChecklistIncomplete(vec!["decider".into()]))
    );
    assert_eq!(
        check_move(
            &s,
            "identify",
            "plan",
            &done(&["need", "budget", "decider"])
        ),
        Ok(Direction::Forward)
    );
}

#[test]
fn moving_back_is_always_allowed() {
    let s = funnel();
    assert_eq!(
        check_move(&s, "proposal", "identify", &done(&[])),
        Ok(Direction::Back)
    );
}

#[test]
fn won_and_lost_are_reached_by_closing_not_by_moving() {
    let s = funnel();
    assert_eq!(
        check_move(&s, "plan", "won", &done(&[])),
        Err(MoveRefused::ClosingStage)
    );
    assert_eq!(
        check_move(&s, "plan", "nowhere", &done(&[])),
        Err(MoveRefused::UnknownStage)
    );
    assert_eq!(
        check_move(&s, "plan", "plan", &done(&[])),
        Err(MoveRefused::SameStage)
    );
}

#[test]
fn winning_needs_every_remaining_required_item() {
    let s = funnel();
    assert_eq!(
        check_win(&s, "plan", &done(&[])),
        Err(MoveRefused::ChecklistIncomplete(vec!["sent".into()]))
    );
    assert_eq!(check_win(&s, "proposal", &done(&["sent"])), Ok(()));
}

#[test]
fn weighted_amounts_round_half_away_from_zero() {
    let p = |x| Probability::new(x).unwrap();
    assert_eq!(weighted(1_000_000, p(25)), 250_000);
    assert_eq!(weighted(150, p(1)), 2, "1.5 rounds up");
    assert_eq!(weighted(149, p(1)), 1);
    assert_eq!(weighted(i64::MAX, p(100)), i64::MAX);
    assert_eq!(weighted(-150, p(1)), -2);
}

#[test]
fn the_default_funnel_follows_the_documents() {
    let en = default_stages(false);
    let keys: Vec<_> = en.iter().map(|s| s.key.clone().unwrap()).collect();
    assert_eq!(
        keys,
        ["identify", "qualify", "plan", "proposal", "won", "lost"]
    );
    let ps: Vec<i64> = en.iter().map(|s| s.probability.percent()).collect();
    assert_eq!(ps, [10, 25, 50, 75, 100, 0]);
    assert_eq!(default_stages(true)[0].name, "鉴别商机");
    // the default is itself a valid definition
    let raw: Vec<RawStage> = en
        .iter()
        .map(|s| RawStage {
            name: Some(s.name.clone()),
            kind: Some(s.kind.as_str().into()),
            probability: Some(s.probability.percent()),
            forecast_category: Some(s.category.as_str().into()),
            stale_after_days: s.stale_after_days,
            checklist: Some(
                s.checklist
                    .iter()
                    .map(|i| RawItem {
                        label: Some(i.label.clone()),
                        required: Some(i.required),
                    })
                    .collect(),
            ),
        })
        .collect();
    let back = check_stages(&raw).unwrap();
    assert_eq!(back.len(), 6);
}

#[test]
fn a_pipeline_definition_reports_every_problem_by_place() {
    let raw = vec![
        RawStage {
            name: Some("A".into()),
            probability: Some(50),
            ..Default::default()
        },
        RawStage {
            name: Some(" ".into()),
            probability: Some(30),
            forecast_category: Some("closed".into()),
            ..Default::default()
        },
        RawStage {
            name: Some("Won".into()),
            kind: Some("won".into()),
            ..Default::default()
        },
    ];
    let err = check_stages(&raw).unwrap_err();
    let fields: Vec<_> = err.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert!(
        fields.contains(&("stages[1].name", "required")),
        "{fields:?}"
    );
    assert!(fields.contains(&("stages[1].forecast_category", "invalid")));
    assert!(
        fields.contains(&("stages", "closing_stages")),
        "no lost stage"
    );
}

#[test]
fn probabilities_may_not_fall_along_the_funnel() {
    let st = |name: &str, kind: &str, p| RawStage {
        name: Some(name.into()),
        kind: Some(kind.into()),
        probability: Some(p),
        ..Default::default()
    };
    let err = check_stages(&[
        st("A", "open", 50),
        st("B", "open", 20),
        st("W", "won", 0),
        st("L", "lost", 0),
    ])
    .unwrap_err();
    assert_eq!(err.0[0].code, "probability_order");
    let ok = check_stages(&[
        st("A", "open", 20),
        st("B", "open", 50),
        st("W", "won", 3),
        st("L", "lost", 9),
    ])
    .unwrap();
    assert_eq!(
        ok[2].probability,
        Probability::CERTAIN,
        "won is always 100 %"
    );
    assert_eq!(ok[3].probability, Probability::ZERO);
}

#[test]
fn a_default_stage_is_named_by_its_key_until_renamed() {
    assert_eq!(label_key(Some("qualify"), "Qualify"), Some("qualify"));
    assert_eq!(label_key(Some("qualify"), "资质判定"), Some("qualify"));
    // renamed by the company: its own name stands
    assert_eq!(label_key(Some("qualify"), "Due diligence"), None);
    // another stage's default name is not this one's
    assert_eq!(label_key(Some("qualify"), "Identify"), None);
    assert_eq!(label_key(None, "Qualify"), None);
}

proptest! {
    #[test]
    fn weighted_never_exceeds_the_amount(a in 0i64..=i64::MAX, p in 0i64..=100) {
        let w = weighted(a, Probability::new(p).unwrap());
        prop_assert!(w >= 0 && w <= a);
    }

    #[test]
    fn moves_forward_are_refused_exactly_when_a_passed_required_item_is_undone(
        from in 0usize..4, to in 0usize..4, mask in 0u8..16,
    ) {
        let s = funnel();
        let all = ["need", "budget", "decider", "sent"];
        let d: BTreeSet<String> = all.iter().enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0).map(|(_, x)| x.to_string()).collect();
        let ids = ["identify", "qualify", "plan", "proposal"];
        let r = check_move(&s, ids[from], ids[to], &d);
        if from == to {
            prop_assert_eq!(r, Err(MoveRefused::SameStage));
        } else if to < from {
            prop_assert_eq!(r, Ok(Direction::Back));
        } else {
            let needed: Vec<String> = s[from..to].iter().flat_map(|x| x.required_items.clone())
                .filter(|i| !d.contains(i)).collect();
            if needed.is_empty() {
                prop_assert_eq!(r, Ok(Direction::Forward));
            } else {
                prop_assert_eq!(r, Err(MoveRefused::ChecklistIncomplete(needed)));
            }
        }
    }
}
