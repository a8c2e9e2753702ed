//! When a dated thing becomes a notification, and the key that makes each
//! one happen once.
//!
//! A date (a birthday, a renewal) is announced from `days_before` days ahead
//! until [`GRACE_DAYS`] after it, on the recipient's local calendar: a
//! scheduler that was down when the announcement was due still delivers it
//! when it comes back, and the key (user, kind, subject, occurrence) keeps it
//! from ever being delivered twice.

use super::birthday::Birthday;
use super::prefs::Kind;
use crate::date::{Date, LocalDateTime, TimeOfDay, UtcSeconds, Zone};

/// How long after a date a missed announcement is still worth sending.
pub const GRACE_DAYS: i64 = 7;

/// How long before a timed activity its owner is told.
pub const ACTIVITY_LEAD_MINUTES: i64 = 15;

/// Whether a date on `occurrence`, announced `days_before` ahead, is due on `today`.
pub fn date_due(occurrence: Date, days_before: u16, today: Date) -> bool {
    let from = occurrence.add_days(-i64::from(days_before));
    from <= today && today <= occurrence.add_days(GRACE_DAYS)
}

/// The celebration of a birthday due for announcement on `today`, if any.
pub fn birthday_due(b: Birthday, days_before: u16, today: Date) -> Option<Date> {
    (today.year() - 1..=today.year() + 1)
        .filter_map(|y| b.in_year(y))
        .find(|d| date_due(*d, days_before, today))
}

/// The UTC dates whose stored values may be due today somewhere on earth,
/// for a query that the exact per-user check then narrows: zones are at
/// most a day from UTC.
pub fn candidate_range(utc_today: Date, max_days_before: u16) -> (Date, Date) {
    (
        utc_today.add_days(-GRACE_DAYS - 1),
        utc_today.add_days(i64::from(max_days_before) + 1),
    )
}

/// The once-only key of a notification for one user.
pub fn key(kind: Kind, subject_id: &str, occurrence: &str) -> String {
    format!("{}:{subject_id}:{occurrence}", kind.as_str())
}

/// When an activity's owner should hear about it: a timed one a little before,
/// an all-day one at the start of its day in the owner's zone (an all-day
/// activity keeps its date as midnight UTC of that date, see
/// [`crate::activity`]).
pub fn activity_alert_at(due: UtcSeconds, all_day: bool, zone: &dyn Zone) -> UtcSeconds {
    if all_day {
        start_of_day(due.date(), zone)
    } else {
        UtcSeconds(due.0 - ACTIVITY_LEAD_MINUTES * 60)
    }
}

/// Whether an alert planned for `alert_at` should go out at `now`: not before
/// its time, and not when it was missed by more than the grace period.
pub fn alert_due(alert_at: UtcSeconds, now: UtcSeconds) -> bool {
    alert_at <= now && now.0 - alert_at.0 <= GRACE_DAYS * 86_400
}

/// The instant a local date begins in `zone`, when a date notification is dated.
pub fn start_of_day(d: Date, zone: &dyn Zone) -> UtcSeconds {
    zone.instant_of(LocalDateTime {
        date: d,
        time: TimeOfDay::new(0, 0).expect("midnight"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::FixedOffset;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        Date::parse("d", s).unwrap()
    }

    #[test]
    fn dates_are_due_from_days_before_until_the_grace_ends() {
        let r = d("2026-12-31");
        assert!(!date_due(r, 30, d("2026-11-30")));
        assert!(date_due(r, 30, d("2026-12-01")));
        assert!(date_due(r, 0, d("2026-12-31")));
        assert!(!date_due(r, 0, d("2026-12-30")));
        assert!(date_due(r, 0, d("2027-01-07")));
        assert!(!date_due(r, 0, d("2027-01-08")));
    }

    #[test]
    fn birthday_across_the_new_year_and_on_leap_day() {
        let b = Birthday::parse("b", "--01-02").unwrap();
        assert_eq!(birthday_due(b, 3, d("2026-12-30")), Some(d("2027-01-02")));
        assert_eq!(birthday_due(b, 0, d("2027-01-05")), Some(d("2027-01-02")));
        assert_eq!(birthday_due(b, 0, d("2026-12-30")), None);
        let leap = Birthday::parse("b", "1992-02-29").unwrap();
        assert_eq!(
            birthday_due(leap, 0, d("2027-02-28")),
            Some(d("2027-02-28"))
        );
        assert_eq!(birthday_due(leap, 0, d("2028-02-28")), None);
        assert_eq!(
            birthday_due(leap, 0, d("2028-02-29")),
            Some(d("2028-02-29"))
        );
    }

    #[test]
    fn a_birthday_is_the_recipients_local_date() {
        // 16:30Z on 30 November is already 1 December in Shanghai, still 30 November in London
        let now = UtcSeconds(UtcSeconds::at_midnight(d("2026-11-30")).0 + 16 * 3600 + 1800);
        let b = Birthday::parse("b", "--12-01").unwrap();
        let sh = crate::date::local(&FixedOffset(8 * 3600), now).date;
        let ldn = crate::date::local(&FixedOffset(0), now).date;
        assert_eq!(birthday_due(b, 0, sh), Some(d("2026-12-01")));
        assert_eq!(birthday_due(b, 0, ldn), None);
    }

    #[test]
    fn activity_alerts() {
        let sh = FixedOffset(8 * 3600);
        let due = UtcSeconds(UtcSeconds::at_midnight(d("2026-12-01")).0 + 2 * 3600);
        assert_eq!(activity_alert_at(due, false, &sh).0, due.0 - 900);
        // all day on 1 December in Shanghai starts at 16:00Z on 30 November,
        // in New York at 05:00Z on 1 December
        let day = UtcSeconds::at_midnight(d("2026-12-01"));
        assert_eq!(
            activity_alert_at(day, true, &sh),
            UtcSeconds(UtcSeconds::at_midnight(d("2026-11-30")).0 + 16 * 3600)
        );
        assert_eq!(
            activity_alert_at(day, true, &FixedOffset(-5 * 3600)),
            UtcSeconds(day.0 + 5 * 3600)
        );
        assert!(alert_due(due, due) && !alert_due(due, UtcSeconds(due.0 - 1)));
        assert!(!alert_due(due, UtcSeconds(due.0 + 8 * 86_400)));
    }

    proptest! {
        #[test]
        fn a_due_date_lies_in_the_query_range(occ in 0i64..30_000, before in 0u16..=365, back in 0i64..=380, off in -12i64..=14) {
            let occ = Date::from_days_since_epoch(occ);
            let local_today = occ.add_days(GRACE_DAYS - back);
            prop_assume!(date_due(occ, before, local_today));
            // the UTC date differs from the local one by at most a day
            let utc_today = local_today.add_days(if off > 0 { -1 } else if off < 0 { 1 } else { 0 });
            let (lo, hi) = candidate_range(utc_today, before);
            prop_assert!(lo <= occ && occ <= hi);
        }

        #[test]
        fn each_celebration_is_due_on_a_contiguous_run_of_days(m in 1u8..=12, dd in 1u8..=28, before in 0u16..=30, start in 0i64..30_000) {
            let b = Birthday::parse("b", &format!("--{m:02}-{dd:02}")).unwrap();
            let start = Date::from_days_since_epoch(start);
            let mut seen: Vec<(Date, i64)> = Vec::new();
            for i in 0..800 {
                if let Some(o) = birthday_due(b, before, start.add_days(i)) {
                    match seen.last_mut() {
                        Some((last, end)) if *last == o => { prop_assert_eq!(*end + 1, i); *end = i; }
                        _ => { prop_assert!(!seen.iter().any(|(x, _)| *x == o)); seen.push((o, i)); }
                    }
                }
            }
        }
    }
}
