//! The customer lifecycle through the API: allowed moves, reasons, refusals
//! that store nothing, and the stage history with who, when and why.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use serde_json::json;

async fn stage(c: &Client, id: &str, to: &str, reason: Option<&str>) -> crate::helpers::Resp {
    let cur = c.get(&format!("/api/v1/customers/{id}")).await;
    let mut body = json!({"lifecycle_stage": to});
    if let Some(r) = reason {
        body["lifecycle_reason"] = json!(r);
    }
    c.patch(&format!("/api/v1/customers/{id}"), &cur.etag(), body)
        .await
}

async fn history(c: &Client, id: &str) -> serde_json::Value {
    let r = c
        .get(&format!("/api/v1/customers/{id}/stage-changes"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].clone()
}

async fn a_rep_moves_their_customer_along_and_each_move_is_recorded(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let id = create_customer(&rep, customer("华联超市")).await;

    let r = stage(&rep, &id, "interested", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["lifecycle_stage"], "interested");
    let r = stage(&rep, &id, "customer", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = stage(&rep, &id, "vip", Some("  年采购额超过一百万 ")).await;
    assert_eq!(r.status, 200, "{}", r.text);

    let h = history(&rep, &id).await;
    let moves: Vec<(String, String)> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["from"].as_str().unwrap().to_owned(),
                c["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            ("customer", "vip"),
            ("interested", "customer"),
            ("prospect", "interested")
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    assert_eq!(h[0]["reason"], "年采购额超过一百万");
    assert_eq!(h[0]["automatic"], false);
    assert_eq!(h[0]["changed_by"]["id"], rep_id.as_str());
    assert_eq!(h[0]["changed_by"]["display_name"], "rep");
    assert_eq!(h[0]["api_key_id"], serde_json::Value::Null);
    assert!(h[0]["changed_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(h[2]["reason"], serde_json::Value::Null);

    // an edit that leaves the stage alone records nothing
    let cur = rep.get(&format!("/api/v1/customers/{id}")).await;
    let r = rep
        .patch(
            &format!("/api/v1/customers/{id}"),
            &cur.etag(),
            json!({"industry": "零售", "lifecycle_stage": "vip"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(history(&rep, &id).await.as_array().unwrap().len(), 3);
}
db_test!(a_rep_moves_their_customer_along_and_each_move_is_recorded);

async fn a_refused_move_says_why_and_changes_nothing(app: TestApp) {
    let admin = app.admin().await;
    let id = create_customer(
        &admin,
        customer("跳级客户").with("lifecycle_stage", json!("customer")),
    )
    .await;

    // an upgrade without a reason: the reason is the field at fault
    let r = stage(&admin, &id, "vip", Some("   ")).await;
    let p = r.problem(422);
    assert_eq!(p["errors"][0]["field"], "lifecycle_reason");
    assert_eq!(p["errors"][0]["code"], "reason_required");
    // back to prospect is not a lifecycle move at all, and the answer says what to do
    let r = stage(&admin, &id, "prospect", Some("搞错了")).await;
    let p = r.problem(422);
    assert_eq!(p["errors"][0]["field"], "lifecycle_stage");
    assert_eq!(p["errors"][0]["code"], "transition_not_allowed");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("churned"),
        "{p}"
    );
    // a refused stage change refuses the whole edit
    let cur = admin.get(&format!("/api/v1/customers/{id}")).await;
    admin
        .patch(
            &format!("/api/v1/customers/{id}"),
            &cur.etag(),
            json!({"industry": "制造", "lifecycle_stage": "vip"}),
        )
        .await
        .problem(422);

    let after = admin.get(&format!("/api/v1/customers/{id}")).await;
    assert_eq!(after.body["lifecycle_stage"], "customer");
    assert_eq!(after.body["industry"], cur.body["industry"]);
    assert_eq!(after.body["version"], cur.body["version"]);
    assert_eq!(history(&admin, &id).await, json!([]));

    // churn and reactivation, each with a reason
    assert_eq!(
        stage(&admin, &id, "churned", Some("转向竞争对手"))
            .await
            .status,
        200
    );
    assert_eq!(
        stage(&admin, &id, "interested", Some("新项目重新接触"))
            .await
            .status,
        200
    );
    assert_eq!(history(&admin, &id).await[0]["to"], "interested");
}
db_test!(a_refused_move_says_why_and_changes_nothing);

async fn a_change_through_an_api_key_names_the_key_and_hidden_histories_are_not_found(
    app: TestApp,
) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (_, other) = user("other@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let id = create_customer(&rep, customer("接口客户")).await;
    let created = admin
        .post(
            "/api/v1/api-keys",
            json!({"name": "ERP", "user_id": rep_id}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let mut erp = app.anon();
    erp.token = Some(created.body["key"].as_str().unwrap().to_owned());

    assert_eq!(stage(&erp, &id, "interested", None).await.status, 200);
    let h = history(&rep, &id).await;
    assert_eq!(h[0]["changed_by"]["id"], rep_id.as_str());
    assert_eq!(h[0]["api_key_id"], created.body["api_key"]["id"]);

    // another rep cannot see the customer, so not its history either
    other
        .get(&format!("/api/v1/customers/{id}/stage-changes"))
        .await
        .problem(404);
    other
        .get("/api/v1/customers/not-an-id/stage-changes")
        .await
        .problem(404);
}
db_test!(a_change_through_an_api_key_names_the_key_and_hidden_histories_are_not_found);
