use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{PASSWORD, TestApp};
use serde_json::json;

async fn builtin_roles_are_listed_and_immutable(app: TestApp) {
    let admin = app.admin().await;
    let roles = admin.get("/api/v1/roles").await;
    let ids: Vec<&str> = roles.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for b in [
        "admin",
        "sales_manager",
        "sales_rep",
        "service_agent",
        "marketing",
        "partner",
    ] {
        assert!(ids.contains(&b), "{b} missing from {ids:?}");
    }
    let rep = admin.get("/api/v1/roles/sales_rep").await;
    assert_eq!(rep.body["is_builtin"], true);
    assert!(
        rep.body["grants"]
            .as_array()
            .unwrap()
            .contains(&json!({"resource": "customer", "action": "read", "scope": "own"}))
    );
    admin
        .patch("/api/v1/roles/sales_rep", &rep.etag(), json!({"name": "x"}))
        .await
        .problem(409);
    admin.delete("/api/v1/roles/sales_rep").await.problem(409);
}
db_test!(builtin_roles_are_listed_and_immutable);

async fn a_custom_role_grants_exactly_its_scopes(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let bad = admin
        .post("/api/v1/roles", json!({"name": "坏", "grants": [{"resource": "customer", "action": "fly", "scope": "team"}, {"resource": "planet", "action": "read", "scope": "everything"}]}))
        .await;
    assert_eq!(bad.problem(422)["errors"].as_array().unwrap().len(), 3);
    let role = admin
        .post("/api/v1/roles", json!({"name": "大客户经理", "grants": [{"resource": "customer", "action": "read", "scope": "team"}]}))
        .await;
    assert_eq!(role.status, 201, "{}", role.text);
    let role_id = role.id();
    admin
        .post("/api/v1/roles", json!({"name": "大客户经理"}))
        .await
        .problem(409);

    let (_, rep) = user("rep@test.example", "sales_rep")
        .team(&org.team_east_sub)
        .create(&app, &admin)
        .await;
    let r = admin.post("/api/v1/users", json!({"email": "kam@test.example", "display_name": "KAM", "password": PASSWORD, "role_ids": [role_id], "team_id": org.team_east})).await;
    assert_eq!(r.status, 201);
    let kam = app.login("kam@test.example", PASSWORD).await;
    let in_sub_team = create_customer(&rep, customer("子团队客户")).await;
    let pool = create_customer(&admin, customer("公海客户").with("owner_id", json!(null))).await;
    assert_eq!(
        kam.get("/api/v1/customers").await.ids(),
        vec![in_sub_team.clone()],
        "team scope covers teams below"
    );
    kam.get(&format!("/api/v1/customers/{pool}"))
        .await
        .problem(404);
    // read does not imply update
    let c = kam.get(&format!("/api/v1/customers/{in_sub_team}")).await;
    kam.patch(
        &format!("/api/v1/customers/{in_sub_team}"),
        &c.etag(),
        json!({"notes": "x"}),
    )
    .await
    .problem(403);

    // widening the role takes effect on the next request
    let cur = admin.get(&format!("/api/v1/roles/{role_id}")).await;
    let r = admin
        .patch(
            &format!("/api/v1/roles/{role_id}"),
            &cur.etag(),
            json!({"grants": [{"resource": "customer", "action": "read", "scope": "all"}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(kam.get("/api/v1/customers").await.ids().len(), 2);
    admin
        .delete(&format!("/api/v1/roles/{role_id}"))
        .await
        .problem(409);
}
db_test!(a_custom_role_grants_exactly_its_scopes);
