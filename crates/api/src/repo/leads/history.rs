//! A lead's history (审计): every write of a lead records, in its own
//! transaction, what changed — creation (by hand, import, API or web form),
//! edits, status changes and assignment (owner, queue), conversion and the
//! trash. The entries name no customer: a lead is read by its own scope.

use super::{LeadRow, Writer};
use crate::db::DbConnection;
use crate::repo::audit::{self as log, Entity};
use crate::repo::customers::stages::ChangedBy;
use chrono::NaiveDateTime;
use diesel::QueryResult;
use kehu_domain::audit::{self, Action, Fields};

/// A lead's fields as its history shows them (the score follows from them).
pub fn fields(r: &LeadRow) -> Fields {
    vec![
        ("name", Some(r.name.clone())),
        ("company", r.company.clone()),
        ("phone", r.phone.clone()),
        ("email", r.email.clone()),
        ("industry", r.industry.clone()),
        ("region_id", r.region_id.clone()),
        ("product_line_id", r.product_line_id.clone()),
        ("source", Some(r.source.clone())),
        ("campaign", r.campaign.clone()),
        ("notes", r.notes.clone()),
        ("status", Some(r.status.clone())),
        ("owner_id", r.owner_id.clone()),
        ("team_id", r.team_id.clone()),
        ("form_id", r.form_id.clone()),
        ("rule_id", r.rule_id.clone()),
        ("converted_customer_id", r.converted_customer_id.clone()),
        ("converted_contact_id", r.converted_contact_id.clone()),
        (
            "converted_opportunity_id",
            r.converted_opportunity_id.clone(),
        ),
    ]
}

/// Records `action` on the lead: the fields that differ between `before`
/// (none: created) and `after` (none: deleted).
pub fn record(
    c: &mut DbConnection,
    before: Option<&LeadRow>,
    after: Option<&LeadRow>,
    action: Action,
    by: Writer<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let Some(id) = after.or(before).map(|r| r.id.clone()) else {
        return Ok(());
    };
    let changes = audit::diff(
        &before.map(fields).unwrap_or_default(),
        &after.map(fields).unwrap_or_default(),
    );
    log::record_without_customer(
        c,
        Entity::Lead,
        &id,
        action,
        &changes,
        ChangedBy {
            user_id: by.user_id,
            api_key_id: by.api_key_id,
        },
        now,
    )
}
