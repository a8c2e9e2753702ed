//! Callers cached on each API node, so a request need not load the user,
//! roles, grants and organisation trees (about six queries) every time.
//!
//! Correctness rests on the database's access epoch (`access_epoch`), which
//! triggers bump in the same transaction as any change to users, roles,
//! grants, organisation units or API keys. A request reads the epoch first
//! (one small query), and an entry is used only if it was loaded under that
//! same epoch; anything loaded under an older one is dropped. So a
//! deactivation, a role change or a revoked key acts on the very next request,
//! on every node sharing the database. Reading the epoch *before* loading
//! means a change that commits while an entry is loaded leaves the entry
//! under an epoch that is already stale.

use crate::auth::principal::{Auth, Via};
use crate::repo::api_keys::ActiveKey;
use std::collections::HashMap;
use std::sync::Mutex;

/// Beyond this many callers the cache starts over rather than grow.
const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
pub struct PrincipalCache(Mutex<Entries>);

#[derive(Default)]
struct Entries {
    epoch: i64,
    /// By user id; `via` is set per request.
    users: HashMap<String, Auth>,
    /// By the key's hash.
    keys: HashMap<String, ActiveKey>,
}

impl Entries {
    /// Moves to `epoch` if it is newer; whether entries may be used and stored at it.
    fn at(&mut self, epoch: i64) -> bool {
        if epoch > self.epoch {
            self.epoch = epoch;
            self.users.clear();
            self.keys.clear();
        }
        epoch == self.epoch
    }

    fn make_room(&mut self) {
        if self.users.len() + self.keys.len() >= MAX_ENTRIES {
            self.users.clear();
            self.keys.clear();
        }
    }
}

impl PrincipalCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // a panic while holding the lock leaves nothing half-written worth refusing
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The user as loaded under `epoch`, acting `via`.
    pub fn user(&self, epoch: i64, user_id: &str, via: Via) -> Option<Auth> {
        let mut e = self.lock();
        if !e.at(epoch) {
            return None;
        }
        e.users.get(user_id).map(|a| Auth { via, ..a.clone() })
    }

    pub fn put_user(&self, epoch: i64, auth: &Auth) {
        let mut e = self.lock();
        if e.at(epoch) {
            e.make_room();
            e.users.insert(auth.user_id().to_owned(), auth.clone());
        }
    }

    /// The key with this hash as found under `epoch`.
    pub fn key(&self, epoch: i64, hash: &str) -> Option<ActiveKey> {
        let mut e = self.lock();
        if !e.at(epoch) {
            return None;
        }
        e.keys.get(hash).cloned()
    }

    pub fn put_key(&self, epoch: i64, hash: &str, key: &ActiveKey) {
        let mut e = self.lock();
        if e.at(epoch) {
            e.make_room();
            e.keys.insert(hash.to_owned(), key.clone());
        }
    }
}
