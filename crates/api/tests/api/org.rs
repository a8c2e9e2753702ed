use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::TestApp;
use serde_json::json;

async fn admins_keep_regions_and_teams_as_trees(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let regions = admin.get("/api/v1/regions").await;
    assert_eq!(regions.body["data"].as_array().unwrap().len(), 5);
    let sh = admin
        .get(&format!("/api/v1/regions/{}", org.shanghai))
        .await;
    assert_eq!(sh.body["parent_id"], org.east.as_str());

    // a region cannot move below its own descendant
    let east = admin.get(&format!("/api/v1/regions/{}", org.east)).await;
    let r = admin
        .patch(
            &format!("/api/v1/regions/{}", org.east),
            &east.etag(),
            json!({"parent_id": org.shanghai}),
        )
        .await;
    assert_eq!(r.problem(422)["errors"][0]["code"], "cycle");
    // nor below a team
    let r = admin
        .patch(
            &format!("/api/v1/regions/{}", org.east),
            &east.etag(),
            json!({"parent_id": org.team_east}),
        )
        .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "parent_id");
    // moving 江苏 to 华南 works and bumps the version
    let js = admin.get(&format!("/api/v1/regions/{}", org.jiangsu)).await;
    let moved = admin
        .patch(
            &format!("/api/v1/regions/{}", org.jiangsu),
            &js.etag(),
            json!({"parent_id": org.south}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.body["version"], 2);
    // the old ETag is stale now
    admin
        .patch(
            &format!("/api/v1/regions/{}", org.jiangsu),
            &js.etag(),
            json!({"name": "苏"}),
        )
        .await
        .problem(412);
    // siblings have unique names
    admin
        .post(
            "/api/v1/regions",
            json!({"name": "上海", "parent_id": org.east}),
        )
        .await
        .problem(409);
    assert_eq!(
        admin
            .post(
                "/api/v1/regions",
                json!({"name": "上海", "parent_id": org.south})
            )
            .await
            .status,
        201
    );
    // product lines and partners are flat
    let r = admin
        .post(
            "/api/v1/product-lines",
            json!({"name": "墨盒", "parent_id": org.printers}),
        )
        .await;
    r.problem(422);
}
db_test!(admins_keep_regions_and_teams_as_trees);

async fn units_in_use_cannot_be_deleted(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    create_customer(
        &admin,
        customer("用了广东").with("region_id", json!(org.guangdong)),
    )
    .await;
    let r = admin
        .delete(&format!("/api/v1/regions/{}", org.guangdong))
        .await;
    assert!(
        r.problem(409)["detail"]
            .as_str()
            .unwrap()
            .contains("1 customers")
    );
    admin
        .delete(&format!("/api/v1/regions/{}", org.south))
        .await
        .problem(409);
    assert_eq!(
        admin
            .delete(&format!("/api/v1/product-lines/{}", org.computers))
            .await
            .status,
        204
    );
    admin
        .get(&format!("/api/v1/product-lines/{}", org.computers))
        .await
        .problem(404);
}
db_test!(units_in_use_cannot_be_deleted);

async fn only_admins_change_the_organisation_but_everyone_inside_reads_it(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    assert_eq!(rep.get("/api/v1/teams").await.status, 200);
    rep.post("/api/v1/teams", json!({"name": "私设"}))
        .await
        .problem(403);
    let t = rep.get(&format!("/api/v1/teams/{}", org.team_east)).await;
    rep.patch(
        &format!("/api/v1/teams/{}", org.team_east),
        &t.etag(),
        json!({"name": "改"}),
    )
    .await
    .problem(403);
    rep.delete(&format!("/api/v1/teams/{}", org.team_south))
        .await
        .problem(403);
    let (_, dealer) = user("dealer@test.example", "partner")
        .partner(&org.dealer)
        .create(&app, &admin)
        .await;
    dealer.get("/api/v1/teams").await.problem(403);
    dealer.get("/api/v1/users").await.problem(403);
    assert_eq!(dealer.get("/api/v1/product-lines").await.status, 200);
}
db_test!(only_admins_change_the_organisation_but_everyone_inside_reads_it);
