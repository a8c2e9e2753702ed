//! The OpenAPI 3.1 document, generated from the handlers and wire types.

use crate::error::{Problem, ProblemField};
use crate::http::{self, wire};
use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kehu CRM API",
        description = "The REST API of Kehu (客户), an open-source CRM.\n\n\
            Every list, read and write is limited to the caller's scope: records outside it answer 404. \
            Errors are `application/problem+json` (RFC 7807) with per-field `errors`. \
            Updates need `If-Match` with the ETag of the last read. Times are UTC RFC 3339.",
        license(name = "AGPL-3.0-or-later"),
    ),
    paths(
        http::health::healthz,
        http::health::readyz,
        http::auth::login,
        http::auth::refresh,
        http::auth::logout,
        http::auth::me,
        http::auth::update_me,
        http::users::list,
        http::users::create,
        http::users::get,
        http::users::update,
        http::roles::list,
        http::roles::create,
        http::roles::get,
        http::roles::update,
        http::roles::delete,
        http::org::teams::list,
        http::org::teams::create,
        http::org::teams::get,
        http::org::teams::update,
        http::org::teams::delete,
        http::org::regions::list,
        http::org::regions::create,
        http::org::regions::get,
        http::org::regions::update,
        http::org::regions::delete,
        http::org::product_lines::list,
        http::org::product_lines::create,
        http::org::product_lines::get,
        http::org::product_lines::update,
        http::org::product_lines::delete,
        http::org::partners::list,
        http::org::partners::create,
        http::org::partners::get,
        http::org::partners::update,
        http::org::partners::delete,
        http::api_keys::list,
        http::api_keys::create,
        http::api_keys::get,
        http::api_keys::revoke,
        http::customers::list,
        http::customers::create,
        http::customers::get,
        http::customers::update,
        http::customers::delete,
        http::customers::restore,
        http::customers::stage_changes,
        http::customers::merge,
        http::customers::merge_preview,
        http::customers::report,
        http::customers::claim,
        http::customers::release,
        http::customers::owner_changes,
        http::customers::get_rules,
        http::customers::put_rules,
        http::customers::transfer,
        http::customers::export,
        http::audit::audit,
        http::audit::customer_history,
        http::audit::contact_history,
        http::audit::opportunity_history,
        http::audit::lead_history,
        http::contacts::list_all,
        http::contacts::list,
        http::contacts::create,
        http::contacts::get,
        http::contacts::update,
        http::contacts::delete,
        http::contacts::restore,
        http::activities::list,
        http::activities::create,
        http::activities::get,
        http::activities::update,
        http::activities::delete,
        http::activities::timeline::timeline,
        http::activities::day::my_day,
        http::imports::upload,
        http::imports::get,
        http::imports::put_settings,
        http::imports::dry_run,
        http::imports::run,
        http::imports::rows,
        http::imports::undo,
        http::imports::failed_rows,
        http::imports::list_templates,
        http::imports::create_template,
        http::imports::delete_template,
        http::notifications::list,
        http::notifications::unread_count,
        http::notifications::read,
        http::notifications::read_all,
        http::notifications::create_reminder,
        http::notifications::list_reminders,
        http::notifications::delete_reminder,
        http::me_remind::get_preferences,
        http::me_remind::put_preferences,
        http::me_remind::get_calendar,
        http::me_remind::create_calendar,
        http::me_remind::delete_calendar,
        http::me_remind::feed,
        http::leads::list,
        http::leads::create,
        http::leads::get,
        http::leads::update,
        http::leads::delete,
        http::leads::convert,
        http::leads::import,
        http::leads::list_rules,
        http::leads::create_rule,
        http::leads::replace_rule,
        http::leads::delete_rule,
        http::leads::get_score_rules,
        http::leads::put_score_rules,
        http::leads::list_forms,
        http::leads::create_form,
        http::leads::update_form,
        http::leads::delete_form,
        http::leads::submit,
        http::leads::preflight,
        http::opportunities::list::list,
        http::opportunities::create::create,
        http::opportunities::get,
        http::opportunities::update,
        http::opportunities::stages::move_stage,
        http::opportunities::stages::tick,
        http::opportunities::board::board,
        http::opportunities::close::win,
        http::opportunities::close::lose,
        http::opportunities::close::reopen,
        http::opportunities::competitors::add_competitor,
        http::opportunities::competitors::update_competitor,
        http::opportunities::competitors::remove_competitor,
        http::opportunities::competitors::add_competitor_activity,
        http::opportunities::setup::list_pipelines,
        http::opportunities::setup::create_pipeline,
        http::opportunities::setup::replace_pipeline,
        http::opportunities::setup::list_reasons,
        http::opportunities::setup::create_reason,
        http::opportunities::setup::update_reason,
        http::opportunities::setup::list_competitors,
        http::opportunities::setup::create_competitor,
        http::opportunities::setup::update_competitor,
        http::forecast::forecast,
        http::forecast::list_quotas,
        http::forecast::put_quota,
        http::forecast::performance,
    ),
    components(schemas(Problem, ProblemField, wire::customers::Kind, wire::customers::Stage)),
    modifiers(&Conventions),
    tags(
        (name = "auth", description = "Signing in and out"),
        (name = "customers", description = "Customers (companies and persons)"),
        (name = "pool", description = "The company pool (公海): customers without an owner, claimed within limits"),
        (name = "contacts", description = "People at customers"),
        (name = "activities", description = "Calls, visits, meetings, e-mails, tasks and notes; the customer timeline; a user's day"),
        (name = "imports", description = "Importing customers and contacts from CSV and vCard files, with mapping, dry run, report and undo"),
        (name = "notifications", description = "Notifications (birthdays, renewals, maintenance, reminders set by hand), each user's preferences and time zone, and the calendar feed"),
        (name = "leads", description = "Sales leads (销售线索): scoring, assignment rules, queues, web forms, import and conversion"),
        (name = "opportunities", description = "Opportunities (商机) through the funnel: stages with checklists, win and loss, reopening, competitors, the kanban board"),
        (name = "pipelines", description = "How the company sells: pipelines and stages with probabilities, forecast categories and checklists; loss reasons; the competitor list"),
        (name = "forecast", description = "The sales forecast by month or quarter with quotas and attainment; rep performance"),
        (name = "audit", description = "Every change to customers and contacts, field by field"),
        (name = "users", description = "Users (administrators)"),
        (name = "roles", description = "Roles and their scopes (administrators)"),
        (name = "teams", description = "Sales teams, a tree"),
        (name = "regions", description = "Sales regions, a tree"),
        (name = "product-lines", description = "Product lines"),
        (name = "partners", description = "Partner organisations (dealers)"),
        (name = "api-keys", description = "API keys for integrations (administrators)"),
        (name = "operations", description = "Health checks"),
    )
)]
pub struct ApiDoc;

/// Adds what every operation shares: the bearer scheme and the standard error responses.
struct Conventions;

const COMMON: &[(&str, &str)] = &[
    (
        "400",
        "Malformed request: bad JSON, id, cursor or query parameter",
    ),
    ("413", "Body larger than 1 MiB"),
    ("415", "Body is not JSON"),
    ("422", "Invalid input; `errors` names each field"),
    ("429", "Too many requests; see Retry-After"),
    ("500", "Server fault; the body has an error_id for the logs"),
    ("503", "Database unavailable"),
];

fn problem_ref(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                crate::error::PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

/// States in each parameter's schema what the server enforces, so a client
/// (or a fuzzer) can tell a valid value from one that answers 400.
fn constrain(p: &mut Parameter) {
    let Some(RefOr::T(Schema::Object(o))) = p.schema.as_mut() else {
        return;
    };
    // an optional header or query value is absent or a string, never `null`
    if let SchemaType::Array(types) = &o.schema_type {
        let mut rest = types.iter().filter(|t| **t != Type::Null);
        if let (Some(t), None) = (rest.next(), rest.next()) {
            o.schema_type = SchemaType::Type(t.clone());
        }
    }
    match (&p.parameter_in, p.name.as_str()) {
        (ParameterIn::Path, "id") => o.pattern = Some(http::extract::ID_PATTERN.into()),
        (ParameterIn::Header, "If-Match") => {
            o.pattern = Some(http::extract::IF_MATCH_PATTERN.into());
        }
        (ParameterIn::Header, "Idempotency-Key") => {
            o.pattern = Some(http::idempotency::KEY_PATTERN.into());
        }
        _ => {}
    }
}

fn adjust(op: &mut Operation, has_body: bool) {
    for p in op.parameters.iter_mut().flatten() {
        if let RefOr::T(p) = p {
            constrain(p);
        }
    }
    // handler names repeat across modules (`list`, `get`, ...); the tag makes them unique
    if let (Some(tag), Some(id)) = (
        op.tags.as_ref().and_then(|t| t.first()),
        op.operation_id.as_ref(),
    ) {
        op.operation_id = Some(format!("{}_{}", tag.replace('-', "_"), id));
    }
    let public = op
        .security
        .as_ref()
        .is_some_and(|s| s.iter().all(|r| r == &SecurityRequirement::default()));
    let responses = &mut op.responses.responses;
    if public {
        op.security = Some(Vec::new());
    } else {
        op.security = Some(vec![SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
        responses
            .entry("401".into())
            .or_insert_with(|| problem_ref("Not signed in, or the token or key is invalid"));
        responses
            .entry("403".into())
            .or_insert_with(|| problem_ref("The caller's roles do not allow this action"));
    }
    for (code, desc) in COMMON {
        if !has_body && (*code == "413" || *code == "415") {
            continue;
        }
        responses
            .entry((*code).into())
            .or_insert_with(|| problem_ref(desc));
    }
}

impl Modify for Conventions {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.security_schemes.insert(
            "bearer".into(),
            RefOr::T(SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT access token, or an API key starting with kehu_")
                    .build(),
            )),
        );
        file_bodies(api);
        workbook_responses(api);
        for item in api.paths.paths.values_mut() {
            for (op, body) in [
                (&mut item.get, false),
                (&mut item.delete, false),
                (&mut item.post, true),
                (&mut item.patch, true),
                (&mut item.put, true),
                // the public lead form's CORS preflight
                (&mut item.options, false),
            ] {
                if let Some(op) = op.as_mut() {
                    let has_body = body && op.request_body.is_some();
                    adjust(op, has_body);
                }
            }
        }
    }
}

/// An import's upload is the file itself, in any of the formats Kehu reads:
/// its bytes have no schema (any text is a CSV file of some shape; the API
/// answers what it cannot read with a 422), and each format is its own media
/// type. utoipa can state neither, so they are set here.
fn file_bodies(api: &mut utoipa::openapi::OpenApi) {
    let Some(body) = api
        .paths
        .paths
        .get_mut("/api/v1/imports")
        .and_then(|item| item.post.as_mut())
        .and_then(|op| op.request_body.as_mut())
    else {
        return;
    };
    let RefOr::T(body) = body else { return };
    for content in body.content.values_mut() {
        if let RefOr::T(c) = content {
            c.schema = None;
        }
    }
    let plain = body.content.values().next().cloned().map(|mut c| {
        if let RefOr::T(c) = &mut c {
            c.example = None;
        }
        c
    });
    if let Some(plain) = plain {
        for media in [
            "text/vcard",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ] {
            body.content.insert(media.into(), plain.clone());
        }
    }
}

/// An Excel workbook sent as a download is a binary string, which utoipa
/// cannot state (it reads `Vec<u8>` as an array of integers): set here.
fn workbook_responses(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat};
    let Some(RefOr::T(ok)) = api
        .paths
        .paths
        .get_mut("/api/v1/customers/export")
        .and_then(|item| item.get.as_mut())
        .and_then(|op| op.responses.responses.get_mut("200"))
    else {
        return;
    };
    if let Some(RefOr::T(c)) = ok.content.get_mut(crate::http::customers::XLSX_TYPE) {
        c.schema = Some(RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                .build(),
        )));
    }
}

/// The document as committed in `openapi/openapi.json`.
pub fn json() -> String {
    let mut s = ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    s.push('\n');
    s
}
