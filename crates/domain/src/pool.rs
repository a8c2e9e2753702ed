//! 公海, the company pool: customers without an owner, which reps browse
//! within their scope and claim. Claims are limited so that no one hoards the
//! pool: a maximum of customers owned, a maximum of claims per day, and a
//! cool-down before a former owner may take back a customer they gave up.

use crate::customer::LifecycleStage;
use crate::{FieldError, Invalid};
use serde::{Deserialize, Serialize};

/// Seconds in a day; the rules count whole days from UTC instants.
const DAY: i64 = 86_400;

/// Returns an owned customer of one value tier (its lifecycle stage) to the
/// pool when it has made no progress for some days, so that customers a rep
/// neglects go to someone who will work on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecycleRule {
    pub stage: LifecycleStage,
    pub days_without_progress: u32,
}

/// The pool's rules, set by administrators. `None` means no limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolRules {
    /// At most this many live customers owned by one user (claims beyond it
    /// are refused; assignments by a manager are not limited).
    pub max_owned: Option<u32>,
    /// At most this many claims by one user in any 24 hours.
    pub max_claims_per_day: Option<u32>,
    /// Days a user must wait before claiming a customer they owned before.
    pub reclaim_cooldown_days: u32,
    /// At most one rule per stage; stages without one are never recycled.
    #[serde(default)]
    pub recycle: Vec<RecycleRule>,
}

impl Default for PoolRules {
    /// Limits a small company can start with; administrators change them.
    fn default() -> Self {
        PoolRules {
            max_owned: Some(500),
            max_claims_per_day: Some(20),
            reclaim_cooldown_days: 7,
            recycle: Vec::new(),
        }
    }
}

impl PoolRules {
    pub const MAX_OWNED: u32 = 100_000;
    pub const MAX_CLAIMS: u32 = 10_000;
    pub const MAX_COOLDOWN_DAYS: u32 = 3_650;
    pub const MAX_IDLE_DAYS: u32 = 3_650;

    /// Checks rules as sent by an administrator; `recycle` is (stage, days).
    pub fn parse(
        max_owned: Option<i64>,
        max_claims_per_day: Option<i64>,
        reclaim_cooldown_days: i64,
        recycle: &[(LifecycleStage, i64)],
    ) -> Result<Self, Invalid> {
        let mut errs = Vec::new();
        let bounded = |errs: &mut Vec<FieldError>, field: &str, v: i64, lo: i64, hi: u32| -> u32 {
            if v < lo || v > i64::from(hi) {
                errs.push(FieldError::new(
                    field,
                    "out_of_range",
                    format!("must be between {lo} and {hi}"),
                ));
                0
            } else {
                v as u32
            }
        };
        let mut rules = PoolRules {
            max_owned: max_owned.map(|v| bounded(&mut errs, "max_owned", v, 1, Self::MAX_OWNED)),
            max_claims_per_day: max_claims_per_day
                .map(|v| bounded(&mut errs, "max_claims_per_day", v, 1, Self::MAX_CLAIMS)),
            reclaim_cooldown_days: bounded(
                &mut errs,
                "reclaim_cooldown_days",
                reclaim_cooldown_days,
                0,
                Self::MAX_COOLDOWN_DAYS,
            ),
            recycle: Vec::new(),
        };
        for (i, (stage, days)) in recycle.iter().enumerate() {
            let field = format!("recycle[{i}].days_without_progress");
            let d = bounded(&mut errs, &field, *days, 1, Self::MAX_IDLE_DAYS);
            if rules.recycle.iter().any(|r| r.stage == *stage) {
                errs.push(FieldError::new(
                    format!("recycle[{i}].stage"),
                    "duplicate",
                    "one rule per stage",
                ));
            }
            rules.recycle.push(RecycleRule {
                stage: *stage,
                days_without_progress: d,
            });
        }
        if errs.is_empty() {
            Ok(rules)
        } else {
            Err(Invalid(errs))
        }
    }
}

/// What is known about a claim when it is made. Times are UTC seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimFacts {
    /// The customer's owner now (`None`: in the pool).
    pub owner_id: Option<String>,
    /// Live customers the claimer owns now.
    pub owned_now: u32,
    /// Claims the claimer made in the last 24 hours.
    pub claims_last_day: u32,
    /// When the claimer last stopped owning this customer, if ever.
    pub claimer_lost_it_at: Option<i64>,
    pub now: i64,
}

/// Why a claim is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimRefused {
    /// Someone owns it already: it is not in the pool.
    NotInPool,
    TooManyOwned {
        max: u32,
    },
    TooManyClaims {
        max: u32,
    },
    /// The claimer gave it up (or lost it) recently; they may claim it from `until`.
    CoolingDown {
        until: i64,
    },
}

impl ClaimRefused {
    /// Stable for clients.
    pub fn code(&self) -> &'static str {
        match self {
            ClaimRefused::NotInPool => "not_in_pool",
            ClaimRefused::TooManyOwned { .. } => "too_many_owned",
            ClaimRefused::TooManyClaims { .. } => "too_many_claims",
            ClaimRefused::CoolingDown { .. } => "cooling_down",
        }
    }

    /// What happened and what to do, in English (the UI translates by code).
    pub fn message(&self) -> String {
        match self {
            ClaimRefused::NotInPool => {
                "someone owns this customer already; it is not in the company pool".into()
            }
            ClaimRefused::TooManyOwned { max } => format!(
                "you own {max} customers, the most allowed; release one to the pool before claiming another"
            ),
            ClaimRefused::TooManyClaims { max } => {
                format!("you have claimed {max} customers in the last 24 hours, the most allowed; try again later")
            }
            ClaimRefused::CoolingDown { .. } => {
                "you owned this customer recently; a colleague may claim it first, and you may again after the cool-down".into()
            }
        }
    }
}

/// The rule that returns a customer of `stage` to the pool, if any.
pub fn recycle_rule(rules: &PoolRules, stage: LifecycleStage) -> Option<RecycleRule> {
    rules.recycle.iter().copied().find(|r| r.stage == stage)
}

/// When an owned customer last made progress (UTC seconds): the later of
/// the last activity done on it and the time its owner took it (its
/// creation when it never changed hands). Editing the record is not
/// progress: a rep cannot keep a customer by retyping its address.
pub fn last_progress(owned_since: Option<i64>, created_at: i64, last_activity: Option<i64>) -> i64 {
    let held = owned_since.unwrap_or(created_at);
    last_activity.map_or(held, |a| a.max(held))
}

/// Whether an owned customer of `stage` whose last progress was at
/// `last_progress` (UTC seconds) goes back to the pool at `now`.
pub fn due_for_recycling(
    rules: &PoolRules,
    stage: LifecycleStage,
    last_progress: i64,
    now: i64,
) -> bool {
    recycle_rule(rules, stage)
        .is_some_and(|r| now - last_progress >= i64::from(r.days_without_progress) * DAY)
}

/// Customers of a stage with a rule are due when their last progress is
/// before this instant.
pub fn recycle_cutoff(rule: &RecycleRule, now: i64) -> i64 {
    now - i64::from(rule.days_without_progress) * DAY
}

/// Whether a claim may go ahead under `rules`.
pub fn check_claim(rules: &PoolRules, f: &ClaimFacts) -> Result<(), ClaimRefused> {
    if f.owner_id.is_some() {
        return Err(ClaimRefused::NotInPool);
    }
    if let Some(max) = rules.max_owned
        && f.owned_now >= max
    {
        return Err(ClaimRefused::TooManyOwned { max });
    }
    if let Some(max) = rules.max_claims_per_day
        && f.claims_last_day >= max
    {
        return Err(ClaimRefused::TooManyClaims { max });
    }
    if let Some(lost) = f.claimer_lost_it_at {
        let until = lost + i64::from(rules.reclaim_cooldown_days) * DAY;
        if f.now < until {
            return Err(ClaimRefused::CoolingDown { until });
        }
    }
    Ok(())
}

/// The start of the 24 hours whose claims count against the daily limit.
pub fn claims_window_start(now: i64) -> i64 {
    now - DAY
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pool_customer() -> ClaimFacts {
        ClaimFacts {
            now: 100 * DAY,
            ..Default::default()
        }
    }

    #[test]
    fn a_pool_customer_within_the_limits_may_be_claimed() {
        assert_eq!(check_claim(&PoolRules::default(), &pool_customer()), Ok(()));
    }

    #[test]
    fn an_owned_customer_is_not_in_the_pool() {
        let f = ClaimFacts {
            owner_id: Some("u".into()),
            ..pool_customer()
        };
        assert_eq!(
            check_claim(&PoolRules::default(), &f),
            Err(ClaimRefused::NotInPool)
        );
    }

    #[test]
    fn the_owned_and_daily_limits_stop_hoarding() {
        let rules = PoolRules {
            max_owned: Some(3),
            max_claims_per_day: Some(2),
            reclaim_cooldown_days: 0,
            recycle: vec![],
        };
        let f = |owned, claims| ClaimFacts {
            owned_now: owned,
            claims_last_day: claims,
            ..pool_customer()
        };
        assert_eq!(check_claim(&rules, &f(2, 1)), Ok(()));
        assert_eq!(
            check_claim(&rules, &f(3, 0)),
            Err(ClaimRefused::TooManyOwned { max: 3 })
        );
        assert_eq!(
            check_claim(&rules, &f(0, 2)),
            Err(ClaimRefused::TooManyClaims { max: 2 })
        );
        let unlimited = PoolRules {
            max_owned: None,
            max_claims_per_day: None,
            reclaim_cooldown_days: 0,
            recycle: vec![],
        };
        assert_eq!(check_claim(&unlimited, &f(1_000_000, 1_000_000)), Ok(()));
    }

    #[test]
    fn a_former_owner_waits_for_the_cool_down() {
        let rules = PoolRules {
            reclaim_cooldown_days: 7,
            ..PoolRules::default()
        };
        let lost = 100 * DAY;
        let at = |now| ClaimFacts {
            claimer_lost_it_at: Some(lost),
            now,
            ..pool_customer()
        };
        assert_eq!(
            check_claim(&rules, &at(lost + 7 * DAY - 1)),
            Err(ClaimRefused::CoolingDown {
                until: lost + 7 * DAY
            })
        );
        assert_eq!(check_claim(&rules, &at(lost + 7 * DAY)), Ok(()));
    }

    #[test]
    fn rules_out_of_range_name_their_field() {
        use LifecycleStage::*;
        let e = PoolRules::parse(
            Some(0),
            Some(10_001),
            -1,
            &[(Prospect, 0), (Interested, 30), (Interested, 60)],
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "max_owned",
                "max_claims_per_day",
                "reclaim_cooldown_days",
                "recycle[0].days_without_progress",
                "recycle[2].stage"
            ]
        );
        assert_eq!(
            PoolRules::parse(None, Some(5), 0, &[(Prospect, 30)]),
            Ok(PoolRules {
                max_owned: None,
                max_claims_per_day: Some(5),
                reclaim_cooldown_days: 0,
                recycle: vec![RecycleRule {
                    stage: Prospect,
                    days_without_progress: 30
                }]
            })
        );
    }

    #[test]
    fn only_stages_with_a_rule_are_recycled_after_their_days() {
        use LifecycleStage::*;
        let rules = PoolRules {
            recycle: vec![RecycleRule {
                stage: Prospect,
                days_without_progress: 30,
            }],
            ..PoolRules::default()
        };
        let now = 1_000 * DAY;
        assert!(due_for_recycling(&rules, Prospect, now - 30 * DAY, now));
        assert!(!due_for_recycling(
            &rules,
            Prospect,
            now - 30 * DAY + 1,
            now
        ));
        assert!(!due_for_recycling(&rules, Customer, 0, now));
        let rule = recycle_rule(&rules, Prospect).unwrap();
        assert_eq!(recycle_cutoff(&rule, now), now - 30 * DAY);
    }

    #[test]
    fn progress_is_an_activity_or_a_hand_over_not_an_edit() {
        // never handed over, no activity: counts from creation
        assert_eq!(last_progress(None, 100, None), 100);
        // an activity after the hand-over resets the clock
        assert_eq!(last_progress(Some(200), 100, Some(500)), 500);
        // a new owner gets the full time even if the last activity was long ago
        assert_eq!(last_progress(Some(900), 100, Some(500)), 900);
    }

    proptest! {
        #[test]
        fn a_refused_claim_is_refused_for_the_first_rule_it_breaks(
            owned in 0u32..10, claims in 0u32..10, max_owned in 1u32..10, max_claims in 1u32..10,
            cooldown in 0u32..10, lost_days_ago in 0i64..20, owned_by_someone in any::<bool>(),
        ) {
            let rules = PoolRules { max_owned: Some(max_owned), max_claims_per_day: Some(max_claims), reclaim_cooldown_days: cooldown, recycle: vec![] };
            let now = 1_000 * DAY;
            let f = ClaimFacts {
                owner_id: owned_by_someone.then(|| "x".to_owned()),
                owned_now: owned,
                claims_last_day: claims,
                claimer_lost_it_at: Some(now - lost_days_ago * DAY),
                now,
            };
            let ok = !owned_by_someone && owned < max_owned && claims < max_claims
                && lost_days_ago >= i64::from(cooldown);
            prop_assert_eq!(check_claim(&rules, &f).is_ok(), ok);
        }
    }
}
