//! Who owns a customer, and how that changes: the kinds of owner change the
//! history records, giving a customer back to the pool, and handing many
//! over at once when a rep leaves or changes territory.

use crate::{FieldError, Invalid};

/// How an owner change came about, as recorded in the customer's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerChangeKind {
    /// A user took a customer from the pool.
    Claim,
    /// The owner gave it back to the pool.
    Release,
    /// Kehu returned it to the pool: no progress for as long as the rules allow.
    Recycle,
    /// Someone with the right to edit the customer set its owner.
    Assign,
    /// Moved with others in one step (a rep left or changed territory).
    Transfer,
    /// Two records of one customer were merged and the other's owner was kept.
    Merge,
}

impl OwnerChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerChangeKind::Claim => "claim",
            OwnerChangeKind::Release => "release",
            OwnerChangeKind::Recycle => "recycle",
            OwnerChangeKind::Assign => "assign",
            OwnerChangeKind::Transfer => "transfer",
            OwnerChangeKind::Merge => "merge",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Claim,
            Self::Release,
            Self::Recycle,
            Self::Assign,
            Self::Transfer,
            Self::Merge,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The most customers one transfer moves; larger hand-overs are done in parts.
pub const MAX_TRANSFER: usize = 10_000;

/// Where handed-over customers go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Another user owns them (and they join that user's team).
    User(String),
    /// The pool of a team (部门公海): no owner; the team's members find them
    /// there to claim, its managers assign them.
    Team(String),
    /// The company pool: no owner; each keeps its team.
    Pool,
}

impl Destination {
    pub fn owner_id(&self) -> Option<&str> {
        match self {
            Destination::User(u) => Some(u),
            _ => None,
        }
    }

    /// The team whose pool receives them, for a hand-over to a team.
    pub fn team_id(&self) -> Option<&str> {
        match self {
            Destination::Team(t) => Some(t),
            _ => None,
        }
    }

    /// The team the customers end up in, given the new owner's team (for a
    /// hand-over to a user): the owner's, the receiving team, or — `None` —
    /// each keeps its own when they go to the company pool.
    pub fn new_team<'a>(&'a self, owner_team: Option<&'a str>) -> Option<Option<&'a str>> {
        match self {
            Destination::User(_) => Some(owner_team),
            Destination::Team(t) => Some(Some(t)),
            Destination::Pool => None,
        }
    }
}

/// A hand-over of customers from one owner, checked: all of them or the ones
/// listed, to another user, a team's pool or the company pool, with a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub from_owner_id: String,
    /// `None`: every live customer of `from_owner_id` the caller may edit.
    pub customer_ids: Option<Vec<String>>,
    pub to: Destination,
    pub reason: String,
}

impl Transfer {
    pub fn parse(
        from_owner_id: String,
        customer_ids: Option<Vec<String>>,
        to_owner_id: Option<String>,
        to_team_id: Option<String>,
        reason: Option<&str>,
    ) -> Result<Self, Invalid> {
        let mut errs = Vec::new();
        if to_owner_id.as_deref() == Some(from_owner_id.as_str()) {
            errs.push(FieldError::new(
                "to_owner_id",
                "self",
                "must be someone else than from_owner_id (or null for the pool)",
            ));
        }
        if to_owner_id.is_some() && to_team_id.is_some() {
            errs.push(FieldError::new(
                "to_team_id",
                "conflict",
                "give either a new owner or a team, not both: an owner brings the customers into their own team",
            ));
        }
        let to = match (to_owner_id, to_team_id) {
            (Some(u), _) => Destination::User(u),
            (None, Some(t)) => Destination::Team(t),
            (None, None) => Destination::Pool,
        };
        if let Some(ids) = &customer_ids {
            if ids.is_empty() {
                errs.push(FieldError::new(
                    "customer_ids",
                    "too_short",
                    "list at least one customer, or leave it out to move all",
                ));
            }
            if ids.len() > MAX_TRANSFER {
                errs.push(FieldError::new(
                    "customer_ids",
                    "too_many",
                    format!("at most {MAX_TRANSFER} at a time"),
                ));
            }
        }
        let reason = match release_reason(reason) {
            Ok(r) => Some(r),
            Err(Invalid(e)) => {
                errs.extend(e);
                None
            }
        };
        match (errs.is_empty(), reason) {
            (true, Some(reason)) => Ok(Transfer {
                from_owner_id,
                customer_ids: customer_ids.map(|ids| {
                    let mut seen = std::collections::HashSet::new();
                    ids.into_iter()
                        .filter(|id| seen.insert(id.clone()))
                        .collect()
                }),
                to,
                reason,
            }),
            _ => Err(Invalid(errs)),
        }
    }
}

/// The reason for giving a customer back to the pool: required, so that the
/// next owner knows what happened; at most 500 characters.
pub fn release_reason(raw: Option<&str>) -> Result<String, Invalid> {
    let t = raw.unwrap_or_default().trim();
    if t.is_empty() {
        return Err(Invalid::one(
            "reason",
            "required",
            "say why the customer goes back to the pool",
        ));
    }
    if t.chars().count() > crate::lifecycle::REASON_MAX {
        return Err(Invalid::one(
            "reason",
            "too_long",
            format!(
                "must be at most {} characters",
                crate::lifecycle::REASON_MAX
            ),
        ));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_needs_a_reason() {
        assert_eq!(release_reason(None).unwrap_err().0[0].code, "required");
        assert_eq!(
            release_reason(Some("  ")).unwrap_err().0[0].code,
            "required"
        );
        assert_eq!(release_reason(Some(" 客户已搬迁 ")).unwrap(), "客户已搬迁");
        for k in [
            OwnerChangeKind::Claim,
            OwnerChangeKind::Release,
            OwnerChangeKind::Recycle,
            OwnerChangeKind::Assign,
            OwnerChangeKind::Transfer,
            OwnerChangeKind::Merge,
        ] {
            assert_eq!(OwnerChangeKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn a_transfer_names_someone_else_a_reason_and_a_bounded_list() {
        let ok = Transfer::parse(
            "a".into(),
            Some(vec!["2".into(), "1".into(), "2".into()]),
            Some("b".into()),
            None,
            Some(" 离职交接 "),
        )
        .unwrap();
        assert_eq!(ok.customer_ids, Some(vec!["2".to_owned(), "1".to_owned()]));
        assert_eq!(ok.reason, "离职交接");
        assert_eq!(ok.to, Destination::User("b".into()));
        assert_eq!(
            Transfer::parse("a".into(), None, None, None, Some("回收"))
                .unwrap()
                .to,
            Destination::Pool,
            "all of them, to the pool"
        );
        assert_eq!(
            Transfer::parse(
                "a".into(),
                None,
                None,
                Some("t-east".into()),
                Some("调整区域")
            )
            .unwrap()
            .to,
            Destination::Team("t-east".into()),
            "all of them, to a team's pool"
        );
        let e = Transfer::parse(
            "a".into(),
            Some(vec![]),
            Some("a".into()),
            Some("t".into()),
            None,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["to_owner_id", "to_team_id", "customer_ids", "reason"]
        );
        let to_user = Destination::User("b".into());
        assert_eq!(to_user.new_team(Some("t-south")), Some(Some("t-south")));
        assert_eq!(
            to_user.new_team(None),
            Some(None),
            "an owner without a team"
        );
        let to_team = Destination::Team("t-east".into());
        assert_eq!(to_team.new_team(Some("t-south")), Some(Some("t-east")));
        assert_eq!(
            Destination::Pool.new_team(Some("t-south")),
            None,
            "each keeps its own"
        );
        let many = vec!["x".to_owned(); MAX_TRANSFER + 1];
        assert_eq!(
            Transfer::parse("a".into(), Some(many), None, None, Some("r"))
                .unwrap_err()
                .0[0]
                .code,
            "too_many"
        );
    }
}
