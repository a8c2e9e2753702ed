//! One diesel code path over SQLite and PostgreSQL.

pub mod bulk;
pub mod explain;
pub mod schema;

use crate::error::ApiError;
use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ManageConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::time::Duration;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// The backend type of [`DbConnection`], for boxed queries and expressions.
pub type Db = MultiBackend;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Sqlite(_) => Backend::Sqlite,
            DbConnection::Pg(_) => Backend::Postgres,
        }
    }
}

/// Where the database is, parsed from `DATABASE_URL`.
#[derive(Debug, Clone)]
pub struct DbUrl {
    pub backend: Backend,
    /// For SQLite, the file path; for PostgreSQL, the URL as given.
    pub target: String,
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self {
                backend: Backend::Postgres,
                target: url.to_owned(),
            });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() || path.contains("://") {
            return Err(format!(
                "DATABASE_URL must be sqlite://PATH or postgres://…, got {url:?}"
            ));
        }
        Ok(Self {
            backend: Backend::Sqlite,
            target: path.to_owned(),
        })
    }
}

/// Opens connections of the backend the URL names. diesel's generic manager
/// would try every backend in turn and report only the last error.
#[derive(Debug, Clone)]
pub struct Manager(DbUrl);

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        use diesel::r2d2::Error;
        match self.0.backend {
            Backend::Postgres => PgConnection::establish(&self.0.target)
                .map(DbConnection::Pg)
                .map_err(Error::ConnectionError),
            Backend::Sqlite => {
                let mut c =
                    SqliteConnection::establish(&self.0.target).map_err(Error::ConnectionError)?;
                // Every pooled connection needs these; they are per connection in SQLite.
                // `optimize = 0x10002` is SQLite's advice for long-lived connections:
                // analyze at open what has no or stale statistics (bounded work).
                c.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                     PRAGMA optimize = 0x10002;",
                )
                .map_err(Error::QueryError)?;
                Ok(DbConnection::Sqlite(c))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type DbPool = Pool<Manager>;
pub type PooledConn = PooledConnection<Manager>;

/// Connects, creating the SQLite file's folder if needed.
pub fn connect(url: &DbUrl, max_size: u32) -> Result<DbPool, String> {
    if url.backend == Backend::Sqlite
        && let Some(dir) = std::path::Path::new(&url.target).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(5))
        .build(Manager(url.clone()))
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

/// Applies pending migrations of the connection's backend.
pub fn migrate(conn: &mut DbConnection) -> Result<(), String> {
    let r = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Pg(c) => c.run_pending_migrations(PG_MIGRATIONS).map(|_| ()),
    };
    r.map_err(|e| format!("migration failed: {e}"))
}

/// Runs blocking database work off the async executor.
pub async fn run<T, F>(pool: &DbPool, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool
            .get()
            .map_err(|e| ApiError::unavailable(format!("database unavailable: {e}")))?;
        f(&mut conn)
    })
    .await
    .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
}

/// The current time as stored: UTC, microseconds (PostgreSQL's precision), so
/// both backends hold and return the same value.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

pub fn to_utc(t: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(t, Utc)
}

/// A stored date as the domain's.
pub fn to_date(d: chrono::NaiveDate) -> Option<kehu_domain::date::Date> {
    use chrono::Datelike;
    kehu_domain::date::Date::new(d.year(), d.month() as u8, d.day() as u8)
}

/// The domain's date as stored.
pub fn from_date(d: kehu_domain::date::Date) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(d.year(), u32::from(d.month()), u32::from(d.day()))
        .unwrap_or_default()
}

/// A stored UTC time as the domain's instant.
pub fn to_seconds(t: NaiveDateTime) -> kehu_domain::date::UtcSeconds {
    kehu_domain::date::UtcSeconds(t.and_utc().timestamp())
}

/// The domain's instant as stored.
pub fn from_seconds(s: kehu_domain::date::UtcSeconds) -> NaiveDateTime {
    DateTime::from_timestamp(s.0, 0)
        .unwrap_or_default()
        .naive_utc()
}

/// A new time-ordered id (UUIDv7): unique without coordination between API
/// nodes, and ordered by creation so B-tree inserts stay local.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A transaction that writes. On SQLite it begins with `BEGIN IMMEDIATE`,
/// taking the write lock before the first read: a deferred transaction that
/// reads and then writes fails at once with SQLITE_BUSY when another writer
/// got in between (WAL snapshots cannot be upgraded), and the busy timeout
/// cannot help. PostgreSQL's row locks need no such care.
pub fn write_tx<T, E, F>(c: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let outer_sqlite = match c {
        DbConnection::Sqlite(inner) => {
            let depth = AnsiTransactionManager::transaction_manager_status_mut(inner)
                .transaction_depth()
                .map_err(E::from)?;
            depth.is_none()
        }
        DbConnection::Pg(_) => false,
    };
    if !outer_sqlite {
        return c.transaction(f);
    }
    if let DbConnection::Sqlite(inner) = c {
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE").map_err(E::from)?;
    }
    let result = f(c);
    let DbConnection::Sqlite(inner) = c else {
        unreachable!("the backend does not change within a transaction")
    };
    match result {
        Ok(v) => {
            AnsiTransactionManager::commit_transaction(inner).map_err(E::from)?;
            Ok(v)
        }
        Err(e) => {
            AnsiTransactionManager::rollback_transaction(inner).map_err(E::from)?;
            Err(e)
        }
    }
}

/// Refreshes the planner's statistics; after a bulk load (`kehu seed`) the
/// planners would otherwise plan for empty tables.
pub fn analyze(conn: &mut DbConnection) -> Result<(), diesel::result::Error> {
    conn.batch_execute("ANALYZE")
}

/// Lets SQLite refresh statistics that have drifted (cheap when nothing has);
/// PostgreSQL's autovacuum does this by itself.
pub fn optimize(conn: &mut DbConnection) -> Result<(), diesel::result::Error> {
    match conn {
        DbConnection::Sqlite(c) => c.batch_execute("PRAGMA optimize"),
        DbConnection::Pg(_) => Ok(()),
    }
}

/// Readiness: the database answers.
pub fn ping(conn: &mut DbConnection) -> Result<(), diesel::result::Error> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}
