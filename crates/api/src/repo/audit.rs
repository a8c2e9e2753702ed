//! The audit log: field-level changes to customers and contacts, to deals
//! and leads, and to the organisation around them (users, roles, units, API
//! keys).

use crate::db::schema::audit_log as al;
use crate::db::{Db, DbConnection};
use crate::repo::customers::stages::ChangedBy;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use kehu_domain::audit::{Action, FieldChange};

/// What kind of record an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Customer,
    Contact,
    Activity,
    Opportunity,
    Lead,
    User,
    Role,
    Team,
    Region,
    ProductLine,
    Partner,
    ApiKey,
}

impl Entity {
    pub const ALL: [Entity; 12] = [
        Entity::Customer,
        Entity::Contact,
        Entity::Activity,
        Entity::Opportunity,
        Entity::Lead,
        Entity::User,
        Entity::Role,
        Entity::Team,
        Entity::Region,
        Entity::ProductLine,
        Entity::Partner,
        Entity::ApiKey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Customer => "customer",
            Entity::Contact => "contact",
            Entity::Activity => "activity",
            Entity::Opportunity => "opportunity",
            Entity::Lead => "lead",
            Entity::User => "user",
            Entity::Role => "role",
            Entity::Team => "team",
            Entity::Region => "region",
            Entity::ProductLine => "product_line",
            Entity::Partner => "partner",
            Entity::ApiKey => "api_key",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// Records a change; nothing when an update changed no field. Part of the
/// transaction that makes the change.
#[expect(
    clippy::too_many_arguments,
    reason = "one entry has this many parts; a struct would only rename them"
)]
pub fn record(
    c: &mut DbConnection,
    entity: Entity,
    entity_id: &str,
    customer_id: &str,
    action: Action,
    changes: &[FieldChange],
    by: ChangedBy<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    record_entry(
        c,
        entity,
        entity_id,
        Some(customer_id),
        action,
        changes,
        by,
        now,
        None,
    )
}

/// Records a change that no customer's history shows: to the organisation
/// (a user, role, unit or API key), which only the whole log
/// (administrators) shows, or to a record with a scope of its own (a deal,
/// a lead), read through that scope (`/opportunities/{id}/audit`,
/// `/leads/{id}/audit`) so that a customer's readers do not see the deals
/// and leads their scope hides.
pub fn record_without_customer(
    c: &mut DbConnection,
    entity: Entity,
    entity_id: &str,
    action: Action,
    changes: &[FieldChange],
    by: ChangedBy<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    record_entry(c, entity, entity_id, None, action, changes, by, now, None)
}

/// [`record`] for a change an import made (`import_id`), so the history
/// says which import it was and undo can be told apart from a hand edit.
#[expect(
    clippy::too_many_arguments,
    reason = "one entry has this many parts; a struct would only rename them"
)]
pub fn record_tagged(
    c: &mut DbConnection,
    entity: Entity,
    entity_id: &str,
    customer_id: &str,
    action: Action,
    changes: &[FieldChange],
    by: ChangedBy<'_>,
    now: NaiveDateTime,
    import_id: Option<&str>,
) -> QueryResult<()> {
    record_entry(
        c,
        entity,
        entity_id,
        Some(customer_id),
        action,
        changes,
        by,
        now,
        import_id,
    )
}

#[expect(
    clippy::too_many_arguments,
    reason = "one entry has this many parts; a struct would only rename them"
)]
fn record_entry(
    c: &mut DbConnection,
    entity: Entity,
    entity_id: &str,
    customer_id: Option<&str>,
    action: Action,
    changes: &[FieldChange],
    by: ChangedBy<'_>,
    now: NaiveDateTime,
    import_id: Option<&str>,
) -> QueryResult<()> {
    if action == Action::Update && changes.is_empty() {
        return Ok(());
    }
    diesel::insert_into(al::table)
        .values((
            al::id.eq(crate::db::new_id()),
            al::entity.eq(entity.as_str()),
            al::entity_id.eq(entity_id),
            al::customer_id.eq(customer_id),
            al::action.eq(action.as_str()),
            al::changes.eq(serde_json::to_string(changes).unwrap_or_else(|_| "[]".into())),
            al::user_id.eq(by.user_id),
            al::api_key_id.eq(by.api_key_id),
            al::at.eq(now),
            al::import_id.eq(import_id),
        ))
        .execute(c)
        .map(drop)
}

#[derive(Debug, Clone, Queryable)]
pub struct AuditRow {
    pub id: String,
    pub entity: String,
    pub entity_id: String,
    pub customer_id: Option<String>,
    pub action: String,
    pub changes: String,
    pub user_id: Option<String>,
    pub api_key_id: Option<String>,
    pub at: NaiveDateTime,
    pub import_id: Option<String>,
}

/// Which entries to list; all set filters apply.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<Entity>,
    pub entity_id: Option<String>,
    pub customer_id: Option<String>,
    pub user_id: Option<String>,
    pub api_key_id: Option<String>,
    pub since: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

/// Entries newest first, after the cursor (at, id) of the previous page.
pub fn list(
    c: &mut DbConnection,
    f: &AuditFilter,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    list_query(f, before, limit)
        .select((
            al::id,
            al::entity,
            al::entity_id,
            al::customer_id,
            al::action,
            al::changes,
            al::user_id,
            al::api_key_id,
            al::at,
            al::import_id,
        ))
        .load(c)
}

/// The query of [`list`].
pub fn list_query(
    f: &AuditFilter,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> al::BoxedQuery<'static, Db> {
    let mut q = al::table.into_boxed();
    if let Some(e) = f.entity {
        q = q.filter(al::entity.eq(e.as_str()));
    }
    if let Some(id) = &f.entity_id {
        q = q.filter(al::entity_id.eq(id.clone()));
    }
    if let Some(id) = &f.customer_id {
        q = q.filter(al::customer_id.eq(id.clone()));
    }
    if let Some(id) = &f.user_id {
        q = q.filter(al::user_id.eq(id.clone()));
    }
    if let Some(id) = &f.api_key_id {
        q = q.filter(al::api_key_id.eq(id.clone()));
    }
    if let Some(t) = f.since {
        q = q.filter(al::at.ge(t));
    }
    if let Some(t) = f.until {
        q = q.filter(al::at.lt(t));
    }
    if let Some((at, id)) = before {
        // `at <= ?` is implied; said outright, an index on `at` starts there
        q = q.filter(
            al::at
                .le(at)
                .and(al::at.lt(at).or(al::at.eq(at).and(al::id.lt(id)))),
        );
    }
    q.order((al::at.desc(), al::id.desc())).limit(limit)
}
