//! Merging two customers: what follows the survivor, and how the retired
//! record keeps leading there. Each step runs inside the caller's transaction.

use crate::db::DbConnection;
use crate::db::schema::{
    audit_log, contacts, customer_collaborators as cc, customer_keys,
    customer_owner_changes as coc, customer_stage_changes as csc, customers,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Retires `other` into `survivor` if it is still at `version`: out of every
/// live read (deleted_at), its id leading to the survivor, no longer a
/// duplicate candidate. `false` when the version is not current.
pub fn retire(
    c: &mut DbConnection,
    other: &str,
    version: i64,
    survivor: &str,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        customers::table
            .filter(customers::id.eq(other))
            .filter(customers::deleted_at.is_null())
            .filter(customers::version.eq(version)),
    )
    .set((
        customers::deleted_at.eq(Some(now)),
        customers::merged_into_id.eq(Some(survivor)),
        customers::updated_by.eq(by),
        customers::updated_at.eq(now),
        customers::version.eq(version + 1),
    ))
    .execute(c)?;
    if n == 0 {
        return Ok(false);
    }
    // records merged into `other` before now lead to the survivor directly
    diesel::update(customers::table.filter(customers::merged_into_id.eq(other)))
        .set(customers::merged_into_id.eq(Some(survivor)))
        .execute(c)?;
    diesel::delete(customer_keys::table.filter(customer_keys::customer_id.eq(other))).execute(c)?;
    Ok(true)
}

/// The live contacts of a customer, for moving them.
pub fn live_contact_ids(c: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<String>> {
    contacts::table
        .filter(contacts::customer_id.eq(customer_id))
        .filter(contacts::deleted_at.is_null())
        .select(contacts::id)
        .order(contacts::id)
        .load(c)
}

/// Moves every contact (live or in the trash) of `other` to `survivor`, and
/// puts the live ones listed in `drop` in the trash, where they stay
/// restorable under the survivor.
pub fn move_contacts(
    c: &mut DbConnection,
    other: &str,
    survivor: &str,
    drop: &[String],
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if !drop.is_empty() {
        diesel::update(
            contacts::table
                .filter(contacts::customer_id.eq(other))
                .filter(contacts::id.eq_any(drop))
                .filter(contacts::deleted_at.is_null()),
        )
        .set((
            contacts::deleted_at.eq(Some(now)),
            contacts::version.eq(contacts::version + 1),
        ))
        .execute(c)?;
    }
    diesel::update(contacts::table.filter(contacts::customer_id.eq(other)))
        .set((
            contacts::customer_id.eq(survivor),
            contacts::updated_by.eq(by),
            contacts::updated_at.eq(now),
            contacts::version.eq(contacts::version + 1),
        ))
        .execute(c)?;
    Ok(())
}

/// The retired record's history (stage and owner changes, audit entries of
/// it and its contacts) shows on the survivor from now on; each audit entry
/// keeps the id of the record it was about.
pub fn move_history(c: &mut DbConnection, other: &str, survivor: &str) -> QueryResult<()> {
    diesel::update(csc::table.filter(csc::customer_id.eq(other)))
        .set(csc::customer_id.eq(survivor))
        .execute(c)?;
    diesel::update(coc::table.filter(coc::customer_id.eq(other)))
        .set(coc::customer_id.eq(survivor))
        .execute(c)?;
    diesel::update(audit_log::table.filter(audit_log::customer_id.eq(other)))
        .set(audit_log::customer_id.eq(Some(survivor)))
        .execute(c)?;
    Ok(())
}

/// Whoever collaborated on the retired record collaborates on the survivor.
pub fn move_collaborators(c: &mut DbConnection, other: &str, survivor: &str) -> QueryResult<()> {
    let theirs: Vec<String> = cc::table
        .filter(cc::customer_id.eq(other))
        .select(cc::user_id)
        .load(c)?;
    let ours: Vec<String> = cc::table
        .filter(cc::customer_id.eq(survivor))
        .select(cc::user_id)
        .load(c)?;
    for u in theirs.iter().filter(|u| !ours.contains(u)) {
        diesel::insert_into(cc::table)
            .values((cc::customer_id.eq(survivor), cc::user_id.eq(u)))
            .execute(c)?;
    }
    Ok(())
}

/// Where a retired id leads: the survivor it was merged into.
pub fn survivor_of(c: &mut DbConnection, id: &str) -> QueryResult<Option<String>> {
    Ok(customers::table
        .filter(customers::id.eq(id))
        .filter(customers::merged_into_id.is_not_null())
        .select(customers::merged_into_id)
        .first::<Option<String>>(c)
        .optional()?
        .flatten())
}
