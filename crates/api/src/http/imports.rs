//! Imports: upload a file, map its columns, dry-run, run in the background,
//! read the report, undo. An import is its uploader's: anyone else gets 404.

mod engine;
mod failed;
pub mod lease;
mod templates;
mod undo;
mod xlsx;
pub use failed::*;
pub use templates::*;

use super::cursor;
use super::extract::{Body, MAX_IMPORT_BODY, id, non_empty};
use super::wire::imports::{
    ColumnMapping, DryRunOut, ImportCounts, ImportOut, ImportSettings, ImportStatus, PreviewRow,
    RowOut, RowOutcome, RowPage,
};
use crate::auth::{Auth, Via};
use crate::db;
use crate::error::{ApiError, Kind, Problem};
use crate::repo::imports::{self as store, ImportRow, status};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use kehu_domain::access::{Action, Resource};
use kehu_domain::import::decode::{self, Encoding};
use kehu_domain::import::mapping::{self, ColumnField, Mapping};
use kehu_domain::import::plan::Policy;
use kehu_domain::import::{self, SourceKind, Table};
use kehu_domain::paging::Limit;
use serde::Deserialize;
use utoipa::IntoParams;

/// Rows shown in a preview.
const PREVIEW_ROWS: usize = 10;
/// Rows listed in a dry run's answer; its counts cover all.
const DRY_RUN_ROWS: usize = 500;

fn status_of(s: &str) -> ImportStatus {
    match s {
        status::RUNNING => ImportStatus::Running,
        status::DONE => ImportStatus::Done,
        status::FAILED => ImportStatus::Failed,
        status::UNDONE => ImportStatus::Undone,
        _ => ImportStatus::Ready,
    }
}

fn out(r: &ImportRow, preview: Option<&Table>) -> ImportOut {
    let mapping: Vec<ColumnField> = serde_json::from_str(&r.mapping).unwrap_or_default();
    ImportOut {
        id: r.id.clone(),
        status: status_of(&r.status),
        kind: r.kind.clone(),
        encoding: r.encoding.clone(),
        file_name: r.file_name.clone(),
        columns: serde_json::from_str(&r.column_names).unwrap_or_default(),
        mapping: mapping.iter().map(ColumnMapping::from).collect(),
        policy: Policy::parse(&r.policy).unwrap_or(Policy::Skip).into(),
        total_rows: r.total_rows,
        done_rows: r.done_rows,
        counts: ImportCounts {
            created: r.created_count,
            updated: r.updated_count,
            skipped: r.skipped_count,
            failed: r.failed_count,
        },
        preview: preview
            .map(|t| {
                t.rows
                    .iter()
                    .take(PREVIEW_ROWS)
                    .map(|row| PreviewRow {
                        line: row.line as i64,
                        cells: row.cells.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        error: r.error.clone(),
        created_at: db::to_utc(r.created_at),
        started_at: r.started_at.map(db::to_utc),
        finished_at: r.finished_at.map(db::to_utc),
        undone_at: r.undone_at.map(db::to_utc),
    }
}

fn table_of(r: &ImportRow) -> Table {
    Table {
        columns: serde_json::from_str(&r.column_names).unwrap_or_default(),
        rows: serde_json::from_str(&r.source).unwrap_or_default(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// `csv`, `vcard` or `xlsx`; by default a zip file is an Excel workbook
    /// (its first sheet is read), a file starting with BEGIN:VCARD a vCard,
    /// anything else CSV.
    pub kind: Option<String>,
    /// The file's encoding when detection guesses wrong: `utf8`, `gbk`
    /// (= `gb18030`, `gb2312`), `utf16le`, `utf16be`. By default a
    /// byte-order mark decides, then valid UTF-8, else GB18030.
    pub encoding: Option<String>,
    /// The file's name, to recognise the import later.
    #[param(max_length = 255)]
    pub file_name: Option<String>,
}

/// Content types an upload may have: what browsers and curl send for these files.
const UPLOAD_TYPES: &[&str] = &[
    "text/csv",
    "text/plain",
    "text/vcard",
    "text/x-vcard",
    "text/directory",
    "text/tab-separated-values",
    "application/vnd.ms-excel",
    "application/octet-stream",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// Upload a file to import: CSV (UTF-8 with or without BOM, GBK/GB18030,
/// UTF-16 as Excel writes them; comma, semicolon or tab separated), an Excel
/// workbook (.xlsx, its first sheet) or vCard 2.1/3.0/4.0. Send the file itself as the body (at most 20 MiB, 200,000
/// rows). The answer has the columns, a mapping suggested from the headers
/// (Chinese and English) and the first rows; nothing is imported yet.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(UploadQuery),
    request_body(content = Vec<u8>, description = "The file", content_type = "text/csv", example = "公司名称,联系人,手机\n上海华联超市有限公司,张三,13800138000\n"),
    responses(
        (status = 201, description = "Uploaded and read", body = ImportOut, headers(("Location" = String, description = "The import"))),
        (status = 413, description = "File larger than 20 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a CSV or vCard content type", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unreadable file: `encoding` (bytes the encoding cannot read, naming the line), `file` (empty, unclosed quote, too many rows or columns), `kind`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    q: web::Query<UploadQuery>,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Customer, Action::Create)?;
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !UPLOAD_TYPES.contains(&ct.as_str()) {
        return Err(ApiError::new(
            Kind::UnsupportedMediaType,
            "Send the file as the body with Content-Type text/csv or text/vcard.",
        ));
    }
    let q = q.into_inner();
    let kind = non_empty(q.kind);
    let xlsx_wanted = kind.as_deref() == Some("xlsx");
    let kind = kind
        .filter(|_| !xlsx_wanted)
        .map(|k| {
            SourceKind::parse(&k).ok_or_else(|| {
                ApiError::invalid("kind", "invalid_choice", "must be csv, vcard or xlsx")
            })
        })
        .transpose()?;
    let forced = non_empty(q.encoding)
        .map(|e| {
            Encoding::parse(&e).ok_or_else(|| {
                ApiError::invalid(
                    "encoding",
                    "invalid_choice",
                    "must be one of: utf8, gbk, gb18030, utf16le, utf16be",
                )
            })
        })
        .transpose()?;
    let file_name = non_empty(q.file_name)
        .map(|f| kehu_domain::text::required("file_name", &f, 255))
        .transpose()?;
    let too_large = || {
        ApiError::new(
            Kind::PayloadTooLarge,
            format!("The file must be at most {MAX_IMPORT_BODY} bytes."),
        )
    };
    let mut buf = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(format!("Could not read the body: {e}.")))?;
        if buf.len() + chunk.len() > MAX_IMPORT_BODY {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    // reading a large file takes a while: off the async executor
    let (table, enc, kind) = web::block(move || -> Result<_, ApiError> {
        if xlsx_wanted || (kind.is_none() && xlsx::is_xlsx(&buf)) {
            // the workbook's XML is Unicode whatever Excel's locale
            return Ok((xlsx::read(buf.to_vec())?, Encoding::Utf8, "xlsx"));
        }
        let (text, enc) = decode::decode(&buf, forced)?;
        let kind = kind.unwrap_or_else(|| import::sniff(&text));
        Ok((import::read(kind, &text)?, enc, kind.as_str()))
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))??;
    let suggested = mapping::suggest(&table.columns);
    let id = db::new_id();
    let a = auth.clone();
    let (row, table) = db::run(&state.pool, move |c| {
        store::insert(
            c,
            &store::NewImport {
                id: &id,
                created_by: a.user_id(),
                api_key_id: match &a.via {
                    Via::ApiKey { id } => Some(id),
                    Via::Session => None,
                },
                file_name: file_name.as_deref(),
                kind,
                encoding: enc.as_str(),
                column_names: &json(&table.columns),
                source: &json(&table.rows),
                mapping: &json(&suggested),
                policy: Policy::Skip.as_str(),
                total_rows: table.rows.len() as i64,
                now: db::now(),
            },
        )?;
        let row = store::get_light(c, &id, a.user_id())?
            .ok_or_else(|| ApiError::internal("the new import went missing"))?;
        Ok((row, table))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/imports/{}", row.id)))
        .json(out(&row, Some(&table))))
}

/// The import if it is the caller's; 404 alike for another user's and none.
fn own(found: Option<ImportRow>) -> Result<ImportRow, ApiError> {
    found.ok_or_else(|| ApiError::not_found("import"))
}

/// The stored form of plain data, which cannot fail to serialise.
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

async fn load(
    state: &AppState,
    auth: &Auth,
    iid: String,
    light: bool,
) -> Result<ImportRow, ApiError> {
    let user = auth.user_id().to_owned();
    db::run(&state.pool, move |c| {
        let r = if light {
            store::get_light(c, &iid, &user)?
        } else {
            store::get(c, &iid, &user)?
        };
        r.ok_or_else(|| ApiError::not_found("import"))
    })
    .await
}

/// An import: its status, progress (`done_rows` of `total_rows`) and counts.
/// Poll it while it runs; any API node answers. The preview is included
/// while the import is `ready`.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "imports", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Found", body = ImportOut),
        (status = 404, description = "No such import, or another user's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let iid = id(&path)?;
    let light = load(&state, &auth, iid.clone(), true).await?;
    if light.status == status::READY {
        let full = load(&state, &auth, iid, false).await?;
        return Ok(HttpResponse::Ok().json(out(&light, Some(&table_of(&full)))));
    }
    Ok(HttpResponse::Ok().json(out(&light, None)))
}

/// Set which column fills which field, and what to do with duplicates.
/// Only before the import runs.
#[utoipa::path(put, path = "/api/v1/imports/{id}/settings", tag = "imports", params(("id" = String, Path)),
    request_body = ImportSettings,
    responses(
        (status = 200, description = "Saved", body = ImportOut),
        (status = 404, description = "No such import, or another user's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The import has run already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`mapping[i].column` not in the file, `mapping[i].field` filled twice, or nothing maps the name", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_settings(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    body: Body<ImportSettings>,
) -> Result<HttpResponse, ApiError> {
    let iid = id(&path)?;
    let settings = body.0;
    let user = auth.user_id().to_owned();
    let (row, table) = db::run(&state.pool, move |c| {
        let imp = own(store::get(c, &iid, &user)?)?;
        let table = table_of(&imp);
        let raw: Vec<ColumnField> = settings.mapping.iter().map(ColumnField::from).collect();
        Mapping::parse(&table.columns, &raw)?;
        let policy: Policy = settings.policy.into();
        let saved = store::set_settings(
            c,
            &iid,
            &serde_json::to_string(&raw).unwrap_or_default(),
            policy.as_str(),
        )?;
        if !saved {
            return Err(ApiError::conflict(
                "This import has run already; upload the file again to change it.",
            ));
        }
        let row = own(store::get_light(c, &iid, &user)?)?;
        Ok((row, table))
    })
    .await?;
    Ok(HttpResponse::Ok().json(out(&row, Some(&table))))
}

fn row_out(
    line: i64,
    outcome: &str,
    code: Option<String>,
    column: Option<String>,
    message: Option<String>,
    customer_id: Option<String>,
) -> RowOut {
    RowOut {
        line,
        outcome: match outcome {
            "created" => RowOutcome::Created,
            "updated" => RowOutcome::Updated,
            "skipped" => RowOutcome::Skipped,
            _ => RowOutcome::Failed,
        },
        code,
        column,
        message,
        customer_id,
    }
}

/// What running the import now would do, row by row, with nothing written:
/// the same checks (fields, owners, scope, duplicates against existing
/// customers and within the file) as the run.
#[utoipa::path(post, path = "/api/v1/imports/{id}/dry-run", tag = "imports", params(("id" = String, Path)),
    responses(
        (status = 200, description = "What would happen", body = DryRunOut),
        (status = 404, description = "No such import, or another user's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The saved mapping no longer fits (see `errors`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn dry_run(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let iid = id(&path)?;
    let a = auth.clone();
    let (counts, rows) = db::run(&state.pool, move |c| {
        let imp = store::get(c, &iid, a.user_id())?.ok_or_else(|| ApiError::not_found("import"))?;
        let planned = engine::plan(c, &a, &engine::Source::of(&imp), &Default::default())?;
        Ok(engine::dry_run(&planned))
    })
    .await?;
    Ok(HttpResponse::Ok().json(DryRunOut {
        counts: ImportCounts {
            created: counts.created,
            updated: counts.updated,
            skipped: counts.skipped,
            failed: counts.failed,
        },
        rows: rows
            .into_iter()
            .take(DRY_RUN_ROWS)
            .map(|(line, o)| {
                let (code, column, message) = match o.error {
                    Some(e) => (Some(e.code), e.column, Some(e.message)),
                    None => (None, None, None),
                };
                row_out(line as i64, o.outcome, code, column, message, o.customer_id)
            })
            .collect(),
    }))
}

/// Run the import in the background. Poll `GET /api/v1/imports/{id}` for
/// progress; the report fills as it goes. Rows are written a batch at a
/// time: a bad row is reported and never stops or half-writes the others.
/// If the node running it dies, another node continues it from the first
/// row not yet written once its lease (2 minutes) runs out.
#[utoipa::path(post, path = "/api/v1/imports/{id}/run", tag = "imports", params(("id" = String, Path)),
    responses(
        (status = 202, description = "Started", body = ImportOut, headers(("Location" = String, description = "Poll this"))),
        (status = 404, description = "No such import, or another user's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Running or run already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The mapping does not fit the file (see `errors`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn run(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::Customer, Action::Create)?;
    let iid = id(&path)?;
    let a = auth.clone();
    let i2 = iid.clone();
    let row = db::run(&state.pool, move |c| {
        let imp =
            store::get_light(c, &i2, a.user_id())?.ok_or_else(|| ApiError::not_found("import"))?;
        let columns: Vec<String> = serde_json::from_str(&imp.column_names).unwrap_or_default();
        let raw: Vec<ColumnField> = serde_json::from_str(&imp.mapping).unwrap_or_default();
        Mapping::parse(&columns, &raw)?;
        if !store::start(c, &i2, db::now())? {
            return Err(ApiError::conflict(
                "This import is running or has run already.",
            ));
        }
        store::get_light(c, &i2, a.user_id())?.ok_or_else(|| ApiError::not_found("import"))
    })
    .await?;
    let pool = state.pool.clone();
    std::thread::spawn(move || lease::drive(&pool, &auth, &iid, None));
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/imports/{}", row.id)))
        .json(out(&row, None)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RowsQuery {
    /// Only rows with this outcome.
    pub outcome: Option<RowOutcomeParam>,
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 1024)]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcomeParam {
    Created,
    Updated,
    Skipped,
    Failed,
}

/// The report: what happened to each row, with the reason for each skipped
/// or failed one, in file order.
#[utoipa::path(get, path = "/api/v1/imports/{id}/rows", tag = "imports", params(("id" = String, Path), RowsQuery),
    responses(
        (status = 200, description = "A page of rows", body = RowPage),
        (status = 404, description = "No such import, or another user's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn rows(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    q: web::Query<RowsQuery>,
) -> Result<HttpResponse, ApiError> {
    let iid = id(&path)?;
    let q = q.into_inner();
    let limit = Limit::parse(q.limit)?.get() as i64;
    let after = match non_empty(q.cursor) {
        Some(c) => cursor::decode_text(&c, "seq")?
            .parse::<i64>()
            .map_err(|_| {
                ApiError::bad_field(
                    "cursor",
                    "invalid_cursor",
                    "is not a cursor from this list; start again without it",
                )
            })?,
        None => -1,
    };
    let outcome = q.outcome.map(|o| match o {
        RowOutcomeParam::Created => "created",
        RowOutcomeParam::Updated => "updated",
        RowOutcomeParam::Skipped => "skipped",
        RowOutcomeParam::Failed => "failed",
    });
    let user = auth.user_id().to_owned();
    let mut page = db::run(&state.pool, move |c| {
        own(store::get_light(c, &iid, &user)?)?;
        Ok(store::rows_page(c, &iid, outcome, after, limit + 1)?)
    })
    .await?;
    let next_cursor = if page.len() as i64 > limit {
        page.truncate(limit as usize);
        page.last()
            .map(|r| cursor::encode_text("seq", &r.seq.to_string()))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(RowPage {
        data: page
            .into_iter()
            .map(|r| {
                row_out(
                    r.line,
                    &r.outcome,
                    r.code,
                    r.column,
                    r.message,
                    r.customer_id,
                )
            })
            .collect(),
        next_cursor,
    }))
}

/// Undo a whole import: the customers it created go to the trash (with the
/// contacts it added), the customers it updated get their earlier values
/// back. All or nothing: if anyone changed one of those records since, the
/// undo is refused (409, naming the lines) rather than overwrite their work.
#[utoipa::path(post, path = "/api/v1/imports/{id}/undo", tag = "imports", params(("id" = String, Path)),
    responses(
        (status = 200, description = "Undone", body = ImportOut),
        (status = 404, description = "No such import, or another user's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not finished, undone already, or records changed since the import", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn undo(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let iid = id(&path)?;
    let row = db::run(&state.pool, move |c| {
        let imp = store::get_light(c, &iid, auth.user_id())?
            .ok_or_else(|| ApiError::not_found("import"))?;
        undo::undo(c, &auth, &imp)?;
        store::get_light(c, &iid, auth.user_id())?.ok_or_else(|| ApiError::not_found("import"))
    })
    .await?;
    Ok(HttpResponse::Ok().json(out(&row, None)))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/imports")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(upload)),
    )
    .service(
        web::resource("/imports/{id}")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(get)),
    )
    .service(
        web::resource("/imports/{id}/settings")
            .default_service(crate::http::allow("PUT"))
            .route(web::put().to(put_settings)),
    )
    .service(
        web::resource("/imports/{id}/dry-run")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(dry_run)),
    )
    .service(
        web::resource("/imports/{id}/run")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(run)),
    )
    .service(
        web::resource("/imports/{id}/rows")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(rows)),
    )
    .service(
        web::resource("/imports/{id}/failed")
            .default_service(crate::http::allow("GET"))
            .route(web::get().to(failed_rows)),
    )
    .service(
        web::resource("/imports/{id}/undo")
            .default_service(crate::http::allow("POST"))
            .route(web::post().to(undo)),
    )
    .service(
        web::resource("/import-templates")
            .default_service(crate::http::allow("GET, POST"))
            .route(web::get().to(list_templates))
            .route(web::post().to(create_template)),
    )
    .service(
        web::resource("/import-templates/{id}")
            .default_service(crate::http::allow("DELETE"))
            .route(web::delete().to(delete_template)),
    );
}
