//! Likely duplicates (客户查重): a create or edit that looks like an existing
//! customer is refused with the candidates the caller may see and, for the
//! others, only whom to ask; an override with a reason saves it and is
//! recorded; the report groups what the caller may see.

use crate::customers_list::urlencode;
use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::TestApp;
use serde_json::{Value, json};

async fn a_second_record_of_the_same_company_is_refused_with_the_first_to_open(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, rep) = user("rep@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let first = create_customer(
        &rep,
        customer("上海华联超市有限公司")
            .with("phones", json!(["021-6888 8888"]))
            .with("emails", json!(["Buyer@HuaLian.example"])),
    )
    .await;

    // the same company, written another way
    for (body, on) in [
        (customer("上海华联超市（中国）股份有限公司"), vec!["name"]),
        (
            customer("华联").with("phones", json!(["+86 21 6888 8888"])),
            vec!["phone"],
        ),
        (
            customer("HL").with("emails", json!(["BUYER@hualian.example"])),
            vec!["email"],
        ),
        (
            customer("上海华联超市").with("phones", json!(["(021) 68888888"])),
            vec!["name", "phone"],
        ),
    ] {
        let before = rep.get("/api/v1/customers").await.ids().len();
        let r = rep.post("/api/v1/customers", body.clone()).await;
        let p = r.problem(409);
        assert_eq!(p["type"], "/problems/duplicate", "{body}");
        let d = &p["duplicates"];
        assert_eq!(d["visible"][0]["id"], first.as_str());
        assert_eq!(d["visible"][0]["name"], "上海华联超市有限公司");
        assert_eq!(d["visible"][0]["owner_name"], "rep");
        assert_eq!(d["visible"][0]["matched_on"], json!(on));
        assert_eq!(d["hidden"], json!([]));
        assert_eq!(
            rep.get("/api/v1/customers").await.ids().len(),
            before,
            "a refused create stores nothing"
        );
    }

    // different companies pass
    create_customer(&rep, customer("上海华联百货有限公司")).await;
}
db_test!(a_second_record_of_the_same_company_is_refused_with_the_first_to_open);

async fn a_duplicate_outside_the_callers_scope_shows_only_whom_to_ask(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, east) = user("east@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let (_, south) = user("south@test.example", "sales_rep")
        .regions(&[&org.guangdong])
        .create(&app, &admin)
        .await;
    let hidden = create_customer(
        &east,
        customer("深圳明达电子有限公司").with("phones", json!(["13800138000"])),
    )
    .await;

    let r = south
        .post(
            "/api/v1/customers",
            customer("明达电子").with("phones", json!(["138 0013 8000"])),
        )
        .await;
    let p = r.problem(409);
    assert_eq!(p["duplicates"]["visible"], json!([]));
    assert_eq!(
        p["duplicates"]["hidden"],
        json!([{"matched_on": ["phone"], "ask": {"name": "east", "email": "east@test.example"}}])
    );
    // nothing of the hidden customer itself leaks: not its id, not its name
    assert!(!r.text.contains(&hidden), "{}", r.text);
    assert!(!r.text.contains("深圳明达电子有限公司"), "{}", r.text);

    // the administrator sees it and may open it
    let r = admin
        .post(
            "/api/v1/customers",
            customer("明达").with("phones", json!(["0086 13800138000"])),
        )
        .await;
    assert_eq!(
        r.problem(409)["duplicates"]["visible"][0]["id"],
        hidden.as_str()
    );
}
db_test!(a_duplicate_outside_the_callers_scope_shows_only_whom_to_ask);

async fn saving_anyway_needs_a_reason_and_is_recorded(app: TestApp) {
    let admin = app.admin().await;
    let first = create_customer(&admin, customer("明达电子")).await;

    for (reason, code) in [("   ", "required"), (&*"理".repeat(501), "too_long")] {
        let r = admin
            .post(
                "/api/v1/customers",
                customer("明达电子").with("duplicate_reason", json!(reason)),
            )
            .await;
        r.problem(422);
        assert_eq!(r.body["errors"][0]["field"], "duplicate_reason");
        assert_eq!(r.body["errors"][0]["code"], code);
    }

    let r = admin
        .post(
            "/api/v1/customers",
            customer("明达电子").with("duplicate_reason", json!(" 同名，另一家公司（苏州） ")),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let second = r.id();
    let overrides = app.query_strings(
        "SELECT reason || '|' || candidate_ids FROM customer_duplicate_overrides WHERE customer_id = ?",
        &second,
    );
    assert_eq!(
        overrides,
        vec![format!("同名，另一家公司（苏州）|[\"{first}\"]")]
    );

    // a reason sent when nothing looks alike is not recorded as an override
    let r = admin
        .post(
            "/api/v1/customers",
            customer("完全不同的公司").with("duplicate_reason", json!("以防万一")),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(
        app.query_strings(
            "SELECT reason FROM customer_duplicate_overrides WHERE customer_id = ?",
            &r.id()
        )
        .is_empty()
    );
}
db_test!(saving_anyway_needs_a_reason_and_is_recorded);

async fn an_edit_is_checked_for_what_it_adds_and_trashed_customers_do_not_count(app: TestApp) {
    let admin = app.admin().await;
    let a = create_customer(
        &admin,
        customer("甲公司").with("phones", json!(["13800138000"])),
    )
    .await;
    let b = create_customer(&admin, customer("乙公司")).await;

    // giving b a's phone makes it a duplicate of a
    let cur = admin.get(&format!("/api/v1/customers/{b}")).await;
    let r = admin
        .patch(
            &format!("/api/v1/customers/{b}"),
            &cur.etag(),
            json!({"phones": ["+86 138 0013 8000"]}),
        )
        .await;
    assert_eq!(r.problem(409)["duplicates"]["visible"][0]["id"], a.as_str());
    let unchanged = admin.get(&format!("/api/v1/customers/{b}")).await;
    assert_eq!(unchanged.body["phones"], json!([]));
    assert_eq!(unchanged.etag(), cur.etag());

    // saved anyway; later edits that add nothing new are not refused again
    let r = admin
        .patch(
            &format!("/api/v1/customers/{b}"),
            &cur.etag(),
            json!({"phones": ["+86 138 0013 8000"], "duplicate_reason": "总机号相同"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = admin
        .patch(
            &format!("/api/v1/customers/{b}"),
            &r.etag(),
            json!({"industry": "制造"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // a customer in the trash is not a duplicate to open
    let r = admin.delete(&format!("/api/v1/customers/{a}")).await;
    assert_eq!(r.status, 204);
    let r = admin
        .post(
            "/api/v1/customers",
            customer("甲公司").with("phones", json!(["13800138000"])),
        )
        .await;
    let p = r.problem(409);
    // b still has the phone
    assert_eq!(p["duplicates"]["visible"][0]["id"], b.as_str());
    assert_eq!(p["duplicates"]["visible"].as_array().unwrap().len(), 1);
}
db_test!(an_edit_is_checked_for_what_it_adds_and_trashed_customers_do_not_count);

fn groups(r: &crate::helpers::Resp) -> Vec<(String, String, Vec<String>)> {
    r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["matched_on"].as_str().unwrap().to_owned(),
                g["key"].as_str().unwrap().to_owned(),
                g["customers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["name"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

async fn the_report_groups_duplicates_within_the_callers_scope(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (_, east) = user("east@test.example", "sales_rep")
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let why = |b: Value| b.with("duplicate_reason", json!("测试"));
    create_customer(
        &east,
        customer("华联超市").with("phones", json!(["13800138000"])),
    )
    .await;
    create_customer(&east, why(customer("华联超市有限公司"))).await;
    create_customer(
        &admin,
        why(customer("某公司").with("phones", json!(["+8613800138000"]))),
    )
    .await;

    let r = admin.get("/api/v1/customers/duplicates").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        groups(&r),
        vec![
            (
                "name".to_owned(),
                "华联超市".to_owned(),
                vec!["华联超市".to_owned(), "华联超市有限公司".to_owned()]
            ),
            (
                "phone".to_owned(),
                "+8613800138000".to_owned(),
                vec!["华联超市".to_owned(), "某公司".to_owned()]
            ),
        ]
    );
    // paging by cursor
    let p1 = admin.get("/api/v1/customers/duplicates?limit=1").await;
    assert_eq!(groups(&p1).len(), 1);
    let cursor = p1.body["next_cursor"].as_str().unwrap().to_owned();
    let p2 = admin
        .get(&format!(
            "/api/v1/customers/duplicates?limit=1&after={}",
            urlencode(&cursor)
        ))
        .await;
    assert_eq!(groups(&p2)[0].0, "phone");
    let p3 = admin
        .get("/api/v1/customers/duplicates?after=nonsense")
        .await;
    assert_eq!(p3.problem(422)["errors"][0]["field"], "after");

    // the rep does not see the administrator's 某公司 (no region): only the name pair
    let r = east.get("/api/v1/customers/duplicates").await;
    assert_eq!(
        groups(&r),
        vec![(
            "name".to_owned(),
            "华联超市".to_owned(),
            vec!["华联超市".to_owned(), "华联超市有限公司".to_owned()]
        )]
    );
}
db_test!(the_report_groups_duplicates_within_the_callers_scope);

async fn customers_stored_before_the_check_get_their_keys(app: TestApp) {
    let admin = app.admin().await;
    let old = create_customer(&admin, customer("老客户有限公司")).await;
    // as after an upgrade or a bulk load: no keys, an old generation
    app.exec(&format!(
        "DELETE FROM customer_keys WHERE customer_id = '{old}'"
    ));
    app.exec(&format!(
        "UPDATE customers SET keys_version = 0 WHERE id = '{old}'"
    ));
    let r = admin.post("/api/v1/customers", customer("老客户")).await;
    assert_eq!(
        r.status, 201,
        "without keys the old customer is not found: {}",
        r.text
    );

    let mut c = app.pool().get().unwrap();
    while kehu_api::repo::customers::dedup::refresh_stale_keys(&mut c, 1).unwrap() > 0 {}
    let r = admin
        .post("/api/v1/customers", customer("老客户集团"))
        .await;
    let ids: Vec<&str> = r.problem(409)["duplicates"]["visible"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&old.as_str()), "{ids:?}");
}
db_test!(customers_stored_before_the_check_get_their_keys);
