use super::*;
use proptest::prelude::*;

fn d(s: &str) -> Date {
    Date::parse("d", s).unwrap()
}

fn raw() -> RawOpportunity {
    RawOpportunity {
        name: Some("Boiler retrofit".into()),
        amount_minor: Some(12_000_000),
        currency: Some("CNY".into()),
        expected_close_on: Some("2026-12-31".into()),
        probability: None,
        campaign: None,
    }
}

#[test]
fn a_new_deal_needs_name_amount_currency_and_close_date_all_reported_at_once() {
    let err = Terms::create(RawOpportunity::default()).unwrap_err();
    let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["name", "amount_minor", "currency", "expected_close_on"]
    );
    let t = Terms::create(raw()).unwrap();
    assert_eq!(t.amount_minor, 12_000_000);
    assert_eq!(t.currency.as_str(), "CNY");
}

#[test]
fn bad_values_name_their_field() {
    let bad = RawOpportunity {
        amount_minor: Some(-1),
        currency: Some("rmb".into()),
        expected_close_on: Some("2026-02-30".into()),
        probability: Some(Some(101)),
        ..raw()
    };
    let err = Terms::create(bad).unwrap_err();
    let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "amount_minor",
            "currency",
            "expected_close_on",
            "probability"
        ]
    );
}

#[test]
fn an_override_wins_over_the_stage_until_cleared() {
    let t = Terms::create(RawOpportunity {
        probability: Some(Some(40)),
        ..raw()
    })
    .unwrap();
    let p = |x| Probability::new(x).unwrap();
    assert_eq!(
        effective(
            Status::Open,
            p(25),
            ForecastCategory::Pipeline,
            t.probability_override
        ),
        (p(40), ForecastCategory::Pipeline)
    );
    let cleared = t
        .patch(RawOpportunity {
            probability: Some(None),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(cleared.probability_override, None);
    assert_eq!(
        effective(Status::Won, p(25), ForecastCategory::Pipeline, Some(p(40))),
        (Probability::CERTAIN, ForecastCategory::Closed)
    );
    assert_eq!(
        effective(Status::Lost, p(25), ForecastCategory::Commit, None),
        (Probability::ZERO, ForecastCategory::Omitted)
    );
}

#[test]
fn a_win_is_dated_today_or_earlier_and_defaults_to_the_deal() {
    let today = d("2026-11-30");
    let w = win(Status::Open, 500, None, None, today).unwrap().unwrap();
    assert_eq!(
        w,
        Win {
            amount_minor: 500,
            closed_on: today
        }
    );
    let err = win(Status::Open, 500, Some(-5), Some("2026-12-01"), today)
        .unwrap()
        .unwrap_err();
    let codes: Vec<_> = err.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        codes,
        [("amount_minor", "out_of_range"), ("closed_on", "in_future")]
    );
    assert_eq!(
        win(Status::Won, 500, None, None, today).unwrap_err().code,
        "already_closed"
    );
}

#[test]
fn a_loss_needs_a_reason() {
    let err = lose(Status::Open, Some("  "), None, None)
        .unwrap()
        .unwrap_err();
    assert_eq!(err.0[0].field, "reason_id");
    let l = lose(Status::Open, Some("price"), Some("acme"), Some(" cheaper "))
        .unwrap()
        .unwrap();
    assert_eq!(l.competitor_id.as_deref(), Some("acme"));
    assert_eq!(l.notes.as_deref(), Some("cheaper"));
    assert_eq!(
        lose(Status::Lost, Some("price"), None, None)
            .unwrap_err()
            .code,
        "already_closed"
    );
}

#[test]
fn reopening_follows_the_books() {
    let today = d("2026-11-30");
    assert_eq!(
        may_reopen(Status::Open, None, today).unwrap_err().code,
        "not_closed"
    );
    assert!(may_reopen(Status::Lost, Some(d("2020-01-01")), today).is_ok());
    assert!(
        may_reopen(Status::Won, Some(d("2026-10-31")), today).is_ok(),
        "30 days ago"
    );
    assert_eq!(
        may_reopen(Status::Won, Some(d("2026-10-30")), today)
            .unwrap_err()
            .code,
        "won_in_the_books"
    );
}

#[test]
fn a_reopened_deal_returns_to_its_last_open_stage() {
    let open = ["identify", "qualify", "plan"];
    assert_eq!(
        reopen_stage(&["identify", "plan", "won"], &open),
        Some("plan")
    );
    assert_eq!(
        reopen_stage(&["gone", "lost"], &open),
        Some("identify"),
        "a stage since removed falls back to the first"
    );
}

proptest! {
    #[test]
    fn currencies_are_exactly_three_capital_letters(s in "\\PC{0,5}") {
        let ok = Currency::parse("currency", &s).is_ok();
        let t = s.trim();
        prop_assert_eq!(ok, t.len() == 3 && t.bytes().all(|b| b.is_ascii_uppercase()));
    }

    #[test]
    fn time_in_stage_is_never_negative(e in any::<i32>(), l in proptest::option::of(any::<i32>()), n in any::<i32>()) {
        prop_assert!(seconds_in_stage(i64::from(e), l.map(i64::from), i64::from(n)) >= 0);
    }
}

#[test]
fn a_customer_with_open_deals_stays_out_of_the_trash_and_says_how_many() {
    assert_eq!(may_trash_customer(0), Ok(()));
    let one = may_trash_customer(1).unwrap_err();
    assert_eq!(one.code, "open_deals");
    assert!(one.message.contains("1 open deal;"), "{}", one.message);
    let three = may_trash_customer(3).unwrap_err();
    assert!(three.message.contains("3 open deals"), "{}", three.message);
    assert!(three.message.contains("merge"), "{}", three.message);
    assert_eq!(may_reopen_for(false), Ok(()));
    assert_eq!(may_reopen_for(true).unwrap_err().code, "customer_deleted");
}

proptest! {
    #[test]
    fn only_a_customer_without_open_deals_may_be_trashed(n in 0u64..10_000) {
        prop_assert_eq!(may_trash_customer(n).is_ok(), n == 0);
    }
}
