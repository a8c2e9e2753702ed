//! How an import writes its rows: a batch at a time, the new customers of a
//! batch together, falling back to one row at a time when the database
//! refuses one of them; and an import whose node died is finished, once,
//! by another node.

use crate::db_test;
use crate::helpers::TestApp;
use crate::import::{counts, names, run, uploaded};
use actix_web::web;
use kehu_api::auth::Via;
use kehu_api::db;
use kehu_api::http::imports::lease::{self, Ended};
use kehu_api::repo::{imports, principal};
use serde_json::json;

async fn a_row_the_database_refuses_fails_alone(app: TestApp) {
    // a rule the domain does not know, so only the database refuses the row
    app.exec("CREATE UNIQUE INDEX test_one_contact_per_name ON contacts (name)");
    let admin = app.admin().await;
    let file = "名称,联系人,手机\n\
                甲公司,张三,13800000001\n\
                乙公司,李四,13800000002\n\
                丙公司,王五,13800000003\n\
                丁公司,李四,13800000004\n";
    let b = uploaded(&admin, "text/csv", file.as_bytes().to_vec()).await;
    let id = b["id"].as_str().unwrap();
    let dry = admin
        .post(&format!("/api/v1/imports/{id}/dry-run"), json!({}))
        .await;
    assert_eq!(counts(&dry.body), (4, 0, 0, 0), "{}", dry.text);

    let done = run(&admin, id).await;
    assert_eq!(counts(&done), (3, 0, 0, 1));
    assert_eq!(
        names(&admin).await,
        vec!["丙公司", "乙公司", "甲公司"],
        "the refused row leaves no customer without its contact"
    );
    let failed = admin
        .get(&format!("/api/v1/imports/{id}/rows?outcome=failed"))
        .await;
    let failed = failed.body["data"].as_array().unwrap().clone();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["line"], 5);
    assert_eq!(failed[0]["code"], "write_failed");

    // the rows written one by one are tagged with the import like the
    // others: undo takes them all back
    let r = admin
        .post(&format!("/api/v1/imports/{id}/undo"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(names(&admin).await.is_empty());
}
db_test!(a_row_the_database_refuses_fails_alone);

fn count(app: &TestApp, sql_from: &str, param: &str) -> i64 {
    app.query_strings(&format!("SELECT CAST(COUNT(*) AS TEXT) {sql_from}"), param)[0]
        .parse()
        .unwrap()
}

async fn an_import_whose_node_died_is_finished_once_by_another(app: TestApp) {
    let admin = app.admin().await;
    // 1,500 rows: the first batch is 1,000; line 1202 repeats line 12's
    // phone, across the batches
    let mut file = String::from("名称,联系人,手机\n");
    for i in 0..1500 {
        let phone = if i == 1200 { 10 } else { i };
        file += &format!("接管{i}公司,接管联系人{i},1380000{phone:04}\n");
    }
    let b = uploaded(&admin, "text/csv", file.into_bytes()).await;
    let id = b["id"].as_str().unwrap().to_owned();
    let dry = admin
        .post(&format!("/api/v1/imports/{id}/dry-run"), json!({}))
        .await;
    let planned = counts(&dry.body);
    assert_eq!(planned, (1499, 0, 1, 0), "{}", dry.text);

    // a node starts it and dies after its first batch
    let pool = app.pool();
    let user = app.query_strings("SELECT created_by FROM imports WHERE id = ?", &id)[0].clone();
    let (p, i) = (pool.clone(), id.clone());
    let ended = web::block(move || {
        let mut c = p.get().unwrap();
        assert!(imports::start(&mut c, &i, db::now()).unwrap());
        let auth = principal::load(&mut c, &user, Via::Session)
            .unwrap()
            .unwrap();
        drop(c);
        lease::drive(&p, &auth, &i, Some(1))
    })
    .await
    .unwrap();
    assert_eq!(ended, Ended::Paused);
    let st = admin.get(&format!("/api/v1/imports/{id}")).await.body;
    assert_eq!(
        (&st["status"], &st["done_rows"]),
        (&json!("running"), &json!(1000))
    );

    // while its lease holds, nobody takes it over
    let p = pool.clone();
    let taken = web::block(move || lease::tick(&p, db::now()).unwrap()).await;
    assert_eq!(taken.unwrap(), 0);

    // the lease runs out; two nodes look at the same time
    app.exec(&format!(
        "UPDATE imports SET heartbeat_at = '2000-01-01 00:00:00' WHERE id = '{id}'"
    ));
    let tick = |p: db::DbPool| web::block(move || lease::tick(&p, db::now()).unwrap());
    let (a, b) = futures_util::future::join(tick(pool.clone()), tick(pool.clone())).await;
    assert_eq!(a.unwrap() + b.unwrap(), 1, "exactly one node resumes it");

    let st = admin.get(&format!("/api/v1/imports/{id}")).await.body;
    assert_eq!(st["status"], "done", "{st}");
    assert_eq!(st["done_rows"], 1500);
    assert_eq!(
        counts(&st),
        planned,
        "the resumed run did what the dry run said"
    );
    let from_customers = "FROM customers WHERE name LIKE ?";
    assert_eq!(count(&app, from_customers, "接管%"), 1499);
    assert_eq!(
        app.query_strings(
            "SELECT CAST(COUNT(DISTINCT name) AS TEXT) FROM customers WHERE name LIKE ?",
            "接管%"
        )[0],
        "1499",
        "each row written once"
    );
    assert_eq!(
        count(&app, "FROM contacts WHERE name LIKE ?", "接管联系人%"),
        1499
    );
    assert_eq!(
        count(&app, "FROM import_rows WHERE import_id = ?", &id),
        1500
    );
    assert_eq!(
        count(&app, "FROM audit_log WHERE import_id = ?", &id),
        2 * 1499
    );
    let skipped = admin
        .get(&format!("/api/v1/imports/{id}/rows?outcome=skipped"))
        .await;
    assert_eq!(skipped.body["data"][0]["line"], 1202, "{}", skipped.text);
    assert_eq!(skipped.body["data"][0]["code"], "duplicate_in_file");
}
db_test!(an_import_whose_node_died_is_finished_once_by_another);
