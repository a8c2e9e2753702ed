//! Calendar dates and UTC instants without a time library, so the rules that
//! count days (birthdays, renewals, reminders, calendar feeds) stay in the
//! domain and the UI's wasm stays small. Proleptic Gregorian calendar.

use crate::error::Invalid;
use std::fmt;

/// A calendar date (no time, no zone), always a real day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// Years outside 1..=9999 are refused: they cannot be written as `YYYY`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`; `field` names the input in the error.
    pub fn parse(field: &str, s: &str) -> Result<Self, Invalid> {
        let bad = || Invalid::one(field, "invalid_date", "must be a date YYYY-MM-DD");
        let b = s.trim().as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Option<i32> {
            let part = &b[r];
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| part.iter().fold(0, |n, d| n * 10 + i32::from(d - b'0')))
        };
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        match (y, m, d) {
            (Some(y), Some(m), Some(d)) if m <= 12 && d <= 31 => {
                Date::new(y, m as u8, d as u8).ok_or_else(bad)
            }
            _ => Err(bad()),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01; `None` outside years 1..=9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Self> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(i32::try_from(y).ok()?, m as u8, d as u8)
    }

    /// The date `n` days later (earlier when negative); saturates at the ends of the range.
    pub fn add_days(self, n: i64) -> Self {
        Date::from_days_since_epoch(self.days_since_epoch() + n).unwrap_or(self)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        other.days_since_epoch() - self.days_since_epoch()
    }

    /// Month and day in the given year; 29 February becomes the 28th in a
    /// year without one, so a leap-day birthday is never skipped.
    pub fn month_day_in(year: i32, month: u8, day: u8) -> Option<Self> {
        if month == 2 && day == 29 && !is_leap(year) {
            return Date::new(year, 2, 28);
        }
        Date::new(year, month, day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A wall-clock time of day, in minutes after midnight (0..1440).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    pub fn new(hour: u8, minute: u8) -> Option<Self> {
        (hour < 24 && minute < 60).then(|| TimeOfDay(u16::from(hour) * 60 + u16::from(minute)))
    }

    /// Parses `HH:MM` (24-hour clock).
    pub fn parse(field: &str, s: &str) -> Result<Self, Invalid> {
        let bad = || Invalid::one(field, "invalid_time", "must be a time HH:MM");
        let b = s.trim().as_bytes();
        if b.len() != 5 || b[2] != b':' || !b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit) {
            return Err(bad());
        }
        let h = (b[0] - b'0') * 10 + (b[1] - b'0');
        let m = (b[3] - b'0') * 10 + (b[4] - b'0');
        TimeOfDay::new(h, m).ok_or_else(bad)
    }

    pub fn minutes(self) -> u16 {
        self.0
    }
    pub fn from_minutes(m: u16) -> Option<Self> {
        (m < 1440).then_some(TimeOfDay(m))
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// A local date and time of day, as a clock on someone's wall shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    pub date: Date,
    pub time: TimeOfDay,
}

/// Seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcSeconds(pub i64);

impl UtcSeconds {
    pub fn date(self) -> Date {
        Date::from_days_since_epoch(self.0.div_euclid(86_400)).unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        })
    }
    pub fn second_of_day(self) -> u32 {
        self.0.rem_euclid(86_400) as u32
    }
    pub fn at_midnight(d: Date) -> Self {
        UtcSeconds(d.days_since_epoch() * 86_400)
    }
}

/// How a zone maps UTC to local time. The API implements it with the IANA
/// database; the domain needs only these two answers.
pub trait Zone {
    /// Local minus UTC, in seconds, at the given instant.
    fn offset_at(&self, utc: UtcSeconds) -> i32;
    /// The instant a local wall-clock time happens; in a gap (spring forward)
    /// the first instant after it, in an overlap the earlier one.
    fn instant_of(&self, local: LocalDateTime) -> UtcSeconds;
}

/// A zone with a fixed offset (tests, and UTC itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedOffset(pub i32);

impl Zone for FixedOffset {
    fn offset_at(&self, _: UtcSeconds) -> i32 {
        self.0
    }
    fn instant_of(&self, l: LocalDateTime) -> UtcSeconds {
        UtcSeconds(
            UtcSeconds::at_midnight(l.date).0 + i64::from(l.time.minutes()) * 60
                - i64::from(self.0),
        )
    }
}

/// The wall clock in `zone` at `utc`.
pub fn local(zone: &dyn Zone, utc: UtcSeconds) -> LocalDateTime {
    let l = UtcSeconds(utc.0 + i64::from(zone.offset_at(utc)));
    LocalDateTime {
        date: l.date(),
        time: TimeOfDay((l.second_of_day() / 60) as u16),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(
            Date::parse("d", "2024-02-29").unwrap().to_string(),
            "2024-02-29"
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "24-01-01",
            "2024/01/01",
            "",
            "2024-1-01",
        ] {
            assert!(Date::parse("d", bad).is_err(), "{bad}");
        }
        assert_eq!(Date::parse("d", "2024-02-30").unwrap_err().0[0].field, "d");
    }

    #[test]
    fn epoch_days_known_values() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
        assert_eq!(Date::new(1969, 12, 31).unwrap().days_since_epoch(), -1);
    }

    #[test]
    fn leap_day_falls_back_to_the_28th() {
        assert_eq!(Date::month_day_in(2025, 2, 29), Date::new(2025, 2, 28));
        assert_eq!(Date::month_day_in(2028, 2, 29), Date::new(2028, 2, 29));
        assert_eq!(Date::month_day_in(2100, 2, 29), Date::new(2100, 2, 28));
    }

    #[test]
    fn times_of_day() {
        assert_eq!(TimeOfDay::parse("t", "22:30").unwrap().minutes(), 1350);
        assert!(TimeOfDay::parse("t", "24:00").is_err());
        assert!(TimeOfDay::parse("t", "7:00").is_err());
        assert_eq!(TimeOfDay::new(8, 5).unwrap().to_string(), "08:05");
    }

    #[test]
    fn local_time_in_a_fixed_zone() {
        // 2026-11-30T17:00Z is 01:00 on 1 December in Shanghai
        let t = UtcSeconds::at_midnight(Date::new(2026, 11, 30).unwrap()).0 + 17 * 3600;
        let l = local(&FixedOffset(8 * 3600), UtcSeconds(t));
        assert_eq!(l.date.to_string(), "2026-12-01");
        assert_eq!(l.time.to_string(), "01:00");
        assert_eq!(FixedOffset(8 * 3600).instant_of(l), UtcSeconds(t));
    }

    proptest! {
        #[test]
        fn days_round_trip(n in -719_162i64..2_932_896) {
            let d = Date::from_days_since_epoch(n).unwrap();
            prop_assert_eq!(d.days_since_epoch(), n);
            prop_assert_eq!(Date::parse("d", &d.to_string()).unwrap(), d);
            let next = d.add_days(1);
            if n < 2_932_895 { prop_assert!(next > d); }
        }

        #[test]
        fn local_then_instant_round_trips(t in 0i64..4_000_000_000, off in -50_400i32..50_400) {
            let off = off / 60 * 60;
            let z = FixedOffset(off);
            let t = t / 60 * 60;
            prop_assert_eq!(z.instant_of(local(&z, UtcSeconds(t))), UtcSeconds(t));
        }
    }
}
