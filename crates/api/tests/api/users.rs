use crate::db_test;
use crate::fixtures::{Org, user};
use crate::helpers::{PASSWORD, TestApp};
use serde_json::json;

async fn admins_create_edit_and_list_users(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let r = admin
        .post(
            "/api/v1/users",
            json!({"email": "Li.Lei@Test.example", "display_name": "李雷", "password": PASSWORD, "role_ids": ["sales_manager"],
                   "team_id": org.team_east, "region_ids": [org.east], "product_line_ids": [org.printers], "locale": "zh-CN"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["region_ids"], json!([org.east]));
    assert!(r.body.get("password_hash").is_none() && !r.text.contains("argon2"));
    let id = r.id();
    admin
        .post(
            "/api/v1/users",
            json!({"email": "li.lei@test.example", "display_name": "x", "password": PASSWORD}),
        )
        .await
        .problem(409);
    let bad = admin
        .post("/api/v1/users", json!({"email": "nope", "display_name": "", "password": "short", "role_ids": ["no_such_role"]}))
        .await;
    let fields = bad.error_fields();
    assert_eq!(
        fields,
        ["email", "display_name", "password"],
        "{}",
        bad.text
    );
    let bad_ref = admin
        .post("/api/v1/users", json!({"email": "x@test.example", "display_name": "x", "password": PASSWORD, "role_ids": ["no_such_role"], "team_id": org.east}))
        .await;
    assert_eq!(
        bad_ref.error_fields(),
        ["role_ids", "team_id"],
        "a region is not a team"
    );

    let cur = admin.get(&format!("/api/v1/users/{id}")).await;
    admin
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(json!({"display_name": "李磊"})),
            &[],
        )
        .await
        .problem(428);
    let upd = admin
        .patch(
            &format!("/api/v1/users/{id}"),
            &cur.etag(),
            json!({"display_name": "李磊", "team_id": null}),
        )
        .await;
    assert_eq!(upd.status, 200, "{}", upd.text);
    assert_eq!(upd.body["team_id"], json!(null));
    assert_eq!(
        upd.body["region_ids"],
        json!([org.east]),
        "unsent fields stay"
    );

    let page = admin.get("/api/v1/users?limit=1").await;
    assert_eq!(page.body["data"].as_array().unwrap().len(), 1);
    let next = page.body["next_cursor"].as_str().unwrap();
    let page2 = admin
        .get(&format!("/api/v1/users?limit=1&cursor={next}"))
        .await;
    assert_ne!(page.ids(), page2.ids());
    let found = admin.get("/api/v1/users?q=li.lei").await;
    assert_eq!(found.ids(), vec![id.clone()]);

    // a password change works and old sessions end
    let old = app.login("li.lei@test.example", PASSWORD).await;
    let cur = admin.get(&format!("/api/v1/users/{id}")).await;
    assert_eq!(
        admin
            .patch(
                &format!("/api/v1/users/{id}"),
                &cur.etag(),
                json!({"password": "new-password-2"})
            )
            .await
            .status,
        200
    );
    app.login("li.lei@test.example", "new-password-2").await;
    assert_eq!(
        old.get("/api/v1/me").await.status,
        200,
        "access tokens live until they expire"
    );
}
db_test!(admins_create_edit_and_list_users);

async fn admins_cannot_deactivate_themselves_and_reps_cannot_manage_users(app: TestApp) {
    let admin = app.admin().await;
    let me = admin.get("/api/v1/me").await;
    let id = me.body["id"].as_str().unwrap();
    let cur = admin.get(&format!("/api/v1/users/{id}")).await;
    admin
        .patch(
            &format!("/api/v1/users/{id}"),
            &cur.etag(),
            json!({"is_active": false}),
        )
        .await
        .problem(422);
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    rep.post(
        "/api/v1/users",
        json!({"email": "x@test.example", "display_name": "x", "password": PASSWORD}),
    )
    .await
    .problem(403);
    let cur = rep.get(&format!("/api/v1/users/{rep_id}")).await;
    rep.patch(
        &format!("/api/v1/users/{rep_id}"),
        &cur.etag(),
        json!({"role_ids": ["admin"]}),
    )
    .await
    .problem(403);
}
db_test!(admins_cannot_deactivate_themselves_and_reps_cannot_manage_users);
