//! 销售预测: weighted and per-category amounts by period and group within
//! the caller's scope, quotas and attainment, and rep performance.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use chrono::{Datelike, Utc};
use reqwest::Method;
use serde_json::{Value, json};

fn first_of_month() -> String {
    let t = Utc::now().date_naive();
    format!("{:04}-{:02}-01", t.year(), t.month())
}

pub(crate) fn next_month_day(day: u32) -> String {
    let t = Utc::now().date_naive();
    let (y, m) = if t.month() == 12 {
        (t.year() + 1, 1)
    } else {
        (t.year(), t.month() + 1)
    };
    format!("{y:04}-{m:02}-{day:02}")
}

pub(crate) async fn deal(c: &Client, cid: &str, amount: i64, close: &str) -> (String, String) {
    let r = c
        .post(
            "/api/v1/opportunities",
            json!({"name": format!("Deal {amount}"), "customer_id": cid, "amount_minor": amount, "currency": "CNY", "expected_close_on": close}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    (r.id(), r.etag())
}

pub(crate) async fn post(c: &Client, path: &str, etag: &str, body: Value) -> crate::helpers::Resp {
    let r = c
        .send(Method::POST, path, Some(body), &[("if-match", etag)])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r
}

/// Ticks the default funnel's required items up to a win; the new etag.
pub(crate) async fn tick_required(c: &Client, deal: &str, mut etag: String) -> String {
    for item in [
        "stage-identify-1",
        "stage-qualify-1",
        "stage-qualify-2",
        "stage-plan-1",
        "stage-proposal-1",
    ] {
        let r = c
            .send(
                Method::PUT,
                &format!("/api/v1/opportunities/{deal}/checklist/{item}"),
                Some(json!({"done": true})),
                &[("if-match", &etag)],
            )
            .await;
        assert_eq!(r.status, 200, "{item}: {}", r.text);
        etag = r.etag();
    }
    etag
}

fn row<'a>(f: &'a Value, period: &str, group: &str) -> &'a Value {
    f["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["period"] == period && r["group_id"] == group)
        .unwrap_or_else(|| panic!("no row {period} {group} in {f}"))
}

async fn the_forecast_sums_by_period_and_owner_within_scope_with_quotas(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (other_id, other) = user("other@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let cid = create_customer(&rep, customer("A").with("region_id", json!(org.shanghai))).await;
    let oid = create_customer(&other, customer("B").with("region_id", json!(org.shanghai))).await;
    let this_month = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let month = &this_month[..7];
    let next = next_month_day(15);

    // the rep: 1,000 at 10 % this month, 2,000 at 10 % next month, and a 500 win today
    deal(&rep, &cid, 100_000, &this_month).await;
    deal(&rep, &cid, 200_000, &next).await;
    let (w, etag) = deal(&rep, &cid, 50_000, &next).await;
    let etag = tick_required(&rep, &w, etag).await;
    // dated by the test's (UTC) day: the rep's own day may already be tomorrow
    post(
        &rep,
        &format!("/api/v1/opportunities/{w}/win"),
        &etag,
        json!({"closed_on": this_month}),
    )
    .await;
    // a lost deal counts for nothing
    let (l, etag) = deal(&rep, &cid, 999_999, &this_month).await;
    post(
        &rep,
        &format!("/api/v1/opportunities/{l}/lose"),
        &etag,
        json!({"reason_id": "price"}),
    )
    .await;
    // the other rep's deal
    deal(&other, &oid, 300_000, &this_month).await;
    // a deal in another currency is another forecast
    rep.post(
        "/api/v1/opportunities",
        json!({"name": "USD", "customer_id": cid, "amount_minor": 7, "currency": "USD", "expected_close_on": this_month}),
    )
    .await;

    // quota for the rep this month
    let q = admin
        .send(
            Method::PUT,
            "/api/v1/quotas",
            Some(json!({"user_id": rep_id, "period": "month", "period_start": first_of_month(), "amount_minor": 100_000})),
            &[],
        )
        .await;
    assert_eq!(q.status, 200, "{}", q.text);

    let f = admin
        .get(&format!(
            "/api/v1/forecast?period=month&periods=2&from={this_month}"
        ))
        .await;
    assert_eq!(f.status, 200, "{}", f.text);
    let mine = row(&f.body, month, &rep_id);
    assert_eq!(mine["group_name"], "rep");
    assert_eq!(mine["count"], 2, "one open, one won; the lost one is out");
    assert_eq!(mine["pipeline_minor"], 100_000);
    assert_eq!(mine["closed_minor"], 50_000);
    assert_eq!(mine["weighted_minor"], 10_000 + 50_000);
    assert_eq!(mine["quota_minor"], 100_000);
    assert_eq!(mine["attainment_percent"], 50);
    assert_eq!(row(&f.body, month, &other_id)["weighted_minor"], 30_000);
    assert_eq!(row(&f.body, &next[..7], &rep_id)["weighted_minor"], 20_000);
    let totals = f.body["totals"].as_array().unwrap();
    assert_eq!(totals.len(), 2);
    assert_eq!(totals[0]["weighted_minor"], 90_000);

    // a rep's forecast holds only their own deals
    let own = rep
        .get(&format!("/api/v1/forecast?periods=2&from={this_month}"))
        .await;
    assert!(
        own.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["group_id"] == rep_id.as_str()),
        "{}",
        own.text
    );
    assert_eq!(own.body["totals"][0]["weighted_minor"], 60_000);

    // quarters fold the months; USD is its own forecast
    let qf = admin
        .get(&format!(
            "/api/v1/forecast?period=quarter&periods=1&from={this_month}"
        ))
        .await;
    assert!(
        qf.body["rows"][0]["period"]
            .as_str()
            .unwrap()
            .contains("-Q")
    );
    let usd = admin
        .get(&format!("/api/v1/forecast?currency=USD&from={this_month}"))
        .await;
    assert_eq!(usd.body["totals"][0]["pipeline_minor"], 7);

    // bad parameters are 400 naming the parameter
    for (qs, field) in [
        ("period=week", "period"),
        ("periods=13", "periods"),
        ("group=city", "group"),
        ("currency=usd", "currency"),
    ] {
        let r = admin.get(&format!("/api/v1/forecast?{qs}")).await;
        assert_eq!(r.problem(400)["errors"][0]["field"], field, "{qs}");
    }
    // quotas need one holder and a period's first day; reps may not set them
    let bad = admin
        .send(
            Method::PUT,
            "/api/v1/quotas",
            Some(json!({"period": "quarter", "period_start": "2026-11-01", "amount_minor": -1})),
            &[],
        )
        .await;
    assert_eq!(
        bad.problem(422).clone()["errors"].as_array().unwrap().len(),
        3
    );
    rep.send(
        Method::PUT,
        "/api/v1/quotas",
        Some(json!({"user_id": rep_id, "period": "month", "period_start": first_of_month(), "amount_minor": 1})),
        &[],
    )
    .await
    .problem(403);
}
db_test!(the_forecast_sums_by_period_and_owner_within_scope_with_quotas);

async fn performance_shows_win_rate_activity_and_stale_deals(app: TestApp) {
    let admin = app.admin().await;
    let cid = create_customer(&admin, customer("Perf Co")).await;
    let today = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let (a, etag) = deal(&admin, &cid, 1_000, &today).await;
    post(
        &admin,
        &format!("/api/v1/opportunities/{a}/lose"),
        &etag,
        json!({"reason_id": "no_budget"}),
    )
    .await;
    let (_b, _) = deal(&admin, &cid, 2_000, &today).await;
    // a visit on the customer
    let v = admin
        .post(
            &format!("/api/v1/customers/{cid}/activities"),
            json!({"kind": "visit", "done": true}),
        )
        .await;
    assert_eq!(v.status, 201, "{}", v.text);
    // the whole of the test's days, whatever the user's zone makes of today
    let p = admin
        .get("/api/v1/performance?from=2020-01-01&to=2099-12-31")
        .await;
    assert_eq!(p.status, 200, "{}", p.text);
    let me = &p.body["reps"][0];
    assert_eq!(me["lost"], 1);
    assert_eq!(me["won"], 0);
    assert_eq!(me["win_rate_percent"], 0);
    assert_eq!(me["open"], 1);
    assert_eq!(me["visits"], 1);
    assert_eq!(me["visits_per_open_deal_tenths"], 10);
    assert_eq!(p.body["conversion"][0]["stage_key"], "identify");
    assert_eq!(p.body["conversion"][0]["entered"], 2);
    assert_eq!(p.body["conversion"][0]["advanced"], 0);
    // a deal is stale once nothing happened for the given days: none here
    assert_eq!(me["stale"], 0);
    admin
        .get("/api/v1/performance?from=2026-12-01&to=2026-11-01")
        .await
        .problem(400);
}
db_test!(performance_shows_win_rate_activity_and_stale_deals);
