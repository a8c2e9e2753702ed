//! 审计: what changed in a record, field by field, for the history every
//! record keeps (who and when are added where the change is made).

use serde::{Deserialize, Serialize};

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Delete,
    Restore,
    /// Another record was merged into this one, or this one into another.
    Merge,
    /// A deal went to another open stage.
    Move,
    /// A deal was closed as won.
    Win,
    /// A deal was closed as lost.
    Lose,
    /// A closed deal was opened again.
    Reopen,
    /// A lead became a customer, a contact and a deal.
    Convert,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Restore => "restore",
            Action::Merge => "merge",
            Action::Move => "move",
            Action::Win => "win",
            Action::Lose => "lose",
            Action::Reopen => "reopen",
            Action::Convert => "convert",
        }
    }

    pub const ALL: [Action; 10] = [
        Action::Create,
        Action::Update,
        Action::Delete,
        Action::Restore,
        Action::Merge,
        Action::Move,
        Action::Win,
        Action::Lose,
        Action::Reopen,
        Action::Convert,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One field's value before and after (`None`: empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A record's fields as the history shows them: name and value (`None` when
/// empty; lists joined with ", ").
pub type Fields = Vec<(&'static str, Option<String>)>;

/// Joins a list for the history; empty is `None`.
pub fn list<S: AsRef<str>>(items: &[S]) -> Option<String> {
    (!items.is_empty()).then(|| {
        items
            .iter()
            .map(|s| s.as_ref())
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// The fields whose value differs between `before` and `after`, in the
/// order of `after`. A field missing on one side counts as empty there.
pub fn diff(before: &Fields, after: &Fields) -> Vec<FieldChange> {
    let value = |fs: &Fields, f: &str| {
        fs.iter()
            .find(|(n, _)| *n == f)
            .and_then(|(_, v)| v.clone())
    };
    let mut names: Vec<&'static str> = after.iter().map(|(n, _)| *n).collect();
    for (n, _) in before {
        if !names.contains(n) {
            names.push(n);
        }
    }
    names
        .into_iter()
        .filter_map(|f| {
            let (old, new) = (value(before, f), value(after, f));
            (old != new).then(|| FieldChange {
                field: f.to_owned(),
                old,
                new,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(pairs: &[(&'static str, Option<&str>)]) -> Fields {
        pairs
            .iter()
            .map(|(n, v)| (*n, v.map(str::to_owned)))
            .collect()
    }

    #[test]
    fn only_changed_fields_are_listed_with_both_values() {
        let before = fields(&[
            ("name", Some("华联")),
            ("industry", None),
            ("notes", Some("x")),
        ]);
        let after = fields(&[
            ("name", Some("华联超市")),
            ("industry", Some("零售")),
            ("notes", Some("x")),
        ]);
        assert_eq!(
            diff(&before, &after),
            vec![
                FieldChange {
                    field: "name".into(),
                    old: Some("华联".into()),
                    new: Some("华联超市".into())
                },
                FieldChange {
                    field: "industry".into(),
                    old: None,
                    new: Some("零售".into())
                },
            ]
        );
        assert!(diff(&after, &after).is_empty());
        assert_eq!(list(&["a", "b"]), Some("a, b".into()));
        assert_eq!(list::<&str>(&[]), None);
    }

    #[test]
    fn a_created_record_shows_every_value_it_has() {
        let after = fields(&[("name", Some("华联")), ("industry", None)]);
        let d = diff(&Vec::new(), &after);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].old, None);
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        assert_eq!(Action::parse("moved"), None);
    }

    proptest! {
        #[test]
        fn applying_a_diff_to_before_gives_after(
            a in prop::collection::vec(prop::option::of("[a-c]{0,2}"), 4),
            b in prop::collection::vec(prop::option::of("[a-c]{0,2}"), 4),
        ) {
            const NAMES: [&str; 4] = ["f0", "f1", "f2", "f3"];
            let before: Fields = NAMES.iter().zip(a).map(|(n, v)| (*n, v)).collect();
            let after: Fields = NAMES.iter().zip(b).map(|(n, v)| (*n, v)).collect();
            let mut applied = before.clone();
            for ch in diff(&before, &after) {
                prop_assert_eq!(applied.iter().find(|(n, _)| *n == ch.field).unwrap().1.clone(), ch.old.clone());
                applied.iter_mut().find(|(n, _)| *n == ch.field).unwrap().1 = ch.new;
            }
            prop_assert_eq!(applied, after);
        }
    }
}
