//! Multi-row inserts for bulk writers (`kehu seed`, imports). They go
//! through the backend's own connection: diesel's multi-backend connection
//! cannot express an insert of several rows.

/// Inserts `$rows` into `$table`, `$n` rows per statement: one statement of
/// a fixed size, prepared once and reused, does the work of `$n` single-row
/// ones, whose per-statement cost in diesel and the database dominates bulk
/// writes. The last rows, fewer than `$n`, go one by one. `$c` is a
/// backend's own connection (`SqliteConnection` or `PgConnection`).
macro_rules! insert_rows {
    ($c:expr, $table:expr, $rows:expr, $n:literal, |$r:ident| $values:expr) => {{
        // owned values: a statement is cached by the type of its values,
        // which cannot borrow
        let mut rows = $rows.into_iter().map(|$r| $values);
        loop {
            let chunk: Vec<_> = rows.by_ref().take($n).collect();
            match <[_; $n]>::try_from(chunk) {
                Ok(full) => {
                    diesel::insert_into($table).values(full).execute($c)?;
                }
                Err(rest) => {
                    for v in rest {
                        diesel::insert_into($table).values(v).execute($c)?;
                    }
                    break;
                }
            }
        }
    }};
}
pub(crate) use insert_rows;

/// Runs `f` with some SQLite settings of the connection changed
/// (`PRAGMA name = value`) and gives the connection its own back afterwards,
/// as it returns to its pool. On PostgreSQL it only runs `f`.
pub fn with_sqlite_pragmas<T, E>(
    c: &mut super::DbConnection,
    set: &[(&str, &str)],
    f: impl FnOnce(&mut super::DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::RunQueryDsl;
    use diesel::connection::SimpleConnection;
    #[derive(diesel::QueryableByName)]
    struct Pragma {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        v: i64,
    }
    let super::DbConnection::Sqlite(inner) = c else {
        return f(c);
    };
    let mut restore = String::new();
    let mut change = String::new();
    for (name, value) in set {
        let was = diesel::sql_query(format!("SELECT {name} AS v FROM pragma_{name}"))
            .get_result::<Pragma>(inner)?
            .v;
        restore += &format!("PRAGMA {name} = {was};");
        change += &format!("PRAGMA {name} = {value};");
    }
    inner.batch_execute(&change)?;
    let result = f(c);
    c.batch_execute(&restore)?;
    result
}
