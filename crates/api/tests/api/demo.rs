use crate::helpers::TestApp;
use kehu_api::db::Backend;
use kehu_api::startup::{self, Seed};

async fn the_demo_organisation_loads_once_and_its_users_sign_in(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, Seed::Demo).await else {
        return;
    };
    // a second start with --demo on the same database changes nothing
    let again = startup::build(crate::helpers::settings(&app.db), Seed::Demo)
        .await
        .unwrap();
    actix_web::rt::spawn(again.server);
    let admin = app.login("admin@example.com", "kehu-demo").await;
    let all = admin
        .get("/api/v1/customers?include_total=true&limit=1")
        .await;
    assert_eq!(all.body["total"], 300);
    let regions = admin.get("/api/v1/regions").await;
    let names: Vec<&str> = regions.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for n in [
        "华东", "上海", "江苏", "浙江", "华南", "广东", "福建", "华北", "北京", "天津",
    ] {
        assert!(names.contains(&n), "{n}");
    }
    let pool = admin
        .get("/api/v1/customers?owner=none&include_total=true&limit=1")
        .await;
    assert!(
        pool.body["total"].as_i64().unwrap() > 0,
        "some customers sit in the company pool"
    );
    for (email, role) in [
        ("manager.east@example.com", "sales_manager"),
        ("rep.east@example.com", "sales_rep"),
        ("rep.south@example.com", "sales_rep"),
        ("service@example.com", "service_agent"),
        ("marketing@example.com", "marketing"),
        ("partner@example.com", "partner"),
    ] {
        let c = app.login(email, "kehu-demo").await;
        let me = c.get("/api/v1/me").await;
        assert_eq!(me.body["roles"][0]["id"], role);
        let n = c
            .get("/api/v1/customers?include_total=true&limit=1")
            .await
            .body["total"]
            .as_i64()
            .unwrap();
        match role {
            "service_agent" | "marketing" => assert_eq!(n, 300),
            _ => assert!(n > 0 && n < 300, "{email} sees {n}: a share, not all"),
        }
    }
    let rep = app.login("rep.east@example.com", "kehu-demo").await;
    let mine = rep.get("/api/v1/customers?limit=1").await;
    let cid = mine.body["data"][0]["id"].as_str().unwrap();
    assert!(
        !rep.get(&format!("/api/v1/customers/{cid}/contacts"))
            .await
            .body["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[actix_web::test]
async fn demo_sqlite() {
    the_demo_organisation_loads_once_and_its_users_sign_in(Backend::Sqlite).await;
}

#[actix_web::test]
async fn demo_postgres() {
    the_demo_organisation_loads_once_and_its_users_sign_in(Backend::Postgres).await;
}

async fn seeding_generates_a_usable_organisation(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let pool = app.db.pool();
    let ddl = kehu_api::seed::bulk_table_ddl(&mut pool.get().unwrap()).unwrap();
    assert!(
        ddl.len() >= 10,
        "the loaded tables have their indexes: {ddl:?}"
    );
    let report = kehu_api::seed::run(&mut pool.get().unwrap(), 1_200).unwrap();
    assert_eq!(
        kehu_api::seed::bulk_table_ddl(&mut pool.get().unwrap()).unwrap(),
        ddl,
        "every index and trigger dropped for the load is back"
    );
    assert_eq!(report.customers, 1_200);
    assert!(
        (1_200..=6_000).contains(&report.contacts),
        "{} contacts",
        report.contacts
    );
    assert!(
        kehu_api::seed::run(&mut pool.get().unwrap(), 10).is_err(),
        "only into an empty database"
    );
    let admin = app.login("admin@seed.example", "kehu-demo").await;
    assert_eq!(
        admin
            .get("/api/v1/customers?include_total=true&limit=1")
            .await
            .body["total"],
        1_200
    );
    let rep = app.login("rep0@seed.example", "kehu-demo").await;
    let mine = rep
        .get("/api/v1/customers?include_total=true&limit=1")
        .await
        .body["total"]
        .as_i64()
        .unwrap();
    assert!(mine > 0 && mine < 1_200, "a rep sees a share: {mine}");
    let pool_total = admin
        .get("/api/v1/customers?owner=none&include_total=true&limit=1")
        .await
        .body["total"]
        .as_i64()
        .unwrap();
    assert!(pool_total > 0, "some customers sit in the pool");

    // one lead per five customers, in every status, some in queues; a rep
    // sees a share of them
    let leads: Vec<serde_json::Value> = {
        let mut all = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = admin
                .get(&format!("/api/v1/leads?limit=200&cursor={cursor}"))
                .await;
            assert_eq!(page.status, 200, "{}", page.text);
            all.extend(page.body["data"].as_array().unwrap().iter().cloned());
            match page.body["next_cursor"].as_str() {
                Some(c) => cursor = c.to_owned(),
                None => break all,
            }
        }
    };
    assert_eq!(leads.len(), 240);
    for status in ["new", "contacted", "qualified", "unqualified", "converted"] {
        assert!(
            leads.iter().any(|l| l["status"] == status),
            "a lead is {status}"
        );
    }
    assert!(
        leads.iter().any(|l| l["owner_id"].is_null()),
        "queued leads"
    );
    assert!(leads.iter().any(|l| l["source"] == "web_form"));
    let one = admin
        .get(&format!(
            "/api/v1/leads/{}",
            leads[0]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(one.status, 200, "a seeded lead reads whole: {}", one.text);
    let rep_leads = rep.get("/api/v1/leads?limit=200").await;
    assert_eq!(rep_leads.status, 200);
    let n = rep_leads.body["data"].as_array().unwrap().len();
    assert!(n > 0 && n < 240, "a rep sees a share of the leads: {n}");

    // the search index was built for the loaded rows (its triggers were off)
    let first = admin.get("/api/v1/customers?limit=1&sort=name").await;
    let name = first.body["data"][0]["name"].as_str().unwrap().to_owned();
    let part: String = name.chars().take(4).collect();
    let hits = admin
        .get(&format!(
            "/api/v1/customers?q={}&limit=200",
            crate::customers_list::urlencode(&part)
        ))
        .await
        .ids();
    assert!(
        hits.contains(&first.body["data"][0]["id"].as_str().unwrap().to_owned()),
        "searching {part:?} finds {name:?}"
    );

    // the duplicate keys were loaded with the rows: nothing left to compute,
    // and a loaded customer is found as a likely duplicate at once
    assert_eq!(
        kehu_api::repo::customers::dedup::refresh_stale_keys(&mut pool.get().unwrap(), 100)
            .unwrap(),
        0
    );
    let again = admin
        .post("/api/v1/customers", serde_json::json!({ "name": name }))
        .await;
    assert_eq!(
        again.problem(409)["duplicates"]["visible"][0]["id"],
        first.body["data"][0]["id"]
    );
}

#[actix_web::test]
async fn seed_sqlite() {
    seeding_generates_a_usable_organisation(Backend::Sqlite).await;
}

#[actix_web::test]
async fn seed_postgres() {
    seeding_generates_a_usable_organisation(Backend::Postgres).await;
}
