//! A new deal, and the checks of what a deal names that updates share.

use super::*;

/// The ids a body names, checked: each must be an id, reported by place.
pub(crate) fn ids_of(c: &mut Collector, field: &str, ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, k) in ids.iter().enumerate() {
        match id(k) {
            Ok(k) if !out.contains(&k) => out.push(k),
            Ok(_) => {}
            Err(_) => c.push(FieldError::new(
                format!("{field}[{i}]"),
                "not_found",
                "no such record",
            )),
        }
    }
    out
}

/// Checks the org units and people a deal names.
pub(crate) fn check_refs(c: &mut DbConnection, row: &OpportunityRow) -> Result<(), ApiError> {
    let mut col = Collector::new();
    let one = |x: &Option<String>| x.iter().cloned().collect::<Vec<_>>();
    repo::org::check_refs(
        c,
        &mut col,
        [
            ("region_id", UnitKind::Region, one(&row.region_id)),
            ("team_id", UnitKind::Team, one(&row.team_id)),
            (
                "product_line_id",
                UnitKind::ProductLine,
                one(&row.product_line_id),
            ),
        ],
    )?;
    for m in repo::users::missing(c, std::slice::from_ref(&row.owner_id))? {
        col.push(FieldError::new(
            "owner_id",
            "not_found",
            format!("no user {m}"),
        ));
    }
    Ok(col.finish()?)
}

/// Create a deal with a customer the caller can see.
#[utoipa::path(post, path = "/api/v1/opportunities", tag = "opportunities", request_body = OpportunityCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create return the first answer instead of a duplicate")),
    responses(
        (status = 201, description = "Created", body = OpportunityDetail, headers(("ETag" = String, description = "Version"), ("Location" = String, description = "The new deal"))),
        (status = 403, description = "The caller may not create deals, or not with this owner, region or product line", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, e.g. an unknown customer or a stage of another pipeline", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: Body<OpportunityCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Opportunity, Action::Create)?;
    let Body(w, digest) = body;
    let mut col = Collector::new();
    let terms = col.take(Terms::create(RawOpportunity {
        name: w.name.clone(),
        amount_minor: w.amount_minor,
        currency: w.currency.clone(),
        expected_close_on: w.expected_close_on.clone(),
        probability: w.probability.map(Some),
        campaign: w.campaign.clone().map(Some),
    }));
    let cid = match w.customer_id.as_deref().map(id) {
        None => {
            col.push(FieldError::new("customer_id", "required", "is required"));
            None
        }
        Some(Err(_)) => {
            col.push(FieldError::new(
                "customer_id",
                "not_found",
                "no such customer",
            ));
            None
        }
        Some(Ok(k)) => Some(k),
    };
    let contact_ids = ids_of(&mut col, "contact_ids", &w.contact_ids);
    col.finish()?;
    let (terms, cid) = (terms.expect("checked"), cid.expect("checked"));
    let a = auth.clone();
    idempotency::once(&state, &auth, key, digest.0, move |c| {
        let oid = db::new_id();
        db::write_tx(c, |c| {
            let cust = crate::repo::customers::get(
                c,
                &cid,
                crate::http::customers::Scoped::new(&a, Action::Read).cond(),
                crate::repo::customers::Liveness::Live,
            )?
            .ok_or_else(|| ApiError::invalid("customer_id", "not_found", "no such customer"))?;
            let owner_id = match w.owner_id.as_deref().map(str::trim) {
                None | Some("") => a.user_id().to_owned(),
                Some(o) => o.to_owned(),
            };
            let owner_team = store::team_of(c, &owner_id)?;
            let team_id = non_empty(w.team_id.clone()).or(owner_team);
            let region_id = non_empty(w.region_id.clone()).or(cust.row.region_id.clone());
            let product_line_id = non_empty(w.product_line_id.clone()).or_else(|| {
                (cust.product_line_ids.len() == 1).then(|| cust.product_line_ids[0].clone())
            });
            let pid = match non_empty(w.pipeline_id.clone()) {
                Some(p) => p,
                None => pipelines::for_deal(c, product_line_id.as_deref(), team_id.as_deref())?
                    .ok_or_else(|| ApiError::internal("no default pipeline"))?,
            };
            let p = pipelines::get(c, &pid)?
                .ok_or_else(|| ApiError::invalid("pipeline_id", "not_found", "no such pipeline"))?;
            let stage = match non_empty(w.stage_id.clone()) {
                None => p.first_open(),
                Some(s) => Some(p.stage(&s).filter(|s| s.row.kind() == StageKind::Open).ok_or_else(
                    || {
                        ApiError::invalid(
                            "stage_id",
                            "not_found",
                            "must be an open stage of the pipeline; close a deal to win or lose it",
                        )
                    },
                )?),
            }
            .ok_or_else(|| ApiError::internal("a pipeline without an open stage"))?
            .clone();
            let missing = store::foreign_contacts(c, &cid, &contact_ids)?;
            if let Some(m) = missing.first() {
                let i = contact_ids.iter().position(|k| k == m).unwrap_or(0);
                return Err(ApiError::invalid(
                    &format!("contact_ids[{i}]"),
                    "not_found",
                    "no such contact of this customer",
                ));
            }
            let now = db::now();
            let mut row = OpportunityRow {
                id: oid.clone(),
                name: terms.name.clone(),
                customer_id: cid.clone(),
                pipeline_id: p.row.id.clone(),
                stage_id: stage.row.id.clone(),
                status: Status::Open.as_str().to_owned(),
                owner_id,
                team_id,
                region_id,
                product_line_id,
                partner_id: cust.row.partner_id.clone(),
                amount_minor: terms.amount_minor,
                currency: terms.currency.as_str().to_owned(),
                expected_close_on: terms.expected_close_on.to_string(),
                probability: 0,
                probability_override: terms.probability_override.map(|p| p.percent() as i32),
                forecast_category: String::new(),
                weighted_minor: 0,
                forecast_on: String::new(),
                source_lead_id: non_empty(w.source_lead_id.clone()),
                campaign: terms.campaign.clone(),
                stage_entered_at: now,
                closed_on: None,
                closed_at: None,
                loss_reason_id: None,
                lost_to_competitor_id: None,
                close_notes: None,
                created_by: Some(a.user_id().to_owned()),
                api_key_id: author(&a).api_key_id.map(str::to_owned),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            derive(&mut row, &stage);
            check_refs(c, &row)?;
            store::insert(
                c,
                &NewOpportunity {
                    row: &row,
                    contact_ids: &contact_ids,
                    by: author(&a),
                },
            )?;
            let contacts = store::contact_ids(c, &oid)?;
            audit::record(
                c,
                &a,
                &oid,
                Did::Create,
                &Vec::new(),
                &audit::fields(&row, &contacts),
            )?;
            if !store::allows(c, &oid, cond(&a, Action::Create))? {
                return Err(ApiError::forbidden(
                    "Your roles do not allow you to create an opportunity with this owner, region or product line.",
                ));
            }
            Ok::<_, ApiError>(())
        })?;
        let r = visible(c, &a, &oid)?;
        let d = detail(c, &a, r)?;
        Ok(Created {
            body: serde_json::to_value(d).map_err(|e| ApiError::internal(e.to_string()))?,
            location: format!("/api/v1/opportunities/{oid}"),
        })
    })
    .await
}
