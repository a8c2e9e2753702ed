//! Loading the generated rows fast, each backend its own way.
//!
//! - PostgreSQL: `COPY … FROM STDIN` (text format), a batch at a time, in one
//!   transaction; the tables' secondary indexes and foreign keys are dropped
//!   first and made once at the end, which is cheaper than keeping them up to
//!   date and checking them row by row.
//! - SQLite: one transaction of multi-row inserts of a fixed size, whose
//!   prepared statements diesel keeps and reuses; `synchronous = OFF`, no foreign-key checks and a
//!   larger cache only while it runs; the secondary indexes and triggers of
//!   the loaded tables, read from `sqlite_master` so none is forgotten, are
//!   dropped first and recreated at the end.
//!
//! Both end with ANALYZE so the planner knows the new sizes.

use super::rows::{Batch, Generator};
use crate::db::bulk::insert_rows;
use crate::db::schema::{
    contacts, customer_keys, customer_product_lines, customer_tags, customers,
};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;
use kehu_domain::dedup::KEYS_VERSION;
use std::io::Write;
use std::time::Instant;

/// Customers generated and written at a time.
const BATCH: usize = 20_000;
/// The tables the seed fills in bulk.
const TABLES: &str =
    "'customers', 'contacts', 'customer_tags', 'customer_product_lines', 'customer_keys'";

/// A schema object the load goes faster without: how to drop it and how to
/// make it again.
#[derive(QueryableByName, Debug, PartialEq, Eq)]
pub struct Ddl {
    #[diesel(sql_type = Text)]
    pub drop: String,
    #[diesel(sql_type = Text)]
    pub create: String,
}

/// The secondary indexes and triggers of the bulk-loaded tables.
pub fn sqlite_ddl(c: &mut SqliteConnection) -> QueryResult<Vec<Ddl>> {
    diesel::sql_query(format!(
        "SELECT 'DROP ' || upper(type) || ' \"' || name || '\"' AS \"drop\", sql AS \"create\" \
         FROM sqlite_master WHERE type IN ('index', 'trigger') \
         AND tbl_name IN ({TABLES}) AND sql IS NOT NULL ORDER BY type, name"
    ))
    .load(c)
}

/// The secondary indexes and the foreign keys of the bulk-loaded tables:
/// each foreign key is checked row by row while loading, but once, as one
/// join, when added afterwards. Indexes behind a primary key or a unique
/// constraint stay, and with them the checks they make.
pub fn pg_ddl(c: &mut PgConnection) -> QueryResult<Vec<Ddl>> {
    diesel::sql_query(format!(
        "WITH t AS (SELECT c.oid, c.relname FROM pg_class c \
           WHERE c.relname IN ({TABLES}) \
           AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())) \
         SELECT * FROM ( \
           SELECT format('DROP INDEX %I', i.relname) AS \"drop\", pg_get_indexdef(i.oid) AS \"create\" \
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN t ON t.oid = x.indrelid \
           WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid) \
           UNION ALL \
           SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', t.relname, k.conname), \
                  format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, k.conname, pg_get_constraintdef(k.oid)) \
           FROM pg_constraint k JOIN t ON t.oid = k.conrelid WHERE k.contype = 'f' \
         ) d ORDER BY 1"
    ))
    .load(c)
}

/// Writes every batch into SQLite; returns the number of contacts and the
/// seconds spent remaking indexes and statistics after the rows were in.
pub fn sqlite(c: &mut SqliteConnection, rows: &mut Generator) -> QueryResult<(usize, f64)> {
    #[derive(QueryableByName)]
    struct Pragma {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        v: i64,
    }
    let pragma = |c: &mut SqliteConnection, name: &str| {
        diesel::sql_query(format!("SELECT {name} AS v FROM pragma_{name}"))
            .get_result::<Pragma>(c)
            .map(|p| p.v)
    };
    let (sync, cache, fks, temp) = (
        pragma(c, "synchronous")?,
        pragma(c, "cache_size")?,
        pragma(c, "foreign_keys")?,
        pragma(c, "temp_store")?,
    );
    // temp_store: the sorts that remake the indexes in memory, not in files
    c.batch_execute(
        "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA foreign_keys = OFF; \
         PRAGMA temp_store = MEMORY;",
    )?;
    let mut rebuild = Instant::now();
    let loaded = c.transaction(|c| -> QueryResult<usize> {
        let ddl = sqlite_ddl(c)?;
        for d in &ddl {
            c.batch_execute(&d.drop)?;
        }
        let mut n = 0;
        while let Some(b) = rows.next_batch(BATCH) {
            n += b.contacts.len();
            sqlite_batch(c, b)?;
        }
        rebuild = Instant::now();
        for d in &ddl {
            c.batch_execute(&d.create)?;
        }
        // the search index follows customers through triggers, which were
        // dropped for the load: fill it in one pass
        c.batch_execute("INSERT INTO customers_fts (customers_fts) VALUES ('rebuild')")?;
        Ok(n)
    });
    // the connection goes back to its pool: give it back its settings
    c.batch_execute(&format!(
        "PRAGMA synchronous = {sync}; PRAGMA cache_size = {cache}; PRAGMA foreign_keys = {fks}; \
         PRAGMA temp_store = {temp};"
    ))?;
    let n = loaded?;
    c.batch_execute("ANALYZE")?;
    Ok((n, rebuild.elapsed().as_secs_f64()))
}

fn sqlite_batch(c: &mut SqliteConnection, b: Batch) -> QueryResult<()> {
    insert_rows!(c, customers::table, b.customers, 50, |r| (
        customers::id.eq(r.id),
        customers::search_text.eq(r.search_text),
        customers::name.eq(r.name),
        customers::kind.eq(r.kind),
        customers::industry.eq(Some(r.industry)),
        customers::source.eq(Some(r.source)),
        customers::region_id.eq(Some(r.region_id)),
        customers::owner_id.eq(r.owner_id),
        customers::team_id.eq(r.team_id),
        customers::partner_id.eq(r.partner_id),
        customers::lifecycle_stage.eq(r.lifecycle_stage),
        customers::tags.eq(r.tags),
        customers::phones.eq(r.phones),
        customers::emails.eq(r.emails),
        customers::created_by.eq(r.created_by.clone()),
        customers::created_at.eq(r.created_at),
        customers::updated_by.eq(r.created_by),
        customers::updated_at.eq(r.updated_at),
        customers::version.eq(1i64),
        customers::keys_version.eq(KEYS_VERSION),
    ));
    insert_rows!(c, contacts::table, b.contacts, 64, |r| (
        contacts::id.eq(r.id),
        contacts::customer_id.eq(r.customer_id),
        contacts::search_text.eq(r.search_text),
        contacts::name.eq(r.name),
        contacts::title.eq(Some(r.title)),
        contacts::phones.eq(r.phones),
        contacts::emails.eq(r.emails),
        contacts::created_by.eq(r.created_by.clone()),
        contacts::created_at.eq(r.created_at),
        contacts::updated_by.eq(r.created_by),
        contacts::updated_at.eq(r.updated_at),
        contacts::version.eq(1i64),
    ));
    insert_rows!(c, customer_tags::table, b.tags, 200, |r| (
        customer_tags::customer_id.eq(r.0),
        customer_tags::tag.eq(r.1),
    ));
    insert_rows!(
        c,
        customer_product_lines::table,
        b.product_lines,
        200,
        |r| (
            customer_product_lines::customer_id.eq(r.0),
            customer_product_lines::product_line_id.eq(r.1),
        )
    );
    insert_rows!(c, customer_keys::table, b.keys, 200, |r| (
        customer_keys::customer_id.eq(r.0),
        customer_keys::kind.eq(r.1),
        customer_keys::key.eq(r.2),
    ));
    Ok(())
}

/// Writes every batch into PostgreSQL with COPY; returns the number of
/// contacts and the seconds spent remaking indexes, foreign keys and
/// statistics after the rows were in.
pub fn postgres(c: &mut PgConnection, rows: &mut Generator) -> QueryResult<(usize, f64)> {
    c.transaction(|c| {
        let ddl = pg_ddl(c)?;
        for d in &ddl {
            c.batch_execute(&d.drop)?;
        }
        let mut n = 0;
        let mut buf = Vec::with_capacity(8 << 20);
        while let Some(b) = rows.next_batch(BATCH) {
            n += b.contacts.len();
            pg_batch(c, &b, &mut buf)?;
        }
        let rebuild = Instant::now();
        for d in &ddl {
            c.batch_execute(&d.create)?;
        }
        c.batch_execute(
            "ANALYZE customers, contacts, customer_tags, customer_product_lines, customer_keys",
        )?;
        Ok((n, rebuild.elapsed().as_secs_f64()))
    })
}

/// One line of COPY's text format: tab-separated, `\N` for NULL, and the
/// backslash, tab and line breaks escaped.
fn line(out: &mut Vec<u8>, fields: &[Option<&str>]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        let Some(v) = f else {
            out.extend_from_slice(b"\\N");
            continue;
        };
        for b in v.bytes() {
            match b {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                _ => out.push(b),
            }
        }
    }
    out.push(b'\n');
}

fn time(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
}

macro_rules! copy {
    ($c:expr, $table:expr, $cols:expr, $data:expr) => {{
        let data: &[u8] = $data;
        diesel::copy_from($table)
            .from_raw_data($cols, |w: &mut dyn Write| {
                w.write_all(data)
                    .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
            })
            .execute($c)
    }};
}

fn pg_batch(c: &mut PgConnection, b: &Batch, buf: &mut Vec<u8>) -> QueryResult<()> {
    use customers as cu;
    let keys_version = KEYS_VERSION.to_string();
    buf.clear();
    for r in &b.customers {
        let (created, updated) = (time(r.created_at), time(r.updated_at));
        line(
            buf,
            &[
                Some(&r.id),
                Some(&r.search_text),
                Some(&r.name),
                Some(r.kind),
                Some(r.industry),
                Some(r.source),
                Some(&r.region_id),
                r.owner_id.as_deref(),
                r.team_id.as_deref(),
                r.partner_id.as_deref(),
                Some(r.lifecycle_stage),
                Some(&r.tags),
                Some(&r.phones),
                Some(&r.emails),
                Some(&r.created_by),
                Some(&created),
                Some(&r.created_by),
                Some(&updated),
                Some("1"),
                Some(&keys_version),
            ],
        );
    }
    let cols = (
        cu::id,
        cu::search_text,
        cu::name,
        cu::kind,
        cu::industry,
        cu::source,
        cu::region_id,
        cu::owner_id,
        cu::team_id,
        cu::partner_id,
        cu::lifecycle_stage,
        cu::tags,
        cu::phones,
        cu::emails,
        cu::created_by,
        cu::created_at,
        cu::updated_by,
        cu::updated_at,
        cu::version,
        cu::keys_version,
    );
    copy!(c, cu::table, cols, buf)?;

    use contacts as co;
    buf.clear();
    for r in &b.contacts {
        let (created, updated) = (time(r.created_at), time(r.updated_at));
        line(
            buf,
            &[
                Some(&r.id),
                Some(&r.customer_id),
                Some(&r.search_text),
                Some(&r.name),
                Some(r.title),
                Some(&r.phones),
                Some(&r.emails),
                Some(&r.created_by),
                Some(&created),
                Some(&r.created_by),
                Some(&updated),
                Some("1"),
            ],
        );
    }
    let cols = (
        co::id,
        co::customer_id,
        co::search_text,
        co::name,
        co::title,
        co::phones,
        co::emails,
        co::created_by,
        co::created_at,
        co::updated_by,
        co::updated_at,
        co::version,
    );
    copy!(c, co::table, cols, buf)?;

    buf.clear();
    for (id, tag) in &b.tags {
        line(buf, &[Some(id), Some(tag)]);
    }
    let cols = (customer_tags::customer_id, customer_tags::tag);
    copy!(c, customer_tags::table, cols, buf)?;

    buf.clear();
    for (id, pl) in &b.product_lines {
        line(buf, &[Some(id), Some(pl)]);
    }
    let cols = (
        customer_product_lines::customer_id,
        customer_product_lines::product_line_id,
    );
    copy!(c, customer_product_lines::table, cols, buf)?;

    buf.clear();
    for (id, kind, key) in &b.keys {
        line(buf, &[Some(id), Some(kind), Some(key)]);
    }
    let cols = (
        customer_keys::customer_id,
        customer_keys::kind,
        customer_keys::key,
    );
    copy!(c, customer_keys::table, cols, buf)?;
    Ok(())
}
