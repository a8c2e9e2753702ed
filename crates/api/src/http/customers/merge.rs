//! 合并: merge a duplicate into the customer that stays.

use super::{Scoped, changed_by, check_refs, load_for, out_of_reach};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Kind, Problem};
use crate::http::extract::{Body, IfMatch, id};
use crate::http::org::stale;
use crate::http::wire::customers::CustomerOut;
use crate::http::wire::merge::{MergeDifference, MergePreview, MergePreviewQuery, MergeRequest};
use crate::repo::audit::Entity;
use crate::repo::customers::{self as store, Liveness, WriteOutcome, merge, owners, stages};
use crate::repo::{self};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::access::{self, Action, Resource};
use kehu_domain::audit::{self, Action as AuditAction, FieldChange};
use kehu_domain::ownership::OwnerChangeKind;

/// The duplicate as the caller may merge it: visible, deletable, not the survivor.
fn load_other(
    c: &mut db::DbConnection,
    auth: &Auth,
    survivor: &str,
    other: &str,
) -> Result<store::CustomerRecord, ApiError> {
    kehu_domain::merge::check_pair(survivor, other)?;
    match id(other).and_then(|oid| load_for(c, auth, &oid, Action::Delete, Liveness::Live)) {
        Err(e) if e.kind == Kind::NotFound => Err(ApiError::invalid(
            "other_id",
            "not_found",
            "no customer with this id within your scope",
        )),
        r => r,
    }
}

/// Compare this customer with a duplicate before merging: the fields that
/// differ, what a merge would pick, how many contacts would move.
#[utoipa::path(get, path = "/api/v1/customers/{id}/merge", tag = "customers",
    params(("id" = String, Path, description = "The customer that would stay"), MergePreviewQuery),
    responses(
        (status = 200, description = "The comparison", body = MergePreview),
        (status = 403, description = "Visible, but the caller may not edit this customer or delete the duplicate", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The duplicate does not exist for the caller, or is this customer (`other_id`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn merge_preview(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    q: web::Query<MergePreviewQuery>,
) -> Result<HttpResponse, ApiError> {
    let sid = id(&path)?;
    let other_id = q.into_inner().other_id;
    let out = db::run(&state.pool, move |c| {
        let cur = load_for(c, &auth, &sid, Action::Update, Liveness::Live)?;
        let other = load_other(c, &auth, &sid, &other_id)?;
        let contacts = merge::live_contact_ids(c, &other.row.id)?.len() as i64;
        let differences = kehu_domain::merge::differences(&cur.to_domain(), &other.to_domain())
            .into_iter()
            .map(|d| MergeDifference {
                field: d.field.as_str().to_owned(),
                survivor: d.survivor,
                other: d.other,
                proposed: d.proposed.as_str().to_owned(),
                takes_both: d.field.takes_both(),
            })
            .collect();
        Ok::<_, ApiError>(MergePreview {
            other_id: other.row.id,
            other_name: other.row.name,
            other_version: other.row.version,
            differences,
            contacts_to_move: contacts,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Merge a duplicate into this customer. The survivor (in the path) keeps the
/// values picked per field; the duplicate's contacts, history and
/// collaborators move to it; the duplicate is retired, and reading its id
/// afterwards redirects here. Needs the right to edit this customer and to
/// delete the duplicate.
#[utoipa::path(post, path = "/api/v1/customers/{id}/merge", tag = "customers", request_body = MergeRequest,
    params(("id" = String, Path, description = "The customer that stays"), ("If-Match" = String, Header, description = "ETag of the survivor from the last read")),
    responses(
        (status = 200, description = "Merged: the survivor as it is now", body = CustomerOut, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not edit the survivor or delete the duplicate, or the picked values move it out of reach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The survivor or the duplicate changed since the caller read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The duplicate does not exist for the caller (`other_id`), is the survivor itself, a picked combination does not fit (`fields.tags`, ...), or a contact to drop is not the duplicate's (`drop_contact_ids[i]`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn merge(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<MergeRequest>,
) -> Result<HttpResponse, ApiError> {
    let sid = id(&path)?;
    let asker = auth.clone();
    let req = body.0;
    let picks = req.fields.picks();
    let r = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let cur = load_for(c, &auth, &sid, Action::Update, Liveness::Live)?;
            let expected = if_match.against(cur.row.version);
            if cur.row.version != expected {
                return Err(stale(cur.row.version));
            }
            let other = load_other(c, &auth, &sid, &req.other_id)?;
            if other.row.version != req.other_version {
                return Err(ApiError::new(
                    Kind::PreconditionFailed,
                    format!(
                        "Someone else changed the duplicate (now version {}); reload it and merge again.",
                        other.row.version
                    ),
                ));
            }
            let oid = other.row.id.clone();
            let theirs = merge::live_contact_ids(c, &oid)?;
            let mut wrong = kehu_domain::error::Collector::new();
            for (i, d) in req.drop_contact_ids.iter().enumerate() {
                if !theirs.contains(d) {
                    wrong.push(kehu_domain::FieldError::new(
                        format!("drop_contact_ids[{i}]"),
                        "not_found",
                        "is not a contact of the duplicate",
                    ));
                }
            }
            wrong.finish()?;

            let before = cur.to_domain();
            let reason = format!("merged with {} ({oid})", other.row.name);
            let merged =
                kehu_domain::merge::merge(&before, &other.to_domain(), &picks, &reason)?;
            let next = merged.customer;
            check_refs(c, &next)?;
            let facts = store::facts_of(c, Some(&sid), &next)?;
            if !access::may(&auth.subject, Resource::Customer, Action::Update, &facts) {
                return Err(out_of_reach("move"));
            }

            let now = db::now();
            let by = auth.user_id();
            if !merge::retire(c, &oid, other.row.version, &sid, by, now)? {
                return Err(stale(other.row.version));
            }
            let upd = Scoped::new(&auth, Action::Update);
            let r = match store::update(
                c,
                &sid,
                (if_match.0 != IfMatch::ANY).then_some(expected),
                &next,
                || upd.cond(),
                by,
                now,
            )? {
                WriteOutcome::Done(r) => r,
                WriteOutcome::Stale(v) => return Err(stale(v)),
                WriteOutcome::NotFound => return Err(ApiError::not_found("customer")),
            };
            merge::move_history(c, &oid, &sid)?;
            merge::move_contacts(c, &oid, &sid, &req.drop_contact_ids, by, now)?;
            merge::move_collaborators(c, &oid, &sid)?;
            crate::repo::activities::move_to(c, &oid, &sid)?;
            crate::repo::opportunities::move_to(c, &oid, &sid)?;

            let who = changed_by(&auth);
            if let Some(t) = &merged.stage_change {
                stages::record(c, &sid, t, who, now)?;
            }
            if before.owner_id != next.owner_id {
                let change = owners::OwnerChange {
                    kind: OwnerChangeKind::Merge,
                    from: before.owner_id.as_deref(),
                    to: next.owner_id.as_deref(),
                    reason: Some(&reason),
                    team: None,
                };
                owners::record(c, &sid, &change, who, now)?;
            }
            let mut changes = audit::diff(&before.audit_fields(), &next.audit_fields());
            changes.push(FieldChange {
                field: "merged_from".into(),
                old: None,
                new: Some(format!("{} ({oid})", other.row.name)),
            });
            let log = |c: &mut db::DbConnection,
                       e: Entity,
                       eid: &str,
                       a: AuditAction,
                       ch: &[FieldChange]| {
                repo::audit::record(c, e, eid, &sid, a, ch, who, now)
            };
            log(c, Entity::Customer, &sid, AuditAction::Merge, &changes)?;
            let retired = [FieldChange {
                field: "merged_into".into(),
                old: None,
                new: Some(format!("{} ({sid})", next.name)),
            }];
            log(c, Entity::Customer, &oid, AuditAction::Merge, &retired)?;
            for contact in &theirs {
                let moved = [FieldChange {
                    field: "customer_id".into(),
                    old: Some(oid.clone()),
                    new: Some(sid.clone()),
                }];
                log(c, Entity::Contact, contact, AuditAction::Update, &moved)?;
                if req.drop_contact_ids.contains(contact) {
                    log(c, Entity::Contact, contact, AuditAction::Delete, &[])?;
                }
            }
            Ok(r)
        })
    })
    .await?;
    super::respond_allowed(&state, asker, actix_web::http::StatusCode::OK, r).await
}

/// Where a retired (merged) id leads, if the caller may see the survivor.
pub(super) fn redirect_target(
    c: &mut db::DbConnection,
    auth: &Auth,
    retired: &str,
) -> Result<Option<String>, ApiError> {
    let Some(survivor) = merge::survivor_of(c, retired)? else {
        return Ok(None);
    };
    let read = Scoped::new(auth, Action::Read);
    Ok(store::exists_visible(c, &survivor, read.cond())?.then_some(survivor))
}
