//! Callers are cached per node, yet a change made through one node acts on
//! the very next request on another node sharing the database.

use crate::db_test;
use crate::fixtures::user;
use crate::helpers::{Client, TestApp, settings};
use kehu_api::startup::{self, Seed};
use serde_json::json;

async fn a_change_on_one_node_acts_at_once_on_another(app: TestApp) {
    let node_b = startup::build(settings(&app.db), Seed::None)
        .await
        .expect("a second node starts");
    let b_base = format!("http://{}", node_b.addr);
    actix_web::rt::spawn(node_b.server);
    let on_b = |c: &Client| Client {
        base: b_base.clone(),
        ..c.clone()
    };
    let admin = app.admin().await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let rep_b = on_b(&rep);
    let roles = |r: &crate::helpers::Resp| {
        r.body["roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    // node B has the rep cached after these
    for _ in 0..3 {
        let me = rep_b.get("/api/v1/me").await;
        assert_eq!(me.status, 200, "{}", me.text);
        assert_eq!(roles(&me), vec!["sales_rep"]);
    }

    // a role change on node A
    let cur = admin.get(&format!("/api/v1/users/{rep_id}")).await;
    let r = admin
        .patch(
            &format!("/api/v1/users/{rep_id}"),
            &cur.etag(),
            json!({"role_ids": ["marketing"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(roles(&rep_b.get("/api/v1/me").await), vec!["marketing"]);

    // an API key works on B, and its revocation on A stops it on B at once
    let created = admin
        .post(
            "/api/v1/api-keys",
            json!({"name": "sync", "user_id": rep_id}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let key_id = created.body["api_key"]["id"].as_str().unwrap().to_owned();
    let mut integ = on_b(&app.anon());
    integ.token = Some(created.body["key"].as_str().unwrap().to_owned());
    for _ in 0..3 {
        assert_eq!(integ.get("/api/v1/me").await.status, 200);
    }
    let r = admin.delete(&format!("/api/v1/api-keys/{key_id}")).await;
    assert_eq!(r.status, 204, "{}", r.text);
    integ.get("/api/v1/me").await.problem(401);

    // deactivation on A: B refuses the rep's still-valid token on the next request
    let cur = admin.get(&format!("/api/v1/users/{rep_id}")).await;
    let r = admin
        .patch(
            &format!("/api/v1/users/{rep_id}"),
            &cur.etag(),
            json!({"is_active": false}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    rep_b.get("/api/v1/me").await.problem(401);
    rep.get("/api/v1/me").await.problem(401);
}
db_test!(a_change_on_one_node_acts_at_once_on_another);
