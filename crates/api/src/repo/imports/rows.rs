//! What happened to each row of an import.

use crate::db::DbConnection;
use crate::db::bulk::insert_rows;
use crate::db::schema::import_rows as ir;
use diesel::prelude::*;

/// One row's result, as the run writes it.
#[derive(Debug, Clone, Default)]
pub struct RowResult {
    pub seq: i64,
    pub line: i64,
    /// `created`, `updated`, `skipped` or `failed`.
    pub outcome: &'static str,
    pub code: Option<String>,
    pub column: Option<String>,
    pub message: Option<String>,
    pub customer_id: Option<String>,
    pub contact_id: Option<String>,
    pub customer_version: Option<i64>,
    /// An updated customer's fields before the update (JSON), for undo.
    pub before: Option<String>,
}

/// Writes a batch's results, a hundred rows a statement; part of the
/// batch's transaction.
pub fn write_results(c: &mut DbConnection, import_id: &str, rows: &[RowResult]) -> QueryResult<()> {
    macro_rules! write_all {
        ($c:expr) => {
            insert_rows!($c, ir::table, rows, 100, |r| (
                ir::import_id.eq(import_id.to_owned()),
                ir::seq.eq(r.seq),
                ir::line.eq(r.line),
                ir::outcome.eq(r.outcome),
                ir::code.eq(r.code.clone()),
                ir::column_name.eq(r.column.clone()),
                ir::message.eq(r.message.clone()),
                ir::customer_id.eq(r.customer_id.clone()),
                ir::contact_id.eq(r.contact_id.clone()),
                ir::customer_version.eq(r.customer_version),
                ir::before.eq(r.before.clone()),
            ))
        };
    }
    match c {
        DbConnection::Sqlite(c) => write_all!(c),
        DbConnection::Pg(c) => write_all!(c),
    }
    Ok(())
}

#[derive(Debug, Clone, Queryable)]
pub struct StoredRow {
    pub seq: i64,
    pub line: i64,
    pub outcome: String,
    pub code: Option<String>,
    pub column: Option<String>,
    pub message: Option<String>,
    pub customer_id: Option<String>,
    pub contact_id: Option<String>,
    pub customer_version: Option<i64>,
    pub before: Option<String>,
}

macro_rules! columns {
    () => {
        (
            ir::seq,
            ir::line,
            ir::outcome,
            ir::code,
            ir::column_name,
            ir::message,
            ir::customer_id,
            ir::contact_id,
            ir::customer_version,
            ir::before,
        )
    };
}

/// Rows in file order after `after_seq`, of one outcome or all.
pub fn rows_page(
    c: &mut DbConnection,
    import_id: &str,
    outcome: Option<&str>,
    after_seq: i64,
    limit: i64,
) -> QueryResult<Vec<StoredRow>> {
    let mut q = ir::table
        .filter(ir::import_id.eq(import_id))
        .filter(ir::seq.gt(after_seq))
        .into_boxed();
    if let Some(o) = outcome {
        q = q.filter(ir::outcome.eq(o.to_owned()));
    }
    q.order(ir::seq).limit(limit).select(columns!()).load(c)
}

/// The rows that wrote something (created or updated a customer or added
/// a contact), in file order: what undo takes back.
pub fn touched(c: &mut DbConnection, import_id: &str) -> QueryResult<Vec<StoredRow>> {
    ir::table
        .filter(ir::import_id.eq(import_id))
        .filter(ir::outcome.eq_any(["created", "updated"]))
        .order(ir::seq)
        .select(columns!())
        .load(c)
}
