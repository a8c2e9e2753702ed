//! 商机: deals through the funnel — checklists that gate moving forward,
//! stage history, win and loss by the rules, reopening, competitors, the
//! board — within the caller's opportunity scope.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, Resp, TestApp};
use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

pub(crate) fn deal(cid: &str, name: &str, amount: i64) -> Value {
    json!({"name": name, "customer_id": cid, "amount_minor": amount, "currency": "CNY", "expected_close_on": "2026-12-31"})
}

pub(crate) async fn create(c: &Client, body: Value) -> Resp {
    let r = c.post("/api/v1/opportunities", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r
}

pub(crate) async fn act(c: &Client, path: &str, etag: &str, body: Value) -> Resp {
    c.send(Method::POST, path, Some(body), &[("if-match", etag)])
        .await
}

async fn tick(c: &Client, oid: &str, item: &str, etag: &str, done: bool) -> Resp {
    let r = c
        .send(
            Method::PUT,
            &format!("/api/v1/opportunities/{oid}/checklist/{item}"),
            Some(json!({"done": done})),
            &[("if-match", etag)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r
}

fn item_done(d: &Value, item: &str) -> bool {
    d["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["item_id"] == item && !i["done_at"].is_null())
}

async fn a_deal_moves_forward_only_when_its_required_checklist_is_done(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let cid = create_customer(
        &rep,
        customer("华东制造").with("region_id", json!(org.shanghai)),
    )
    .await;

    // defaults: the default pipeline's first stage, its probability, the rep
    let r = create(&rep, deal(&cid, "锅炉改造", 12_000_000)).await;
    let oid = r.id();
    assert_eq!(r.body["pipeline_id"], "default");
    assert_eq!(r.body["stage_id"], "stage-identify");
    assert_eq!(r.body["status"], "open");
    assert_eq!(r.body["owner_id"], rep_id.as_str());
    assert_eq!(
        r.body["region_id"],
        org.shanghai.as_str(),
        "the customer's region"
    );
    assert_eq!(r.body["probability"], 10);
    assert_eq!(r.body["weighted_minor"], 1_200_000);
    assert_eq!(r.body["forecast_category"], "pipeline");
    assert_eq!(r.body["customer_name"], "华东制造");
    assert_eq!(
        r.body["allowed"],
        json!({"update": true, "close": true, "reopen": false})
    );
    assert_eq!(r.body["history"].as_array().unwrap().len(), 1);
    let path = format!("/api/v1/opportunities/{oid}");

    // the identify stage's required item is not done: the move is refused and names it
    let m = act(
        &rep,
        &format!("{path}/move"),
        &r.etag(),
        json!({"stage_id": "stage-qualify"}),
    )
    .await;
    let p = m.problem(422);
    assert_eq!(p["errors"][0]["field"], "checklist.stage-identify-1");
    assert_eq!(p["errors"][0]["code"], "checklist_incomplete");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Need confirmed")
    );
    let still = rep.get(&path).await;
    assert_eq!(still.body["stage_id"], "stage-identify", "nothing moved");

    // ticking records who and when, and changes the ETag
    let t = tick(&rep, &oid, "stage-identify-1", &still.etag(), true).await;
    assert!(item_done(&t.body, "stage-identify-1"));
    let ticked = t.body["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_id"] == "stage-identify-1")
        .unwrap()
        .clone();
    assert_eq!(ticked["done_by_id"], rep_id.as_str());
    assert_eq!(ticked["done_by_name"], "rep");
    let stale = act(
        &rep,
        &format!("{path}/move"),
        &still.etag(),
        json!({"stage_id": "stage-qualify"}),
    )
    .await;
    stale.problem(412);

    // skipping qualify needs its required items too
    let skip = act(
        &rep,
        &format!("{path}/move"),
        &t.etag(),
        json!({"stage_id": "stage-plan"}),
    )
    .await;
    assert_eq!(
        skip.error_fields(),
        ["checklist.stage-qualify-1", "checklist.stage-qualify-2"]
    );

    let m = act(
        &rep,
        &format!("{path}/move"),
        &t.etag(),
        json!({"stage_id": "stage-qualify"}),
    )
    .await;
    assert_eq!(m.status, 200, "{}", m.text);
    assert_eq!(m.body["stage_id"], "stage-qualify");
    assert_eq!(m.body["probability"], 25);
    assert_eq!(m.body["weighted_minor"], 3_000_000);
    let h = m.body["history"].as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["stage_id"], "stage-identify");
    assert!(!h[0]["left_at"].is_null(), "the first stay ended");
    assert_eq!(h[1]["from_stage_id"], "stage-identify");
    assert_eq!(h[1]["stage_name"], "Qualify");
    assert_eq!(h[1]["by_id"], rep_id.as_str());
    assert!(h[1]["left_at"].is_null());

    // the rep's own judgement overrides the stage until the next move
    let o = rep
        .patch(
            &path,
            &m.etag(),
            json!({"probability": 40, "amount_minor": 10_000_000}),
        )
        .await;
    assert_eq!(o.status, 200, "{}", o.text);
    assert_eq!(o.body["probability"], 40);
    assert_eq!(o.body["probability_overridden"], true);
    assert_eq!(o.body["weighted_minor"], 4_000_000);

    // back is always allowed, and the probability is the stage's again
    let b = act(
        &rep,
        &format!("{path}/move"),
        &o.etag(),
        json!({"stage_id": "stage-identify"}),
    )
    .await;
    assert_eq!(b.status, 200, "{}", b.text);
    assert_eq!(b.body["probability"], 10);
    assert_eq!(b.body["probability_overridden"], false);
    assert_eq!(b.body["history"].as_array().unwrap().len(), 3);

    // won and lost are reached by closing, not moving
    let w = act(
        &rep,
        &format!("{path}/move"),
        &b.etag(),
        json!({"stage_id": "stage-won"}),
    )
    .await;
    assert_eq!(w.problem(422)["errors"][0]["field"], "stage_id");
}
db_test!(a_deal_moves_forward_only_when_its_required_checklist_is_done);

/// Ticks every required item of the default funnel, in order.
pub(crate) async fn tick_all(c: &Client, oid: &str, mut etag: String) -> String {
    for item in [
        "stage-identify-1",
        "stage-qualify-1",
        "stage-qualify-2",
        "stage-plan-1",
        "stage-proposal-1",
    ] {
        etag = tick(c, oid, item, &etag, true).await.etag();
    }
    etag
}

async fn winning_makes_a_customer_losing_needs_a_reason_and_reopening_follows_the_books(
    app: TestApp,
) {
    let admin = app.admin().await;
    let cid = create_customer(&admin, customer("Prospect Ltd")).await;
    let c = admin.get(&format!("/api/v1/customers/{cid}")).await;
    assert_eq!(c.body["lifecycle_stage"], "prospect");

    let r = create(&admin, deal(&cid, "Pilot", 500_000)).await;
    let oid = r.id();
    let path = format!("/api/v1/opportunities/{oid}");

    // winning passes every stage left: their required items must be done
    let early = act(&admin, &format!("{path}/win"), &r.etag(), json!({})).await;
    assert_eq!(early.problem(422)["errors"].as_array().unwrap().len(), 5);

    let etag = tick_all(&admin, &oid, r.etag()).await;
    let future = (Utc::now() + Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let bad = act(
        &admin,
        &format!("{path}/win"),
        &etag,
        json!({"amount_minor": -1, "closed_on": future}),
    )
    .await;
    assert_eq!(
        bad.problem(422).clone()["errors"].as_array().unwrap().len(),
        2
    );
    assert_eq!(bad.error_fields(), ["amount_minor", "closed_on"]);

    let won = act(
        &admin,
        &format!("{path}/win"),
        &etag,
        json!({"amount_minor": 480_000}),
    )
    .await;
    assert_eq!(won.status, 200, "{}", won.text);
    assert_eq!(won.body["status"], "won");
    assert_eq!(won.body["stage_id"], "stage-won");
    assert_eq!(won.body["amount_minor"], 480_000);
    assert_eq!(won.body["probability"], 100);
    assert_eq!(won.body["forecast_category"], "closed");
    assert!(won.body["closed_on"].is_string());
    assert_eq!(won.body["allowed"]["close"], false);
    assert_eq!(won.body["allowed"]["reopen"], true);

    // the customer is a customer now, recorded as an automatic move
    let c = admin.get(&format!("/api/v1/customers/{cid}")).await;
    assert_eq!(c.body["lifecycle_stage"], "customer");
    let h = admin
        .get(&format!("/api/v1/customers/{cid}/stage-changes"))
        .await;
    assert_eq!(h.body["data"][0]["to"], "customer", "{}", h.text);
    assert_eq!(h.body["data"][0]["automatic"], true);

    // closed deals do not move or close again
    let again = act(
        &admin,
        &format!("{path}/lose"),
        &won.etag(),
        json!({"reason_id": "price"}),
    )
    .await;
    assert_eq!(again.problem(409)["errors"][0]["code"], "already_closed");

    // reopening a recent win goes back to the last open stage
    let re = act(&admin, &format!("{path}/reopen"), &won.etag(), json!({})).await;
    assert_eq!(re.status, 200, "{}", re.text);
    assert_eq!(re.body["status"], "open");
    assert_eq!(re.body["stage_id"], "stage-identify");
    assert!(re.body["closed_on"].is_null());

    // a loss needs a reason from the list; the competitor who won is recorded
    let k = admin
        .post(
            "/api/v1/competitors",
            json!({"name": "Acme", "strengths": "cheap"}),
        )
        .await;
    assert_eq!(k.status, 201, "{}", k.text);
    let kid = k.id();
    let added = act(
        &admin,
        &format!("{path}/competitors"),
        &re.etag(),
        json!({"competitor_id": kid, "weaknesses": "slow service"}),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.text);
    assert_eq!(
        added.body["competitors"][0]["strengths"], "cheap",
        "from the list"
    );
    let noted = act(
        &admin,
        &format!("{path}/competitors/{kid}/activities"),
        &added.etag(),
        json!({"happened_on": "2026-11-20", "note": "Offered 10 % off"}),
    )
    .await;
    assert_eq!(noted.status, 201, "{}", noted.text);
    assert_eq!(
        noted.body["competitors"][0]["activities"][0]["note"],
        "Offered 10 % off"
    );

    let none = act(
        &admin,
        &format!("{path}/lose"),
        &noted.etag(),
        json!({"notes": "?"}),
    )
    .await;
    assert_eq!(none.problem(422)["errors"][0]["field"], "reason_id");
    let unknown = act(
        &admin,
        &format!("{path}/lose"),
        &noted.etag(),
        json!({"reason_id": "nope"}),
    )
    .await;
    assert_eq!(unknown.problem(422)["errors"][0]["field"], "reason_id");
    let lost = act(
        &admin,
        &format!("{path}/lose"),
        &noted.etag(),
        json!({"reason_id": "price", "competitor_id": kid, "notes": "cheaper"}),
    )
    .await;
    assert_eq!(lost.status, 200, "{}", lost.text);
    assert_eq!(lost.body["status"], "lost");
    assert_eq!(lost.body["loss_reason_id"], "price");
    assert_eq!(lost.body["lost_to_competitor_id"], kid.as_str());
    assert_eq!(lost.body["competitors"][0]["status"], "won");
    assert_eq!(lost.body["weighted_minor"], 0);
    assert_eq!(lost.body["forecast_category"], "omitted");

    // a lost deal may come back any time
    let back = act(&admin, &format!("{path}/reopen"), &lost.etag(), json!({})).await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert!(back.body["loss_reason_id"].is_null());

    // the customer's timeline tells the deal's story, newest first
    let tl = admin
        .get(&format!("/api/v1/customers/{cid}/timeline?kind=deal"))
        .await;
    assert_eq!(tl.status, 200, "{}", tl.text);
    let summaries: Vec<&str> = tl.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        summaries.first(),
        Some(&"Deal “Pilot” moved from Lost to Identify")
    );
    assert!(summaries.contains(&"Deal “Pilot” won"), "{summaries:?}");
    assert_eq!(summaries.last(), Some(&"Deal “Pilot” created in Identify"));
    assert_eq!(tl.body["data"][0]["deal"]["opportunity_id"], oid.as_str());
    // the default stages carry their keys, so a screen names them in its language
    assert_eq!(tl.body["data"][0]["deal"]["from_stage_key"], "lost");
    assert_eq!(tl.body["data"][0]["deal"]["to_stage_key"], "identify");
    let created = tl.body["data"].as_array().unwrap().last().unwrap();
    assert!(created["deal"]["from_stage_key"].is_null());
    assert_eq!(created["deal"]["to_stage_key"], "identify");

    // a win older than 30 days is in the books
    let etag = back.etag();
    let old = (Utc::now() - Duration::days(40))
        .format("%Y-%m-%d")
        .to_string();
    let won = act(
        &admin,
        &format!("{path}/win"),
        &etag,
        json!({"closed_on": old}),
    )
    .await;
    assert_eq!(won.status, 200, "{}", won.text);
    assert_eq!(won.body["allowed"]["reopen"], false);
    let re = act(&admin, &format!("{path}/reopen"), &won.etag(), json!({})).await;
    assert_eq!(re.problem(409)["errors"][0]["code"], "won_in_the_books");
}
db_test!(winning_makes_a_customer_losing_needs_a_reason_and_reopening_follows_the_books);

async fn deals_follow_the_scope_rules_of_customers(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (other_id, other) = user("other@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (_, manager) = user("mgr@test.example", "sales_manager")
        .regions(&[&org.east])
        .create(&app, &admin)
        .await;
    let (_, south_manager) = user("south@test.example", "sales_manager")
        .regions(&[&org.south])
        .create(&app, &admin)
        .await;
    let (_, marketing) = user("mkt@test.example", "marketing")
        .create(&app, &admin)
        .await;
    let (_, dealer) = user("dealer@test.example", "partner")
        .partner(&org.dealer)
        .create(&app, &admin)
        .await;
    let cid = create_customer(
        &rep,
        customer("华东制造").with("region_id", json!(org.shanghai)),
    )
    .await;
    let r = create(&rep, deal(&cid, "Mine", 100)).await;
    let oid = r.id();
    let path = format!("/api/v1/opportunities/{oid}");

    // hidden is 404, everywhere, and not counted in lists
    for c in [&other, &south_manager, &dealer] {
        c.get(&path).await.problem(404);
        let l = c.get("/api/v1/opportunities").await;
        assert!(l.ids().is_empty(), "{}", l.text);
        act(
            c,
            &format!("{path}/move"),
            "*",
            json!({"stage_id": "stage-plan"}),
        )
        .await
        .problem(404);
    }
    // the region's manager sees and changes it; marketing only reads it (403 on writes)
    assert_eq!(
        manager.get("/api/v1/opportunities").await.ids(),
        [oid.as_str()]
    );
    let seen = marketing.get(&path).await;
    assert_eq!(seen.status, 200);
    assert_eq!(seen.body["allowed"]["update"], false);
    marketing
        .patch(&path, &seen.etag(), json!({"name": "x"}))
        .await
        .problem(403);
    marketing
        .post("/api/v1/opportunities", deal(&cid, "No", 1))
        .await
        .problem(403);

    // a deal with a customer the caller cannot see names no customer
    let bad = other
        .post("/api/v1/opportunities", deal(&cid, "Theirs", 1))
        .await;
    assert_eq!(bad.problem(422)["errors"][0]["field"], "customer_id");

    // giving the deal away out of one's own reach is refused, and nothing changes
    let away = rep
        .patch(&path, &r.etag(), json!({"owner_id": other_id}))
        .await;
    away.problem(403);
    assert_eq!(rep.get(&path).await.body["owner_name"], "rep");

    // a manager hands it over: the new owner sees it, the old one no longer
    let m = manager.get(&path).await;
    let moved = manager
        .patch(&path, &m.etag(), json!({"owner_id": other_id}))
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(other.get(&path).await.status, 200);
    rep.get(&path).await.problem(404);

    // who reads the customer but not its deals sees its timeline without them
    let (_, service) = user("svc@test.example", "service_agent")
        .create(&app, &admin)
        .await;
    let tl = service
        .get(&format!("/api/v1/customers/{cid}/timeline"))
        .await;
    assert_eq!(tl.status, 200, "{}", tl.text);
    assert!(!tl.text.contains("\"deal\""), "{}", tl.text);
    let tl = manager
        .get(&format!("/api/v1/customers/{cid}/timeline?kind=deal"))
        .await;
    assert_eq!(tl.body["data"].as_array().unwrap().len(), 1, "{}", tl.text);

    // a dealer's deals are their customers' deals
    let dcid = create_customer(&dealer, customer("Dealer customer")).await;
    let d = create(&dealer, deal(&dcid, "Via dealer", 5)).await;
    assert_eq!(dealer.get("/api/v1/opportunities").await.ids(), [d.id()]);
}
db_test!(deals_follow_the_scope_rules_of_customers);

async fn bad_deals_are_refused_field_by_field_and_nothing_is_stored(app: TestApp) {
    let admin = app.admin().await;
    let cid = create_customer(&admin, customer("Acme")).await;
    let r = admin
        .post(
            "/api/v1/opportunities",
            json!({"name": " ", "customer_id": cid, "amount_minor": -5, "currency": "rmb", "expected_close_on": "2026-02-30", "probability": 120}),
        )
        .await;
    r.problem(422);
    assert_eq!(
        r.error_fields(),
        [
            "name",
            "amount_minor",
            "currency",
            "expected_close_on",
            "probability"
        ]
    );
    let missing = admin.post("/api/v1/opportunities", json!({})).await;
    assert_eq!(
        missing.problem(422).clone()["errors"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    let stage = admin
        .post(
            "/api/v1/opportunities",
            deal(&cid, "X", 1).with("stage_id", json!("stage-won")),
        )
        .await;
    assert_eq!(stage.problem(422)["errors"][0]["field"], "stage_id");
    let unknown = admin
        .post("/api/v1/opportunities", deal("nope", "X", 1))
        .await;
    assert_eq!(unknown.problem(422)["errors"][0]["field"], "customer_id");
    let malformed = admin.get("/api/v1/opportunities?status=maybe").await;
    malformed.problem(400);
    assert!(admin.get("/api/v1/opportunities").await.ids().is_empty());
}
db_test!(bad_deals_are_refused_field_by_field_and_nothing_is_stored);

async fn the_board_counts_and_sums_every_column(app: TestApp) {
    let admin = app.admin().await;
    let cid = create_customer(&admin, customer("Board Co")).await;
    let a = create(&admin, deal(&cid, "A", 1_000)).await;
    create(&admin, deal(&cid, "B", 3_000)).await;
    let etag = tick(&admin, &a.id(), "stage-identify-1", &a.etag(), true)
        .await
        .etag();
    let m = act(
        &admin,
        &format!("/api/v1/opportunities/{}/move", a.id()),
        &etag,
        json!({"stage_id": "stage-qualify"}),
    )
    .await;
    assert_eq!(m.status, 200, "{}", m.text);
    let b = admin.get("/api/v1/opportunities/board").await;
    assert_eq!(b.status, 200, "{}", b.text);
    let cols = b.body["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 6);
    let col = |s: &str| cols.iter().find(|c| c["stage_id"] == s).unwrap().clone();
    assert_eq!(col("stage-identify")["count"], 1);
    assert_eq!(col("stage-identify")["sums"][0]["amount_minor"], 3_000);
    assert_eq!(col("stage-identify")["sums"][0]["weighted_minor"], 300);
    assert_eq!(col("stage-qualify")["count"], 1);
    assert_eq!(col("stage-qualify")["sums"][0]["weighted_minor"], 250);
    assert_eq!(col("stage-won")["count"], 0);
    assert_eq!(
        b.body["pipeline"]["stages"][0]["checklist"][0]["required"],
        true
    );
    let mine = admin.get("/api/v1/opportunities/board?q=A").await;
    assert_eq!(
        mine.body["columns"][1]["items"][0]["name"], "A",
        "{}",
        mine.text
    );
}
db_test!(the_board_counts_and_sums_every_column);
