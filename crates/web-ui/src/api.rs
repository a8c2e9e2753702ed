//! The app's only door to the REST API: JSON in and out, the bearer token on
//! every authenticated call, and non-2xx `application/problem+json` answers
//! turned into a typed [`ApiError`]. Pages call it through
//! [`Session::call`](crate::session::Session), which adds the token and
//! refreshes it once when it has expired.

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Same origin as the page: the `kehu` binary serves both.
const BASE: &str = "/api/v1";

/// One field's problem in a 422 answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FieldProblem {
    /// Path of the field, e.g. `email` or `phones[1]`.
    pub field: String,
    /// Stable reason (`required`, `invalid_email`, …), translated by the UI.
    #[serde(default)]
    pub code: String,
    /// Readable English explanation from the server.
    pub message: String,
}

/// Existing customers a new or edited one looks like.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Duplicates {
    #[serde(default)]
    pub visible: Vec<VisibleDuplicate>,
    #[serde(default)]
    pub hidden: Vec<HiddenDuplicate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VisibleDuplicate {
    pub id: String,
    pub name: String,
    pub lifecycle_stage: String,
    pub owner_name: Option<String>,
    pub matched_on: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HiddenDuplicate {
    pub matched_on: Vec<String>,
    pub ask: Option<Person>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// A required checklist item that keeps a deal from moving on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MissingItem {
    #[serde(default)]
    pub item_id: String,
    #[serde(default)]
    pub stage_id: String,
    pub label: String,
}

/// An RFC 9457 problem document (the members the UI shows).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Problem {
    /// `/problems/<slug>`.
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub errors: Vec<FieldProblem>,
    /// For `/problems/duplicate`: the customers the record looks like.
    #[serde(default)]
    pub duplicates: Option<Duplicates>,
    /// For a deal's move refused by the funnel (`checklist_incomplete`): the
    /// required checklist items not done yet.
    #[serde(default)]
    pub missing: Vec<MissingItem>,
    /// HTTP status, taken from the response rather than trusted from the body.
    #[serde(skip)]
    pub status: u16,
    /// Seconds from the `Retry-After` header of a 429/503, when it is a number.
    #[serde(skip)]
    pub retry_after: Option<u32>,
}

impl Problem {
    /// The slug of `type`, e.g. `validation`.
    pub fn slug(&self) -> &str {
        self.kind.strip_prefix("/problems/").unwrap_or(&self.kind)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The API refused with a problem document.
    Problem(Problem),
    /// A non-2xx answer without a problem document (e.g. a proxy's error page).
    Status(u16),
    /// No answer at all: offline, server down, request blocked.
    Network,
    /// A 2xx answer whose body was not what this client expects.
    Decode,
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(p) => Some(p.status),
            ApiError::Status(s) => Some(*s),
            ApiError::Network | ApiError::Decode => None,
        }
    }

    /// A validation problem found before sending, shaped like the API's 422
    /// so it shows the same way.
    pub fn invalid(errors: Vec<FieldProblem>) -> Self {
        ApiError::Problem(Problem {
            kind: "/problems/validation".into(),
            title: None,
            detail: None,
            errors,
            duplicates: None,
            missing: Vec::new(),
            status: 422,
            retry_after: None,
        })
    }

    /// Field problems of a 422 (empty otherwise).
    pub fn fields(&self) -> &[FieldProblem] {
        match self {
            ApiError::Problem(p) => &p.errors,
            _ => &[],
        }
    }
}

/// Answer of `login` and `refresh`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Role {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Permission {
    pub resource: String,
    pub action: String,
    pub scopes: Vec<String>,
}

/// Answer of `GET /me`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub display_name: String,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub permissions: Vec<Permission>,
    /// IANA zone the user's times are shown in; the API's default when absent.
    #[serde(default)]
    pub time_zone: Option<String>,
}

impl Me {
    /// Whether the user may `action` some `resource` at all (the API decides per record).
    pub fn can(&self, resource: &str, action: &str) -> bool {
        self.permissions
            .iter()
            .any(|p| p.resource == resource && p.action == action && !p.scopes.is_empty())
    }
}

/// A list answer: `{ "data": [...] }`, with the next page's cursor and the
/// total where the endpoint pages and counts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub next_cursor: Option<String>,
    #[serde(default)]
    pub total: Option<i64>,
}

/// A team, region, product line or partner.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Unit {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub version: i64,
}

/// A record with the ETag to send back when changing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub data: T,
    pub etag: String,
}

#[derive(Serialize)]
struct LoginBody<'a> {
    email: &'a str,
    password: &'a str,
}

#[derive(Serialize)]
struct RefreshBody<'a> {
    refresh_token: &'a str,
}

pub async fn login(email: &str, password: &str) -> Result<Tokens, ApiError> {
    let req = with_json(
        Request::post(&url("/auth/login")),
        &LoginBody { email, password },
    )?;
    read(send(req).await?).await
}

pub async fn refresh(refresh_token: &str) -> Result<Tokens, ApiError> {
    let req = with_json(
        Request::post(&url("/auth/refresh")),
        &RefreshBody { refresh_token },
    )?;
    read(send(req).await?).await
}

pub async fn logout(refresh_token: &str) -> Result<(), ApiError> {
    let req = with_json(
        Request::post(&url("/auth/logout")),
        &RefreshBody { refresh_token },
    )?;
    send(req).await.map(drop)
}

/// One authenticated call, described so that it can be sent again after a token refresh.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub path: String,
    /// The JSON body, serialised once (it may be sent twice).
    pub body: Option<String>,
    pub if_match: Option<String>,
    /// A file sent as the body as it is, with its content type (an import's upload).
    pub file: Option<(web_sys::Blob, String)>,
    /// Sent as `Idempotency-Key`, so a create repeated after a lost answer
    /// is stored once.
    pub key: Option<String>,
}

impl Call {
    pub fn get(path: impl Into<String>) -> Self {
        Self {
            method: Method::GET,
            path: path.into(),
            body: None,
            if_match: None,
            file: None,
            key: None,
        }
    }

    pub fn post(path: impl Into<String>, body: &impl Serialize) -> Self {
        Self {
            method: Method::POST,
            path: path.into(),
            body: serde_json::to_string(body).ok(),
            if_match: None,
            file: None,
            key: None,
        }
    }

    pub fn patch(path: impl Into<String>, etag: &str, body: &impl Serialize) -> Self {
        Self {
            method: Method::PATCH,
            path: path.into(),
            body: serde_json::to_string(body).ok(),
            if_match: Some(etag.to_owned()),
            file: None,
            key: None,
        }
    }

    /// A POST that creates a record once, however often it is sent.
    pub fn create(path: impl Into<String>, body: &impl Serialize) -> Self {
        use web_sys::js_sys::{Date, Math};
        let key = format!(
            "{:x}-{:x}",
            Date::now() as u64,
            (Math::random() * 9_007_199_254_740_991.0) as u64
        );
        Self {
            key: Some(key),
            ..Self::post(path, body)
        }
    }

    /// A PUT of a whole settings document, which carries no version.
    pub fn put(path: impl Into<String>, body: &impl Serialize) -> Self {
        Self {
            method: Method::PUT,
            path: path.into(),
            body: serde_json::to_string(body).ok(),
            if_match: None,
            file: None,
            key: None,
        }
    }

    /// A PATCH of the caller's own settings, which carry no version.
    pub fn patch_no_version(path: impl Into<String>, body: &impl Serialize) -> Self {
        Self {
            method: Method::PATCH,
            path: path.into(),
            body: serde_json::to_string(body).ok(),
            if_match: None,
            file: None,
            key: None,
        }
    }

    pub fn delete(path: impl Into<String>) -> Self {
        Self {
            method: Method::DELETE,
            path: path.into(),
            body: None,
            if_match: None,
            file: None,
            key: None,
        }
    }

    /// A POST of a file as the body.
    pub fn upload(path: impl Into<String>, file: web_sys::Blob, content_type: &str) -> Self {
        Self {
            method: Method::POST,
            path: path.into(),
            body: None,
            if_match: None,
            file: Some((file, content_type.to_owned())),
            key: None,
        }
    }

    /// Sends with the given access token; `path` is below `/api/v1` and may carry a query.
    pub async fn send(&self, access_token: &str) -> Result<Response, ApiError> {
        let mut b = RequestBuilder::new(&url(&self.path))
            .method(self.method.clone())
            .header("Authorization", &format!("Bearer {access_token}"));
        if let Some(etag) = &self.if_match {
            b = b.header("If-Match", etag);
        }
        if let Some(key) = &self.key {
            b = b.header("Idempotency-Key", key);
        }
        if let Some((file, content_type)) = &self.file {
            let req = b
                .header("Content-Type", content_type)
                .body(wasm_bindgen::JsValue::from(file.clone()))
                .map_err(|_| ApiError::Network)?;
            return send(req).await;
        }
        let req = match &self.body {
            Some(json) => b
                .header("Content-Type", "application/json")
                .body(json.as_str())
                .map_err(|_| ApiError::Network)?,
            None => b.build().map_err(|_| ApiError::Network)?,
        };
        send(req).await
    }
}

/// The text of an answer. The reads below await only this and parse
/// afterwards, so the async code exists once instead of once per record type.
pub async fn text(resp: Response) -> Result<String, ApiError> {
    resp.text().await.map_err(|_| ApiError::Decode)
}

/// Parses a JSON answer's text.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|_| ApiError::Decode)
}

/// Reads a JSON answer.
pub async fn read<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    parse(&text(resp).await?)
}

/// The ETag and text of an answer.
pub async fn text_versioned(resp: Response) -> Result<(String, String), ApiError> {
    let etag = resp.headers().get("etag").unwrap_or_default();
    Ok((etag, text(resp).await?))
}

/// Percent-encodes a query-string value (UTF-8, so Chinese search text works).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

fn with_json<T: Serialize + ?Sized>(
    builder: RequestBuilder,
    body: &T,
) -> Result<Request, ApiError> {
    // Serialising these plain values cannot fail; treat it like a failed send if it does.
    builder.json(body).map_err(|_| ApiError::Network)
}

/// Sends, and turns every non-2xx answer into an [`ApiError`].
async fn send(req: Request) -> Result<Response, ApiError> {
    let resp = req.send().await.map_err(|_| ApiError::Network)?;
    if resp.ok() {
        return Ok(resp);
    }
    let status = resp.status();
    let headers = resp.headers();
    let is_problem = headers.get("content-type").is_some_and(|ct| {
        ct.trim_start()
            .to_ascii_lowercase()
            .starts_with("application/problem+json")
    });
    if !is_problem {
        return Err(ApiError::Status(status));
    }
    let retry_after = headers
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    match text(resp).await.and_then(|t| parse::<Problem>(&t)) {
        Ok(problem) => Err(ApiError::Problem(Problem {
            status,
            retry_after,
            ..problem
        })),
        Err(_) => Err(ApiError::Status(status)),
    }
}
