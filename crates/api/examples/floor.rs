//! The floor for `make bench`: the same repository calls the API makes for
//! each scenario, run directly against the database in one thread, without
//! HTTP, JSON or authentication. Prints `scenario,qps,p50_ms,p95_ms,p99_ms`.
//! `forecast_admin_raw` is the forecast's aggregate written by hand in SQL
//! over its rollup, the yardstick for what the repository's query costs;
//! `forecast_admin_scan` sums the deals themselves, what the rollup saves.
//!
//!     DATABASE_URL=… cargo run --release --example floor -- <seconds per scenario>

use kehu_api::auth::principal::Via;
use kehu_api::db::{self, DbConnection, DbUrl};
use kehu_api::repo::access_sql::customer_condition;
use kehu_api::repo::customers::{self, CustomerFilter, Liveness, Sort, SortKey};
use kehu_api::repo::{self};
use kehu_domain::access::{self, Action, Resource, Subject};
use kehu_domain::customer::{Creator, Customer, RawCustomer};
use std::time::{Duration, Instant};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn measure(name: &str, secs: f64, c: &mut DbConnection, mut f: impl FnMut(&mut DbConnection)) {
    let mut lat = Vec::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs_f64(secs) {
        let t = Instant::now();
        f(c);
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let qps = lat.len() as f64 / start.elapsed().as_secs_f64();
    println!(
        "{name},{qps:.0},{:.2},{:.2},{:.2}",
        percentile(&lat, 0.50),
        percentile(&lat, 0.95),
        percentile(&lat, 0.99)
    );
}

fn subject(c: &mut DbConnection, email: &str) -> Subject {
    let id = repo::users::id_by_email_key(c, email)
        .unwrap()
        .expect("seeded user");
    repo::principal::load(c, &id, Via::Session)
        .unwrap()
        .unwrap()
        .subject
}

#[derive(diesel::QueryableByName)]
#[expect(dead_code, reason = "read by the database, not by the measurement")]
struct Cell {
    #[diesel(sql_type = diesel::sql_types::Text)]
    month: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    owner: Option<String>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    amount: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    weighted: i64,
}

/// The window `make bench` asks the API for: twelve months from December 2025.
const FORECAST_FROM: &str = "2025-12-01";
const FORECAST_TO: &str = "2026-12-01";

/// The forecast's aggregate as the database could answer it, written by
/// hand: from the rollup (`cells`) or from the deals themselves.
fn forecast(c: &mut DbConnection, cells: bool) {
    use diesel::RunQueryDsl;
    let sql = if cells {
        format!(
            "SELECT month, owner_id AS owner, CAST(SUM(deals) AS BIGINT) AS n, \
             CAST(SUM(amount_minor) AS BIGINT) AS amount, CAST(SUM(weighted_minor) AS BIGINT) AS weighted \
             FROM forecast_cells WHERE currency = 'CNY' AND month >= '{}' AND month < '{}' \
             GROUP BY month, owner_id, forecast_category, status",
            &FORECAST_FROM[..7],
            &FORECAST_TO[..7]
        )
    } else {
        format!(
            "SELECT substr(forecast_on, 1, 7) AS month, owner_id AS owner, COUNT(*) AS n, \
             CAST(SUM(amount_minor) AS BIGINT) AS amount, CAST(SUM(weighted_minor) AS BIGINT) AS weighted \
             FROM opportunities WHERE currency = 'CNY' AND forecast_on >= '{FORECAST_FROM}' \
             AND forecast_on < '{FORECAST_TO}' AND status <> 'lost' \
             GROUP BY substr(forecast_on, 1, 7), owner_id, forecast_category, status"
        )
    };
    let rows: Vec<Cell> = diesel::sql_query(sql).load(c).unwrap();
    assert!(!rows.is_empty());
}

fn main() {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let url = DbUrl::parse(&std::env::var("DATABASE_URL").expect("DATABASE_URL")).unwrap();
    let pool = db::connect(&url, 1).unwrap();
    let mut c = pool.get().unwrap();
    let rep = subject(&mut c, "rep0@seed.example");
    let admin = subject(&mut c, "admin@seed.example");
    let read = |s: &Subject| access::predicate(s, Resource::Customer, Action::Read);
    let sort = Sort {
        key: SortKey::UpdatedAt,
        desc: true,
    };
    let all = CustomerFilter::default();
    let list = |c: &mut DbConnection, s: &Subject, f: &CustomerFilter| {
        customers::list(c, &read(s), f, sort, None, 51).unwrap();
    };
    let deals = |s: &Subject| {
        kehu_api::repo::forecast::Sources::of(&access::predicate(
            s,
            Resource::Opportunity,
            Action::Read,
        ))
    };
    let ask = kehu_api::repo::forecast::Ask {
        currency: "CNY",
        from: FORECAST_FROM,
        to: FORECAST_TO,
        group: kehu_api::repo::forecast::GroupBy::Owner,
        pipeline_id: None,
    };
    for (name, s) in [("forecast_admin", &admin), ("forecast_rep", &rep)] {
        measure(name, secs, &mut c, |c| {
            kehu_api::repo::forecast::cells(c, deals(s), &ask).unwrap();
        });
    }
    measure("forecast_admin_raw", secs, &mut c, |c| forecast(c, true));
    measure("forecast_admin_scan", secs, &mut c, |c| forecast(c, false));
    measure("list_rep", secs, &mut c, |c| list(c, &rep, &all));
    measure("list_admin", secs, &mut c, |c| list(c, &admin, &all));
    let filter = CustomerFilter {
        stage: Some("customer".into()),
        ..Default::default()
    };
    measure("filter_rep", secs, &mut c, |c| list(c, &rep, &filter));
    let search = CustomerFilter {
        q: Some("科技".into()),
        ..Default::default()
    };
    measure("search_rep", secs, &mut c, |c| list(c, &rep, &search));
    let one = customers::list(&mut c, &read(&rep), &all, sort, None, 1).unwrap();
    let id = one[0].row.id.clone();
    measure("get_rep", secs, &mut c, |c| {
        customers::get(c, &id, customer_condition(&read(&rep)), Liveness::Live)
            .unwrap()
            .unwrap();
    });
    let creator = Creator {
        user_id: rep.user_id.clone(),
        ..Default::default()
    };
    measure("create_rep", secs, &mut c, |c| {
        let raw = RawCustomer {
            name: Some("bench floor".into()),
            ..Default::default()
        };
        let v = Customer::create(raw, &creator).unwrap();
        customers::insert(c, &db::new_id(), &v, &rep.user_id, db::now()).unwrap();
    });
    let upd = access::predicate(&rep, Resource::Customer, Action::Update);
    measure("update_rep", secs, &mut c, |c| {
        let cur = customers::get(c, &id, customer_condition(&read(&rep)), Liveness::Live)
            .unwrap()
            .unwrap();
        let next = cur
            .to_domain()
            .patch(RawCustomer {
                notes: Some(Some("floor".into())),
                ..Default::default()
            })
            .unwrap();
        match customers::update(
            c,
            &id,
            Some(cur.row.version),
            &next,
            || customer_condition(&upd),
            &rep.user_id,
            db::now(),
        )
        .unwrap()
        {
            customers::WriteOutcome::Done(_) => {}
            _ => panic!("floor update failed"),
        }
    });
}
