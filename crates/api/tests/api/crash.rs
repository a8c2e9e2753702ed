//! kill -9 of the server while clients create customers: after a restart,
//! every create that was acknowledged is there, and retrying the others with
//! their Idempotency-Key creates each exactly once.

use crate::helpers::TestDb;
use kehu_api::db::Backend;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A create as sent: its idempotency key, the name, and the id if it was acknowledged.
type Sent = (String, String, Option<String>);

const SECRET: &str = "crash-test-secret-crash-test-secret-0123";

fn start(db: &TestDb, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kehu"))
        .arg("serve")
        .env(
            "DATABASE_URL",
            match db.url.backend {
                Backend::Sqlite => format!("sqlite://{}", db.url.target),
                Backend::Postgres => db.url.target.clone(),
            },
        )
        .env("KEHU_ADDR", format!("127.0.0.1:{port}"))
        .env("KEHU_JWT_SECRET", SECRET)
        .env("KEHU_BOOTSTRAP_ADMIN_EMAIL", "admin@crash.example")
        .env("KEHU_BOOTSTRAP_ADMIN_PASSWORD", "crash-password")
        .env("KEHU_RATE_LIMIT_PER_SEC", "0")
        .env("KEHU_UI_DIR", "/nonexistent-kehu-ui")
        .env("KEHU_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kehu")
}

async fn wait_ready(http: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await
            && r.status() == 200
        {
            return;
        }
        assert!(Instant::now() < deadline, "kehu did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn run(backend: Backend) {
    let Some(db) = TestDb::create(backend) else {
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut child = start(&db, port);
    wait_ready(&http, &base).await;
    let login: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "admin@crash.example", "password": "crash-password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();

    let sent: Arc<Mutex<Vec<Sent>>> = Arc::default();
    let mut workers = Vec::new();
    for w in 0..4 {
        let (http, base, token, sent) = (http.clone(), base.clone(), token.clone(), sent.clone());
        workers.push(tokio::spawn(async move {
            for i in 0.. {
                let (key, name) = (format!("crash-{w}-{i}"), format!("崩溃测试 {w}-{i}"));
                let r = http
                    .post(format!("{base}/api/v1/customers"))
                    .bearer_auth(&token)
                    .header("idempotency-key", &key)
                    .json(&json!({"name": name, "owner_id": null}))
                    .send()
                    .await;
                let acked = match r {
                    Ok(r) if r.status() == 201 => r
                        .json::<Value>()
                        .await
                        .ok()
                        .and_then(|v| v["id"].as_str().map(str::to_owned)),
                    _ => None,
                };
                let failed = acked.is_none();
                sent.lock().unwrap().push((key, name, acked));
                if failed {
                    return;
                }
            }
        }));
    }
    // let some creates land, then pull the plug
    let deadline = Instant::now() + Duration::from_secs(30);
    while sent
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.2.is_some())
        .count()
        < 40
    {
        assert!(Instant::now() < deadline, "creates are not getting through");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().expect("kill -9");
    child.wait().unwrap();
    for w in workers {
        w.await.unwrap();
    }

    let mut child = start(&db, port);
    wait_ready(&http, &base).await;
    let sent = sent.lock().unwrap().clone();
    for (_, _, id) in &sent {
        if let Some(id) = id {
            let r = http
                .get(format!("{base}/api/v1/customers/{id}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "acknowledged customer {id} is lost");
        }
    }
    // the creates cut off by the crash are retried with their keys
    for (key, name, id) in &sent {
        if id.is_none() {
            let r = http
                .post(format!("{base}/api/v1/customers"))
                .bearer_auth(&token)
                .header("idempotency-key", key)
                .json(&json!({"name": name, "owner_id": null}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
        }
    }
    let all: Value = http
        .get(format!(
            "{base}/api/v1/customers?include_total=true&limit=1"
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        all["total"].as_u64().unwrap() as usize,
        sent.len(),
        "each create exists exactly once"
    );
    child.kill().ok();
    child.wait().ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_creates_survive_kill_9_on_sqlite() {
    run(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_creates_survive_kill_9_on_postgres() {
    run(Backend::Postgres).await;
}
