//! Likely duplicates on the wire: in the 409 of a create or edit, and in the report.

use kehu_domain::dedup::Match;
use serde::Serialize;
use utoipa::ToSchema;

/// What a customer shares with the record being saved.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MatchedOn {
    Name,
    Phone,
    Email,
}

impl From<Match> for MatchedOn {
    fn from(m: Match) -> Self {
        match m {
            Match::Name => MatchedOn::Name,
            Match::Phone => MatchedOn::Phone,
            Match::Email => MatchedOn::Email,
        }
    }
}

/// The existing customers a record looks like (409 `/problems/duplicate`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "visible": [{"id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f60", "name": "上海华联超市有限公司", "lifecycle_stage": "customer", "owner_name": "李雷", "matched_on": ["name", "phone"]}],
    "hidden": [{"matched_on": ["email"], "ask": {"name": "韩梅梅", "email": "meimei@example.com"}}]
}))]
pub struct DuplicatesOut {
    /// Customers within the caller's scope: open one of them instead.
    pub visible: Vec<VisibleDuplicate>,
    /// Customers outside the caller's scope: only that each exists, what it
    /// shares, and whom to ask about it.
    pub hidden: Vec<HiddenDuplicate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VisibleDuplicate {
    pub id: String,
    pub name: String,
    #[schema(example = "customer")]
    pub lifecycle_stage: String,
    /// `null`: in the company pool.
    pub owner_name: Option<String>,
    pub matched_on: Vec<MatchedOn>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HiddenDuplicate {
    pub matched_on: Vec<MatchedOn>,
    /// The customer's owner; `null` when it is in a pool the caller cannot
    /// see, so an administrator is the one to ask.
    pub ask: Option<Person>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// Customers that share one normalised key (the duplicates report).
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicateGroupOut {
    pub matched_on: MatchedOn,
    /// The normalised key they share, e.g. `+8613800138000` or `上海华联超市`.
    pub key: String,
    /// The customers, within the caller's scope (at most 20 per group).
    pub customers: Vec<DuplicateMember>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicateMember {
    pub id: String,
    pub name: String,
    pub lifecycle_stage: String,
    pub owner_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicateReport {
    pub data: Vec<DuplicateGroupOut>,
    /// Pass as `after` for the next page; `null` on the last page. A page
    /// may hold fewer groups than `limit` (even none) when the caller's scope
    /// holds few of the duplicates; go on while there is a cursor.
    pub next_cursor: Option<String>,
}
