//! Serves the web UI: content-hashed assets cached for a year, `index.html`
//! never cached, and every other path without a file extension answered with
//! `index.html` so the browser app's routes survive a reload.

use actix_files::NamedFile;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use std::path::{Component, Path, PathBuf};

use crate::state::AppState;

const FALLBACK: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Kehu</title>\
<body><h1>Kehu</h1><p>The web UI has not been built. Run <code>make run</code>, or see \
<a href=\"/api/docs/\">the API documentation</a>.</p></body></html>";

fn safe_join(root: &Path, tail: &str) -> Option<PathBuf> {
    let rel = Path::new(tail);
    if rel.components().all(|c| matches!(c, Component::Normal(_))) {
        Some(root.join(rel))
    } else {
        None
    }
}

async fn serve(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let root = &state.settings.ui_dir;
    let tail = req.match_info().query("tail").trim_start_matches('/');
    if !tail.is_empty()
        && tail != "index.html"
        && let Some(p) = safe_join(root, tail).filter(|p| p.is_file())
        && let Ok(f) = NamedFile::open(&p)
    {
        let mut resp = f.use_etag(true).into_response(&req);
        resp.headers_mut().insert(
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        return resp;
    }
    // a missing file (favicon.ico, a stale hashed asset) is a 404, not the app
    let last = tail.rsplit('/').next().unwrap_or_default();
    if last.contains('.') && last != "index.html" {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("Not found");
    }
    match NamedFile::open(root.join("index.html")) {
        Ok(f) => {
            let mut resp = f
                .use_etag(false)
                .use_last_modified(false)
                .into_response(&req);
            resp.headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            resp
        }
        Err(_) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((CACHE_CONTROL, "no-cache"))
            .body(FALLBACK),
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/{tail:.*}", web::get().to(serve))
        .route("/{tail:.*}", web::head().to(serve));
}
