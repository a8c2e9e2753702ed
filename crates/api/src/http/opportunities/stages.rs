//! Moving a deal between open stages and ticking its checklist.

use super::*;

/// Move a deal to another open stage. Forward needs the required checklist
/// items of every stage it leaves behind; back is always allowed. The
/// probability returns to the new stage's default.
#[utoipa::path(post, path = "/api/v1/opportunities/{id}/move", tag = "opportunities", request_body = MoveBody,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Moved", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal, or not within the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The deal is closed; reopen it first", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an open stage of the deal's pipeline, or required checklist items are undone (one error per item, field `checklist.<item id>`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn move_stage(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Body<MoveBody>,
) -> Result<HttpResponse, ApiError> {
    let oid = id(&path)?;
    let to = non_empty(body.0.stage_id)
        .ok_or_else(|| ApiError::invalid("stage_id", "required", "is required"))?;
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        if cur.row.status != Status::Open.as_str() {
            return Err(ApiError::conflict_field(
                "stage_id",
                "already_closed",
                format!("the deal is {}; reopen it first", cur.row.status),
            ));
        }
        let p = pipeline_of(c, &cur.row.pipeline_id)?;
        let done: BTreeSet<String> = store::ticks(c, &oid)?.into_iter().map(|t| t.0).collect();
        match pipeline::check_move(&p.rules(), &cur.row.stage_id, &to, &done) {
            Ok(_) => {}
            Err(MoveRefused::UnknownStage) | Err(MoveRefused::ClosingStage) => {
                return Err(ApiError::invalid(
                    "stage_id",
                    "not_open_stage",
                    "must be an open stage of the deal's pipeline; close the deal to win or lose it",
                ));
            }
            Err(MoveRefused::SameStage) => {
                return Err(ApiError::invalid(
                    "stage_id",
                    "unchanged",
                    "the deal is already in this stage",
                ));
            }
            Err(MoveRefused::ChecklistIncomplete(items)) => {
                return Err(checklist_incomplete(&p, &items));
            }
        }
        let stage = p.stage(&to).expect("checked above").clone();
        let now = db::now();
        let mut next = cur.row.clone();
        next.stage_id = to.clone();
        next.stage_entered_at = now;
        next.probability_override = None;
        next.updated_at = now;
        derive(&mut next, &stage);
        let from = cur.row.stage_id.clone();
        let a = auth.clone();
        save_and_answer(c, &auth, &cur, &next, Did::Move, move |c| {
            store::enter_stage(c, &oid, Some(&from), &to, now, author(&a))?;
            Ok(())
        })
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}

/// Writes a part of the deal (a tick, a competitor) in a transaction that
/// also bumps the deal's version, so an ETag read before no longer
/// matches, and answers with the deal as it is now.
pub(crate) fn write_part(
    c: &mut DbConnection,
    auth: &Auth,
    cur: &OpportunityRecord,
    f: impl FnOnce(&mut DbConnection, chrono::NaiveDateTime) -> Result<(), ApiError>,
) -> Result<OpportunityDetail, ApiError> {
    let now = db::now();
    db::write_tx(c, |c| {
        if !store::touch(c, &cur.row.id, cur.row.version, now)? {
            return Err(stale(cur.row.version + 1));
        }
        f(c, now)
    })?;
    let r = visible(c, auth, &cur.row.id)?;
    detail(c, auth, r)
}

/// 422 naming each undone required item by its label and stage.
pub(crate) fn checklist_incomplete(p: &PipelineRecord, items: &[String]) -> ApiError {
    let errors: Vec<FieldError> = items
        .iter()
        .map(|i| {
            let (label, stage) = p
                .stages
                .iter()
                .find_map(|s| {
                    s.items
                        .iter()
                        .find(|x| &x.id == i)
                        .map(|x| (x.label.clone(), s.row.name.clone()))
                })
                .unwrap_or_default();
            FieldError::new(
                format!("checklist.{i}"),
                "checklist_incomplete",
                format!("“{label}” ({stage}) must be done first"),
            )
        })
        .collect();
    kehu_domain::Invalid(errors).into()
}

/// Tick or untick a checklist item of the deal's pipeline; who and when is recorded.
#[utoipa::path(put, path = "/api/v1/opportunities/{id}/checklist/{item_id}", tag = "opportunities", request_body = TickBody,
    params(("id" = String, Path), ("item_id" = String, Path), ("If-Match" = String, Header, description = "ETag from the last read")),
    responses(
        (status = 200, description = "Recorded", body = OpportunityDetail, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Visible, but the caller may not change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such deal or item", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since the ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`done` missing", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn tick(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Body<TickBody>,
) -> Result<HttpResponse, ApiError> {
    let (oid, item) = path.into_inner();
    let (oid, item) = (id(&oid)?, id(&item)?);
    let done = body
        .0
        .done
        .ok_or_else(|| ApiError::invalid("done", "required", "is required: true or false"))?;
    let d = db::run(&state.pool, move |c| {
        let cur = changeable(c, &auth, &oid, &if_match)?;
        let p = pipeline_of(c, &cur.row.pipeline_id)?;
        if !p
            .stages
            .iter()
            .any(|s| s.items.iter().any(|i| i.id == item))
        {
            return Err(ApiError::not_found("checklist item"));
        }
        write_part(c, &auth, &cur, |c, now| {
            Ok(store::tick(c, &oid, &item, done, now, author(&auth))?)
        })
    })
    .await?;
    Ok(reply(StatusCode::OK, d))
}
