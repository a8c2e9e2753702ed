//! 合并: two records of one customer become one; the survivor keeps the
//! values picked, the duplicate's contacts and history, and the duplicate's
//! id leads to it.

use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::{Client, Resp, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

async fn merge(c: &Client, survivor: &str, etag: &str, body: Value) -> Resp {
    c.send(
        Method::POST,
        &format!("/api/v1/customers/{survivor}/merge"),
        Some(body),
        &[("if-match", etag)],
    )
    .await
}

async fn read(c: &Client, id: &str) -> Resp {
    c.get(&format!("/api/v1/customers/{id}")).await
}

fn version(r: &Resp) -> i64 {
    r.body["version"].as_i64().expect("version")
}

async fn add_contact(c: &Client, customer: &str, name: &str) -> String {
    let r = c
        .post(
            &format!("/api/v1/customers/{customer}/contacts"),
            json!({"name": name}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.id()
}

/// A client that shows redirects instead of following them.
fn no_redirects(c: &Client) -> Client {
    Client {
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        ..c.clone()
    }
}

async fn a_rep_merges_a_duplicate_into_the_record_that_stays(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .team(&org.team_east)
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    // retiring a record takes the right to delete it, as in other CRMs: the
    // rep's manager merges, the rep sees the result
    let (_, mgr) = user("mgr@test.example", "sales_manager")
        .team(&org.team_east)
        .regions(&[&org.east])
        .create(&app, &admin)
        .await;
    let keep = create_customer(
        &rep,
        customer("华联超市有限公司")
            .with("region_id", json!(org.shanghai))
            .with("industry", json!("零售"))
            .with("phones", json!(["13800138000"]))
            .with("tags", json!(["重点"])),
    )
    .await;
    let dup = rep
        .post(
            "/api/v1/customers",
            customer("华联超市")
                .with("region_id", json!(org.shanghai))
                .with("phones", json!(["+86 138 0013 8000", "021-6234 5678"]))
                .with("emails", json!(["buyer@hualian.cn"]))
                .with("address", json!("上海市黄浦区南京东路1号"))
                .with("tags", json!(["华东"]))
                .with("lifecycle_stage", json!("interested"))
                .with("duplicate_reason", json!("录入时未发现")),
        )
        .await;
    assert_eq!(dup.status, 201, "{}", dup.text);
    let dup = dup.id();
    let kept_contact = add_contact(&rep, &keep, "王经理").await;
    let moved_contact = add_contact(&rep, &dup, "李采购").await;
    let dropped_contact = add_contact(&rep, &dup, "王经理（重复）").await;

    let s = read(&mgr, &keep).await;
    let o = read(&mgr, &dup).await;
    let p = mgr
        .get(&format!("/api/v1/customers/{keep}/merge?other_id={dup}"))
        .await;
    assert_eq!(p.status, 200, "{}", p.text);
    assert_eq!(p.body["other_version"], o.body["version"]);
    assert_eq!(p.body["contacts_to_move"], 2);
    let proposed = |f: &str| {
        p.body["differences"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["field"] == f)
            .map(|d| d["proposed"].as_str().unwrap().to_owned())
    };
    assert_eq!(proposed("name").as_deref(), Some("survivor"));
    assert_eq!(proposed("address").as_deref(), Some("other"), "fills a gap");
    assert_eq!(proposed("phones").as_deref(), Some("both"));
    assert_eq!(proposed("industry").as_deref(), Some("survivor"));
    assert_eq!(proposed("region_id"), None, "the same on both");
    assert_eq!(
        read(&mgr, &dup).await.etag(),
        o.etag(),
        "a preview changes nothing"
    );
    let r = merge(
        &mgr,
        &keep,
        &s.etag(),
        json!({
            "other_id": dup,
            "other_version": version(&o),
            "fields": {"address": "other", "tags": "both"},
            "drop_contact_ids": [dropped_contact],
        }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let m = &r.body;
    assert_eq!(m["id"], keep.as_str());
    assert_eq!(
        m["name"], "华联超市有限公司",
        "the survivor's name by default"
    );
    assert_eq!(m["industry"], "零售");
    assert_eq!(
        m["address"], "上海市黄浦区南京东路1号",
        "picked from the duplicate"
    );
    assert_eq!(
        m["lifecycle_stage"], "interested",
        "the stage further along"
    );
    assert_eq!(m["tags"], json!(["重点", "华东"]));
    assert_eq!(
        m["phones"].as_array().unwrap().len(),
        2,
        "the same mobile written two ways is kept once: {}",
        m["phones"]
    );
    assert_eq!(m["emails"], json!(["buyer@hualian.cn"]));
    assert_ne!(r.etag(), s.etag());

    // the duplicate's id leads to the survivor
    let raw = read(&no_redirects(&rep), &dup).await;
    assert_eq!(raw.status, 308);
    assert_eq!(
        raw.header("location"),
        Some(format!("/api/v1/customers/{keep}").as_str())
    );
    assert_eq!(read(&rep, &dup).await.body["id"], keep.as_str());
    // ... and is gone from lists, the trash and the duplicate check
    let list = rep.get("/api/v1/customers").await.ids();
    assert!(list.contains(&keep) && !list.contains(&dup));
    assert!(
        !rep.get("/api/v1/customers?deleted=true")
            .await
            .ids()
            .contains(&dup)
    );
    let r = rep
        .post(&format!("/api/v1/customers/{dup}/restore"), json!({}))
        .await;
    r.problem(404);
    let r = rep
        .post(
            "/api/v1/customers",
            customer("另一家").with("phones", json!(["021 6234 5678"])),
        )
        .await;
    let found: Vec<&str> = r.problem(409)["duplicates"]["visible"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(
        found,
        vec![keep.as_str()],
        "the survivor carries the phone now"
    );

    // contacts moved, the one not kept is in the survivor's trash
    let contacts = rep
        .get(&format!("/api/v1/customers/{keep}/contacts"))
        .await
        .ids();
    assert_eq!(contacts.len(), 2);
    assert!(contacts.contains(&kept_contact) && contacts.contains(&moved_contact));
    let trash = rep
        .get(&format!("/api/v1/customers/{keep}/contacts?deleted=true"))
        .await
        .ids();
    assert_eq!(trash, vec![dropped_contact.clone()]);

    // history: the merge, with what changed, and the duplicate's own past
    let h = rep.get(&format!("/api/v1/customers/{keep}/history")).await;
    assert_eq!(h.status, 200, "{}", h.text);
    let entries = h.body["data"].as_array().unwrap();
    let merge_entry = entries
        .iter()
        .find(|e| e["entity_id"] == keep.as_str() && e["action"] == "merge")
        .expect("the merge is in the survivor's history");
    let changed: Vec<&str> = merge_entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    for f in [
        "address",
        "lifecycle_stage",
        "tags",
        "phones",
        "emails",
        "merged_from",
    ] {
        assert!(changed.contains(&f), "{f} in {changed:?}");
    }
    assert!(
        entries
            .iter()
            .any(|e| e["entity_id"] == dup.as_str() && e["action"] == "create"),
        "the duplicate's creation is kept"
    );
    assert!(
        entries
            .iter()
            .any(|e| e["entity_id"] == dup.as_str() && e["action"] == "merge")
    );
    let stages = rep
        .get(&format!("/api/v1/customers/{keep}/stage-changes"))
        .await;
    let newest = &stages.body["data"][0];
    assert_eq!(newest["to"], "interested");
    assert_eq!(newest["automatic"], false, "the person merging picked it");
    assert!(
        newest["reason"].as_str().unwrap().contains("华联超市"),
        "{newest}"
    );
}
db_test!(a_rep_merges_a_duplicate_into_the_record_that_stays);

async fn a_merge_needs_both_records_within_reach_and_current(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, mgr) = user("mgr@test.example", "sales_manager")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (_, stranger) = user("far@test.example", "sales_rep")
        .regions(&[&org.guangdong])
        .create(&app, &admin)
        .await;
    let mine = create_customer(&mgr, customer("甲公司")).await;
    let also_mine = create_customer(&mgr, customer("乙公司")).await;
    let theirs = create_customer(&stranger, customer("丙公司")).await;
    let s = read(&mgr, &mine).await;
    let o = read(&mgr, &also_mine).await;

    // a customer out of scope is as unknown as one that does not exist
    for other in [theirs.as_str(), "no-such-customer"] {
        let r = merge(
            &mgr,
            &mine,
            &s.etag(),
            json!({"other_id": other, "other_version": 1}),
        )
        .await;
        assert_eq!(r.problem(422)["errors"][0]["field"], "other_id");
        assert_eq!(r.body["errors"][0]["code"], "not_found");
    }
    let r = merge(
        &mgr,
        &theirs,
        &s.etag(),
        json!({"other_id": mine, "other_version": version(&o)}),
    )
    .await;
    r.problem(404);
    let r = merge(
        &mgr,
        &mine,
        &s.etag(),
        json!({"other_id": mine, "other_version": version(&s)}),
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "other_id");
    // someone changed the duplicate since: nothing happens
    let r = merge(
        &mgr,
        &mine,
        &s.etag(),
        json!({"other_id": also_mine, "other_version": version(&o) + 1}),
    )
    .await;
    r.problem(412);
    let r = merge(
        &mgr,
        &mine,
        &s.etag(),
        json!({"other_id": also_mine, "other_version": version(&o), "drop_contact_ids": ["not-theirs"], "fields": {"name": "both"}}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = merge(
        &mgr,
        &mine,
        &s.etag(),
        json!({"other_id": also_mine, "other_version": version(&o), "drop_contact_ids": ["not-theirs"]}),
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "drop_contact_ids[0]");
    let r = mgr
        .send(
            Method::POST,
            &format!("/api/v1/customers/{mine}/merge"),
            Some(json!({"other_id": also_mine, "other_version": version(&o)})),
            &[],
        )
        .await;
    r.problem(428);
    assert_eq!(read(&mgr, &also_mine).await.body["id"], also_mine.as_str());
    assert_eq!(read(&mgr, &mine).await.etag(), s.etag(), "nothing changed");

    // after the merge, the retired id tells a stranger nothing
    let r = merge(
        &mgr,
        &mine,
        &s.etag(),
        json!({"other_id": also_mine, "other_version": version(&o)}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    read(&stranger, &also_mine).await.problem(404);
    // merging it again is refused: it is no longer a live customer
    let s = read(&mgr, &mine).await;
    let r = merge(
        &mgr,
        &mine,
        &s.etag(),
        json!({"other_id": also_mine, "other_version": version(&o) + 1}),
    )
    .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "other_id");

    // a rep may edit their own customers but not retire one
    let (_, rep) = user("rep@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let a = create_customer(&rep, customer("丁公司")).await;
    let b = create_customer(&rep, customer("戊公司")).await;
    let (sa, sb) = (read(&rep, &a).await, read(&rep, &b).await);
    let r = merge(
        &rep,
        &a,
        &sa.etag(),
        json!({"other_id": b, "other_version": version(&sb)}),
    )
    .await;
    r.problem(403);
}
db_test!(a_merge_needs_both_records_within_reach_and_current);

async fn merged_ids_lead_to_the_last_survivor(app: TestApp) {
    let admin = app.admin().await;
    let a = create_customer(&admin, customer("A 公司")).await;
    let b = create_customer(&admin, customer("B 公司")).await;
    let c = create_customer(&admin, customer("C 公司")).await;
    for (survivor, other) in [(&b, &c), (&a, &b)] {
        let s = read(&admin, survivor).await;
        let o = read(&admin, other).await;
        let r = merge(
            &admin,
            survivor,
            &s.etag(),
            json!({"other_id": other, "other_version": version(&o), "fields": {"name": "other"}}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let direct = no_redirects(&admin);
    for old in [&b, &c] {
        let r = read(&direct, old).await;
        assert_eq!(r.status, 308);
        assert_eq!(
            r.header("location"),
            Some(format!("/api/v1/customers/{a}").as_str()),
            "one step to the survivor"
        );
    }
    assert_eq!(
        read(&admin, &a).await.body["name"],
        "C 公司",
        "b took c's name, a took b's"
    );
    let audit = admin.get(&format!("/api/v1/audit?entity_id={b}")).await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    let retired: Vec<&Value> = audit.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "merge")
        .collect();
    assert_eq!(retired.len(), 2, "b took c in, then went into a");
    assert_eq!(retired[0]["changes"][0]["field"], "merged_into");
}
db_test!(merged_ids_lead_to_the_last_survivor);

async fn picks_that_do_not_fit_are_refused_by_field(app: TestApp) {
    let admin = app.admin().await;
    let tags = |p: &str| (0..12).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
    let a = create_customer(&admin, customer("甲").with("tags", json!(tags("a")))).await;
    let b = create_customer(&admin, customer("乙").with("tags", json!(tags("b")))).await;
    let s = read(&admin, &a).await;
    let o = read(&admin, &b).await;
    let body = json!({"other_id": b, "other_version": version(&o)});
    let r = merge(&admin, &a, &s.etag(), body.clone()).await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "fields.tags");
    assert_eq!(
        read(&admin, &b).await.body["id"],
        b.as_str(),
        "nothing retired"
    );
    let r = merge(
        &admin,
        &a,
        &s.etag(),
        body.with("fields", json!({"tags": "other"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["tags"], json!(tags("b")));
}
db_test!(picks_that_do_not_fit_are_refused_by_field);
