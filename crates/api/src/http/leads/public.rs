//! The public web-form endpoint: no sign-in, the form's secret token in the
//! address is the key. A consent checkbox is required; a honeypot field
//! catches robots (answered as if accepted, nothing stored); submissions are
//! rate-limited per form and client address (behind trusted proxies, the
//! forwarded one), counted in the database so that the limit holds across
//! every node. Pages of other sites may post to it from a browser (CORS):
//! any site, or only the origins the form lists; a refused origin is 403
//! and nothing is stored.

use super::place;
use crate::auth::tokens;
use crate::db;
use crate::error::{ApiError, Kind, Problem};
use crate::http::extract::parse_json;
use crate::http::wire::leads::{FormAccepted, FormSubmission};
use crate::repo::leads::{self as store, Writer, forms};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, ResponseError, http::header, web};
use chrono::Duration;
use kehu_domain::FieldError;
use kehu_domain::error::Collector;
use kehu_domain::lead::{Lead, RawLead, Source, form as site};

/// Submissions one client address may make to one form per window.
pub const SUBMISSIONS_PER_WINDOW: i64 = 10;
/// The window, in seconds (an hour).
pub const WINDOW_SECS: i64 = 3600;

fn accepted() -> HttpResponse {
    HttpResponse::Accepted().json(FormAccepted { accepted: true })
}

fn parse(req: &HttpRequest, body: &[u8]) -> Result<FormSubmission, ApiError> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let essence = ct.split(';').next().unwrap_or("").trim().to_owned();
    if essence == "application/x-www-form-urlencoded" {
        serde_urlencoded::from_bytes(body)
            .map_err(|e| ApiError::invalid("body", "invalid_form", e.to_string()))
    } else if essence == "application/json" || essence.ends_with("+json") {
        parse_json(body)
    } else {
        Err(ApiError::new(
            Kind::UnsupportedMediaType,
            "Send the form as application/x-www-form-urlencoded or application/json.",
        ))
    }
}

/// The active form a token names.
async fn form_of(state: &AppState, token: String) -> Result<forms::FormRow, ApiError> {
    if token.is_empty() || token.len() > 128 {
        return Err(ApiError::not_found("form"));
    }
    let hash = tokens::digest(&token);
    db::run(&state.pool, move |c| {
        forms::by_token(c, &hash)?
            .filter(|f| f.active)
            .ok_or_else(|| ApiError::not_found("form"))
    })
    .await
}

/// The request's `Origin`, if a browser sent one, checked against the
/// form's sites: `Ok(None)` without one (a server posting, not a page).
fn origin_of(req: &HttpRequest, form: &forms::FormRow) -> Result<Option<String>, ApiError> {
    let Some(o) = req.headers().get(header::ORIGIN) else {
        return Ok(None);
    };
    let o = o.to_str().unwrap_or_default().to_owned();
    if site::origin_allowed(&form.origins(), &o) {
        Ok(Some(o))
    } else {
        Err(ApiError::forbidden(
            "This form does not take submissions from pages of this site.",
        ))
    }
}

/// The answer with the CORS headers that let the page read it.
fn for_origin(mut res: HttpResponse, origin: Option<&str>) -> HttpResponse {
    if let Some(o) = origin.and_then(|o| header::HeaderValue::from_str(o).ok()) {
        let h = res.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
        h.insert(header::VARY, header::HeaderValue::from_static("Origin"));
    }
    res
}

/// A browser's preflight before a page of another site posts to the form
/// (a JSON body needs one; a plain HTML form does not).
#[utoipa::path(options, path = "/api/v1/forms/{token}/leads", tag = "leads",
    params(("token" = String, Path, description = "The form's token"),
        ("Origin" = String, Header, description = "The page's origin, e.g. https://www.example.com")),
    responses(
        (status = 204, description = "The site may post: `Access-Control-Allow-Origin` is its origin; methods POST, header Content-Type", headers(
            ("Access-Control-Allow-Origin" = String, description = "The request's origin"),
            ("Access-Control-Allow-Methods" = String, description = "POST"),
            ("Access-Control-Allow-Headers" = String, description = "Content-Type"),
            ("Access-Control-Max-Age" = String, description = "Seconds a browser may remember this"))),
        (status = 400, description = "No `Origin` header: not a browser's preflight", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The form does not take submissions from this site", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown token, or the form is switched off", body = Problem, content_type = "application/problem+json"),
    ),
    security(()))]
pub async fn preflight(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    // a preflight is a browser's question for its page's site: without the
    // site there is nothing to answer
    if !req.headers().contains_key(header::ORIGIN) {
        return Err(ApiError::bad_field(
            "Origin",
            "required",
            "A preflight names the page's origin, e.g. https://www.example.com.",
        ));
    }
    let form = form_of(&state, path.into_inner()).await?;
    let origin = origin_of(&req, &form)?;
    let res = HttpResponse::NoContent()
        .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "POST"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type"))
        .insert_header((header::ACCESS_CONTROL_MAX_AGE, "3600"))
        .finish();
    Ok(for_origin(res, origin.as_deref()))
}

/// Submit a lead through a web form. From a page of another site, the
/// form must allow the page's origin (`allowed_origins`; empty: any); the
/// answer then carries `Access-Control-Allow-Origin` with it.
#[utoipa::path(post, path = "/api/v1/forms/{token}/leads", tag = "leads",
    params(("token" = String, Path, description = "The form's token, shown when it was made"),
        ("Origin" = Option<String>, Header, description = "Sent by browsers: the page's origin")),
    request_body(content = FormSubmission, content_type = "application/x-www-form-urlencoded", description = "Also accepted as application/json"),
    responses(
        (status = 202, description = "Received", body = FormAccepted, headers(
            ("Access-Control-Allow-Origin" = String, description = "The request's origin, when it sent one"))),
        (status = 403, description = "The form does not take submissions from pages of the request's origin; nothing is stored", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown token, or the form is switched off", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither form-urlencoded nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid; `consent` must be true", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many submissions from this client to this form (behind `KEHU_TRUSTED_PROXIES`, the forwarded client's address counts); see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(()))]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let form = form_of(&state, path.into_inner()).await?;
    let origin = origin_of(&req, &form)?;
    // the page may read the answer, refusals included
    let res = match receive(state, &req, form, body).await {
        Ok(r) => r,
        Err(e) => e.error_response(),
    };
    Ok(for_origin(res, origin.as_deref()))
}

async fn receive(
    state: web::Data<AppState>,
    req: &HttpRequest,
    form: forms::FormRow,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let sub = parse(req, &body)?;
    if sub.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        // a robot: it must not learn that it was caught
        return Ok(accepted());
    }
    let client = crate::http::client::address(&state, req.peer_addr(), req.headers())
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".to_owned());
    let fid = form.id.clone();
    let now = db::now();
    let over = db::run(&state.pool, move |c| {
        Ok::<_, ApiError>(forms::hit(
            c,
            &fid,
            &client,
            now - Duration::seconds(WINDOW_SECS),
            SUBMISSIONS_PER_WINDOW,
            now,
        )?)
    })
    .await?;
    if let Err(oldest) = over {
        let wait = (oldest + Duration::seconds(WINDOW_SECS) - now).num_seconds();
        return Err(ApiError::too_many(
            "Too many submissions from this address; try again later.",
            wait,
        ));
    }
    let mut col = Collector::new();
    if sub.consent != Some(true) {
        col.push(FieldError::new(
            "consent",
            "required",
            "must be true: agree to be contacted",
        ));
    }
    let source =
        Source::parse("source", &form.source).unwrap_or_else(|_| Source::known(Source::WEB_FORM));
    let lead = col.take(Lead::create(
        RawLead {
            name: Some(sub.name.unwrap_or_default()),
            company: Some(sub.company),
            phone: Some(sub.phone),
            email: Some(sub.email),
            industry: Some(sub.industry),
            notes: Some(sub.message),
            campaign: Some(form.campaign.clone()),
            ..Default::default()
        },
        &source,
    ));
    col.finish()?;
    let Some(lead) = lead else {
        return Err(ApiError::internal("parsed input went missing"));
    };
    db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let now = db::now();
            if let Some(email) = lead.email.as_ref()
                && let Some(prev) = store::open_from_form(c, &form.id, email.as_str())?
            {
                // a returning visitor: more engagement, not another lead
                let mut e = prev.engagement();
                e.form_submissions += 1;
                let s = kehu_domain::lead::score::score(
                    &store::score_rules(c)?,
                    &prev.to_domain().score_facts(),
                    e,
                );
                store::add_submission(c, &prev.id, s.total, now)?;
                return Ok(());
            }
            let mut p = place(c, None, &lead, None, form.team_id.as_deref(), 1)?;
            p.form_id = Some(form.id.clone());
            store::insert(c, &db::new_id(), &lead, &p, Writer::default(), now)?;
            Ok::<_, ApiError>(())
        })
    })
    .await?;
    Ok(accepted())
}
