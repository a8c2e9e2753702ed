//! A customer in the trash and its deals: open deals keep a customer out of
//! the trash; won and lost ones stay in the books, readable, and say that
//! their customer is deleted.

use crate::db_test;
use crate::fixtures::{create_customer, customer};
use crate::helpers::TestApp;
use crate::opportunities::{act, create, deal, tick_all};
use serde_json::json;

async fn a_customer_with_open_deals_stays_out_of_the_trash_and_closed_ones_stay_in_the_books(
    app: TestApp,
) {
    let admin = app.admin().await;
    let cid = create_customer(&admin, customer("回收站客户")).await;
    let cpath = format!("/api/v1/customers/{cid}");
    let lost = create(&admin, deal(&cid, "丢单", 70_000)).await;
    let won = create(&admin, deal(&cid, "赢单", 90_000)).await;
    let (lid, wid) = (lost.id(), won.id());

    let r = admin.delete(&cpath).await;
    let p = r.problem(409);
    assert_eq!(p["errors"][0]["code"], "open_deals");
    assert!(
        p["detail"].as_str().unwrap().contains("2 open deals"),
        "{p}"
    );
    assert_eq!(admin.get(&cpath).await.status, 200, "nothing happened");

    let r = act(
        &admin,
        &format!("/api/v1/opportunities/{lid}/lose"),
        &lost.etag(),
        json!({"reason_id": "price"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = admin.delete(&cpath).await;
    assert!(
        r.problem(409)["detail"]
            .as_str()
            .unwrap()
            .contains("1 open deal;"),
        "{}",
        r.text
    );
    let etag = tick_all(&admin, &wid, won.etag()).await;
    let r = act(
        &admin,
        &format!("/api/v1/opportunities/{wid}/win"),
        &etag,
        json!({"closed_on": "2026-01-15"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["customer_deleted"], false);

    // no open deal left: into the trash
    assert_eq!(admin.delete(&cpath).await.status, 204);

    // the closed deals stay readable and say their customer is deleted
    let w = admin.get(&format!("/api/v1/opportunities/{wid}")).await;
    assert_eq!(w.status, 200, "{}", w.text);
    assert_eq!(w.body["customer_deleted"], true);
    assert_eq!(w.body["customer_name"], "回收站客户");
    let l = admin.get(&format!("/api/v1/opportunities/{lid}")).await;
    assert_eq!(l.body["customer_deleted"], true);
    // and cannot be reopened onto a customer nobody sees
    assert_eq!(l.body["allowed"]["reopen"], false);
    let r = act(
        &admin,
        &format!("/api/v1/opportunities/{lid}/reopen"),
        &l.etag(),
        json!({}),
    )
    .await;
    assert_eq!(r.problem(409)["errors"][0]["code"], "customer_deleted");
    let listed = admin.get("/api/v1/opportunities?status=won").await;
    assert!(listed.ids().contains(&wid));
    assert_eq!(listed.body["data"][0]["customer_deleted"], true);

    // the win stays in the books
    let f = admin
        .get("/api/v1/forecast?period=month&periods=1&from=2026-01-01")
        .await;
    assert_eq!(f.status, 200, "{}", f.text);
    assert_eq!(f.body["totals"][0]["closed_minor"], 90_000, "{}", f.text);

    // restored, the customer's lost deal may come back
    let r = admin
        .send(
            reqwest::Method::POST,
            &format!("{cpath}/restore"),
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let l = admin.get(&format!("/api/v1/opportunities/{lid}")).await;
    assert_eq!(l.body["customer_deleted"], false);
    let r = act(
        &admin,
        &format!("/api/v1/opportunities/{lid}/reopen"),
        &l.etag(),
        json!({}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}
db_test!(a_customer_with_open_deals_stays_out_of_the_trash_and_closed_ones_stay_in_the_books);

async fn undoing_an_import_leaves_its_customers_that_have_open_deals(app: TestApp) {
    use crate::import::{names, run, uploaded};
    let admin = app.admin().await;
    let b = uploaded(
        &admin,
        "text/csv",
        "名称\n宏远贸易\n新发公司\n".as_bytes().to_vec(),
    )
    .await;
    let id = b["id"].as_str().unwrap();
    run(&admin, id).await;
    let list = admin.get("/api/v1/customers?limit=200").await;
    let xinfa = list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "新发公司")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // a deal opened on an imported customer: taking the import back would
    // trash a customer with work in progress, so nothing is undone
    create(&admin, deal(&xinfa, "首单", 10_000)).await;
    let r = admin
        .post(&format!("/api/v1/imports/{id}/undo"), json!({}))
        .await;
    let p = r.problem(409);
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("open deals") && detail.contains("line 3: 1"),
        "{p}"
    );
    assert_eq!(names(&admin).await, vec!["宏远贸易", "新发公司"]);
}
db_test!(undoing_an_import_leaves_its_customers_that_have_open_deals);
