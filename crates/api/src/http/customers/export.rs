//! Exporting what the caller may see as CSV, streamed: customers, or their
//! contacts; for marketing, without the contacts who refused the channel.

use super::Scoped;
use super::list::{RawFilter, parse_filter, resolve_region};
use crate::auth::Auth;
use crate::db;
use crate::error::{ApiError, Problem};
use crate::http::csv;
use crate::repo::contacts;
use crate::repo::customers::{self as store, After, CursorValue, Sort, SortKey};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use kehu_domain::access::Action;
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

fn customer_line(r: &store::CustomerRecord, n: &Names) -> String {
    let c = &r.row;
    csv::row(&[
        c.id.clone(),
        c.name.clone(),
        c.kind.clone(),
        c.lifecycle_stage.clone(),
        c.industry.clone().unwrap_or_default(),
        c.source.clone().unwrap_or_default(),
        n.region(&c.region_id),
        n.user(&c.owner_id),
        list_of(&c.phones),
        list_of(&c.emails),
        list_of(&c.tags),
        c.address.clone().unwrap_or_default(),
        db::to_utc(c.created_at).to_rfc3339(),
        db::to_utc(c.updated_at).to_rfc3339(),
    ])
}

const CUSTOMER_HEAD: [&str; 14] = [
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
    "created_at",
    "updated_at",
];
const CONTACT_HEAD: [&str; 9] = [
    "customer_id",
    "customer",
    "contact_id",
    "name",
    "title",
    "phones",
    "emails",
    "do_not_contact",
    "updated_at",
];

/// Export the customers the caller may see (with the list's filters), or
/// their contacts, as CSV in UTF-8 with a byte-order mark for Excel. The file
/// is streamed, so it starts at once whatever its size. For a campaign,
/// `what=contacts&purpose=marketing&channel=email` leaves out everyone who
/// asked not to be e-mailed.
#[utoipa::path(get, path = "/api/v1/customers/export", tag = "customers", params(ExportQuery),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv", body = String),
        (status = 422, description = "A marketing export without its channel, or options that do not go together", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn export(
    state: web::Data<AppState>,
    auth: Auth,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let what = parse_what(&q)?;
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
    let sort = Sort {
        key: SortKey::Name,
        desc: false,
    };
    let head = match what {
        What::Customers => csv::row(&CUSTOMER_HEAD),
        What::Contacts { .. } => csv::row(&CONTACT_HEAD),
    };
    let pool = state.pool.clone();
    let shared = std::sync::Arc::new((scope, filter, names));
    let start = (Some(format!("{}{head}", csv::BOM)), None::<After>, false);
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
            let page = db::run(&pool, move |c| {
                let (scope, filter, names) = &*shared;
                let rows = store::list(c, scope, filter, sort, after.as_ref(), BATCH)?;
                let next = rows.last().map(|r| After {
                    value: CursorValue::Text(r.row.name.clone()),
                    id: r.row.id.clone(),
                });
                let mut out = String::new();
                match what {
                    What::Customers => {
                        for r in &rows {
                            out.push_str(&customer_line(r, names));
                        }
                    }
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
                            let refused: Vec<&str> =
                                marks.iter().map(|m| m.channel.as_str()).collect();
                            out.push_str(&csv::row(&[
                                k.customer_id.clone(),
                                customer,
                                k.id.clone(),
                                k.name.clone(),
                                k.title.clone().unwrap_or_default(),
                                list_of(&k.phones),
                                list_of(&k.emails),
                                refused.join("; "),
                                db::to_utc(k.updated_at).to_rfc3339(),
                            ]));
                        }
                    }
                }
                Ok::<_, ApiError>((out, next, (rows.len() as i64) < BATCH))
            })
            .await;
            match page {
                Ok((text, next, last)) => Some((Ok(Bytes::from(text)), (None, next, last))),
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
    let file = match what {
        What::Customers => "customers",
        What::Contacts { .. } => "contacts",
    };
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"kehu-{file}-{}.csv\"",
                db::now().format("%Y-%m-%d")
            ),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}
