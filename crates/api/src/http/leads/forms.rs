//! Web forms (sales setup): each has a secret token that a public page
//! posts leads with. The token is shown once, when the form is made; only
//! its hash is kept, like the calendar subscription's.

use crate::auth::{Auth, tokens};
use crate::db::{self, DbConnection};
use crate::error::{ApiError, Problem};
use crate::http::extract::{Body, id};
use crate::http::wire::leads::{FormCreate, FormOut, FormUpdate};
use crate::repo::leads::forms::{self as store, FormRow, FormSettings};
use crate::repo::{self, org::UnitKind};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use kehu_domain::access::{Action, Resource};
use kehu_domain::error::Collector;
use kehu_domain::lead::{Source, form};
use kehu_domain::{Invalid, text};

fn parse(
    name: &str,
    source: Option<&str>,
    campaign: Option<&str>,
    team_id: Option<String>,
    active: bool,
    allowed_origins: &[String],
) -> Result<FormSettings, Invalid> {
    let mut c = Collector::new();
    let name = c.take(text::required("name", name, text::NAME_MAX));
    let source = c.take(Source::parse("source", source.unwrap_or(Source::WEB_FORM)));
    let campaign = c.take(text::optional("campaign", campaign, text::SHORT_MAX));
    let origins = c.take(form::parse_origins("allowed_origins", allowed_origins));
    c.finish()?;
    Ok(FormSettings {
        name: name.unwrap_or_default(),
        source: source.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        campaign: campaign.flatten(),
        team_id: team_id.filter(|t| !t.trim().is_empty()),
        active,
        allowed_origins: origins.unwrap_or_default(),
    })
}

fn check_team(c: &mut DbConnection, s: &FormSettings) -> Result<(), ApiError> {
    let mut col = Collector::new();
    repo::org::check_refs(
        c,
        &mut col,
        [(
            "team_id",
            UnitKind::Team,
            s.team_id.iter().cloned().collect(),
        )],
    )?;
    Ok(col.finish()?)
}

/// The web forms.
#[utoipa::path(get, path = "/api/v1/lead-forms", tag = "leads",
    responses(
        (status = 200, description = "Forms (without their tokens)", body = [FormOut]),
        (status = 403, description = "The caller may not read the sales setup", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_forms(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Read)?;
    let rows = db::run(&state.pool, move |c| Ok::<_, ApiError>(store::list(c)?)).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(FormOut::from).collect::<Vec<_>>()))
}

/// Make a web form. The answer holds its token and submission address,
/// shown only now.
#[utoipa::path(post, path = "/api/v1/lead-forms", tag = "leads", request_body = FormCreate,
    responses(
        (status = 201, description = "Created; `token` and `submit_url` appear only here", body = FormOut),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_form(
    state: web::Data<AppState>,
    auth: Auth,
    req: HttpRequest,
    body: Body<FormCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Create)?;
    let b = body.0;
    let s = parse(
        &b.name,
        b.source.as_deref(),
        b.campaign.as_deref(),
        b.team_id,
        b.active.unwrap_or(true),
        &b.allowed_origins,
    )?;
    let token = tokens::new_refresh_token();
    let hash = tokens::digest(&token);
    let by = auth.user_id().to_owned();
    let row = db::run(&state.pool, move |c| {
        check_team(c, &s)?;
        Ok::<_, ApiError>(store::insert(c, &db::new_id(), &s, &hash, &by, db::now())?)
    })
    .await?;
    let mut o = FormOut::from(row);
    o.submit_url = Some(format!(
        "{}/api/v1/forms/{token}/leads",
        crate::http::me_remind::base_url(&state, &req)
    ));
    o.token = Some(token);
    Ok(HttpResponse::Created().json(o))
}

/// Change a web form; fields not sent stay.
#[utoipa::path(patch, path = "/api/v1/lead-forms/{id}", tag = "leads", request_body = FormUpdate,
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "Saved", body = FormOut),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such form", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_form(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    body: Body<FormUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Update)?;
    let fid = id(&path)?;
    let b = body.0;
    let row = db::run(&state.pool, move |c| {
        let cur: FormRow = store::get(c, &fid)?.ok_or_else(|| ApiError::not_found("form"))?;
        let s = parse(
            b.name.as_deref().unwrap_or(&cur.name),
            Some(b.source.as_deref().unwrap_or(&cur.source)),
            match &b.campaign {
                Some(v) => v.as_deref(),
                None => cur.campaign.as_deref(),
            },
            match b.team_id {
                Some(v) => v,
                None => cur.team_id.clone(),
            },
            b.active.unwrap_or(cur.active),
            &b.allowed_origins.clone().unwrap_or_else(|| cur.origins()),
        )?;
        check_team(c, &s)?;
        store::update(c, &fid, &s, db::now())?.ok_or_else(|| ApiError::not_found("form"))
    })
    .await?;
    Ok(HttpResponse::Ok().json(FormOut::from(row)))
}

/// Remove a web form: its address stops working.
#[utoipa::path(delete, path = "/api/v1/lead-forms/{id}", tag = "leads",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "The caller may not change the sales setup", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such form", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_form(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Resource::SalesSetup, Action::Delete)?;
    let fid = id(&path)?;
    db::run(&state.pool, move |c| {
        if store::delete(c, &fid)? {
            Ok(())
        } else {
            Err(ApiError::not_found("form"))
        }
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
