use crate::db_test;
use crate::fixtures::{Org, With, create_customer, customer, user};
use crate::helpers::TestApp;
use serde_json::json;
use std::collections::BTreeSet;

async fn filters_narrow_the_list(app: TestApp) {
    let admin = app.admin().await;
    let org = Org::create(&admin).await;
    let (rep_id, rep) = user("rep@test.example", "sales_rep")
        .team(&org.team_east)
        .regions(&[&org.shanghai])
        .create(&app, &admin)
        .await;
    let mine = create_customer(
        &rep,
        customer("我的零售客户")
            .with("industry", json!("零售"))
            .with("tags", json!(["重点"])),
    )
    .await;
    let vip = create_customer(
        &admin,
        customer("江苏VIP")
            .with("owner_id", json!(null))
            .with("region_id", json!(org.jiangsu))
            .with("lifecycle_stage", json!("vip")),
    )
    .await;
    let gd = create_customer(
        &admin,
        customer("广东制造")
            .with("owner_id", json!(null))
            .with("region_id", json!(org.guangdong))
            .with("industry", json!("制造")),
    )
    .await;
    let ids = |q: &str| {
        let admin = admin.clone();
        let q = q.to_owned();
        async move {
            admin
                .get(&format!("/api/v1/customers?{q}"))
                .await
                .ids()
                .into_iter()
                .collect::<BTreeSet<_>>()
        }
    };
    let set = |xs: &[&String]| xs.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(ids(&format!("owner={rep_id}")).await, set(&[&mine]));
    assert_eq!(
        rep.get("/api/v1/customers?owner=me").await.ids(),
        vec![mine.clone()]
    );
    assert_eq!(
        ids("owner=none").await,
        set(&[&vip, &gd]),
        "the company pool"
    );
    assert_eq!(
        ids(&format!("region_id={}", org.east)).await,
        set(&[&mine, &vip]),
        "a region includes those below it"
    );
    assert_eq!(
        ids(&format!("team_id={}", org.team_east)).await,
        set(&[&mine])
    );
    assert_eq!(ids("stage=vip").await, set(&[&vip]));
    assert_eq!(ids("industry=制造").await, set(&[&gd]));
    assert_eq!(ids("tag=重点").await, set(&[&mine]));
    assert_eq!(ids("updated_since=2100-01-01T00:00:00Z").await, set(&[]));
    assert_eq!(
        ids("updated_since=2000-01-01T00:00:00%2B08:00").await.len(),
        3
    );
    admin
        .get("/api/v1/customers?stage=alien")
        .await
        .problem(400);
    admin
        .get("/api/v1/customers?updated_since=yesterday")
        .await
        .problem(400);
    admin
        .get("/api/v1/customers?owner=%27%3B%20drop")
        .await
        .problem(400);
}
db_test!(filters_narrow_the_list);

async fn search_finds_chinese_phone_digits_and_email(app: TestApp) {
    let admin = app.admin().await;
    let hualian = create_customer(
        &admin,
        customer("上海华联超市有限公司")
            .with("owner_id", json!(null))
            .with("phones", json!(["+86 138-0013-8000"]))
            .with("emails", json!(["Buy@HuaLian.example"])),
    )
    .await;
    let acme = create_customer(
        &admin,
        customer("ACME Trading Co., Ltd.").with("owner_id", json!(null)),
    )
    .await;
    create_customer(
        &admin,
        customer("100% 纯净水_公司").with("owner_id", json!(null)),
    )
    .await;
    let q = |s: &str| {
        let admin = admin.clone();
        let url = format!("/api/v1/customers?q={}", urlencode(s));
        async move { admin.get(&url).await.ids() }
    };
    assert_eq!(q("华联").await, vec![hualian.clone()]);
    assert_eq!(q("acme trad").await, vec![acme.clone()], "case-insensitive");
    assert_eq!(
        q("13800138000").await,
        vec![hualian.clone()],
        "digits match a formatted number"
    );
    assert_eq!(
        q("138 0013 8000").await,
        vec![hualian.clone()],
        "spaces in a number do not matter"
    );
    assert_eq!(q("buy@hualian").await, vec![hualian.clone()]);
    assert_eq!(q("%").await.len(), 1, "LIKE wildcards are literal");
    assert_eq!(q("_").await.len(), 1);
    assert!(q("不存在").await.is_empty());
    admin
        .get(&format!("/api/v1/customers?q={}", "长".repeat(101)))
        .await
        .problem(400);
}
db_test!(search_finds_chinese_phone_digits_and_email);

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn cursor_paging_visits_every_customer_once_in_order(app: TestApp) {
    let admin = app.admin().await;
    let mut created = BTreeSet::new();
    for i in 0..23 {
        // equal names force the id tie-breaker
        let name = format!("客户{:02}", i / 2);
        let body = customer(&name)
            .with("owner_id", json!(null))
            .with("duplicate_reason", json!("同名的两家公司"));
        created.insert(create_customer(&admin, body).await);
    }
    for sort in ["name", "-name", "-updated_at", "created_at"] {
        let mut seen = Vec::new();
        let mut names = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                Some(c) => format!("/api/v1/customers?limit=5&sort={sort}&cursor={c}"),
                None => format!("/api/v1/customers?limit=5&sort={sort}&include_total=true"),
            };
            let page = admin.get(&url).await;
            assert_eq!(page.status, 200, "{}", page.text);
            if cursor.is_none() {
                assert_eq!(page.body["total"], 23);
            } else {
                assert!(page.body.get("total").is_none(), "totals only when asked");
            }
            for c in page.body["data"].as_array().unwrap() {
                seen.push(c["id"].as_str().unwrap().to_owned());
                names.push(c["name"].as_str().unwrap().to_owned());
            }
            match page.body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 23, "{sort}: no customer twice, none skipped");
        assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), created);
        if sort == "name" {
            assert!(names.windows(2).all(|w| w[0] <= w[1]));
        }
        if sort == "-name" {
            assert!(names.windows(2).all(|w| w[0] >= w[1]));
        }
    }
    let first = admin.get("/api/v1/customers?limit=5&sort=name").await;
    let c = first.body["next_cursor"].as_str().unwrap();
    admin
        .get(&format!("/api/v1/customers?sort=-updated_at&cursor={c}"))
        .await
        .problem(400);
    admin
        .get("/api/v1/customers?cursor=bm9wZQ")
        .await
        .problem(400);
    admin.get("/api/v1/customers?limit=201").await.problem(422);
    admin.get("/api/v1/customers?limit=0").await.problem(422);
    admin.get("/api/v1/customers?sort=owner").await.problem(400);
    assert_eq!(
        admin.get("/api/v1/customers?limit=200").await.ids().len(),
        23
    );
}
db_test!(cursor_paging_visits_every_customer_once_in_order);
