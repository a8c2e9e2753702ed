use crate::db_test;
use crate::fixtures::{Org, user};
use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, TestApp};
use serde_json::json;

async fn login_returns_tokens_and_me_shows_roles_and_scopes(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    user("rep@test.example", "sales_rep")
        .team(&org.team_east)
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let r = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"email": "REP@test.example", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 200, "e-mail case does not matter: {}", r.text);
    assert_eq!(r.body["token_type"], "Bearer");
    assert_eq!(r.body["expires_in"], 900);
    assert!(r.body["refresh_token"].as_str().unwrap().len() >= 40);
    let rep = app.login("rep@test.example", PASSWORD).await;
    let me = rep.get("/api/v1/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["email"], "rep@test.example");
    assert_eq!(me.body["roles"][0]["id"], "sales_rep");
    assert_eq!(me.body["team_id"], org.team_east.as_str());
    assert_eq!(me.body["region_ids"], json!([org.shanghai]));
    assert_eq!(me.body["authenticated_via"], "session");
    let perms = me.body["permissions"].as_array().unwrap();
    let read = perms
        .iter()
        .find(|p| p["resource"] == "customer" && p["action"] == "read")
        .unwrap();
    assert_eq!(read["scopes"], json!(["own"]));
    assert!(
        !perms
            .iter()
            .any(|p| p["resource"] == "customer" && p["action"] == "delete"),
        "reps may not delete"
    );
}
db_test!(login_returns_tokens_and_me_shows_roles_and_scopes);

async fn blank_credentials_are_named_at_the_field(app: TestApp) {
    let r = app
        .anon()
        .post("/api/v1/auth/login", json!({"email": " ", "password": ""}))
        .await;
    r.problem(422);
    assert_eq!(r.error_fields(), ["email", "password"]);
}
db_test!(blank_credentials_are_named_at_the_field);

async fn requests_without_a_valid_token_are_401(app: TestApp) {
    let r = app.anon().get("/api/v1/me").await;
    r.problem(401);
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    let mut c = app.anon();
    c.token = Some("not-a-jwt".into());
    c.get("/api/v1/customers").await.problem(401);
    c.token = Some("kehu_not-a-real-key".into());
    c.get("/api/v1/customers").await.problem(401);
}
db_test!(requests_without_a_valid_token_are_401);

async fn repeated_failed_logins_are_throttled(app: TestApp) {
    let anon = app.anon();
    let r = anon
        .post(
            "/api/v1/auth/login",
            json!({"email": "nobody@test.example", "password": "whatever1"}),
        )
        .await;
    assert_eq!(r.problem(401)["detail"], r.body["detail"]);
    assert_eq!(
        r.body["detail"],
        anon.post(
            "/api/v1/auth/login",
            json!({"email": ADMIN_EMAIL, "password": "wrong-pass"})
        )
        .await
        .body["detail"],
        "an unknown e-mail and a wrong password read the same"
    );
    for _ in 0..4 {
        anon.post(
            "/api/v1/auth/login",
            json!({"email": ADMIN_EMAIL, "password": "wrong-pass"}),
        )
        .await
        .problem(401);
    }
    let locked = anon
        .post(
            "/api/v1/auth/login",
            json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
        )
        .await;
    locked.problem(429);
    let wait: i64 = locked.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=300).contains(&wait));
    // another account is not affected
    let r = anon
        .post(
            "/api/v1/auth/login",
            json!({"email": "nobody2@test.example", "password": "x-password"}),
        )
        .await;
    r.problem(401);
}
db_test!(repeated_failed_logins_are_throttled);

async fn refresh_rotates_and_reuse_ends_the_session(app: TestApp) {
    let anon = app.anon();
    let login = anon
        .post(
            "/api/v1/auth/login",
            json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
        )
        .await;
    let first = login.body["refresh_token"].as_str().unwrap().to_owned();
    let r = anon
        .post("/api/v1/auth/refresh", json!({"refresh_token": first}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let second = r.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    let mut c = app.anon();
    c.token = Some(r.body["access_token"].as_str().unwrap().to_owned());
    assert_eq!(c.get("/api/v1/me").await.status, 200);
    // the spent token comes back: someone copied it; the whole session ends
    anon.post("/api/v1/auth/refresh", json!({"refresh_token": first}))
        .await
        .problem(401);
    anon.post("/api/v1/auth/refresh", json!({"refresh_token": second}))
        .await
        .problem(401);
}
db_test!(refresh_rotates_and_reuse_ends_the_session);

async fn logout_ends_the_session(app: TestApp) {
    let anon = app.anon();
    let login = anon
        .post(
            "/api/v1/auth/login",
            json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
        )
        .await;
    let rt = login.body["refresh_token"].as_str().unwrap().to_owned();
    let r = anon
        .post("/api/v1/auth/logout", json!({"refresh_token": rt}))
        .await;
    assert_eq!(r.status, 204);
    anon.post("/api/v1/auth/refresh", json!({"refresh_token": rt}))
        .await
        .problem(401);
    assert_eq!(
        anon.post("/api/v1/auth/logout", json!({"refresh_token": rt}))
            .await
            .status,
        204,
        "idempotent"
    );
}
db_test!(logout_ends_the_session);

async fn deactivating_a_user_ends_their_sessions_and_keys_at_once(app: TestApp) {
    let admin = app.admin().await;
    let (uid, rep) = user("leaver@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let login = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"email": "leaver@test.example", "password": PASSWORD}),
        )
        .await;
    let rt = login.body["refresh_token"].as_str().unwrap().to_owned();
    let key = admin
        .post("/api/v1/api-keys", json!({"name": "sync", "user_id": uid}))
        .await;
    assert_eq!(key.status, 201);
    let mut by_key = app.anon();
    by_key.token = Some(key.body["key"].as_str().unwrap().to_owned());
    assert_eq!(by_key.get("/api/v1/me").await.status, 200);

    let u = admin.get(&format!("/api/v1/users/{uid}")).await;
    let r = admin
        .patch(
            &format!("/api/v1/users/{uid}"),
            &u.etag(),
            json!({"is_active": false}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    rep.get("/api/v1/me").await.problem(401);
    by_key.get("/api/v1/me").await.problem(401);
    app.anon()
        .post("/api/v1/auth/refresh", json!({"refresh_token": rt}))
        .await
        .problem(401);
    let again = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"email": "leaver@test.example", "password": PASSWORD}),
        )
        .await;
    again.problem(401);
    assert!(
        again.body["detail"]
            .as_str()
            .unwrap()
            .contains("deactivated")
    );
}
db_test!(deactivating_a_user_ends_their_sessions_and_keys_at_once);

async fn bootstrap_admin_is_created_only_in_an_empty_database(app: TestApp) {
    let admin = app.admin().await;
    let me = admin.get("/api/v1/me").await;
    assert_eq!(me.body["roles"][0]["id"], "admin");
    // a second start with other bootstrap values changes nothing
    let mut s = crate::helpers::settings(&app.db);
    s.bootstrap_admin = Some(("second@test.example".into(), "second-password".into()));
    let again = kehu_api::startup::build(s, kehu_api::startup::Seed::None)
        .await
        .unwrap();
    actix_web::rt::spawn(again.server);
    let r = app
        .anon()
        .post(
            "/api/v1/auth/login",
            json!({"email": "second@test.example", "password": "second-password"}),
        )
        .await;
    r.problem(401);
}
db_test!(bootstrap_admin_is_created_only_in_an_empty_database);

async fn users_keep_their_language(app: TestApp) {
    let admin = app.admin().await;
    let me = admin.get("/api/v1/me").await;
    assert_eq!(me.body["locale"], serde_json::Value::Null);
    let r = admin
        .send(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"locale": "zh-TW"})),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["locale"], "zh-TW");
    let again = app.admin().await;
    assert_eq!(
        again.get("/api/v1/me").await.body["locale"],
        "zh-TW",
        "remembered for the user"
    );
    let bad = admin
        .send(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"locale": "xx"})),
            &[],
        )
        .await;
    assert_eq!(bad.problem(422)["errors"][0]["field"], "locale");
    let r = admin
        .send(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(json!({"display_name": "me"})),
            &[],
        )
        .await;
    r.problem(422);
}
db_test!(users_keep_their_language);
