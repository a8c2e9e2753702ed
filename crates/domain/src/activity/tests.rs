use super::*;
use proptest::prelude::*;

const S: i64 = MICROS;
const NOW: i64 = 1_796_083_200 * S; // 2026-12-01T00:00:00Z
const SHANGHAI: i64 = 8 * 3600;

fn raw(kind: &str) -> RawActivity {
    RawActivity {
        kind: Some(kind.into()),
        ..Default::default()
    }
}

fn fields(e: Invalid) -> Vec<(String, &'static str)> {
    e.0.into_iter().map(|f| (f.field, f.code)).collect()
}

#[test]
fn a_visit_logged_with_done_is_done_now_and_owned_by_its_author() {
    let a = Activity::create(
        RawActivity {
            done: Some(true),
            ..raw("visit")
        },
        "u1",
        NOW,
    )
    .unwrap();
    assert_eq!(a.owner_id, "u1");
    assert_eq!(a.done_at, Some(NOW));
    assert_eq!(a.status(NOW, SHANGHAI), Status::Done);
    assert_eq!(a.sort_at(0), NOW);
}

#[test]
fn a_note_is_always_done() {
    let a = Activity::create(raw("note"), "u1", NOW).unwrap();
    assert_eq!(a.done_at, Some(NOW));
    // reopening a note does not make it a plan
    let b = a
        .patch(
            RawActivity {
                done: Some(false),
                ..Default::default()
            },
            NOW + 10 * S,
        )
        .unwrap();
    assert_eq!(b.done_at, Some(NOW + 10 * S));
}

#[test]
fn kind_is_required_and_must_be_known() {
    let e = Activity::create(RawActivity::default(), "u1", NOW).unwrap_err();
    assert_eq!(fields(e), vec![("kind".into(), "required")]);
    let e = Activity::create(raw("lunch"), "u1", NOW).unwrap_err();
    assert_eq!(fields(e), vec![("kind".into(), "invalid_choice")]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let e = Activity::create(
        RawActivity {
            subject: Some(Some("x".repeat(SUBJECT_MAX + 1))),
            done_at: Some(Some(NOW + 3600 * S)),
            all_day: Some(true),
            next_follow_up_on: Some(Some("2026-02-30".into())),
            place: Some(Some(Place {
                label: None,
                lat: Some(95.0),
                lon: None,
            })),
            participant_ids: Some(vec!["".into()]),
            ..raw("call")
        },
        "u1",
        NOW,
    )
    .unwrap_err();
    let mut got: Vec<String> = fields(e).into_iter().map(|(f, _)| f).collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            "all_day",
            "done_at",
            "next_follow_up_on",
            "participant_ids[0]",
            "place.lon",
            "subject"
        ]
    );
}

#[test]
fn done_at_a_few_minutes_ahead_is_a_phone_clock_not_the_future() {
    let a = Activity::create(
        RawActivity {
            done_at: Some(Some(NOW + CLOCK_SKEW)),
            ..raw("call")
        },
        "u1",
        NOW,
    );
    assert!(a.is_ok());
}

#[test]
fn an_all_day_item_keeps_its_day_and_is_overdue_only_when_the_day_is_over_locally() {
    // sent as 2026-12-01T15:00:00Z: the day 2026-12-01 is what counts
    let a = Activity::create(
        RawActivity {
            due_at: Some(Some(NOW + 15 * 3600 * S)),
            all_day: Some(true),
            ..raw("task")
        },
        "u1",
        NOW,
    )
    .unwrap();
    assert_eq!(a.due_at, Some(NOW));
    // 2026-12-01 23:30 in Shanghai: still that day
    let late = NOW + (15 * 3600 + 30 * 60) * S;
    assert_eq!(a.status(late, SHANGHAI), Status::Open);
    // 2026-12-02 00:30 in Shanghai: the day is over there...
    let next = NOW + (16 * 3600 + 30 * 60) * S;
    assert_eq!(a.status(next, SHANGHAI), Status::Overdue);
    // ...but not yet in New York
    assert_eq!(a.status(next, -5 * 3600), Status::Open);
}

#[test]
fn a_timed_plan_is_overdue_once_its_time_passed() {
    let a = Activity::create(
        RawActivity {
            due_at: Some(Some(NOW + 60 * S)),
            ..raw("call")
        },
        "u1",
        NOW,
    )
    .unwrap();
    assert_eq!(a.status(NOW, SHANGHAI), Status::Open);
    assert_eq!(a.status(NOW + 61 * S, SHANGHAI), Status::Overdue);
    let done = a
        .patch(
            RawActivity {
                done: Some(true),
                ..Default::default()
            },
            NOW + 120 * S,
        )
        .unwrap();
    assert_eq!(done.status(NOW + 121 * S, SHANGHAI), Status::Done);
    assert_eq!(done.sort_at(0), NOW + 120 * S);
}

#[test]
fn the_owner_is_not_listed_as_a_participant_and_participants_are_unique() {
    let a = Activity::create(
        RawActivity {
            participant_ids: Some(vec!["u2".into(), "u1".into(), "u2".into()]),
            ..raw("meeting")
        },
        "u1",
        NOW,
    )
    .unwrap();
    assert_eq!(a.participant_ids, vec!["u2".to_owned()]);
}

#[test]
fn day_bounds_are_the_local_day_in_utc() {
    let day = Date::new(2026, 12, 1).unwrap();
    let (start, end) = day_bounds(day, SHANGHAI);
    assert_eq!(start, NOW / S - SHANGHAI);
    assert_eq!(end - start, 86_400);
}

#[test]
fn overdue_before_a_day_counts_dates_for_all_day_items_and_instants_otherwise() {
    let day = Date::new(2026, 12, 1).unwrap();
    let start = day.start_unix() - SHANGHAI;
    // 2026-11-30T23:00 Shanghai is before the day; 00:30 on it is not
    assert!(due_before_day((start - 3600) * S, false, day, start));
    assert!(!due_before_day((start + 1800) * S, false, day, start));
    // an all-day item of the 30th is before it, one of the 1st is not
    assert!(due_before_day(NOW - 86_400 * S, true, day, start));
    assert!(!due_before_day(NOW, true, day, start));
}

#[test]
fn a_follow_up_waits_until_something_newer_is_written_on_its_customer() {
    assert!(follow_up_waits(10, None));
    assert!(follow_up_waits(10, Some(10)));
    assert!(!follow_up_waits(10, Some(11)));
}

#[test]
fn who_may_change_an_activity() {
    assert!(may_change(false, true, true));
    assert!(may_change(true, true, false));
    assert!(!may_change(true, false, false));
    assert!(!may_change(false, true, false));
}

proptest! {
    #[test]
    fn status_follows_the_clock(due in -1_000_000i64..1_000_000, now_off in -1_000_000i64..1_000_000,
                                all_day: bool, offset in -12i64..=14) {
        let offset = offset * 3600;
        let a = Activity::create(RawActivity { due_at: Some(Some(NOW + due * S)), all_day: Some(all_day), ..raw("task") }, "u", NOW).unwrap();
        let now = NOW + now_off * S;
        let s = a.status(now, offset);
        // overdue never comes before it is due in any zone, and a day later it always has
        let d = a.due_at.unwrap();
        if all_day {
            if now / S + offset < d / S + 86_400 { prop_assert_eq!(s, Status::Open); } else { prop_assert_eq!(s, Status::Overdue); }
        } else {
            prop_assert_eq!(s == Status::Overdue, now > d);
        }
        // a done one is done whatever the clock
        let done = a.patch(RawActivity { done_at: Some(Some(NOW - 5 * S)), ..Default::default() }, NOW).unwrap();
        prop_assert_eq!(done.status(now, offset), Status::Done);
    }

    #[test]
    fn all_day_dates_sit_at_midnight_utc(t in 0i64..4_000_000_000) {
        let a = Activity::create(RawActivity { due_at: Some(Some(t * S + 123)), all_day: Some(true), ..raw("task") }, "u", NOW).unwrap();
        let d = a.due_at.unwrap();
        prop_assert_eq!(d % (86_400 * S), 0);
        prop_assert_eq!(Date::of_unix(d / S), Date::of_unix(t));
    }
}
