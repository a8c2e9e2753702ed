//! `TestApp`: the real server on port 0 against a fresh SQLite or PostgreSQL database.

use diesel::Connection;
use kehu_api::config::Settings;
use kehu_api::db::{Backend, DbPool, DbUrl};
use kehu_api::startup::{self, Seed};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;

pub const ADMIN_EMAIL: &str = "admin@test.example";
pub const ADMIN_PASSWORD: &str = "admin-password-1";
pub const PASSWORD: &str = "user-password-1";

/// Generates a test per backend from one `async fn(TestApp)`.
#[macro_export]
macro_rules! db_test {
    ($name:ident) => {
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                if let Some(app) =
                    $crate::helpers::TestApp::spawn(kehu_api::db::Backend::Sqlite).await
                {
                    super::$name(app).await;
                }
            }
            #[actix_web::test]
            async fn postgres() {
                if let Some(app) =
                    $crate::helpers::TestApp::spawn(kehu_api::db::Backend::Postgres).await
                {
                    super::$name(app).await;
                }
            }
        }
    };
}

/// A fresh database that is dropped with the guard.
pub struct TestDb {
    pub url: DbUrl,
    dir: Option<PathBuf>,
    pg_admin: Option<(String, String)>,
}

fn pg_base() -> String {
    let base = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    // The test server is local, and TLS buys nothing there. With it, every
    // pooled connection holds OpenSSL state that the library's exit-time
    // cleanup frees while pool threads may still use it: the test binary
    // then crashed after all tests had passed (SIGSEGV, "free(): invalid
    // pointer"), failing the run.
    if base.contains('?') {
        base
    } else {
        format!("{base}?sslmode=disable")
    }
}

impl TestDb {
    /// `None` when PostgreSQL is unreachable and `KEHU_TEST_SKIP_POSTGRES=1` allows skipping it.
    pub fn create(backend: Backend) -> Option<Self> {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("kehu-test-{tag}"));
                std::fs::create_dir_all(&dir).expect("temp dir");
                let path = dir.join("kehu.db");
                Some(Self {
                    url: DbUrl::parse(&format!("sqlite://{}", path.display())).unwrap(),
                    dir: Some(dir),
                    pg_admin: None,
                })
            }
            Backend::Postgres => {
                let base = pg_base();
                let mut admin = match diesel::pg::PgConnection::establish(&base) {
                    Ok(c) => c,
                    Err(e) if std::env::var("KEHU_TEST_SKIP_POSTGRES").as_deref() == Ok("1") => {
                        eprintln!("SKIPPED (PostgreSQL unreachable at {base}: {e})");
                        return None;
                    }
                    Err(e) => panic!(
                        "PostgreSQL unreachable at {base}: {e}; set KEHU_TEST_SKIP_POSTGRES=1 to skip"
                    ),
                };
                let name = format!("kehu_test_{tag}");
                diesel::RunQueryDsl::execute(
                    diesel::sql_query(format!("CREATE DATABASE {name}")),
                    &mut admin,
                )
                .expect("create test database");
                let (path, query) = base.split_once('?').unwrap_or((&base, ""));
                let (prefix, _) = path.rsplit_once('/').expect("database url has a path");
                let query = if query.is_empty() {
                    String::new()
                } else {
                    format!("?{query}")
                };
                Some(Self {
                    url: DbUrl::parse(&format!("{prefix}/{name}{query}")).unwrap(),
                    dir: None,
                    pg_admin: Some((base, name)),
                })
            }
        }
    }

    /// A migrated connection pool on this database.
    pub fn pool(&self) -> DbPool {
        let pool = kehu_api::db::connect(&self.url, 2).expect("connect");
        kehu_api::db::migrate(&mut pool.get().expect("connection")).expect("migrate");
        pool
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(d) = &self.dir {
            let _ = std::fs::remove_dir_all(d);
        }
        if let Some((base, name)) = &self.pg_admin
            && let Ok(mut c) = diesel::pg::PgConnection::establish(base)
        {
            let _ = diesel::RunQueryDsl::execute(
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")),
                &mut c,
            );
        }
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: TestDb,
}

pub fn settings(db: &TestDb) -> Settings {
    Settings {
        database_url: db.url.clone(),
        addr: "127.0.0.1:0".parse().unwrap(),
        jwt_secret: Some("test-secret-test-secret-test-secret-0123".into()),
        access_token_ttl_secs: 900,
        refresh_token_ttl_days: 30,
        ui_dir: PathBuf::from("/nonexistent-kehu-ui"),
        pool_size: 4,
        bootstrap_admin: Some((ADMIN_EMAIL.into(), ADMIN_PASSWORD.into())),
        log_json: false,
        max_concurrent_hashes: 4,
        // tests send bursts from one address; the limiter has its own test
        rate_limit_per_sec: 0.0,
        rate_limit_burst: 0.0,
        max_connections: 1024,
        // reminder tests tick the scheduler themselves, at the times they choose
        remind_every_secs: 0,
        smtp: None,
        public_url: None,
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_with(backend, Seed::None).await
    }

    pub async fn spawn_with(backend: Backend, seed: Seed) -> Option<Self> {
        if std::env::var("KEHU_TEST_LOG").is_ok() {
            kehu_api::telemetry::init(false);
        }
        let db = TestDb::create(backend)?;
        let app = startup::build(settings(&db), seed)
            .await
            .expect("server starts");
        actix_web::rt::spawn(app.server);
        Some(Self {
            addr: app.addr,
            client: reqwest::Client::new(),
            db,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A pool on the app's database, for looking at what the API stored.
    pub fn pool(&self) -> DbPool {
        self.db.pool()
    }

    /// Runs `sql` directly, e.g. to set up a state the API cannot produce.
    pub fn exec(&self, sql: &str) {
        let mut c = self.pool().get().expect("connection");
        diesel::RunQueryDsl::execute(diesel::sql_query(sql), &mut c).expect(sql);
    }

    /// The one text column of `sql`'s rows; `?` is bound to `param`.
    pub fn query_strings(&self, sql: &str, param: &str) -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            v: String,
        }
        let sql = sql
            .replacen("SELECT ", "SELECT (", 1)
            .replacen(" FROM ", ") AS v FROM ", 1);
        let sql = match self.db.url.backend {
            Backend::Sqlite => sql,
            Backend::Postgres => sql.replacen('?', "$1", 1),
        };
        let mut c = self.pool().get().expect("connection");
        diesel::RunQueryDsl::load::<Row>(
            diesel::sql_query(&sql).bind::<diesel::sql_types::Text, _>(param),
            &mut c,
        )
        .expect(&sql)
        .into_iter()
        .map(|r| r.v)
        .collect()
    }

    pub fn anon(&self) -> Client {
        Client {
            base: format!("http://{}", self.addr),
            http: self.client.clone(),
            token: None,
        }
    }

    pub async fn login(&self, email: &str, password: &str) -> Client {
        let r = self
            .anon()
            .post(
                "/api/v1/auth/login",
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login as {email}: {}", r.body);
        let mut c = self.anon();
        c.token = Some(r.body["access_token"].as_str().unwrap().to_owned());
        c
    }

    pub async fn admin(&self) -> Client {
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }
}

/// An HTTP client, signed in or not.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub token: Option<String>,
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn etag(&self) -> String {
        self.header("etag").expect("ETag").to_owned()
    }

    pub fn id(&self) -> String {
        self.body["id"].as_str().expect("id").to_owned()
    }

    /// Asserts a problem document with this status, and returns it.
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "body: {}",
            self.text
        );
        assert_eq!(self.body["status"], status);
        assert!(
            self.body["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("/problems/"))
        );
        assert!(self.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
        &self.body
    }

    /// The fields named in a problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn ids(&self) -> Vec<String> {
        self.body["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_owned())
            .collect()
    }
}

impl Client {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("request");
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert!(
            !status.is_server_error(),
            "server error {status} for {path}: {text}"
        );
        Resp {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, None, &[]).await
    }

    /// GET a file: its status, headers and bytes as sent.
    pub async fn get_bytes(&self, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let mut req = self.http.get(format!("{}{}", self.base, path));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.expect("request");
        let (status, headers) = (r.status(), r.headers().clone());
        let bytes = r.bytes().await.expect("body").to_vec();
        assert!(
            !status.is_server_error(),
            "server error {status} for {path}"
        );
        (status, headers, bytes)
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    pub async fn patch(&self, path: &str, etag: &str, body: Value) -> Resp {
        self.send(Method::PATCH, path, Some(body), &[("if-match", etag)])
            .await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(Method::DELETE, path, None, &[]).await
    }

    pub async fn raw(&self, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("content-type", content_type);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let r = req.body(body).send().await.expect("request");
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
            text,
        }
    }
}

/// A forecast's sums per (month, group, category, status).
pub type ForecastSums =
    std::collections::BTreeMap<(String, Option<String>, String, String), (i64, i64, i64)>;

/// Forecast cells added up per (month, group, category, status): two parts
/// of a scope, or two reads, may each hold deals of one cell.
pub fn summed(cells: Vec<kehu_api::repo::forecast::Cell>) -> ForecastSums {
    let mut out = ForecastSums::new();
    for x in cells {
        let e = out
            .entry((x.month, x.group, x.category, x.status))
            .or_insert((0, 0, 0));
        e.0 += x.count;
        e.1 += x.amount;
        e.2 += x.weighted;
    }
    out
}
