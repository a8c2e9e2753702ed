//! A retried create with the same Idempotency-Key creates once.

use crate::db_test;
use crate::fixtures::{With, customer};
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::json;

async fn a_retried_create_with_the_same_key_creates_once(app: TestApp) {
    let admin = app.admin().await;
    let body = customer("幂等客户").with("owner_id", json!(null));
    let send = |key: &'static str, body: serde_json::Value| {
        let admin = admin.clone();
        async move {
            admin
                .send(
                    Method::POST,
                    "/api/v1/customers",
                    Some(body),
                    &[("idempotency-key", key)],
                )
                .await
        }
    };
    let first = send("create-42", body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = send("create-42", body.clone()).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.body, first.body, "the retry gets the first answer");
    assert_eq!(again.etag(), first.etag());
    assert_eq!(again.header("location"), first.header("location"));
    let other = send("create-42", customer("别的")).await;
    assert_eq!(other.problem(422)["errors"][0]["field"], "Idempotency-Key");
    let bad = admin
        .send(
            Method::POST,
            "/api/v1/customers",
            Some(body.clone()),
            &[("idempotency-key", "   ")],
        )
        .await;
    bad.problem(400);
    assert_eq!(
        send(
            "create-43",
            body.with("duplicate_reason", json!("确实是第二家"))
        )
        .await
        .status,
        201,
        "a new key is a new customer"
    );
    assert_eq!(
        admin.get("/api/v1/customers?include_total=true").await.body["total"],
        2
    );
}
db_test!(a_retried_create_with_the_same_key_creates_once);
