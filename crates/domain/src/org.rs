//! Teams and regions are trees; these rules keep them trees.

use crate::error::Invalid;
use std::collections::{BTreeMap, BTreeSet};

/// The given nodes and every node below them.
pub fn with_descendants<'a>(
    roots: impl IntoIterator<Item = &'a str>,
    parent_of: &BTreeMap<String, Option<String>>,
) -> BTreeSet<String> {
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, parent) in parent_of {
        if let Some(p) = parent {
            children.entry(p.as_str()).or_default().push(id.as_str());
        }
    }
    let mut out = BTreeSet::new();
    let mut stack: Vec<&str> = roots.into_iter().collect();
    while let Some(n) = stack.pop() {
        if out.insert(n.to_owned())
            && let Some(cs) = children.get(n)
        {
            stack.extend(cs.iter().copied());
        }
    }
    out
}

/// Checks that hanging `node` below `new_parent` keeps the tree a tree.
pub fn check_parent(
    node: &str,
    new_parent: Option<&str>,
    parent_of: &BTreeMap<String, Option<String>>,
) -> Result<(), Invalid> {
    let Some(p) = new_parent else { return Ok(()) };
    if !parent_of.contains_key(p) {
        return Err(Invalid::one("parent_id", "not_found", "no such parent"));
    }
    if with_descendants([node], parent_of).contains(p) {
        return Err(Invalid::one(
            "parent_id",
            "cycle",
            "cannot be the node itself or one of its descendants",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tree() -> BTreeMap<String, Option<String>> {
        [
            ("east", None),
            ("shanghai", Some("east")),
            ("pudong", Some("shanghai")),
            ("south", None),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.map(str::to_owned)))
        .collect()
    }

    #[test]
    fn descendants_include_grandchildren() {
        let d = with_descendants(["east"], &tree());
        assert_eq!(
            d.into_iter().collect::<Vec<_>>(),
            ["east", "pudong", "shanghai"]
        );
    }

    #[test]
    fn a_node_cannot_move_below_itself() {
        let t = tree();
        assert!(check_parent("east", Some("pudong"), &t).is_err());
        assert!(check_parent("east", Some("east"), &t).is_err());
        assert!(check_parent("pudong", Some("south"), &t).is_ok());
        assert!(check_parent("pudong", Some("nowhere"), &t).is_err());
    }

    proptest! {
        #[test]
        fn accepted_moves_never_create_cycles(parents in prop::collection::vec(prop::option::of(0..8usize), 8), node in 0..8usize, to in 0..8usize) {
            // build a forest where node i's parent has a smaller index, so it starts acyclic
            let t: BTreeMap<String, Option<String>> = parents.iter().enumerate()
                .map(|(i, p)| (i.to_string(), p.filter(|&p| p < i).map(|p| p.to_string())))
                .collect();
            let (n, p) = (node.to_string(), to.to_string());
            if check_parent(&n, Some(&p), &t).is_ok() {
                let mut moved = t.clone();
                moved.insert(n.clone(), Some(p));
                // walking up from any node must end at a root
                for start in moved.keys() {
                    let mut cur = start.clone();
                    for _ in 0..=moved.len() {
                        match moved[&cur].clone() { Some(up) => cur = up, None => break }
                    }
                    prop_assert!(moved[&cur].is_none(), "cycle through {}", start);
                }
            }
        }
    }
}
