//! Many clients updating one customer at once lose no update: each
//! read-modify-write carries If-Match, a 412 makes the client read again.

use crate::db_test;
use crate::fixtures::{With, create_customer, customer};
use crate::helpers::TestApp;
use serde_json::json;

async fn concurrent_read_modify_writes_lose_nothing(app: TestApp) {
    let admin = app.admin().await;
    let id = create_customer(
        &admin,
        customer("计数器")
            .with("owner_id", json!(null))
            .with("notes", json!("0")),
    )
    .await;
    let path = format!("/api/v1/customers/{id}");
    // `make test` runs a small size; KEHU_CONCURRENCY_UPDATES=500 is the full one
    let per_client: u64 = std::env::var("KEHU_CONCURRENCY_UPDATES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25);
    let clients = 8u64;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (c, path) = (admin.clone(), path.clone());
        tasks.push(actix_web::rt::spawn(async move {
            let mut conflicts = 0u64;
            for _ in 0..per_client {
                loop {
                    let cur = c.get(&path).await;
                    let n: u64 = cur.body["notes"].as_str().unwrap().parse().unwrap();
                    let r = c
                        .patch(&path, &cur.etag(), json!({"notes": (n + 1).to_string()}))
                        .await;
                    match r.status.as_u16() {
                        200 => break,
                        412 => conflicts += 1,
                        other => panic!("unexpected {other}: {}", r.text),
                    }
                }
            }
            conflicts
        }));
    }
    let mut conflicts = 0;
    for t in tasks {
        conflicts += t.await.unwrap();
    }
    let end = admin.get(&path).await;
    let total = clients * per_client;
    assert_eq!(
        end.body["notes"],
        total.to_string(),
        "every change applied exactly once"
    );
    assert_eq!(end.body["version"], total + 1);
    eprintln!("{total} updates applied, {conflicts} conflicts retried");
}
db_test!(concurrent_read_modify_writes_lose_nothing);
