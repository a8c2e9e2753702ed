//! The customer timeline: entries from several sources (activities, stage
//! and owner changes, the change history, and whatever later features add)
//! in one order, newest first, paged by a cursor that works across sources.
//!
//! Each entry has a [`Key`]: its time, then its source's name, then its id
//! within the source, so two entries at the same microsecond still have one
//! order. A source reads only the entries after the cursor ([`Bound`]) and
//! at most one page (plus one) of them; [`page`] merges the sources' pages.

use serde::{Deserialize, Serialize};

/// Where an entry sits: newer `at` first, then greater `source`, then
/// greater `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    /// Microseconds since the Unix epoch.
    pub at: i64,
    pub source: String,
    pub id: String,
}

impl Key {
    /// Whether `self` comes after (is older than) `other` in the timeline.
    pub fn after(&self, other: &Key) -> bool {
        (self.at, &self.source, &self.id) < (other.at, &other.source, &other.id)
    }
}

/// What one source must read to continue after a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    /// Entries strictly older than `at`.
    Before(i64),
    /// Entries older than `at`, or at `at` itself.
    AtOrBefore(i64),
    /// Entries older than `at`, or at `at` with an id below `id`.
    BeforeKey(i64, String),
}

impl Bound {
    /// The part of `source` that comes after `cursor`.
    pub fn of(source: &str, cursor: &Key) -> Self {
        match source.cmp(cursor.source.as_str()) {
            std::cmp::Ordering::Less => Bound::AtOrBefore(cursor.at),
            std::cmp::Ordering::Equal => Bound::BeforeKey(cursor.at, cursor.id.clone()),
            std::cmp::Ordering::Greater => Bound::Before(cursor.at),
        }
    }

    pub fn admits(&self, at: i64, id: &str) -> bool {
        match self {
            Bound::Before(t) => at < *t,
            Bound::AtOrBefore(t) => at <= *t,
            Bound::BeforeKey(t, i) => at < *t || (at == *t && id < i.as_str()),
        }
    }
}

/// Merges the sources' pages (each the `limit + 1` newest entries after
/// the cursor, or all of them when fewer, in any order) into the
/// timeline's page: the `limit` newest, and the key to continue after when
/// more follow. One extra entry per source is what tells "more" from
/// "exactly a page".
pub fn page<T>(sources: Vec<Vec<(Key, T)>>, limit: usize) -> (Vec<(Key, T)>, Option<Key>) {
    let mut all: Vec<(Key, T)> = sources.into_iter().flatten().collect();
    all.sort_by(|a, b| (b.0.at, &b.0.source, &b.0.id).cmp(&(a.0.at, &a.0.source, &a.0.id)));
    let more = all.len() > limit;
    all.truncate(limit);
    let next = if more {
        all.last().map(|(k, _)| k.clone())
    } else {
        None
    };
    (all, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(at: i64, source: &str, id: &str) -> Key {
        Key {
            at,
            source: source.into(),
            id: id.into(),
        }
    }

    #[test]
    fn ties_in_time_are_ordered_by_source_then_id() {
        let (p, next) = page(
            vec![
                vec![(key(5, "activity", "b"), ()), (key(5, "activity", "a"), ())],
                vec![(key(5, "stage", "a"), ()), (key(9, "stage", "z"), ())],
            ],
            3,
        );
        let ids: Vec<_> = p
            .iter()
            .map(|(k, _)| (k.source.as_str(), k.id.as_str()))
            .collect();
        assert_eq!(ids, vec![("stage", "z"), ("stage", "a"), ("activity", "b")]);
        assert_eq!(next, Some(key(5, "activity", "b")));
    }

    fn entries() -> impl Strategy<Value = Vec<Key>> {
        proptest::collection::vec(
            (
                0i64..6,
                prop::sample::select(vec!["activity", "audit", "owner", "stage"]),
                0u8..20,
            ),
            0..60,
        )
        .prop_map(|v| {
            let mut keys: Vec<Key> = v
                .into_iter()
                .map(|(at, s, id)| key(at, s, &format!("{id:02}")))
                .collect();
            keys.sort_by(|a, b| (a.at, &a.source, &a.id).cmp(&(b.at, &b.source, &b.id)));
            keys.dedup();
            keys
        })
    }

    proptest! {
        /// Paging source by source through `Bound` walks the same timeline
        /// as sorting everything at once: nothing lost, nothing twice.
        #[test]
        fn paging_walks_the_whole_timeline_once(all in entries(), limit in 1usize..7) {
            let sources = ["activity", "audit", "owner", "stage"];
            let mut walked: Vec<Key> = Vec::new();
            let mut cursor: Option<Key> = None;
            for _ in 0..100 {
                let pages: Vec<Vec<(Key, ())>> = sources.iter().map(|s| {
                    let mut mine: Vec<&Key> = all.iter().filter(|k| k.source == *s)
                        .filter(|k| cursor.as_ref().is_none_or(|c| Bound::of(s, c).admits(k.at, &k.id)))
                        .collect();
                    mine.sort_by(|a, b| (b.at, &b.id).cmp(&(a.at, &a.id)));
                    mine.into_iter().take(limit + 1).map(|k| (k.clone(), ())).collect()
                }).collect();
                let (p, next) = page(pages, limit);
                walked.extend(p.into_iter().map(|(k, _)| k));
                match next { Some(n) => cursor = Some(n), None => break }
            }
            let mut expected = all.clone();
            expected.reverse();
            prop_assert_eq!(walked, expected);
        }

        #[test]
        fn a_bound_admits_exactly_what_comes_after_the_cursor(at in 0i64..4, id in 0u8..4, cat in 0i64..4, cid in 0u8..4,
                source in prop::sample::select(vec!["activity", "owner", "stage"]),
                csource in prop::sample::select(vec!["activity", "owner", "stage"])) {
            let k = key(at, source, &id.to_string());
            let c = key(cat, csource, &cid.to_string());
            prop_assert_eq!(Bound::of(source, &c).admits(k.at, &k.id), k.after(&c));
        }
    }
}
