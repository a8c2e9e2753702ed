//! Exporting what the caller may see as CSV, streamed, or as an Excel
//! workbook: customers, or their contacts; for marketing, without the
//! contacts who refused the channel.

use super::Scoped;
use super::list::{RawFilter, parse_filter, resolve_region};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::csv;
use crate::http::xlsx::{Cell, Sheet};
use crate::repo::contacts;
use crate::repo::customers::{self as store, After, CursorValue, CustomerFilter, Sort, SortKey};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use kehu_domain::access::{Action, Predicate};
use kehu_domain::contact::{Channel, may_contact};
use serde::Deserialize;
use std::collections::HashMap;
use utoipa::IntoParams;

/// Customers read per database round trip while streaming.
const BATCH: i64 = 500;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` (default) or `xlsx` (an Excel workbook).
    #[param(pattern = "^(csv|xlsx)?$")]
    pub format: Option<String>,
    /// `customers` (default) or `contacts` (one line per contact, with its customer).
    #[param(pattern = "^(customers|contacts)?$")]
    pub what: Option<String>,
    /// `marketing`: for a campaign; needs `channel` and leaves out every
    /// contact who asked not to be reached by it (only with `what=contacts`).
    #[param(pattern = "^(marketing)?$")]
    pub purpose: Option<String>,
    /// `call`, `email`, `sms` or `mail`: the campaign's channel.
    #[param(pattern = "^(call|email|sms|mail)?$")]
    pub channel: Option<String>,
    /// The filters of the customer list.
    #[param(pattern = "^[^\\x00]*$", max_length = 100)]
    pub q: Option<String>,
    #[param(pattern = "^[A-Za-z0-9_-]{0,64}$")]
    pub owner: Option<String>,
    #[param(pattern = "^[^\\x00]*$", max_length = 64)]
    pub team_id: Option<String>,
    #[param(pattern = "^[^\\x00]*$", max_length = 64)]
    pub region_id: Option<String>,
    #[param(pattern = "^(prospect|interested|customer|vip|churned)?$")]
    pub stage: Option<String>,
    #[param(pattern = "^[^\\x00]*$", max_length = 100)]
    pub industry: Option<String>,
    #[param(pattern = "^[^\\x00]*$", max_length = 50)]
    pub tag: Option<String>,
    #[param(format = DateTime)]
    pub updated_since: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum What {
    Customers,
    Contacts { skip: Option<Channel> },
}

fn parse_what(q: &ExportQuery) -> Result<What, ApiError> {
    let marketing = match q.purpose.as_deref().unwrap_or("") {
        "" => false,
        "marketing" => true,
        _ => {
            return Err(ApiError::bad_field(
                "purpose",
                "invalid_choice",
                "must be marketing",
            ));
        }
    };
    let channel = match q.channel.as_deref().unwrap_or("") {
        "" => None,
        s => Some(Channel::parse(s).ok_or_else(|| {
            ApiError::bad_field(
                "channel",
                "invalid_choice",
                "must be one of: call, email, sms, mail",
            )
        })?),
    };
    match (q.what.as_deref().unwrap_or("customers"), marketing, channel) {
        ("customers" | "", false, None) => Ok(What::Customers),
        ("customers" | "", _, _) => Err(ApiError::invalid(
            "what",
            "contacts_only",
            "purpose and channel apply to contacts: send what=contacts",
        )),
        ("contacts", true, None) => Err(ApiError::invalid(
            "channel",
            "required",
            "a marketing export names its channel, so that those who refused it are left out",
        )),
        ("contacts", true, Some(ch)) => Ok(What::Contacts { skip: Some(ch) }),
        ("contacts", false, Some(_)) => Err(ApiError::invalid(
            "purpose",
            "required",
            "channel is for purpose=marketing",
        )),
        ("contacts", false, None) => Ok(What::Contacts { skip: None }),
        _ => Err(ApiError::bad_field(
            "what",
            "invalid_choice",
            "must be customers or contacts",
        )),
    }
}

fn list_of(json: &str) -> String {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .join("; ")
}

/// Names for the ids an export shows: users and regions.
struct Names {
    users: HashMap<String, String>,
    regions: HashMap<String, String>,
}

impl Names {
    fn user(&self, id: &Option<String>) -> String {
        id.as_ref()
            .and_then(|i| self.users.get(i))
            .cloned()
            .unwrap_or_default()
    }
    fn region(&self, id: &Option<String>) -> String {
        id.as_ref()
            .and_then(|i| self.regions.get(i))
            .cloned()
            .unwrap_or_default()
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

fn opt(s: &Option<String>) -> Cell {
    Cell::Text(s.clone().unwrap_or_default())
}

fn customer_cells(r: &store::CustomerRecord, n: &Names) -> Vec<Cell> {
    let c = &r.row;
    vec![
        text(&c.id),
        text(&c.name),
        text(&c.kind),
        text(&c.lifecycle_stage),
        opt(&c.industry),
        opt(&c.source),
        Cell::Text(n.region(&c.region_id)),
        Cell::Text(n.user(&c.owner_id)),
        Cell::Text(list_of(&c.phones)),
        Cell::Text(list_of(&c.emails)),
        Cell::Text(list_of(&c.tags)),
        opt(&c.address),
        Cell::Text(c.renewal_on.map(|d| d.to_string()).unwrap_or_default()),
        Cell::Text(c.maintenance_on.map(|d| d.to_string()).unwrap_or_default()),
        Cell::Time(db::to_utc(c.created_at)),
        Cell::Time(db::to_utc(c.updated_at)),
    ]
}

const CUSTOMER_HEAD: [&str; 16] = [
    "id",
    "name",
    "kind",
    "lifecycle_stage",
    "industry",
    "source",
    "region",
    "owner",
    "phones",
    "emails",
    "tags",
    "address",
    "renewal_on",
    "maintenance_on",
    "created_at",
    "updated_at",
];
const CONTACT_HEAD: [&str; 10] = [
    "customer_id",
    "customer",
    "contact_id",
    "name",
    "title",
    "phones",
    "emails",
    "do_not_contact",
    "birthday",
    "updated_at",
];

/// One page of the export: its rows, where the next starts, whether it is the last.
struct Page {
    rows: Vec<Vec<Cell>>,
    next: Option<After>,
    last: bool,
}

/// What an export reads with: the caller's scope, the list's filter, names.
type Shared = std::sync::Arc<(Predicate, CustomerFilter, Names)>;

fn page(
    c: &mut db::DbConnection,
    what: What,
    shared: &Shared,
    after: Option<&After>,
) -> Result<Page, ApiError> {
    let (scope, filter, names) = &**shared;
    let sort = Sort {
        key: SortKey::Name,
        desc: false,
    };
    let rows = store::list(c, scope, filter, sort, after, BATCH)?;
    let next = rows.last().map(|r| After {
        value: CursorValue::Text(r.row.name.clone()),
        id: r.row.id.clone(),
    });
    let mut out = Vec::new();
    match what {
        What::Customers => out.extend(rows.iter().map(|r| customer_cells(r, names))),
        What::Contacts { skip } => {
            let ids: Vec<String> = rows.iter().map(|r| r.row.id.clone()).collect();
            for k in contacts::of_customers(c, &ids)? {
                let marks = k.marks();
                if skip.is_some_and(|ch| !may_contact(&marks, ch)) {
                    continue;
                }
                let customer = rows
                    .iter()
                    .find(|r| r.row.id == k.customer_id)
                    .map(|r| r.row.name.clone())
                    .unwrap_or_default();
                let refused: Vec<&str> = marks.iter().map(|m| m.channel.as_str()).collect();
                out.push(vec![
                    text(&k.customer_id),
                    Cell::Text(customer),
                    text(&k.id),
                    text(&k.name),
                    opt(&k.title),
                    Cell::Text(list_of(&k.phones)),
                    Cell::Text(list_of(&k.emails)),
                    Cell::Text(refused.join("; ")),
                    opt(&k.birthday),
                    Cell::Time(db::to_utc(k.updated_at)),
                ]);
            }
        }
    }
    Ok(Page {
        last: (rows.len() as i64) < BATCH,
        rows: out,
        next,
    })
}

fn csv_line(cells: &[Cell]) -> String {
    csv::row(&cells.iter().map(Cell::text).collect::<Vec<_>>())
}

/// Export the customers the caller may see (with the list's filters), or
/// their contacts. `format=csv` (default): UTF-8 with a byte-order mark for
/// Excel, streamed, so it starts at once whatever its size. `format=xlsx`:
/// an Excel workbook with one sheet, text as text (never a formula), times
/// as date-times in UTC; it is sent once the sheet is complete (at most
/// 1,048,575 rows, Excel's limit; more is a 422 asking for CSV). For a
/// campaign, `what=contacts&purpose=marketing&channel=email` leaves out
/// everyone who asked not to be e-mailed.
#[utoipa::path(get, path = "/api/v1/customers/export", tag = "customers", params(ExportQuery),
    responses(
        (status = 200, description = "The file: CSV, or with `format=xlsx` an Excel workbook", content(
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 422, description = "A marketing export without its channel, options that do not go together, or more rows than an Excel sheet holds", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn export(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let what = parse_what(&q)?;
    let xlsx = match q.format.as_deref().unwrap_or("") {
        "" | "csv" => false,
        "xlsx" => true,
        _ => {
            return Err(ApiError::bad_field(
                "format",
                "invalid_choice",
                "must be csv or xlsx",
            ));
        }
    };
    let (mut filter, region) = parse_filter(
        &auth,
        RawFilter {
            owner: q.owner,
            team_id: q.team_id,
            region_id: q.region_id,
            stage: q.stage,
            industry: q.industry,
            tag: q.tag,
            updated_since: q.updated_since,
            q: q.q,
        },
        false,
    )?;
    let scope = Scoped::new(&auth, Action::Read).predicate().clone();
    let (filter, names) = db::run(&state.pool, move |c| {
        resolve_region(c, &mut filter, region)?;
        let names = Names {
            users: crate::repo::users::names(c)?.into_iter().collect(),
            regions: crate::repo::org::names(c, crate::repo::org::UnitKind::Region)?
                .into_iter()
                .collect(),
        };
        Ok::<_, ApiError>((filter, names))
    })
    .await?;
    let head: &[&str] = match what {
        What::Customers => &CUSTOMER_HEAD,
        What::Contacts { .. } => &CONTACT_HEAD,
    };
    let shared: Shared = std::sync::Arc::new((scope, filter, names));
    let file = match what {
        What::Customers => "customers",
        What::Contacts { .. } => "contacts",
    };
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    let name = format!("kehu-{file}-{}", db::now().format("%Y-%m-%d"));
    if xlsx {
        let sheet = db::run(&state.pool, move |c| {
            let mut sheet = Sheet::new(file, head)?;
            let mut after = None;
            loop {
                let p = page(c, what, &shared, after.as_ref())?;
                for row in &p.rows {
                    sheet.push(row).map_err(|e| {
                        e.unwrap_or_else(|| {
                            ApiError::invalid(
                                "format",
                                "too_many_rows",
                                "more rows than an Excel sheet holds: export as CSV, or filter",
                            )
                        })
                    })?;
                }
                if p.last {
                    return Ok(sheet);
                }
                after = p.next;
            }
        })
        .await?;
        return Ok(res
            .content_type(XLSX_TYPE)
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.xlsx\""),
            ))
            .streaming(sheet.stream()));
    }
    let pool = state.pool.clone();
    let start = (
        Some(format!("{}{}", csv::BOM, csv::row(head))),
        None::<After>,
        false,
    );
    let body = futures_util::stream::unfold(start, move |(first, after, done)| {
        let (pool, shared) = (pool.clone(), shared.clone());
        async move {
            if let Some(h) = first {
                return Some((
                    Ok::<_, actix_web::Error>(Bytes::from(h)),
                    (None, after, done),
                ));
            }
            if done {
                return None;
            }
            let p = db::run(&pool, move |c| page(c, what, &shared, after.as_ref())).await;
            match p {
                Ok(p) => {
                    let text: String = p.rows.iter().map(|r| csv_line(r)).collect();
                    Some((Ok(Bytes::from(text)), (None, p.next, p.last)))
                }
                // the status is sent already: cutting the stream short tells the client
                Err(e) => {
                    tracing::error!(error = %e, "export stopped");
                    Some((
                        Err(actix_web::error::ErrorInternalServerError("export stopped")),
                        (None, None, true),
                    ))
                }
            }
        }
    });
    Ok(res
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .streaming(body))
}

/// The media type of an Excel workbook.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
