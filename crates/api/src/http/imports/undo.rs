//! Taking an import back: all of it, or nothing when someone has changed
//! one of its records since (their work is not overwritten silently).

use super::super::customers::{Scoped, changed_by};
use super::engine::Before;
use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::repo::audit::{self as audit_log, Entity};
use crate::repo::contacts;
use crate::repo::customers::{self as store, Liveness, WriteOutcome};
use crate::repo::imports::{self as imports, ImportRow, status};
use kehu_domain::access::Action;
use kehu_domain::audit::{self, Action as AuditAction};
use kehu_domain::customer::CustomerKind;
use kehu_domain::date::Date;
use kehu_domain::text::{Email, Phone, Tag};
use std::collections::BTreeMap;

/// What the import did to one customer, over all its rows.
#[derive(Default)]
struct Touched {
    first_line: i64,
    created: bool,
    /// The fields before the import's first update.
    before: Option<String>,
    /// The version the import left.
    version: i64,
    /// Contacts it added to a customer it did not create.
    contacts: Vec<String>,
}

/// Undoes `imp` for `auth` in one transaction.
pub fn undo(c: &mut DbConnection, auth: &Auth, imp: &ImportRow) -> Result<(), ApiError> {
    match imp.status.as_str() {
        status::DONE | status::FAILED => {}
        status::UNDONE => return Err(ApiError::conflict("This import has been undone already.")),
        _ => return Err(ApiError::conflict("This import has not finished running.")),
    }
    let by = changed_by(auth);
    let tag = Some(imp.id.as_str());
    let update = Scoped::new(auth, Action::Update);
    db::write_tx(c, |c| {
        let mut touched: BTreeMap<String, Touched> = BTreeMap::new();
        for r in imports::touched(c, &imp.id)? {
            let Some(cid) = r.customer_id else { continue };
            let t = touched.entry(cid).or_insert_with(|| Touched {
                first_line: r.line,
                ..Touched::default()
            });
            t.created |= r.outcome == "created";
            if r.outcome == "updated" && t.before.is_none() && !t.created {
                t.before = r.before;
            }
            t.version = t.version.max(r.customer_version.unwrap_or(0));
            if !t.created {
                t.contacts.extend(r.contact_id);
            }
        }
        let now = db::now();
        let mut changed: Vec<i64> = Vec::new();
        // customers it created that have open deals now stay (see
        // `kehu_domain::opportunity::may_trash_customer`): nothing is undone
        let mut with_deals: Vec<(i64, u64)> = Vec::new();
        for (cid, t) in touched.iter().filter(|(_, t)| t.created) {
            let open = crate::repo::opportunities::open_of_customer(c, cid)?.max(0) as u64;
            if kehu_domain::opportunity::may_trash_customer(open).is_err() {
                with_deals.push((t.first_line, open));
            }
        }
        if !with_deals.is_empty() {
            with_deals.sort_unstable();
            let lines: Vec<String> = with_deals
                .iter()
                .take(20)
                .map(|(l, n)| format!("line {l}: {n}"))
                .collect();
            let more = if with_deals.len() > 20 { ", …" } else { "" };
            return Err(ApiError::conflict(format!(
                "Customers this import created have open deals ({}{more}); close the deals or merge the customers first, so nothing was undone.",
                lines.join(", "),
            )));
        }
        for (cid, t) in &touched {
            // the importer's update scope, also for what it created: taking
            // back one's own import, untouched since, is not deleting
            // someone's customer, so a rep without the right to delete may
            let cur = store::get(c, cid, update.cond(), Liveness::Live)?;
            if cur.as_ref().map(|r| r.row.version) != Some(t.version) {
                changed.push(t.first_line);
                continue;
            }
            if t.created {
                match store::set_deleted(
                    c,
                    cid,
                    true,
                    Some(t.version),
                    || update.cond(),
                    auth.user_id(),
                    now,
                )? {
                    WriteOutcome::Done(_) => {}
                    _ => changed.push(t.first_line),
                }
                audit_log::record_tagged(
                    c,
                    Entity::Customer,
                    cid,
                    cid,
                    AuditAction::Delete,
                    &[],
                    by,
                    now,
                    tag,
                )?;
                continue;
            }
            for ct in &t.contacts {
                match contacts::set_deleted(c, ct, true, || update.cond(), auth.user_id(), now)? {
                    WriteOutcome::Done(_) => {
                        audit_log::record_tagged(
                            c,
                            Entity::Contact,
                            ct,
                            cid,
                            AuditAction::Delete,
                            &[],
                            by,
                            now,
                            tag,
                        )?;
                    }
                    _ => changed.push(t.first_line),
                }
            }
            let (Some(before), Some(cur)) = (t.before.as_deref(), cur) else {
                continue;
            };
            let Ok(b) = serde_json::from_str::<Before>(before) else {
                continue;
            };
            let now_value = cur.to_domain();
            let mut restored = now_value.clone();
            restored.kind = CustomerKind::parse(&b.kind).unwrap_or(restored.kind);
            restored.industry = b.industry;
            restored.source = b.source;
            restored.address = b.address;
            restored.notes = b.notes;
            let date = |s: Option<String>| s.and_then(|s| Date::parse("date", &s).ok());
            restored.renewal_on = date(b.renewal_on);
            restored.maintenance_on = date(b.maintenance_on);
            restored.phones = b
                .phones
                .iter()
                .filter_map(|p| Phone::parse("phones", p).ok())
                .collect();
            restored.emails = b
                .emails
                .iter()
                .filter_map(|e| Email::parse("emails", e).ok())
                .collect();
            restored.tags = b
                .tags
                .iter()
                .filter_map(|x| Tag::parse("tags", x).ok())
                .collect();
            match store::update(
                c,
                cid,
                Some(t.version),
                &restored,
                || update.cond(),
                auth.user_id(),
                now,
            )? {
                WriteOutcome::Done(_) => {
                    let changes = audit::diff(&now_value.audit_fields(), &restored.audit_fields());
                    audit_log::record_tagged(
                        c,
                        Entity::Customer,
                        cid,
                        cid,
                        AuditAction::Update,
                        &changes,
                        by,
                        now,
                        tag,
                    )?;
                }
                _ => changed.push(t.first_line),
            }
        }
        if !changed.is_empty() {
            changed.sort_unstable();
            let lines: Vec<String> = changed.iter().take(20).map(|l| l.to_string()).collect();
            let more = if changed.len() > 20 { ", …" } else { "" };
            let at = if changed.len() == 1 { "line" } else { "lines" };
            return Err(ApiError::conflict(format!(
                "Records this import wrote were changed since ({at} {}{more}); undoing would overwrite those changes, so nothing was undone.",
                lines.join(", "),
            )));
        }
        if !imports::mark_undone(c, &imp.id, now)? {
            return Err(ApiError::conflict("This import has been undone already."));
        }
        Ok(())
    })
}
