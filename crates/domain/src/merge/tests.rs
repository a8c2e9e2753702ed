use super::*;
use crate::customer::{Creator, RawCustomer};
use proptest::prelude::*;

fn customer(name: &str, f: impl FnOnce(&mut RawCustomer)) -> Customer {
    let mut raw = RawCustomer {
        name: Some(name.into()),
        ..Default::default()
    };
    f(&mut raw);
    let creator = Creator {
        user_id: "u1".into(),
        ..Default::default()
    };
    Customer::create(raw, &creator).expect("valid")
}

fn picks(p: &[(&str, &str)]) -> Picks {
    Picks::parse(p.iter().copied()).expect("valid picks")
}

#[test]
fn defaults_keep_the_survivor_and_fill_its_gaps_from_the_other() {
    let s = customer("华为技术有限公司", |r| {
        r.industry = Some(Some("telecom".into()));
    });
    let o = customer("华为技术", |r| {
        r.industry = Some(Some("hardware".into()));
        r.address = Some(Some("深圳市龙岗区".into()));
        r.lifecycle_stage = Some("customer".into());
    });
    let m = merge(&s, &o, &Picks::default(), "merged").unwrap();
    assert_eq!(m.customer.name, "华为技术有限公司");
    assert_eq!(m.customer.industry.as_deref(), Some("telecom"));
    assert_eq!(m.customer.address.as_deref(), Some("深圳市龙岗区"));
    // the further stage wins, and the move is recorded as the merge's
    assert_eq!(m.customer.lifecycle_stage, LifecycleStage::Customer);
    let t = m.stage_change.expect("stage moved");
    assert_eq!(
        (t.from, t.to),
        (LifecycleStage::Prospect, LifecycleStage::Customer)
    );
    assert!(!t.automatic);
    assert_eq!(t.reason.as_deref(), Some("merged"));
}

#[test]
fn a_churned_record_does_not_pull_an_active_customer_down() {
    let s = customer("A", |r| r.lifecycle_stage = Some("churned".into()));
    let o = customer("A", |r| r.lifecycle_stage = Some("interested".into()));
    let m = merge(&s, &o, &Picks::default(), "x").unwrap();
    assert_eq!(m.customer.lifecycle_stage, LifecycleStage::Interested);
    let m = merge(&o, &s, &Picks::default(), "x").unwrap();
    assert_eq!(m.customer.lifecycle_stage, LifecycleStage::Interested);
    assert!(m.stage_change.is_none());
}

#[test]
fn the_users_picks_override_the_defaults() {
    let s = customer("Acme", |r| r.notes = Some(Some("old notes".into())));
    let o = customer("ACME Ltd", |r| r.notes = Some(Some("new notes".into())));
    let m = merge(
        &s,
        &o,
        &picks(&[("name", "other"), ("notes", "other")]),
        "x",
    )
    .unwrap();
    assert_eq!(m.customer.name, "ACME Ltd");
    assert_eq!(m.customer.notes.as_deref(), Some("new notes"));
    let both = merge(&s, &o, &Picks::default(), "x").unwrap();
    assert_eq!(
        both.customer.notes.as_deref(),
        Some("old notes\n\nnew notes")
    );
}

#[test]
fn both_lists_keep_one_of_each_number_and_address() {
    let s = customer("A", |r| {
        r.phones = Some(vec!["138 0013 8000".into()]);
        r.emails = Some(vec!["Sales@Acme.cn".into()]);
        r.tags = Some(vec!["vip".into()]);
    });
    let o = customer("A", |r| {
        r.phones = Some(vec!["+86 13800138000".into(), "010-6552 9988".into()]);
        r.emails = Some(vec!["sales@acme.cn".into(), "boss@acme.cn".into()]);
        r.tags = Some(vec!["VIP".into(), "北京".into()]);
    });
    let m = merge(&s, &o, &Picks::default(), "x").unwrap().customer;
    let strs = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        m.phones
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect::<Vec<_>>(),
        strs(vec![s.phones[0].as_str(), o.phones[1].as_str()])
    );
    assert_eq!(m.emails.len(), 2);
    assert_eq!(
        m.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        vec!["vip", "北京"]
    );
}

#[test]
fn too_many_items_together_name_the_field() {
    let tags = |p: &str| (0..12).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
    let s = customer("A", |r| r.tags = Some(tags("a")));
    let o = customer("A", |r| r.tags = Some(tags("b")));
    let e = merge(&s, &o, &Picks::default(), "x").unwrap_err();
    assert_eq!(e.0[0].field, "fields.tags");
    assert_eq!(e.0[0].code, "too_many");
    // picking one side fits
    assert!(merge(&s, &o, &picks(&[("tags", "other")]), "x").is_ok());
}

#[test]
fn picks_are_checked_field_by_field() {
    let e =
        Picks::parse([("name", "both"), ("colour", "other"), ("owner_id", "mine")]).unwrap_err();
    let fields: Vec<_> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
    assert_eq!(
        fields,
        vec![
            ("fields.name", "invalid_choice"),
            ("fields.colour", "unknown_field"),
            ("fields.owner_id", "invalid_choice"),
        ]
    );
}

#[test]
fn the_form_offers_only_the_fields_that_differ() {
    let s = customer("Acme", |r| r.phones = Some(vec!["13800138000".into()]));
    let o = customer("Acme", |r| {
        r.phones = Some(vec!["13900139000".into()]);
        r.address = Some(Some("Beijing".into()));
    });
    let d = differences(&s, &o);
    let fields: Vec<_> = d.iter().map(|x| x.field).collect();
    assert_eq!(fields, vec![Field::Phones, Field::Address]);
    assert_eq!(d[1].survivor, None);
    assert_eq!(d[1].other.as_deref(), Some("Beijing"));
    assert_eq!(d[1].proposed, Pick::Other);
    assert_eq!(d[0].proposed, Pick::Both);
    // every field names itself as the history does
    let names: Vec<_> = s.audit_fields().iter().map(|(n, _)| *n).collect();
    for f in Field::ALL {
        assert!(names.contains(&f.as_str()), "{f:?}");
    }
}

#[test]
fn a_record_is_not_merged_with_itself() {
    assert_eq!(check_pair("a", "a").unwrap_err().0[0].field, "other_id");
    assert!(check_pair("a", "b").is_ok());
}

fn arb_customer() -> impl Strategy<Value = Customer> {
    (
        "[a-z]{1,8}",
        prop::collection::btree_set("1[3-9][0-9]{9}", 0..4),
        prop::collection::btree_set("[a-c]{1,3}@x\\.cn", 0..4),
        prop::collection::btree_set("[a-d]{1,2}", 0..5),
        prop::sample::select(LifecycleStage::ALL.to_vec()),
        prop::option::of("[a-z ]{1,20}"),
    )
        .prop_map(|(name, phones, emails, tags, stage, notes)| {
            customer(&name, |r| {
                r.phones = Some(phones.into_iter().collect());
                r.emails = Some(emails.into_iter().collect());
                r.tags = Some(tags.into_iter().collect());
                r.lifecycle_stage = Some(stage.as_str().into());
                r.notes = Some(notes);
            })
        })
}

proptest! {
    #[test]
    fn picking_the_survivor_everywhere_changes_nothing(s in arb_customer(), o in arb_customer()) {
        let all = Picks(Field::ALL.iter().map(|f| (*f, Pick::Survivor)).collect());
        let m = merge(&s, &o, &all, "x").unwrap();
        prop_assert_eq!(m.customer, s);
        prop_assert!(m.stage_change.is_none());
    }

    #[test]
    fn both_keeps_every_number_once(s in arb_customer(), o in arb_customer()) {
        let m = merge(&s, &o, &Picks::default(), "x").unwrap().customer;
        let key = |p: &crate::text::Phone| crate::dedup::phone_key(p.as_str());
        let keys: Vec<String> = m.phones.iter().map(key).collect();
        for p in s.phones.iter().chain(&o.phones) {
            prop_assert!(keys.contains(&key(p)));
        }
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), keys.len());
        // the merged stage is one of the two, never below either's progress
        prop_assert!(m.lifecycle_stage == s.lifecycle_stage || m.lifecycle_stage == o.lifecycle_stage);
        prop_assert!(progress(m.lifecycle_stage) >= progress(s.lifecycle_stage).max(progress(o.lifecycle_stage)));
    }
}
