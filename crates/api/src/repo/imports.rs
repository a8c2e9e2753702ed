//! Imports: the uploaded file as rows, its mapping and progress, what
//! happened to each row, and saved mapping templates. An import belongs to
//! the user who uploaded it; every read here is by its id and that user.

use crate::db::DbConnection;
use crate::db::schema::imports;
use chrono::NaiveDateTime;
use diesel::prelude::*;

mod bulk;
mod lookup;
mod rows;
mod templates;
pub use bulk::{NewCustomer, create_customers};
pub use lookup::{holders, ids_within, users_by_email};
pub use rows::{RowResult, StoredRow, rows_page, touched, write_results};
pub use templates::{TemplateRow, delete_template, insert_template, list_templates};

/// Where an import is; the words stored and sent.
pub mod status {
    pub const READY: &str = "ready";
    pub const RUNNING: &str = "running";
    pub const DONE: &str = "done";
    pub const FAILED: &str = "failed";
    pub const UNDONE: &str = "undone";
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = imports)]
pub struct ImportRow {
    pub id: String,
    pub created_by: String,
    pub api_key_id: Option<String>,
    pub file_name: Option<String>,
    pub kind: String,
    pub encoding: String,
    pub column_names: String,
    pub source: String,
    pub mapping: String,
    pub policy: String,
    pub status: String,
    pub total_rows: i64,
    pub done_rows: i64,
    pub created_count: i64,
    pub updated_count: i64,
    pub skipped_count: i64,
    pub failed_count: i64,
    pub error: Option<String>,
    pub created_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub undone_at: Option<NaiveDateTime>,
    pub version: i64,
}

/// A new import as uploaded.
pub struct NewImport<'a> {
    pub id: &'a str,
    pub created_by: &'a str,
    pub api_key_id: Option<&'a str>,
    pub file_name: Option<&'a str>,
    pub kind: &'a str,
    pub encoding: &'a str,
    pub column_names: &'a str,
    pub source: &'a str,
    pub mapping: &'a str,
    pub policy: &'a str,
    pub total_rows: i64,
    pub now: NaiveDateTime,
}

pub fn insert(c: &mut DbConnection, n: &NewImport<'_>) -> QueryResult<()> {
    diesel::insert_into(imports::table)
        .values((
            imports::id.eq(n.id),
            imports::created_by.eq(n.created_by),
            imports::api_key_id.eq(n.api_key_id),
            imports::file_name.eq(n.file_name),
            imports::kind.eq(n.kind),
            imports::encoding.eq(n.encoding),
            imports::column_names.eq(n.column_names),
            imports::source.eq(n.source),
            imports::mapping.eq(n.mapping),
            imports::policy.eq(n.policy),
            imports::status.eq(status::READY),
            imports::total_rows.eq(n.total_rows),
            imports::done_rows.eq(0i64),
            imports::created_count.eq(0i64),
            imports::updated_count.eq(0i64),
            imports::skipped_count.eq(0i64),
            imports::failed_count.eq(0i64),
            imports::created_at.eq(n.now),
            imports::version.eq(1i64),
        ))
        .execute(c)
        .map(drop)
}

/// The import if `user_id` uploaded it; nobody else learns it exists.
pub fn get(c: &mut DbConnection, id: &str, user_id: &str) -> QueryResult<Option<ImportRow>> {
    imports::table
        .filter(imports::id.eq(id))
        .filter(imports::created_by.eq(user_id))
        .select(ImportRow::as_select())
        .first(c)
        .optional()
}

/// The import without its file, for polling: the file can be megabytes.
pub fn get_light(c: &mut DbConnection, id: &str, user_id: &str) -> QueryResult<Option<ImportRow>> {
    imports::table
        .filter(imports::id.eq(id))
        .filter(imports::created_by.eq(user_id))
        .select((
            imports::id,
            imports::created_by,
            imports::api_key_id,
            imports::file_name,
            imports::kind,
            imports::encoding,
            imports::column_names,
            diesel::dsl::sql::<diesel::sql_types::Text>("''"),
            imports::mapping,
            imports::policy,
            imports::status,
            imports::total_rows,
            imports::done_rows,
            imports::created_count,
            imports::updated_count,
            imports::skipped_count,
            imports::failed_count,
            imports::error,
            imports::created_at,
            imports::started_at,
            imports::finished_at,
            imports::undone_at,
            imports::version,
        ))
        .first::<ImportRow>(c)
        .optional()
}

/// Sets mapping and policy while the import is still ready; false if it is not.
pub fn set_settings(
    c: &mut DbConnection,
    id: &str,
    mapping: &str,
    policy: &str,
) -> QueryResult<bool> {
    let n = diesel::update(
        imports::table
            .filter(imports::id.eq(id))
            .filter(imports::status.eq(status::READY)),
    )
    .set((
        imports::mapping.eq(mapping),
        imports::policy.eq(policy),
        imports::version.eq(imports::version + 1),
    ))
    .execute(c)?;
    Ok(n == 1)
}

/// Moves a ready import to running. Conditional, so of two clicks (or two
/// API nodes) exactly one starts it.
pub fn start(c: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        imports::table
            .filter(imports::id.eq(id))
            .filter(imports::status.eq(status::READY)),
    )
    .set((
        imports::status.eq(status::RUNNING),
        imports::started_at.eq(now),
        imports::heartbeat_at.eq(now),
        imports::version.eq(imports::version + 1),
    ))
    .execute(c)?;
    Ok(n == 1)
}

/// Renews the lease of a running import before a batch is written, if
/// `done_rows` is still what the writer last committed. The first
/// statement of each batch's transaction: it locks the import's row, so of
/// two nodes that both believe they run the import (one was taken for dead
/// but was only slow), the one whose count is stale learns it here, writes
/// nothing and stops.
pub fn renew(
    c: &mut DbConnection,
    id: &str,
    done_rows: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        imports::table
            .filter(imports::id.eq(id))
            .filter(imports::status.eq(status::RUNNING))
            .filter(imports::done_rows.eq(done_rows)),
    )
    .set(imports::heartbeat_at.eq(now))
    .execute(c)?;
    Ok(n == 1)
}

type LeaseExpired = diesel::dsl::Or<
    diesel::dsl::IsNull<imports::heartbeat_at>,
    diesel::dsl::Lt<imports::heartbeat_at, NaiveDateTime>,
>;

/// No heartbeat since `before` (or none at all: started before leases).
fn lease_expired(before: NaiveDateTime) -> LeaseExpired {
    imports::heartbeat_at
        .is_null()
        .or(imports::heartbeat_at.lt(before))
}

/// Running imports whose lease ran out: no heartbeat since `before`.
pub fn stale(c: &mut DbConnection, before: NaiveDateTime) -> QueryResult<Vec<String>> {
    imports::table
        .filter(imports::status.eq(status::RUNNING))
        .filter(lease_expired(before))
        .order(imports::created_at)
        .select(imports::id)
        .load(c)
}

/// Takes over a running import whose lease ran out. Conditional, so of
/// several nodes that found it stale exactly one gets it.
pub fn take_over(
    c: &mut DbConnection,
    id: &str,
    before: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        imports::table
            .filter(imports::id.eq(id))
            .filter(imports::status.eq(status::RUNNING))
            .filter(lease_expired(before)),
    )
    .set((
        imports::heartbeat_at.eq(now),
        imports::version.eq(imports::version + 1),
    ))
    .execute(c)?;
    Ok(n == 1)
}

/// A running import by id, whoever uploaded it: for the node that takes
/// it over.
pub fn get_running(c: &mut DbConnection, id: &str) -> QueryResult<Option<ImportRow>> {
    imports::table
        .filter(imports::id.eq(id))
        .filter(imports::status.eq(status::RUNNING))
        .select(ImportRow::as_select())
        .first(c)
        .optional()
}

/// Rows by outcome, as stored with the import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub failed: i64,
}

impl Counts {
    pub fn total(&self) -> i64 {
        self.created + self.updated + self.skipped + self.failed
    }
}

/// Adds a batch's counts; part of the batch's transaction, so the counts
/// and the rows written always agree.
pub fn add_progress(c: &mut DbConnection, id: &str, d: Counts) -> QueryResult<()> {
    diesel::update(imports::table.filter(imports::id.eq(id)))
        .set((
            imports::done_rows.eq(imports::done_rows + d.total()),
            imports::created_count.eq(imports::created_count + d.created),
            imports::updated_count.eq(imports::updated_count + d.updated),
            imports::skipped_count.eq(imports::skipped_count + d.skipped),
            imports::failed_count.eq(imports::failed_count + d.failed),
        ))
        .execute(c)
        .map(drop)
}

/// Ends a run (`done` or `failed` with the error id).
pub fn finish(
    c: &mut DbConnection,
    id: &str,
    to: &str,
    error: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        imports::table
            .filter(imports::id.eq(id))
            .filter(imports::status.eq(status::RUNNING)),
    )
    .set((
        imports::status.eq(to),
        imports::error.eq(error),
        imports::finished_at.eq(now),
        imports::version.eq(imports::version + 1),
    ))
    .execute(c)
    .map(drop)
}

/// Marks a finished import undone; false if it was not finished (any more).
pub fn mark_undone(c: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        imports::table
            .filter(imports::id.eq(id))
            .filter(imports::status.eq_any([status::DONE, status::FAILED])),
    )
    .set((
        imports::status.eq(status::UNDONE),
        imports::undone_at.eq(now),
        imports::version.eq(imports::version + 1),
    ))
    .execute(c)?;
    Ok(n == 1)
}
