//! What a user wants to be told, how, and when not.

use crate::date::{LocalDateTime, TimeOfDay, UtcSeconds, Zone, local};
use crate::error::{Collector, FieldError, Invalid};

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Birthday,
    FollowUp,
    Renewal,
    Maintenance,
    Manual,
    ActivityDue,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Birthday,
        Kind::FollowUp,
        Kind::Renewal,
        Kind::Maintenance,
        Kind::Manual,
        Kind::ActivityDue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Birthday => "birthday",
            Kind::FollowUp => "follow_up",
            Kind::Renewal => "renewal",
            Kind::Maintenance => "maintenance",
            Kind::Manual => "manual",
            Kind::ActivityDue => "activity_due",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Hours in the user's zone when no e-mail is sent; may wrap midnight
/// (22:00–08:00). Equal start and end mean the whole day is quiet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: TimeOfDay,
    pub end: TimeOfDay,
}

impl QuietHours {
    pub fn contains(self, t: TimeOfDay) -> bool {
        let (s, e, t) = (self.start, self.end, t);
        if s < e {
            s <= t && t < e
        } else {
            t >= s || t < e
        }
    }

    /// The earliest instant at or after `now` outside quiet hours, in `zone`.
    /// A message due in quiet hours waits until they end; it is never dropped.
    pub fn next_allowed(self, zone: &dyn Zone, now: UtcSeconds) -> UtcSeconds {
        let l = local(zone, now);
        if self.start == self.end || !self.contains(l.time) {
            // a whole quiet day would hold mail forever: treat it as no quiet hours
            return now;
        }
        let date = if l.time >= self.end {
            l.date.add_days(1)
        } else {
            l.date
        };
        let end = zone.instant_of(LocalDateTime {
            date,
            time: self.end,
        });
        end.max(now)
    }
}

pub const MAX_BIRTHDAY_DAYS_BEFORE: u16 = 30;
pub const MAX_DATE_DAYS_BEFORE: u16 = 365;

/// A user's notification settings. Users who never saved any get the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    /// IANA zone name, e.g. `Asia/Shanghai`; checked by the API, which has the zone database.
    pub time_zone: String,
    pub in_app: bool,
    pub email: bool,
    pub quiet_hours: Option<QuietHours>,
    /// The kinds switched off.
    pub kinds_off: Vec<Kind>,
    pub birthday_days_before: u16,
    pub renewal_days_before: u16,
    pub maintenance_days_before: u16,
}

pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            time_zone: DEFAULT_TIME_ZONE.into(),
            in_app: true,
            email: true,
            quiet_hours: Some(QuietHours {
                start: TimeOfDay::new(22, 0).expect("valid"),
                end: TimeOfDay::new(8, 0).expect("valid"),
            }),
            kinds_off: Vec::new(),
            birthday_days_before: 0,
            renewal_days_before: 30,
            maintenance_days_before: 7,
        }
    }
}

/// Preferences as sent; `None` = unchanged. `quiet_hours: Some(None)` clears them.
#[derive(Debug, Clone, Default)]
pub struct RawPreferences {
    pub time_zone: Option<String>,
    pub in_app: Option<bool>,
    pub email: Option<bool>,
    pub quiet_hours: Option<Option<(String, String)>>,
    pub kinds: Vec<(String, bool)>,
    pub birthday_days_before: Option<i64>,
    pub renewal_days_before: Option<i64>,
    pub maintenance_days_before: Option<i64>,
}

impl Preferences {
    pub fn wants(&self, k: Kind) -> bool {
        !self.kinds_off.contains(&k)
    }

    /// Days ahead a date of this kind is announced (0 = on the day).
    pub fn days_before(&self, k: Kind) -> u16 {
        match k {
            Kind::Birthday => self.birthday_days_before,
            Kind::Renewal => self.renewal_days_before,
            Kind::Maintenance => self.maintenance_days_before,
            _ => 0,
        }
    }

    /// Applies a change; `known_zone` says whether an IANA zone name exists.
    pub fn patch(
        &self,
        raw: RawPreferences,
        known_zone: impl Fn(&str) -> bool,
    ) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        let mut next = self.clone();
        if let Some(z) = raw.time_zone {
            let z = z.trim();
            if known_zone(z) {
                next.time_zone = z.to_owned();
            } else {
                c.push(FieldError::new(
                    "time_zone",
                    "invalid_time_zone",
                    "must be an IANA time zone name such as Asia/Shanghai",
                ));
            }
        }
        if let Some(v) = raw.in_app {
            next.in_app = v;
        }
        if let Some(v) = raw.email {
            next.email = v;
        }
        if let Some(q) = raw.quiet_hours {
            next.quiet_hours = match q {
                None => None,
                Some((s, e)) => {
                    let s = c.take(TimeOfDay::parse("quiet_hours.start", &s));
                    let e = c.take(TimeOfDay::parse("quiet_hours.end", &e));
                    match (s, e) {
                        (Some(start), Some(end)) if start == end => {
                            c.push(FieldError::new(
                                "quiet_hours.end",
                                "invalid_range",
                                "must differ from the start",
                            ));
                            None
                        }
                        (Some(start), Some(end)) => Some(QuietHours { start, end }),
                        _ => None,
                    }
                }
            };
        }
        for (name, on) in raw.kinds {
            match Kind::parse(&name) {
                None => c.push(FieldError::new(
                    format!("kinds.{name}"),
                    "invalid_choice",
                    "is not a kind of notification",
                )),
                Some(k) => {
                    next.kinds_off.retain(|x| *x != k);
                    if !on {
                        next.kinds_off.push(k);
                    }
                }
            }
        }
        next.kinds_off.sort();
        let mut days = |field: &str, v: Option<i64>, max: u16, cur: &mut u16| {
            if let Some(v) = v {
                match u16::try_from(v).ok().filter(|v| *v <= max) {
                    Some(v) => *cur = v,
                    None => c.push(FieldError::new(
                        field,
                        "out_of_range",
                        format!("must be between 0 and {max}"),
                    )),
                }
            }
        };
        days(
            "birthday_days_before",
            raw.birthday_days_before,
            MAX_BIRTHDAY_DAYS_BEFORE,
            &mut next.birthday_days_before,
        );
        days(
            "renewal_days_before",
            raw.renewal_days_before,
            MAX_DATE_DAYS_BEFORE,
            &mut next.renewal_days_before,
        );
        days(
            "maintenance_days_before",
            raw.maintenance_days_before,
            MAX_DATE_DAYS_BEFORE,
            &mut next.maintenance_days_before,
        );
        c.finish()?;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{Date, FixedOffset};
    use proptest::prelude::*;

    fn t(s: &str) -> TimeOfDay {
        TimeOfDay::parse("t", s).unwrap()
    }

    #[test]
    fn quiet_hours_wrap_midnight() {
        let q = QuietHours {
            start: t("22:00"),
            end: t("08:00"),
        };
        assert!(q.contains(t("23:30")) && q.contains(t("00:00")) && q.contains(t("07:59")));
        assert!(!q.contains(t("08:00")) && !q.contains(t("21:59")) && !q.contains(t("12:00")));
        let day = QuietHours {
            start: t("12:00"),
            end: t("13:00"),
        };
        assert!(day.contains(t("12:30")) && !day.contains(t("13:00")));
    }

    #[test]
    fn mail_in_quiet_hours_waits_for_the_morning_in_the_users_zone() {
        let q = QuietHours {
            start: t("22:00"),
            end: t("08:00"),
        };
        let sh = FixedOffset(8 * 3600);
        let d = Date::new(2026, 11, 30).unwrap();
        // 15:00Z = 23:00 in Shanghai -> 08:00 next day Shanghai = 00:00Z on 1 December
        let at = UtcSeconds(UtcSeconds::at_midnight(d).0 + 15 * 3600);
        assert_eq!(
            q.next_allowed(&sh, at),
            UtcSeconds::at_midnight(d.add_days(1))
        );
        // 23:00Z previous day = 07:00 Shanghai -> 08:00 Shanghai = 00:00Z
        let early = UtcSeconds(UtcSeconds::at_midnight(d).0 - 3600);
        assert_eq!(q.next_allowed(&sh, early), UtcSeconds::at_midnight(d));
        // 04:00Z = 12:00 Shanghai: not quiet
        let noon = UtcSeconds(UtcSeconds::at_midnight(d).0 + 4 * 3600);
        assert_eq!(q.next_allowed(&sh, noon), noon);
    }

    #[test]
    fn patch_checks_every_field() {
        let p = Preferences::default();
        let e = p
            .patch(
                RawPreferences {
                    time_zone: Some("Mars/Olympus".into()),
                    quiet_hours: Some(Some(("25:00".into(), "08:00".into()))),
                    kinds: vec![("spam".into(), true)],
                    birthday_days_before: Some(31),
                    renewal_days_before: Some(-1),
                    ..Default::default()
                },
                |z| z == "Asia/Shanghai",
            )
            .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "time_zone",
                "quiet_hours.start",
                "kinds.spam",
                "birthday_days_before",
                "renewal_days_before"
            ]
        );
        let ok = p
            .patch(
                RawPreferences {
                    email: Some(false),
                    quiet_hours: Some(None),
                    kinds: vec![("birthday".into(), false), ("manual".into(), true)],
                    maintenance_days_before: Some(365),
                    ..Default::default()
                },
                |_| true,
            )
            .unwrap();
        assert!(
            !ok.email
                && ok.quiet_hours.is_none()
                && !ok.wants(Kind::Birthday)
                && ok.wants(Kind::Manual)
        );
        assert_eq!(ok.days_before(Kind::Maintenance), 365);
    }

    proptest! {
        #[test]
        fn next_allowed_is_never_quiet_and_never_early(
            s in 0u16..1440, e in 0u16..1440, now in 0i64..4_000_000_000, off in -12i32..14,
        ) {
            prop_assume!(s != e);
            let q = QuietHours { start: TimeOfDay::from_minutes(s).unwrap(), end: TimeOfDay::from_minutes(e).unwrap() };
            let z = FixedOffset(off * 3600);
            let at = q.next_allowed(&z, UtcSeconds(now));
            prop_assert!(at >= UtcSeconds(now));
            prop_assert!(at.0 - now <= 86_400);
            prop_assert!(!q.contains(local(&z, at).time));
        }
    }
}
