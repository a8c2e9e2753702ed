//! The IANA zone database behind the domain's `Zone`.

use chrono::{LocalResult, NaiveDate, Offset, TimeZone};
use kehu_domain::date::{LocalDateTime, UtcSeconds, Zone};

#[derive(Debug, Clone, Copy)]
pub struct Tz(pub chrono_tz::Tz);

/// Whether `name` is a zone the database knows.
pub fn known(name: &str) -> bool {
    name.parse::<chrono_tz::Tz>().is_ok()
}

/// The zone named, or the default one for a name stored before it was renamed away.
pub fn named(name: &str) -> Tz {
    Tz(name.parse().unwrap_or(chrono_tz::Asia::Shanghai))
}

impl Zone for Tz {
    fn offset_at(&self, utc: UtcSeconds) -> i32 {
        let t = chrono::DateTime::from_timestamp(utc.0, 0).unwrap_or_default();
        self.0
            .offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc()
    }

    fn instant_of(&self, l: LocalDateTime) -> UtcSeconds {
        let m = u32::from(l.time.minutes());
        let naive = NaiveDate::from_ymd_opt(
            l.date.year(),
            u32::from(l.date.month()),
            u32::from(l.date.day()),
        )
        .and_then(|d| d.and_hms_opt(m / 60, m % 60, 0))
        .unwrap_or_default();
        // a wall time skipped by a clock change happens at the first minute after the gap
        for step in 0..=180 {
            let t = naive + chrono::Duration::minutes(step);
            match self.0.from_local_datetime(&t) {
                LocalResult::Single(x) | LocalResult::Ambiguous(x, _) => {
                    return UtcSeconds(x.timestamp());
                }
                LocalResult::None => continue,
            }
        }
        UtcSeconds(naive.and_utc().timestamp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kehu_domain::date::{Date, TimeOfDay, local};

    #[test]
    fn shanghai_and_new_york_across_a_clock_change() {
        let sh = named("Asia/Shanghai");
        let d = Date::new(2026, 12, 1).unwrap();
        let at = sh.instant_of(LocalDateTime {
            date: d,
            time: TimeOfDay::new(8, 0).unwrap(),
        });
        assert_eq!(at.0 % 86_400, 0); // 08:00 in Shanghai is midnight UTC
        let ny = named("America/New_York");
        // 2026-03-08 02:30 does not exist in New York: the clock jumps to 03:00 (07:00Z)
        let gap = ny.instant_of(LocalDateTime {
            date: Date::new(2026, 3, 8).unwrap(),
            time: TimeOfDay::new(2, 30).unwrap(),
        });
        assert_eq!(local(&ny, gap).time, TimeOfDay::new(3, 0).unwrap());
        assert!(known("Europe/Berlin") && !known("Mars/Olympus"));
    }

    #[test]
    fn quiet_hours_ending_in_a_skipped_hour_end_when_the_clock_resumes() {
        use kehu_domain::remind::QuietHours;
        let berlin = named("Europe/Berlin");
        let q = QuietHours {
            start: TimeOfDay::new(1, 0).unwrap(),
            end: TimeOfDay::new(2, 30).unwrap(),
        };
        let day = Date::new(2026, 3, 29).unwrap();
        // 00:30Z is 01:30 in Berlin; 02:30 never happens that night, 03:00 CEST (01:00Z) does
        let now = UtcSeconds(day.start_unix() + 1800);
        assert_eq!(
            q.next_allowed(&berlin, now),
            UtcSeconds(day.start_unix() + 3600)
        );
    }
}
