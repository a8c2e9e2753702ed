//! 合并: two records of one customer become one. The user picks, field by
//! field, whose value the survivor keeps; lists can keep both. Everything
//! else (contacts, history, later deals) follows the survivor; the other
//! record is retired and its id leads to the survivor.

use crate::customer::{
    Customer, LifecycleStage, MAX_EMAILS, MAX_PHONES, MAX_PRODUCT_LINES, MAX_TAGS,
};
use crate::error::{Collector, FieldError, Invalid};
use crate::lifecycle::Transition;
use crate::text;
use serde::{Deserialize, Serialize};

/// Whose value a field of the merged customer takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pick {
    /// The survivor's (the record that stays).
    Survivor,
    /// The retired record's.
    Other,
    /// Both: lists keep every distinct item, notes are joined.
    Both,
}

impl Pick {
    pub fn as_str(self) -> &'static str {
        match self {
            Pick::Survivor => "survivor",
            Pick::Other => "other",
            Pick::Both => "both",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Pick::Survivor, Pick::Other, Pick::Both]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// A field the user picks a value for, by its name on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Name,
    Kind,
    LifecycleStage,
    Industry,
    Source,
    Region,
    ProductLines,
    Owner,
    Team,
    Partner,
    Tags,
    Phones,
    Emails,
    Address,
    Notes,
}

impl Field {
    pub const ALL: [Field; 15] = [
        Field::Name,
        Field::Kind,
        Field::LifecycleStage,
        Field::Industry,
        Field::Source,
        Field::Region,
        Field::ProductLines,
        Field::Owner,
        Field::Team,
        Field::Partner,
        Field::Tags,
        Field::Phones,
        Field::Emails,
        Field::Address,
        Field::Notes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Kind => "kind",
            Field::LifecycleStage => "lifecycle_stage",
            Field::Industry => "industry",
            Field::Source => "source",
            Field::Region => "region_id",
            Field::ProductLines => "product_line_ids",
            Field::Owner => "owner_id",
            Field::Team => "team_id",
            Field::Partner => "partner_id",
            Field::Tags => "tags",
            Field::Phones => "phones",
            Field::Emails => "emails",
            Field::Address => "address",
            Field::Notes => "notes",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Whether `both` makes sense: lists keep every item, notes are joined.
    pub fn takes_both(self) -> bool {
        matches!(
            self,
            Field::ProductLines | Field::Tags | Field::Phones | Field::Emails | Field::Notes
        )
    }
}

/// The pick for every field (fields not listed keep the default of [`defaults`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Picks(pub Vec<(Field, Pick)>);

impl Picks {
    pub fn get(&self, f: Field) -> Option<Pick> {
        self.0.iter().rev().find(|(g, _)| *g == f).map(|(_, p)| *p)
    }

    /// Checks picks as a client sends them (field name → pick name); errors
    /// name `fields.<field>`.
    pub fn parse<'a>(raw: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, Invalid> {
        let mut c = Collector::new();
        let mut out = Vec::new();
        for (f, p) in raw {
            let at = format!("fields.{f}");
            let Some(field) = Field::parse(f) else {
                c.push(FieldError::new(
                    at,
                    "unknown_field",
                    "is not a field a merge picks a value for",
                ));
                continue;
            };
            match Pick::parse(p) {
                None => c.push(FieldError::new(
                    at,
                    "invalid_choice",
                    "must be survivor, other or both",
                )),
                Some(Pick::Both) if !field.takes_both() => c.push(FieldError::new(
                    at,
                    "invalid_choice",
                    "takes one value: survivor or other (both is for lists and notes)",
                )),
                Some(pick) => out.push((field, pick)),
            }
        }
        c.finish()?;
        Ok(Picks(out))
    }
}

/// Where a customer stands in the lifecycle, for choosing the default stage:
/// the further along, the more the company knows; churned counts lowest, as
/// the other record shows the customer still in touch.
fn progress(s: LifecycleStage) -> u8 {
    match s {
        LifecycleStage::Churned => 0,
        LifecycleStage::Prospect => 1,
        LifecycleStage::Interested => 2,
        LifecycleStage::Customer => 3,
        LifecycleStage::Vip => 4,
    }
}

/// What the merge form proposes before the user changes anything: the
/// survivor's value where it has one, else the other's; both for lists and
/// notes; the stage further along.
pub fn defaults(survivor: &Customer, other: &Customer) -> Picks {
    let keep_unless_empty = |s: bool| if s { Pick::Other } else { Pick::Survivor };
    let stage = if progress(other.lifecycle_stage) > progress(survivor.lifecycle_stage) {
        Pick::Other
    } else {
        Pick::Survivor
    };
    Picks(vec![
        (Field::Name, Pick::Survivor),
        (Field::Kind, Pick::Survivor),
        (Field::LifecycleStage, stage),
        (
            Field::Industry,
            keep_unless_empty(survivor.industry.is_none() && other.industry.is_some()),
        ),
        (
            Field::Source,
            keep_unless_empty(survivor.source.is_none() && other.source.is_some()),
        ),
        (
            Field::Region,
            keep_unless_empty(survivor.region_id.is_none() && other.region_id.is_some()),
        ),
        (Field::ProductLines, Pick::Both),
        (
            Field::Owner,
            keep_unless_empty(survivor.owner_id.is_none() && other.owner_id.is_some()),
        ),
        (
            Field::Team,
            keep_unless_empty(survivor.team_id.is_none() && other.team_id.is_some()),
        ),
        (
            Field::Partner,
            keep_unless_empty(survivor.partner_id.is_none() && other.partner_id.is_some()),
        ),
        (Field::Tags, Pick::Both),
        (Field::Phones, Pick::Both),
        (Field::Emails, Pick::Both),
        (
            Field::Address,
            keep_unless_empty(survivor.address.is_none() && other.address.is_some()),
        ),
        (Field::Notes, Pick::Both),
    ])
}

/// One field on which the two records differ, as the merge form shows it:
/// both values as the history writes them, and the proposed pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub field: Field,
    pub survivor: Option<String>,
    pub other: Option<String>,
    pub proposed: Pick,
}

/// The fields the user has a choice on, in form order: those whose values differ.
pub fn differences(survivor: &Customer, other: &Customer) -> Vec<Difference> {
    let (s, o) = (survivor.audit_fields(), other.audit_fields());
    let d = defaults(survivor, other);
    Field::ALL
        .into_iter()
        .filter_map(|f| {
            let value = |fs: &crate::audit::Fields| {
                fs.iter()
                    .find(|(n, _)| *n == f.as_str())
                    .and_then(|(_, v)| v.clone())
            };
            let (sv, ov) = (value(&s), value(&o));
            (sv != ov).then(|| Difference {
                field: f,
                survivor: sv,
                other: ov,
                proposed: d.get(f).unwrap_or(Pick::Survivor),
            })
        })
        .collect()
}

/// The merged customer, ready to be written over the survivor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub customer: Customer,
    /// The survivor's stage change, if the picked stage differs; recorded in
    /// its lifecycle history as the merging user's, with the merge as the
    /// reason. Any stage of the two may be picked: both are facts about the customer.
    pub stage_change: Option<Transition>,
}

fn one<T: Clone>(pick: Pick, s: &T, o: &T) -> T {
    match pick {
        Pick::Other => o.clone(),
        Pick::Survivor | Pick::Both => s.clone(),
    }
}

/// Every distinct item of both lists, the survivor's first; at most `max`.
fn union<T: Clone, K: PartialEq>(
    field: Field,
    pick: Pick,
    s: &[T],
    o: &[T],
    key: impl Fn(&T) -> K,
    max: usize,
) -> Result<Vec<T>, FieldError> {
    let out: Vec<T> = match pick {
        Pick::Other => o.to_vec(),
        Pick::Survivor => s.to_vec(),
        Pick::Both => {
            let mut v = s.to_vec();
            for item in o {
                if !v.iter().any(|x| key(x) == key(item)) {
                    v.push(item.clone());
                }
            }
            v
        }
    };
    if out.len() > max {
        return Err(FieldError::new(
            format!("fields.{}", field.as_str()),
            "too_many",
            format!(
                "together the two records have {} {}; at most {max} fit: pick one side, and edit the survivor afterwards",
                out.len(),
                field.as_str()
            ),
        ));
    }
    Ok(out)
}

fn notes(pick: Pick, s: &Option<String>, o: &Option<String>) -> Result<Option<String>, Invalid> {
    match (pick, s, o) {
        (Pick::Both, Some(a), Some(b)) if a.trim() != b.trim() => text::optional_multiline(
            "fields.notes",
            Some(&format!("{a}\n\n{b}")),
            text::NOTES_MAX,
        ),
        (Pick::Both, None, Some(b)) => Ok(Some(b.clone())),
        (p, s, o) => Ok(one(p, s, o)),
    }
}

/// Merges `other` into `survivor` by `picks` (fields not picked take
/// [`defaults`]). `reason` is what the stage history says moved the stage.
pub fn merge(
    survivor: &Customer,
    other: &Customer,
    picks: &Picks,
    reason: &str,
) -> Result<Merged, Invalid> {
    let d = defaults(survivor, other);
    let p = |f: Field| picks.get(f).or_else(|| d.get(f)).unwrap_or(Pick::Survivor);
    let (s, o) = (survivor, other);
    let mut c = Collector::new();
    let product_line_ids = keep(
        &mut c,
        union(
            Field::ProductLines,
            p(Field::ProductLines),
            &s.product_line_ids,
            &o.product_line_ids,
            |x| x.clone(),
            MAX_PRODUCT_LINES,
        ),
    );
    let tags = keep(
        &mut c,
        union(
            Field::Tags,
            p(Field::Tags),
            &s.tags,
            &o.tags,
            |t| t.as_str().to_lowercase(),
            MAX_TAGS,
        ),
    );
    let phones = keep(
        &mut c,
        union(
            Field::Phones,
            p(Field::Phones),
            &s.phones,
            &o.phones,
            // one number written two ways (+86, spaces, dashes) is one number
            |x| crate::dedup::phone_key(x.as_str()),
            MAX_PHONES,
        ),
    );
    let emails = keep(
        &mut c,
        union(
            Field::Emails,
            p(Field::Emails),
            &s.emails,
            &o.emails,
            |x| crate::dedup::email_key(x.as_str()),
            MAX_EMAILS,
        ),
    );
    let notes = c.take(notes(p(Field::Notes), &s.notes, &o.notes));
    c.finish()?;
    let customer = Customer {
        name: one(p(Field::Name), &s.name, &o.name),
        kind: one(p(Field::Kind), &s.kind, &o.kind),
        lifecycle_stage: one(
            p(Field::LifecycleStage),
            &s.lifecycle_stage,
            &o.lifecycle_stage,
        ),
        industry: one(p(Field::Industry), &s.industry, &o.industry),
        source: one(p(Field::Source), &s.source, &o.source),
        region_id: one(p(Field::Region), &s.region_id, &o.region_id),
        product_line_ids,
        owner_id: one(p(Field::Owner), &s.owner_id, &o.owner_id),
        team_id: one(p(Field::Team), &s.team_id, &o.team_id),
        partner_id: one(p(Field::Partner), &s.partner_id, &o.partner_id),
        tags,
        phones,
        emails,
        address: one(p(Field::Address), &s.address, &o.address),
        notes: notes.flatten(),
        // no pick for these yet: the survivor's date wins, the duplicate's fills a gap
        renewal_on: s.renewal_on.or(o.renewal_on),
        maintenance_on: s.maintenance_on.or(o.maintenance_on),
    };
    let stage_change = (customer.lifecycle_stage != s.lifecycle_stage).then(|| Transition {
        from: s.lifecycle_stage,
        to: customer.lifecycle_stage,
        reason: Some(reason.to_owned()),
        automatic: false,
    });
    Ok(Merged {
        customer,
        stage_change,
    })
}

fn keep<T>(c: &mut Collector, r: Result<Vec<T>, FieldError>) -> Vec<T> {
    r.unwrap_or_else(|e| {
        c.push(e);
        Vec::new()
    })
}

/// A merge needs two different records.
pub fn check_pair(survivor_id: &str, other_id: &str) -> Result<(), Invalid> {
    if survivor_id == other_id {
        return Err(Invalid::one(
            "other_id",
            "same_record",
            "a customer cannot be merged with itself: pick the duplicate to merge into this one",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
