//! 销售预测 and rep performance: periods, attainment and the ratios
//! managers read, computed the same way for every screen and the API.

use crate::date::{Date, days_in_month};
use serde::{Deserialize, Serialize};

/// How long one forecast period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "month" => Some(PeriodKind::Month),
            "quarter" => Some(PeriodKind::Quarter),
            _ => None,
        }
    }

    fn months(self) -> u8 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
        }
    }
}

/// One month or quarter: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    pub start: Date,
}

impl Period {
    /// The period holding `d`.
    pub fn of(kind: PeriodKind, d: Date) -> Self {
        let m = (d.month() - 1) / kind.months() * kind.months() + 1;
        Period {
            kind,
            start: Date::new(d.year(), m, 1).expect("first of a month"),
        }
    }

    /// The first day of the next period.
    pub fn end(self) -> Date {
        let m0 = u32::from(self.start.month() - 1) + u32::from(self.kind.months());
        let y = self.start.year() + (m0 / 12) as i32;
        Date::new(y, (m0 % 12) as u8 + 1, 1).expect("first of a month")
    }

    pub fn next(self) -> Self {
        Period {
            kind: self.kind,
            start: self.end(),
        }
    }

    /// `2026-12` for a month, `2026-Q4` for a quarter.
    pub fn label(self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{:04}-{:02}", self.start.year(), self.start.month()),
            PeriodKind::Quarter => format!(
                "{:04}-Q{}",
                self.start.year(),
                (self.start.month() - 1) / 3 + 1
            ),
        }
    }

    /// Whether `d` is the first day of a period of this kind.
    pub fn starts_on(kind: PeriodKind, d: Date) -> bool {
        Period::of(kind, d).start == d
    }

    pub fn contains(self, d: Date) -> bool {
        self.start <= d && d < self.end()
    }
}

/// `n` consecutive periods from the one holding `from`.
pub fn periods(kind: PeriodKind, from: Date, n: usize) -> Vec<Period> {
    let mut p = Period::of(kind, from);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(p);
        p = p.next();
    }
    out
}

/// The most periods one forecast shows: a year of months or three years of quarters.
pub const PERIODS_MAX: usize = 12;

/// `part / whole` in whole percent, rounded half up; `None` when there is no whole.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    if whole <= 0 {
        return None;
    }
    let x = i128::from(part) * 100;
    let w = i128::from(whole);
    Some(((x * 2 + w) / (2 * w)) as i64)
}

/// Won against quota, in percent; `None` without a quota.
pub fn attainment(won_minor: i64, quota_minor: Option<i64>) -> Option<i64> {
    quota_minor.and_then(|q| percent(won_minor, q))
}

/// Won deals out of all closed ones; `None` when none closed.
pub fn win_rate(won: i64, lost: i64) -> Option<i64> {
    percent(won, won + lost)
}

/// A ratio with one decimal, as tenths (activities per open deal: 25 = 2.5);
/// `None` with nothing to divide by.
pub fn per_tenths(count: i64, per: i64) -> Option<i64> {
    if per <= 0 {
        None
    } else {
        Some((count * 20 + per) / (2 * per))
    }
}

/// Whole days, rounded half up, from a total of seconds over `n` items.
pub fn average_days(total_seconds: i64, n: i64) -> Option<i64> {
    if n <= 0 {
        return None;
    }
    let day = 86_400i128;
    let d = i128::from(n) * day;
    Some(((i128::from(total_seconds) * 2 + d) / (2 * d)) as i64)
}

/// Why an open deal needs a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Staleness {
    /// Nothing was done with the customer for the given days.
    NoActivity,
    /// The deal has sat in its stage longer than the stage allows.
    Stuck,
}

/// Whether an open deal is stale today: no activity on its customer for
/// `stale_days` (none at all counts from when the deal was created), or
/// longer in its stage than the stage's `stale_after_days`.
pub fn staleness(
    today: Date,
    last_activity: Option<Date>,
    created: Date,
    stage_entered: Date,
    stage_limit_days: Option<i64>,
    stale_days: i64,
) -> Option<Staleness> {
    let quiet = last_activity.unwrap_or(created).days_until(today);
    if quiet >= stale_days {
        return Some(Staleness::NoActivity);
    }
    match stage_limit_days {
        Some(limit) if stage_entered.days_until(today) > limit => Some(Staleness::Stuck),
        _ => None,
    }
}

/// The last day of a month, for "to the end of the month" defaults.
pub fn month_end(d: Date) -> Date {
    Date::new(d.year(), d.month(), days_in_month(d.year(), d.month())).expect("valid day")
}

/// A holder's quota for a period, from their quotas `(kind, start, amount)`:
/// one set for the period itself, else the monthly ones within it added up;
/// `None` without any.
pub fn quota(period: Period, quotas: &[(PeriodKind, Date, i64)]) -> Option<i64> {
    if let Some(q) = quotas
        .iter()
        .find(|(k, d, _)| *k == period.kind && period.contains(*d))
    {
        return Some(q.2);
    }
    let months: Vec<i64> = quotas
        .iter()
        .filter(|(k, d, _)| *k == PeriodKind::Month && period.contains(*d))
        .map(|q| q.2)
        .collect();
    (!months.is_empty()).then(|| months.iter().sum())
}

/// What a group of deals adds to one period of the forecast.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    /// Open and won deals.
    pub count: i64,
    /// Open (not omitted) and won amounts.
    pub amount: i64,
    /// Open deals weighted by their probability, plus won amounts.
    pub weighted: i64,
    pub pipeline: i64,
    pub best_case: i64,
    pub commit: i64,
    /// Won.
    pub closed: i64,
    /// Open deals their owners left out of the forecast.
    pub omitted: i64,
}

impl Sums {
    /// Counts `count` deals of one status and category: a win counts in
    /// full, an omitted deal in nothing but `omitted`, an open deal by its
    /// weighted amount and under its category. Lost deals are not asked.
    pub fn add(
        &mut self,
        status: crate::opportunity::Status,
        category: crate::pipeline::ForecastCategory,
        count: i64,
        amount: i64,
        weighted: i64,
    ) {
        use crate::opportunity::Status;
        use crate::pipeline::ForecastCategory as C;
        self.count += count;
        match (status, category) {
            (Status::Won, _) => {
                self.closed += amount;
                self.amount += amount;
                self.weighted += amount;
            }
            (_, C::Omitted) => self.omitted += amount,
            (_, category) => {
                self.amount += amount;
                self.weighted += weighted;
                match category {
                    C::BestCase => self.best_case += amount,
                    C::Commit => self.commit += amount,
                    _ => self.pipeline += amount,
                }
            }
        }
    }

    /// The sums of two groups together.
    pub fn merge(&mut self, o: &Sums) {
        self.count += o.count;
        self.amount += o.amount;
        self.weighted += o.weighted;
        self.pipeline += o.pipeline;
        self.best_case += o.best_case;
        self.commit += o.commit;
        self.closed += o.closed;
        self.omitted += o.omitted;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn quarters_and_months_have_calendar_bounds_and_labels() {
        let q = Period::of(PeriodKind::Quarter, d(2026, 11, 30));
        assert_eq!(q.start, d(2026, 10, 1));
        assert_eq!(q.end(), d(2027, 1, 1));
        assert_eq!(q.label(), "2026-Q4");
        let m = Period::of(PeriodKind::Month, d(2026, 12, 31));
        assert_eq!(m.label(), "2026-12");
        assert_eq!(m.end(), d(2027, 1, 1));
        let ps = periods(PeriodKind::Quarter, d(2026, 11, 30), 3);
        let labels: Vec<_> = ps.iter().map(|p| p.label()).collect();
        assert_eq!(labels, ["2026-Q4", "2027-Q1", "2027-Q2"]);
    }

    #[test]
    fn ratios_say_nothing_when_there_is_nothing_to_compare() {
        assert_eq!(win_rate(0, 0), None);
        assert_eq!(win_rate(1, 2), Some(33));
        assert_eq!(win_rate(2, 1), Some(67));
        assert_eq!(attainment(50, None), None);
        assert_eq!(attainment(50, Some(0)), None);
        assert_eq!(attainment(150, Some(100)), Some(150));
        assert_eq!(per_tenths(5, 2), Some(25));
        assert_eq!(per_tenths(1, 0), None);
        assert_eq!(average_days(86_400 * 3 + 43_200, 1), Some(4));
        assert_eq!(average_days(0, 0), None);
    }

    #[test]
    fn a_deal_is_stale_without_activity_or_when_stuck_in_its_stage() {
        let today = d(2026, 11, 30);
        let created = d(2026, 11, 1);
        assert_eq!(
            staleness(
                today,
                Some(d(2026, 11, 10)),
                created,
                d(2026, 11, 25),
                None,
                14
            ),
            Some(Staleness::NoActivity)
        );
        assert_eq!(
            staleness(
                today,
                Some(d(2026, 11, 29)),
                created,
                d(2026, 10, 1),
                Some(30),
                14
            ),
            Some(Staleness::Stuck)
        );
        assert_eq!(
            staleness(
                today,
                Some(d(2026, 11, 29)),
                created,
                d(2026, 11, 1),
                Some(30),
                14
            ),
            None
        );
        assert_eq!(
            staleness(today, None, d(2026, 11, 20), d(2026, 11, 20), None, 14),
            None,
            "a new deal without activity is not stale yet"
        );
    }

    #[test]
    fn a_periods_own_quota_wins_over_its_months() {
        let q4 = Period::of(PeriodKind::Quarter, d(2026, 10, 1));
        let months = [
            (PeriodKind::Month, d(2026, 10, 1), 10),
            (PeriodKind::Month, d(2026, 11, 1), 20),
            (PeriodKind::Month, d(2027, 1, 1), 99),
        ];
        assert_eq!(quota(q4, &months), Some(30));
        let mut both = months.to_vec();
        both.push((PeriodKind::Quarter, d(2026, 10, 1), 100));
        assert_eq!(quota(q4, &both), Some(100));
        assert_eq!(
            quota(Period::of(PeriodKind::Month, d(2026, 12, 1)), &months),
            None
        );
    }

    #[test]
    fn wins_count_in_full_omitted_deals_only_as_omitted() {
        use crate::opportunity::Status;
        use crate::pipeline::ForecastCategory as C;
        let mut s = Sums::default();
        s.add(Status::Won, C::Closed, 1, 100, 100);
        s.add(Status::Open, C::Commit, 2, 200, 150);
        s.add(Status::Open, C::Omitted, 1, 50, 25);
        s.add(Status::Open, C::Pipeline, 1, 10, 1);
        assert_eq!(
            s,
            Sums {
                count: 5,
                amount: 310,
                weighted: 251,
                pipeline: 10,
                best_case: 0,
                commit: 200,
                closed: 100,
                omitted: 50,
            }
        );
        let mut t = Sums::default();
        t.merge(&s);
        t.merge(&s);
        assert_eq!(t.weighted, 502);
    }

    proptest! {
        #[test]
        fn every_day_lies_in_exactly_one_period(days in -20_000i64..40_000, q in any::<bool>()) {
            let kind = if q { PeriodKind::Quarter } else { PeriodKind::Month };
            let day = Date::from_days_since_epoch(days);
            let p = Period::of(kind, day);
            prop_assert!(p.contains(day));
            prop_assert!(!p.next().contains(day));
            prop_assert!(Period::starts_on(kind, p.start));
            prop_assert_eq!(Period::of(kind, p.end()).start, p.end());
        }

        #[test]
        fn percent_is_exact_within_half_a_point(part in 0i64..1_000_000_000_000, whole in 1i64..1_000_000_000_000) {
            let p = percent(part, whole).unwrap();
            let exact = part as f64 * 100.0 / whole as f64;
            prop_assert!((p as f64 - exact).abs() <= 0.5 + 1e-6);
        }
    }
}
