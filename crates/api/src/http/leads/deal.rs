//! The opportunity a conversion may open for the new (or existing) customer:
//! in the pipeline of its product line or its owner's team, at the first
//! open stage, remembering the lead it came from and the lead's campaign.

use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::http::opportunities::{author, cond, derive};
use crate::http::wire::leads::ConvertOpportunity;
use crate::repo::customers::CustomerRecord;
use crate::repo::leads::LeadRow;
use crate::repo::opportunities::{self as deals, NewOpportunity, OpportunityRow};
use crate::repo::pipelines;
use kehu_domain::Invalid;
use kehu_domain::access::{Action, Resource};
use kehu_domain::opportunity::{RawOpportunity, Status, Terms};

/// Opens the deal within the caller's transaction and answers its id.
pub(super) fn open(
    c: &mut DbConnection,
    auth: &Auth,
    lead: &LeadRow,
    customer: &CustomerRecord,
    contact_id: Option<&str>,
    o: &ConvertOpportunity,
) -> Result<String, ApiError> {
    auth.require(Resource::Opportunity, Action::Create)?;
    let terms = Terms::create(RawOpportunity {
        name: Some(o.name.clone()),
        amount_minor: Some(o.amount_minor),
        currency: Some(o.currency.clone()),
        expected_close_on: Some(o.expected_close_on.clone()),
        probability: None,
        campaign: Some(lead.campaign.clone()),
    })
    .map_err(|Invalid(mut errs)| {
        for e in &mut errs {
            e.field = format!("opportunity.{}", e.field);
        }
        ApiError::from(Invalid(errs))
    })?;
    // the lead's owner works the deal; a lead from the queue, whoever converts it
    let owner_id = lead
        .owner_id
        .clone()
        .unwrap_or_else(|| auth.user_id().to_owned());
    let team_id = deals::team_of(c, &owner_id)?;
    let region_id = lead.region_id.clone().or(customer.row.region_id.clone());
    let product_line_id = lead.product_line_id.clone().or_else(|| {
        (customer.product_line_ids.len() == 1).then(|| customer.product_line_ids[0].clone())
    });
    let pid = pipelines::for_deal(c, product_line_id.as_deref(), team_id.as_deref())?
        .ok_or_else(|| ApiError::internal("no default pipeline"))?;
    let p = pipelines::get(c, &pid)?.ok_or_else(|| ApiError::internal("pipeline went missing"))?;
    let stage = p
        .first_open()
        .ok_or_else(|| ApiError::internal("a pipeline without an open stage"))?
        .clone();
    let now = db::now();
    let oid = db::new_id();
    let by = author(auth);
    let mut row = OpportunityRow {
        id: oid.clone(),
        name: terms.name.clone(),
        customer_id: customer.row.id.clone(),
        pipeline_id: p.row.id.clone(),
        stage_id: stage.row.id.clone(),
        status: Status::Open.as_str().to_owned(),
        owner_id,
        team_id,
        region_id,
        product_line_id,
        partner_id: customer.row.partner_id.clone(),
        amount_minor: terms.amount_minor,
        currency: terms.currency.as_str().to_owned(),
        expected_close_on: terms.expected_close_on.to_string(),
        probability: 0,
        probability_override: None,
        forecast_category: String::new(),
        weighted_minor: 0,
        forecast_on: String::new(),
        source_lead_id: Some(lead.id.clone()),
        campaign: terms.campaign.clone(),
        stage_entered_at: now,
        closed_on: None,
        closed_at: None,
        loss_reason_id: None,
        lost_to_competitor_id: None,
        close_notes: None,
        created_by: Some(auth.user_id().to_owned()),
        api_key_id: by.api_key_id.map(str::to_owned),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    derive(&mut row, &stage);
    let contact_ids: Vec<String> = contact_id.iter().map(|s| s.to_string()).collect();
    deals::insert(
        c,
        &NewOpportunity {
            row: &row,
            contact_ids: &contact_ids,
            by,
        },
    )?;
    crate::http::opportunities::audit::record(
        c,
        auth,
        &oid,
        kehu_domain::audit::Action::Create,
        &Vec::new(),
        &crate::http::opportunities::audit::fields(&row, &contact_ids),
    )?;
    if !deals::allows(c, &oid, cond(auth, Action::Create))? {
        return Err(ApiError::forbidden(
            "Your roles do not allow you to create an opportunity with this owner, region or product line.",
        ));
    }
    Ok(oid)
}
