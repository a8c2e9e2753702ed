//! 公海, the company pool, through the API: reps see the pool of their
//! territory and claim from it within the limits administrators set; owners
//! release with a reason; every owner change is recorded.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use serde_json::{Value, json};

async fn pooled(admin: &Client, name: &str, region: &str) -> String {
    create_customer(
        admin,
        customer(name)
            .with("owner_id", json!(null))
            .with("region_id", json!(region)),
    )
    .await
}

async fn set_rules(admin: &Client, rules: Value) {
    let r = admin
        .send(reqwest::Method::PUT, "/api/v1/pool/rules", Some(rules), &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// A customer's owner changes, newest first.
pub async fn changes(c: &Client, id: &str) -> Vec<Value> {
    let r = c
        .get(&format!("/api/v1/customers/{id}/owner-changes"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].as_array().unwrap().clone()
}

async fn a_rep_claims_from_the_pool_of_their_region_and_it_is_recorded(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (east_id, east) = user("east@test.example", "sales_rep")
        .team(&org.team_east)
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (_, east2) = user("east2@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (_, south) = user("south@test.example", "sales_rep")
        .regions(&[&org.guangdong])
        .create(&app, &admin)
        .await;
    let id = pooled(&admin, "公海客户", &org.shanghai).await;
    let elsewhere = pooled(&admin, "别处的公海客户", &org.guangdong).await;

    // the pool of their region is in their list; another region's is not
    let listed = east.get("/api/v1/customers?owner=none").await.ids();
    assert_eq!(listed, vec![id.clone()]);
    assert_eq!(
        south
            .post(&format!("/api/v1/customers/{id}/claim"), json!({}))
            .await
            .status,
        404
    );
    // seeing is not editing: a pool customer is claimed, not edited
    let cur = east.get(&format!("/api/v1/customers/{id}")).await;
    assert_eq!(cur.status, 200);
    let r = east
        .patch(
            &format!("/api/v1/customers/{id}"),
            &cur.etag(),
            json!({"industry": "零售"}),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);

    let r = east
        .post(&format!("/api/v1/customers/{id}/claim"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["owner_id"], east_id.as_str());
    assert_eq!(r.body["team_id"], org.team_east.as_str());
    assert_eq!(r.body["version"], 2);
    // now it is theirs to edit, and no longer anyone else's to claim
    let r = east
        .patch(
            &format!("/api/v1/customers/{id}"),
            &r.etag(),
            json!({"industry": "零售"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = east2
        .post(&format!("/api/v1/customers/{id}/claim"), json!({}))
        .await;
    assert_eq!(
        r.status, 404,
        "the claimed customer left the other rep's view"
    );
    let r = admin
        .post(&format!("/api/v1/customers/{id}/claim"), json!({}))
        .await;
    assert_eq!(r.problem(409)["errors"][0]["code"], "not_in_pool");

    let h = changes(&east, &id).await;
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["kind"], "claim");
    assert_eq!(h[0]["from"], Value::Null);
    assert_eq!(h[0]["to"]["id"], east_id.as_str());
    assert_eq!(h[0]["changed_by"]["display_name"], "east");
    assert!(h[0]["changed_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        south
            .get(&format!("/api/v1/customers/{elsewhere}/owner-changes"))
            .await
            .status,
        200,
        "south sees the pool of their own region"
    );
    assert_eq!(
        east.get(&format!("/api/v1/customers/{elsewhere}/owner-changes"))
            .await
            .status,
        404
    );
}
db_test!(a_rep_claims_from_the_pool_of_their_region_and_it_is_recorded);

async fn the_limits_stop_hoarding_and_a_former_owner_waits(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (_, other) = user("other@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let a = pooled(&admin, "甲", &org.shanghai).await;
    let b = pooled(&admin, "乙", &org.shanghai).await;
    let c = pooled(&admin, "丙", &org.shanghai).await;
    let claim = |who: &Client, id: &str| {
        let (who, path) = (who.clone(), format!("/api/v1/customers/{id}/claim"));
        async move { who.post(&path, json!({})).await }
    };

    // owning at most one: the second claim is refused, nothing changes
    create_customer(&rep, customer("自己的客户")).await;
    set_rules(
        &admin,
        json!({"max_owned": 1, "max_claims_per_day": null, "reclaim_cooldown_days": 0}),
    )
    .await;
    let r = claim(&rep, &a).await;
    assert_eq!(r.problem(409)["errors"][0]["code"], "too_many_owned");
    assert_eq!(r.body["errors"][0]["field"], "owner_id");
    assert_eq!(
        admin.get(&format!("/api/v1/customers/{a}")).await.body["owner_id"],
        Value::Null
    );

    // one claim a day
    set_rules(
        &admin,
        json!({"max_owned": null, "max_claims_per_day": 1, "reclaim_cooldown_days": 0}),
    )
    .await;
    assert_eq!(claim(&rep, &a).await.status, 200);
    assert_eq!(
        claim(&rep, &b).await.problem(409)["errors"][0]["code"],
        "too_many_claims"
    );

    // a release needs a reason; then a cool-down keeps the former owner out, not others
    set_rules(
        &admin,
        json!({"max_owned": null, "max_claims_per_day": null, "reclaim_cooldown_days": 7}),
    )
    .await;
    let r = rep
        .post(
            &format!("/api/v1/customers/{a}/release"),
            json!({"reason": "  "}),
        )
        .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "reason");
    let r = rep
        .post(
            &format!("/api/v1/customers/{a}/release"),
            json!({"reason": " 客户已搬迁 "}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["owner_id"], Value::Null);
    let r = rep
        .post(
            &format!("/api/v1/customers/{a}/release"),
            json!({"reason": "再次"}),
        )
        .await;
    assert_eq!(
        r.status, 403,
        "the pool customer is no longer the rep's to edit: {}",
        r.text
    );
    let r = claim(&rep, &a).await;
    let p = r.problem(409);
    assert_eq!(p["errors"][0]["code"], "cooling_down");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("(from 20"),
        "{p}"
    );
    assert_eq!(claim(&other, &a).await.status, 200);
    assert_eq!(
        claim(&rep, &c).await.status,
        200,
        "other customers are fine"
    );

    let h = changes(&admin, &a).await;
    let kinds: Vec<&str> = h.iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["claim", "release", "claim"]);
    assert_eq!(h[1]["reason"], "客户已搬迁");
    assert_eq!(h[1]["from"]["id"], rep_id.as_str());
    assert_eq!(h[1]["to"], Value::Null);
}
db_test!(the_limits_stop_hoarding_and_a_former_owner_waits);

async fn administrators_set_the_rules_and_everyone_reads_them(app: TestApp) {
    let admin = app.admin().await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let r = rep.get("/api/v1/pool/rules").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        json!({"max_owned": 500, "max_claims_per_day": 20, "reclaim_cooldown_days": 7, "recycle": []}),
        "defaults"
    );
    let r = rep
        .send(
            reqwest::Method::PUT,
            "/api/v1/pool/rules",
            Some(
                json!({"max_owned": null, "max_claims_per_day": null, "reclaim_cooldown_days": 0}),
            ),
            &[],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = admin
        .send(
            reqwest::Method::PUT,
            "/api/v1/pool/rules",
            Some(json!({"max_owned": 0, "max_claims_per_day": 10001, "reclaim_cooldown_days": -1})),
            &[],
        )
        .await;
    assert_eq!(
        r.problem(422)["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["max_owned", "max_claims_per_day", "reclaim_cooldown_days"]
    );
    let rules = json!({"max_owned": 30, "max_claims_per_day": null, "reclaim_cooldown_days": 3,
        "recycle": [{"stage": "prospect", "days_without_progress": 30}]});
    set_rules(&admin, rules.clone()).await;
    assert_eq!(rep.get("/api/v1/pool/rules").await.body, rules);
    let r = admin
        .send(
            reqwest::Method::PUT,
            "/api/v1/pool/rules",
            Some(
                json!({"max_owned": null, "max_claims_per_day": null, "reclaim_cooldown_days": 0,
                "recycle": [{"stage": "prospect", "days_without_progress": 0},
                            {"stage": "prospect", "days_without_progress": 5}]}),
            ),
            &[],
        )
        .await;
    assert_eq!(
        r.problem(422)["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["recycle[0].days_without_progress", "recycle[1].stage"]
    );
    assert_eq!(
        rep.get("/api/v1/pool/rules").await.body,
        rules,
        "nothing stored"
    );
}
db_test!(administrators_set_the_rules_and_everyone_reads_them);

async fn an_owner_set_by_an_edit_is_recorded_as_assigned(app: TestApp) {
    let admin = app.admin().await;
    let (rep_id, _) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let id = create_customer(&admin, customer("分配的客户").with("owner_id", json!(null))).await;
    let cur = admin.get(&format!("/api/v1/customers/{id}")).await;
    let r = admin
        .patch(
            &format!("/api/v1/customers/{id}"),
            &cur.etag(),
            json!({"owner_id": rep_id}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let h = changes(&admin, &id).await;
    assert_eq!(h[0]["kind"], "assign");
    assert_eq!(h[0]["from"], Value::Null);
    assert_eq!(h[0]["to"]["display_name"], "rep");
    let me = admin.get("/api/v1/me").await;
    assert_eq!(h[0]["changed_by"]["id"], me.body["id"]);
    // an edit that keeps the owner records nothing
    let r = admin
        .patch(
            &format!("/api/v1/customers/{id}"),
            &r.etag(),
            json!({"industry": "零售"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(changes(&admin, &id).await.len(), 1);
}
db_test!(an_owner_set_by_an_edit_is_recorded_as_assigned);

async fn neglected_customers_go_back_to_the_pool_once_even_with_two_nodes(app: TestApp) {
    let admin = app.admin().await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let owned = |name: &str| customer(name).with("owner_id", json!(rep_id));
    let mut neglected = Vec::new();
    for i in 0..6 {
        neglected.push(create_customer(&admin, owned(&format!("被冷落的客户{i}"))).await);
    }
    let fresh = create_customer(&admin, owned("刚跟进的客户")).await;
    let buying = create_customer(
        &admin,
        owned("成交客户").with("lifecycle_stage", json!("customer")),
    )
    .await;
    set_rules(
        &admin,
        json!({"max_owned": null, "max_claims_per_day": null, "reclaim_cooldown_days": 0,
            "recycle": [{"stage": "prospect", "days_without_progress": 30}]}),
    )
    .await;
    // held for years without an activity, as if the rep had forgotten them
    for id in neglected.iter().chain([&buying]) {
        app.exec(&format!(
            "UPDATE customers SET created_at = '2020-01-01 00:00:00', owned_since = '2020-01-01 00:00:00' WHERE id = '{id}'"
        ));
    }

    // two nodes apply the rules at the same moment
    let now = kehu_api::db::now();
    let rules = {
        let mut c = app.pool().get().unwrap();
        kehu_api::repo::customers::owners::rules(&mut c).unwrap()
    };
    let nodes: Vec<_> = (0..2)
        .map(|_| {
            let (pool, rules) = (app.pool(), rules.clone());
            std::thread::spawn(move || {
                let mut c = pool.get().unwrap();
                kehu_api::repo::customers::owners::recycle(&mut c, &rules, now, 100).unwrap()
            })
        })
        .collect();
    let recycled: usize = nodes.into_iter().map(|n| n.join().unwrap()).sum();
    assert_eq!(recycled, neglected.len());

    for id in &neglected {
        let c = admin.get(&format!("/api/v1/customers/{id}")).await;
        assert_eq!(c.body["owner_id"], Value::Null);
        let h = changes(&admin, id).await;
        assert_eq!(h.len(), 1, "recorded once: {h:?}");
        assert_eq!(h[0]["kind"], "recycle");
        assert_eq!(h[0]["from"]["id"], rep_id.as_str());
        assert_eq!(h[0]["changed_by"], Value::Null);
    }
    for id in [&fresh, &buying] {
        let c = admin.get(&format!("/api/v1/customers/{id}")).await;
        assert_eq!(c.body["owner_id"], rep_id.as_str(), "{}", c.body["name"]);
    }
    // the rep no longer has them
    let mine = rep.get("/api/v1/customers?owner=me").await.ids();
    assert_eq!(mine.len(), 2);
}
db_test!(neglected_customers_go_back_to_the_pool_once_even_with_two_nodes);

async fn simultaneous_claims_by_one_rep_stop_at_the_limit(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    set_rules(
        &admin,
        json!({"max_owned": 3, "max_claims_per_day": null, "reclaim_cooldown_days": 0}),
    )
    .await;
    let mut ids = Vec::new();
    for i in 0..8 {
        ids.push(pooled(&admin, &format!("抢客户{i}"), &org.shanghai).await);
    }
    // a rep double-tapping on two phones: every claim at once
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let (c, path) = (rep.clone(), format!("/api/v1/customers/{id}/claim"));
            actix_web::rt::spawn(async move { c.post(&path, json!({})).await })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status.as_u16() {
            200 => won += 1,
            409 => assert_eq!(r.body["errors"][0]["code"], "too_many_owned", "{}", r.text),
            other => panic!("unexpected {other}: {}", r.text),
        }
    }
    assert_eq!(won, 3);
    assert_eq!(
        rep.get("/api/v1/customers?owner=me").await.ids().len(),
        3,
        "the limit holds however the claims interleave"
    );
}
db_test!(simultaneous_claims_by_one_rep_stop_at_the_limit);
