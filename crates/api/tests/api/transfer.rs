//! Handing a leaving rep's customers over in one step: previewed, all or
//! nothing when any would leave the caller's reach, recorded as transfers.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use crate::pool::changes;
use serde_json::{Value, json};

async fn transfer(c: &Client, body: Value) -> crate::helpers::Resp {
    c.post("/api/v1/customers/transfers", body).await
}

async fn a_manager_hands_a_leaving_reps_customers_over_in_one_step(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, mgr) = user("mgr@test.example", "sales_manager")
        .team(&org.team_east)
        .regions(&[&org.east])
        .create(&app, &admin)
        .await;
    let (leaver_id, leaver) = user("leaver@test.example", "sales_rep")
        .team(&org.team_east)
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (heir_id, heir) = user("heir@test.example", "sales_rep")
        .team(&org.team_east_sub)
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let mut theirs = Vec::new();
    for i in 0..3 {
        theirs.push(
            create_customer(
                &leaver,
                customer(&format!("交接客户{i}")).with("region_id", json!(org.shanghai)),
            )
            .await,
        );
    }
    // one of theirs in another region, outside the manager's scope
    let elsewhere = create_customer(
        &admin,
        customer("广东的客户")
            .with("owner_id", json!(leaver_id))
            .with("region_id", json!(org.guangdong)),
    )
    .await;

    let body = json!({"from_owner_id": leaver_id, "to_owner_id": heir_id, "reason": "陈东离职，客户交接", "preview": true});
    let r = transfer(&mgr, body.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["would_move"], 3);
    assert_eq!(r.body["moved"], 0);
    assert_eq!(r.body["sample"].as_array().unwrap().len(), 3);
    assert!(
        !r.text.contains(&elsewhere),
        "nothing outside the manager's scope"
    );
    assert_eq!(
        leaver.get("/api/v1/customers?owner=me").await.ids().len(),
        4,
        "a preview moves nothing"
    );

    let r = transfer(&mgr, body.with("preview", json!(false))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["moved"], 3);
    assert_eq!(r.body["skipped"], 0);
    let mine = heir.get("/api/v1/customers?owner=me").await.ids();
    assert_eq!(mine.len(), 3);
    let c = heir.get(&format!("/api/v1/customers/{}", theirs[0])).await;
    assert_eq!(
        c.body["team_id"],
        org.team_east_sub.as_str(),
        "the team follows the new owner"
    );
    let h = changes(&heir, &theirs[0]).await;
    assert_eq!(h[0]["kind"], "transfer");
    assert_eq!(h[0]["from"]["id"], leaver_id.as_str());
    assert_eq!(h[0]["to"]["id"], heir_id.as_str());
    assert_eq!(h[0]["reason"], "陈东离职，客户交接");
    let left = admin.get(&format!("/api/v1/customers/{elsewhere}")).await;
    assert_eq!(left.body["owner_id"], leaver_id.as_str());

    // selected customers, to the pool; one listed that is not the owner's is refused, nothing moves
    let r = transfer(
        &mgr,
        json!({"from_owner_id": heir_id, "customer_ids": [theirs[0], elsewhere], "to_owner_id": null, "reason": "退回公海"}),
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "customer_ids[1]");
    assert_eq!(heir.get("/api/v1/customers?owner=me").await.ids().len(), 3);
    let r = transfer(
        &mgr,
        json!({"from_owner_id": heir_id, "customer_ids": [theirs[0]], "reason": "退回公海"}),
    )
    .await;
    assert_eq!(r.body["moved"], 1, "{}", r.text);
    let c = admin.get(&format!("/api/v1/customers/{}", theirs[0])).await;
    assert_eq!(c.body["owner_id"], Value::Null);
}
db_test!(a_manager_hands_a_leaving_reps_customers_over_in_one_step);

async fn a_transfer_that_leaves_the_callers_reach_moves_nothing(app: TestApp) {
    let admin = app.admin().await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let (other_id, _) = user("other@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let id = create_customer(&rep, customer("我的客户")).await;

    // a rep may not give their customers to a colleague: they would no longer be the rep's to edit
    let r = transfer(
        &rep,
        json!({"from_owner_id": rep_id, "to_owner_id": other_id, "reason": "送给同事"}),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(
        admin.get(&format!("/api/v1/customers/{id}")).await.body["owner_id"],
        rep_id.as_str()
    );

    // checks on the request itself
    let r = transfer(
        &admin,
        json!({"from_owner_id": rep_id, "to_owner_id": rep_id}),
    )
    .await;
    let fields: Vec<String> = r.problem(422)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["to_owner_id", "reason"]);
    let cur = admin.get(&format!("/api/v1/users/{other_id}")).await;
    let r = admin
        .patch(
            &format!("/api/v1/users/{other_id}"),
            &cur.etag(),
            json!({"is_active": false}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = transfer(
        &admin,
        json!({"from_owner_id": rep_id, "to_owner_id": other_id, "reason": "x"}),
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["code"], "inactive");
}
db_test!(a_transfer_that_leaves_the_callers_reach_moves_nothing);

async fn customers_handed_to_a_team_wait_in_its_pool_for_its_members(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (leaver_id, leaver) = user("leaver@test.example", "sales_rep")
        .team(&org.team_east)
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    // a member of the receiving team, whose territory does not hold these customers
    let (_, member) = user("member@test.example", "sales_rep")
        .team(&org.team_south)
        .regions(&[&org.guangdong])
        .create(&app, &admin)
        .await;
    let (_, outsider) = user("outsider@test.example", "sales_rep")
        .team(&org.team_east)
        .regions(&[&org.guangdong])
        .create(&app, &admin)
        .await;
    let id = create_customer(
        &leaver,
        customer("划转客户").with("region_id", json!(org.shanghai)),
    )
    .await;

    // a user and a team at once, or an unknown team: refused, nothing moves
    let r = transfer(
        &admin,
        json!({"from_owner_id": leaver_id, "to_owner_id": leaver_id, "to_team_id": org.team_south, "reason": "调整"}),
    )
    .await;
    let fields: Vec<Value> = r.problem(422)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert!(fields.contains(&json!("to_team_id")), "{}", r.text);
    let r = transfer(
        &admin,
        json!({"from_owner_id": leaver_id, "to_team_id": "0193a0c2-7d4e-7aa0-9b1e-3f1c2d4e5f60", "reason": "调整"}),
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "to_team_id");
    assert_eq!(
        leaver.get("/api/v1/customers?owner=me").await.ids().len(),
        1
    );

    let r = transfer(
        &admin,
        json!({"from_owner_id": leaver_id, "to_team_id": org.team_south, "reason": "划归华南组"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["moved"], 1);
    let c = admin.get(&format!("/api/v1/customers/{id}")).await;
    assert_eq!(c.body["owner_id"], Value::Null);
    assert_eq!(c.body["team_id"], org.team_south.as_str());
    let h = changes(&admin, &id).await;
    assert_eq!(h[0]["kind"], "transfer");
    assert_eq!(h[0]["to"], Value::Null);
    assert_eq!(h[0]["to_team"]["id"], org.team_south.as_str());
    assert!(
        h[0]["to_team"]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );

    // the team's member finds it in the pool and claims it; until then it is not theirs to edit
    assert!(member.get("/api/v1/customers").await.ids().contains(&id));
    let seen = member.get(&format!("/api/v1/customers/{id}")).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert_eq!(
        seen.body["allowed"],
        json!({"update": false, "delete": false})
    );
    let r = member
        .post(&format!("/api/v1/customers/{id}/claim"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["allowed"]["update"], true, "{}", r.text);

    // someone of another team and territory never sees it
    assert_eq!(
        outsider
            .get(&format!("/api/v1/customers/{id}"))
            .await
            .status,
        404
    );
    assert!(!outsider.get("/api/v1/customers").await.ids().contains(&id));
}
db_test!(customers_handed_to_a_team_wait_in_its_pool_for_its_members);

async fn a_customer_says_what_its_reader_may_do_with_it(app: TestApp) {
    let admin = app.admin().await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let id = create_customer(&rep, customer("我的客户")).await;
    let path = format!("/api/v1/customers/{id}");
    assert_eq!(
        rep.get(&path).await.body["allowed"],
        json!({"update": true, "delete": false}),
        "reps edit their own customers and never delete them"
    );
    assert_eq!(
        admin.get(&path).await.body["allowed"],
        json!({"update": true, "delete": true})
    );
    let listed = rep.get("/api/v1/customers").await;
    assert!(
        listed.body["data"][0].get("allowed").is_none(),
        "lists leave it out"
    );
}
db_test!(a_customer_says_what_its_reader_may_do_with_it);
