//! The records the customer screens show, and the names behind their ids
//! (regions, product lines, users), fetched once per app session.

use std::cell::RefCell;
use std::sync::Arc;

pub use crate::api::{Page, Unit};
use serde::Deserialize;

use crate::api::ApiError;
use crate::session::Session;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub lifecycle_stage: String,
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub region_id: Option<String>,
    #[serde(default)]
    pub owner_id: Option<String>,
    /// Without an owner: whose pool it is in.
    #[serde(default)]
    pub team_id: Option<String>,
    #[serde(default)]
    pub product_line_ids: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// When the contract is up for renewal (`YYYY-MM-DD`).
    #[serde(default)]
    pub renewal_on: Option<String>,
    /// When the installed equipment is due for maintenance (`YYYY-MM-DD`).
    #[serde(default)]
    pub maintenance_on: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub updated_at: String,
    /// What the signed-in user may do with it, as the API says (single
    /// customers only; lists leave it out).
    #[serde(default)]
    pub allowed: Allowed,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Allowed {
    pub update: bool,
    pub delete: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Contact {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub version: i64,
    /// `YYYY-MM-DD`, or `--MM-DD` when the year is not known.
    #[serde(default)]
    pub birthday: Option<String>,
    /// 勿扰: channels not to use, with who set each and when.
    #[serde(default)]
    pub do_not_contact: Vec<DncMark>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DncMark {
    pub channel: String,
    #[serde(default)]
    pub set_by: Option<Named>,
    #[serde(default)]
    pub set_at: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Named {
    pub display_name: String,
}

impl Contact {
    /// Whether `channel` (`call`, `email`, `sms`, `mail`) may be used.
    pub fn may(&self, channel: &str) -> bool {
        !self.do_not_contact.iter().any(|m| m.channel == channel)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct User {
    pub id: String,
    pub display_name: String,
    #[serde(default)]
    pub is_active: bool,
}

#[derive(Debug, Deserialize)]
struct List<T> {
    data: Vec<T>,
}

/// Regions (as a tree, in display order with their depth), product lines and users.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lookups {
    pub regions: Vec<(Unit, usize)>,
    pub product_lines: Vec<Unit>,
    pub users: Vec<User>,
    pub teams: Vec<Unit>,
    pub partners: Vec<Unit>,
}

impl Lookups {
    fn name<'a>(units: impl Iterator<Item = (&'a str, &'a str)>, id: &str) -> Option<String> {
        units
            .into_iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| n.to_owned())
    }

    pub fn region(&self, id: &str) -> Option<String> {
        Self::name(
            self.regions
                .iter()
                .map(|(u, _)| (u.id.as_str(), u.name.as_str())),
            id,
        )
    }

    pub fn product_line(&self, id: &str) -> Option<String> {
        Self::name(
            self.product_lines
                .iter()
                .map(|u| (u.id.as_str(), u.name.as_str())),
            id,
        )
    }

    pub fn team(&self, id: &str) -> Option<String> {
        Self::name(
            self.teams.iter().map(|u| (u.id.as_str(), u.name.as_str())),
            id,
        )
    }

    pub fn partner(&self, id: &str) -> Option<String> {
        Self::name(
            self.partners
                .iter()
                .map(|u| (u.id.as_str(), u.name.as_str())),
            id,
        )
    }

    pub fn user(&self, id: &str) -> Option<String> {
        Self::name(
            self.users
                .iter()
                .map(|u| (u.id.as_str(), u.display_name.as_str())),
            id,
        )
    }
}

/// Orders units parent first, children below, each with its depth.
fn tree(units: Vec<Unit>) -> Vec<(Unit, usize)> {
    fn walk(all: &[Unit], parent: Option<&str>, depth: usize, out: &mut Vec<(Unit, usize)>) {
        for u in all.iter().filter(|u| u.parent_id.as_deref() == parent) {
            out.push((u.clone(), depth));
            if depth < 8 {
                walk(all, Some(&u.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(units.len());
    // roots are units without a parent, or whose parent is unknown
    let known = |id: &str| units.iter().any(|u| u.id == id);
    let roots: Vec<Unit> = units
        .iter()
        .filter(|u| u.parent_id.as_deref().is_none_or(|p| !known(p)))
        .cloned()
        .collect();
    for r in roots {
        let id = r.id.clone();
        out.push((r, 0));
        walk(&units, Some(&id), 1, &mut out);
    }
    out
}

thread_local! {
    static CACHE: RefCell<Option<Arc<Lookups>>> = const { RefCell::new(None) };
    /// A customer just deleted on its page, for the list to offer Undo.
    static UNDO: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// The lookups, fetched on first use. Users the caller may not list (a
/// partner) simply show no owner names.
pub async fn lookups(session: Session) -> Result<Arc<Lookups>, ApiError> {
    if let Some(l) = CACHE.with(|c| c.borrow().clone()) {
        return Ok(l);
    }
    let regions: List<Unit> = session.get_json("/regions").await?;
    let lines: List<Unit> = session.get_json("/product-lines").await?;
    let mut users = Vec::new();
    let mut cursor: Option<String> = None;
    // a few pages at most: owners beyond 1,000 users show as ids
    for _ in 0..5 {
        let path = match &cursor {
            Some(c) => format!("/users?limit=200&cursor={}", crate::api::encode(c)),
            None => "/users?limit=200".to_owned(),
        };
        match session.get_json::<Page<User>>(&path).await {
            Ok(p) => {
                users.extend(p.data);
                cursor = p.next_cursor;
            }
            Err(e) if e.status() == Some(403) => break,
            Err(e) => return Err(e),
        }
        if cursor.is_none() {
            break;
        }
    }
    let product_lines = lines.data;
    // those who may not read the organisation see ids instead of names
    let units = |path: &'static str| async move {
        match session.get_json::<List<Unit>>(path).await {
            Ok(l) => Ok(l.data),
            Err(e) if e.status() == Some(403) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    };
    let teams = units("/teams").await?;
    let partners = units("/partners").await?;
    let l = Arc::new(Lookups {
        regions: tree(regions.data),
        product_lines,
        users,
        teams,
        partners,
    });
    CACHE.with(|c| *c.borrow_mut() = Some(l.clone()));
    Ok(l)
}

/// Leaves (id, name) of a deleted customer for the list page.
pub fn hand_over_undo(id: String, name: String) {
    UNDO.with(|u| *u.borrow_mut() = Some((id, name)));
}

pub fn take_undo() -> Option<(String, String)> {
    UNDO.with(|u| u.borrow_mut().take())
}

/// Whether the signed-in user may give customers to others or to the pool.
pub fn may_assign(session: Session) -> bool {
    session.me_untracked().is_some_and(|m| {
        m.roles
            .iter()
            .any(|r| r.id == "admin" || r.id == "sales_manager")
    })
}

/// A value as people read it: names instead of ids, stages translated.
pub fn shown(i18n: crate::i18n::I18n, names: &Lookups, field: &str, v: &Option<String>) -> String {
    let Some(v) = v else { return "—".into() };
    match field {
        "owner_id" => names.user(v).unwrap_or_else(|| v.clone()),
        "region_id" => names.region(v).unwrap_or_else(|| v.clone()),
        "team_id" => names.team(v).unwrap_or_else(|| v.clone()),
        "partner_id" => names.partner(v).unwrap_or_else(|| v.clone()),
        "product_line_ids" => v
            .split(", ")
            .map(|p| names.product_line(p).unwrap_or_else(|| p.to_owned()))
            .collect::<Vec<_>>()
            .join(", "),
        "lifecycle_stage" => i18n.t(&format!("stage-{v}")),
        "kind" => i18n.t(&format!("kind-{v}")),
        _ => v.clone(),
    }
}
