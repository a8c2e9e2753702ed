//! Both backends' migrations must produce the same tables and columns.

use crate::helpers::TestDb;
use diesel::prelude::*;
use diesel::sql_types::Text;
use kehu_api::db::Backend;
use std::collections::BTreeSet;

#[derive(QueryableByName)]
struct Col {
    #[diesel(sql_type = Text)]
    t: String,
    #[diesel(sql_type = Text)]
    c: String,
}

#[test]
fn sqlite_and_postgres_schemas_match() {
    let Some(pg) = TestDb::create(Backend::Postgres) else {
        return;
    };
    let lite = TestDb::create(Backend::Sqlite).unwrap();
    let cols = |db: &TestDb, sql: &str| -> BTreeSet<(String, String)> {
        let pool = db.pool();
        let mut c = pool.get().unwrap();
        diesel::sql_query(sql)
            .load::<Col>(&mut *c)
            .unwrap()
            .into_iter()
            .filter(|x| !x.t.starts_with("__diesel"))
            .map(|x| (x.t, x.c))
            .collect()
    };
    let p = cols(
        &pg,
        "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns WHERE table_schema = 'public'",
    );
    let s = cols(
        &lite,
        // customers_fts and its shadow tables are SQLite's search index, as
        // customers_search_trgm is PostgreSQL's: an index, not a table
        "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'customers_fts%'",
    );
    assert!(p.len() > 50);
    assert_eq!(p, s, "migrations/sqlite and migrations/postgres differ");
}
