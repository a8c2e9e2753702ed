//! What to do with each row: create it, update the record it duplicates,
//! or skip it. Duplicates are found against existing records (by the API,
//! through the stored keys) and within the file (here).

use crate::dedup::{Keys, Match};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What to do with a row that looks like a record that exists, or like an
/// earlier row of the same file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Leave the existing record alone and report the row as skipped.
    Skip,
    /// Add the row's values to the record it matches.
    Update,
    /// Create it anyway; the override is recorded as for a hand-made one.
    Create,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Skip => "skip",
            Policy::Update => "update",
            Policy::Create => "create",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Policy::Skip, Policy::Update, Policy::Create]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// For each row, the first earlier row it duplicates (sharing a normalised
/// name, phone or e-mail, directly or through rows between them); `None` for
/// the first row of each group and for rows without keys (`None` input:
/// rows that failed validation, which take part in nothing).
pub fn first_in_file(keys: &[Option<Keys>]) -> Vec<Option<usize>> {
    let mut parent: Vec<usize> = (0..keys.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut seen: HashMap<(Match, &str), usize> = HashMap::new();
    let mut out = vec![None; keys.len()];
    for (i, k) in keys.iter().enumerate() {
        let Some(k) = k else { continue };
        for entry in k.entries() {
            match seen.get(&entry) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    // the earliest row of a group is its root
                    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                    parent[hi] = lo;
                }
                None => {
                    seen.insert(entry, i);
                }
            }
        }
        let r = root(&mut parent, i);
        out[i] = (r != i).then_some(r);
    }
    out
}

/// How the caller stands to an existing record a row matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// They may read and change it.
    Editable,
    /// They may read it only.
    ReadOnly,
    /// They may not see it: the row may say that one exists, not which.
    Hidden,
}

/// An existing record a row matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub access: Access,
}

/// Which record an update goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Existing(String),
    /// The record an earlier row of the file created or updated (its index).
    EarlierRow(usize),
}

/// What happens to a valid row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Create it; `like` are the existing records it was created despite.
    Create {
        like: Vec<String>,
    },
    Update(Target),
    Skip {
        code: &'static str,
        message: String,
    },
    Fail {
        code: &'static str,
        message: String,
    },
}

/// The decision for a valid row, given the earlier row of the file it
/// duplicates (`earlier`: index and line) and the existing records it
/// matches. An earlier row decides first: it already dealt with the
/// existing records. Hidden records are mentioned, never named.
pub fn decide(policy: Policy, earlier: Option<(usize, u32)>, existing: &[Candidate]) -> Decision {
    if let Some((idx, line)) = earlier {
        return match policy {
            Policy::Skip => Decision::Skip {
                code: "duplicate_in_file",
                message: format!("the same customer as line {line}"),
            },
            Policy::Update => Decision::Update(Target::EarlierRow(idx)),
            Policy::Create => Decision::Create {
                like: existing.iter().map(|c| c.id.clone()).collect(),
            },
        };
    }
    if existing.is_empty() {
        return Decision::Create { like: Vec::new() };
    }
    let visible: Vec<&Candidate> = existing
        .iter()
        .filter(|c| c.access != Access::Hidden)
        .collect();
    match policy {
        Policy::Create => Decision::Create {
            like: existing.iter().map(|c| c.id.clone()).collect(),
        },
        Policy::Skip => match visible.first() {
            Some(c) => Decision::Skip {
                code: "duplicate_existing",
                message: format!("the same customer as {}", c.id),
            },
            None => Decision::Skip {
                code: "duplicate_hidden",
                message: "looks like a customer outside your scope".into(),
            },
        },
        Policy::Update => match (existing.len(), existing.first()) {
            (1, Some(c)) => match c.access {
                Access::Editable => Decision::Update(Target::Existing(c.id.clone())),
                Access::ReadOnly => Decision::Fail {
                    code: "not_editable",
                    message: format!("the same customer as {}, which you may not change", c.id),
                },
                Access::Hidden => Decision::Fail {
                    code: "duplicate_hidden",
                    message: "looks like a customer outside your scope".into(),
                },
            },
            (n, _) => Decision::Fail {
                code: "ambiguous",
                message: format!("looks like {n} customers; it is not clear which to update"),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn k(name: &str, phone: &str) -> Option<Keys> {
        let phones: Vec<&str> = [phone].into_iter().filter(|p| !p.is_empty()).collect();
        Some(Keys::of(name, &phones, &[]))
    }

    #[test]
    fn rows_sharing_a_key_directly_or_through_others_form_one_group() {
        let keys = vec![
            k("华联超市有限公司", "13800138000"),
            k("明达电子", ""),
            None,
            k("华联超市", ""),
            k("别的", "138 0013 8000"),
            k("另一个", "021-68888888"),
            k("明达电子股份有限公司", "021-68888888"),
        ];
        assert_eq!(
            first_in_file(&keys),
            vec![None, None, None, Some(0), Some(0), None, Some(1)]
        );
    }

    fn cand(id: &str, access: Access) -> Candidate {
        Candidate {
            id: id.into(),
            access,
        }
    }

    #[test]
    fn each_policy_against_existing_records() {
        let one = [cand("c1", Access::Editable)];
        assert_eq!(
            decide(Policy::Update, None, &one),
            Decision::Update(Target::Existing("c1".into()))
        );
        assert!(matches!(
            decide(Policy::Skip, None, &one),
            Decision::Skip {
                code: "duplicate_existing",
                ..
            }
        ));
        assert_eq!(
            decide(Policy::Create, None, &one),
            Decision::Create {
                like: vec!["c1".into()]
            }
        );
        assert_eq!(
            decide(Policy::Update, None, &[]),
            Decision::Create { like: vec![] }
        );
        let ro = [cand("c2", Access::ReadOnly)];
        assert!(matches!(
            decide(Policy::Update, None, &ro),
            Decision::Fail {
                code: "not_editable",
                ..
            }
        ));
        let two = [cand("c1", Access::Editable), cand("c2", Access::Editable)];
        assert!(matches!(
            decide(Policy::Update, None, &two),
            Decision::Fail {
                code: "ambiguous",
                ..
            }
        ));
    }

    #[test]
    fn a_hidden_match_is_mentioned_but_never_named() {
        let hidden = [cand("secret-id", Access::Hidden)];
        for p in [Policy::Skip, Policy::Update] {
            let d = decide(p, None, &hidden);
            let msg = match &d {
                Decision::Skip { message, .. } | Decision::Fail { message, .. } => message.clone(),
                other => panic!("{other:?}"),
            };
            assert!(!msg.contains("secret-id"), "{msg}");
        }
    }

    #[test]
    fn a_duplicate_within_the_file_follows_its_first_row() {
        let e = [cand("c1", Access::Editable)];
        assert!(
            matches!(decide(Policy::Skip, Some((0, 2)), &e), Decision::Skip { code: "duplicate_in_file", ref message } if message.contains("line 2"))
        );
        assert_eq!(
            decide(Policy::Update, Some((3, 5)), &e),
            Decision::Update(Target::EarlierRow(3))
        );
        assert!(matches!(
            decide(Policy::Create, Some((0, 2)), &[]),
            Decision::Create { .. }
        ));
    }

    proptest! {
        #[test]
        fn a_group_points_at_an_earlier_row_that_heads_a_group(
            phones in prop::collection::vec(prop::option::of(0u8..6), 0..40)
        ) {
            let keys: Vec<Option<Keys>> = phones
                .iter()
                .map(|p| p.map(|p| Keys::of("", &[&format!("1380013800{p}")], &[])))
                .collect();
            let first = first_in_file(&keys);
            for (i, f) in first.iter().enumerate() {
                if let Some(j) = f {
                    prop_assert!(*j < i);
                    prop_assert_eq!(first[*j], None);
                    prop_assert_eq!(&keys[*j], &keys[i]);
                }
            }
            // the first row holding each number heads its group
            for (i, k) in keys.iter().enumerate() {
                if k.is_some() && !keys[..i].contains(k) {
                    prop_assert_eq!(first[i], None);
                }
            }
        }
    }
}
