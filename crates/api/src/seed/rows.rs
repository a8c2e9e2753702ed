//! The generated customers and contacts, a batch at a time, in plain rows
//! that each backend's loader writes its own way. The random choices are made
//! in a fixed order from a fixed seed, so the same size gives the same data.

use super::People;
use crate::db;
use crate::demo::{self, Rng};
use chrono::{Duration, NaiveDateTime};
use kehu_domain::dedup::Keys;
use kehu_domain::text::search_key;

pub struct Customer {
    pub id: String,
    pub search_text: String,
    pub name: String,
    pub kind: &'static str,
    pub industry: &'static str,
    pub source: &'static str,
    pub region_id: String,
    pub owner_id: Option<String>,
    pub team_id: Option<String>,
    pub partner_id: Option<String>,
    pub lifecycle_stage: &'static str,
    pub tags: String,
    pub phones: String,
    pub emails: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub struct Contact {
    pub id: String,
    pub customer_id: String,
    pub search_text: String,
    pub name: String,
    pub title: &'static str,
    pub phones: String,
    pub emails: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Default)]
pub struct Batch {
    pub customers: Vec<Customer>,
    pub contacts: Vec<Contact>,
    /// (customer id, tag)
    pub tags: Vec<(String, &'static str)>,
    /// (customer id, product line id)
    pub product_lines: Vec<(String, String)>,
    /// (customer id, kind, key): the duplicate keys, as the domain makes them
    pub keys: Vec<(String, &'static str, String)>,
}

pub struct Generator {
    people: People,
    rng: Rng,
    now: NaiveDateTime,
    done: usize,
    total: usize,
}

impl Generator {
    pub fn new(people: People, total: usize, now: NaiveDateTime) -> Self {
        Self {
            people,
            rng: Rng(0x5eed_0000_0000_0042),
            now,
            done: 0,
            total,
        }
    }

    /// The next `size` customers (fewer at the end) with their contacts, or
    /// `None` when all are made.
    pub fn next_batch(&mut self, size: usize) -> Option<Batch> {
        if self.done >= self.total {
            return None;
        }
        let end = self.total.min(self.done + size);
        let mut b = Batch::default();
        for i in self.done..end {
            self.customer(i, &mut b);
        }
        self.done = end;
        Some(b)
    }

    fn customer(&mut self, i: usize, b: &mut Batch) {
        let (rng, people) = (&mut self.rng, &self.people);
        let id = db::new_id();
        let (owner, team, region, partner) = match rng.below(10) {
            0..=5 => {
                let (u, t, r) = &people.reps[rng.below(people.reps.len() as u64) as usize];
                (Some(u.clone()), Some(t.clone()), r.clone(), None)
            }
            6 => {
                let (u, p) = &people.dealers[rng.below(people.dealers.len() as u64) as usize];
                let region = rng.pick(&people.leaves).clone();
                (Some(u.clone()), None, region, Some(p.clone()))
            }
            _ => (None, None, rng.pick(&people.leaves).clone(), None),
        };
        let english = rng.below(4) == 0;
        let name = if english {
            format!(
                "{} {} {} {i}",
                rng.pick(demo::EN_CORE),
                rng.pick(demo::EN_TRADE),
                rng.pick(demo::EN_SUFFIX)
            )
        } else {
            format!(
                "{}{}{}{}",
                rng.pick(demo::CORE),
                i,
                rng.pick(demo::TRADE),
                rng.pick(demo::SUFFIX)
            )
        };
        let digits = format!("13{}{:08}", rng.below(10), rng.below(100_000_000));
        let phone = format!("+86 {} {} {}", &digits[..3], &digits[3..7], &digits[7..]);
        let email = format!("info@c{i}.example.com");
        let created = self.now - Duration::minutes(rng.below(3 * 365 * 24 * 60) as i64);
        let updated = (created + Duration::minutes(rng.below(30 * 24 * 60) as i64)).min(self.now);
        let tag = (rng.below(3) == 0).then(|| *rng.pick(demo::TAGS));
        for p in &people.product_lines {
            if rng.below(3) == 0 {
                b.product_lines.push((id.clone(), p.clone()));
            }
        }
        if let Some(t) = tag {
            b.tags.push((id.clone(), t));
        }
        let by = owner.clone().unwrap_or_else(|| people.admin.clone());
        for k in 0..(1 + rng.below(5)) {
            let person = if english {
                format!("{} {}", rng.pick(demo::EN_FIRST), rng.pick(demo::EN_LAST))
            } else {
                format!("{}{}", rng.pick(demo::SURNAMES), rng.pick(demo::GIVEN))
            };
            let cphone = format!("13{}{:08}", rng.below(10), rng.below(100_000_000));
            let cemail = format!("contact{k}@c{i}.example.com");
            b.contacts.push(Contact {
                id: db::new_id(),
                customer_id: id.clone(),
                search_text: search_key(&[&person, &cphone, &cemail]),
                name: person,
                title: rng.pick_copy(demo::TITLES),
                phones: format!("[\"{cphone}\"]"),
                emails: format!("[\"{cemail}\"]"),
                created_by: by.clone(),
                created_at: created,
                updated_at: updated,
            });
        }
        let search_text = search_key(&[&name, &phone, &format!("+{digits}"), &email]);
        for (kind, key) in Keys::of(&name, &[&phone], &[&email]).entries() {
            b.keys.push((id.clone(), kind.as_str(), key.to_owned()));
        }
        let kind = if rng.below(8) == 0 {
            "person"
        } else {
            "company"
        };
        b.customers.push(Customer {
            id,
            search_text,
            name,
            kind,
            industry: rng.pick_copy(demo::INDUSTRIES),
            source: rng.pick_copy(demo::SOURCES),
            region_id: region,
            owner_id: owner,
            team_id: team,
            partner_id: partner,
            lifecycle_stage: rng.pick_copy(demo::STAGES),
            tags: tag.map_or_else(|| "[]".to_owned(), |t| format!("[\"{t}\"]")),
            phones: format!("[\"{phone}\"]"),
            emails: format!("[\"{email}\"]"),
            created_by: by,
            created_at: created,
            updated_at: updated,
        });
    }
}
