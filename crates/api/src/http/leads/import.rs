//! Leads from a CSV file, all or nothing.

use super::{place, writer};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Kind, Problem};
use crate::http::wire::leads::LeadImported;
use crate::repo::leads as store;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, http::header, web};
use futures_util::StreamExt;
use kehu_domain::access::{Action, Resource};
use kehu_domain::import::{csv, decode};
use kehu_domain::lead::import as lead_import;

/// Largest CSV a lead import takes: 5,000 rows of a few hundred bytes.
pub const MAX_IMPORT_BYTES: usize = 4 * 1024 * 1024;

/// Import leads from CSV (UTF-8, UTF-16 or GBK): a header row with the
/// columns name, company, phone, email, industry, source, campaign, notes
/// (name required), at most 5,000 rows. Every row is checked first; if any
/// is wrong nothing is stored and each problem names its line
/// (`rows[<line>].<field>`). Each lead is assigned like a created one.
#[utoipa::path(post, path = "/api/v1/leads/import", tag = "leads",
    request_body(content = String, content_type = "text/csv", example = "name,company,phone,email,industry,source,campaign,notes\n王经理,上海某某机械,13800138000,wang@example.com,制造业,event,2026 秋季展会,\n"),
    responses(
        (status = 201, description = "Every row became a lead", body = LeadImported),
        (status = 403, description = "The caller may not create leads", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Problems in the file, each naming its line; nothing was stored", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn import(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Lead, Action::Create)?;
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.split(';').next().unwrap_or("").trim() != "text/csv" {
        return Err(ApiError::new(
            Kind::UnsupportedMediaType,
            "Send the file as text/csv.",
        ));
    }
    let mut buf = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(format!("Could not read the body: {e}.")))?;
        if buf.len() + chunk.len() > MAX_IMPORT_BYTES {
            return Err(ApiError::new(
                Kind::PayloadTooLarge,
                format!("The file must be at most {MAX_IMPORT_BYTES} bytes."),
            ));
        }
        buf.extend_from_slice(&chunk);
    }
    let (text, _) = decode::decode(&buf, None)?;
    let table = csv::read(&text)?;
    let leads = lead_import::leads(&table)?;
    let ids = db::run(&state.pool, move |c| {
        db::write_tx(c, |c| {
            let now = db::now();
            let mut ids = Vec::with_capacity(leads.len());
            for lead in &leads {
                let p = place(c, Some(&auth), lead, None, None, 0)?;
                let row = store::insert(c, &db::new_id(), lead, &p, writer(&auth), now)?;
                ids.push(row.id);
            }
            Ok::<_, ApiError>(ids)
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(LeadImported {
        created: ids.len(),
        ids,
    }))
}
