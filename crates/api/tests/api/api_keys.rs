use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::TestApp;
use serde_json::json;

async fn an_api_key_acts_as_its_user_is_shown_once_and_can_be_revoked(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let mine = create_customer(&rep, customer("客户甲")).await;
    let other = create_customer(&admin, customer("客户乙").with("owner_id", json!(null))).await;

    let created = admin
        .post(
            "/api/v1/api-keys",
            json!({"name": "ERP sync", "user_id": rep_id, "expires_at": "2099-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let key = created.body["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("kehu_"));
    let key_id = created.body["api_key"]["id"].as_str().unwrap().to_owned();
    assert!(key.starts_with(created.body["api_key"]["prefix"].as_str().unwrap()));

    let listed = admin.get("/api/v1/api-keys").await;
    assert!(!listed.text.contains(&key), "the key is never shown again");
    assert_eq!(listed.body["data"][0]["name"], "ERP sync");

    let mut integ = app.anon();
    integ.token = Some(key.clone());
    let me = integ.get("/api/v1/me").await;
    assert_eq!(me.body["id"], rep_id.as_str());
    assert_eq!(me.body["authenticated_via"], "api_key");
    // the key has exactly the rep's scope
    assert_eq!(
        integ.get(&format!("/api/v1/customers/{mine}")).await.status,
        200
    );
    integ
        .get(&format!("/api/v1/customers/{other}"))
        .await
        .problem(404);
    assert_eq!(integ.get("/api/v1/customers").await.ids(), vec![mine]);
    integ.get("/api/v1/api-keys").await.problem(403);

    assert_eq!(
        admin
            .delete(&format!("/api/v1/api-keys/{key_id}"))
            .await
            .status,
        204
    );
    integ.get("/api/v1/me").await.problem(401);
    let k = admin.get(&format!("/api/v1/api-keys/{key_id}")).await;
    assert!(k.body["revoked_at"].is_string());
}
db_test!(an_api_key_acts_as_its_user_is_shown_once_and_can_be_revoked);

async fn only_admins_create_keys_and_bad_input_is_refused(app: TestApp) {
    let admin = app.admin().await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    rep.post(
        "/api/v1/api-keys",
        json!({"name": "mine", "user_id": rep_id}),
    )
    .await
    .problem(403);
    let r = admin
        .post(
            "/api/v1/api-keys",
            json!({"name": "old", "user_id": rep_id, "expires_at": "2001-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "expires_at");
    let r = admin
        .post(
            "/api/v1/api-keys",
            json!({"name": "x", "user_id": "no-such-user"}),
        )
        .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "user_id");
    assert_eq!(
        admin.get("/api/v1/api-keys").await.body["data"],
        json!([]),
        "nothing was stored"
    );
}
db_test!(only_admins_create_keys_and_bad_input_is_refused);
