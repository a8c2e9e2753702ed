//! Text search over customers' `search_text`, without scanning the table.
//!
//! A record matches when its search text contains one of the query's terms
//! ([`search_terms`]). Terms of three characters or more are found through a
//! trigram index: on SQLite the FTS5 table `customers_fts` (a MATCH narrows
//! the rows, the LIKE keeps the result exactly what it was without it), on
//! PostgreSQL the `pg_trgm` GIN index, which serves the LIKE itself. Shorter
//! terms (one or two Chinese characters are common) have no trigram; they stay
//! a LIKE, evaluated only on the rows the caller's scope and filters reach.

use crate::db::schema::customers;
use crate::db::{Backend, Db};
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use kehu_domain::text::search_terms;

/// Characters in a trigram: the shortest term the indexes can find.
pub const INDEXED_MIN_CHARS: usize = 3;

type Condition = Box<dyn BoxableExpression<customers::table, Db, SqlType = Bool>>;

/// A LIKE pattern matching `q` anywhere, with LIKE's wildcards taken literally.
pub fn like_pattern(q: &str) -> String {
    let mut p = String::with_capacity(q.len() + 2);
    p.push('%');
    for ch in q.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

/// An FTS5 query for any of `terms` as a substring: each a quoted phrase.
fn fts_query(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// The condition for customers whose search text contains `q`.
pub fn condition(backend: Backend, q: &str) -> Condition {
    let terms = search_terms(q);
    let indexed = terms.iter().all(|t| t.chars().count() >= INDEXED_MIN_CHARS);
    let like = terms
        .iter()
        .map(|t| -> Condition {
            let pattern = like_pattern(t);
            if indexed || backend == Backend::Sqlite {
                Box::new(customers::search_text.like(pattern).escape('\\'))
            } else {
                // `search_text || ''` keeps PostgreSQL off the trigram index, which
                // has nothing to look up for a term without a trigram and would
                // read all of itself; a prepared (generic) plan cannot see that
                Box::new(customers::search_text.concat("").like(pattern).escape('\\'))
            }
        })
        .reduce(|a, b| Box::new(a.or(b)))
        .unwrap_or_else(|| Box::new(sql::<Bool>("1 = 1")));
    if backend == Backend::Sqlite && indexed {
        let matching = sql::<Bool>(
            "customers.rowid IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ",
        )
        .bind::<Text, _>(fts_query(&terms))
        .sql(")");
        Box::new(matching.and(like))
    } else {
        like
    }
}
