use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::json;

async fn a_reps_new_customer_is_theirs_in_their_region(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .team(&org.team_east)
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let r = rep
        .post(
            "/api/v1/customers",
            json!({"name": "  上海华联超市有限公司 ", "industry": "零售", "phones": ["021-6888 8888"], "emails": ["Buy@HuaLian.example"],
                   "tags": ["重点"], "product_line_ids": [org.printers]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["name"], "上海华联超市有限公司");
    assert_eq!(r.body["owner_id"], rep_id.as_str());
    assert_eq!(r.body["team_id"], org.team_east.as_str());
    assert_eq!(r.body["region_id"], org.shanghai.as_str());
    assert_eq!(r.body["lifecycle_stage"], "prospect");
    assert_eq!(r.body["created_by"], rep_id.as_str());
    assert_eq!(r.body["version"], 1);
    assert_eq!(r.etag(), "\"1\"");
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/customers/{}", r.id()).as_str())
    );
    assert!(
        r.body["created_at"].as_str().unwrap().ends_with('Z'),
        "UTC RFC 3339"
    );
    let got = rep.get(&format!("/api/v1/customers/{}", r.id())).await;
    assert_eq!(got.body, r.body);
}
db_test!(a_reps_new_customer_is_theirs_in_their_region);

async fn a_rep_may_not_create_customers_for_others_or_the_pool(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (other, _) = user("other@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    rep.post(
        "/api/v1/customers",
        customer("别人的").with("owner_id", json!(other)),
    )
    .await
    .problem(403);
    rep.post(
        "/api/v1/customers",
        customer("公海的").with("owner_id", json!(null)),
    )
    .await
    .problem(403);
    // a manager may place a customer in the pool of their region, not elsewhere
    let (_, mgr) = user("mgr@test.example", "sales_manager")
        .regions(&[&org.east])
        .create(&app, &admin)
        .await;
    let pool_sh = mgr
        .post(
            "/api/v1/customers",
            customer("公海上海")
                .with("owner_id", json!(null))
                .with("region_id", json!(org.shanghai)),
        )
        .await;
    assert_eq!(pool_sh.status, 201, "{}", pool_sh.text);
    mgr.post(
        "/api/v1/customers",
        customer("公海广东")
            .with("owner_id", json!(null))
            .with("region_id", json!(org.guangdong)),
    )
    .await
    .problem(403);
    let all = admin.get("/api/v1/customers?include_total=true").await;
    assert_eq!(all.body["total"], 1, "nothing else was stored");
}
db_test!(a_rep_may_not_create_customers_for_others_or_the_pool);

async fn hidden_customers_are_not_found_for_every_verb(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, a) = user("a@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (_, b) = user("b@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let theirs = create_customer(&a, customer("甲的客户")).await;
    let etag = a.get(&format!("/api/v1/customers/{theirs}")).await.etag();
    let path = format!("/api/v1/customers/{theirs}");
    let nf = b.get(&path).await;
    let missing = b
        .get("/api/v1/customers/0193a3f0-7c4e-7d2a-9b1e-2f4c6a8e0b1d")
        .await;
    assert_eq!(
        nf.problem(404)["detail"],
        missing.problem(404)["detail"],
        "hidden reads exactly like missing"
    );
    b.patch(&path, &etag, json!({"name": "抢"}))
        .await
        .problem(404);
    b.patch(&path, "\"99\"", json!({"name": "抢"}))
        .await
        .problem(404);
    b.delete(&path).await.problem(404);
    b.send(Method::POST, &format!("{path}/restore"), None, &[])
        .await
        .problem(404);
    b.get(&format!("{path}/contacts")).await.problem(404);
    b.post(&format!("{path}/contacts"), json!({"name": "x"}))
        .await
        .problem(404);
    let list = b.get("/api/v1/customers?include_total=true&q=甲").await;
    assert_eq!(list.body["total"], 0);
    assert_eq!(list.ids(), Vec::<String>::new());
    assert_eq!(
        a.get(&path).await.body["name"],
        "甲的客户",
        "nothing changed"
    );
}
db_test!(hidden_customers_are_not_found_for_every_verb);

async fn updates_need_the_current_etag(app: TestApp) {
    let admin = app.admin().await;
    let id = create_customer(&admin, customer("Acme").with("owner_id", json!(null))).await;
    let path = format!("/api/v1/customers/{id}");
    let v1 = admin.get(&path).await;
    admin
        .send(Method::PATCH, &path, Some(json!({"name": "Acme 2"})), &[])
        .await
        .problem(428);
    let ok = admin
        .patch(
            &path,
            &v1.etag(),
            json!({"name": "Acme Ltd.", "tags": ["key", "east"], "notes": "call after 3pm"}),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.etag(), "\"2\"");
    assert_eq!(ok.body["tags"], json!(["key", "east"]));
    // a second writer with the old ETag is refused, and told to reload
    let stale = admin
        .patch(&path, &v1.etag(), json!({"name": "Lost update"}))
        .await;
    assert!(
        stale.problem(412)["detail"]
            .as_str()
            .unwrap()
            .contains("reload")
    );
    assert_eq!(admin.get(&path).await.body["name"], "Acme Ltd.");
    // null clears, unsent stays
    let cleared = admin.patch(&path, "W/\"2\"", json!({"notes": null})).await;
    assert_eq!(cleared.body["notes"], json!(null));
    assert_eq!(cleared.body["tags"], json!(["key", "east"]));
    admin.patch(&path, "garbage", json!({})).await.problem(400);
    // `*` means: whatever version is current
    let star = admin.patch(&path, "*", json!({"industry": "零售"})).await;
    assert_eq!(star.status, 200, "{}", star.text);
    assert_eq!(star.body["version"], 4);
}
db_test!(updates_need_the_current_etag);

async fn invalid_customers_report_every_field_and_store_nothing(app: TestApp) {
    let admin = app.admin().await;
    let r = admin
        .post(
            "/api/v1/customers",
            json!({"name": "   ", "phones": ["12"], "emails": ["a@b.cn", "A@B.cn", "nope"], "tags": ["x".repeat(51)], "notes": "n".repeat(10_001)}),
        )
        .await;
    let p = r.problem(422);
    assert_eq!(p["type"], "/problems/validation");
    assert_eq!(
        r.error_fields(),
        [
            "name",
            "tags[0]",
            "phones[0]",
            "emails[1]",
            "emails[2]",
            "notes"
        ]
    );
    assert_eq!(p["errors"][0]["code"], "required");
    let refs = admin
        .post("/api/v1/customers", json!({"name": "x", "region_id": "nowhere", "product_line_ids": ["nothing"], "owner_id": "nobody"}))
        .await;
    assert_eq!(refs.problem(422)["errors"].as_array().unwrap().len(), 3);
    let kind = admin
        .post("/api/v1/customers", json!({"name": "x", "kind": "alien"}))
        .await;
    assert_eq!(kind.problem(422)["errors"][0]["field"], "kind");
    assert_eq!(
        admin.get("/api/v1/customers?include_total=true").await.body["total"],
        0
    );
}
db_test!(invalid_customers_report_every_field_and_store_nothing);

async fn deleted_customers_leave_lists_and_can_be_restored(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let id = create_customer(&admin, customer("要删").with("owner_id", json!(null))).await;
    let mine = create_customer(&rep, customer("我的")).await;
    rep.delete(&format!("/api/v1/customers/{mine}"))
        .await
        .problem(403);
    let path = format!("/api/v1/customers/{id}");
    admin
        .send(Method::DELETE, &path, None, &[("if-match", "\"7\"")])
        .await
        .problem(412);
    assert_eq!(admin.delete(&path).await.status, 204);
    admin.get(&path).await.problem(404);
    assert_eq!(
        admin.get("/api/v1/customers").await.ids(),
        vec![mine.clone()]
    );
    assert_eq!(
        admin.get("/api/v1/customers?deleted=true").await.ids(),
        vec![id.clone()]
    );
    assert_eq!(
        rep.get("/api/v1/customers?deleted=true").await.ids(),
        Vec::<String>::new()
    );
    let restored = admin
        .send(Method::POST, &format!("{path}/restore"), None, &[])
        .await;
    assert_eq!(restored.status, 200, "{}", restored.text);
    assert_eq!(restored.body["deleted_at"], json!(null));
    assert_eq!(restored.body["version"], 3);
    // restoring a live customer the caller sees: a conflict with its state
    admin
        .send(Method::POST, &format!("{path}/restore"), None, &[])
        .await
        .problem(409);
}
db_test!(deleted_customers_leave_lists_and_can_be_restored);

async fn managers_see_their_regions_and_product_lines(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let pool = |name: &str, region: &str| {
        customer(name)
            .with("owner_id", json!(null))
            .with("region_id", json!(region))
    };
    let sh = create_customer(&admin, pool("上海客户", &org.shanghai)).await;
    let js_printer = create_customer(
        &admin,
        pool("江苏打印", &org.jiangsu).with("product_line_ids", json!([org.printers])),
    )
    .await;
    let js_pc = create_customer(
        &admin,
        pool("江苏电脑", &org.jiangsu).with("product_line_ids", json!([org.computers])),
    )
    .await;
    let gd = create_customer(&admin, pool("广东客户", &org.guangdong)).await;
    let (_, mgr) = user("mgr@test.example", "sales_manager")
        .regions(&[&org.east])
        .create(&app, &admin)
        .await;
    let mut seen = mgr.get("/api/v1/customers?limit=200").await.ids();
    seen.sort();
    let mut want = vec![sh.clone(), js_printer.clone(), js_pc.clone()];
    want.sort();
    assert_eq!(seen, want, "region scope covers the regions below");
    mgr.get(&format!("/api/v1/customers/{gd}"))
        .await
        .problem(404);

    let (_, pm) = user("pm@test.example", "sales_manager")
        .regions(&[&org.east])
        .product_lines(&[&org.printers])
        .create(&app, &admin)
        .await;
    let mut seen = pm.get("/api/v1/customers").await.ids();
    seen.sort();
    let mut want = vec![sh, js_printer];
    want.sort();
    assert_eq!(
        seen, want,
        "limited to printers, plus customers of no product line"
    );
    pm.get(&format!("/api/v1/customers/{js_pc}"))
        .await
        .problem(404);
    // the manager may not move a customer out of their region
    let c = mgr.get(&format!("/api/v1/customers/{js_pc}")).await;
    mgr.patch(
        &format!("/api/v1/customers/{js_pc}"),
        &c.etag(),
        json!({"region_id": org.guangdong}),
    )
    .await
    .problem(403);
    assert_eq!(
        mgr.patch(
            &format!("/api/v1/customers/{js_pc}"),
            &c.etag(),
            json!({"region_id": org.shanghai})
        )
        .await
        .status,
        200
    );
}
db_test!(managers_see_their_regions_and_product_lines);

async fn dealers_see_only_their_own_customers(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let ours = create_customer(
        &admin,
        customer("经销商客户")
            .with("owner_id", json!(null))
            .with("partner_id", json!(org.dealer)),
    )
    .await;
    let theirs = create_customer(
        &admin,
        customer("别家经销")
            .with("owner_id", json!(null))
            .with("partner_id", json!(org.other_dealer)),
    )
    .await;
    create_customer(&admin, customer("直销").with("owner_id", json!(null))).await;
    let (_, dealer) = user("dealer@test.example", "partner")
        .partner(&org.dealer)
        .create(&app, &admin)
        .await;
    assert_eq!(
        dealer.get("/api/v1/customers").await.ids(),
        vec![ours.clone()]
    );
    dealer
        .get(&format!("/api/v1/customers/{theirs}"))
        .await
        .problem(404);
    let created = dealer.post("/api/v1/customers", customer("新客户")).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(
        created.body["partner_id"],
        org.dealer.as_str(),
        "a dealer's customer is the dealer's"
    );
    dealer
        .post(
            "/api/v1/customers",
            customer("冒充").with("partner_id", json!(org.other_dealer)),
        )
        .await
        .problem(403);
    let c = dealer.get(&format!("/api/v1/customers/{ours}")).await;
    dealer
        .patch(
            &format!("/api/v1/customers/{ours}"),
            &c.etag(),
            json!({"partner_id": null}),
        )
        .await
        .problem(403);
}
db_test!(dealers_see_only_their_own_customers);
