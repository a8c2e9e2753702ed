//! Running an import to its end on whichever node is alive. The node that
//! runs an import renews its lease (`heartbeat_at`) with each batch it
//! commits; every node looks now and then for running imports whose lease
//! ran out (their node died, or was stopped) and takes one over with a
//! conditional update, so exactly one node resumes it. Progress is
//! committed with each batch, so the resumed run starts at the first row
//! not yet written and no row is written twice; a node taken for dead that
//! was only slow finds, at its next batch, that the progress moved on
//! without it, and stops.

pub use super::engine::Ended;
use super::engine::{self, Resume};
use crate::auth::{Auth, Via};
use crate::db::{self, DbPool};
use crate::error::ApiError;
use crate::repo::imports::{self as store, status};
use crate::repo::principal;
use chrono::{NaiveDateTime, TimeDelta};
use std::collections::HashSet;
use std::time::Duration;

/// How long a running import may go without a committed batch before
/// another node takes it over. A batch takes well under a second; planning
/// a large file a few seconds.
pub const LEASE: TimeDelta = TimeDelta::minutes(2);

/// How often every node looks for imports to take over.
const LOOK_EVERY: Duration = Duration::from_secs(30);

/// Plans and runs the running import `iid` for `auth` from its first row
/// not yet written, at most `max_batches` batches (all when `None`), and
/// ends it `done` when every row is written, or `failed` with an error id
/// when the server failed (rows written before stay, reported).
pub fn drive(pool: &DbPool, auth: &Auth, iid: &str, max_batches: Option<usize>) -> Ended {
    let result = pool
        .get()
        .map_err(|e| ApiError::unavailable(e.to_string()))
        .and_then(|mut c| {
            let imp =
                store::get_running(&mut c, iid)?.ok_or_else(|| ApiError::not_found("import"))?;
            let from = resume_point(&mut c, iid, imp.done_rows)?;
            let own: HashSet<String> = from.1;
            let planned = engine::plan(&mut c, auth, &engine::Source::of(&imp), &own)?;
            drop(imp);
            // a savepoint's journal in memory rather than in a temporary
            // file, and the indexes of customers in the cache: together a
            // third of the time a batch took on SQLite
            db::bulk::with_sqlite_pragmas(
                &mut c,
                &[("temp_store", "2"), ("cache_size", "-65536")],
                |c| engine::run(c, auth, iid, planned, from.0, max_batches),
            )
        });
    let (to, error) = match &result {
        Ok(Ended::Finished) => (status::DONE, None),
        Ok(ended) => return *ended,
        Err(e) => {
            let error_id = db::new_id();
            tracing::error!(import = %iid, error_id, error = ?e, "import failed");
            (status::FAILED, Some(format!("server error {error_id}")))
        }
    };
    end(pool, iid, to, error.as_deref());
    Ended::Finished
}

/// The rows an earlier run wrote (none for a new run), and the customers
/// it created.
fn resume_point(
    c: &mut db::DbConnection,
    iid: &str,
    done_rows: i64,
) -> Result<(Resume, HashSet<String>), ApiError> {
    if done_rows == 0 {
        return Ok(Default::default());
    }
    let mut own = HashSet::new();
    let mut records = Vec::new();
    for r in store::touched(c, iid)? {
        if let Some(id) = r.customer_id {
            if r.outcome == "created" {
                own.insert(id.clone());
            }
            records.push((usize::try_from(r.seq).unwrap_or(usize::MAX), id));
        }
    }
    Ok((Resume { done_rows, records }, own))
}

fn end(pool: &DbPool, iid: &str, to: &str, error: Option<&str>) {
    let ended = pool.get().map_err(|e| e.to_string()).and_then(|mut c| {
        store::finish(&mut c, iid, to, error, db::now()).map_err(|e| e.to_string())
    });
    if let Err(e) = ended {
        tracing::error!(import = %iid, error = %e, "could not record the end of an import");
    }
}

/// One look for imports whose lease ran out by `now`: takes each over that
/// no other node took first and runs it to its end, here. Returns how many
/// it took over.
pub fn tick(pool: &DbPool, now: NaiveDateTime) -> Result<usize, ApiError> {
    let before = now - LEASE;
    let mut c = pool
        .get()
        .map_err(|e| ApiError::unavailable(e.to_string()))?;
    let mut taken = 0;
    for iid in store::stale(&mut c, before)? {
        if !db::write_tx(&mut c, |c| store::take_over(c, &iid, before, db::now()))? {
            continue;
        }
        taken += 1;
        let Some(imp) = store::get_running(&mut c, &iid)? else {
            continue;
        };
        let via = match imp.api_key_id {
            Some(id) => Via::ApiKey { id },
            None => Via::Session,
        };
        let Some(auth) = principal::load(&mut c, &imp.created_by, via)? else {
            tracing::warn!(import = %iid, "the user who started the import is not active any more");
            end(
                pool,
                &iid,
                status::FAILED,
                Some("stopped: the user who started it is not active any more"),
            );
            continue;
        };
        tracing::info!(import = %iid, done_rows = imp.done_rows, "resuming an import whose node stopped");
        drive(pool, &auth, &iid, None);
    }
    Ok(taken)
}

/// Looks for imports to take over now and every half minute. Every node
/// runs this.
pub fn resume_periodically(pool: DbPool) {
    std::thread::spawn(move || {
        loop {
            if let Err(e) = tick(&pool, db::now()) {
                tracing::warn!(error = ?e, "looking for imports to resume failed; will retry");
            }
            std::thread::sleep(LOOK_EVERY);
        }
    });
}
