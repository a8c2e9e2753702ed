//! Search through the indexes (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)
//! finds exactly what a substring match within the caller's scope finds, for
//! Chinese queries of one, two and three or more characters.

use crate::customers_list::urlencode;
use crate::db_test;
use crate::fixtures::{With, create_customer, customer, user};
use crate::helpers::{Client, TestApp};
use serde_json::json;
use std::collections::BTreeSet;

const NAMES: &[&str] = &[
    "深圳腾讯科技有限公司",
    "深圳华为科技有限公司",
    "北京科技大学",
    "上海华联超市有限公司",
    "科",
    "技术服务部",
    "ACME Trading Co., Ltd.",
];

/// Every customer the client can list, with its name, paging through all of them.
async fn visible(c: &Client) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => "/api/v1/customers?limit=2".to_owned(),
            Some(k) => format!("/api/v1/customers?limit=2&cursor={}", urlencode(k)),
        };
        let r = c.get(&path).await;
        assert_eq!(r.status, 200, "{}", r.text);
        for x in r.body["data"].as_array().unwrap() {
            out.push((
                x["id"].as_str().unwrap().to_owned(),
                x["name"].as_str().unwrap().to_owned(),
            ));
        }
        match r.body["next_cursor"].as_str() {
            Some(k) => cursor = Some(k.to_owned()),
            None => return out,
        }
    }
}

/// Every hit of a search, paging one at a time, and the total it reports.
async fn hits(c: &Client, q: &str) -> (Vec<String>, i64) {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!(
            "/api/v1/customers?limit=1&include_total=true&q={}",
            urlencode(q)
        );
        if let Some(k) = &cursor {
            path.push_str(&format!("&cursor={}", urlencode(k)));
        }
        let r = c.get(&path).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let total = r.body["total"].as_i64().unwrap();
        out.extend(r.ids());
        match r.body["next_cursor"].as_str() {
            Some(k) => cursor = Some(k.to_owned()),
            None => return (out, total),
        }
    }
}

async fn search_is_a_substring_match_within_scope(app: TestApp) {
    let admin = app.admin().await;
    let (_, rep_a) = user("a@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    let (_, rep_b) = user("b@test.example", "sales_rep")
        .create(&app, &admin)
        .await;
    for (i, name) in NAMES.iter().enumerate() {
        match i % 3 {
            0 => create_customer(&rep_a, customer(name)).await,
            1 => create_customer(&rep_b, customer(name)).await,
            _ => create_customer(&admin, customer(name).with("owner_id", json!(null))).await,
        };
    }
    // a rename must move the customer in the index too
    let renamed = create_customer(&rep_a, customer("旧名字")).await;
    let cur = rep_a.get(&format!("/api/v1/customers/{renamed}")).await;
    let r = rep_a
        .patch(
            &format!("/api/v1/customers/{renamed}"),
            &cur.etag(),
            json!({"name": "新科技有限公司"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let deleted = create_customer(&rep_a, customer("已删除科技有限公司")).await;
    assert_eq!(
        admin
            .delete(&format!("/api/v1/customers/{deleted}"))
            .await
            .status,
        204
    );

    let queries = [
        "科",
        "技",
        "科技",
        "华为",
        "科技有限",
        "腾讯科技有限公司",
        "华为科技",
        "旧名",
        "旧名字",
        "新科技",
        "已删除科技",
        "trading co",
        "不存在的公司",
    ];
    let mut some_found_by_a = 0;
    for (who, c) in [("admin", &admin), ("rep a", &rep_a), ("rep b", &rep_b)] {
        let seen = visible(c).await;
        for q in queries {
            let expected: BTreeSet<String> = seen
                .iter()
                .filter(|(_, name)| name.to_lowercase().contains(q))
                .map(|(id, _)| id.clone())
                .collect();
            let (found, total) = hits(c, q).await;
            let found_set: BTreeSet<String> = found.iter().cloned().collect();
            assert_eq!(found.len(), found_set.len(), "{who} {q}: a hit twice");
            assert_eq!(found_set, expected, "{who} searching {q:?}");
            assert_eq!(total as usize, expected.len(), "{who} {q:?}: total");
            if who == "rep a" {
                some_found_by_a += expected.len();
            }
        }
    }
    assert!(some_found_by_a > 3, "the fixture finds little");
    // rep A never finds rep B's customer, whatever the length of the query
    for q in ["为", "华为", "华为科技", "深圳华为科技有限公司"] {
        assert!(hits(&rep_a, q).await.0.is_empty(), "rep a found {q}");
    }
    assert_eq!(hits(&admin, "华为科技").await.0.len(), 1);
    assert_eq!(hits(&admin, "旧名").await.0.len(), 0, "renamed away");
    assert_eq!(hits(&admin, "新科技").await.0, vec![renamed]);
}
db_test!(search_is_a_substring_match_within_scope);
