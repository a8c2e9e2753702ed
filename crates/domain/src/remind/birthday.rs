//! A contact's birthday, with or without the year.

use crate::date::Date;
use crate::error::Invalid;
use std::fmt;

/// `YYYY-MM-DD`, or `--MM-DD` when the year is not known (the vCard form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Birthday {
    year: Option<i32>,
    month: u8,
    day: u8,
}

impl Birthday {
    pub fn parse(field: &str, s: &str) -> Result<Self, Invalid> {
        let s = s.trim();
        if let Some(md) = s.strip_prefix("--") {
            // any month-day that exists in a leap year, checked through 2000
            let d = Date::parse(field, &format!("2000-{md}")).map_err(|_| {
                Invalid::one(
                    field,
                    "invalid_date",
                    "must be a date YYYY-MM-DD or --MM-DD",
                )
            })?;
            return Ok(Birthday {
                year: None,
                month: d.month(),
                day: d.day(),
            });
        }
        let d = Date::parse(field, s).map_err(|_| {
            Invalid::one(
                field,
                "invalid_date",
                "must be a date YYYY-MM-DD or --MM-DD",
            )
        })?;
        Ok(Birthday::from(d))
    }

    pub fn year(self) -> Option<i32> {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// `MM-DD`, the key the scheduler looks birthdays up by.
    pub fn month_day(self) -> String {
        format!("{:02}-{:02}", self.month, self.day)
    }

    /// The day it is celebrated in `year` (29 February on the 28th in other years).
    pub fn in_year(self, year: i32) -> Option<Date> {
        Date::month_day_in(year, self.month, self.day)
    }

    /// The next celebration on or after `today`.
    pub fn next_on_or_after(self, today: Date) -> Option<Date> {
        self.in_year(today.year())
            .filter(|d| *d >= today)
            .or_else(|| self.in_year(today.year() + 1))
    }

    /// Age reached on `on`, when the year is known.
    pub fn age_on(self, on: Date) -> Option<i32> {
        self.year.map(|y| on.year() - y)
    }
}

impl From<Date> for Birthday {
    fn from(d: Date) -> Self {
        Birthday {
            year: Some(d.year()),
            month: d.month(),
            day: d.day(),
        }
    }
}

impl fmt::Display for Birthday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

/// The `MM-DD` keys of birthdays celebrated on `d`: its own, and on 28
/// February of a year without a 29th, also `02-29`.
pub fn keys_celebrated_on(d: Date) -> Vec<String> {
    let mut keys = vec![format!("{:02}-{:02}", d.month(), d.day())];
    if d.month() == 2 && d.day() == 28 && !crate::date::is_leap(d.year()) {
        keys.push("02-29".into());
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        Date::parse("d", s).unwrap()
    }

    #[test]
    fn both_forms_parse_and_print_back() {
        for s in ["1985-07-14", "--07-14", "--02-29", "2000-02-29"] {
            assert_eq!(Birthday::parse("birthday", s).unwrap().to_string(), s);
        }
        for s in ["--02-30", "1985-02-29", "07-14", "--7-14", "x"] {
            let e = Birthday::parse("birthday", s).unwrap_err();
            assert_eq!(e.0[0].field, "birthday", "{s}");
        }
    }

    #[test]
    fn leap_day_birthday_is_celebrated_on_the_28th_in_other_years() {
        let b = Birthday::parse("b", "--02-29").unwrap();
        assert_eq!(b.next_on_or_after(d("2026-01-10")), Some(d("2026-02-28")));
        assert_eq!(b.next_on_or_after(d("2027-03-01")), Some(d("2028-02-29")));
        assert_eq!(keys_celebrated_on(d("2026-02-28")), ["02-28", "02-29"]);
        assert_eq!(keys_celebrated_on(d("2028-02-28")), ["02-28"]);
    }

    #[test]
    fn next_birthday_rolls_over_the_year() {
        let b = Birthday::parse("b", "1990-01-05").unwrap();
        assert_eq!(b.next_on_or_after(d("2026-12-30")), Some(d("2027-01-05")));
        assert_eq!(b.next_on_or_after(d("2026-01-05")), Some(d("2026-01-05")));
        assert_eq!(b.age_on(d("2027-01-05")), Some(37));
    }

    proptest! {
        #[test]
        fn next_is_within_a_year_and_found_by_its_key(days in 0i64..40_000, m in 1u8..=12, dd in 1u8..=31) {
            prop_assume!(dd <= crate::date::days_in_month(2000, m));
            let today = Date::from_days_since_epoch(days);
            let b = Birthday::parse("b", &format!("--{m:02}-{dd:02}")).unwrap();
            let next = b.next_on_or_after(today).unwrap();
            prop_assert!(next >= today);
            prop_assert!(today.days_until(next) <= 366);
            prop_assert!(keys_celebrated_on(next).contains(&b.month_day()));
        }
    }
}
