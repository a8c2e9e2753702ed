//! The forecast's rollup (`forecast_cells`): it adds up to the deals after
//! every kind of deal write, and a bulk load's rebuild makes the same cells.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::forecast::{deal, next_month_day, post, tick_required};
use crate::helpers::TestApp;
use chrono::Utc;
use reqwest::Method;
use serde_json::json;

/// The forecast's rollup against the deals summed one by one, for the whole
/// company in every grouping: equal after any write, or the forecast lies.
fn rollup_holds(app: &TestApp, step: &str) {
    use crate::helpers::summed;
    use kehu_api::repo::forecast::{Ask, GroupBy, Sources, cells};
    use kehu_domain::access::Predicate;
    let pool = app.pool();
    let mut c = pool.get().unwrap();
    for currency in ["CNY", "USD"] {
        for group in [
            GroupBy::Owner,
            GroupBy::Team,
            GroupBy::Region,
            GroupBy::ProductLine,
        ] {
            for pipeline_id in [None, Some("default")] {
                let ask = Ask {
                    currency,
                    from: "2000-01-01",
                    to: "2100-01-01",
                    group,
                    pipeline_id,
                };
                let rolled = summed(cells(&mut c, Sources::of(&Predicate::True), &ask).unwrap());
                let deals =
                    summed(cells(&mut c, Sources::deals_only(&Predicate::True), &ask).unwrap());
                assert_eq!(rolled, deals, "after {step}: {currency} by {group:?}");
            }
        }
    }
}

async fn the_forecasts_rollup_follows_every_deal_write(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .team(&org.team_east)
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (other_id, _) = user("other@test.example", "sales_rep")
        .team(&org.team_east_sub)
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let mine = create_customer(&rep, customer("甲").with("region_id", json!(org.shanghai))).await;
    let theirs = create_customer(
        &admin,
        customer("乙")
            .with("owner_id", json!(other_id))
            .with("region_id", json!(org.shanghai))
            .with("partner_id", json!(org.dealer)),
    )
    .await;
    // the rep works the other rep's account with them
    app.exec(&format!(
        "INSERT INTO customer_collaborators (customer_id, user_id) VALUES ('{theirs}', '{rep_id}')"
    ));
    let today = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let next = next_month_day(10);
    let (a, a_tag) = deal(&rep, &mine, 100_000, &today).await;
    let (b, b_tag) = deal(&rep, &mine, 200_000, &next).await;
    let (x, x_tag) = deal(&admin, &theirs, 300_000, &today).await;
    // a deal the rep owns on the account they also collaborate on: in both
    // parts of their scope, counted once
    let both = admin
        .post(
            "/api/v1/opportunities",
            json!({"name": "both", "customer_id": theirs, "owner_id": rep_id, "amount_minor": 400_000,
                "currency": "USD", "expected_close_on": today, "product_line_id": org.printers}),
        )
        .await;
    assert_eq!(both.status, 201, "{}", both.text);
    rollup_holds(&app, "creating");
    let own = rep
        .get(&format!("/api/v1/forecast?periods=2&from={today}"))
        .await;
    let counted: i64 = own.body["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["count"].as_i64().unwrap())
        .sum();
    assert_eq!(counted, 3, "a, b and the collaborated deal: {}", own.text);
    let usd = rep
        .get(&format!("/api/v1/forecast?currency=USD&from={today}"))
        .await;
    assert_eq!(usd.body["totals"][0]["count"], 1, "{}", usd.text);

    // edits of what the forecast counts, and of what it does not
    let r = rep
        .patch(
            &format!("/api/v1/opportunities/{a}"),
            &a_tag,
            json!({"amount_minor": 150_000, "expected_close_on": next, "probability": 60}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let a_tag = r.etag();
    rollup_holds(&app, "an edit");
    let r = rep
        .patch(
            &format!("/api/v1/opportunities/{a}"),
            &a_tag,
            json!({"campaign": "spring"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    rollup_holds(&app, "an edit the forecast does not count");
    // a move, a win, a loss and a reopen
    let b_tag = tick_required(&rep, &b, b_tag).await;
    let b_tag = post(
        &rep,
        &format!("/api/v1/opportunities/{b}/move"),
        &b_tag,
        json!({"stage_id": "stage-plan"}),
    )
    .await
    .etag();
    rollup_holds(&app, "a move");
    post(
        &rep,
        &format!("/api/v1/opportunities/{b}/win"),
        &b_tag,
        json!({"closed_on": today, "amount_minor": 180_000}),
    )
    .await;
    rollup_holds(&app, "a win");
    let x_tag = post(
        &admin,
        &format!("/api/v1/opportunities/{x}/lose"),
        &x_tag,
        json!({"reason_id": "price"}),
    )
    .await
    .etag();
    rollup_holds(&app, "a loss");
    post(
        &admin,
        &format!("/api/v1/opportunities/{x}/reopen"),
        &x_tag,
        json!({}),
    )
    .await;
    rollup_holds(&app, "a reopen");
    // the customer handed over with its open deals, then merged away
    let r = admin
        .post(
            "/api/v1/customers/transfers",
            json!({"from_owner_id": rep_id, "to_owner_id": other_id, "reason": "rollup", "preview": false}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    rollup_holds(&app, "a transfer");
    let survivor = admin.get(&format!("/api/v1/customers/{theirs}")).await;
    let gone = admin.get(&format!("/api/v1/customers/{mine}")).await;
    let r = admin
        .send(
            Method::POST,
            &format!("/api/v1/customers/{theirs}/merge"),
            Some(json!({"other_id": mine, "other_version": gone.body["version"]})),
            &[("if-match", survivor.etag().as_str())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    rollup_holds(&app, "a merge");
    // a bulk load's rebuild makes the very cells the writes kept
    let cells_now = || {
        let mut v = app.query_strings(
            "SELECT currency || '|' || month || '|' || owner_id || '|' || forecast_category || '|' \
             || status || '|' || pipeline_id || '|' || team_id || '|' || region_id || '|' \
             || product_line_id || '|' || partner_id || '|' || CAST(deals AS TEXT) || '|' \
             || CAST(amount_minor AS TEXT) || '|' || CAST(weighted_minor AS TEXT) \
             FROM forecast_cells WHERE currency <> ?",
            "",
        );
        v.sort();
        v
    };
    let kept = cells_now();
    assert!(kept.len() >= 3, "{kept:?}");
    kehu_api::repo::forecast::rebuild_cells(&mut app.pool().get().unwrap()).unwrap();
    assert_eq!(cells_now(), kept);
}
db_test!(the_forecasts_rollup_follows_every_deal_write);
