//! What a deal and a pipeline look like to the caller: the wire forms,
//! the deal page's detail with what the caller may do, and the reply.

use super::*;

pub(crate) fn out(r: OpportunityRecord) -> OpportunityOut {
    let row = r.row;
    OpportunityOut {
        probability_overridden: row.probability_override.is_some(),
        id: row.id,
        name: row.name,
        customer_id: row.customer_id,
        customer_name: r.customer_name,
        customer_deleted: r.customer_deleted,
        pipeline_id: row.pipeline_id,
        stage_id: row.stage_id,
        stage_name: r.stage_name,
        status: row.status,
        owner_id: row.owner_id,
        owner_name: r.owner_name,
        team_id: row.team_id,
        region_id: row.region_id,
        product_line_id: row.product_line_id,
        amount_minor: row.amount_minor,
        currency: row.currency,
        weighted_minor: row.weighted_minor,
        probability: row.probability,
        forecast_category: row.forecast_category,
        expected_close_on: row.expected_close_on,
        source_lead_id: row.source_lead_id,
        campaign: row.campaign,
        contact_ids: r.contact_ids,
        stage_entered_at: time(row.stage_entered_at),
        closed_on: row.closed_on,
        loss_reason_id: row.loss_reason_id,
        lost_to_competitor_id: row.lost_to_competitor_id,
        close_notes: row.close_notes,
        created_at: time(row.created_at),
        updated_at: time(row.updated_at),
        version: row.version,
    }
}

pub(crate) fn pipeline_out(p: &PipelineRecord) -> PipelineOut {
    PipelineOut {
        id: p.row.id.clone(),
        name: p.row.name.clone(),
        team_id: p.row.team_id.clone(),
        product_line_id: p.row.product_line_id.clone(),
        is_default: p.row.is_default,
        version: p.row.version,
        stages: p
            .stages
            .iter()
            .map(|s| StageOut {
                id: s.row.id.clone(),
                key: s.row.stage_key.clone(),
                name: s.row.name.clone(),
                position: s.row.position,
                kind: s.row.kind.clone(),
                probability: s.row.probability,
                forecast_category: s.row.forecast_category.clone(),
                stale_after_days: s.row.stale_after_days,
                checklist: s
                    .items
                    .iter()
                    .map(|i| ChecklistItemOut {
                        id: i.id.clone(),
                        label: i.label.clone(),
                        required: i.required,
                        position: i.position,
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub(crate) fn pipeline_of(c: &mut DbConnection, id: &str) -> Result<PipelineRecord, ApiError> {
    pipelines::get(c, id)?
        .ok_or_else(|| ApiError::internal(format!("pipeline {id} of a deal is missing")))
}

/// The caller's day in their zone: close dates are days where they are.
pub(crate) fn today(c: &mut DbConnection, auth: &Auth) -> Result<Date, ApiError> {
    let tz = zone::of_user(c, auth.user_id())?;
    Ok(zone::today(tz, chrono::Utc::now().timestamp()))
}

/// Everything the deal page shows, and what the caller may do.
pub(crate) fn detail(
    c: &mut DbConnection,
    auth: &Auth,
    r: OpportunityRecord,
) -> Result<OpportunityDetail, ApiError> {
    let oid = r.row.id.clone();
    let p = pipeline_of(c, &r.row.pipeline_id)?;
    let ticks = store::ticks(c, &oid)?;
    let stays = store::history(c, &oid)?;
    let comps = store::competitors_of(c, &oid)?;
    let cacts = store::competitor_activities(c, &oid)?;
    let contacts = store::contact_names(c, &r.contact_ids)?;
    let mut people: Vec<String> = ticks.iter().filter_map(|t| t.2.clone()).collect();
    people.extend(stays.iter().filter_map(|s| s.by_user_id.clone()));
    people.extend(cacts.iter().filter_map(|a| a.4.clone()));
    let names = store::user_names(c, &people)?;
    let mut stage_ids: Vec<String> = stays.iter().map(|s| s.stage_id.clone()).collect();
    stage_ids.extend(stays.iter().filter_map(|s| s.from_stage_id.clone()));
    let stage_names: HashMap<String, String> =
        pipelines::stage_names(c, &stage_ids)?.into_iter().collect();
    let now = db::now();
    let checklist = p
        .stages
        .iter()
        .flat_map(|s| s.items.iter())
        .map(|i| {
            let t = ticks.iter().find(|t| t.0 == i.id);
            DealChecklistItem {
                item_id: i.id.clone(),
                stage_id: i.stage_id.clone(),
                label: i.label.clone(),
                required: i.required,
                done_at: t.map(|t| time(t.1)),
                done_by_id: t.and_then(|t| t.2.clone()),
                done_by_name: t
                    .and_then(|t| t.2.as_ref())
                    .and_then(|u| names.get(u).cloned()),
            }
        })
        .collect();
    let micros = crate::repo::activities::micros;
    let history = stays
        .into_iter()
        .map(|s| StageStay {
            from_stage_name: s
                .from_stage_id
                .as_ref()
                .and_then(|f| stage_names.get(f).cloned()),
            from_stage_id: s.from_stage_id,
            stage_name: stage_names.get(&s.stage_id).cloned().unwrap_or_default(),
            stage_id: s.stage_id,
            entered_at: time(s.entered_at),
            left_at: s.left_at.map(time),
            seconds_in_stage: deal::seconds_in_stage(
                micros(s.entered_at),
                s.left_at.map(micros),
                micros(now),
            ),
            by_name: s.by_user_id.as_ref().and_then(|u| names.get(u).cloned()),
            by_id: s.by_user_id,
        })
        .collect();
    let competitors = comps
        .into_iter()
        .map(|k| DealCompetitorOut {
            activities: cacts
                .iter()
                .filter(|a| a.1 == k.competitor_id)
                .map(|a| CompetitorActivityOut {
                    id: a.0.clone(),
                    happened_on: a.2.clone(),
                    note: a.3.clone(),
                    by_name: a.4.as_ref().and_then(|u| names.get(u).cloned()),
                    created_at: time(a.5),
                })
                .collect(),
            competitor_id: k.competitor_id,
            name: k.name,
            strengths: k.strengths,
            weaknesses: k.weaknesses,
            status: k.status,
        })
        .collect();
    let update = store::allows(c, &oid, cond(auth, Action::Update))?;
    let status = Status::parse(&r.row.status).unwrap_or(Status::Open);
    let closed_on = r
        .row
        .closed_on
        .as_deref()
        .and_then(|d| Date::parse("closed_on", d).ok());
    let reopen = update
        && status != Status::Open
        && deal::may_reopen(status, closed_on, today(c, auth)?).is_ok()
        && deal::may_reopen_for(r.customer_deleted).is_ok();
    Ok(OpportunityDetail {
        deal: out(r),
        checklist,
        history,
        competitors,
        contacts: contacts
            .into_iter()
            .map(|(id, name)| ContactRef { id, name })
            .collect(),
        allowed: DealAllowed {
            update,
            close: update && status == Status::Open,
            reopen,
        },
    })
}

pub(crate) fn reply(status: StatusCode, d: OpportunityDetail) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(etag(d.deal.version))
        .json(d)
}
