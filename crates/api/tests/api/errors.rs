use crate::db_test;
use crate::fixtures::{With, create_customer, customer};
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::json;

async fn client_mistakes_get_problem_documents_and_store_nothing(app: TestApp) {
    let admin = app.admin().await;
    let post = |ct: &'static str, body: Vec<u8>| {
        let admin = admin.clone();
        async move { admin.raw(Method::POST, "/api/v1/customers", ct, body).await }
    };
    let r = post("application/json", b"{\"name\": ".to_vec()).await;
    assert!(
        r.problem(400)["detail"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    let r = post(
        "application/json",
        br#"{"name": "x", "colour": "red"}"#.to_vec(),
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "colour");
    assert_eq!(r.body["errors"][0]["code"], "unknown_field");
    let r = post("application/json", br#"{"name": 42}"#.to_vec()).await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "name");
    assert_eq!(r.body["errors"][0]["code"], "invalid_type");
    let r = post(
        "application/json",
        br#"{"name": "x", "phones": "13800138000"}"#.to_vec(),
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "phones");
    let r = post("application/json", br#"{"industry": "x"}"#.to_vec()).await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "name");
    assert_eq!(r.body["errors"][0]["code"], "required");
    let r = post("application/json", br#"{"name": "a\u0000b"}"#.to_vec()).await;
    assert_eq!(r.problem(422)["errors"][0]["code"], "nul_byte");
    let r = post(
        "application/json",
        br#"{"name": "x", "tags": ["ok", "b\u0000d"]}"#.to_vec(),
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "tags[1]");
    let r = post(
        "application/json",
        json!({"name": "长".repeat(201)}).to_string().into_bytes(),
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["code"], "too_long");
    let big = json!({"name": "x", "notes": "n".repeat(1024 * 1024)})
        .to_string()
        .into_bytes();
    post("application/json", big).await.problem(413);
    post("text/plain", br#"{"name": "x"}"#.to_vec())
        .await
        .problem(415);
    let r = post("application/json", b"[1, 2]".to_vec()).await;
    r.problem(422);
    assert_eq!(
        admin.get("/api/v1/customers?include_total=true").await.body["total"],
        0,
        "nothing stored"
    );

    admin
        .get("/api/v1/customers/not%20an%20id")
        .await
        .problem(400);
    admin
        .get(&format!("/api/v1/customers/{}", "a".repeat(65)))
        .await
        .problem(400);
    admin.get("/api/v1/customers?limit=ten").await.problem(400);
    admin.get("/api/v1/customers?bogus=1").await.problem(400);
    admin.get("/api/v1/customers?q=a%00b").await.problem(400);
    admin.get("/api/v1/no-such-thing").await.problem(404);
    admin.get("/api/nothing").await.problem(404);
    admin
        .send(Method::PUT, "/api/v1/customers", None, &[])
        .await
        .problem(405);
}
db_test!(client_mistakes_get_problem_documents_and_store_nothing);

async fn the_validation_problem_is_a_stable_contract(app: TestApp) {
    let admin = app.admin().await;
    let r = admin
        .post("/api/v1/customers", json!({"name": "", "emails": ["nope"]}))
        .await;
    insta::assert_json_snapshot!("validation_problem", r.body);
    let id = create_customer(&admin, customer("x").with("owner_id", json!(null))).await;
    let stale = admin
        .patch(
            &format!("/api/v1/customers/{id}"),
            "\"5\"",
            json!({"name": "y"}),
        )
        .await;
    insta::assert_json_snapshot!("stale_problem", stale.body);
}
db_test!(the_validation_problem_is_a_stable_contract);

async fn health_and_readiness(app: TestApp) {
    let r = app.anon().get("/healthz").await;
    assert_eq!(r.body["status"], "ok");
    let r = app.anon().get("/readyz").await;
    assert_eq!(r.body["status"], "ready");
}
db_test!(health_and_readiness);
