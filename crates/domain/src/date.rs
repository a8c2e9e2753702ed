//! Calendar dates without a time or zone (a follow-up day, a renewal date),
//! and the civil-calendar arithmetic the rules need, without a date library
//! in the domain (it ships in the browser's wasm).

use crate::error::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A day of the proleptic Gregorian calendar, `YYYY-MM-DD` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

pub const SECONDS_PER_DAY: i64 = 86_400;

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`; `field` names the input in the error.
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let bad = || {
            Invalid::one(
                field,
                "invalid_date",
                "must be a date as YYYY-MM-DD, e.g. 2026-12-07",
            )
        };
        let s = raw.trim();
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
            return Err(bad());
        };
        Self::new(y as i32, m as u8, d as u8).ok_or_else(bad)
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

    /// The day `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// The UTC day of a Unix time.
    pub fn of_unix(secs: i64) -> Self {
        Self::from_days_since_epoch(secs.div_euclid(SECONDS_PER_DAY))
    }

    /// The local day of a Unix time at a zone `offset` seconds east of UTC.
    pub fn local(secs: i64, offset: i64) -> Self {
        Self::of_unix(secs + offset)
    }

    /// Midnight UTC at the start of the day, as a Unix time.
    pub fn start_unix(self) -> i64 {
        self.days_since_epoch() * SECONDS_PER_DAY
    }

    pub fn add_days(self, n: i64) -> Self {
        Self::from_days_since_epoch(self.days_since_epoch() + n)
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

/// A Unix time (seconds) as RFC 3339 in UTC, e.g. `2026-11-30T08:00:00Z`.
pub fn format_utc(secs: i64) -> String {
    let day = Date::of_unix(secs);
    let s = secs.rem_euclid(SECONDS_PER_DAY);
    format!("{day}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Date::parse("date", &s).map_err(|e| e.to_string())
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
        Date::of_unix(self.0)
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
    fn parses_real_days_only() {
        assert_eq!(
            Date::parse("d", "2024-02-29").unwrap(),
            Date::new(2024, 2, 29).unwrap()
        );
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "",
            "2026-01-32",
            "+026-01-01",
        ] {
            let e = Date::parse("next_follow_up_on", bad).unwrap_err();
            assert_eq!(e.0[0].field, "next_follow_up_on", "{bad}");
            assert_eq!(e.0[0].code, "invalid_date", "{bad}");
        }
    }

    #[test]
    fn epoch_arithmetic_matches_known_days() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
        assert_eq!(
            Date::of_unix(1_764_460_800),
            Date::new(2025, 11, 30).unwrap()
        );
        // 23:30 UTC is already the next day in Shanghai
        let t = Date::new(2026, 11, 30).unwrap().start_unix() + 23 * 3600 + 1800;
        assert_eq!(Date::local(t, 8 * 3600), Date::new(2026, 12, 1).unwrap());
        assert_eq!(Date::local(t, -5 * 3600), Date::new(2026, 11, 30).unwrap());
    }

    #[test]
    fn formats_utc_times() {
        assert_eq!(format_utc(1_796_083_200 + 3723), "2026-12-01T01:02:03Z");
        assert_eq!(format_utc(-1), "1969-12-31T23:59:59Z");
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
        fn local_then_instant_round_trips(t in 0i64..4_000_000_000, off in -50_400i32..50_400) {
            let off = off / 60 * 60;
            let z = FixedOffset(off);
            let t = t / 60 * 60;
            prop_assert_eq!(z.instant_of(local(&z, UtcSeconds(t))), UtcSeconds(t));
        }

        #[test]
        fn days_round_trip(days in -700_000i64..2_900_000) {
            let d = Date::from_days_since_epoch(days);
            prop_assert_eq!(d.days_since_epoch(), days);
            prop_assert_eq!(Date::parse("d", &d.to_string()).unwrap(), d);
            prop_assert!(d.add_days(1) > d);
        }
    }
}
