//! Who may do what with a customer: the caller's scope as a query
//! condition, the checks a write makes beyond it, and the `allowed` answer
//! that tells a screen the outcome of those checks beforehand.

use super::super::extract::etag;
use super::super::wire::customers::{Allowed, CustomerOut};
use crate::auth::Auth;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::repo::access_sql::{CustomerCondition, customer_condition};
use crate::repo::customers::{self as store, Liveness};
use crate::repo::{self, org::UnitKind};
use crate::state::AppState;
use actix_web::HttpResponse;
use kehu_domain::FieldError;
use kehu_domain::access::{self, Action, Predicate, Resource};
use kehu_domain::customer::Customer;
use kehu_domain::error::Collector;

/// The caller's access condition for one action, rebuildable for each query.
pub struct Scoped(Predicate);

impl Scoped {
    pub fn new(auth: &Auth, action: Action) -> Self {
        Self(access::predicate(&auth.subject, Resource::Customer, action))
    }

    pub fn cond(&self) -> CustomerCondition {
        customer_condition(&self.0)
    }

    pub fn predicate(&self) -> &Predicate {
        &self.0
    }
}

/// Checks that the references a customer makes exist.
pub(super) fn check_refs(c: &mut DbConnection, v: &Customer) -> Result<(), ApiError> {
    let mut col = Collector::new();
    let one = |x: &Option<String>| x.iter().cloned().collect::<Vec<_>>();
    repo::org::check_refs(
        c,
        &mut col,
        [
            ("region_id", UnitKind::Region, one(&v.region_id)),
            ("team_id", UnitKind::Team, one(&v.team_id)),
            ("partner_id", UnitKind::Partner, one(&v.partner_id)),
            (
                "product_line_ids",
                UnitKind::ProductLine,
                v.product_line_ids.clone(),
            ),
        ],
    )?;
    for m in repo::users::missing(c, &one(&v.owner_id))? {
        col.push(FieldError::new(
            "owner_id",
            "not_found",
            format!("no user {m}"),
        ));
    }
    Ok(col.finish()?)
}

pub(super) fn out_of_reach(action: &str) -> ApiError {
    ApiError::forbidden(format!(
        "Your roles do not allow you to {action} a customer with this owner, region, product line or partner."
    ))
}

/// Answers with one customer and what `auth` may do with it now, so that a
/// screen offers only what will work; each is the very condition the write
/// would check, in SQL.
pub async fn respond_allowed(
    state: &AppState,
    auth: Auth,
    status: actix_web::http::StatusCode,
    r: store::CustomerRecord,
) -> Result<HttpResponse, ApiError> {
    let id = r.row.id.clone();
    let allowed = db::run(&state.pool, move |c| allowed(c, &auth, &id)).await?;
    let version = r.row.version;
    let mut out = CustomerOut::from(r);
    out.allowed = Some(allowed);
    Ok(HttpResponse::build(status)
        .insert_header(etag(version))
        .json(out))
}

pub(super) fn allowed(c: &mut DbConnection, auth: &Auth, id: &str) -> Result<Allowed, ApiError> {
    let mut may = |a: Action| store::exists_visible(c, id, Scoped::new(auth, a).cond());
    Ok(Allowed {
        update: may(Action::Update)?,
        delete: may(Action::Delete)?,
    })
}

/// Loads a visible customer and checks the caller may also `action` it.
pub fn load_for(
    c: &mut DbConnection,
    auth: &Auth,
    cid: &str,
    action: Action,
    l: Liveness,
) -> Result<store::CustomerRecord, ApiError> {
    let read = Scoped::new(
        auth,
        if l == Liveness::Deleted {
            Action::Delete
        } else {
            Action::Read
        },
    );
    let cur = store::get(c, cid, read.cond(), l)?.ok_or_else(|| ApiError::not_found("customer"))?;
    let facts = store::facts_of(c, Some(cid), &cur.to_domain())?;
    if !access::may(&auth.subject, Resource::Customer, action, &facts) {
        return Err(ApiError::forbidden(format!(
            "Your roles do not allow you to {} this customer.",
            action.as_str()
        )));
    }
    Ok(cur)
}
