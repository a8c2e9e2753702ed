//! Building the application: database, state, routes, server.

use crate::auth::{password, tokens};
use crate::config::Settings;
use crate::error::{PROBLEM_JSON, problem_for_status};
use crate::openapi::ApiDoc;
use crate::state::AppState;
use crate::{db, demo, http, limits, repo, ui};
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Server, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{Compress, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{App, HttpResponse, HttpServer, web};
use std::net::SocketAddr;
use std::time::Instant;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

pub struct Application {
    pub server: Server,
    pub addr: SocketAddr,
    pub state: web::Data<AppState>,
}

/// What to load into an empty database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    None,
    Demo,
}

/// Connects, migrates, prepares built-in data, and binds the server (not yet running).
pub async fn build(settings: Settings, seed: Seed) -> Result<Application, String> {
    let pool = db::connect(&settings.database_url, settings.pool_size)?;
    let (s2, p2) = (settings.clone(), pool.clone());
    let secret = web::block(move || -> Result<String, String> {
        let mut c = p2
            .get()
            .map_err(|e| format!("cannot connect to the database: {e}"))?;
        prepare(&mut c, &s2, seed)
    })
    .await
    .map_err(|e| e.to_string())??;
    let state = web::Data::new(AppState {
        jwt: tokens::Jwt::new(secret.as_bytes(), settings.access_token_ttl_secs),
        principals: Default::default(),
        hashing: tokio::sync::Semaphore::new(settings.max_concurrent_hashes.max(1)),
        limiter: (settings.rate_limit_per_sec > 0.0).then(|| {
            limits::RateLimiter::new(limits::Rate {
                per_sec: settings.rate_limit_per_sec,
                burst: settings.rate_limit_burst.max(1.0),
            })
        }),
        pool,
        settings: settings.clone(),
    });
    refresh_duplicate_keys_in_background(state.pool.clone());
    recycle_pool_periodically(state.pool.clone());
    http::imports::lease::resume_periodically(state.pool.clone());
    remind_periodically(&settings, state.pool.clone())?;
    // SQLite's statistics drift as data grows; `PRAGMA optimize` refreshes what needs it.
    let pool = state.pool.clone();
    actix_web::rt::spawn(async move {
        let mut hourly = actix_web::rt::time::interval(std::time::Duration::from_secs(3600));
        hourly.tick().await; // the first tick is at once; connections optimize when opened
        loop {
            hourly.tick().await;
            if let Err(e) = db::run(&pool, |c| db::optimize(c).map_err(Into::into)).await {
                tracing::warn!(error = ?e, "PRAGMA optimize failed");
            }
        }
    });
    let listener = std::net::TcpListener::bind(settings.addr)
        .map_err(|e| format!("cannot listen on {}: {e}", settings.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let st = state.clone();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(st.clone())
            .app_data(web::QueryConfig::default().error_handler(http::extract::query_error))
            .app_data(web::PathConfig::default().error_handler(http::extract::path_error))
            .wrap(ErrorHandlers::new().default_handler(as_problem))
            .wrap(Compress::default())
            .wrap_fn(|req, srv| {
                use actix_web::dev::Service;
                use futures_util::future::{Either, ready};
                if let Some(err) = rate_limited(&req) {
                    return Either::Left(ready(Ok(req.error_response(err).map_into_boxed_body())));
                }
                let (method, path) = (req.method().clone(), req.path().to_owned());
                let start = Instant::now();
                let fut = srv.call(req);
                Either::Right(async move {
                    let res = fut.await?;
                    tracing::info!(%method, %path, status = res.status().as_u16(), ms = start.elapsed().as_millis() as u64, "request");
                    Ok(res.map_into_boxed_body())
                })
            })
            .service(web::resource("/healthz").default_service(crate::http::allow("GET")).route(web::get().to(http::health::healthz)))
            .service(web::resource("/readyz").default_service(crate::http::allow("GET")).route(web::get().to(http::health::readyz)))
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", ApiDoc::openapi()))
            .service(web::redirect("/api/docs", "/api/docs/"))
            .service(web::scope("/api/v1").configure(http::configure).default_service(web::to(unmatched)))
            .service(web::scope("/api").default_service(web::to(unmatched)))
            .configure(ui::configure)
            .default_service(web::to(unmatched))
    })
    .max_connections(settings.max_connections)
    .listen(listener)
    .map_err(|e| e.to_string())?
    .shutdown_timeout(30)
    .run();
    Ok(Application {
        server,
        addr,
        state,
    })
}

fn prepare(c: &mut db::DbConnection, settings: &Settings, seed: Seed) -> Result<String, String> {
    db::migrate(c)?;
    let now = db::now();
    repo::roles::ensure_builtin(c, now).map_err(|e| format!("cannot set up roles: {e}"))?;
    // stage names in English: screens translate the default stages by key
    repo::pipelines::ensure_default(c, false, now)
        .map_err(|e| format!("cannot set up the default pipeline: {e}"))?;
    let secret = match &settings.jwt_secret {
        Some(s) => s.clone(),
        None => repo::settings::get_or_init(c, "jwt_secret", &tokens::new_signing_secret())
            .map_err(|e| e.to_string())?,
    };
    if let Some((email, pw)) = &settings.bootstrap_admin {
        bootstrap_admin(c, email, pw)?;
    }
    if seed == Seed::Demo {
        demo::load(c).map_err(|e| format!("cannot load the demo organisation: {e}"))?;
    }
    Ok(secret)
}

/// Computes the duplicate keys of customers that have none or were keyed by
/// older rules (after an upgrade, or rows bulk-loaded by `kehu seed`), in
/// small batches so that requests are served meanwhile. Several nodes may do
/// this at once: each customer is claimed before it is keyed.
fn refresh_duplicate_keys_in_background(pool: db::DbPool) {
    std::thread::spawn(move || {
        let mut total = 0;
        loop {
            let done = pool.get().map_err(|e| e.to_string()).and_then(|mut c| {
                repo::customers::dedup::refresh_stale_keys(&mut c, 500).map_err(|e| e.to_string())
            });
            match done {
                Ok(0) => break,
                Ok(n) => total += n,
                Err(e) => {
                    tracing::warn!(error = %e, "duplicate keys: will retry at the next start");
                    break;
                }
            }
        }
        if total > 0 {
            tracing::info!(customers = total, "duplicate keys computed");
        }
    });
}

/// How often the company pool's recycling rules are applied. They count in
/// days, so a few minutes late is never noticed.
const POOL_RECYCLE_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Applies the pool's recycling rules now and every few minutes. Every node
/// runs this; a customer is recycled (and recorded) by whichever gets it first.
fn recycle_pool_periodically(pool: db::DbPool) {
    std::thread::spawn(move || {
        loop {
            let run = pool.get().map_err(|e| e.to_string()).and_then(|mut c| {
                let rules = repo::customers::owners::rules(&mut c).map_err(|e| e.to_string())?;
                let mut total = 0;
                loop {
                    let n = repo::customers::owners::recycle(&mut c, &rules, db::now(), 500)
                        .map_err(|e| e.to_string())?;
                    total += n;
                    if n == 0 {
                        return Ok(total);
                    }
                }
            });
            match run {
                Ok(0) => {}
                Ok(n) => tracing::info!(customers = n, "returned to the company pool"),
                Err(e) => tracing::warn!(error = %e, "pool recycling failed; will retry"),
            }
            std::thread::sleep(POOL_RECYCLE_EVERY);
        }
    });
}

/// Runs the reminder scheduler and sends due e-mails every few seconds (as
/// configured). Every node runs it; notifications are made once and each
/// e-mail is claimed before it is sent, so nodes never double up.
fn remind_periodically(settings: &Settings, pool: db::DbPool) -> Result<(), String> {
    if settings.remind_every_secs == 0 {
        return Ok(());
    }
    let mailer = settings
        .smtp
        .as_ref()
        .map(|s| crate::remind::mail::Mailer::new(s, settings.public_url.clone()))
        .transpose()?;
    let every = std::time::Duration::from_secs(settings.remind_every_secs);
    std::thread::spawn(move || {
        loop {
            let run = pool.get().map_err(|e| e.to_string()).and_then(|mut c| {
                let made = crate::remind::scheduler::tick(&mut c, db::now(), mailer.is_some())
                    .map_err(|e| e.to_string())?;
                let sent = match &mailer {
                    Some(m) => m.send_due(&mut c, db::now()).map_err(|e| e.to_string())?,
                    None => 0,
                };
                Ok((made, sent))
            });
            match run {
                Ok((0, 0)) => {}
                Ok((made, sent)) => tracing::info!(made, sent, "reminders"),
                Err(e) => tracing::warn!(error = %e, "reminder scheduler failed; will retry"),
            }
            std::thread::sleep(every);
        }
    });
    Ok(())
}

/// Creates the first administrator, only into a database without users.
fn bootstrap_admin(c: &mut db::DbConnection, email: &str, pw: &str) -> Result<(), String> {
    if repo::users::count(c).map_err(|e| e.to_string())? > 0 {
        tracing::info!("users exist; KEHU_BOOTSTRAP_ADMIN_* ignored");
        return Ok(());
    }
    let email = kehu_domain::text::Email::parse("KEHU_BOOTSTRAP_ADMIN_EMAIL", email)
        .map_err(|e| e.to_string())?;
    kehu_domain::user::check_password("KEHU_BOOTSTRAP_ADMIN_PASSWORD", pw)
        .map_err(|e| e.to_string())?;
    let hash = password::hash(pw)?;
    let values = repo::users::UserValues {
        email_key: email.key(),
        display_name: email
            .as_str()
            .split('@')
            .next()
            .unwrap_or("admin")
            .to_owned(),
        email: email.into_inner(),
        is_active: true,
        team_id: None,
        partner_id: None,
        locale: None,
        role_ids: vec!["admin".into()],
        region_ids: vec![],
        product_line_ids: vec![],
    };
    repo::users::insert(c, &db::new_id(), &values, &hash, db::now()).map_err(|e| e.to_string())?;
    tracing::info!(email = %values.email, "created the first administrator");
    Ok(())
}

/// The API is rate-limited per client address; health checks and the UI's files are not.
fn rate_limited(req: &actix_web::dev::ServiceRequest) -> Option<crate::error::ApiError> {
    if !req.path().starts_with("/api/") {
        return None;
    }
    let state = req.app_data::<web::Data<AppState>>()?;
    let limiter = state.limiter.as_ref()?;
    let client = crate::http::client::address(state, req.peer_addr(), req.headers())?;
    let wait = limiter.check(client, Instant::now()).err()?;
    Some(crate::error::ApiError::too_many(
        format!("Too many requests from this address; slow down and retry in {wait} s."),
        wait as i64,
    ))
}

/// Nothing matched: an unknown path (404), or a method no endpoint here
/// answers at all, such as TRACE or OPTIONS (405).
async fn unmatched(req: actix_web::HttpRequest) -> HttpResponse {
    use actix_web::http::{Method, StatusCode};
    let everyday = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ];
    let (status, detail) = if everyday.contains(req.method()) {
        (StatusCode::NOT_FOUND, "There is no such endpoint.")
    } else {
        (
            StatusCode::METHOD_NOT_ALLOWED,
            "This endpoint does not support this method.",
        )
    };
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
        .body(serde_json::to_string(&problem_for_status(status, detail)).unwrap_or_default())
}

/// Turns framework errors (405, 413 from actix itself, ...) into problem documents too.
fn as_problem<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    let status = res.status();
    if is_problem
        || !(status.is_client_error() || status.is_server_error())
        || !res.request().path().starts_with("/api")
    {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let detail = match status.as_u16() {
        405 => "This endpoint does not support this method.",
        413 => "The body must be at most 1 MiB.",
        _ => status.canonical_reason().unwrap_or("Error"),
    };
    let body = serde_json::to_string(&problem_for_status(status, detail)).unwrap_or_default();
    let (req, _) = res.into_parts();
    let resp: HttpResponse<BoxBody> = HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
        .body(body);
    let res: ServiceResponse<EitherBody<B>> = ServiceResponse::new(req, resp).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}
