//! The API's one error type and its RFC 7807 `application/problem+json` form.

use crate::http::wire::duplicates::DuplicatesOut;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use kehu_domain::{FieldError, Invalid};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every 4xx and 5xx response.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation",
    "title": "Invalid input",
    "status": 422,
    "detail": "The request has 1 invalid field.",
    "errors": [{"field": "name", "code": "required", "message": "must not be empty"}]
}))]
pub struct Problem {
    /// Stable identifier of the kind of problem; clients branch on this.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this request, readable by a person.
    pub detail: String,
    /// Problems with individual fields, when the input was at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// For server errors: quote this id to an administrator to find the log entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
    /// For `/problems/duplicate`: the existing customers the record looks like.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<DuplicatesOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// Path of the field, e.g. `name` or `emails[1]`.
    #[schema(example = "emails[1]")]
    pub field: String,
    /// Machine-readable reason, e.g. `required`, `too_long`, `invalid_email`.
    #[schema(example = "invalid_email")]
    pub code: String,
    /// Readable explanation.
    #[schema(example = "must be an e-mail address like name@example.com")]
    pub message: String,
}

impl From<FieldError> for ProblemField {
    fn from(e: FieldError) -> Self {
        Self {
            field: e.field,
            code: e.code.to_owned(),
            message: e.message,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Duplicate,
    PreconditionFailed,
    PayloadTooLarge,
    UnsupportedMediaType,
    Validation,
    PreconditionRequired,
    TooManyRequests,
    Internal,
    Unavailable,
}

impl Kind {
    fn parts(self) -> (StatusCode, &'static str, &'static str) {
        use Kind::*;
        match self {
            BadRequest => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", "Not signed in"),
            Forbidden => (StatusCode::FORBIDDEN, "forbidden", "Not allowed"),
            NotFound => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            Conflict => (StatusCode::CONFLICT, "conflict", "Conflict"),
            Duplicate => (StatusCode::CONFLICT, "duplicate", "Likely duplicate"),
            PreconditionFailed => (
                StatusCode::PRECONDITION_FAILED,
                "stale-version",
                "Changed by someone else",
            ),
            PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "Request body too large",
            ),
            UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
            ),
            Validation => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid input",
            ),
            PreconditionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                "if-match-required",
                "If-Match header required",
            ),
            TooManyRequests => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                "Too many requests",
            ),
            Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal server error",
            ),
            Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{kind:?}: {detail}")]
pub struct ApiError {
    pub kind: Kind,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<i64>,
    pub duplicates: Option<Box<DuplicatesOut>>,
}

impl ApiError {
    pub fn new(kind: Kind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
            duplicates: None,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(Kind::BadRequest, detail)
    }

    pub fn bad_field(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut e = Self::new(Kind::BadRequest, format!("{field}: {message}"));
        e.errors.push(FieldError::new(field, code, message));
        e
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(Kind::Unauthorized, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(Kind::Forbidden, detail)
    }

    /// The answer for records that do not exist *and* for those the caller may not see.
    pub fn not_found(what: &str) -> Self {
        Self::new(Kind::NotFound, format!("No {what} with this id."))
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(Kind::Conflict, detail)
    }

    pub fn conflict_field(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut e = Self::new(Kind::Conflict, format!("{field}: {message}"));
        e.errors.push(FieldError::new(field, code, message));
        e
    }

    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Invalid::one(field, code, message).into()
    }

    pub fn too_many(detail: impl Into<String>, retry_after: i64) -> Self {
        let mut e = Self::new(Kind::TooManyRequests, detail);
        e.retry_after = Some(retry_after.max(1));
        e
    }

    /// 409 `/problems/duplicate`: the record looks like `found`; send a
    /// `duplicate_reason` to save it anyway.
    pub fn duplicate(found: DuplicatesOut) -> Self {
        let n = found.visible.len() + found.hidden.len();
        let mut e = Self::new(
            Kind::Duplicate,
            format!(
                "This looks like {n} existing customer{}. Open {} instead, or send duplicate_reason to save it anyway.",
                if n == 1 { "" } else { "s" },
                if n == 1 { "it" } else { "one of them" },
            ),
        );
        e.duplicates = Some(Box::new(found));
        e
    }

    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(Kind::Internal, detail)
    }

    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::new(Kind::Unavailable, detail)
    }

    pub fn status(&self) -> StatusCode {
        self.kind.parts().0
    }
}

impl From<Invalid> for ApiError {
    fn from(Invalid(errors): Invalid) -> Self {
        let n = errors.len();
        let detail = if n == 1 {
            format!("{}: {}", errors[0].field, errors[0].message)
        } else {
            format!("The request has {n} invalid fields.")
        };
        Self {
            kind: Kind::Validation,
            detail,
            errors,
            retry_after: None,
            duplicates: None,
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        ApiError::internal(format!("database error: {e}"))
    }
}

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Builds the problem document for a status that did not come from an [`ApiError`]
/// (framework-level 404, 405, 413 ...).
pub fn problem_for_status(status: StatusCode, detail: &str) -> Problem {
    let (kind, title) = match status.as_u16() {
        400 => ("bad-request", "Bad request"),
        401 => ("unauthorized", "Not signed in"),
        403 => ("forbidden", "Not allowed"),
        404 => ("not-found", "Not found"),
        405 => ("method-not-allowed", "Method not allowed"),
        413 => ("payload-too-large", "Request body too large"),
        415 => ("unsupported-media-type", "Unsupported media type"),
        429 => ("too-many-requests", "Too many requests"),
        s if s >= 500 => ("internal", "Internal server error"),
        _ => ("error", "Error"),
    };
    Problem {
        kind: format!("/problems/{kind}"),
        title: title.to_owned(),
        status: status.as_u16(),
        detail: detail.to_owned(),
        errors: Vec::new(),
        error_id: None,
        duplicates: None,
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let (status, slug, title) = self.kind.parts();
        let mut error_id = None;
        let detail = if status.is_server_error() {
            // The client gets an id to quote; the cause stays in the log.
            let id = uuid::Uuid::new_v4().simple().to_string();
            tracing::error!(error_id = %id, cause = %self.detail, "request failed");
            let d = if self.kind == Kind::Unavailable {
                "The service is temporarily unavailable; try again shortly.".to_owned()
            } else {
                format!(
                    "Something went wrong on our side. Quote error id {id} to your administrator."
                )
            };
            error_id = Some(id);
            d
        } else {
            self.detail.clone()
        };
        let body = Problem {
            kind: format!("/problems/{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            errors: self.errors.iter().cloned().map(Into::into).collect(),
            error_id,
            duplicates: self.duplicates.as_deref().cloned(),
        };
        let mut resp = HttpResponse::build(status);
        resp.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if let Some(s) = self.retry_after {
            resp.insert_header((header::RETRY_AFTER, s.to_string()));
        }
        if self.kind == Kind::Unauthorized {
            resp.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        resp.body(serde_json::to_string(&body).unwrap_or_default())
    }
}
