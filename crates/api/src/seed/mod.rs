//! `kehu seed`: a deterministic, realistic organisation of any size, written
//! in batches through the concrete connection of each backend (multi-row
//! inserts do not go through the multi-backend connection), for benchmarks
//! and for trying Kehu with years of data.

use crate::auth::password;
use crate::db::schema::{contacts, customer_product_lines, customer_tags, customers};
use crate::db::{self, DbConnection};
use crate::demo::{self, Rng};
use crate::repo::{self, org::UnitKind, users::UserValues};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use kehu_domain::text::search_key;
use std::time::Instant;

/// Rows per INSERT: under both backends' limits on bound parameters.
const BATCH: usize = 1000;

pub struct Report {
    pub customers: usize,
    pub contacts: usize,
    pub seconds: f64,
}

impl Report {
    pub fn rows_per_sec(&self) -> f64 {
        (self.customers + self.contacts) as f64 / self.seconds.max(1e-9)
    }
}

macro_rules! insert_batch {
    ($c:expr, $table:expr, $rows:expr) => {
        match $c {
            DbConnection::Sqlite(inner) => diesel::insert_into($table).values($rows).execute(inner),
            DbConnection::Pg(inner) => diesel::insert_into($table).values($rows).execute(inner),
        }
    };
}

struct People {
    /// (user id, team id, region id)
    reps: Vec<(String, String, String)>,
    /// (user id, partner id)
    dealers: Vec<(String, String)>,
    leaves: Vec<String>,
    product_lines: Vec<String>,
    admin: String,
}

fn organisation(c: &mut DbConnection, hash: &str, reps_wanted: usize) -> Result<People, String> {
    let now = db::now();
    let e = |e: diesel::result::Error| e.to_string();
    let unit = |c: &mut DbConnection, kind: UnitKind, name: &str, parent: Option<&str>| {
        repo::org::insert(c, kind, &db::new_id(), name, parent, now).map(|r| r.id)
    };
    let mut leaves = Vec::new();
    let mut tops = Vec::new();
    for (top, subs) in [
        ("华东", &["上海", "江苏", "浙江"][..]),
        ("华南", &["广东", "福建"]),
        ("华北", &["北京", "天津"]),
    ] {
        let t = unit(c, UnitKind::Region, top, None).map_err(e)?;
        for s in subs {
            leaves.push(unit(c, UnitKind::Region, s, Some(&t)).map_err(e)?);
        }
        tops.push(t);
    }
    let mut teams = Vec::new();
    for (i, _) in leaves.iter().enumerate() {
        teams.push(unit(c, UnitKind::Team, &format!("销售{}组", i + 1), None).map_err(e)?);
    }
    let product_lines = ["打印机", "复印机", "电脑"]
        .iter()
        .map(|n| unit(c, UnitKind::ProductLine, n, None))
        .collect::<Result<Vec<_>, _>>()
        .map_err(e)?;
    let partners = (1..=3)
        .map(|i| unit(c, UnitKind::Partner, &format!("经销商{i}"), None))
        .collect::<Result<Vec<_>, _>>()
        .map_err(e)?;
    let user = |c: &mut DbConnection,
                email: String,
                role: &str,
                team: Option<&String>,
                region: Option<&String>,
                partner: Option<&String>| {
        let v = UserValues {
            email_key: email.clone(),
            display_name: email.split('@').next().unwrap_or_default().to_owned(),
            email,
            is_active: true,
            team_id: team.cloned(),
            partner_id: partner.cloned(),
            locale: None,
            role_ids: vec![role.to_owned()],
            region_ids: region.into_iter().cloned().collect(),
            product_line_ids: vec![],
        };
        repo::users::insert(c, &db::new_id(), &v, hash, now).map(|u| u.row.id)
    };
    let admin = user(c, "admin@seed.example".into(), "admin", None, None, None).map_err(e)?;
    for (i, t) in tops.iter().enumerate() {
        user(
            c,
            format!("manager{i}@seed.example"),
            "sales_manager",
            None,
            Some(t),
            None,
        )
        .map_err(e)?;
    }
    let mut reps = Vec::new();
    for i in 0..reps_wanted {
        let (team, region) = (&teams[i % teams.len()], &leaves[i % leaves.len()]);
        let id = user(
            c,
            format!("rep{i}@seed.example"),
            "sales_rep",
            Some(team),
            Some(region),
            None,
        )
        .map_err(e)?;
        reps.push((id, team.clone(), region.clone()));
    }
    let mut dealers = Vec::new();
    for (i, p) in partners.iter().enumerate() {
        let id = user(
            c,
            format!("dealer{i}@seed.example"),
            "partner",
            None,
            None,
            Some(p),
        )
        .map_err(e)?;
        dealers.push((id, p.clone()));
    }
    Ok(People {
        reps,
        dealers,
        leaves,
        product_lines,
        admin,
    })
}

/// Generates `n` customers with one to five contacts each into an empty database.
pub fn run(c: &mut DbConnection, n: usize) -> Result<Report, String> {
    if repo::customers::count_all(c).map_err(|e| e.to_string())? > 0 {
        return Err("the database already has customers; seed an empty one".into());
    }
    let hash = password::hash(demo::PASSWORD)?;
    let start = Instant::now();
    let people = db::write_tx(c, |c| {
        organisation(c, &hash, (n / 5_000).max(7)).map_err(diesel_err)
    })
    .map_err(|e| e.to_string())?;
    let mut rng = Rng(0x5eed_0000_0000_0042);
    let now = db::now();
    let mut written_contacts = 0usize;
    let mut done = 0usize;
    while done < n {
        let size = BATCH.min(n - done);
        let mut cust = Vec::with_capacity(size);
        let mut tags = Vec::new();
        let mut lines = Vec::new();
        let mut people_rows = Vec::new();
        for i in done..done + size {
            let id = db::new_id();
            let (owner, team, region, partner) = match rng.below(10) {
                0..=5 => {
                    let (u, t, r) = &people.reps[rng.below(people.reps.len() as u64) as usize];
                    (Some(u.clone()), Some(t.clone()), r.clone(), None)
                }
                6 => {
                    let (u, p) = &people.dealers[rng.below(people.dealers.len() as u64) as usize];
                    (
                        Some(u.clone()),
                        None,
                        rng.pick(&people.leaves).clone(),
                        Some(p.clone()),
                    )
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
            let created: NaiveDateTime =
                now - Duration::minutes(rng.below(3 * 365 * 24 * 60) as i64);
            let updated = created + Duration::minutes(rng.below(30 * 24 * 60) as i64);
            let updated = updated.min(now);
            let tag = (rng.below(3) == 0).then(|| rng.pick(demo::TAGS).to_string());
            for p in &people.product_lines {
                if rng.below(3) == 0 {
                    lines.push((
                        customer_product_lines::customer_id.eq(id.clone()),
                        customer_product_lines::product_line_id.eq(p.clone()),
                    ));
                }
            }
            if let Some(t) = &tag {
                tags.push((
                    customer_tags::customer_id.eq(id.clone()),
                    customer_tags::tag.eq(t.clone()),
                ));
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
                people_rows.push((
                    contacts::id.eq(db::new_id()),
                    contacts::customer_id.eq(id.clone()),
                    contacts::search_text.eq(search_key(&[&person, &cphone, &cemail])),
                    contacts::name.eq(person),
                    contacts::title.eq(Some(rng.pick(demo::TITLES).to_string())),
                    contacts::phones.eq(format!("[\"{cphone}\"]")),
                    contacts::emails.eq(format!("[\"{cemail}\"]")),
                    contacts::created_by.eq(by.clone()),
                    contacts::created_at.eq(created),
                    contacts::updated_by.eq(by.clone()),
                    contacts::updated_at.eq(updated),
                    contacts::version.eq(1i64),
                ));
            }
            cust.push((
                customers::id.eq(id),
                customers::search_text.eq(search_key(&[
                    &name,
                    &phone,
                    &format!("+{digits}"),
                    &email,
                ])),
                customers::name.eq(name),
                customers::kind.eq(if rng.below(8) == 0 {
                    "person"
                } else {
                    "company"
                }),
                customers::industry.eq(Some(rng.pick(demo::INDUSTRIES).to_string())),
                customers::source.eq(Some(rng.pick(demo::SOURCES).to_string())),
                customers::region_id.eq(Some(region)),
                customers::owner_id.eq(owner),
                customers::team_id.eq(team),
                customers::partner_id.eq(partner),
                customers::lifecycle_stage.eq(rng.pick(demo::STAGES).to_string()),
                customers::tags.eq(tag.map_or_else(|| "[]".to_owned(), |t| format!("[\"{t}\"]"))),
                customers::phones.eq(format!("[\"{phone}\"]")),
                customers::emails.eq(format!("[\"{email}\"]")),
                customers::created_by.eq(by.clone()),
                customers::created_at.eq(created),
                customers::updated_by.eq(by),
                customers::updated_at.eq(updated),
                customers::version.eq(1i64),
            ));
        }
        written_contacts += people_rows.len();
        db::write_tx(c, |c| -> QueryResult<()> {
            insert_batch!(c, customers::table, &cust)?;
            for chunk in people_rows.chunks(BATCH) {
                insert_batch!(c, contacts::table, chunk)?;
            }
            if !tags.is_empty() {
                insert_batch!(c, customer_tags::table, &tags)?;
            }
            if !lines.is_empty() {
                insert_batch!(c, customer_product_lines::table, &lines)?;
            }
            Ok(())
        })
        .map_err(|e| e.to_string())?;
        done += size;
    }
    Ok(Report {
        customers: n,
        contacts: written_contacts,
        seconds: start.elapsed().as_secs_f64(),
    })
}

fn diesel_err(e: String) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(e.into())
}
