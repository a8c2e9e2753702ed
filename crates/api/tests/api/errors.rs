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
        .problem(404);
    admin
        .get(&format!("/api/v1/customers/{}", "a".repeat(65)))
        .await
        .problem(404);
    // malformed ids name no record: not found, like any unknown id (above)
    admin
        .send(Method::TRACE, "/readyz", None, &[])
        .await
        .problem(405);
    assert_eq!(
        admin.get("/api/v1/customers?cursor=&sort=").await.status,
        200,
        "empty parameters mean absent"
    );
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

/// Every body the API takes is a JSON object. Any other JSON value is 422
/// naming the body, on every operation that has one (read from the OpenAPI
/// document, so a new one is covered the day it lands). An array of the
/// fields in order used to pass as the object: it signed in.
async fn json_that_is_not_an_object_is_refused_on_every_body(app: TestApp) {
    let admin = app.admin().await;
    let doc: serde_json::Value = serde_json::from_str(&kehu_api::openapi::json()).unwrap();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            // bodies that are files (an import's upload) are not JSON at all
            if op["requestBody"]["content"]
                .get("application/json")
                .is_none()
            {
                continue;
            }
            operations += 1;
            let path = path.replace("{id}", "no-such-id");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            for body in [
                json!([]),
                json!(1),
                json!("x"),
                json!(null),
                json!(true),
                json!(["admin@example.com", "kehu-demo"]),
            ] {
                let r = admin
                    .send(
                        method.clone(),
                        &path,
                        Some(body.clone()),
                        &[("if-match", "*")],
                    )
                    .await;
                let p = r.problem(422);
                assert_eq!(p["errors"][0]["field"], "body", "{method} {path} {body}");
                assert_eq!(p["errors"][0]["code"], "invalid_type", "{method} {path}");
            }
        }
    }
    assert!(operations >= 15, "only {operations} operations take a body");
}
db_test!(json_that_is_not_an_object_is_refused_on_every_body);

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

async fn the_ui_is_served_with_the_right_caching(app: TestApp) {
    let dir = std::env::temp_dir().join(format!("kehu-ui-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js"), "console.log(1)").unwrap();
    let mut s = crate::helpers::settings(&app.db);
    s.ui_dir = dir.clone();
    let ui = kehu_api::startup::build(s, kehu_api::startup::Seed::None)
        .await
        .unwrap();
    let base = format!("http://{}", ui.addr);
    actix_web::rt::spawn(ui.server);
    let get = |p: &str| app.client.get(format!("{base}{p}")).send();
    let index = get("/customers/123").await.unwrap();
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["cache-control"], "no-cache");
    assert!(
        index.text().await.unwrap().contains("<title>app</title>"),
        "app routes get index.html"
    );
    let asset = get("/app-0123456789abcdef.js").await.unwrap();
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(get("/favicon.ico").await.unwrap().status(), 404);
    for sneaky in [
        "/../../etc/passwd",
        "/..%2F..%2Fetc%2Fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
    ] {
        let r = get(sneaky).await.unwrap().text().await.unwrap();
        assert!(
            !r.contains("root:"),
            "{sneaky} must not leave the UI folder"
        );
    }
    let head = app.client.head(format!("{base}/")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    std::fs::remove_dir_all(dir).ok();
}
db_test!(the_ui_is_served_with_the_right_caching);

async fn a_flood_from_one_address_gets_429_with_retry_after(app: TestApp) {
    let mut s = crate::helpers::settings(&app.db);
    s.rate_limit_per_sec = 1.0;
    s.rate_limit_burst = 5.0;
    let limited = kehu_api::startup::build(s, kehu_api::startup::Seed::None)
        .await
        .unwrap();
    let base = format!("http://{}", limited.addr);
    actix_web::rt::spawn(limited.server);
    let mut statuses = Vec::new();
    let mut last = None;
    for _ in 0..8 {
        let r = app
            .client
            .get(format!("{base}/api/v1/me"))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        last = Some(r);
    }
    assert_eq!(
        &statuses[..5],
        &[401; 5],
        "the burst passes (and fails authentication)"
    );
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    let last = last.unwrap();
    assert_eq!(last.headers()["content-type"], "application/problem+json");
    assert!(
        last.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    // health checks are never limited
    assert_eq!(
        app.client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
db_test!(a_flood_from_one_address_gets_429_with_retry_after);
