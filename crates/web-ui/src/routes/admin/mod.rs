//! Administration: users, the organisation, roles and API keys.

pub mod api_keys;
pub mod duplicates;
pub mod org;
mod org_units;
pub mod pool;
pub mod roles;
pub mod transfer;
mod user_form;
pub mod users;

use serde::Deserialize;

use crate::i18n::I18n;
use crate::session::Session;

pub use crate::api::{Page as List, Unit};

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub is_active: bool,
    #[serde(default)]
    pub team_id: Option<String>,
    #[serde(default)]
    pub partner_id: Option<String>,
    #[serde(default)]
    pub role_ids: Vec<String>,
    #[serde(default)]
    pub region_ids: Vec<String>,
    #[serde(default)]
    pub product_line_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Grant {
    pub resource: String,
    pub action: String,
    pub scope: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RoleOut {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub is_builtin: bool,
    #[serde(default)]
    pub grants: Vec<Grant>,
    pub version: i64,
}

/// The If-Match value for a record read from a list (the API's ETag is its quoted version).
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// A role's name in the reader's language (built-in roles are translated).
pub fn role_name(i18n: I18n, id: &str, name: &str) -> String {
    i18n.try_t(&format!("role-{id}"))
        .unwrap_or_else(|| name.to_owned())
}

/// Units in tree order (parents before children, names sorted), with their depth.
pub fn tree(units: &[Unit]) -> Vec<(Unit, usize)> {
    fn walk(units: &[Unit], parent: Option<&str>, depth: usize, out: &mut Vec<(Unit, usize)>) {
        let mut kids: Vec<&Unit> = units
            .iter()
            .filter(|u| u.parent_id.as_deref() == parent)
            .collect();
        kids.sort_by(|a, b| a.name.cmp(&b.name));
        for k in kids {
            out.push((k.clone(), depth));
            if depth < 32 {
                walk(units, Some(&k.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(units.len());
    walk(units, None, 0, &mut out);
    // Units whose parent is not visible still appear, at the top level.
    for u in units {
        if !out.iter().any(|(o, _)| o.id == u.id) {
            out.push((u.clone(), 0));
        }
    }
    out
}

/// `id` and every unit below it (they cannot become its parent).
pub fn subtree(units: &[Unit], id: &str) -> Vec<String> {
    let mut out = vec![id.to_owned()];
    let mut i = 0;
    while i < out.len() {
        let cur = out[i].clone();
        out.extend(
            units
                .iter()
                .filter(|u| u.parent_id.as_deref() == Some(cur.as_str()))
                .map(|u| u.id.clone()),
        );
        i += 1;
    }
    out
}

/// An option label indented to show the tree in a `<select>`.
pub fn indented(name: &str, depth: usize) -> String {
    format!("{}{name}", "\u{a0}\u{a0}\u{a0}".repeat(depth))
}

/// Names for ids: everything the user screens pick from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Directory {
    pub roles: Vec<RoleOut>,
    pub teams: Vec<Unit>,
    pub regions: Vec<Unit>,
    pub product_lines: Vec<Unit>,
    pub partners: Vec<Unit>,
}

impl Directory {
    pub async fn load(session: Session) -> Result<Self, crate::api::ApiError> {
        Ok(Self {
            roles: session.get_json::<List<RoleOut>>("/roles").await?.data,
            teams: session.get_json::<List<Unit>>("/teams").await?.data,
            regions: session.get_json::<List<Unit>>("/regions").await?.data,
            product_lines: session.get_json::<List<Unit>>("/product-lines").await?.data,
            partners: session.get_json::<List<Unit>>("/partners").await?.data,
        })
    }
}

/// The name of the unit `id` in `units`, or the id itself when it is unknown.
pub fn unit_name(units: &[Unit], id: &str) -> String {
    units
        .iter()
        .find(|u| u.id == id)
        .map_or_else(|| id.to_owned(), |u| u.name.clone())
}
