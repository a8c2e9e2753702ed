//! The database's plan for a query the repository builds, with the query's own
//! SQL and bind values (the query is wrapped, not copied): SQLite's
//! `EXPLAIN QUERY PLAN`, PostgreSQL's `EXPLAIN (FORMAT JSON)`. Used by the test
//! that keeps every list, filter, search and access query free of full scans.

use super::{Db, DbConnection};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Integer, Text};

macro_rules! explain_wrapper {
    ($name:ident, $prefix:expr, $sql_type:ty) => {
        struct $name<Q>(Q);

        impl<Q> QueryId for $name<Q> {
            type QueryId = ();
            const HAS_STATIC_QUERY_ID: bool = false;
        }

        impl<Q> Query for $name<Q> {
            type SqlType = $sql_type;
        }

        impl<Q> RunQueryDsl<DbConnection> for $name<Q> {}

        impl<Q: QueryFragment<Db>> QueryFragment<Db> for $name<Q> {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Db>) -> QueryResult<()> {
                out.unsafe_to_cache_prepared();
                out.push_sql($prefix);
                self.0.walk_ast(out.reborrow())
            }
        }
    };
}

explain_wrapper!(
    SqlitePlan,
    "EXPLAIN QUERY PLAN ",
    (Integer, Integer, Integer, Text)
);
explain_wrapper!(PgPlan, "EXPLAIN (FORMAT JSON) ", Text);

/// A plan as the database reports it.
#[derive(Debug, Clone)]
pub enum Plan {
    /// `EXPLAIN QUERY PLAN` rows: (id, parent, detail).
    Sqlite(Vec<(i32, i32, String)>),
    /// `EXPLAIN (FORMAT JSON)`.
    Postgres(serde_json::Value),
}

/// A read of a whole table, or of a whole index of it (no condition narrows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WholeRead {
    pub table: String,
    pub index: Option<String>,
}

/// The plan the database would use for `q`.
pub fn plan<Q>(c: &mut DbConnection, q: Q) -> QueryResult<Plan>
where
    Q: QueryFragment<Db>,
{
    match c {
        DbConnection::Sqlite(_) => Ok(Plan::Sqlite(
            SqlitePlan(q)
                .load::<(i32, i32, i32, String)>(c)?
                .into_iter()
                .map(|(id, parent, _, detail)| (id, parent, detail))
                .collect(),
        )),
        DbConnection::Pg(_) => {
            let text: String = PgPlan(q).get_result(c)?;
            serde_json::from_str(&text)
                .map(Plan::Postgres)
                .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
        }
    }
}

impl Plan {
    /// Every read of a whole table or index in the plan.
    pub fn whole_reads(&self) -> Vec<WholeRead> {
        let mut out = Vec::new();
        match self {
            Plan::Sqlite(rows) => {
                for (_, _, detail) in rows {
                    // "SCAN t", "SCAN t AS x USING [COVERING] INDEX i"; a SEARCH uses a condition
                    let mut words = detail.split_whitespace();
                    if words.next() != Some("SCAN") {
                        continue;
                    }
                    let Some(table) = words.next() else { continue };
                    let rest: Vec<&str> = words.collect();
                    if rest.contains(&"VIRTUAL") || table.starts_with('(') {
                        continue;
                    }
                    let index = rest
                        .iter()
                        .position(|w| *w == "INDEX")
                        .and_then(|i| rest.get(i + 1))
                        .map(|s| (*s).to_owned());
                    out.push(WholeRead {
                        table: table.to_owned(),
                        index,
                    });
                }
            }
            Plan::Postgres(v) => pg_whole_reads(v, &mut out),
        }
        out
    }

    /// The plan as text, for a failure message.
    pub fn render(&self) -> String {
        match self {
            Plan::Sqlite(rows) => {
                let mut depth = std::collections::HashMap::new();
                let mut s = String::new();
                for (id, parent, detail) in rows {
                    let d = depth.get(parent).map_or(0, |d| d + 1);
                    depth.insert(*id, d);
                    s.push_str(&format!("{}{detail}\n", "  ".repeat(d)));
                }
                s
            }
            Plan::Postgres(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
        }
    }
}

fn pg_whole_reads(v: &serde_json::Value, out: &mut Vec<WholeRead>) {
    match v {
        serde_json::Value::Array(xs) => xs.iter().for_each(|x| pg_whole_reads(x, out)),
        serde_json::Value::Object(o) => {
            let node = o.get("Node Type").and_then(|x| x.as_str()).unwrap_or("");
            let table = o.get("Relation Name").and_then(|x| x.as_str());
            let index = o.get("Index Name").and_then(|x| x.as_str());
            if let Some(table) = table {
                match node {
                    "Seq Scan" => out.push(WholeRead {
                        table: table.to_owned(),
                        index: None,
                    }),
                    "Index Scan" | "Index Only Scan" if !o.contains_key("Index Cond") => {
                        out.push(WholeRead {
                            table: table.to_owned(),
                            index: index.map(str::to_owned),
                        })
                    }
                    _ => {}
                }
            }
            for (k, child) in o {
                if k == "Plan" || k == "Plans" {
                    pg_whole_reads(child, out);
                }
            }
        }
        _ => {}
    }
}
