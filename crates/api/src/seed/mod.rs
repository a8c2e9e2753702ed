//! `kehu seed`: a deterministic, realistic organisation of any size, for
//! benchmarks and for trying Kehu with years of data. The organisation goes
//! through the repositories; customers and contacts (`rows`) are bulk-loaded
//! through the concrete connection of each backend (`bulk`): COPY on
//! PostgreSQL, one transaction of prepared inserts without secondary indexes
//! on SQLite. The duplicate keys are generated with the rows, so nothing is
//! left for `kehu serve` to compute. Each customer gets one opportunity
//! (`deals`), and one customer in five a lead (`leads`).

mod bulk;
mod deals;
mod leads;
mod rows;

use crate::auth::password;
use crate::db::{self, DbConnection};
use crate::demo;
use crate::repo::{self, org::UnitKind, users::UserValues};
use std::time::Instant;

pub struct Report {
    pub customers: usize,
    pub contacts: usize,
    pub seconds: f64,
    /// Of `seconds`, those spent remaking indexes, foreign keys and
    /// statistics once the rows were in.
    pub rebuild_seconds: f64,
}

impl Report {
    pub fn rows_per_sec(&self) -> f64 {
        (self.customers + self.contacts) as f64 / self.seconds.max(1e-9)
    }
}

pub(crate) struct People {
    /// (user id, team id, region id)
    pub(crate) reps: Vec<(String, String, String)>,
    /// (user id, partner id)
    pub(crate) dealers: Vec<(String, String)>,
    pub(crate) leaves: Vec<String>,
    pub(crate) product_lines: Vec<String>,
    pub(crate) admin: String,
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
    let admin = people.admin.clone();
    let mut rows = rows::Generator::new(people, n, db::now());
    let (written_contacts, rebuild_seconds) = match c {
        DbConnection::Sqlite(inner) => bulk::sqlite(inner, &mut rows),
        DbConnection::Pg(inner) => bulk::postgres(inner, &mut rows),
    }
    .map_err(|e| e.to_string())?;
    deals::seed(c, &admin)?;
    leads::seed(c)?;
    Ok(Report {
        customers: n,
        contacts: written_contacts,
        seconds: start.elapsed().as_secs_f64(),
        rebuild_seconds,
    })
}

/// The indexes, triggers and foreign keys the seed drops from the tables it
/// loads in bulk, as (drop, create) statements: it must put them all back.
pub fn bulk_table_ddl(c: &mut DbConnection) -> Result<Vec<(String, String)>, String> {
    match c {
        DbConnection::Sqlite(inner) => bulk::sqlite_ddl(inner),
        DbConnection::Pg(inner) => bulk::pg_ddl(inner),
    }
    .map(|ds| ds.into_iter().map(|d| (d.drop, d.create)).collect())
    .map_err(|e| e.to_string())
}

fn diesel_err(e: String) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(e.into())
}
