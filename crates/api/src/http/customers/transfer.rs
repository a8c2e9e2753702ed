//! Handing many customers over at once, when a rep leaves or changes
//! territory: to another user, a team's pool or the company pool, previewed,
//! all or nothing.

use super::{Scoped, changed_by};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::extract::Body;
use crate::http::wire::pool::{CustomerName, TransferBody, TransferOut};
use crate::repo;
use crate::repo::customers::owners::{self, OwnerChange};
use crate::repo::org::UnitKind;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use kehu_domain::FieldError;
use kehu_domain::access::{self, Action, Resource};
use kehu_domain::error::Collector;
use kehu_domain::ownership::{self, OwnerChangeKind, Transfer};

/// Move customers from one owner in one step — when a rep leaves or changes
/// territory: all of theirs that you may edit, or the ones listed, to another
/// user (`to_owner_id`), to a team's pool (`to_team_id`: no owner, the team's
/// members claim them, its managers assign them) or to the company pool
/// (neither). Send `preview: true` first to see what would move.
/// All or nothing: if any of them would end up outside what you may edit,
/// nothing moves. Each move is recorded as a `transfer` with the reason.
#[utoipa::path(post, path = "/api/v1/customers/transfers", tag = "pool", request_body = TransferBody,
    responses(
        (status = 200, description = "Moved (or, for a preview, what would move)", body = TransferOut),
        (status = 403, description = "You may not edit customers, or some would end up outside what you may edit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing reason, unknown or inactive users, an unknown team, both a user and a team, listed customers that are not the owner's within your scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn transfer(
    state: web::Data<AppState>,
    auth: Auth,
    body: Body<TransferBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Customer, Action::Update)?;
    let b = body.0;
    let preview = b.preview;
    let t = Transfer::parse(
        b.from_owner_id,
        b.customer_ids,
        b.to_owner_id,
        b.to_team_id,
        b.reason.as_deref(),
    )?;
    let out = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let mut col = Collector::new();
            let from_ok = repo::users::get(c, &t.from_owner_id)?.is_some();
            if !from_ok {
                col.push(FieldError::new("from_owner_id", "not_found", "no such user"));
            }
            let mut owner_team = None;
            if let Some(id) = t.to.owner_id() {
                match repo::users::get(c, id)? {
                    Some(u) if u.row.is_active => owner_team = u.row.team_id,
                    Some(_) => col.push(FieldError::new("to_owner_id", "inactive", "this user is deactivated")),
                    None => col.push(FieldError::new("to_owner_id", "not_found", "no such user")),
                }
            }
            if let Some(id) = t.to.team_id()
                && repo::org::get(c, UnitKind::Team, id)?.is_none()
            {
                col.push(FieldError::new("to_team_id", "not_found", "no such team"));
            }
            col.finish()?;
            let team = t.to.new_team(owner_team.as_deref());
            let upd = Scoped::new(&auth, Action::Update);
            let found = owners::transferable(
                c,
                &t.from_owner_id,
                t.customer_ids.as_deref(),
                upd.cond(),
                ownership::MAX_TRANSFER as i64,
            )?;
            if let Some(ids) = &t.customer_ids {
                let mut col = Collector::new();
                for (i, id) in ids.iter().enumerate() {
                    if !found.iter().any(|r| &r.row.id == id) {
                        col.push(FieldError::new(
                            format!("customer_ids[{i}]"),
                            "not_found",
                            "not a customer of from_owner_id that you may edit",
                        ));
                    }
                }
                col.finish()?;
            }
            let facts = owners::facts_with_owner(c, &found, t.to.owner_id(), team)?;
            let out_of_reach = facts
                .iter()
                .filter(|f| !access::may(&auth.subject, Resource::Customer, Action::Update, f))
                .count();
            if out_of_reach > 0 {
                return Err(ApiError::forbidden(format!(
                    "{out_of_reach} of these customers would end up outside what you may edit with this owner; nothing was moved."
                )));
            }
            let sample = found
                .iter()
                .take(20)
                .map(|r| CustomerName { id: r.row.id.clone(), name: r.row.name.clone() })
                .collect();
            let mut moved = 0;
            if !preview {
                let now = db::now();
                let to_team = t.to.team_id();
                for r in &found {
                    let done = owners::set_owner(
                        c,
                        &r.row.id,
                        Some(&t.from_owner_id),
                        t.to.owner_id(),
                        team,
                        auth.user_id(),
                        now,
                    )?;
                    if done {
                        let change = OwnerChange {
                            kind: OwnerChangeKind::Transfer,
                            from: Some(&t.from_owner_id),
                            to: t.to.owner_id(),
                            reason: Some(&t.reason),
                            team: to_team.map(|id| (r.row.team_id.as_deref(), id)),
                        };
                        owners::record(c, &r.row.id, &change, changed_by(&auth), now)?;
                        if let Some(to) = t.to.owner_id() {
                            crate::repo::activities::hand_over_open(
                                c,
                                &r.row.id,
                                &t.from_owner_id,
                                to,
                                now,
                            )?;
                            crate::repo::opportunities::hand_over_open(
                                c,
                                &r.row.id,
                                &t.from_owner_id,
                                to,
                                now,
                            )?;
                        }
                        moved += 1;
                    }
                }
            }
            Ok(TransferOut {
                moved,
                would_move: found.len(),
                skipped: if preview { 0 } else { found.len() - moved },
                sample,
                preview,
            })
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
