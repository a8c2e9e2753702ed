//! Merging two customers: what the caller picks.

use kehu_domain::merge::{Field, Pick};
use serde::Deserialize;
use utoipa::ToSchema;

/// Whose value a single-valued field keeps.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnePick {
    Survivor,
    Other,
}

/// Whose items a list (or the notes) keeps; `both`: every distinct item.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListPick {
    Survivor,
    Other,
    Both,
}

/// Per field, whose value the survivor keeps. Unsent fields take the
/// default: the survivor's value where it has one, else the other's; both
/// for lists and notes; the lifecycle stage further along.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeFields {
    pub name: Option<OnePick>,
    pub kind: Option<OnePick>,
    pub lifecycle_stage: Option<OnePick>,
    pub industry: Option<OnePick>,
    pub source: Option<OnePick>,
    pub region_id: Option<OnePick>,
    pub product_line_ids: Option<ListPick>,
    pub owner_id: Option<OnePick>,
    pub team_id: Option<OnePick>,
    pub partner_id: Option<OnePick>,
    pub tags: Option<ListPick>,
    pub phones: Option<ListPick>,
    pub emails: Option<ListPick>,
    pub address: Option<OnePick>,
    pub notes: Option<ListPick>,
}

/// Merge another customer into this one (the survivor, in the path).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"other_id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f61", "other_version": 3, "fields": {"name": "survivor", "address": "other", "phones": "both"}, "drop_contact_ids": []}))]
pub struct MergeRequest {
    /// The duplicate to retire; its id leads to the survivor afterwards.
    pub other_id: String,
    /// The version (ETag number) of the duplicate as the caller last read it.
    #[schema(minimum = 1)]
    pub other_version: i64,
    #[serde(default)]
    pub fields: MergeFields,
    /// Contacts of the duplicate not to keep: they go to the trash (under the
    /// survivor, restorable) instead of moving. Every other contact moves.
    #[serde(default)]
    pub drop_contact_ids: Vec<String>,
}

impl MergeFields {
    pub fn picks(&self) -> kehu_domain::merge::Picks {
        let one = |p: Option<OnePick>| {
            p.map(|p| match p {
                OnePick::Survivor => Pick::Survivor,
                OnePick::Other => Pick::Other,
            })
        };
        let list = |p: Option<ListPick>| {
            p.map(|p| match p {
                ListPick::Survivor => Pick::Survivor,
                ListPick::Other => Pick::Other,
                ListPick::Both => Pick::Both,
            })
        };
        let all = [
            (Field::Name, one(self.name)),
            (Field::Kind, one(self.kind)),
            (Field::LifecycleStage, one(self.lifecycle_stage)),
            (Field::Industry, one(self.industry)),
            (Field::Source, one(self.source)),
            (Field::Region, one(self.region_id)),
            (Field::ProductLines, list(self.product_line_ids)),
            (Field::Owner, one(self.owner_id)),
            (Field::Team, one(self.team_id)),
            (Field::Partner, one(self.partner_id)),
            (Field::Tags, list(self.tags)),
            (Field::Phones, list(self.phones)),
            (Field::Emails, list(self.emails)),
            (Field::Address, one(self.address)),
            (Field::Notes, list(self.notes)),
        ];
        kehu_domain::merge::Picks(
            all.into_iter()
                .filter_map(|(f, p)| p.map(|p| (f, p)))
                .collect(),
        )
    }
}

/// One field on which the two records differ.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct MergeDifference {
    /// The field's name, as in `fields` of the merge request.
    pub field: String,
    /// The survivor's value as the history shows it (lists joined with ", "); null: empty.
    pub survivor: Option<String>,
    /// The duplicate's value.
    pub other: Option<String>,
    /// What a merge picks unless told otherwise: `survivor`, `other` or `both`.
    pub proposed: String,
    /// Whether `both` may be picked (lists and notes).
    pub takes_both: bool,
}

/// What merging the duplicate into this customer would do, before it is done.
#[derive(Debug, serde::Serialize, ToSchema)]
#[schema(example = json!({"other_id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f61", "other_name": "华联超市", "other_version": 3, "differences": [{"field": "address", "survivor": null, "other": "上海市黄浦区南京东路1号", "proposed": "other", "takes_both": false}], "contacts_to_move": 2}))]
pub struct MergePreview {
    pub other_id: String,
    pub other_name: String,
    /// Send it back as `other_version` when merging.
    pub other_version: i64,
    /// The fields that differ, in form order; every other field is the same on both.
    pub differences: Vec<MergeDifference>,
    /// Live contacts of the duplicate, which move unless listed in `drop_contact_ids`.
    pub contacts_to_move: i64,
}

/// Which duplicate to compare with.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MergePreviewQuery {
    /// The duplicate that would be retired.
    #[param(pattern = "^[A-Za-z0-9_-]{1,64}$")]
    pub other_id: String,
}
