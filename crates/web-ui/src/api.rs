//! The app's only door to the REST API: JSON in and out, the bearer token on
//! every authenticated call, and non-2xx `application/problem+json` answers
//! turned into a typed [`ApiError`].

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Same origin as the page: the `kehu` binary serves both.
const BASE: &str = "/api/v1";

/// One field's problem in a 422 answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FieldProblem {
    /// Dotted path of the field, e.g. `email`.
    pub field: String,
    /// Readable English explanation from the server.
    pub message: String,
}

/// An RFC 9457 problem document (only the members the UI shows).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub errors: Vec<FieldProblem>,
    /// HTTP status, taken from the response rather than trusted from the body.
    #[serde(skip)]
    pub status: u16,
    /// Seconds from the `Retry-After` header of a 429/503, when it is a number.
    #[serde(skip)]
    pub retry_after: Option<u32>,
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
}

/// Answer of `login` and `refresh`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Role {
    pub name: String,
}

/// Answer of `GET /me` (only the members the UI shows so far).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Me {
    pub email: String,
    pub display_name: String,
    #[serde(default)]
    pub roles: Vec<Role>,
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

pub async fn me(access_token: &str) -> Result<Me, ApiError> {
    let req = authorized(Request::get(&url("/me")), access_token)
        .build()
        .map_err(|_| ApiError::Network)?;
    read(send(req).await?).await
}

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

fn authorized(builder: RequestBuilder, access_token: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Bearer {access_token}"))
}

fn with_json<T: Serialize>(builder: RequestBuilder, body: &T) -> Result<Request, ApiError> {
    // Serialising these plain structs cannot fail; treat it like a failed send if it does.
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
    match resp.json::<Problem>().await {
        Ok(problem) => Err(ApiError::Problem(Problem {
            status,
            retry_after,
            ..problem
        })),
        Err(_) => Err(ApiError::Status(status)),
    }
}

async fn read<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    resp.json().await.map_err(|_| ApiError::Decode)
}
