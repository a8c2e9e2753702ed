//! A deal's history (审计): its fields as the log shows them, and the entry
//! every write of the deal leaves in the same transaction.

use super::*;
use crate::repo::audit::{self as log, Entity};
use kehu_domain::audit::{self, Action as Did, Fields};

/// A deal's fields as its history shows them; what is derived from the
/// stage (probability, category, weighted amount) follows from these.
pub(crate) fn fields(r: &OpportunityRow, contact_ids: &[String]) -> Fields {
    vec![
        ("name", Some(r.name.clone())),
        ("customer_id", Some(r.customer_id.clone())),
        ("pipeline_id", Some(r.pipeline_id.clone())),
        ("stage_id", Some(r.stage_id.clone())),
        ("status", Some(r.status.clone())),
        ("amount_minor", Some(r.amount_minor.to_string())),
        ("currency", Some(r.currency.clone())),
        ("expected_close_on", Some(r.expected_close_on.clone())),
        (
            "probability_override",
            r.probability_override.map(|p| p.to_string()),
        ),
        ("owner_id", Some(r.owner_id.clone())),
        ("team_id", r.team_id.clone()),
        ("region_id", r.region_id.clone()),
        ("product_line_id", r.product_line_id.clone()),
        ("contact_ids", audit::list(contact_ids)),
        ("source_lead_id", r.source_lead_id.clone()),
        ("campaign", r.campaign.clone()),
        ("closed_on", r.closed_on.clone()),
        ("loss_reason_id", r.loss_reason_id.clone()),
        ("lost_to_competitor_id", r.lost_to_competitor_id.clone()),
        ("close_notes", r.close_notes.clone()),
    ]
}

/// Records `action` on a deal in the caller's name: the fields that differ
/// between `before` and `after`.
pub(crate) fn record(
    c: &mut DbConnection,
    auth: &Auth,
    oid: &str,
    action: Did,
    before: &Fields,
    after: &Fields,
) -> Result<(), ApiError> {
    let changes = audit::diff(before, after);
    Ok(log::record_without_customer(
        c,
        Entity::Opportunity,
        oid,
        action,
        &changes,
        changed_by(auth),
        db::now(),
    )?)
}
