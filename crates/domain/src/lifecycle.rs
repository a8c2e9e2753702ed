//! 客户生命周期: which moves between lifecycle stages are allowed, which need a
//! reason, and which happen by themselves.
//!
//! prospect (潜在) → interested (意向) → customer (成交) → VIP (升级), churned
//! (流失) from any stage, and reactivation from churned. A person may also step
//! back one stage where the earlier judgement was wrong (interested → prospect,
//! VIP → customer), but a customer who has bought does not become a prospect
//! again: if they stop buying, they have churned.

use crate::Invalid;
use crate::customer::LifecycleStage::{self, *};

/// What moves a customer: a person, or an event Kehu observes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// A user changed the stage (the reason is required for some moves).
    Manual { reason: Option<String> },
    /// A deal with the customer was won (pipeline): they are a customer now.
    DealWon,
}

/// A move that is allowed, ready to be recorded in the customer's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: LifecycleStage,
    pub to: LifecycleStage,
    /// Trimmed; `None` when the move needs none and none was given.
    pub reason: Option<String>,
    pub automatic: bool,
}

/// Why a move is refused; `code` is stable for clients, `message` says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub code: &'static str,
    pub message: String,
}

/// The longest reason kept, in characters.
pub const REASON_MAX: usize = 500;

/// Whether a person moving `from` → `to` must say why: every move except the
/// ordinary steps forward (prospect → interested → customer).
pub fn needs_reason(from: LifecycleStage, to: LifecycleStage) -> bool {
    !matches!((from, to), (Prospect, Interested) | (Interested, Customer))
}

/// The stages a person may move a customer to from `from`.
pub fn manual_targets(from: LifecycleStage) -> &'static [LifecycleStage] {
    match from {
        Prospect => &[Interested, Customer, Churned],
        Interested => &[Prospect, Customer, Churned],
        Customer => &[Vip, Churned],
        Vip => &[Customer, Churned],
        Churned => &[Prospect, Interested],
    }
}

/// Decides a move. `Ok(None)` means there is nothing to do (an automatic
/// cause that does not change this customer's stage).
pub fn transition(
    from: LifecycleStage,
    to: LifecycleStage,
    cause: Cause,
) -> Result<Option<Transition>, Refused> {
    match cause {
        Cause::DealWon => Ok(deal_won(from).map(|to| Transition {
            from,
            to,
            reason: None,
            automatic: true,
        })),
        Cause::Manual { reason } => {
            if from == to {
                return Err(Refused {
                    code: "unchanged",
                    message: format!("the customer is already at the {} stage", from.as_str()),
                });
            }
            if !manual_targets(from).contains(&to) {
                return Err(Refused {
                    code: "transition_not_allowed",
                    message: not_allowed(from, to),
                });
            }
            let reason = reason
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty());
            if let Some(r) = &reason
                && r.chars().count() > REASON_MAX
            {
                return Err(Refused {
                    code: "too_long",
                    message: format!("the reason must be at most {REASON_MAX} characters"),
                });
            }
            if reason.is_none() && needs_reason(from, to) {
                return Err(Refused {
                    code: "reason_required",
                    message: format!(
                        "moving a customer from {} to {} needs a reason",
                        from.as_str(),
                        to.as_str()
                    ),
                });
            }
            Ok(Some(Transition {
                from,
                to,
                reason,
                automatic: false,
            }))
        }
    }
}

/// Checks a stage change made by editing a customer: `Ok(None)` when the
/// stage stays; refusals name the field at fault (`lifecycle_stage`, or
/// `lifecycle_reason` when only the reason is missing or too long).
pub fn check_edit(
    from: LifecycleStage,
    to: LifecycleStage,
    reason: Option<String>,
) -> Result<Option<Transition>, Invalid> {
    if from == to {
        return Ok(None);
    }
    transition(from, to, Cause::Manual { reason }).map_err(|r| {
        let field = match r.code {
            "reason_required" | "too_long" => "lifecycle_reason",
            _ => "lifecycle_stage",
        };
        Invalid::one(field, r.code, r.message)
    })
}

/// A won deal makes anyone who is not yet (or no longer) buying a customer;
/// customers and VIPs stay where they are.
fn deal_won(from: LifecycleStage) -> Option<LifecycleStage> {
    match from {
        Prospect | Interested | Churned => Some(Customer),
        Customer | Vip => None,
    }
}

fn not_allowed(from: LifecycleStage, to: LifecycleStage) -> String {
    let hint = match (from, to) {
        (Prospect | Interested, Vip) => "a customer becomes VIP only after becoming a customer",
        (Customer | Vip, Prospect | Interested) => {
            "a customer who has bought does not go back to prospect or interested; mark them churned if they stopped buying"
        }
        (Vip, _) | (Customer, _) => "move a VIP back to customer, or mark the customer churned",
        (Churned, Customer | Vip) => {
            "a churned customer is reactivated as prospect or interested; a won deal makes them a customer again"
        }
        _ => "this move is not one of the lifecycle's steps",
    };
    format!(
        "a customer cannot move from {} to {}: {hint}",
        from.as_str(),
        to.as_str()
    )
}

/// Whether a customer who is buying (or about to) has gone quiet for long
/// enough to be flagged as at risk of churning. Days are whole days since the
/// last recorded interaction; prospects and churned customers are never "at risk".
pub fn churn_risk(
    stage: LifecycleStage,
    days_since_last_activity: u32,
    threshold_days: u32,
) -> bool {
    matches!(stage, Interested | Customer | Vip) && days_since_last_activity >= threshold_days
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn manual(reason: Option<&str>) -> Cause {
        Cause::Manual {
            reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn the_ordinary_path_needs_no_reason() {
        let t = transition(Prospect, Interested, manual(None))
            .unwrap()
            .unwrap();
        assert_eq!(
            (t.from, t.to, t.reason, t.automatic),
            (Prospect, Interested, None, false)
        );
        assert!(
            transition(Interested, Customer, manual(None))
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn upgrades_churn_and_reactivation_need_a_reason() {
        for (from, to) in [
            (Customer, Vip),
            (Vip, Churned),
            (Churned, Interested),
            (Interested, Prospect),
        ] {
            let err = transition(from, to, manual(Some("   "))).unwrap_err();
            assert_eq!(err.code, "reason_required", "{from:?} → {to:?}");
            let ok = transition(from, to, manual(Some("  大客户，年采购超百万 ")))
                .unwrap()
                .unwrap();
            assert_eq!(ok.reason.as_deref(), Some("大客户，年采购超百万"));
        }
    }

    #[test]
    fn skipping_to_vip_or_back_from_customer_is_refused_with_a_hint() {
        let err = transition(Prospect, Vip, manual(Some("x"))).unwrap_err();
        assert_eq!(err.code, "transition_not_allowed");
        assert!(
            err.message.contains("only after becoming a customer"),
            "{}",
            err.message
        );
        let err = transition(Customer, Prospect, manual(Some("x"))).unwrap_err();
        assert!(err.message.contains("churned"), "{}", err.message);
        let err = transition(Churned, Customer, manual(Some("x"))).unwrap_err();
        assert!(err.message.contains("won deal"), "{}", err.message);
    }

    #[test]
    fn a_move_to_the_same_stage_is_refused() {
        assert_eq!(
            transition(Vip, Vip, manual(Some("x"))).unwrap_err().code,
            "unchanged"
        );
    }

    #[test]
    fn an_overlong_reason_is_refused() {
        let long = "因".repeat(REASON_MAX + 1);
        assert_eq!(
            transition(Customer, Vip, manual(Some(&long)))
                .unwrap_err()
                .code,
            "too_long"
        );
    }

    #[test]
    fn a_won_deal_makes_a_customer_and_leaves_customers_alone() {
        for from in [Prospect, Interested, Churned] {
            let t = transition(from, Customer, Cause::DealWon).unwrap().unwrap();
            assert_eq!((t.to, t.automatic), (Customer, true));
        }
        for from in [Customer, Vip] {
            assert_eq!(transition(from, Customer, Cause::DealWon).unwrap(), None);
        }
    }

    #[test]
    fn an_edit_names_the_field_at_fault() {
        assert_eq!(check_edit(Vip, Vip, None), Ok(None));
        let Err(Invalid(errs)) = check_edit(Customer, Vip, None) else {
            panic!("needs a reason")
        };
        assert_eq!(
            (errs[0].field.as_str(), errs[0].code),
            ("lifecycle_reason", "reason_required")
        );
        let Err(Invalid(errs)) = check_edit(Prospect, Vip, Some("x".into())) else {
            panic!("not a step")
        };
        assert_eq!(
            (errs[0].field.as_str(), errs[0].code),
            ("lifecycle_stage", "transition_not_allowed")
        );
    }

    #[test]
    fn churn_risk_is_for_quiet_buyers_only() {
        assert!(churn_risk(Customer, 90, 90));
        assert!(!churn_risk(Customer, 89, 90));
        assert!(!churn_risk(Prospect, 400, 90));
        assert!(!churn_risk(Churned, 400, 90));
    }

    fn stage() -> impl Strategy<Value = LifecycleStage> {
        prop::sample::select(LifecycleStage::ALL.to_vec())
    }

    proptest! {
        /// Every stage can reach churned, and churned can come back: no stage is a dead end.
        #[test]
        fn churn_and_reactivation_are_always_possible(from in stage()) {
            if from != Churned {
                prop_assert!(manual_targets(from).contains(&Churned));
            }
            prop_assert!(!manual_targets(from).is_empty());
        }

        /// A manual move succeeds exactly when it is listed and, if it needs
        /// one, has a reason; and then it lands where it was asked to.
        #[test]
        fn manual_moves_follow_the_table(from in stage(), to in stage(), reason in proptest::option::of("[a-z]{0,3}")) {
            let has_reason = reason.as_deref().is_some_and(|r| !r.trim().is_empty());
            let allowed = from != to && manual_targets(from).contains(&to) && (has_reason || !needs_reason(from, to));
            match transition(from, to, manual(reason.as_deref())) {
                Ok(Some(t)) => {
                    prop_assert!(allowed);
                    prop_assert_eq!((t.from, t.to), (from, to));
                }
                Ok(None) => prop_assert!(false, "manual moves always answer a transition or a refusal"),
                Err(_) => prop_assert!(!allowed),
            }
        }
    }
}
